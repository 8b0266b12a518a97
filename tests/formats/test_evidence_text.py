"""Word and Excel evidence read for the documents: content in order, capped, and every hostile
file answered with its reason in bounded time and memory (in a child process under a limit)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from csr_desktop.formats.evidence.text import (
    LEGACY_REASON,
    MAX_TABLE_ROWS,
    MAX_TEXT_CHARS,
    Heading,
    Paragraph,
    Table,
    read_evidence_text,
)
from tests.formats import office_evidence as oe

try:
    import resource
except ImportError:  # Windows: the hostile cases are posix_only
    resource = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30  # address space of the child: a blow-up fails fast
PEAK_RSS_MB = 300  # what one file may cost at most
SECONDS = 5.0  # what one file may take at most


def test_a_word_report_reads_as_headings_paragraphs_and_a_table_in_order(tmp_path: Path) -> None:
    content = read_evidence_text(oe.word_report(tmp_path / "a.bin"), "数据安全工作报告.docx")
    assert content is not None and not content.reason and not content.truncated
    assert [type(b) for b in content.blocks] == [
        Heading,
        Paragraph,
        Heading,
        Paragraph,
        Heading,
        Table,
        Paragraph,
    ]
    first, _, second = content.blocks[:3]
    assert isinstance(first, Heading) and first.level == 1 and first.text == "数据安全管理工作报告"
    assert isinstance(second, Heading) and second.level == 2
    table = content.blocks[5]
    assert isinstance(table, Table)
    assert table.rows == (
        ("检查项目", "次数", "整改率"),
        ("数据出境评估", "4", "100%"),
        ("权限复核", "12", "98%"),
    )
    assert "原件见提交材料包（数据安全工作报告.docx）" in content.intro("数据安全工作报告.docx")


def test_an_excel_table_shows_values_as_displayed_and_is_capped(tmp_path: Path) -> None:
    content = read_evidence_text(oe.excel_table(tmp_path / "b.bin"), "投诉台账.xlsx")
    assert content is not None and not content.reason
    assert content.truncated
    headings = [b.text for b in content.blocks if isinstance(b, Heading)]
    assert headings == ["工作表“汇总”", "工作表“投诉台账”"]
    summary, register = (b for b in content.blocks if isinstance(b, Table))
    assert summary.rows[1:] == (
        ("投诉处理", "2024-08-20", "97.5%"),
        ("隐私政策更新", "2024-03-01", "-5.0%"),
    )
    assert register.rows[1] == ("TS00001", "2024年1月2日", "退款", "已办结1")
    assert len(summary.rows) + len(register.rows) == MAX_TABLE_ROWS  # 3,001 rows in the file


def test_whole_numbers_typed_as_decimals_show_as_typed(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["人数", "比例"])
    ws.append([0.0, 3.0])
    ws.append([12.5, 40.0])
    wb.save(tmp_path / "n.bin")
    content = read_evidence_text(tmp_path / "n.bin", "统计.xlsx")
    assert content is not None and not content.truncated
    [table] = [b for b in content.blocks if isinstance(b, Table)]
    assert table.rows[1:] == (("0", "3"), ("12.5", "40"))


def test_a_damaged_file_that_starts_like_a_zip_gives_its_reason(tmp_path: Path) -> None:
    raw = tmp_path / "broken.bin"
    raw.write_bytes(b"PK\x03\x04 not a zip at all" * 20)
    content = read_evidence_text(raw, "坏.docx")
    assert content is not None and not content.blocks
    assert "已损坏" in content.reason and "broken" not in content.reason


def test_long_text_is_capped_at_about_twenty_pages(tmp_path: Path) -> None:
    doc = Document()
    for n in range(2_000):
        doc.add_paragraph(f"第{n}段" + "履行社会责任情况说明。" * 10)
    doc.save(tmp_path / "long.bin")
    content = read_evidence_text(tmp_path / "long.bin", "年度报告.docx")
    assert content is not None and content.truncated
    shown = sum(len(b.text) for b in content.blocks if isinstance(b, Paragraph))
    assert MAX_TEXT_CHARS * 0.9 < shown <= MAX_TEXT_CHARS + 1


def test_a_word_file_without_text_says_so(tmp_path: Path) -> None:
    Document().save(tmp_path / "empty.bin")
    content = read_evidence_text(tmp_path / "empty.bin", "空白.docx")
    assert content is not None and content.blocks == (Paragraph("（文件中没有文字内容）"),)


def test_a_full_spool_disk_is_said_as_such(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os
    import shutil

    def full(*_a: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", full)
    monkeypatch.setattr(shutil, "copyfile", full)
    content = read_evidence_text(oe.excel_table(tmp_path / "d.bin", rows=5), "台账.xlsx")
    assert content is not None and content.reason == "读取时出错（磁盘空间不足）"


def test_other_files_are_not_read_and_old_formats_are_named(tmp_path: Path) -> None:
    raw = tmp_path / "c.bin"
    raw.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert read_evidence_text(raw, "照片.png") is None
    for name in ("旧报告.doc", "旧台账.xls"):
        content = read_evidence_text(raw, name)
        assert content is not None and content.reason == LEGACY_REASON
        assert content.intro(name) == f"旧版格式，内容未显示，原件见提交材料包（{name}）"


def _cells_bomb_xlsx(path: Path) -> Path:
    """A small workbook whose sheet claims 1.6 million cells (stored, so no ratio alarm)."""
    oe.excel_table(path, rows=1)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts["xl/worksheets/sheet1.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1">' + b"<c/>" * 1_600_000 + b"</row></sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _workbook_with_sheet(path: Path, sheet: bytes, method: int = zipfile.ZIP_DEFLATED) -> Path:
    oe.excel_table(path, rows=1)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts["xl/worksheets/sheet1.xml"] = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + sheet
        + b"</worksheet>"
    )
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _wide_row_xlsx(path: Path) -> Path:
    """One row of 400,000 cells: openpyxl would build every one (17 s)."""
    row = b'<row r="1">' + b'<c t="n"><v>1</v></c>' * 400_000 + b"</row>"
    return _workbook_with_sheet(path, b"<sheetData>" + row + b"</sheetData>", zipfile.ZIP_STORED)


def _empty_rows(count: int) -> bytes:
    return b"".join(b'<row r="%d"><c r="A%d"/></row>' % (n, n) for n in range(1, count + 1))


def _unsized_sheet_xlsx(path: Path) -> Path:
    """No <dimension>: openpyxl parses the whole sheet on opening to learn its size."""
    return _workbook_with_sheet(path, b"<sheetData>" + _empty_rows(700_000) + b"</sheetData>")


def _empty_rows_xlsx(path: Path) -> Path:
    """700,000 empty rows after a sized header: read until the time is up, then capped."""
    sized = b'<dimension ref="A1:A700000"/><sheetData>'
    return _workbook_with_sheet(path, sized + _empty_rows(700_000) + b"</sheetData>")


def _many_headers_docx(path: Path) -> Path:
    """Ten header parts of 150,000 elements each: each within its bound, too many in all."""
    import io

    src = io.BytesIO()
    Document().save(src)
    header = (
        b'<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        + b"<w:p/>" * 150_000
        + b"</w:hdr>"
    )
    with zipfile.ZipFile(io.BytesIO(src.getvalue())) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    for n in range(10):
        parts[f"word/header{n}.xml"] = header
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def _truncated_docx(path: Path) -> Path:
    oe.word_report(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _largest_allowed_docx(path: Path) -> Path:
    """As many elements as a Word file may hold (just under the bound): read, then capped."""
    import io

    src = io.BytesIO()
    Document().save(src)
    body = (
        b'<?xml version="1.0"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 199_000 + b"</w:body></w:document>"
    )
    return oe._replace_member(src.getvalue(), "word/document.xml", body, path, zipfile.ZIP_STORED)


def _huge_text_docx(path: Path) -> Path:
    """40 MB of text in one paragraph, stored (no ratio alarm): too much to read in time."""
    import io

    src = io.BytesIO()
    Document().save(src)
    body = (
        b'<?xml version="1.0"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>" + "字".encode() * 14_000_000 + b"</w:t></w:r></w:p>"
        b"</w:body></w:document>"
    )
    return oe._replace_member(src.getvalue(), "word/document.xml", body, path, zipfile.ZIP_STORED)


def _billion_laughs_xlsx(path: Path) -> Path:
    oe.excel_table(path, rows=1)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "lol">{lol}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>&l9;</t></si></sst>"
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


HOSTILE = {
    "ten large headers": (_many_headers_docx, "报告.docx", "各部分共含有超过 800000 个 XML 元素"),
    "a row of 400,000 cells": (_wide_row_xlsx, "台账.xlsx", "有一行含有超过 16384 个单元格"),
    "a sheet without its size": (_unsized_sheet_xlsx, "台账.xlsx", "没有记录表格范围"),
    "700,000 empty rows": (_empty_rows_xlsx, "台账.xlsx", ""),
    "billion laughs in a workbook": (_billion_laughs_xlsx, "台账.xlsx", "XML 实体定义（DTD）"),
    "40 MB of text": (_huge_text_docx, "报告.docx", "文件内容过大"),
    "the most elements allowed": (_largest_allowed_docx, "报告.docx", ""),
    "zip bomb member": (oe.zip_bomb_docx, "报告.docx", "疑似压缩炸弹"),
    "billion laughs": (oe.billion_laughs_docx, "报告.docx", "含有 XML 实体定义（DTD）"),
    "a million tiny elements": (oe.million_elements_docx, "报告.docx", "超过 600000 个 XML 元素"),
    "a PNG named .docx": (oe.png_named_docx, "报告.docx", "文件内容是 PNG 图片，不是 Word 文档"),
    "encrypted OOXML": (oe.encrypted_ooxml, "台账.xlsx", "设置了打开密码（已加密）"),
    "encrypted OOXML named .docx": (oe.encrypted_ooxml, "报告.docx", "设置了打开密码（已加密）"),
    "1.6 million cells": (_cells_bomb_xlsx, "台账.xlsx", "个 XML 元素"),
    "half a file": (_truncated_docx, "报告.docx", "已损坏"),
}

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from csr_desktop.formats.evidence.text import read_evidence_text
def peak_mb():
    # VmHWM belongs to this program's own memory; ru_maxrss keeps the forked parent's peak
    # across exec (Linux), so a big pytest process made every case look like 300+ MB
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.monotonic()
content = read_evidence_text(Path(sys.argv[1]), sys.argv[2])
print(json.dumps({"reason": content.reason, "blocks": len(content.blocks),
                  "truncated": content.truncated,
                  "seconds": time.monotonic() - start,
                  "peak_mb": peak_mb()}))
"""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.posix_only("limits address space with resource.setrlimit in preexec_fn")
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_evidence_gives_its_reason_in_bounded_time_and_memory(
    case: str, tmp_path: Path
) -> None:
    make, name, reason = HOSTILE[case]
    raw = make(tmp_path / "spooled.bin")
    r = subprocess.run(
        [sys.executable, "-c", _CHILD, str(raw), name],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        preexec_fn=_limit,
        cwd=REPO,
    )
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    answer = json.loads(r.stdout)
    if reason:
        assert reason in answer["reason"], answer
        assert "spooled" not in answer["reason"]  # the temporary file is never named
        assert answer["blocks"] == 0
    else:
        assert answer["reason"] == "" and answer["truncated"], answer
    assert answer["seconds"] < SECONDS, answer
    assert answer["peak_mb"] < PEAK_RSS_MB, answer
