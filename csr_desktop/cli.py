"""The `csr-desktop` entry point: a subcommand runs headless, anything else opens the app.

Kept tiny on purpose: the window's start-up path imports nothing of the command line
(argparse, json, the formats), which would cost start-up time for nothing.
"""

from __future__ import annotations

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
)
EXIT_ERROR = 2


def run_command(argv: Sequence[str]) -> int:
    from csr_desktop.commands import run_command as run

    return run(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        try:
            return run_command(argv)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
    try:
        from csr_desktop.app import run_app
    except ImportError as exc:
        print(
            f"csr-desktop: 无法启动图形界面：{exc}（可使用命令行子命令，见 --help）",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return run_app(argv)
