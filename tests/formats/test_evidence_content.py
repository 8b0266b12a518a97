"""Word and Excel evidence shown in the complete documents (issue 26): text and tables, capped,
under the import's bounds; a file that cannot be read is named with the reason."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.docx_export import export_docx
from csr_desktop.formats.evidence_content import MAX_ROWS, MORE, read_content
from csr_desktop.formats.pdf_document import export_document


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def word_report(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("二〇二四年网络安全工作总结WORD-MARKER")
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"格{r}{c}"
    doc.add_paragraph("结尾段落")
    doc.save(str(path))
    return path


def excel_table(path: Path, rows: int = 5) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "培训台账"
    ws.append(["日期", "课程", "人数"])
    for n in range(rows):
        ws.append([f"2024-03-{n % 28 + 1:02d}", f"课程{n}", n * 1.0])
    wb.save(str(path))
    return path


def test_a_word_report_gives_its_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    content = read_content(word_report(tmp_path / "总结.docx"), "docx")
    kinds = ["table" if b.rows else "p" for b in content.blocks]
    assert kinds == ["p", "table", "p"]
    assert content.blocks[1].rows[2] == ("格20", "格21", "格22")
    assert not content.truncated


def test_an_excel_table_is_capped_then_says_the_rest_is_in_the_original(tmp_path: Path) -> None:
    content = read_content(excel_table(tmp_path / "台账.xlsx", rows=MAX_ROWS + 50), "xlsx")
    [sheet] = content.blocks
    assert sheet.title == "培训台账" and sheet.rows[0] == ("日期", "课程", "人数")
    assert len(sheet.rows) == MAX_ROWS and content.truncated
    assert sheet.rows[1][2] == "0"  # 0.0 shown as a person would type it


def test_hostile_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip at all" * 20)
    with pytest.raises(CsrError) as err:
        read_content(broken, "docx")
    assert err.value.zh
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_STORED) as zf:  # no ratio to give it away
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<c/>" * 2_000_000)  # 2 M elements, 8 MB
    with pytest.raises(CsrError) as err:
        read_content(bomb, "xlsx")
    assert "XML 元素" in err.value.zh
    inflated = tmp_path / "膨胀.docx"
    with zipfile.ZipFile(inflated, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (200 * 1024 * 1024))  # 200 MB of spaces
    with pytest.raises(CsrError) as err:
        read_content(inflated, "docx")
    assert "压缩" in err.value.zh


def test_the_documents_show_word_and_excel_evidence(tmp_path: Path, sample_project: Path) -> None:
    report = word_report(tmp_path / "安全总结.docx")
    table = excel_table(tmp_path / "培训台账.xlsx")
    broken = tmp_path / "损坏的报告.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 500)
    with Project.open(sample_project) as project:
        project.add_evidence_files(9, [report, table, broken])
    pdf, docx = tmp_path / "自评材料.pdf", tmp_path / "自评材料.docx"
    with Project.open(sample_project, readonly=True) as project:
        export_document(project, pdf)
        export_docx(project, docx)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = squash(out)
    assert "WORD-MARKER" in text and "格21" in text and "结尾段落" in text
    assert "工作表：培训台账" in text and "课程4" in text
    assert text.count("原件见提交材料包") >= 3
    assert "损坏的报告.docx" in text and "无法读取文件内容" in text
    word = squash("\n".join(p.text for p in Document(str(docx)).paragraphs))
    assert "WORD-MARKER" in word and "工作表：培训台账" in word and "无法读取文件内容" in word
    cells = {c.text for t in Document(str(docx)).tables for r in t.rows for c in r.cells}
    assert {"格21", "课程4"} <= cells
    assert MORE not in text  # nothing was capped here
