"""factdesk: offline news credibility and claim tracing.

>>> import factdesk
>>> report = factdesk.check("article.txt", published="2017-12-27")   # doctest: +SKIP
"""

__version__ = "0.1.0"

from .api import build_pipeline, check, check_many  # noqa: E402
from .document import Document  # noqa: E402
from .errors import FactdeskError  # noqa: E402
from .pipeline import Pipeline, Stage, register  # noqa: E402

__all__ = ["Document", "FactdeskError", "Pipeline", "Stage", "build_pipeline", "check", "check_many", "register",
           "__version__"]
