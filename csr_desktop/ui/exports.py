"""The review page's and File menu's exports and imports, each on a worker thread with its own
read-only connection. The format modules are imported only when asked for (start-up time), and
one that is not installed yet becomes a Chinese message, not a crash."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from csr_desktop.core.errors import Cancelled, CsrError
from csr_desktop.core.store import Project
from csr_desktop.core.validation import Severity, letter_findings, validate
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session
from csr_desktop.ui.settings import AppSettings
from csr_desktop.ui.worker import Progress, run_with_progress

if TYPE_CHECKING:
    from csr_desktop.formats.exporters import ExportReport
    from csr_desktop.formats.xlsx.importer import FieldChange, ImportPlan
    from csr_desktop.ui.import_preview import ChangeLine

Job = Callable[[Project, Progress], "ExportReport"]


def whole_text(value: object, short: str) -> str:
    """A text field's whole value (the plan's own line is cut short for one-line lists)."""
    return value if isinstance(value, str) else short


def change_line(plan: ImportPlan, change: FieldChange) -> ChangeLine:
    """A change of an import plan as the preview lists it (no diff markup) and compares it."""
    from csr_desktop.ui.import_preview import ChangeLine

    where = f"{change.where} {change.field}"
    old = whole_text(plan.base.get(change.key), change.old)
    new = whole_text(plan.values.get(change.key), change.new)
    if change.passage or len(old) > 60 or len(new) > 60:
        return ChangeLine(where + tr("：修改了一段文字（见下方对照）"), old, new)
    return ChangeLine(f"{where}：{change.old} → {change.new}", old, new)


def _module(parent: QWidget, load: Callable[[], ModuleType], feature: str) -> ModuleType | None:
    """Import a format module on first use; `load` is a static import (PyInstaller sees it)."""
    try:
        return load()
    except ImportError:
        dialogs.information(
            parent,
            tr("功能暂不可用"),
            tr("本版本尚不支持“{feature}”，请升级软件后再试。").format(feature=feature),
        )
        return None


class Exports:
    def __init__(self, session: Session, parent: QWidget, settings: AppSettings) -> None:
        self.session = session
        self.parent = parent
        self.settings = settings

    # ---- helpers --------------------------------------------------------------------------

    def _module(self, load: Callable[[], ModuleType], feature: str) -> ModuleType | None:
        return _module(self.parent, load, feature)

    def _ask_dest(self, title: str, name: str, name_filter: str, suffix: str) -> Path | None:
        folder = self.settings.folder("exports", self.session.project.path.parent)
        proposed = str(Path(folder) / name)
        dest = dialogs.save_file(self.parent, title, proposed, name_filter, suffix)
        if dest is not None:
            self.settings.set_folder("exports", dest)
        return dest

    def _ask_draft(self, title: str, exporter_id: str) -> bool | None:
        """Before a submission export: show what is missing; the user may still want a draft.
        The 承诺书 follows its own rule: only its fields count (it is signed while the
        indicators are still being answered). Returns whether the export will be a draft,
        or None when the user stops."""
        if not self.session.flush():
            return None
        assessment = self.session.project.assessment()
        if exporter_id == "pdf":
            findings = letter_findings(assessment)
        else:
            findings = validate(assessment, self.session.blob_ok)
        gaps = [f.line() for f in findings if f.severity is Severity.GAP]
        if not gaps:
            return False
        go_on = dialogs.confirm_export(
            self.parent,
            title,
            tr("材料尚有 {n} 处缺项，导出的将是标有“草稿”的版本。仍要导出吗？").format(n=len(gaps)),
            gaps,
        )
        return True if go_on else None

    def _run(self, title: str, dest: Path, job: Job, reports: list[ExportReport]) -> bool:
        """Save pending typing, export from a read-only connection on a worker thread."""
        if not self.session.flush():
            return False
        path = self.session.project.path

        def work(progress: Progress) -> None:
            with Project.open(path, readonly=True) as readonly:
                reports.append(job(readonly, progress))

        try:
            run_with_progress(
                self.parent, title, tr("正在导出到 {name}…").format(name=dest.name), work
            )
        except Cancelled:
            return False
        except CsrError as exc:
            dialogs.failure(self.parent, title, exc)
            return False
        except OSError as exc:
            dialogs.failure(self.parent, title, exc)
            return False
        return True

    def run_export(self, exporter_id: str) -> bool:
        """One entry of the exporter registry: check for gaps (submission documents), ask
        where, write on a worker, then show the report's notes."""
        from csr_desktop.formats.exporters import exporter

        exp = exporter(exporter_id)
        title = tr(exp.title)
        if self._module(lambda: importlib.import_module(exp.module), title) is None:
            return False
        draft = False
        if exp.is_submission:
            checked = self._ask_draft(title, exp.id)
            if checked is None:
                return False
            draft = checked
        if exp.id == "package" and not draft and not self._letter_is_stamped(title):
            return False
        name = exp.default_name(self.session.project, draft)
        dest = self._ask_dest(title, name, tr(exp.file_filter), exp.suffix)
        if dest is None:
            return False
        reports: list[ExportReport] = []

        def job(project: Project, progress: Progress) -> ExportReport:
            return exp.write(project, dest, progress)

        if not self._run(title, dest, job, reports):
            return False
        text = tr("已导出到 “{path}”。").format(path=dest)
        if draft or (reports and reports[0].draft):
            text += tr("（材料尚有缺项，导出的是草稿）")
        notes = list(reports[0].notes) if reports else []
        if notes:
            text += "\n\n" + "\n".join(notes)
        dialogs.information(self.parent, title, text)
        return True

    def _letter_is_stamped(self, title: str) -> bool:
        """Before a final package: without the stamped 承诺书, propose to print it first.
        Returns False when the user chose to export the 承诺书 instead."""
        from csr_desktop.formats.exporters import letter_is_stamped

        if letter_is_stamped(self.session.project):
            return True
        first = dialogs.confirm(
            self.parent,
            title,
            tr(
                "尚未附上签章的诚信承诺书扫描件。提交前通常要打印承诺书、签字盖章、扫描，"
                "再在“诚信承诺书”页附上扫描件。\n\n现在先导出承诺书 PDF 以便打印吗？"
                "（选“否”则不附扫描件，继续导出提交材料包）"
            ),
        )
        if first:
            self.run_export("pdf")
            return False
        return True

    # ---- the actions ----------------------------------------------------------------------

    def distribute(self) -> bool:
        """分发: one workbook per department into a folder the user picks."""
        if self.session.readonly or not self.session.flush():
            return False
        from csr_desktop.core import departments
        from csr_desktop.formats.xlsx import departments as xlsx_departments

        project = self.session.project
        if not departments.departments(project):
            dialogs.information(
                self.parent,
                tr("分发自评表"),
                tr("还没有为任何指标指定负责部门。请先在各指标页填写“负责部门”。"),
            )
            return False
        folder = dialogs.choose_folder(
            self.parent,
            tr("选择存放各部门自评表的文件夹"),
            self.settings.folder("distribute", project.path.parent),
        )
        if folder is None:
            return False
        self.settings.set_folder("distribute", folder / "x")  # remembers `folder` itself
        written: list[Path] = []

        def run() -> None:
            written.extend(xlsx_departments.distribute(project, folder))

        if not self.session.edit(run):
            return False
        dialogs.information(
            self.parent,
            tr("分发自评表"),
            tr("已在“{folder}”写入 {n} 份自评表：").format(folder=folder, n=len(written))
            + "\n"
            + "\n".join(p.name for p in written),
        )
        return True

    def verify_package(self) -> bool:
        return verify_package(self.parent, self.settings)

    def import_xlsx(self) -> bool:
        if self.session.readonly:
            return False
        path = dialogs.open_file(
            self.parent,
            tr("选择要导入的 Excel 自评表"),
            self.settings.folder("imports", self._project_folder()),
            tr("Excel 工作簿 (*.xlsx)"),
        )
        if path is None:
            return False
        self.settings.set_folder("imports", path)
        return self.import_path(path)

    def _project_folder(self) -> Path:
        return self.session.project.path.parent

    def resolve_conflicts(self, department: str) -> bool:
        """待核对冲突 in the tracking table: import that department's latest return again, so
        each conflict it left is shown (field, project's text, colleague's text) and decided."""
        if self.session.readonly:
            return False
        from csr_desktop.core.departments import tracking

        rows = [t for t in tracking(self.session.project) if t.department == department]
        if not rows or not rows[0].returned_file:
            return False
        name = rows[0].returned_file
        folders = [
            Path(self.settings.folder("imports", self._project_folder())),
            self._project_folder(),
            Path(self.settings.folder("exports", self._project_folder())),
        ]
        found = next((f / name for f in folders if (f / name).is_file()), None)
        if found is None:
            found = dialogs.open_file(
                self.parent,
                tr("请找到{department}交回的工作簿“{name}”").format(
                    department=department, name=name
                ),
                str(folders[0]),
                tr("Excel 工作簿 (*.xlsx)"),
            )
            if found is None:
                return False
            self.settings.set_folder("imports", found)
        return self.import_path(found)

    def import_path(self, path: Path) -> bool:
        """Plan the import of `path`, show it (changes and conflicts), apply what was chosen."""
        # openpyxl and the planner: imported when a workbook is imported, not with the window
        from csr_desktop.formats.xlsx.importer import apply_import, plan_import

        if not self.session.flush():
            return False
        project = self.session.project
        try:
            plan = plan_import(project, path)
        except CsrError as exc:
            dialogs.failure(self.parent, tr("无法导入"), exc)
            return False
        from csr_desktop.ui.import_preview import ConflictLine

        lines: list[ChangeLine | str] = [change_line(plan, c) for c in plan.changes]
        lines += [a.describe() for a in plan.attachments]
        conflicts = plan.conflicts
        warnings = [*plan.warnings, *plan.refused]
        if not lines and not conflicts:
            dialogs.information(
                self.parent,
                tr("导入 Excel"),
                tr("“{name}”与项目内容一致，没有需要导入的修改。").format(name=path.name)
                + ("\n" + "\n".join(warnings) if warnings else ""),
            )
            return False
        text = tr("从“{name}”导入以下 {n} 处修改？导入后可用“撤销”一步还原。").format(
            name=path.name, n=len(lines)
        )
        if plan.three_way:
            text += "\n" + tr("三方合并：只取同事改动过的内容，项目在导出后的修改保留。")
        if warnings:
            text += "\n" + "\n".join(warnings)
        shown = [
            ConflictLine(
                c.key,
                c.where,
                c.field,
                whole_text(project.get(c.key), c.project_text),
                whole_text(c.value, c.workbook_text),
            )
            for c in conflicts
        ]
        if conflicts:
            text += "\n" + tr(
                "有 {n} 处冲突：请逐条选择采用哪一边（默认保留项目中的内容）。"
            ).format(n=len(conflicts))
        chosen = dialogs.import_preview(self.parent, tr("导入 Excel"), text, lines, shown)
        if chosen is None:
            return False
        take = chosen
        return self.session.edit(lambda: apply_import(project, plan, take))


def verify_package(parent: QWidget, settings: AppSettings) -> bool:
    """Check a submission package's hashes; needs no open project."""
    from csr_desktop.formats.package.build import report_lines, verify_package  # on first use

    path = dialogs.open_file(
        parent,
        tr("选择要校验的提交材料包"),
        settings.folder("exports"),
        tr("zip 压缩包 (*.zip)"),
    )
    if path is None:
        return False
    try:
        report = run_with_progress(
            parent,
            tr("校验提交材料包"),
            tr("正在校验 {name}…").format(name=path.name),
            lambda _progress: verify_package(path),
        )
    except CsrError as exc:
        from csr_desktop.core.visible import visible  # the package's text, shown not obeyed

        dialogs.error(parent, tr("校验提交材料包"), visible(exc.zh))
        return False
    shown = "\n".join(report_lines(report)).strip()  # each line already made visible
    if report.intact:
        dialogs.information(parent, tr("校验通过"), shown or tr("材料包完整。"))
    else:
        dialogs.warning(parent, tr("校验未通过"), shown or tr("材料包与记录不符。"))
    return report.intact
