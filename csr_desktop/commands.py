"""The headless commands (design.md's contract), on the same core as the app.

Exit codes: 0 done, 1 validate found gaps / verify found differences, 2 bad input or a failed
operation — then exactly one line on stderr, Chinese first, and nothing half-written.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from csr_desktop import __version__
from csr_desktop.core.errors import Cancelled, CsrError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one Chinese line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CsrError(f"命令参数错误：{message}（用 --help 查看用法）", message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="csr-desktop",
        description="互联网平台企业履行社会责任自评材料 — 填写、保存与导出（离线）",
    )
    p.add_argument("--version", action="version", version=f"csr-desktop {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    s = sub.add_parser("load", help="由交换 JSON 创建项目（复制佐证材料）")
    s.add_argument("json", type=Path)
    s.add_argument("project", type=Path)
    s.add_argument("--force", action="store_true", help="覆盖已存在的项目文件")
    s = sub.add_parser("dump", help="输出项目的交换 JSON")
    s.add_argument("project", type=Path)
    s = sub.add_parser("validate", help="列出尚缺的内容")
    s.add_argument("project", type=Path)
    s = sub.add_parser("export", help="导出自评表、承诺书、完整自评材料或提交材料包")
    s.add_argument("project", type=Path)
    s.add_argument("--xlsx", type=Path)
    s.add_argument("--department", help="只导出该部门负责的指标（与 --xlsx 一起用）")
    s.add_argument("--pdf", type=Path, help="诚信承诺书")
    s.add_argument("--document", type=Path, help="完整自评材料 PDF")
    s.add_argument("--package", type=Path, help="提交材料包 zip")
    s = sub.add_parser("import-xlsx", help="把 Excel 自评表中的修改导入项目")
    s.add_argument("xlsx", type=Path)
    s.add_argument("project", type=Path)
    s.add_argument("--dry-run", action="store_true", help="只显示将要做的修改")
    s.add_argument("--on-conflict", choices=("keep", "take"), help="冲突时保留项目或采用工作簿")
    s = sub.add_parser("assign", help="指定指标的负责部门")
    s.add_argument("project", type=Path)
    s.add_argument("department")
    s.add_argument("numbers", nargs="+", metavar="NO")
    s = sub.add_parser("verify", help="校验提交材料包中每个文件的 SHA-256")
    s.add_argument("package", type=Path)
    return p


def _out() -> io.TextIOBase:
    """UTF-8 stdout whatever the console's code page (Windows)."""
    stream = sys.stdout
    if hasattr(stream, "reconfigure"):
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(encoding="utf-8")
    return stream  # type: ignore[return-value]


def cmd_load(args: argparse.Namespace) -> int:
    from csr_desktop.formats import interchange

    interchange.load(args.json, args.project, force=args.force)
    print(f"已创建项目 {args.project}", file=_out())
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange

    with Project.open(args.project, readonly=True) as project:
        data = interchange.dump(project)
    out = _out()
    out.write(json.dumps(data, ensure_ascii=False, indent=2))
    out.write("\n")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from csr_desktop.core.store import Project
    from csr_desktop.core.validation import has_gaps, validate

    with Project.open(args.project, readonly=True) as project:
        findings = validate(project.assessment(), project.file_is_intact)
    out = _out()
    for f in findings:
        print(f.line(), file=out)
    gaps = sum(1 for f in findings if f.severity.name == "GAP")
    if has_gaps(findings):
        print(f"共 {gaps} 处缺项，{len(findings) - gaps} 条提示。", file=out)
        return EXIT_FINDINGS
    print(f"材料完整，可以提交（{len(findings)} 条提示）。", file=out)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if not (args.xlsx or args.pdf or args.document or args.package):
        raise CsrError(
            "请至少指定一种导出：--xlsx、--pdf、--document 或 --package", "nothing to export"
        )
    from csr_desktop.formats import exports

    exports.export_from_cli(args, _out())
    return EXIT_OK


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from csr_desktop.formats import xlsx_import

    return xlsx_import.run_cli(args.xlsx, args.project, args.dry_run, _out(), args.on_conflict)


def cmd_assign(args: argparse.Namespace) -> int:
    from csr_desktop.formats import xlsx_departments

    return xlsx_departments.assign_cli(args.project, args.department, args.numbers, _out())


def cmd_verify(args: argparse.Namespace) -> int:
    from csr_desktop.formats import package

    return package.verify_cli(args.package, _out())


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "load": cmd_load,
    "dump": cmd_dump,
    "validate": cmd_validate,
    "export": cmd_export,
    "import-xlsx": cmd_import_xlsx,
    "assign": cmd_assign,
    "verify": cmd_verify,
}


def _report(message: str) -> None:
    print(f"csr-desktop: {message}", file=sys.stderr)


def run_command(argv: Sequence[str]) -> int:
    """Run one headless command; every failure becomes one line and exit 2."""
    try:
        args = _parser().parse_args(argv)
        return HANDLERS[args.command](args)
    except CsrError as exc:
        _report(exc.one_line())
        return EXIT_ERROR
    except Cancelled:
        _report("已取消，未做任何修改 (cancelled)")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _report("已中断，未做任何修改 (interrupted)")
        return EXIT_ERROR
    except Exception as exc:
        from csr_desktop.crashlog import log_exception

        log = log_exception(exc)
        _report(f"发生内部错误，详情已记录在 {log} (internal error: {type(exc).__name__})")
        return EXIT_ERROR
