"""Where each piece goes inside a submission package, decided before a byte is written.

Planning first means the progress bar knows the total, the manifest knows every name, and the
evidence rows without a file are known (and listed) rather than skipped on the way.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from csr_desktop.core.assessment import Assessment, EvidenceItem
from csr_desktop.core.blobs import StoredFile
from csr_desktop.formats.safe_names import (
    MAX_COMPONENT,
    MAX_COMPONENT_BYTES,
    MAX_PACKAGE_NAME,
    MAX_PACKAGE_PATH,
    UniqueNames,
    safe_component,
    safe_extension,
)

XLSX_NAME = "自评表.xlsx"
LETTER_NAME = "诚信承诺书.pdf"
DOCUMENT_NAME = "自评材料.pdf"
WORD_NAME = "自评材料.docx"
EVIDENCE_DIR = "佐证材料"
LISTING_NAME = "清单.csv"
MANIFEST_NAME = "manifest.json"
PACKAGE_WORD = "提交材料包"
DRAFT_WORD = "草稿"

# Formats that are already compressed: deflating them again costs time and gains nothing.
_DEFLATE_EXTENSIONS = frozenset(
    [
        ".txt",
        ".csv",
        ".tsv",
        ".json",
        ".xml",
        ".html",
        ".htm",
        ".md",
        ".log",
        ".rtf",
        ".doc",
        ".xls",
        ".ppt",
        ".wps",
        ".et",
        ".dps",
        ".bmp",
        ".tif",
        ".tiff",
        ".wav",
        ".svg",
        ".eml",
        ".sql",
    ]
)

# `佐证材料/<序号>_<三级指标>/<n>_<材料名称>.<ext>` within MAX_PACKAGE_PATH: the folder keeps
# up to 40 units (the longest 三级指标 in the official set is 14), the file name the rest.
FOLDER_UNITS = 40

NO_FILE = "目录中有此行，但没有附上文件"
NOT_STORED = "项目文件中找不到此文件"


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One row of a 佐证材料目录 and, if it has a stored file, its name in the package."""

    indicator_no: int
    indicator_name: str
    position: int  # the row's 序号 in the catalogue, 1-based
    item: EvidenceItem
    arcname: str | None = None  # None: the row has no file to package
    reason: str = ""  # why it has none

    @property
    def size(self) -> int:
        return self.item.size or 0


@dataclass(frozen=True, slots=True)
class EvidencePlan:
    present: tuple[EvidenceEntry, ...]
    missing: tuple[EvidenceEntry, ...]

    @property
    def total_bytes(self) -> int:
        return sum(e.size for e in self.present)


def compression_for(arcname: str) -> int:
    """Store what is already compressed (PDF, images, Office files); deflate plain text."""
    suffix = PurePath(arcname).suffix.lower()
    return zipfile.ZIP_DEFLATED if suffix in _DEFLATE_EXTENSIONS else zipfile.ZIP_STORED


def plan_evidence(
    assessment: Assessment, stored: Callable[[str], StoredFile | None]
) -> EvidencePlan:
    """Name every stored file `佐证材料/<序号>_<三级指标>/<n>_<材料名称>.<ext>`; list the rest."""
    names = UniqueNames()
    present: list[EvidenceEntry] = []
    missing: list[EvidenceEntry] = []
    for ind in assessment.indicator_set.indicators:
        folder = safe_component(f"{ind.no}_{ind.name}", fallback=f"{ind.no}", units=FOLDER_UNITS)
        leaf_units = min(MAX_COMPONENT, MAX_PACKAGE_PATH - _units(f"{EVIDENCE_DIR}/{folder}/"))
        for pos, item in enumerate(assessment.answer(ind.no).evidence, start=1):
            entry = EvidenceEntry(ind.no, ind.name, pos, item)
            if item.sha256 is None:
                missing.append(_replace(entry, reason=NO_FILE))
                continue
            found = stored(item.sha256)
            if found is None:
                missing.append(_replace(entry, reason=NOT_STORED))
                continue
            label = item.name.strip() or PurePath(item.file_name or "").stem
            leaf = safe_component(
                f"{pos}_{label}", safe_extension(item.file_name), f"{pos}", units=leaf_units
            )
            arcname = f"{EVIDENCE_DIR}/{folder}/{names.claim(folder, leaf, leaf_units)}"
            sized = EvidenceItem(item.name, item.remark, item.file_name, item.sha256, found.size)
            present.append(EvidenceEntry(ind.no, ind.name, pos, sized, arcname))
    return EvidencePlan(tuple(present), tuple(missing))


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _replace(entry: EvidenceEntry, reason: str) -> EvidenceEntry:
    return EvidenceEntry(
        entry.indicator_no, entry.indicator_name, entry.position, entry.item, None, reason
    )


def default_package_name(assessment: Assessment, today: dt.date, draft: bool) -> str:
    """`<企业名称>_提交材料包[_草稿]_<日期>.zip`: what the save dialog and the CLI propose."""
    company = assessment.company.get("name", "").strip() or "未命名企业"
    tail = f"_{PACKAGE_WORD}{'_' + DRAFT_WORD if draft else ''}_{today:%Y%m%d}.zip"
    room_units, room_bytes = MAX_PACKAGE_NAME - len(tail), MAX_COMPONENT_BYTES - len(tail.encode())
    return safe_component(company, units=room_units, nbytes=room_bytes) + tail
