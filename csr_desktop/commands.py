"""The headless commands (design.md's contract), on the same core as the app.

Exit codes: 0 done, 1 validate found gaps / verify found differences, 2 bad input or a failed
operation — then exactly one line on stderr, Chinese first, and nothing half-written —, 3 the
change was made (committed, or the export written) but its report could not be printed: a
full disk or a closed pipe on stdout must not make a script think nothing happened.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, cast

from csr_desktop import __version__
from csr_desktop.core.errors import Cancelled, CsrError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_DONE_UNPRINTED = 0, 1, 2, 3


class _Output(io.TextIOBase):
    """stdout that keeps the first failed write instead of raising it in the middle of a
    command: what the command changed is then reported truthfully at the end (`run_command`)."""

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


_output: _Output | None = None
_done = ""  # what the running command has committed, in words ("已添加"), once it has


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
    s.add_argument(
        "--allow-outside", action="store_true", help="允许复制 JSON 所在文件夹之外的佐证材料"
    )
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
    s.add_argument("--docx", type=Path, help="完整自评材料 Word 版")
    s.add_argument("--package", type=Path, help="提交材料包 zip")
    s = sub.add_parser("import-xlsx", help="把 Excel 自评表中的修改导入项目")
    s.add_argument("xlsx", type=Path)
    s.add_argument("project", type=Path)
    s.add_argument("--dry-run", action="store_true", help="只显示将要做的修改")
    s.add_argument("--on-conflict", choices=("keep", "take"), help="冲突时保留项目或采用工作簿")
    s = sub.add_parser("attach", help="附上佐证材料（1–28）或签章扫描件（letter / cover）")
    s.add_argument("project", type=Path)
    s.add_argument("target", help="三级指标序号 1–28，或 letter（承诺书）/ cover（封面）")
    s.add_argument("files", type=Path, nargs="+")
    s = sub.add_parser("new-year", help="以上一年度项目为基础新建项目（每项指标待复核）")
    s.add_argument("old", type=Path)
    s.add_argument("new", type=Path)
    s.add_argument("--indicator-set", type=Path, help="新版指标体系 JSON（按其对照表移动答案）")
    s = sub.add_parser("assign", help="指定指标的负责部门")
    s.add_argument("project", type=Path)
    s.add_argument("department")
    s.add_argument("numbers", nargs="+", metavar="NO")
    s = sub.add_parser("verify", help="校验提交材料包中每个文件的 SHA-256")
    s.add_argument("package", type=Path)
    s = sub.add_parser("suggest", help="从社会责任报告（.docx/.pdf/.txt）中为每项指标查找素材")
    s.add_argument("project", type=Path)
    s.add_argument("report", type=Path)
    s.add_argument("--top", type=int, default=3, help="每项指标最多列出几段（默认 3）")
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s = sub.add_parser("backup", help="立即备份（已备份过的佐证材料不再复制）")
    s.add_argument("project", type=Path)
    s.add_argument("--to", type=Path, help="备份文件夹（默认：本机数据文件夹下的 backups）")
    s = sub.add_parser("backups", help="列出备份：时间、大小、改了什么、谁改的")
    s.add_argument("project", type=Path)
    s.add_argument("--to", type=Path, help="备份文件夹（默认：本机数据文件夹下的 backups）")
    s = sub.add_parser("restore", help="把一份备份恢复为新项目（从不覆盖已有文件）")
    s.add_argument("backup", help="备份编号（backups 列出的）或备份文件路径")
    s.add_argument("new", type=Path)
    return p


def _out() -> TextIO:
    """UTF-8 stdout whatever the console's code page (Windows), failures kept (`_Output`)."""
    global _output
    if _output is None or _output.stream is not sys.stdout:
        stream = sys.stdout
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8")
        _output = _Output(stream)
    return cast(TextIO, _output)  # a text stream: the type the commands write to


def _did(words: str) -> None:
    """Note that the command's change is committed: a failure to print it must not say
    未做任何修改 (and a script must not retry it blindly: exit 3)."""
    global _done
    _done = words


