"""文件 › 以上一年度项目为基础新建, and the offer to move an old project onto the app's newer
indicator set: both build a new file with the core's `carry_over` and show its report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from csr_desktop.core.errors import Cancelled, CsrError, quoted
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.worker import run_with_progress

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from csr_desktop.core.carry_over import Report
    from csr_desktop.core.indicators import IndicatorSet


def _build(
    parent: QWidget, source: Path, dest: Path, iset: IndicatorSet | None, mode: str
) -> Report | None:
    from csr_desktop.core.carry_over import carry_over

    try:
        return run_with_progress(
            parent,
            tr("新建项目"),
            tr("正在复制佐证材料…"),
            lambda progress: carry_over(source, dest, iset, mode, progress),
        )
    except Cancelled:
        return None
    except CsrError as exc:
        dialogs.error(parent, tr("无法新建项目"), exc.zh)
        return None


def _next_set(parent: QWidget, source: Path) -> IndicatorSet | None:
    """The app's newer indicator set if last year's project was made with its previous
    version and the user wants this year's project on it; None keeps last year's set."""
    from csr_desktop.core.indicators import default_indicator_set, offers_upgrade
    from csr_desktop.core.store import Project

    try:
        with Project.open(source, readonly=True) as old:
            old_set = old.indicator_set
    except CsrError:
        return None  # carry_over names the problem
    app_set = default_indicator_set()
    if not offers_upgrade(old_set, app_set):
        return None
    question = tr(
        "上一年度项目使用指标体系版本 {old}，本软件带有新版本 {new}。"
        "新项目是否使用新版本？（答案按对照表移动，并列出所有变化）"
    ).format(old=old_set.version, new=app_set.version)
    return app_set if dialogs.confirm_upgrade(parent, tr("指标体系有新版本"), question) else None


def new_year(parent: QWidget, current: Path | None, folder: str) -> Path | None:
    """Ask for last year's project (the open one is proposed) and the new file's name; build
    it, show the report and return the new file, or None if nothing was made."""
    source = dialogs.open_project(
        parent,
        str(current.parent) if current else folder,
        tr("第 1 步：选择上一年度的项目（新项目以它为基础）"),
    )
    if source is None:
        return None
    proposed = source.with_name(source.stem + tr("_下一年度") + source.suffix)
    dest = dialogs.new_project(parent, tr("第 2 步：新一年度项目另存为"), str(proposed))
    if dest is None:
        return None
    report = _build(parent, source, dest, _next_set(parent, source), "new-year")
    if report is None:
        return None
    dialogs.report(parent, tr("已新建下一年度项目"), report.lines())
    return dest


def offer_upgrade(parent: QWidget, path: Path, old: IndicatorSet, new: IndicatorSet) -> Path | None:
    """Opening a project made with the previous version of the app's indicator set: offer to
    move it onto the new one, as a new file. Without an upgrade it keeps the set it was made
    with. Returns the upgraded file, or None to open the project as it is."""
    question = tr(
        "项目 {path} 使用的指标体系为版本 {old}（{old_n} 项），本软件带有新版本 {new}"
        "（{new_n} 项）。\n\n是否升级？升级时按新版本的对照表移动答案，另存为一个新文件，"
        "原项目保持不变；有变化的指标将标记为“待复核”。\n选择“否”则按原指标体系打开。"
    ).format(
        path=quoted(path),
        old=old.version,
        old_n=len(old.indicators),
        new=new.version,
        new_n=len(new.indicators),
    )
    if not dialogs.confirm_upgrade(parent, tr("指标体系有新版本"), question):
        return None
    proposed = path.with_name(f"{path.stem}_{new.version}{path.suffix}")
    dest = dialogs.new_project(parent, tr("升级后的项目另存为"), str(proposed))
    if dest is None:
        return None
    report = _build(parent, path, dest, new, "upgrade")
    if report is None:
        return None
    dialogs.report(parent, tr("指标体系升级报告"), report.lines())
    return dest
