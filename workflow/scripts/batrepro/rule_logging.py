"""What every thin Snakemake script shares: logging to the rule's log and one-line errors."""

from __future__ import annotations

import contextlib
import logging
import sys


@contextlib.contextmanager
def script_logging(log_path: str):
    """Log to `log_path`; turn a ValueError (bad input, bad config) into one line on stderr and exit 1.

    Snakemake then deletes the job's outputs, so nothing half-written is left behind.
    """
    logging.basicConfig(
        filename=log_path, filemode="w", level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", force=True
    )
    try:
        yield logging.getLogger("batrepro")
    except ValueError as err:
        message = " ".join(str(err).split())
        logging.getLogger("batrepro").error(message)
        print(f"error: {message}", file=sys.stderr)
        sys.exit(1)
    except Exception as err:  # a bug: the traceback goes to stderr; its notes (which run, which file) end it
        notes = "; ".join(getattr(err, "__notes__", []))
        logging.getLogger("batrepro").exception("unexpected %s%s", type(err).__name__, f" ({notes})" if notes else "")
        raise