def cmd_load(args: argparse.Namespace) -> int:
    from csr_desktop.formats import interchange

    interchange.load(
        args.json, args.project, force=args.force, allow_outside=args.allow_outside, out=_out()
    )
    _did(f"已创建项目 {args.project}")
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
    """The exports asked for, each the registry's (formats/exporters.py) `--<id>` option, in
    its order, with the same write() the window runs, from a read-only project."""
    from csr_desktop.core.store import Project
    from csr_desktop.formats.exporters import EXPORTERS

    if not any(getattr(args, e.id, None) for e in EXPORTERS):
        raise CsrError(
            "请至少指定一种导出：--xlsx、--pdf、--document、--docx 或 --package",
            "nothing to export",
        )
    out = _out()
    department = getattr(args, "department", None) or ""
    if department and not args.xlsx:
        raise CsrError("--department 只能与 --xlsx 一起使用", "--department needs --xlsx")
    if department:
        from csr_desktop.formats.xlsx_departments import send

        with Project.open(args.project) as project:  # notes that the workbook went out
            send(project, department, args.xlsx)
        print(f"已导出“{department}”的自评表 {args.xlsx}", file=out)
    with Project.open(args.project, readonly=True) as project:
        for exporter in EXPORTERS:
            dest = getattr(args, exporter.id, None)
            if not dest or (exporter.id == "xlsx" and department):
                continue
            for line in exporter.write(project, dest, None).lines():
                print(line, file=out)
    _did("已导出")
    return EXIT_OK


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from csr_desktop.formats import xlsx_import

    code = xlsx_import.run_cli(args.xlsx, args.project, args.dry_run, _out(), args.on_conflict)
    if code == EXIT_OK and not args.dry_run:
        _did("导入已完成")
    return code


def cmd_assign(args: argparse.Namespace) -> int:
    """`assign PROJECT DEPARTMENT NO...`: one undo step; "" clears."""
    from csr_desktop.core import departments
    from csr_desktop.core.operations.departments import assign
    from csr_desktop.core.store import Project

    out = _out()
    department: str = args.department
    with Project.open(args.project) as project:
        numbers = departments.parse_numbers(project.indicator_set, args.numbers)
        assign(project, department, numbers)
        listed = "、".join(map(str, numbers))
        if department.strip():
            print(f"已将第{listed}项的负责部门设为“{department.strip()}”", file=out)
        else:
            print(f"已清除第{listed}项的负责部门", file=out)
    _did("已指定负责部门")
    return EXIT_OK


def cmd_attach(args: argparse.Namespace) -> int:
    if args.target in ("letter", "cover"):
        from csr_desktop.formats.scans import attach_from_cli

        attach_from_cli(args.project, args.target, args.files, _out())
        _did("已附上签章扫描件")
        return EXIT_OK
    from csr_desktop.core.attach import attach_evidence

    done = attach_evidence(args.project, args.target, args.files)
    if done.added:
        _did("已添加")
    for line in done.lines:
        print(line, file=_out())
    return EXIT_OK


def cmd_new_year(args: argparse.Namespace) -> int:
    from csr_desktop.core.carry_over import carry_over, read_indicator_set

    iset = read_indicator_set(args.indicator_set) if args.indicator_set else None
    report = carry_over(args.old, args.new, iset)
    _did(f"已创建新项目 {args.new}")
    out = _out()
    for line in report.lines():
        print(line, file=out)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from csr_desktop.formats import package

    return package.verify_cli(args.package, _out())


def cmd_suggest(args: argparse.Namespace) -> int:
    from csr_desktop.core.store import Project
    from csr_desktop.formats.report.suggest_cli import as_json, plain_lines, suggestions_for

    if args.top < 1:
        raise CsrError("--top 必须是正整数", "--top must be at least 1")
    with Project.open(args.project, readonly=True) as opened:
        iset = opened.indicator_set
    report, found = suggestions_for(iset, args.report, args.top)
    out = _out()
    if args.json:
        out.write(json.dumps(as_json(report, found), ensure_ascii=False, indent=2))
        out.write("\n")
    else:
        for line in plain_lines(iset, report, found):
            print(line, file=out)
    return EXIT_OK


def _backup_root(args: argparse.Namespace) -> Path:
    from csr_desktop.core.backups import location

    if args.to is not None:
        return Path(args.to)
    if location.disabled_by_environment():
        raise CsrError(
            f"备份已被管理员关闭（环境变量 {location.ENV_SWITCH}）；如确需备份，请用 --to 指定文件夹",
            "backups are turned off",
        )
    return location.default_root()


