"""Render Word and Excel evidence as the complete 自评材料 shows it (issue 26) to PNG.

    .venv/bin/python scripts/evidence_text_pages.py [OUT_DIR]      (default: docs/)

Builds the sample project with a colleague's Word report, a two-sheet Excel table of 3,000
rows, an old .doc and a PNG named .docx under indicator 3, exports the PDF and the Word version
(converted by LibreOffice) and writes with poppler's pdftoppm:
- pdf-evidence-docx-xlsx.png     the Word report and the Excel table's start (PDF, two pages)
- pdf-evidence-xlsx-capped.png   the table's last page: the cap note and the unreadable files
- docx-evidence-docx-xlsx.png    the same in the Word version, as LibreOffice prints it
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _page_with(pdf: Path, text: str) -> int:
    pages = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    squashed = "".join(text.split())
    return next(n for n, page in enumerate(pages, start=1) if squashed in "".join(page.split()))


def _png(pdf: Path, page: int, dest: Path, pages: int = 1) -> None:
    """`pages` pages from `page` on, side by side."""
    from PIL import Image

    images = []
    for n in range(page, page + pages):
        stem = dest.with_name(f"{dest.stem}-{n}")
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-singlefile",
                "-f",
                str(n),
                "-l",
                str(n),
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        images.append(Image.open(stem.with_suffix(".png")))
    sheet = Image.new(
        "RGB", (sum(i.width for i in images) + 8 * (pages - 1), images[0].height), "#888"
    )
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width + 8
    sheet.save(dest, optimize=True)
    for image in images:
        Path(image.filename).unlink()
    print(dest)


def main(out: Path) -> None:
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.pdf.document import export_document
    from csr_desktop.formats.word.document import export_docx
    from csr_desktop.sample import build_interchange
    from tests.formats import office_evidence as oe

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project_path = root / "p.csrproj"
        interchange.load(build_interchange(root / "in", evidence_per_indicator=0), project_path)
        old = root / "旧报告.doc"
        old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        files = [
            oe.word_report(root / "数据安全工作报告.docx"),
            oe.excel_table(root / "投诉台账.xlsx"),
            old,
            oe.png_named_docx(root / "截图.docx"),
        ]
        with Project.open(project_path) as project:
            project.add_evidence_files(3, files)
        pdf, docx = root / "自评材料.pdf", root / "自评材料.docx"
        with Project.open(project_path, readonly=True) as project:
            export_document(project, pdf)
            export_docx(project, docx)
        intro = "以下为该 Word 文档"
        _png(pdf, _page_with(pdf, intro), out / "pdf-evidence-docx-xlsx.png", 2)
        _png(pdf, _page_with(pdf, "其余内容见原件"), out / "pdf-evidence-xlsx-capped.png")
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
            env=dict(os.environ, HOME=tmp),
        )
        word_pdf = docx.with_suffix(".pdf")
        _png(word_pdf, _page_with(word_pdf, intro), out / "docx-evidence-docx-xlsx.png", 2)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs")
