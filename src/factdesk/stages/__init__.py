"""Built-in stages; importing this package registers them (see ``factdesk.pipeline.REGISTRY``)."""

from . import claims, headline, language, language_id, quantities, quotes, score, segment, source, trace  # noqa: F401
