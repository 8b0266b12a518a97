"""A second process that reads the back half of a long PDF while this one reads the front.

PDFium's page parsing is most of a long report's reading time, and PDFium serves one thread
per process, so the only way to use a second core is a second process (spawned, never forked:
the window reads on a worker thread). It opens the file itself, reads its pages as `pdf.py`
does and sends their lines back. Anything that goes wrong with the process itself (it cannot
start, it dies) is not the report's fault: the caller then reads those pages itself."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from csr_desktop.core.errors import Cancelled

POLL_SECONDS = 0.05  # how often a wait for the helper gives the caller a chance to cancel


class HelperFailed(Exception):
    """The helper process could not do its part (not a fault of the report)."""


class PageError(Exception):
    """PDFium failed on one of the helper's pages: the report's fault, as in this process."""


Reader = Callable[[str, int, int], Any]  # path, first page, page after the last -> pages


def _main(read: Reader, path: str, start: int, stop: int, conn: Connection) -> None:
    """In the helper process: the lines of pages start..stop-1, or what PDFium said."""
    try:
        try:
            conn.send(("pages", read(path, start, stop)))
        except Exception as exc:  # a damaged page: the caller reports it like its own
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class Helper:
    """Pages start..stop-1 of the PDF at `path`, read in another process by `read` (a
    module-level function: the helper imports it by name)."""

    def __init__(self, read: Reader, path: Path, start: int, stop: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=_main, args=(read, str(path), start, stop, child), daemon=True, name="pdf-pages"
        )
        try:
            self.process.start()
        except Exception as exc:
            self.conn.close()
            raise HelperFailed(str(exc)) from exc
        finally:
            child.close()

    def result(self, keep_going: Callable[[], bool]) -> Any:
        """The helper's pages; `keep_going()` is asked while waiting and False cancels."""
        while True:
            if self.conn.poll(POLL_SECONDS):
                try:
                    kind, value = self.conn.recv()
                except (EOFError, OSError) as exc:
                    raise HelperFailed("the helper process ended without its pages") from exc
                if kind == "error":
                    raise PageError(value)
                return value
            if not self.process.is_alive() and not self.conn.poll():
                raise HelperFailed(f"the helper process ended ({self.process.exitcode})")
            if not keep_going():
                raise Cancelled

    def stop(self) -> None:
        """End the helper, done or not (cancelled, or this process failed first)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(5)
        self.conn.close()
