"""What the complete 自评材料 holds and in what order, decided once for the PDF and the Word file.

A document tree (as Zim's `formats/` parse tree): cover or its stamped scan, 诚信承诺书 or its
scan, the 自评表 with the note on where it departs from the template, then per 三级指标 the
template's blocks and the evidence items. The renderers (`pdf_document`, `docx_export`) only lay
the nodes out, so wording, dates, order and draft marks cannot drift between the two versions.
Nothing here imports ReportLab or python-docx.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from csr_desktop.core.assessment import Assessment, EvidenceItem
from csr_desktop.core.indicators import Correction, Field, IndicatorSet
from csr_desktop.core.scans import SCAN_TARGETS, Scan
from csr_desktop.core.units import human_size
from csr_desktop.formats.printable import clean_text as clean_text

if TYPE_CHECKING:
    from csr_desktop.formats.evidence.files import EvidenceFiles, Prepared

CHECKED = "☑"
UNCHECKED = "□"
DRAFT_NOTE = "草稿：尚有未填写的内容，不能作为正式材料提交"
CHINESE_NUMBERS = "一二三四五六七八九十"


def chinese_date(iso: str) -> str:
    """`2024-08-15` as a Chinese form writes it: `2024年8月15日`; other text is kept as typed."""
    try:
        day = dt.date.fromisoformat(iso.strip())
    except ValueError:
        return iso
    return f"{day.year}年{day.month}月{day.day}日"


def field_value(field: Field, value: str) -> str:
    """A cover or letter field as both documents print it (dates the Chinese way)."""
    return chinese_date(value) if field.kind == "date" and value else value


def numbered(index: int) -> str:
    return CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else str(index + 1)


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in clean_text(text).split("\n") if p.strip())


@dataclass(frozen=True)
class ScanNode:
    """A stamped scan printed in place of the generated page: the page itself, nothing over it.

    `changed` names the fields edited since the scan was taken (then the page says so)."""

    target: str
    title: str  # the bookmark / navigation title
    prepared: Prepared
    changed: tuple[str, ...] = ()

    @property
    def changed_note(self) -> str:
        if not self.changed:
            return ""
        names = "、".join(f"“{c}”" for c in self.changed)
        return (
            f"注意：附上此扫描件后，{SCAN_TARGETS[self.target]}的{names}已修改，"
            "扫描件与当前内容不符，请重新打印、签章并扫描"
        )


@dataclass(frozen=True)
class CoverNode:
    attachment_label: str
    title_lines: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]  # (label, value as printed)


@dataclass(frozen=True)
class LetterNode:
    title: str
    title_lines: tuple[str, ...]
    body: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TableRow:
    no: int
    level1: str
    level2: str
    name: str
    description: str
    options: tuple[tuple[str, bool], ...]  # (option text, chosen)
    remark: str


@dataclass(frozen=True)
class TableNode:
    title: str
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]
    departures: str  # one short note on where the table departs from the template


@dataclass(frozen=True)
class ItemNode:
    """One evidence item: its heading, the lines that identify its file, and the file."""

    no: int  # the indicator's 序号
    pos: int
    name: str
    file_name: str
    lines: tuple[str, ...]
    prepared: Prepared | None

    @property
    def heading(self) -> str:
        return f"{self.pos}. {self.name}"

    def caption(self, index: int) -> tuple[str, str]:
        """What a page of the file is (first line) and where it comes from (second line): a
        file name starts its own line rather than breaking wherever the first one ends."""
        pages = self.prepared.pages if self.prepared is not None else 0
        return (
            f"三级指标{self.no} 佐证材料{self.pos}：{self.name}",
            f"（{self.file_name}，第 {index + 1} 页 / 共 {pages} 页）",
        )


@dataclass(frozen=True)
class IndicatorNode:
    no: int
    outline_title: str  # 三级指标N：名称 — the bookmark and the navigation entry
    heading: str
    narrative_heading: str
    narrative: tuple[str, ...]  # empty: 未填写
    catalogue_title: str
    catalogue_headers: tuple[str, ...]
    catalogue: tuple[tuple[str, str, str], ...]  # (序号, 材料名称, 备注)
    content_heading: str
    items: tuple[ItemNode, ...]


@dataclass(frozen=True)
class LevelNode:
    heading: str  # 一、网络内容建设 …
    indicators: tuple[IndicatorNode, ...]


@dataclass(frozen=True)
class EvidenceNode:
    title: str
    levels: tuple[LevelNode, ...]


@dataclass(frozen=True)
class DocumentOutline:
    title: str
    company: str
    draft: bool
    cover: CoverNode
    letter: LetterNode
    table: TableNode
    evidence: EvidenceNode
    scans: dict[str, ScanNode]  # "cover" / "letter": printed in place of the generated page


def departures_note(iset: IndicatorSet) -> str:
    """The template's misprints and gaps this document shows differently, in one paragraph."""
    parts: list[str] = []
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for c in iset.corrections:
        grouped.setdefault((c.printed, c.shown, c.why), []).append(c.where)
    for (printed, shown, why), places in grouped.items():
        parts.append(_departure(places, Correction(places[0], printed, shown, why)))
    if not parts:
        return ""
    return "与模板的差异说明：" + "；".join(parts) + "。"


