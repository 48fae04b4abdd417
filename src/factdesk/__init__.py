"""factdesk: offline news credibility and claim tracing."""

__version__ = "0.1.0"
