"""The review page's and File menu's exports and imports, each on a worker thread with its own
read-only connection. The format modules are imported only when asked for (start-up time), and
one that is not installed yet becomes a Chinese message, not a crash."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QWidget

from csr_desktop.core.errors import Cancelled, CsrError
from csr_desktop.core.store import Project
from csr_desktop.core.validation import Severity, validate
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session
from csr_desktop.ui.settings import AppSettings
from csr_desktop.ui.worker import Progress, run_with_progress

Job = Callable[[Project, Progress], None]


def change_text(change: Any) -> str:
    """One line of an import plan, whatever shape the importer gives it."""
    if isinstance(change, str):
        return change
    for attr in ("line", "text", "describe"):
        value = getattr(change, attr, None)
        if callable(value):
            return str(value())
        if isinstance(value, str):
            return value
    if isinstance(change, tuple | list):
        return "：".join(str(part) for part in change)
    return str(change)


def _load_package() -> ModuleType:
    from csr_desktop.formats import package

    return package


def _load_pdf_document() -> ModuleType:
    from csr_desktop.formats import pdf_document

    return pdf_document


def _load_pdf_letter() -> ModuleType:
    from csr_desktop.formats import pdf_letter

    return pdf_letter


def _load_xlsx_export() -> ModuleType:
    from csr_desktop.formats import xlsx_export

    return xlsx_export


def _load_xlsx_import() -> ModuleType:
    from csr_desktop.formats import xlsx_import

    return xlsx_import


class Exports:
    def __init__(self, session: Session, parent: QWidget, settings: AppSettings) -> None:
        self.session = session
        self.parent = parent
        self.settings = settings

    # ---- helpers --------------------------------------------------------------------------

    def _module(self, load: Callable[[], ModuleType], feature: str) -> ModuleType | None:
        """Import a format module on first use; `load` is a static import (PyInstaller sees it)."""
        try:
            return load()
        except ImportError:
            dialogs.information(
                self.parent,
                tr("功能暂不可用"),
                tr("本版本尚不支持“{feature}”，请升级软件后再试。").format(feature=feature),
            )
            return None

    def _company(self) -> str:
        project = self.session.project
        return project.assessment().company.get("name", "").strip() or project.path.stem

    def _ask_dest(self, title: str, name: str, name_filter: str, suffix: str) -> Path | None:
        proposed = str(Path(self.settings.folder("exports")) / name)
        dest = dialogs.save_file(self.parent, title, proposed, name_filter, suffix)
        if dest is not None:
            self.settings.set_folder("exports", dest)
        return dest

    def _ask_draft(self, title: str) -> bool | None:
        """Before a submission export: show what is missing; the user may still want a draft.
        Returns whether the export will be a draft, or None when the user stops."""
        if not self.session.flush():
            return None
        findings = validate(self.session.project.assessment(), self.session.blob_ok)
        gaps = [f.line() for f in findings if f.severity is Severity.GAP]
        if not gaps:
            return False
        go_on = dialogs.confirm_changes(
            self.parent,
            title,
            tr("材料尚有 {n} 处缺项，导出的将是标有“草稿”的版本。仍要导出吗？").format(n=len(gaps)),
            gaps,
        )
        return True if go_on else None

    def _run(self, title: str, dest: Path, job: Job, draft: bool) -> bool:
        """Save pending typing, export from a read-only connection on a worker thread."""
        if not self.session.flush():
            return False
        path = self.session.project.path

        def work(progress: Progress) -> None:
            with Project.open(path, readonly=True) as readonly:
                job(readonly, progress)

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
        note = tr("（材料尚有缺项，导出的是草稿）") if draft else ""
        dialogs.information(self.parent, title, tr("已导出到 “{path}”。").format(path=dest) + note)
        return True

    def _submission_export(
        self,
        load: Callable[[], ModuleType],
        title: str,
        name: Callable[[ModuleType, bool], str],
        name_filter: str,
        suffix: str,
        job: Callable[[ModuleType, Path], Job],
    ) -> bool:
        """The letter, the document and the package: confirm a draft, ask where, export."""
        mod = self._module(load, title)
        if mod is None:
            return False
        draft = self._ask_draft(title)
        if draft is None:
            return False
        dest = self._ask_dest(title, name(mod, draft), name_filter, suffix)
        if dest is None:
            return False
        return self._run(title, dest, job(mod, dest), draft)

    # ---- the actions ----------------------------------------------------------------------

    def export_xlsx(self) -> bool:
        mod = self._module(_load_xlsx_export, tr("导出自评表"))
        if mod is None:
            return False
        name = mod.default_xlsx_name(self.session.project.assessment(), dt.date.today())
        dest = self._ask_dest(tr("导出自评表"), name, tr("Excel 工作簿 (*.xlsx)"), ".xlsx")
        if dest is None:
            return False
        return self._run(
            tr("导出自评表"), dest, lambda p, _progress: mod.export_xlsx(p, dest), draft=False
        )

    def export_letter(self) -> bool:
        return self._submission_export(
            _load_pdf_letter,
            tr("导出承诺书"),
            lambda _mod, _draft: tr("{company}_诚信承诺书.pdf").format(company=self._company()),
            tr("PDF 文件 (*.pdf)"),
            ".pdf",
            lambda mod, dest: lambda p, _progress: mod.export_letter(p, dest),
        )

    def export_document(self) -> bool:
        return self._submission_export(
            _load_pdf_document,
            tr("导出完整自评材料"),
            lambda _mod, _draft: tr("{company}_自评材料.pdf").format(company=self._company()),
            tr("PDF 文件 (*.pdf)"),
            ".pdf",
            lambda mod, dest: lambda p, progress: mod.export_document(p, dest, progress=progress),
        )

    def export_package(self) -> bool:
        return self._submission_export(
            _load_package,
            tr("导出提交材料包"),
            lambda mod, draft: mod.default_package_name(
                self.session.project.assessment(), dt.date.today(), draft
            ),
            tr("zip 压缩包 (*.zip)"),
            ".zip",
            lambda mod, dest: lambda p, progress: mod.export_package(p, dest, progress=progress),
        )

    def verify_package(self) -> bool:
        mod = self._module(_load_package, tr("校验提交材料包"))
        if mod is None:
            return False
        path = dialogs.open_file(
            self.parent,
            tr("选择要校验的提交材料包"),
            self.settings.folder("exports"),
            tr("zip 压缩包 (*.zip)"),
        )
        if path is None:
            return False
        out = io.StringIO()
        try:
            code = run_with_progress(
                self.parent,
                tr("校验提交材料包"),
                tr("正在校验 {name}…").format(name=path.name),
                lambda _progress: int(mod.verify_cli(path, out)),
            )
        except CsrError as exc:
            dialogs.failure(self.parent, tr("校验提交材料包"), exc)
            return False
        report = out.getvalue().strip()
        if code == 0:
            dialogs.information(self.parent, tr("校验通过"), report or tr("材料包完整。"))
        else:
            dialogs.warning(self.parent, tr("校验未通过"), report or tr("材料包与记录不符。"))
        return code == 0

    def import_xlsx(self) -> bool:
        if self.session.readonly:
            return False
        mod = self._module(_load_xlsx_import, tr("导入 Excel"))
        if mod is None:
            return False
        path = dialogs.open_file(
            self.parent,
            tr("选择要导入的 Excel 自评表"),
            self.settings.folder("exports"),
            tr("Excel 工作簿 (*.xlsx)"),
        )
        if path is None:
            return False
        if not self.session.flush():
            return False
        project = self.session.project
        try:
            plan = mod.plan_import(project, path)
        except CsrError as exc:
            dialogs.failure(self.parent, tr("无法导入"), exc)
            return False
        lines = [change_text(c) for c in plan.changes]
        warnings = [change_text(w) for w in getattr(plan, "warnings", [])]
        if not lines:
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
        if warnings:
            text += "\n" + "\n".join(warnings)
        if not dialogs.confirm_changes(self.parent, tr("导入 Excel"), text, lines):
            return False
        return self.session.edit(lambda: mod.apply_import(project, plan))
