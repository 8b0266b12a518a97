"""Render the pages docs/ shows of the complete 自评材料 (PDF and Word) to PNG.

    .venv/bin/python scripts/export_pages.py [OUT_DIR]      (default: docs/)

Builds the sample project with evidence that used to print badly — a 120-character 材料名称,
a landscape evidence PDF, the same photo under many indicators, stamped scans — exports the
PDF and the Word version (converted by LibreOffice), and writes with poppler's pdftoppm:
- pdf-evidence-long-caption.png    a wrapped caption over an evidence PDF page
- pdf-evidence-landscape.png       a landscape evidence page on a landscape page
- pdf-evidence-picture.png         a picture with its caption and SHA-256, kept together
- pdf-table-columns.png            the 自评表's first page: names whole in their columns
- pdf-bookmarks.png                the pages three bookmarks open (their titles above each)
- pdf-scanned-letter.png           the stamped scan in place of the generated 承诺书
- docx-cover.png, docx-letter.png, docx-table.png, docx-table-2.png, docx-evidence.png  the
  Word version, as LibreOffice prints it (the 自评表 one table, its header repeated by Word)
Issue 25's fixed defects:
- pdf-evidence-header-on-page.png  an evidence item's header on the page of its first page
- pdf-table-last-page.png          the 自评表's last page: rows, then the departures note
- pdf-remark-continued.png         a long 备注 continued, its row labelled (续, 见上页)
- pdf-letter-for-signing.png       the 承诺书 printed while indicators are open: no 草稿, no footer
- pdf-scan-changed.png             a letter edited after its scan: the scan page says so
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

REPO = Path(__file__).resolve().parent.parent
LONG_NAME = "关于" + "网络内容生态建设与未成年人保护专项工作" * 6


def _pdf(path: Path, marker: str, size: tuple[float, float] = A4) -> None:
    canvas = Canvas(str(path), pagesize=size)
    canvas.setFont("Helvetica", 28)
    canvas.drawString(72, size[1] - 100, marker)
    canvas.rect(40, 40, size[0] - 80, size[1] - 80)
    canvas.showPage()
    canvas.save()


def _page(pdf: Path, number: int, out: Path, dpi: int = 60) -> Path:
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(number),
            "-l",
            str(number),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    return out


def _texts(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return ["".join(p.split()) for p in out.split("\f")[:-1]]


def _labelled(pages: list[tuple[str, Path]], out: Path) -> None:
    """Page images side by side, each under the bookmark title that opens it."""
    images = [(title, Image.open(path).convert("RGB")) for title, path in pages]
    from csr_desktop.resources import resource_path

    font = ImageFont.truetype(str(resource_path("fonts", "NotoSerifSC-Regular.ttf")), 15)
    width = sum(img.width for _, img in images) + 20 * (len(images) + 1)
    height = max(img.height for _, img in images) + 80
    sheet = Image.new("RGB", (width, height), "#e8e8e8")
    draw = ImageDraw.Draw(sheet)
    x = 20
    for title, img in images:
        name, _, page = title.partition(" → ")
        draw.text((x, 8), f"书签：{name}", fill="black", font=font)
        draw.text((x, 32), f"→ {page}", fill="black", font=font)
        sheet.paste(img, (x, 65))
        x += img.width + 20
    sheet.save(out)


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else REPO / "docs"
    out_dir.mkdir(parents=True, exist_ok=True)
    from pypdf import PdfReader

    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.evidence.scan_files import attach_scan
    from csr_desktop.formats.pdf.document import export_document
    from csr_desktop.formats.word.document import export_docx
    from csr_desktop.sample import build_interchange

    with tempfile.TemporaryDirectory(prefix="csr-pages-") as tmp:
        root = Path(tmp)
        project_path = root / "样例.csrproj"
        interchange.load(build_interchange(root / "in", evidence_per_indicator=1), project_path)
        photo = root / "现场照片.jpg"
        img = Image.new("RGB", (1600, 1000), "#dde8f0")
        ImageDraw.Draw(img).ellipse((500, 300, 1100, 700), fill="#c03030")
        img.save(photo, quality=90)
        _pdf(root / "制度文件.pdf", "EVIDENCE-PAGE")
        _pdf(root / "横版报表.pdf", "WIDE-PAGE", landscape(A4))
        long_file = root / ("网络内容建设" * 13 + ".pdf")
        _pdf(long_file, "LONG-PAGE")
        with Project.open(project_path) as project:
            project.add_evidence_files(
                3, [photo, root / "制度文件.pdf", root / "横版报表.pdf", long_file]
            )
            items = list(project.assessment().answer(3).evidence)
            items[-1] = items[-1]._replace(name=LONG_NAME)
            project.set_evidence(3, items, "长名称")
            remark = "".join(f"第{n}条：已按要求完成整改并形成书面记录。" for n in range(1, 60))
            project.set("indicator.9.remark", remark)
        pdf = root / "自评材料.pdf"
        docx = root / "自评材料.docx"
        with Project.open(project_path, readonly=True) as project:
            export_document(project, pdf)
            export_docx(project, docx)
        texts = _texts(pdf)

        def find(marker: str) -> int:
            return next(i for i, t in enumerate(texts) if marker in t) + 1

        _page(pdf, find("LONG-PAGE"), out_dir / "pdf-evidence-long-caption.png")
        _page(pdf, find("WIDE-PAGE"), out_dir / "pdf-evidence-landscape.png")
        _page(pdf, find("文件：现场照片.jpg"), out_dir / "pdf-evidence-picture.png")
        _page(pdf, find("序号一级指标"), out_dir / "pdf-table-columns.png", dpi=70)
        _page(pdf, find("EVIDENCE-PAGE"), out_dir / "pdf-evidence-header-on-page.png")
        _page(pdf, find("与模板的差异说明"), out_dir / "pdf-table-last-page.png", dpi=70)
        _page(pdf, find("（见上页）"), out_dir / "pdf-remark-continued.png", dpi=70)
        from csr_desktop.formats.pdf.letter import export_letter

        letter_pdf = root / "承诺书.pdf"
        with Project.open(project_path) as project:
            rating = project.assessment().answer(5).rating
            project.set("indicator.5.rating", None)  # a department still answering
            export_letter(project, letter_pdf)
            project.set("indicator.5.rating", rating)
        _page(letter_pdf, 1, out_dir / "pdf-letter-for-signing.png")
        reader = PdfReader(pdf)
        flat: list[object] = []

        def walk(items: list[object]) -> None:
            for item in items:
                walk(item) if isinstance(item, list) else flat.append(item)

        walk(reader.outline)
        chosen = [
            m
            for m in flat
            if str(getattr(m, "title", "")).startswith(
                ("诚信承诺书", "三级指标7：", "三级指标20：")
            )
        ]
        pages = []
        for n, mark in enumerate(chosen):
            number = reader.get_destination_page_number(mark) + 1
            pages.append(
                (f"{mark.title} → 第 {number} 页", _page(pdf, number, root / f"b{n}.png", dpi=40))
            )
        _labelled(pages, out_dir / "pdf-bookmarks.png")

        scan_letter = root / "承诺书_盖章扫描.jpg"
        _page(pdf, 2, scan_letter.with_suffix(".png"), dpi=100)
        page = Image.open(scan_letter.with_suffix(".png")).convert("RGB")
        w, h = page.size
        stamped = Image.new("RGB", (w, h), "white")  # the printed page, its footer left off
        stamped.paste(page.crop((0, 0, w, int(h * 0.86))), (0, 0))
        draw = ImageDraw.Draw(stamped)
        draw.ellipse((w * 0.55, h * 0.62, w * 0.85, h * 0.83), outline="#c00000", width=6)
        stamped.rotate(0.6, fillcolor="white").save(scan_letter, quality=80)
        with Project.open(project_path) as project:
            attach_scan(project, "letter", scan_letter)
        with Project.open(project_path, readonly=True) as project:
            export_document(project, pdf)
        _page(pdf, 2, out_dir / "pdf-scanned-letter.png")
        with Project.open(project_path) as project:
            project.set("commitment.date", "2030-01-02")
        changed = root / "changed.pdf"
        with Project.open(project_path, readonly=True) as project:
            export_document(project, changed)
        _page(changed, 2, out_dir / "pdf-scan-changed.png")

        with tempfile.TemporaryDirectory() as home:
            subprocess.run(
                [
                    "soffice",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(root),
                    str(docx),
                ],
                check=True,
                capture_output=True,
                env=dict(os.environ, HOME=home),
                timeout=300,
            )
        word_pdf = docx.with_suffix(".pdf")
        shutil.copy(word_pdf, root / "word.pdf")
        word_texts = _texts(word_pdf)
        _page(word_pdf, 1, out_dir / "docx-cover.png")
        _page(word_pdf, 2, out_dir / "docx-letter.png")
        _page(word_pdf, 3, out_dir / "docx-table.png", dpi=70)
        _page(word_pdf, 4, out_dir / "docx-table-2.png", dpi=70)  # its groups named again
        evidence = next(i for i, t in enumerate(word_texts) if "文件：现场照片.jpg" in t) + 1
        _page(word_pdf, evidence, out_dir / "docx-evidence.png")
    print(f"page images written to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
