"""Every export the app offers, described once: the CLI and the window iterate this registry.

Each exporter has an id (also the CLI option, `--<id>`), a title for menus and dialogs, the
file suffix and filter, the name to propose, whether it is a submission document (those are
checked for gaps first and may be drafts), and `write(project, dest, progress) -> ExportReport`.
The format modules are imported only when an export runs (they are slow to import). The
window builds its menu from this at start-up: records are NamedTuples (no `dataclasses`
import, no dataclass to define) in a module without `from __future__ import annotations`,
whose fields name no TYPE_CHECKING import (README's start-up notes; measured: 2.3 → ~1 ms).
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

Progress = Callable[[int, int], bool]

if TYPE_CHECKING:
    from csr_desktop.core.assessment import Assessment
    from csr_desktop.core.store import Project

    Write = Callable[[Project, Path, Progress | None], "ExportReport"]
    Name = Callable[[Assessment, dt.date, bool], str]
else:  # at run time a plain Callable: a quoted annotation costs NamedTuple ~0.5 ms to compile
    Write = Name = Callable

LETTER_SCAN_MISSING = (
    "提示：尚未附上签章的诚信承诺书扫描件。请先导出承诺书 PDF，打印、签字盖章、扫描后用 "
    "“attach 项目 letter 扫描件”附上，再导出提交材料包"
)


class ExportReport(NamedTuple):
    """What an export wrote: the file, whether it is a draft, and what the user must know."""

    path: Path
    noun: str  # what was exported, as the confirmation names it
    draft: bool = False
    notes: tuple[str, ...] = ()  # one line each: files not attached, a letter not stamped…
    extent: str = ""  # after the path: "（61 个文件）"

    def lines(self) -> list[str]:
        """What the CLI prints: the confirmation, then the notes."""
        return [f"已导出{self.noun} {self.path}{self.extent}", *self.notes]


def QT_TR_NOOP(text: str) -> str:  # the name pyside6-lupdate looks for
    """A string the window shows through `tr()`: marked so that lupdate extracts it (formats
    import no Qt); the text itself, unchanged."""
    return text


class Exporter(NamedTuple):
    id: str
    title: str  # the window's action and dialog title
    noun: str
    suffix: str
    file_filter: str
    is_submission: bool
    write: Write
    name: Name
    module: str  # the format module write() imports: the window checks it is there first
    option_help: str | None = None  # the CLI option's `--help` line
    label: str = ""  # the window's menu item and review-page button ("…" asks where)

    def default_name(self, project: "Project", draft: bool = False) -> str:
        """The file name the save dialog and scripts propose."""
        return self.name(project.assessment(), dt.date.today(), draft)


def _company(assessment: "Assessment") -> str:
    return assessment.company.get("name", "").strip() or "未命名企业"


def _safe(stem: str, suffix: str) -> str:
    from csr_desktop.formats.safe_names import safe_component

    return safe_component(stem, suffix)


# ---- the write() of each exporter: the format modules' own functions ---------------------


def _write_xlsx(project: "Project", dest: Path, _progress: Progress | None) -> ExportReport:
    from csr_desktop.formats.xlsx.export import export_xlsx

    export_xlsx(project, dest)
    return ExportReport(Path(dest), "自评表")


def _name_xlsx(assessment: "Assessment", today: dt.date, _draft: bool) -> str:
    from csr_desktop.formats.xlsx.export import default_xlsx_name

    return default_xlsx_name(assessment, today)


def _write_letter(project: "Project", dest: Path, _progress: Progress | None) -> ExportReport:
    from csr_desktop.formats.pdf.letter import export_letter

    draft = export_letter(project, dest)
    return ExportReport(Path(dest), "诚信承诺书", bool(draft))


def _write_document(project: "Project", dest: Path, progress: Progress | None) -> ExportReport:
    from csr_desktop.formats.evidence.scan_files import scan_change_notes
    from csr_desktop.formats.pdf.document import export_document

    draft = export_document(project, dest, progress=progress)
    return ExportReport(Path(dest), "完整自评材料", bool(draft), scan_change_notes(project))


def _write_docx(project: "Project", dest: Path, progress: Progress | None) -> ExportReport:
    from csr_desktop.formats.evidence.scan_files import scan_change_notes
    from csr_desktop.formats.word.document import export_docx

    draft = export_docx(project, dest, progress=progress)
    return ExportReport(Path(dest), "完整自评材料（Word）", draft, scan_change_notes(project))


def _write_package(project: "Project", dest: Path, progress: Progress | None) -> ExportReport:
    from csr_desktop.formats.evidence.scan_files import scan_change_notes
    from csr_desktop.formats.package.build import export_package

    report = export_package(project, dest, progress=progress)
    notes = list(scan_change_notes(project))
    if not report.draft and "letter" not in report.scans:
        notes.append(LETTER_SCAN_MISSING)
    notes += [
        f"未附文件：第{e.indicator_no}项「{e.indicator_name}」"
        f"佐证材料目录第{e.position}行“{e.item.name}”"
        for e in report.missing
    ]
    noun = "提交材料包（草稿：材料尚不完整）" if report.draft else "提交材料包"
    return ExportReport(Path(dest), noun, report.draft, tuple(notes), f"（{report.files} 个文件）")


def _name_package(assessment: "Assessment", today: dt.date, draft: bool) -> str:
    from csr_desktop.formats.package.layout import default_package_name

    return default_package_name(assessment, today, draft)


def _draft_word(draft: bool) -> str:
    return "_草稿" if draft else ""


EXPORTERS: tuple[Exporter, ...] = (
    Exporter(
        "xlsx",
        QT_TR_NOOP("导出自评表"),
        "自评表",
        ".xlsx",
        QT_TR_NOOP("Excel 工作簿 (*.xlsx)"),
        False,
        _write_xlsx,
        _name_xlsx,
        "csr_desktop.formats.xlsx.export",
        label=QT_TR_NOOP("导出自评表（Excel）…"),
    ),
    Exporter(
        "pdf",
        QT_TR_NOOP("导出承诺书"),
        "诚信承诺书",
        ".pdf",
        QT_TR_NOOP("PDF 文件 (*.pdf)"),
        True,
        _write_letter,
        lambda a, _t, d: _safe(f"{_company(a)}_诚信承诺书{_draft_word(d)}", ".pdf"),
        "csr_desktop.formats.pdf.letter",
        "诚信承诺书",
        label=QT_TR_NOOP("导出承诺书（PDF）…"),
    ),
    Exporter(
        "document",
        QT_TR_NOOP("导出完整自评材料"),
        "完整自评材料",
        ".pdf",
        QT_TR_NOOP("PDF 文件 (*.pdf)"),
        True,
        _write_document,
        lambda a, _t, d: _safe(f"{_company(a)}_自评材料{_draft_word(d)}", ".pdf"),
        "csr_desktop.formats.pdf.document",
        "完整自评材料 PDF",
        label=QT_TR_NOOP("导出完整自评材料（PDF）…"),
    ),
    Exporter(
        "docx",
        QT_TR_NOOP("导出完整自评材料（Word）"),
        "完整自评材料（Word）",
        ".docx",
        QT_TR_NOOP("Word 文档 (*.docx)"),
        True,
        _write_docx,
        lambda a, _t, d: _safe(f"{_company(a)}_自评材料{_draft_word(d)}", ".docx"),
        "csr_desktop.formats.word.document",
        "完整自评材料 Word 版",
        label=QT_TR_NOOP("导出完整自评材料（Word）…"),
    ),
    Exporter(
        "package",
        QT_TR_NOOP("导出提交材料包"),
        "提交材料包",
        ".zip",
        QT_TR_NOOP("zip 压缩包 (*.zip)"),
        True,
        _write_package,
        _name_package,
        "csr_desktop.formats.package.build",
        "提交材料包 zip",
        label=QT_TR_NOOP("导出提交材料包…"),
    ),
)


def exporter(exporter_id: str) -> Exporter:
    return next(e for e in EXPORTERS if e.id == exporter_id)


def letter_is_stamped(project: "Project") -> bool:
    """Whether a scan of the signed, stamped 承诺书 is attached (a final package needs it)."""
    from csr_desktop.formats.evidence.scan_files import project_scan

    return project_scan(project, "letter") is not None


__all__ = ["EXPORTERS", "ExportReport", "Exporter", "exporter"]