def cmd_backup(args: argparse.Namespace) -> int:
    from csr_desktop.core.backups.take import take_backup

    result = take_backup(args.project, _backup_root(args))
    out = _out()
    print(result.line(), file=out)
    for name in result.dropped:
        print(f"按保留规则删除了旧备份 {name}", file=out)
    if result.full_check:
        print(
            f"已重新核对备份文件夹中每个文件的 SHA-256（每周一次）："
            f"{len(result.damaged)} 个损坏" + ("" if not result.damaged else "，已删除并重新复制"),
            file=out,
        )
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from csr_desktop.core.backups import files
    from csr_desktop.core.backups.listing import list_for_project
    from csr_desktop.core.backups.take import policy_words

    folder, found = list_for_project(args.project, _backup_root(args))
    out = _out()
    if not found:
        print(f"没有备份（备份文件夹：{folder}）", file=out)
        return EXIT_OK
    for info in found:
        print(
            f"{info.id}  {info.when()}  {info.size / 1e6:.1f} MB  {info.files} 个文件  "
            f"{info.changed_words()}  修改人：{info.by_whom()}",
            file=out,
        )
        print(f"    {info.path}", file=out)
    used = files.folder_size(folder)
    print(
        f"共 {len(found)} 份备份，占用 {used / 1e6:.1f} MB（{folder}）；{policy_words()}", file=out
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from csr_desktop.core.backups.listing import find_backup
    from csr_desktop.core.backups.restore import restore

    report = restore(find_backup(args.backup), args.new)
    print(report.line(), file=_out())
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "load": cmd_load,
    "dump": cmd_dump,
    "validate": cmd_validate,
    "export": cmd_export,
    "import-xlsx": cmd_import_xlsx,
    "assign": cmd_assign,
    "verify": cmd_verify,
    "attach": cmd_attach,
    "new-year": cmd_new_year,
    "suggest": cmd_suggest,
    "backup": cmd_backup,
    "backups": cmd_backups,
    "restore": cmd_restore,
}


def _report(message: str) -> None:
    from csr_desktop.core.visible import visible

    print(f"csr-desktop: {visible(message)}", file=sys.stderr)


def _check_inputs(args: argparse.Namespace) -> None:
    """Refuse a FIFO, a device or a folder given as an input file by name, before anything
    opens it: opening a FIFO blocks until someone writes to it."""
    names = (
        ("json", "xlsx", "package")
        if args.command == "load"
        else ("project", "xlsx", "package", "report")
    )
    for name in names:
        path = getattr(args, name, None)
        if path is not None and os.path.lexists(path):
            from csr_desktop.core.bounded_read import check_regular

            check_regular(path)


def _interrupt_on_sigterm() -> None:
    """SIGTERM (a logout, a task manager's 结束任务) unwinds like Ctrl+C, so every `finally`
    removes its temp file and no half-written copy is left behind."""
    import signal

    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError, OSError):  # not the main thread: leave it
        signal.signal(signal.SIGTERM, handler)


def run_command(argv: Sequence[str]) -> int:
    """Run one headless command; every failure becomes one line and exit 2 (3: done, but
    not printed)."""
    _interrupt_on_sigterm()
    from csr_desktop.core import inflight
    from csr_desktop.core.atomic import remove_stale_temp_dirs

    inflight.sweep()  # what killed new-year, load and exports of earlier runs left anywhere
    remove_stale_temp_dirs()  # what killed exports of earlier runs left in the temp folder
    global _done
    _done = ""
    try:
        args = _parser().parse_args(argv)
        _check_inputs(args)
        code = HANDLERS[args.command](args)
        _out().flush()
        if _output is not None and _output.error is not None:
            raise _output.error
        return code
    except (OSError, KeyboardInterrupt) as exc:
        if _output is not None and _output.error is not None:
            _silence_stdout()  # else the interpreter's last flush fails again (exit 120)
        if not _done:
            return _failed(exc)
        _report(_unprinted(_done, exc))
        return EXIT_DONE_UNPRINTED
    except CsrError as exc:
        _report(exc.one_line())
        return EXIT_ERROR
    except Cancelled:
        _report("已取消，未做任何修改 (cancelled)")
        return EXIT_ERROR
    except Exception as exc:
        from csr_desktop.crashlog import log_exception

        log = log_exception(exc)
        _report(f"发生内部错误，详情已记录在 {log} (internal error: {type(exc).__name__})")
        return EXIT_ERROR


def _unprinted(done: str, exc: BaseException) -> str:
    """The change is made; only its report is lost (exit 3)."""
    if isinstance(exc, BrokenPipeError):
        why = "输出已被关闭（管道的另一端已退出）"
    elif isinstance(exc, OSError):
        from csr_desktop.core.os_errors import problem_text

        why = problem_text(exc)
    else:
        why = "输出时被中断"
    return f"{done}，但无法输出结果：{why} (done, but the output could not be written)"


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter closes it


def _failed(exc: OSError | KeyboardInterrupt) -> int:
    """Nothing was committed: the usual one line and exit 2."""
    if isinstance(exc, KeyboardInterrupt):
        _report("已中断，未做任何修改 (interrupted)")
    elif isinstance(exc, BrokenPipeError):
        # the reader of our output went away (`| head`): nothing of ours failed
        _silence_stdout()
        _report("输出已被关闭（管道的另一端已退出），输出不完整 (broken pipe)")
    elif _output is not None and exc is _output.error:
        from csr_desktop.core.os_errors import problem_text

        _report(f"无法输出结果：{problem_text(exc)}，未做任何修改 (cannot write the output)")
    else:
        from csr_desktop.core.os_errors import describe_os_error  # a full temp folder, …

        _report(describe_os_error(exc).one_line())
    return EXIT_ERROR
