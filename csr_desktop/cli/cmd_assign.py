"""`csr-desktop assign PROJECT DEPARTMENT NO...`: who answers which indicators; one undo
step; "" clears."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, did, say
from csr_desktop.core import departments
from csr_desktop.core.operations.departments import assign
from csr_desktop.core.store import Project


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    p.add_argument("department")
    p.add_argument("numbers", nargs="+", metavar="NO")


def run(args: argparse.Namespace) -> int:
    department: str = args.department
    with Project.open(args.project) as project:
        numbers = departments.parse_numbers(project.indicator_set, args.numbers)
        assign(project, department, numbers)
        listed = "、".join(map(str, numbers))
        if department.strip():
            say(f"已将第{listed}项的负责部门设为“{department.strip()}”")
        else:
            say(f"已清除第{listed}项的负责部门")
    did("已指定负责部门")
    return EXIT_OK
