"""The CLI package (issue 28): each command in its own `cli/cmd_<name>.py`, named once in
`cli.COMMANDS`; the entry point stays cheap and a command imports only its own module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import csr_desktop
from csr_desktop.cli import COMMANDS
from csr_desktop.cli.runner import command_module

CLI = Path(csr_desktop.__file__).parent / "cli"


def test_every_command_has_its_module_and_every_module_its_command() -> None:
    modules = {p.stem for p in CLI.glob("cmd_*.py")}
    assert modules == {f"cmd_{name.replace('-', '_')}" for name in COMMANDS}
    for name in COMMANDS:
        module = command_module(name)
        assert callable(module.add_arguments) and callable(module.run), name


def _imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_entry_point_imports_no_command_line_machinery() -> None:
    loaded = _imported_after("import csr_desktop.cli")
    assert not {"argparse", "json", "csr_desktop.cli.runner"} & loaded
    assert not any(m.startswith("csr_desktop.formats") for m in loaded)


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    project = tmp_path / "无.csrproj"
    loaded = _imported_after(
        "from csr_desktop.cli import run_command\n"
        f"assert run_command(['validate', {str(project)!r}]) == 2"
    )
    assert "csr_desktop.cli.cmd_validate" in loaded
    others = {m for m in loaded if m.startswith("csr_desktop.cli.cmd_")} - {
        "csr_desktop.cli.cmd_validate"
    }
    assert others == set()
    assert "openpyxl" not in loaded  # the export and import commands' formats stay out
