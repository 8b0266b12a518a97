"""The `csr-desktop` entry point: a subcommand runs headless, anything else opens the app.

Kept tiny on purpose: the window's start-up path imports nothing of the command line
(argparse, json, the formats), which would cost start-up time for nothing.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Sequence

COMMANDS = (
    "load",
    "dump",
    "validate",
    "export",
    "import-xlsx",
    "verify",
    "attach",
    "new-year",
    "assign",
    "suggest",
    "backup",
    "backups",
    "restore",
)
EXIT_ERROR = 2


def run_command(argv: Sequence[str]) -> int:
    from csr_desktop.commands import run_command as run

    return run(argv)


def utf8_streams() -> None:
    """stdout and stderr in UTF-8 whatever the console's code page: redirected on Windows,
    stderr was GBK with escapes while stdout was UTF-8. (A windowed build has neither.)"""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "encoding", "").lower() != "utf-8":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors=errors)


def main(argv: Sequence[str] | None = None) -> int:
    """`sys.argv` is Python's own: on Windows built from the wide command line, so a project
    path outside the ANSI code page arrives whole (Qt's converted arguments lose it)."""
    utf8_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        try:
            return run_command(argv)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
    # No cyclic garbage collection until the first paint (run_app enables it then): the
    # objects start-up makes all live on, and collecting them cost ~15 ms before the window.
    gc.disable()
    try:
        try:
            from csr_desktop.app import run_app
        except ImportError as exc:
            print(
                f"csr-desktop: 无法启动图形界面：{exc}（可使用命令行子命令，见 --help）",
                file=sys.stderr,
            )
            return EXIT_ERROR
        return run_app(argv)
    finally:
        gc.enable()
