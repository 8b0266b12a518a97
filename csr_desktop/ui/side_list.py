"""The list of all pages at the window's side: a status mark each, click to jump, and the
progress figure (已完成 n/28)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem

from csr_desktop.core.assessment import Assessment
from csr_desktop.core.indicators import Field
from csr_desktop.ui.completeness import count_done, indicator_statuses
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.status_icons import SIZE, STATUSES, icon_file
from csr_desktop.ui.wizard import COVER, Wizard

# Item roles as numbers, marks from files: this list is filled before the first paint, and
# touching PySide6's `Qt` namespace builds all its ~90 enums (20–30 ms).
DECORATION_ROLE = 1  # Qt.ItemDataRole.DecorationRole
USER_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
ACCESSIBLE_TEXT_ROLE = 11  # Qt.ItemDataRole.AccessibleTextRole
MARK_SIZE = 16  # logical pixels, the list's own icon size; the 64 px file stays sharp at 400 %
PAGE_ROLE = USER_ROLE
STATUS_ROLE = USER_ROLE + 1
LABEL_ROLE = USER_ROLE + 2  # the page's name, without the 待复核 mark
TRANSPARENT = QColor(0, 0, 0, 0)  # Qt.GlobalColor.transparent


def status_text(status: str) -> str:
    return {"done": tr("已完成"), "incomplete": tr("未完成"), "empty": tr("未开始")}.get(status, "")


@cache
def status_mark(status: str) -> QPixmap:
    """A tick, a half disc or an empty ring (see `status_icons`), or a blank of the same size
    that keeps texts aligned.

    A pixmap whose device pixel ratio makes it MARK_SIZE logical pixels, set as the item's
    decoration: the view draws it like an icon, smoothly scaled, without this module building
    PySide6's QIcon class (its ~150-member ThemeIcon enum costs 2–3 ms of start-up)."""
    if status in STATUSES:
        mark = QPixmap(str(icon_file(status)))
    else:
        mark = QPixmap(SIZE, SIZE)
        mark.fill(TRANSPARENT)
    mark.setDevicePixelRatio(SIZE / MARK_SIZE)
    return mark


def fields_status(values: Mapping[str, str], fields: tuple[Field, ...]) -> str:
    filled = [bool(values.get(f.key, "").strip()) for f in fields]
    if all(filled):
        return "done"
    return "incomplete" if any(filled) else "empty"


class SideList:
    """Keeps the list and the progress label in step with the project and the wizard."""

    def __init__(self, wizard: Wizard, lst: QListWidget, progress: QLabel) -> None:
        self.wizard = wizard
        self.list = lst
        self.progress = progress
        lst.blockSignals(True)
        lst.clear()
        iset = wizard.session.project.indicator_set
        entries = [(COVER, tr("封面信息"))]
        entries += [(i.no, f"{i.no}. {i.name}") for i in iset.indicators]
        entries += [(wizard.COMMITMENT, tr("诚信承诺书")), (wizard.REVIEW, tr("检查与导出"))]
        for page_id, text in entries:
            item = QListWidgetItem(text)
            item.setData(PAGE_ROLE, page_id)
            item.setData(LABEL_ROLE, text)
            if page_id == wizard.REVIEW:
                item.setData(DECORATION_ROLE, status_mark("none"))  # keeps the texts aligned
            lst.addItem(item)
        lst.blockSignals(False)
        lst.currentRowChanged.connect(self._chosen)
        wizard.currentIdChanged.connect(self._follow)
        wizard.session.changed.connect(lambda _keys: self.update())
        wizard.session.damaged_found.connect(self.update)
        self.update()
        self._follow(wizard.currentId())

    def detach(self) -> None:
        """Empty the list without jumping anywhere (the project is closing)."""
        self.list.currentRowChanged.disconnect(self._chosen)
        self.list.blockSignals(True)
        self.list.clear()
        self.list.blockSignals(False)

    def row_of(self, page_id: int) -> int:
        for row in range(self.list.count()):
            if self.list.item(row).data(PAGE_ROLE) == page_id:
                return row
        return -1

    def _chosen(self, row: int) -> None:
        if row < 0:
            return
        page_id = int(self.list.item(row).data(PAGE_ROLE))
        if page_id != self.wizard.currentId():
            self.wizard.go_to(page_id)

    def _follow(self, page_id: int) -> None:
        row = self.row_of(page_id)
        if row >= 0 and row != self.list.currentRow():
            self.list.blockSignals(True)
            self.list.setCurrentRow(row)
            self.list.blockSignals(False)

    def statuses(self, assessment: Assessment) -> dict[int, str]:
        iset = assessment.indicator_set
        result = {COVER: fields_status(assessment.company, iset.cover_fields)}
        result.update(indicator_statuses(assessment, self.wizard.session.known_blob_ok))
        result[self.wizard.COMMITMENT] = fields_status(
            assessment.commitment, iset.commitment.fields
        )
        return result

    def update(self) -> None:
        project = self.wizard.session.project
        assessment = project.assessment()
        statuses = self.statuses(assessment)
        for row in range(self.list.count()):
            item = self.list.item(row)
            page_id = int(item.data(PAGE_ROLE))
            status = statuses.get(page_id)
            if status is None:
                continue
            pending = page_id in assessment.answers and assessment.answer(page_id).review_pending
            label = item.data(LABEL_ROLE)
            dept = (
                assessment.answer(page_id).department.strip()
                if page_id in assessment.answers
                else ""
            )
            if dept:  # the 负责部门 after the name
                label = f"{label} · {dept}"
            text = label + tr(" · 待复核") if pending else label
            if item.data(STATUS_ROLE) == status and item.text() == text:
                continue
            item.setText(text)
            item.setData(STATUS_ROLE, status)
            item.setData(DECORATION_ROLE, status_mark(status))
            said = status_text(status) + (tr("，待复核") if pending else "")
            item.setToolTip(f"{text}：{said}")  # the whole name when the list elides it
            item.setData(ACCESSIBLE_TEXT_ROLE, f"{label}，{said}")
        numbers = assessment.indicator_set.numbers
        done = count_done(assessment, self.wizard.session.known_blob_ok)
        self.progress.setText(tr("已完成 {done}/{total}").format(done=done, total=len(numbers)))
        self.progress.setAccessibleName(self.progress.text())
