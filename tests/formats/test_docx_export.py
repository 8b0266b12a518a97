"""The Word version of the 自评材料: read back by LibreOffice and compared with the template."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image, ImageDraw

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.docx_export import export_docx
from csr_desktop.sample import build_interchange
from tests.template_seed import seed_rows, seed_text


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def libreoffice_pdf(docx: Path) -> Path:
    """Convert with a real LibreOffice, in a throw-away profile."""
    with tempfile.TemporaryDirectory() as home:
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(docx.parent),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env=dict(os.environ, HOME=home),
        )
    return docx.with_suffix(".pdf")


def pages_text(pdf: Path) -> list[str]:
    cmd = ["pdftotext", "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("docx")
    project_path = root / "p.csrproj"
    interchange.load(
        build_interchange(root / "in", evidence_per_indicator=1, hostile=True), project_path
    )
    photo = root / "现场照片.png"
    img = Image.new("RGB", (900, 600), "#dde8f0")
    ImageDraw.Draw(img).ellipse((300, 150, 600, 450), fill="#c03030")
    img.save(photo)
    with Project.open(project_path) as project:
        project.add_evidence_files(3, [photo])
        assessment = project.assessment()
    dest = root / "自评材料.docx"
    with Project.open(project_path, readonly=True) as project:
        draft = export_docx(project, dest)
    pdf = libreoffice_pdf(dest)
    return {"docx": dest, "pages": pages_text(pdf), "assessment": assessment, "draft": draft}


def test_libreoffice_reads_the_template_text_back(word: dict[str, Any]) -> None:
    text = squash("".join(word["pages"]))
    rows = seed_rows()
    assert len(rows) == 28
    found = [no for no, row in enumerate(rows, start=1) if squash(row[4]) in text]
    assert len(found) == 28  # every 指标说明 of the template
    seed = squash(seed_text())
    body = squash(word["assessment"].indicator_set.commitment.body)
    assert body in seed and body in text  # the letter, verbatim as the template prints it
    for line in word["assessment"].indicator_set.document_title_lines:
        assert squash(line) in squash(word["pages"][0])
    assert not word["draft"] and "草稿" not in text


def test_the_table_is_a_landscape_section_with_marks_and_merged_groups(
    word: dict[str, Any],
) -> None:
    doc = Document(str(word["docx"]))
    orientations = [s.page_width > s.page_height for s in doc.sections]
    assert orientations == [False, True, False]
    iset = word["assessment"].indicator_set
    parts = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(iset.table_headers)]
    assert len(parts) >= 2  # one table a page
    rows = [int(r.cells[0].text) for t in parts for r in t.rows[1:]]
    assert sorted(set(rows)) == list(range(1, 29)) and len(rows) == 28
    for table in parts:
        xml = table._tbl.xml
        spans = {1: [], 2: []}
        for row in table._tbl.tr_lst[1:]:
            for col, tc in enumerate(row.tc_lst):
                merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
                if col in spans and merge is not None:
                    spans[col].append(merge.get(qn("w:val")) or "continue")
        assert "w:vMerge" in xml
        assert spans[1] and spans[1][0] == "restart"  # 一级 merged within the page
    text = squash("".join(word["pages"]))
    assert text.count("☑") == 28 and text.count("□") == 4 * 28
    for ind in iset.indicators:
        rating = word["assessment"].answer(ind.no).rating
        assert squash(ind.scale.option_text(rating)) + "☑" in text


def test_every_printed_page_of_the_table_names_the_groups_of_its_rows(
    word: dict[str, Any],
) -> None:
    """LibreOffice prints a merged cell cut by a page break on one page only: none is cut."""
    iset = word["assessment"].indicator_set
    pages = [squash(p) for p in word["pages"]]
    table_pages = [p for p in pages if all(squash(h) in p for h in iset.table_headers)]
    assert len(table_pages) >= 3
    placed = 0
    for page in table_pages:
        for ind in iset.indicators:
            if squash(ind.description)[:12] in page:
                placed += 1
                assert squash(ind.level1) in page, (ind.no, ind.level1)
                assert squash(ind.level2) in page, (ind.no, ind.level2)
    assert placed >= 28


def test_every_run_names_its_east_asian_font(word: dict[str, Any]) -> None:
    with zipfile.ZipFile(word["docx"]) as zf:
        body = zf.read("word/document.xml").decode()
    runs = re.findall(r"<w:r>.*?</w:r>|<w:r .*?</w:r>", body, flags=re.S)
    with_text = [r for r in runs if "<w:t" in r]
    assert len(with_text) > 300
    fonts = [re.search(r'w:eastAsia="([^"]+)"', r) for r in with_text]
    assert all(f is not None for f in fonts)
    assert {f.group(1) for f in fonts if f} <= {"宋体", "仿宋"}


def test_evidence_sections_hold_narratives_catalogues_pictures_and_hashes(
    word: dict[str, Any],
) -> None:
    doc = Document(str(word["docx"]))
    assert len(doc.inline_shapes) == 1  # the photo, embedded
    text = squash("".join(word["pages"]))
    assessment = word["assessment"]
    ev = assessment.indicator_set.evidence
    for ind in assessment.indicator_set.indicators:
        assert squash(ev.catalogue_title_for(ind)) in text
        for item in assessment.answer(ind.no).evidence:
            assert squash(item.name) in text
            assert item.sha256 in text
    assert "=SUM(A1)" in text  # user text kept as text


def test_the_command_line_writes_the_word_version(
    tmp_path: Path, sample_project: Path, cli: Any
) -> None:
    dest = tmp_path / "自评材料.docx"
    done = cli("export", sample_project, "--docx", dest)
    assert done.returncode == 0, done.stderr
    assert "已导出完整自评材料（Word）" in done.stdout
    assert zipfile.is_zipfile(dest) and Document(str(dest)).tables
