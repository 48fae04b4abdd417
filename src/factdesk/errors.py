"""One exception tree. Every error carries a one-line, actionable message; the CLI prints it and exits non-zero."""

from __future__ import annotations


class FactdeskError(Exception):
    """Base of every error factdesk raises on purpose. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} ({hint})")


class InputError(FactdeskError):
    """The article given cannot be read: empty, binary, undecodable, too large, no article body."""

    exit_code = 2


class FetchError(InputError):
    """A URL could not be fetched: HTTP error, timeout, size cap, bad scheme."""


class BlockedAddressError(FetchError):
    """A URL resolves or redirects to a private, loopback or link-local address."""


class ConfigError(FactdeskError):
    """A setting, option or user-supplied file (e.g. a ratings CSV) is invalid."""

    exit_code = 2


class ModelError(FactdeskError):
    """A shipped model artifact is missing or does not match its recorded sha256."""

    exit_code = 3


class PipelineError(FactdeskError):
    """Stages are registered or ordered inconsistently (a stage requires what no earlier stage assigns)."""

    exit_code = 3


class ArchiveError(FactdeskError):
    """The evidence archive cannot be used: not an archive, corrupted, locked, or built with another embedding model."""

    exit_code = 2
