"""One exception tree. Every error carries a one-line, actionable message; the CLI prints it and exits non-zero."""

from __future__ import annotations


class FactdeskError(Exception):
    """Base of every error factdesk raises on purpose. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message if hint is None else f"{message} ({hint})")

    def __reduce__(self) -> tuple:  # pickled whole (message and hint) when raised in a worker process
        return _rebuild, (type(self), self.message, self.hint)


def _rebuild(cls: type[FactdeskError], message: str, hint: str | None) -> FactdeskError:
    return cls(message, hint=hint)


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


def run_cli(app: object, argv: list[str] | None, prog_name: str) -> None:
    """Run a typer app the way every factdesk command line runs: a usage mistake prints click's message and exits
    2; a FactdeskError prints one line and exits with its code; a bug prints one line (FACTDESK_DEBUG=1 re-raises
    it) and exits 70; never a traceback."""
    import os
    import sys

    import typer

    # typer >= 0.2x ships its own copy of click: its usage errors are not click.ClickException, so the base is
    # looked up from typer's own BadParameter (plain click's on older typer)
    usage_errors = tuple(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    try:
        # typer >= 0.2x returns the code of an Exit (130 for Ctrl-C) instead of raising it when not standalone
        code = app(args=argv, prog_name=prog_name, standalone_mode=False)  # type: ignore[operator]
    except typer.Exit as e:
        code = e.exit_code
    except usage_errors as e:
        e.show()  # type: ignore[attr-defined]
        sys.exit(e.exit_code)  # type: ignore[attr-defined]
    except (typer.Abort, KeyboardInterrupt):
        print("factdesk: interrupted", file=sys.stderr)
        sys.exit(130)
    except FactdeskError as e:
        print(f"factdesk: error: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:  # a bug: still one line, with a way to see more
        if os.environ.get("FACTDESK_DEBUG"):
            raise
        print(f"factdesk: internal error: {type(e).__name__}: {e} (set FACTDESK_DEBUG=1 for a traceback)",
              file=sys.stderr)
        sys.exit(70)
    if code == 130:
        print("factdesk: interrupted", file=sys.stderr)
    if isinstance(code, int) and code:
        sys.exit(code)
