"""``python -m factdesk …``: the same command line as ``factdesk …``."""

from factdesk.cli import main

if __name__ == "__main__":
    main()
