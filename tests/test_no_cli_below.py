"""Formats and core never print nor parse argv: they return report objects that the CLI
(`csr_desktop/cli/`) prints and the window shows (issue 28).

ruff's T201 does not see `print(…, file=out)`, the form a command-line helper takes, so the
source is read here: no `print` call, no `argparse`, no `sys.argv`, no `*_cli` function, no
text stream passed in to write on."""

from __future__ import annotations

import ast
from pathlib import Path

import csr_desktop

PACKAGE = Path(csr_desktop.__file__).parent
BELOW_CLI = ("core", "formats")


def _findings(path: Path, where: object) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "print":
                found.append(f"{line} print()")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            if "argparse" in names:
                found.append(f"{line} imports argparse")
        elif isinstance(node, ast.Attribute) and node.attr == "argv":
            found.append(f"{line} reads argv")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.endswith("_cli") or node.name.startswith("cli_"):
                found.append(f"{line} def {node.name}")
            for arg in node.args.args + node.args.kwonlyargs:
                if arg.annotation is not None and "TextIO" in ast.unparse(arg.annotation):
                    found.append(f"{line} {node.name}({arg.arg}: TextIO)")
    return found


def test_formats_and_core_neither_print_nor_parse_argv() -> None:
    found = [
        f
        for layer in BELOW_CLI
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for f in _findings(path, path.relative_to(PACKAGE.parent))
    ]
    assert found == [], "\n".join(found)


def test_the_check_sees_a_command_line_helper(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import argparse, sys\n"
        "from typing import TextIO\n"
        "def verify_cli(out: TextIO) -> None:\n"
        "    print(sys.argv, file=out)\n",
        encoding="utf-8",
    )
    kinds = sorted(f.split(" ", 1)[1] for f in _findings(sample, "sample.py"))
    assert kinds == [
        "def verify_cli",
        "imports argparse",
        "print()",
        "reads argv",
        "verify_cli(out: TextIO)",
    ]
