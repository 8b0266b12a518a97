"""What every field was when a workbook left (the base of the three-way import), and which
indicators a department's workbook holds.

Recorded in the hidden sheet, columns E:F (A:C are the format and row ids), as one fingerprint
per field: SHA-256 of the field in the form the import reads it back — texts as a spreadsheet
returns them (no characters XML cannot hold, CR LF as LF), so "equal" means what it means in
the rest of the import. Fingerprints rather than values, because
- the workbook stays the size it was: a project's narratives would otherwise be written twice,
  and split again over continuation cells past Excel's 32,767-character limit;
- a colleague who unhides the sheet sees nothing worth editing; an edited value there would
  silently change what counts as "the colleague changed it", an edited hash only makes that
  field compare two-way-like (changed);
- the merge needs only equality with the base; the preview shows the project's and the
  workbook's values, which are at hand without it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from csr_desktop.core.assessment import Assessment, EvidenceItem
from csr_desktop.core.indicators import Group, IndicatorSet, Level1
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.cell_text import cell_text, xml_safe

BASE_MARK = "base"  # E1: the start of the table
BASE_VERSION = 1
KEY_PROJECT = "project"  # which project the base belongs to
KEY_DEPARTMENT = "department"
KEY_INDICATORS = "indicators"
KEY_FIELDS = "fields"  # the header row above the (key, fingerprint) rows
BASE_COLUMN = 5  # E
_NEWLINES = re.compile(r"\r\n?")

CatalogueLine = tuple[str, str, str, str]  # 材料名称, 备注, 文件名, SHA-256 as the sheet shows them


def canon(text: str) -> str:
    """A text as a spreadsheet gives it back: the tolerance of `xlsx_text.same_text`."""
    return _NEWLINES.sub("\n", xml_safe(text))


def fingerprint(value: Any) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def text_fp(text: str | None) -> str:
    return fingerprint(["t", canon(text or "")])


def rating_fp(rating: int | None) -> str:
    return fingerprint(["r", rating])


def catalogue_fp(lines: Iterable[CatalogueLine]) -> str:
    return fingerprint(
        ["c", [[canon(n), canon(r), f.strip(), s.strip().lower()] for n, r, f, s in lines]]
    )


def item_lines(items: Iterable[EvidenceItem]) -> list[CatalogueLine]:
    """A stored catalogue as the exported sheet shows it (blank rows are not read back)."""
    lines = [(i.name, i.remark, i.file_name or "", i.sha256 or "") for i in items]
    return [line for line in lines if any(x.strip() for x in line)]


def project_fingerprints(a: Assessment, numbers: Iterable[int]) -> dict[str, str]:
    """Every field the workbook for `numbers` shows, fingerprinted from the project."""
    fps = {
        FieldRef.company(f.key).key: text_fp(a.company[f.key]) for f in a.indicator_set.cover_fields
    }
    for no in numbers:
        ans = a.answer(no)
        fps[FieldRef.indicator(no, "rating").key] = rating_fp(ans.rating)
        fps[FieldRef.indicator(no, "remark").key] = text_fp(ans.remark)
        fps[FieldRef.indicator(no, "narrative").key] = text_fp(ans.narrative)
        lines = item_lines(ans.evidence)
        fps[FieldRef.indicator(no, "evidence").key] = catalogue_fp(lines)
        fps.update(row_fingerprints(no, lines))
    return fps


def file_fp(file_name: str) -> str:
    """The 文件名 cell: a colleague names a new file there; the SHA-256 beside it is ours, and
    clearing it does not replace the file."""
    return fingerprint(["f", file_name.strip()])


def row_key(no: int, k: int, column: str) -> str:
    """The base's key for one cell of catalogue row `k` (0-based): name, remark or file."""
    return f"indicator.{no}.evidence.{k + 1}.{column}"


def rows_key(no: int) -> str:
    return f"indicator.{no}.evidence.rows"


def row_fingerprints(no: int, lines: Sequence[CatalogueLine]) -> dict[str, str]:
    """Each catalogue cell on its own, so that the office attaching a file to one row and a
    colleague rewording another (or the same row's 备注) merge without a conflict."""
    fps = {rows_key(no): fingerprint(["n", len(lines)])}
    for k, (name, remark, file_name, _sha) in enumerate(lines):
        fps[row_key(no, k, "name")] = text_fp(name)
        fps[row_key(no, k, "remark")] = text_fp(remark)
        fps[row_key(no, k, "file")] = file_fp(file_name)
    return fps


