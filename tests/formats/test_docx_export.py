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
from csr_desktop.formats.word.document import export_docx
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


def _table(word: dict[str, Any]) -> Any:
    doc = Document(str(word["docx"]))
    headers = list(word["assessment"].indicator_set.table_headers)
    parts = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == headers]
    return doc, parts


def test_the_table_is_one_landscape_table_with_marks_and_merged_groups(
    word: dict[str, Any],
) -> None:
    """One w:tbl that Word/WPS paginates: an edit that lengthens a cell moves rows, not breaks."""
    doc, parts = _table(word)
    orientations = [s.page_width > s.page_height for s in doc.sections]
    assert orientations == [False, True, False]
    assert len(parts) == 1
    table = parts[0]
    first = [r.cells[0].text for r in table.rows[1:]]
    rows = [int(n) for n in first if n.isdigit()]
    assert rows == list(range(1, 29))
    assert all(n.isdigit() or n.endswith("（续）") for n in first)  # a continued 备注 says so
    trs = table._tbl.tr_lst
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)
    spans: dict[int, list[str]] = {1: [], 2: []}
    for tr in trs[1:]:
        for col, tc in enumerate(tr.tc_lst):
            merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            if col in spans and merge is not None and merge.get(qn("w:val")) == "restart":
                spans[col].append(tc.xpath("string(.)"))
    iset = word["assessment"].indicator_set
    assert spans[1] == [level.name for level in iset.levels]  # 一级 merged down its rows
    assert len(spans[2]) >= 10
    # No hard page break in the table's section: Word paginates it.
    body = doc.element.body
    landscape_end = body.xpath("./w:p[w:pPr/w:sectPr]")[1]
    between = [el for el in body.iterchildren()]
    start = between.index(table._tbl)
    section = between[start : between.index(landscape_end) + 1]
    assert not any(el.xpath(".//w:br[@w:type='page']") for el in section)
    text = squash("".join(word["pages"]))
    assert text.count("☑") == 28 and text.count("□") == 4 * 28
    for ind in iset.indicators:
        rating = word["assessment"].answer(ind.no).rating
        assert squash(ind.scale.option_text(rating)) + "☑" in text


def test_every_printed_page_of_the_table_starts_with_its_header(
    word: dict[str, Any],
) -> None:
    iset = word["assessment"].indicator_set
    pages = [squash(p) for p in word["pages"]]
    placed = [p for p in pages if "□" in p]  # the 自评表's pages
    assert len(placed) >= 3
    for page in placed:
        assert all(squash(h) in page for h in iset.table_headers)
    assert sum(squash(i.description)[:12] in "".join(placed) for i in iset.indicators) == 28


def test_styles_name_their_own_east_asian_fonts_and_no_theme_font(word: dict[str, Any]) -> None:
    """python-docx's template gives headings theme fonts (ja-JP: ＭＳ ゴシック, Calibri)."""
    with zipfile.ZipFile(word["docx"]) as zf:
        styles = zf.read("word/styles.xml").decode()
    assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=", styles)
    assert 'w:eastAsia="ja-JP"' not in styles
    doc = Document(str(word["docx"]))
    # The house style after GB/T 9704 (issue 26): body 仿宋, headings 黑体 then 楷体, titles
    # 方正小标宋 where installed, else 宋体 bold.
    faces = {"Normal": {"仿宋"}, "Heading 1": {"宋体", "方正小标宋简体"}}
    faces |= {"Heading 2": {"黑体"}, "Heading 3": {"楷体"}, "小节标题": {"仿宋"}}
    for name, allowed in faces.items():
        rpr = doc.styles[name].element.rPr
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")) in allowed, name
    assert doc.styles["Normal"].font.size.pt == 16  # 三号
    defaults = list(doc.styles.element.find(qn("w:docDefaults")).iter(qn("w:lang")))
    assert defaults and defaults[0].get(qn("w:eastAsia")) == "zh-CN"


def test_the_navigation_pane_holds_the_parts_levels_and_indicators_only(
    word: dict[str, Any],
) -> None:
    doc = Document(str(word["docx"]))
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    iset = word["assessment"].indicator_set
    assert [t for s, t in heads if s == "Heading 3"] == [
        iset.evidence.heading_for(i) for i in iset.indicators
    ]
    assert len([t for s, t in heads if s == "Heading 2"]) == len(iset.levels)
    assert len(heads) == 3 + len(iset.levels) + 28  # 承诺书, 自评表, 佐证材料
    assert not any("相关工作情况介绍" in t or "佐证材料具体内容" in t for _, t in heads)


def test_page_numbers_are_a_gongwens_at_the_outer_edge_and_none_on_the_cover(
    word: dict[str, Any],
) -> None:
    pages = [squash(p) for p in word["pages"]]
    assert not re.search(r"—\d+—", pages[0])
    for number, page in enumerate(pages[1:], start=2):
        assert f"—{number}—" in page, number
    doc = Document(str(word["docx"]))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert section.footer.paragraphs[0].alignment == 2  # odd pages: right
    assert section.even_page_footer.paragraphs[0].alignment == 0  # even pages: left


def test_document_properties_are_this_documents(word: dict[str, Any]) -> None:
    import datetime as dt

    doc = Document(str(word["docx"]))
    core = doc.core_properties
    company = word["assessment"].company["name"]
    assert core.author == company and core.title == word["assessment"].indicator_set.document_title
    age = dt.datetime.now(dt.UTC) - core.created.replace(tzinfo=dt.UTC)
    assert abs(age.total_seconds()) < 3600
    with zipfile.ZipFile(word["docx"]) as zf:
        app = zf.read("docProps/app.xml").decode()
    assert "<Application>csr-desktop " in app and "Macintosh" not in app
    assert "<Words>" not in app


def test_every_run_names_its_east_asian_font(word: dict[str, Any]) -> None:
    with zipfile.ZipFile(word["docx"]) as zf:
        body = zf.read("word/document.xml").decode()
    runs = re.findall(r"<w:r>.*?</w:r>|<w:r .*?</w:r>", body, flags=re.S)
    with_text = [r for r in runs if "<w:t" in r]
    assert len(with_text) > 300
    fonts = [re.search(r'w:eastAsia="([^"]+)"', r) for r in with_text]
    assert all(f is not None for f in fonts)
    assert {f.group(1) for f in fonts if f} <= {"宋体", "仿宋", "黑体", "楷体", "方正小标宋简体"}


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
