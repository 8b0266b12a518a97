"""Word and Excel evidence shown in the complete PDF (pdftotext) and the Word version (its XML):
their headings, paragraphs, tables and values, the cap note, and where the original is."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.pdf.document import export_document
from csr_desktop.formats.word.document import export_docx
from csr_desktop.sample import build_interchange
from tests.formats import office_evidence as oe

SHOWN = [
    "数据安全管理工作报告",
    "一、制度建设",
    "制定《数据分类分级管理办法》",
    "数据出境评估",
    "整改率",
    "下一步将继续完善数据安全应急预案。",
    "原件见提交材料包（数据安全工作报告.docx）",
    "工作表“汇总”",
    "工作表“投诉台账”",
    "2024-08-20",
    "97.5%",
    "-5.0%",
    "TS00001",
    "2024年1月2日",
    "TS01996",  # the 2,000th row in all (3 of 汇总, the header and 1,996 of 投诉台账)
    "（其余内容见原件）",
    "原件见提交材料包（投诉台账.xlsx）",
    "旧版格式，内容未显示，原件见提交材料包（旧报告.doc）",
    "内容无法显示：文件内容是 PNG 图片，不是 Word 文档。原件见提交材料包（截图.docx）",
    "内容无法显示：其中的 word/document.xml 解压后为 200.0 MB，超过上限 100.0 MB，"
    "疑似压缩炸弹，已拒绝。原件见提交材料包（炸弹.docx）",
    "内容无法显示：文件设置了打开密码（已加密），无法读取。原件见提交材料包（加密台账.xlsx）",
    "内容无法显示：文件不完整或已损坏",
    "原件见提交材料包（损坏的报告.docx）",
]
NOT_SHOWN = ["TS01997", "TS03000"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("evtext")
    project_path = root / "p.csrproj"
    interchange.load(build_interchange(root / "in", evidence_per_indicator=0), project_path)
    old = root / "旧报告.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    broken = root / "损坏的报告.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 500)
    files = [
        oe.word_report(root / "数据安全工作报告.docx"),
        oe.excel_table(root / "投诉台账.xlsx"),
        old,
        oe.png_named_docx(root / "截图.docx"),
        oe.zip_bomb_docx(root / "炸弹.docx"),
        oe.encrypted_ooxml(root / "加密台账.xlsx"),
        broken,
    ]
    with Project.open(project_path) as project:
        project.add_evidence_files(3, files)
    with Project.open(project_path, readonly=True) as project:
        export_document(project, root / "自评材料.pdf")
        export_docx(project, root / "自评材料.docx")
    pdf_text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(root / "自评材料.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with zipfile.ZipFile(root / "自评材料.docx") as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    pages = [re.sub(r"\s+", "", page) for page in pdf_text.split("\f")]
    return {"pdf": re.sub(r"\s+", "", pdf_text), "pages": pages, "xml": xml}


def _docx_text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


@pytest.mark.parametrize("text", SHOWN)
def test_the_pdf_shows_the_content_of_word_and_excel_evidence(
    exported: dict[str, Any], text: str
) -> None:
    assert re.sub(r"\s+", "", text) in exported["pdf"]


@pytest.mark.parametrize("text", SHOWN)
def test_the_word_version_shows_the_content_of_word_and_excel_evidence(
    exported: dict[str, Any], text: str
) -> None:
    assert text in _docx_text(exported["xml"])


def test_both_stop_at_the_cap(exported: dict[str, Any]) -> None:
    for text in NOT_SHOWN:
        assert text not in exported["pdf"]
        assert text not in _docx_text(exported["xml"])


def test_only_the_capped_file_says_the_rest_is_in_the_original(exported: dict[str, Any]) -> None:
    assert exported["pdf"].count("（其余内容见原件）") == 1
    assert _docx_text(exported["xml"]).count("（其余内容见原件）") == 1


@pytest.mark.parametrize(
    ("file_name", "start"),
    [("数据安全工作报告.docx", "数据安全管理工作报告"), ("投诉台账.xlsx", "投诉处理")],
)
def test_an_items_header_stands_on_the_page_of_its_contents_start(
    exported: dict[str, Any], file_name: str, start: str
) -> None:
    intro = f"原件见提交材料包（{file_name}）"
    [page] = [p for p in exported["pages"] if intro in p]
    assert f"文件：{file_name}" in page and page.index(intro) < page.index(start)


def test_word_tables_repeat_their_header_and_name_the_east_asian_font(
    exported: dict[str, Any],
) -> None:
    xml = exported["xml"]
    start = xml.index("检查项目")
    table = xml[xml.rindex("<w:tbl>", 0, start) : xml.index("</w:tbl>", start)]
    assert '<w:tblHeader w:val="true"/>' in table
    assert table.count("<w:tr>") + table.count("<w:tr ") == 3
    assert 'w:eastAsia="宋体"' in table


def test_table_cells_keep_the_fallback_font(tmp_path: Path) -> None:
    """One-line cells are plain strings for speed; a character the main face lacks keeps its
    fallback face (the cell is a paragraph then)."""
    from reportlab.platypus import SimpleDocTemplate

    from csr_desktop.formats.evidence.text import EvidenceText, Table
    from csr_desktop.formats.pdf.evidence_text import evidence_text_flowables
    from csr_desktop.formats.pdf.styles import make_styles

    content = EvidenceText("Excel 工作簿", (Table((("名称", "说明"), ("𠀀字", "普通文字"))),))
    story = evidence_text_flowables(content, "a.xlsx", make_styles().cell, 400)
    pdf = tmp_path / "t.pdf"
    doc = SimpleDocTemplate(str(pdf))
    doc.build(story)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "𠀀字" in text and "普通文字" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "Hanazono" in fonts


def _pdf_pages(story: list[Any], path: Path) -> list[str]:
    from reportlab.platypus import SimpleDocTemplate

    from csr_desktop.formats.pdf.styles import MARGINS, PORTRAIT

    margins = {f"{side}Margin": MARGINS[side] for side in ("left", "right", "top", "bottom")}
    SimpleDocTemplate(str(path), pagesize=PORTRAIT, **margins).build(story)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")]


@pytest.mark.parametrize("left", [60, 150, 300])
@pytest.mark.parametrize("kind", ["table", "text"])
def test_an_items_header_is_never_left_alone_at_a_page_foot(
    tmp_path: Path, kind: str, left: float
) -> None:
    """However little room is left on the page: the item's header, the intro and the start of
    the content (a table's first rows, a heading and its paragraph's first lines) share a page,
    and a long table or paragraph starts on it rather than leaving a gap."""
    from reportlab.platypus import Spacer

    from csr_desktop.formats.evidence.text import EvidenceText, Heading, Paragraph, Table
    from csr_desktop.formats.pdf.document import PORTRAIT_FRAME, KeepStart
    from csr_desktop.formats.pdf.evidence_text import evidence_text_flowables
    from csr_desktop.formats.pdf.line_breaking import CjkParagraph
    from csr_desktop.formats.pdf.styles import make_styles

    st = make_styles()
    rows = (("编号", "名称"), *((f"TS{n:05d}", f"名称{n}") for n in range(200)))
    blocks = {
        "table": (Heading(1, "工作表“台账”"), Table(rows)),
        "text": (Heading(1, "年度报告"), Heading(2, "一、概况"), Paragraph("正文第一段。" * 400)),
    }[kind]
    content = EvidenceText("Excel 工作簿" if kind == "table" else "Word 文档", blocks)
    heading = CjkParagraph("1. 材料HEADER", st.item)
    listing = CjkParagraph("文件：材料（1 KB）<br/>SHA-256：abc", st.note)
    shown = evidence_text_flowables(content, "材料", st.cell, PORTRAIT_FRAME[0])
    filler = Spacer(0, PORTRAIT_FRAME[1] - left - 12)
    story = [filler, KeepStart([heading, listing, shown[0]], shown[1:]), heading, listing, *shown]
    pages = _pdf_pages(story, tmp_path / "t.pdf")
    [page] = [p for p in pages if "HEADER" in p]
    assert "原件见提交材料包（材料）" in page
    assert ("TS00002" in page) if kind == "table" else ("一、概况正文第一段。正文第一段。" in page)
    if left == 300:  # room enough: nothing moves to the next page
        assert pages.index(page) == 0
