"""Run the exports the CLI asks for, each written atomically from a read-only project."""

from __future__ import annotations

import argparse
from typing import TextIO

from csr_desktop.core.store import Project


def export_from_cli(args: argparse.Namespace, out: TextIO) -> None:
    with Project.open(args.project, readonly=True) as project:
        if args.xlsx:
            from csr_desktop.formats.xlsx_export import export_xlsx

            export_xlsx(project, args.xlsx)
            print(f"已导出自评表 {args.xlsx}", file=out)
        if args.pdf:
            from csr_desktop.formats.pdf_letter import export_letter

            export_letter(project, args.pdf)
            print(f"已导出诚信承诺书 {args.pdf}", file=out)
        if args.document:
            from csr_desktop.formats.pdf_document import export_document

            export_document(project, args.document)
            print(f"已导出完整自评材料 {args.document}", file=out)
        if args.package:
            from csr_desktop.formats.package import export_package

            export_package(project, args.package)
            print(f"已导出提交材料包 {args.package}", file=out)
