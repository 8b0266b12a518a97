"""The PDF's faces after GB/T 9704: titles in the 小标宋 stand-in, 一级 headings 黑体, 二级 headings
楷体, body Song — each embedded on the pages that draw with it, the text extracting exactly, and a
heading character outside a face's GB 2312 subset drawn from the body face, never a box."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.outline import numbered
from csr_desktop.formats.pdf.document import export_document, heading
from csr_desktop.formats.pdf.fonts import HEI, KAI, MAIN, RARE, TITLE, font_chain, markup, runs
from csr_desktop.formats.pdf.letter import export_letter
from csr_desktop.formats.pdf.styles import TitleLine, canvas_class, make_styles
from csr_desktop.sample import build_interchange

# PostScript names of the embedded faces, as pdffonts lists them after the subset tag.
TITLE_PS = "CsrTitle-NotoSerifSC-Bold"
HEI_PS = "CsrHei-NotoSansSC-Medium"
KAI_PS = "CsrKai-ARPLUKaiCN"
BODY_PS = "NotoSerifSC-Regular"
RARE_PS = "CSRRareHan-HanazonoSubset"

OUTSIDE_GB2312 = "喆堃镕"  # name characters in GBK (Noto Serif SC) but not in GB 2312
EXT_B = "𡈼"  # U+2123C, in the bundled rare-han fallback only


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(pdf: Path, page: int) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return squash(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def faces_drawn(pdf: Path) -> list[set[str]]:
    """Per page, the fonts its content stream selects (`/Fn size Tf`), subset tag removed."""
    pages = []
    for page in PdfReader(pdf).pages:
        fonts = page["/Resources"]["/Font"]
        data = page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
        used = set(re.findall(r"/(F[\d+]+) [\d.]+ Tf", data))
        names = {str(fonts[f"/{name}"].get_object()["/BaseFont"]) for name in used}
        pages.append({name.lstrip("/").split("+", 1)[-1] for name in names})
    return pages


def pdffonts(pdf: Path, page: int) -> dict[str, str]:
    """pdffonts for one page: face (subset tag removed) → its 'emb' column."""
    cmd = ["pdffonts", "-f", str(page), "-l", str(page), str(pdf)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines()[2:]:
        cols = line.split()
        found[cols[0].split("+", 1)[-1]] = cols[-5]
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("faces")
    project_path = root / "样例.csrproj"
    interchange.load(build_interchange(root / "in", evidence_per_indicator=0), project_path)
    with Project.open(project_path, readonly=True) as project:
        export_document(project, root / "自评材料.pdf")
        export_letter(project, root / "诚信承诺书.pdf")
        iset = project.assessment().indicator_set
    document = root / "自评材料.pdf"
    texts = [page_text(document, n) for n in range(1, len(PdfReader(document).pages) + 1)]
    return {"document": document, "letter": root / "诚信承诺书.pdf", "iset": iset, "texts": texts}


def _page_of(exported: dict[str, Any], text: str) -> int:
    return next(n for n, t in enumerate(exported["texts"], start=1) if squash(text) in t)


def test_titles_and_headings_are_drawn_in_their_own_embedded_faces(
    exported: dict[str, Any],
) -> None:
    """The letter's title in the 小标宋 stand-in over a Song body; in the document the cover and
    the 自评表 titles too, and the first evidence page's 一级 heading in 黑体 and 二级 in 楷体."""
    iset = exported["iset"]
    document = exported["document"]
    drawn = faces_drawn(document)
    table_page = _page_of(exported, iset.title)
    evidence_page = _page_of(exported, f"{numbered(0)}、{iset.levels[0].name}")
    expected = {
        1: {TITLE_PS, BODY_PS},  # cover
        2: {TITLE_PS, BODY_PS},  # 承诺书
        table_page: {TITLE_PS, BODY_PS},
        evidence_page: {HEI_PS, KAI_PS, BODY_PS},
    }
    for page, faces in expected.items():
        assert faces <= drawn[page - 1], f"page {page} draws {drawn[page - 1]}"
        listed = pdffonts(document, page)
        assert all(listed[face] == "yes" for face in faces), listed
        assert "no" not in listed.values(), listed
    assert faces_drawn(exported["letter"])[0] == {TITLE_PS, BODY_PS}
    assert set(pdffonts(exported["letter"], 1).values()) == {"yes"}


def test_headings_in_the_new_faces_extract_exactly(exported: dict[str, Any]) -> None:
    iset = exported["iset"]
    whole = "".join(exported["texts"])
    ev = iset.evidence
    expected = [*iset.document_title_lines, iset.title]
    for number, level in enumerate(iset.levels):
        expected.append(f"{numbered(number)}、{level.name}")
        expected += [ev.heading_for(ind) for ind in level.indicators]
    for text in expected:
        assert squash(text) in whole, text
    letter = page_text(exported["letter"], 1)
    assert squash("".join(iset.commitment.title_lines)) in letter


def test_a_heading_character_outside_a_subset_comes_from_the_body_face() -> None:
    chain = font_chain()
    for face in (TITLE, HEI, KAI):
        assert all(ord(ch) in chain.charmaps[face] for ch in "佐证材料一级指标")
        assert not any(ord(ch) in chain.charmaps[face] for ch in OUTSIDE_GB2312)
        pieces = list(runs(f"负责人周{OUTSIDE_GB2312}{EXT_B}", chain, base=face))
        assert pieces == [(face, "负责人周"), (MAIN, OUTSIDE_GB2312), (RARE, EXT_B)]
    assert markup("周喆", base=HEI) == f'周<font face="{MAIN}">喆</font>'
    # UKai centres ， and 、 as Taiwan prints them: the body face's sit low left, as in mainland text.
    assert (
        markup("一、指标1：", base=KAI)
        == f'一<font face="{MAIN}">、</font>指标1<font face="{MAIN}">：</font>'
    )
    assert markup("周喆") == "周喆"


def test_a_rare_heading_character_prints_and_extracts(tmp_path: Path) -> None:
    styles = make_styles()
    text = f"一、周{OUTSIDE_GB2312}{EXT_B}工作室"
    pdf = tmp_path / "headings.pdf"
    story = [TitleLine(text), heading(text, styles.heading1), heading(text, styles.heading2)]
    SimpleDocTemplate(str(pdf)).build(story, canvasmaker=canvas_class(draft=False))
    assert page_text(pdf, 1) == squash(text) * 3
    assert faces_drawn(pdf)[0] == {TITLE_PS, HEI_PS, KAI_PS, BODY_PS, RARE_PS}
    assert set(pdffonts(pdf, 1).values()) == {"yes"}