@dataclass(frozen=True, slots=True)
class Base:
    """The hidden record of a workbook: what it held when it left, and for whom."""

    fields: Mapping[str, str]  # field key -> fingerprint
    numbers: tuple[int, ...]  # the indicators the workbook holds
    department: str = ""  # "" for the whole 自评表
    project: str = ""  # `project_identity` of the project it was exported from


def project_identity(created_at: str | None, created_by: str | None, first_edit: Any) -> str:
    """Which project a base belongs to: a base is meaningless for any other project (a
    workbook imported into a new, blank project is compared two-way). Made from what the store
    records at creation and the first row of the audit trail (append-only), so moving or
    renaming the file keeps it."""
    return fingerprint(["p", created_at or "", created_by or "", first_edit])[:16]


def same_project(recorded: str, creation: str, current: str) -> bool:
    """`recorded` (`creation|edit|id` at export; earlier versions wrote `creation|edit`)
    against the project now: a project exported before its first edit is recognised by its
    creation alone, and the project id, where both sides have one, must agree."""
    was_creation, _, rest = recorded.partition("|")
    was_edit, _, was_id = rest.partition("|")
    now_creation, _, rest = current.partition("|")
    now_edit, _, now_id = rest.partition("|")
    if was_creation != now_creation or was_creation != creation:
        return False
    if was_id and now_id and was_id != now_id:  # workbooks of earlier versions carry no id
        return False
    return not was_edit or was_edit == now_edit


def department_view(a: Assessment, numbers: Sequence[int], department: str = "") -> Assessment:
    """The assessment with only `numbers` in its indicator set: what a department's workbook
    shows, written by the same exporter (merged 一级/二级 cells shrink with it); the title names
    the department (the import never reads it)."""
    wanted = set(numbers)
    levels = []
    for level in a.indicator_set.levels:
        groups = tuple(
            Group(g.name, tuple(i for i in g.indicators if i.no in wanted)) for g in level.groups
        )
        groups = tuple(g for g in groups if g.indicators)
        if groups:
            levels.append(Level1(level.name, groups))
    title = a.indicator_set.title + (f"（{department}）" if department else "")
    iset: IndicatorSet = a.indicator_set._replace(levels=tuple(levels), title=title)
    return Assessment(iset, a.company, a.commitment, a.answers, a.scans)


def write_base(ws: Worksheet, a: Assessment, department: str = "", project: str = "") -> None:
    """Record the base beside the row ids in the hidden sheet `ws`."""
    numbers = a.indicator_set.numbers
    rows: list[tuple[str, str]] = [
        (BASE_MARK, str(BASE_VERSION)),
        (KEY_PROJECT, project),
        (KEY_DEPARTMENT, department),
        (KEY_INDICATORS, ",".join(map(str, numbers))),
        (KEY_FIELDS, "sha256"),
        *project_fingerprints(a, numbers).items(),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        for c, text in ((BASE_COLUMN, key), (BASE_COLUMN + 1, value)):
            cell = ws.cell(row=r, column=c)
            cell.value = text
            cell.data_type = "s"


def read_base(wb: Workbook, iset: IndicatorSet) -> Base | None:
    """The base recorded in the hidden sheet, or None (typed by hand, or exported before the
    base was recorded: those are imported two-way)."""
    if layout.META_SHEET not in wb.sheetnames:
        return None
    ws = wb[layout.META_SHEET]
    rows = ws.iter_rows(
        min_row=1, max_row=20_000, min_col=BASE_COLUMN, max_col=BASE_COLUMN + 1, values_only=True
    )
    head: dict[str, str] = {}
    fields: dict[str, str] = {}
    in_fields = False
    for values in rows:
        key, value = (cell_text(v).strip() for v in (*values, None, None)[:2])
        if not key:
            if in_fields:
                break  # the table ends at its first blank row; the row ids go on below
            continue
        if in_fields:
            fields[key] = value.lower()
        elif key == KEY_FIELDS:
            in_fields = True
        else:
            head[key] = value
    if head.get(BASE_MARK) != str(BASE_VERSION) or not fields:
        return None
    try:
        numbers = tuple(int(n) for n in head.get(KEY_INDICATORS, "").split(",") if n.strip())
    except ValueError:
        return None
    if not numbers or any(n not in iset.numbers for n in numbers):
        return None
    return Base(fields, numbers, head.get(KEY_DEPARTMENT, ""), head.get(KEY_PROJECT, ""))
