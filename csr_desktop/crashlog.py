"""Errors nobody foresaw: the traceback goes to a rotating log in the user's data folder."""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

from platformdirs import user_log_dir

_LOGGER_NAME = "csr_desktop"


def log_dir() -> Path:
    return Path(user_log_dir("csr-desktop", appauthor=False))


def logger() -> logging.Logger:
    """A logger writing to csr-desktop.log, rotated at 1 MB, five files kept."""
    log = logging.getLogger(_LOGGER_NAME)
    path = log_dir() / "csr-desktop.log"
    current = [h for h in log.handlers if getattr(h, "baseFilename", None) == str(path)]
    if not current:
        for old in list(log.handlers):
            log.removeHandler(old)
            old.close()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
            )
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def log_exception(exc: BaseException) -> Path:
    """Write the traceback and return the log file's path for the user's message."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    logger().error("unexpected error\n%s", text)
    return log_dir() / "csr-desktop.log"
