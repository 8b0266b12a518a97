"""What the exporter writes and the importer looks for: sheet names, labels, marks.

Texts of the official form come from the indicator set; only the workbook's own furniture
(sheet names, the continuation markers, the extra catalogue columns) lives here.
"""

from __future__ import annotations

FORMAT_ID = "csr-desktop-xlsx"
FORMAT_VERSION = 1

TABLE_SHEET = "自评表"
EVIDENCE_SHEET = "佐证材料"
META_SHEET = "csr_meta"  # hidden

META_FORMAT = "format"
META_VERSION = "format_version"
META_SET_ID = "indicator_set"
META_SET_VERSION = "indicator_set_version"
META_ROW_IDS = "row_ids"  # the header above the (sheet, row, id) table
# The row id of the 自评表's header row written again at the top of page N (N ≥ 2): ".N".
REPEATED_HEADER_ID = "table.header"


def repeated_catalogue_id(no: int, page: int) -> str:
    """The row id of indicator `no`'s 佐证材料目录 header written again atop page `page` of the
    佐证材料 sheet, where a page break cuts the catalogue (`indicator.N.catalogue` is the first)."""
    return f"indicator.{no}.catalogue.{page}"


# 佐证材料 sheet, column A of a narrative row: the first, then continuations.
NARRATIVE_LABEL = "相关工作情况介绍"
CONTINUED_NEW_LINE = "（续）"  # joined to the row above with a line break
CONTINUED_SAME_LINE = "（续，接上行）"  # joined to the row above directly
FILE_HEADER = "文件名"
SHA_HEADER = "SHA-256"

# What people put in place of □ to mark the chosen option (design.md).
MARKS = frozenset("☑■√✓●☒✔✅◼▪⬛▣◉")
BOXES = frozenset("□☐◻▢⬜")
CHOSEN = "☑"
OPEN = "□"


def numbered(index: int) -> str:
    """一, 二, … for the 佐证材料 sheet's group headings, as the template numbers them."""
    numerals = "一二三四五六七八九十"
    return numerals[index] if index < len(numerals) else str(index + 1)
