"""``python -m factdesk …``: the same command line as ``factdesk …``."""

from factdesk.cli import main

main()
