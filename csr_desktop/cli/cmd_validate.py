"""`csr-desktop validate PROJECT`: what is missing (exit 1 when anything is)."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_FINDINGS, EXIT_OK, say
from csr_desktop.core.store import Project
from csr_desktop.core.validation import has_gaps, validate


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)


def run(args: argparse.Namespace) -> int:
    with Project.open(args.project, readonly=True) as project:
        findings = validate(project.assessment(), project.file_is_intact)
    say(*(f.line() for f in findings))
    gaps = sum(1 for f in findings if f.severity.name == "GAP")
    if has_gaps(findings):
        say(f"共 {gaps} 处缺项，{len(findings) - gaps} 条提示。")
        return EXIT_FINDINGS
    say(f"材料完整，可以提交（{len(findings)} 条提示）。")
    return EXIT_OK
