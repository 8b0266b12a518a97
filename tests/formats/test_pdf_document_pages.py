"""The complete 自评材料 PDF page by page: bookmarks open their own page, captions stay inside
the margins, evidence is shown legibly and each page names only the fonts it uses."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.pdf_document import export_document
from csr_desktop.formats.pdf_styles import MARGINS
from csr_desktop.sample import build_interchange

LONG_NAME = "关于" + "网络内容生态建设与未成年人保护专项工作" * 6  # 122 characters
LONG_FILE = "网络内容建设" * 13 + ".pdf"  # 82 characters, 238 bytes: near a file system's limit


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    cmd = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [squash(p) for p in out.split("\f")[:-1]]


def outline_pages(path: Path) -> list[tuple[str, int]]:
    reader = PdfReader(path)
    found: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def helvetica_pdf(path: Path, marker: str, pages: int, size: tuple[float, float] = A4) -> None:
    """An evidence PDF as other software writes it: the standard Helvetica, not embedded."""
    canvas = Canvas(str(path), pagesize=size)
    for k in range(1, pages + 1):
        canvas.setFont("Helvetica", 28)
        canvas.drawString(72, size[1] - 100, f"{marker}-{k}")
        canvas.rect(40, 40, size[0] - 80, size[1] - 80)
        canvas.showPage()
    canvas.save()


def _project(root: Path, with_files: bool) -> Path:
    project_path = root / "p.csrproj"
    interchange.load(build_interchange(root / "in", evidence_per_indicator=1), project_path)
    if not with_files:
        return project_path
    files = root / "files"
    files.mkdir()
    photo = Image.new("RGB", (1600, 1000), "#dde8f0")
    ImageDraw.Draw(photo).ellipse((500, 300, 1100, 700), fill="#c03030")
    photo.save(files / "现场照片.jpg", quality=90)
    helvetica_pdf(files / "制度文件.pdf", "EVIDENCE-PAGE", 3)
    helvetica_pdf(files / "横版报表.pdf", "WIDE-PAGE", 1, landscape(A4))
    long_file = files / LONG_FILE
    helvetica_pdf(long_file, "LONG-PAGE", 1)
    with Project.open(project_path) as project:
        added = project.add_evidence_files(
            3, [files / "现场照片.jpg", files / "制度文件.pdf", files / "横版报表.pdf", long_file]
        )
        items = list(project.assessment().answer(3).evidence)
        items[-1] = items[-1]._replace(name=LONG_NAME)
        items[-len(added)] = items[-len(added)]._replace(name=LONG_NAME[:60] + "现场照片")
        project.set_evidence(3, items, "长名称")
    return project_path


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "with-evidence-pdfs"])
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    project_path = _project(root, with_files=request.param)
    dest = root / "自评材料.pdf"
    with Project.open(project_path, readonly=True) as project:
        export_document(project, dest)
    return dest


def test_every_bookmark_opens_the_page_that_holds_its_heading(exported: Path) -> None:
    texts = page_texts(exported)
    entries = outline_pages(exported)
    assert len(entries) >= 28 + 4
    wrong = []
    for title, page in entries:
        heading = {"封面": "附件"}.get(title, title)
        if squash(heading) not in texts[page]:
            wrong.append((title, page + 1))
    assert not wrong, wrong
    assert len({page for _, page in entries}) > 20  # not all on one page
