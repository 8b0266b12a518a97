"""Word and Excel evidence as colleagues send it, and hostile files dressed as such (for tests)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from openpyxl import Workbook

EXCEL_ROWS = 3_000


def word_report(path: Path) -> Path:
    """A department's report: title, headings, paragraphs and a table."""
    doc = Document()
    doc.add_heading("数据安全管理工作报告", level=1)
    doc.add_paragraph("本报告由信息安全部编写，说明本年度数据安全管理的主要做法和成效。")
    doc.add_heading("一、制度建设", level=2)
    doc.add_paragraph("制定《数据分类分级管理办法》，明确核心数据、重要数据的识别与保护要求。")
    doc.add_heading("二、检查情况", level=2)
    table = doc.add_table(rows=3, cols=3)
    for row, values in zip(
        table.rows,
        [("检查项目", "次数", "整改率"), ("数据出境评估", "4", "100%"), ("权限复核", "12", "98%")],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    doc.add_paragraph("下一步将继续完善数据安全应急预案。")
    doc.save(path)
    return path


def excel_table(path: Path, rows: int = EXCEL_ROWS) -> Path:
    """Two sheets: a summary with a date and percentages, and a long register of `rows` rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["项目", "完成日期", "完成率"])
    ws.append(["投诉处理", dt.date(2024, 8, 20), 0.975])
    ws.append(["隐私政策更新", dt.date(2024, 3, 1), -0.05])
    for row in (2, 3):
        ws.cell(row, 2).number_format = "yyyy-mm-dd"
        ws.cell(row, 3).number_format = "0.0%"
    register = wb.create_sheet("投诉台账")
    register.append(["编号", "受理日期", "类别", "处理结果"])
    for n in range(1, rows + 1):
        register.append(
            [f"TS{n:05d}", dt.date(2024, 1, 1) + dt.timedelta(days=n % 365), "退款", f"已办结{n}"]
        )
        register.cell(n + 1, 2).number_format = 'yyyy"年"m"月"d"日"'
    wb.save(path)
    return path


def zip_bomb_docx(path: Path) -> Path:
    """A .docx whose document.xml inflates 1000× (200 MB of spaces)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b" " * (1 << 20)
            for _ in range(200):
                fh.write(block)
    return path


def billion_laughs_docx(path: Path) -> Path:
    """A Word document whose body expands a billion-laughs entity."""
    src = io.BytesIO()
    Document().save(src)
    lol = "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' if i else '<!ENTITY lol0 "lol">'
        for i in range(10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{lol}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _replace_member(src.getvalue(), "word/document.xml", body.encode(), path)


def million_elements_docx(path: Path) -> Path:
    """A small file whose document.xml holds 10^6 empty paragraphs."""
    src = io.BytesIO()
    Document().save(src)
    body = (
        b'<?xml version="1.0"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + b"<w:p/>" * 1_000_000 + b"</w:body></w:document>"
    )
    return _replace_member(src.getvalue(), "word/document.xml", body, path, zipfile.ZIP_STORED)


def png_named_docx(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(path, "PNG")
    return path


def encrypted_ooxml(path: Path) -> Path:
    """What Word writes for a password-protected .docx: a compound file (CFB) holding
    EncryptionInfo and EncryptedPackage streams (a minimal one: header and directory)."""
    sector = 512
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")
    header[0x1A:0x1C] = (3).to_bytes(2, "little")
    header[0x1C:0x1E] = (0xFFFE).to_bytes(2, "little")
    header[0x1E:0x20] = (9).to_bytes(2, "little")
    header[0x20:0x22] = (6).to_bytes(2, "little")
    header[0x2C:0x30] = (1).to_bytes(4, "little")  # one FAT sector
    header[0x30:0x34] = (1).to_bytes(4, "little")  # directory starts at sector 1
    header[0x38:0x3C] = (4096).to_bytes(4, "little")
    header[0x3C:0x40] = (0xFFFFFFFE).to_bytes(4, "little")
    header[0x44:0x48] = (0xFFFFFFFE).to_bytes(4, "little")
    header[0x4C:0x50] = (0).to_bytes(4, "little")  # FAT at sector 0
    for i in range(1, 109):
        header[0x4C + 4 * i : 0x50 + 4 * i] = b"\xff\xff\xff\xff"
    fat = bytearray(b"\xff\xff\xff\xff" * (sector // 4))
    fat[0:4] = (0xFFFFFFFD).to_bytes(4, "little")
    fat[4:8] = (0xFFFFFFFE).to_bytes(4, "little")
    directory = bytearray(sector)
    for slot, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        raw = name.encode("utf-16-le") + b"\0\0"
        entry = slot * 128
        directory[entry : entry + len(raw)] = raw
        directory[entry + 0x40 : entry + 0x42] = len(raw).to_bytes(2, "little")
        directory[entry + 0x42] = 5 if slot == 0 else 2
    path.write_bytes(bytes(header) + bytes(fat) + bytes(directory))
    return path


def _replace_member(
    docx: bytes, member: str, data: bytes, path: Path, method: int = zipfile.ZIP_DEFLATED
) -> Path:
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(path, "w", method) as out:
        for info in src.infolist():
            out.writestr(info.filename, data if info.filename == member else src.read(info))
    return path
