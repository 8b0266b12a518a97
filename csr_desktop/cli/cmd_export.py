"""`csr-desktop export PROJECT --<id> FILE…`: one option per entry of the exporter registry
(formats/exporters.py), written by the same write() the window runs, from a read-only project."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, did, say
from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.exporters import EXPORTERS


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    for exporter in EXPORTERS:
        p.add_argument(f"--{exporter.id}", type=Path, help=exporter.option_help)
        if exporter.id == "xlsx":
            p.add_argument("--department", help="只导出该部门负责的指标（与 --xlsx 一起用）")


def run(args: argparse.Namespace) -> int:
    if not any(getattr(args, e.id, None) for e in EXPORTERS):
        options = [f"--{e.id}" for e in EXPORTERS]
        listed = "、".join(options[:-1]) + " 或 " + options[-1]
        raise CsrError(f"请至少指定一种导出：{listed}", "nothing to export")
    department = getattr(args, "department", None) or ""
    if department and not args.xlsx:
        raise CsrError("--department 只能与 --xlsx 一起使用", "--department needs --xlsx")
    if department:
        from csr_desktop.formats.xlsx.departments import send  # openpyxl: only when asked

        with Project.open(args.project) as project:  # notes that the workbook went out
            send(project, department, args.xlsx)
        say(f"已导出“{department}”的自评表 {args.xlsx}")
    with Project.open(args.project, readonly=True) as project:
        for exporter in EXPORTERS:
            dest = getattr(args, exporter.id, None)
            if not dest or (exporter.id == "xlsx" and department):
                continue
            say(*exporter.write(project, dest, None).lines())
    did("已导出")
    return EXIT_OK
