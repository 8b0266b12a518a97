"""Run the exports the CLI asks for, each written atomically from a read-only project."""

from __future__ import annotations

import argparse
from typing import TextIO

from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project


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
        if args.xlsx and not department:
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
            for e in report.missing:
                print(
                    f"未附文件：第{e.indicator_no}项「{e.indicator_name}」"
                    f"佐证材料目录第{e.position}行“{e.item.name}”",
                    file=out,
                )
