"""Bounds on what a workbook may make openpyxl build, checked before openpyxl sees it.

The zip limits bound bytes, not work: 21 MB of `<si><t>x</t></si>` is a million shared
strings, and openpyxl turns every `<xf>` of the style sheet into objects (1.2 million of them
took 80 s and 1.4 GB). So the XML parts are streamed once and their elements counted with
byte counts (no parsing), and a workbook that holds far more strings, styles or cells than any
self-assessment table is refused before it is parsed. Also refused: a part present twice in
the zip (which copy Excel shows is not ours to guess) and a name Excel would not open.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from pathlib import Path

from csr_desktop.core.errors import InputFileError, quoted

# The form has 28 rows; a real workbook returned from a colleague has a few thousand cells,
# a few hundred shared strings and styles. The bounds are a hundred times that and more.
MAX_SHARED_STRING_ELEMENTS = 100_000  # <si>, <t>, <r>, <rPr>… of xl/sharedStrings.xml
MAX_STYLE_ELEMENTS = 30_000  # <xf>, <font>, <fill>…; real workbooks have hundreds
MAX_SHEET_ELEMENTS = 1_500_000  # <row>, <c>, <v>… of all worksheets together
MAX_OTHER_ELEMENTS = 200_000  # any other XML part (drawings, comments, relationships…)
# A cell carries 3 attributes, a cell format up to 10; text may hold `="` too, hence the spare.
ATTRIBUTES_PER_ELEMENT = 12
SPARE_ATTRIBUTES = 20_000
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_CHUNK = 1 << 20


def _refuse(path: Path, zh: str, en: str) -> InputFileError:
    return InputFileError(f"{quoted(path)}：{zh}", f"{path}: {en}")


def check_workbook(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook by its name, duplicated parts or element counts; nothing parsed."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        shown = f"扩展名是“{path.suffix}”" if path.suffix else "没有扩展名"
        raise _refuse(
            path,
            f"文件内容是 Excel 工作簿，但文件名{shown}；请把它改名为以 .xlsx 结尾后再导入",
            f"workbook named {path.suffix or 'without an extension'}, not .xlsx",
        )
    counts = Counter(info.filename.replace("\\", "/").casefold() for info in members)
    for info in members:
        if counts[info.filename.replace("\\", "/").casefold()] > 1:
            raise _refuse(
                path,
                f"其中的 {info.filename} 出现了不止一次，无法判断 Excel 显示的是哪一份，"
                "文件可能已被篡改，已拒绝",
                f"member {info.filename} is present more than once",
            )
    with zipfile.ZipFile(path) as zf:
        sheets = 0
        for info in members:
            name = info.filename.casefold()
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            if name == "xl/sharedstrings.xml":
                _bounded(path, zf, info, MAX_SHARED_STRING_ELEMENTS, "共享字符串表")
            elif name == "xl/styles.xml":
                _bounded(path, zf, info, MAX_STYLE_ELEMENTS, "样式表")
            elif name.startswith("xl/worksheets/"):
                sheets += _bounded(
                    path, zf, info, MAX_SHEET_ELEMENTS - sheets, "各工作表的单元格", sheets
                )
            else:
                _bounded(path, zf, info, MAX_OTHER_ELEMENTS, info.filename)


def _bounded(
    path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str, before: int = 0
) -> int:
    """The number of XML start tags in `info`, refusing the file once it passes `limit`, or
    once it has far more attributes than such elements carry (one element with two million
    attributes is few elements but minutes of parsing)."""
    n = attributes = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                # every start tag begins with "<" and a name; "</", "<?" and "<!" do not count
                n += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?")
                n -= chunk.count(b"<!")
                attributes += chunk.count(b'="') + chunk.count(b"='")
                if n > limit:
                    raise _refuse(
                        path,
                        f"{what}含有超过 {limit + before} 个 XML 元素（在 {info.filename} 中），"
                        "远超自评表所需，疑似恶意构造的文件，已拒绝",
                        f"{info.filename}: more than {limit + before} XML elements",
                    )
                if attributes > ATTRIBUTES_PER_ELEMENT * n + SPARE_ATTRIBUTES:
                    raise _refuse(
                        path,
                        f"其中的 {info.filename} 含有 {attributes} 个以上的 XML 属性，"
                        f"而只有约 {n} 个元素，疑似恶意构造的文件，已拒绝",
                        f"{info.filename}: {attributes} XML attributes on {n} elements",
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _refuse(
            path, f"文件已损坏（{info.filename} 无法解压），无法读取", f"{info.filename}: {exc}"
        ) from exc
    return n
