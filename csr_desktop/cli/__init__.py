"""The `csr-desktop` entry point: a subcommand runs headless, anything else opens the app.

Kept tiny on purpose: the window's start-up path imports nothing of the command line
(argparse, json, the formats), which would cost start-up time for nothing. A command is run
by `runner.py` from its own `cmd_<name>.py`; `output.py` holds what they share.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Sequence

# The one list of commands, with the line `--help` shows for each; `cmd_<name>.py` (`-` as
# `_`) parses its arguments and runs it (calibre's db/cli). Nothing else is imported here.
COMMANDS: dict[str, str] = {
    "load": "由交换 JSON 创建项目（复制佐证材料）",
    "dump": "输出项目的交换 JSON",
    "validate": "列出尚缺的内容",
    "export": "导出自评表、承诺书、完整自评材料或提交材料包",
    "import-xlsx": "把 Excel 自评表中的修改导入项目",
    "attach": "附上佐证材料（1–28）或签章扫描件（letter / cover）",
    "new-year": "以上一年度项目为基础新建项目（每项指标待复核）",
    "assign": "指定指标的负责部门",
    "verify": "校验提交材料包中每个文件的 SHA-256",
    "suggest": "从社会责任报告（.docx/.pdf/.txt）中为每项指标查找素材",
    "backup": "立即备份（已备份过的佐证材料不再复制）",
    "backups": "列出备份：时间、大小、改了什么、谁改的",
    "restore": "把一份备份恢复为新项目（从不覆盖已有文件）",
}
EXIT_ERROR = 2


def run_command(argv: Sequence[str]) -> int:
    """Run one headless command (its exit code); argparse and the formats load only now."""
    from csr_desktop.cli.runner import run

    return run(argv, COMMANDS)


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
