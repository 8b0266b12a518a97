"""What every command shares: the exit codes, stdout that keeps its first failure, the note
of what a command has committed (exit 3 when only its report is lost) and the usage parser.

Exit codes: 0 done, 1 validate found gaps / verify found differences, 2 bad input or a failed
operation — then exactly one line on stderr, Chinese first, and nothing half-written —, 3 the
change was made (committed, or the export written) but its report could not be printed: a
full disk or a closed pipe on stdout must not make a script think nothing happened.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from typing import TextIO, cast

from csr_desktop.core.errors import CsrError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_DONE_UNPRINTED = 0, 1, 2, 3


class Output(io.TextIOBase):
    """stdout that keeps the first failed write instead of raising it in the middle of a
    command: what the command changed is then reported truthfully at the end (`runner`)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream
        self.error: OSError | None = None

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.error is None:
            try:
                self.stream.write(text)
                if "\n" in text:
                    self.stream.flush()  # a full disk shows now, not at the interpreter's exit
            except OSError as exc:
                self.error = exc
        return len(text)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.stream.flush()
            except OSError as exc:
                self.error = exc


class _State:
    output: Output | None = None
    done = ""  # what the running command has committed, in words ("已添加"), once it has


state = _State()


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one Chinese line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CsrError(f"命令参数错误：{message}（用 --help 查看用法）", message)


def out() -> TextIO:
    """UTF-8 stdout whatever the console's code page (Windows), failures kept (`Output`)."""
    if state.output is None or state.output.stream is not sys.stdout:
        stream = sys.stdout
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8")
        state.output = Output(stream)
    return cast(TextIO, state.output)  # a text stream: the type the commands write to


def did(words: str) -> None:
    """Note that the command's change is committed: a failure to print it must not say
    未做任何修改 (and a script must not retry it blindly: exit 3)."""
    state.done = words


def say(*lines: str) -> None:
    """Print lines on the command's stdout."""
    stream = out()
    for line in lines:
        print(line, file=stream)
