"""Run the exports the CLI asks for, each written atomically from a read-only project.

The exports are the registry's (formats/exporters.py): one `--<id>` option each, in the
registry's order, the same write() the window runs.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.exporters import EXPORTERS, LETTER_SCAN_MISSING

__all__ = ["LETTER_SCAN_MISSING", "export_from_cli", "requested"]


def requested(args: argparse.Namespace) -> bool:
    return any(getattr(args, e.id, None) for e in EXPORTERS)


def export_from_cli(args: argparse.Namespace, out: TextIO) -> None:
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
