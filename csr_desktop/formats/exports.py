"""Run the exports the CLI asks for, each written atomically from a read-only project."""

from __future__ import annotations

import argparse
from typing import TextIO

from csr_desktop.core.store import Project

LETTER_SCAN_MISSING = (
    "提示：尚未附上签章的诚信承诺书扫描件。请先导出承诺书 PDF，打印、签字盖章、扫描后用 "
    "“attach 项目 letter 扫描件”附上，再导出提交材料包"
)


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

            report = export_package(project, args.package)
            kind = "提交材料包（草稿：材料尚不完整）" if report.draft else "提交材料包"
            print(f"已导出{kind} {args.package}（{report.files} 个文件）", file=out)
            if not report.draft and "letter" not in report.scans:
                print(LETTER_SCAN_MISSING, file=out)
            for e in report.missing:
                print(
                    f"未附文件：第{e.indicator_no}项「{e.indicator_name}」"
                    f"佐证材料目录第{e.position}行“{e.item.name}”",
                    file=out,
                )