def _departure(places: list[str], c: Correction) -> str:
    where = "、".join(places)
    printed, shown = (t.replace(UNCHECKED, "").strip() for t in (c.printed, c.shown))
    printed = f"模板印作“{printed}”" if printed else "模板未印"
    return f"{where}，{printed}，本材料作“{shown}”（{c.why}）"


def letter_fields(assessment: Assessment) -> dict[str, str]:
    return {
        f.key: assessment.commitment.get(f.key, "")
        for f in assessment.indicator_set.commitment.fields
    }


def cover_fields(assessment: Assessment) -> dict[str, str]:
    return {f.key: assessment.company.get(f.key, "") for f in assessment.indicator_set.cover_fields}


def scan_changes(assessment: Assessment, target: str, scan: Scan) -> tuple[str, ...]:
    """Labels of the fields edited since the scan was taken (none known: nothing to say)."""
    if scan.of is None:
        return ()
    iset = assessment.indicator_set
    fields = iset.commitment.fields if target == "letter" else iset.cover_fields
    now = letter_fields(assessment) if target == "letter" else cover_fields(assessment)
    return tuple(
        f.label for f in fields if f.key in scan.of and scan.of[f.key].strip() != now[f.key].strip()
    )


def item_lines(item: EvidenceItem, prepared: Prepared | None) -> tuple[str, ...]:
    if prepared is None:
        return ("（未附文件）",)
    lines = [
        f"文件：{item.file_name or '（无文件名）'}（{human_size(item.size)}）",
        f"SHA-256：{item.sha256}",
    ]
    if prepared.note:
        lines.append(prepared.note)
    return tuple(lines)


def document_is_draft(assessment: Assessment, files: EvidenceFiles, draft: bool | None) -> bool:
    """`None` means automatic: a gap anywhere, or a stored file that failed its SHA-256."""
    if draft is not None:
        return draft
    from csr_desktop.core.validation import has_gaps, validate

    return has_gaps(validate(assessment)) or files.any_broken


def letter_node(assessment: Assessment) -> LetterNode:
    """The 诚信承诺书 as printed: on its own for signing, or inside the complete document."""
    text = assessment.indicator_set.commitment
    return LetterNode(
        "".join(text.title_lines),
        text.title_lines,
        tuple(text.body.split("\n")),
        tuple((f.label, field_value(f, assessment.commitment.get(f.key, ""))) for f in text.fields),
    )


def build_outline(
    assessment: Assessment,
    files: EvidenceFiles,
    scans: dict[str, tuple[Scan, Prepared]],
    draft: bool,
) -> DocumentOutline:
    """The complete 自评材料 for `assessment`; `scans` are the stamped pages attached."""
    iset = assessment.indicator_set

    shown: dict[str, ScanNode] = {}
    for target, (scan, prepared) in scans.items():
        if prepared.kind in ("image", "pdf"):  # else nothing can show it: the generated page
            title = f"{SCAN_TARGETS[target]}（签章扫描件）"
            changed = scan_changes(assessment, target, scan)
            shown[target] = ScanNode(target, title, prepared, changed)
    cover = CoverNode(
        iset.attachment_label,
        iset.document_title_lines,
        tuple(
            (f.label, field_value(f, assessment.company.get(f.key, ""))) for f in iset.cover_fields
        ),
    )
    letter = letter_node(assessment)
    rows = []
    for ind in iset.indicators:
        ans = assessment.answer(ind.no)
        options = tuple(
            (ind.scale.option_text(n), ans.rating == n) for n in range(1, len(ind.scale.labels) + 1)
        )
        rows.append(
            TableRow(ind.no, ind.level1, ind.level2, ind.name, ind.description, options, ans.remark)
        )
    table = TableNode(iset.title, iset.table_headers, tuple(rows), departures_note(iset))
    ev = iset.evidence
    levels = []
    for number, level in enumerate(iset.levels):
        nodes = []
        for ind in level.indicators:
            ans = assessment.answer(ind.no)
            items = tuple(
                ItemNode(
                    ind.no,
                    pos,
                    item.name,
                    item.file_name or "",
                    item_lines(item, files.get(item)),
                    files.get(item),
                )
                for pos, item in enumerate(ans.evidence, start=1)
            )
            nodes.append(
                IndicatorNode(
                    ind.no,
                    f"三级指标{ind.no}：{ind.name}",
                    ev.heading_for(ind),
                    ev.narrative_heading,
                    paragraphs(ans.narrative),
                    ev.catalogue_title_for(ind),
                    ev.catalogue_headers,
                    tuple(
                        (str(pos), item.name, item.remark)
                        for pos, item in enumerate(ans.evidence, start=1)
                    ),
                    ev.content_heading,
                    items,
                )
            )
        levels.append(LevelNode(f"{numbered(number)}、{level.name}", tuple(nodes)))
    company = assessment.company.get("name", "") or assessment.commitment.get("company_name", "")
    return DocumentOutline(
        iset.document_title,
        company,
        draft,
        cover,
        letter,
        table,
        EvidenceNode(ev.section_title, tuple(levels)),
        shown,
    )
