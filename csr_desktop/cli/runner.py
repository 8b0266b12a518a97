"""Run one headless command (design.md's contract): parse its arguments, run its
`cmd_<name>.run`, and turn every failure into one line on stderr and an exit code
(`output.py` lists them)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType

from csr_desktop import __version__
from csr_desktop.cli.output import EXIT_DONE_UNPRINTED, EXIT_ERROR, Parser, state
from csr_desktop.core.errors import Cancelled, CsrError


def command_module(name: str) -> ModuleType:
    """`cmd_import_xlsx` for `import-xlsx`; only the command that runs is imported."""
    return importlib.import_module(f"csr_desktop.cli.cmd_{name.replace('-', '_')}")


def _parser(commands: Mapping[str, str], chosen: str | None) -> argparse.ArgumentParser:
    """Every command with its help line; the arguments of the chosen one only (its module
    imports the formats it needs)."""
    p = Parser(
        prog="csr-desktop",
        description="互联网平台企业履行社会责任自评材料 — 填写、保存与导出（离线）",
    )
    p.add_argument("--version", action="version", version=f"csr-desktop {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=Parser)
    for name, help_line in commands.items():
        s = sub.add_parser(name, help=help_line)
        if name == chosen:
            command_module(name).add_arguments(s)
    return p


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


def run(argv: Sequence[str], commands: Mapping[str, str]) -> int:
    """Run one headless command; every failure becomes one line and exit 2 (3: done, but
    not printed)."""
    _interrupt_on_sigterm()
    from csr_desktop.core import inflight
    from csr_desktop.core.atomic import remove_stale_temp_dirs

    inflight.sweep()  # what killed new-year, load and exports of earlier runs left anywhere
    remove_stale_temp_dirs()  # what killed exports of earlier runs left in the temp folder
    state.done = ""
    try:
        chosen = argv[0] if argv and argv[0] in commands else None
        args = _parser(commands, chosen).parse_args(argv)
        _check_inputs(args)
        code = int(command_module(args.command).run(args))
        output = state.output
        if output is not None:
            output.flush()
            if output.error is not None:
                raise output.error
        return code
    except (OSError, KeyboardInterrupt) as exc:
        if state.output is not None and state.output.error is not None:
            _silence_stdout()  # else the interpreter's last flush fails again (exit 120)
        if not state.done:
            return _failed(exc)
        _report(_unprinted(state.done, exc))
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
    elif state.output is not None and exc is state.output.error:
        from csr_desktop.core.os_errors import problem_text

        _report(f"无法输出结果：{problem_text(exc)}，未做任何修改 (cannot write the output)")
    else:
        from csr_desktop.core.os_errors import describe_os_error  # a full temp folder, …

        _report(describe_os_error(exc).one_line())
    return EXIT_ERROR
