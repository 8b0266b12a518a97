"""Render the pages docs/ shows of the Excel 自评表 as LibreOffice and Gnumeric print it.

    .venv/bin/python scripts/xlsx_print_pages.py [OUT_DIR]      (default: docs/)

Builds the sample project with 3,000-character narratives and a long 备注 on row 5, exports
the workbook, prints it with LibreOffice (`soffice --convert-to pdf`) and Gnumeric
(`ssconvert`), and writes with poppler's pdftoppm, for READER in libreoffice and gnumeric:
- print-READER.png                   the 自评表's first page
- print-READER-remark-continued.png  a page of the long 备注 continued: the header row atop it
                                     (written by the exporter at its page break), the row
                                     labelled （续…）, its 一级/二级 labels again
- print-READER-evidence.png          a page of the 佐证材料 sheet where a 60-row 佐证材料目录
                                     (indicator 3) goes on: its header row again atop the page
                                     (written by the exporter at its page break), the footer
                                     numbered through the workbook, the same in both readers
- print-READER-evidence-narrative.png  a page a long narrative ends on, and the one before it:
                                     the box closed at the break (bottom edge drawn)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from openpyxl import load_workbook  # noqa: E402

from csr_desktop.core.assessment import EvidenceItem  # noqa: E402
from csr_desktop.core.store import Project  # noqa: E402
from csr_desktop.formats.interchange import load  # noqa: E402
from csr_desktop.formats.xlsx import layout  # noqa: E402
from csr_desktop.formats.xlsx.export import export_xlsx  # noqa: E402
from csr_desktop.sample import build_interchange  # noqa: E402

DPI = 110  # A4 landscape at 1287 × 910, as the earlier images
LONG_REMARK = "需要较长说明的备注，" * 130
LONG_CATALOGUE_NO, LONG_CATALOGUE = 3, 60


def _print(reader: str, xlsx: Path, folder: Path) -> Path:
    if reader == "gnumeric":
        pdf = folder / f"{xlsx.stem}.gnumeric.pdf"
        subprocess.run(["ssconvert", str(xlsx), str(pdf)], check=True, capture_output=True)
        return pdf
    home = folder / "lo-home"
    home.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", folder, xlsx],
        env={**os.environ, "HOME": str(home)},
        check=True,
        capture_output=True,
    )
    return folder / f"{xlsx.stem}.pdf"


def _pages(xlsx: Path) -> tuple[int, int, int]:
    """(the page of the first continued 备注, the 佐证材料's page where the long catalogue
    goes on, the page before the first break inside a narrative), from the exporter's own
    page breaks, which both readers print as they are."""
    wb = load_workbook(xlsx, read_only=False)
    ws = wb[layout.TABLE_SHEET]
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    first = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("（续"))
    before = len(breaks) + 1  # the 自评表's pages
    ev = wb[layout.EVIDENCE_SHEET]
    ev_breaks = sorted(b.id for b in ev.row_breaks.brk)
    repeated = next(
        b + 1
        for b in ev_breaks
        if isinstance(ev.cell(b + 2, 1).value, int)
        and ev.cell(b + 1, 2).value == "材料名称"  # the catalogue's header again
    )
    cut = next(b for b in ev_breaks if str(ev.cell(b + 1, 1).value).startswith("（续"))
    return (
        1 + sum(b < first for b in breaks),
        before + 1 + sum(b < repeated for b in ev_breaks),
        before + 1 + sum(b < cut for b in ev_breaks),
    )


def _png(pdf: Path, number: int, dest: Path) -> None:
    pages = ["-f", str(number), "-l", str(number), "-singlefile"]
    stem = dest.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), *pages, pdf, stem], check=True)
    print(dest)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = folder / "sample.csrproj"
        load(build_interchange(folder / "in", 2, narrative_chars=3000), project)
        with Project.open(project) as p:
            p.set("indicator.5.remark", LONG_REMARK)
            items = [
                EvidenceItem(f"长目录材料{k:02d}", f"第{k}份").to_json()
                for k in range(1, LONG_CATALOGUE + 1)
            ]
            p.set(f"indicator.{LONG_CATALOGUE_NO}.evidence", items)
        xlsx = folder / "自评表.xlsx"
        with Project.open(project, readonly=True) as p:
            export_xlsx(p, xlsx)
        continued, evidence, cut = _pages(xlsx)
        for reader in ("libreoffice", "gnumeric"):
            pdf = _print(reader, xlsx, folder)
            _png(pdf, 1, out / f"print-{reader}.png")
            _png(pdf, continued, out / f"print-{reader}-remark-continued.png")
            _png(pdf, evidence, out / f"print-{reader}-evidence.png")
            _png(pdf, cut, out / f"print-{reader}-evidence-narrative.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs")
