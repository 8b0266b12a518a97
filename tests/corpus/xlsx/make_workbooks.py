"""Hostile and hand-made workbooks for the Excel import, generated at test time (no binary
blobs in the repository). Each maker takes the folder to write into and, where it edits a real
export, the path of a freshly exported workbook.

    python -m tests.corpus.xlsx.make_workbooks OUT_DIR   # write them all for a look by hand
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.template_seed import seed_rows

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def _replace_member(src: Path, dest: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == name else zin.read(info.filename))
    return dest


def not_a_zip(folder: Path) -> Path:
    path = folder / "文本改名.xlsx"
    path.write_text("序号,企业自评\n1,☑\n", encoding="utf-8")
    return path


def empty(folder: Path) -> Path:
    path = folder / "空文件.xlsx"
    path.write_bytes(b"")
    return path


def ole_xls(folder: Path) -> Path:
    path = folder / "旧版.xls.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return path


def word_document(folder: Path) -> Path:
    path = folder / "其实是Word.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return path


def truncated(folder: Path, export: Path) -> Path:
    path = folder / "截断.xlsx"
    data = export.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def corrupt(folder: Path, export: Path) -> Path:
    """Garbage written over the middle of the compressed worksheet data."""
    path = folder / "损坏.xlsx"
    data = bytearray(export.read_bytes())
    with zipfile.ZipFile(export) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    # local header: 30 bytes + name + extra; then the compressed data
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 40, start + info.compress_size - 40):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def zip_bomb_ratio(folder: Path, export: Path) -> Path:
    """A worksheet of 8 MB of spaces packed into a few KB."""
    path = folder / "压缩炸弹_比例.xlsx"
    filler = b"<!-- " + b" " * (8 * 1024 * 1024) + b" -->"
    with zipfile.ZipFile(export) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    head, _, tail = sheet.partition(b"?>")
    return _replace_member(export, path, "xl/worksheets/sheet1.xml", head + b"?>" + filler + tail)


def zip_bomb_size(folder: Path, export: Path) -> Path:
    """A shared-strings part that inflates to 120 MB."""
    path = folder / "压缩炸弹_大小.xlsx"
    shutil.copyfile(export, path)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh,
    ):
        block = b"\0" * (1024 * 1024)
        for _ in range(120):
            fh.write(block)
    return path


def zip_bomb_lying(folder: Path, export: Path) -> Path:
    """A member whose directory entries claim 300 bytes but whose data inflates to 50 MB."""
    path = folder / "压缩炸弹_伪造大小.xlsx"
    big = b"<x>" + b"A" * (50 * 1024 * 1024) + b"</x>"
    _replace_member(export, path, "xl/worksheets/sheet1.xml", big)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 300)  # the local header's size
    pos = data.find(b"PK\x01\x02")
    while pos != -1:  # and the central directory's
        name_len = struct.unpack("<H", data[pos + 28 : pos + 30])[0]
        if data[pos + 46 : pos + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 24, 300)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    return path


def too_many_members(folder: Path, export: Path) -> Path:
    path = folder / "成员过多.xlsx"
    shutil.copyfile(export, path)
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(2100):
            zf.writestr(f"customXml/item{i}.xml", "<a/>")
    return path


def xml_bomb(folder: Path, export: Path) -> Path:
    """Billion laughs in the workbook part."""
    path = folder / "XML炸弹.xlsx"
    with zipfile.ZipFile(export) as zf:
        wb = zf.read("xl/workbook.xml").decode("utf-8")
    body = wb.split("?>", 1)[-1]
    body = re.sub(r"<sheet ", '<sheet x="&lol9;" ', body, count=1)
    return _replace_member(export, path, "xl/workbook.xml", (BILLION_LAUGHS + body).encode("utf-8"))


def other_form(folder: Path) -> Path:
    path = folder / "通讯录.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "部门", "电话"])
    ws.append(["林晓雯", "合规部", "010-8888 6666"])
    wb.save(path)
    return path


def edited(export: Path, dest: Path, edit: Callable[[Workbook], None]) -> Path:
    """A copy of `export` changed the way a colleague would change it in a spreadsheet."""
    wb = load_workbook(export)
    edit(wb)
    wb.save(dest)
    return dest


def hand_typed(folder: Path, choose: Callable[[int, str], str]) -> Path:
    """The official table typed into a blank sheet from the template, no hidden sheet.

    Texts are the template's own (line breaks, "1全部参与", rows 14 and 20 without options);
    一级/二级 cells are merged as printed. `choose(no, printed_options)` returns what the
    person typed into 企业自评.
    """
    path = folder / "手工录入.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws["A1"] = "互联网平台企业履行社会责任自评表"
    ws.merge_cells("A1:G1")
    ws.append(["序号", "一级指标", "二级指标", "三级指标", "指标说明", "企业自评", "备注"])
    starts: dict[int, int] = {}  # column -> first row of the open merge
    rows = seed_rows()
    for no_text, l1, l2, name, desc, options, remark in rows:
        r = ws.max_row + 1
        for col, text in ((2, l1), (3, l2)):
            if text and col in starts and r - 1 > starts[col]:
                ws.merge_cells(
                    start_row=starts[col], start_column=col, end_row=r - 1, end_column=col
                )
            if text:
                starts[col] = r
        ws.append(
            [
                int(no_text),
                l1 or None,
                l2 or None,
                name,
                desc,
                choose(int(no_text), options),
                remark or None,
            ]
        )
    last = ws.max_row
    for col, first in starts.items():
        if last > first:
            ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)
    wb.save(path)
    return path


def libreoffice_resave(src: Path, outdir: Path) -> Path:
    """`src` opened and saved again as .xlsx by LibreOffice, as a colleague's Calc would."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: apt-get install libreoffice-calc-nogui"
    outdir.mkdir(parents=True, exist_ok=True)
    home = outdir / "lo-home"
    home.mkdir(exist_ok=True)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(src),
        ],
        env={**os.environ, "HOME": str(home)},
        check=True,
        capture_output=True,
        timeout=240,
    )
    out = outdir / f"{src.stem}.xlsx"
    assert out.exists() and out.resolve() != src.resolve()
    return out


def main() -> None:
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.xlsx.export import export_xlsx
    from csr_desktop.sample import build_interchange

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    project = out / "sample.csrproj"
    if not project.exists():
        interchange.load(build_interchange(out / "in"), project)
    export = out / "export.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, export)
    for make in (not_a_zip, empty, ole_xls, word_document, other_form):
        print(make(out))
    for make2 in (
        truncated,
        corrupt,
        zip_bomb_ratio,
        zip_bomb_size,
        zip_bomb_lying,
        too_many_members,
        xml_bomb,
    ):
        print(make2(out, export))


if __name__ == "__main__":
    main()
