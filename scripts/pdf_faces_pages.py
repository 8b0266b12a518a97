"""Render the PDF pages that show its faces (issue 26) to PNG at 80 dpi, for docs/.

    .venv/bin/python scripts/pdf_faces_pages.py [OUT_DIR]      (default: docs/)

From the sample project, with poppler's pdftoppm:
- pdf-document-cover.png     the cover: the title in the 小标宋 stand-in (Noto Serif SC Bold)
- pdf-letter.png             the 诚信承诺书 as exported on its own: title Bold, body Song 三号
- pdf-document-table.png     the 自评表's first page: its title Bold, the table Song
- pdf-document-evidence.png  the first 佐证材料 page: 一级 heading 黑体, 二级 楷体, narrative Song
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DPI = 80


def _page(pdf: Path, number: int, out: Path) -> None:
    stem = out.with_suffix("")
    args = ["-png", "-r", str(DPI), "-f", str(number), "-l", str(number), "-singlefile"]
    subprocess.run(["pdftoppm", *args, str(pdf), str(stem)], check=True)


def _find(pdf: Path, marker: str) -> int:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [re.sub(r"\s+", "", p) for p in out.split("\f")]
    return next(n for n, text in enumerate(pages, start=1) if marker in text)


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else REPO / "docs"
    out_dir.mkdir(parents=True, exist_ok=True)
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.outline import numbered
    from csr_desktop.formats.pdf.document import export_document
    from csr_desktop.formats.pdf.letter import export_letter
    from csr_desktop.sample import build_interchange

    with tempfile.TemporaryDirectory(prefix="csr-faces-") as tmp:
        root = Path(tmp)
        project_path = root / "样例.csrproj"
        interchange.load(build_interchange(root / "in", evidence_per_indicator=1), project_path)
        document, letter = root / "自评材料.pdf", root / "诚信承诺书.pdf"
        with Project.open(project_path, readonly=True) as project:
            export_document(project, document)
            export_letter(project, letter)
            iset = project.assessment().indicator_set
        _page(document, 1, out_dir / "pdf-document-cover.png")
        _page(letter, 1, out_dir / "pdf-letter.png")
        _page(document, _find(document, iset.title), out_dir / "pdf-document-table.png")
        first_level = f"{numbered(0)}、{iset.levels[0].name}"
        _page(document, _find(document, first_level), out_dir / "pdf-document-evidence.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
