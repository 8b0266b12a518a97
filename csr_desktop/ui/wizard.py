"""The QWizard: 封面信息 → one page per 三级指标 → 诚信承诺书 → 检查与导出.

Page ids follow the form: 0 is the cover, n is indicator n, then the letter and the review.
The wizard lives inside the main window, so Escape and Finish must not hide it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget, QWizard

from csr_desktop.core.indicators import OPTIONS_PER_SCALE
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.pages.base import LazyPage
from csr_desktop.ui.pages.commitment import CommitmentPage
from csr_desktop.ui.pages.cover import CoverPage
from csr_desktop.ui.pages.indicator import IndicatorPage
from csr_desktop.ui.pages.review import ReviewPage
from csr_desktop.ui.session import Session
from csr_desktop.ui.shortcuts import add_shortcut

COVER = 0


class Wizard(QWizard):
    finish_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__()
        if parent is not None:
            # setParent(parent) keeps the flags but not the window type: the wizard becomes a
            # plain child widget (as setWindowFlags(Qt.WindowType.Widget) would, without
            # building the `Qt` namespace at start-up)
            self.setParent(parent)
        self.session = session
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.IndependentPages, True)
        # 上一步 means the previous page of the form, whichever way the user got here (side
        # list, review links), not QWizard's history of visited pages.
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonLayout(
            [
                QWizard.WizardButton.Stretch,
                QWizard.WizardButton.CustomButton1,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
            ]
        )
        self.customButtonClicked.connect(lambda _which: self.previous())
        iset = session.project.indicator_set
        self.indicator_numbers = iset.numbers
        self.COMMITMENT = max(self.indicator_numbers) + 1
        self.REVIEW = self.COMMITMENT + 1
        self.setPage(COVER, CoverPage(session))
        for no in self.indicator_numbers:
            self.setPage(no, IndicatorPage(session, no))
        self.setPage(self.COMMITMENT, CommitmentPage(session))
        review = ReviewPage(session)
        review.go_to.connect(self.go_to_key)
        self.setPage(self.REVIEW, review)
        self.currentIdChanged.connect(self._shown)
        self.retranslate_buttons()
        for button, name in (
            (QWizard.WizardButton.CustomButton1, tr("上一步")),
            (QWizard.WizardButton.NextButton, tr("下一步")),
            (QWizard.WizardButton.FinishButton, tr("完成")),
        ):
            self.button(button).setAccessibleName(name)
        for r in range(1, OPTIONS_PER_SCALE + 1):
            what = tr("选择第 {n} 个自评选项").format(n=r)
            add_shortcut(self, str(r), partial(self._rate, r), what, tr("指标页"))

    def retranslate_buttons(self) -> None:
        """Our own texts: Qt's translation gives 完成 the menu bar's Alt+F (文件), and untranslated
        its English; every key here is checked against the page's (ui.shortcut_list.clashes)."""
        self.setButtonText(QWizard.WizardButton.CustomButton1, tr("< 上一步(&B)"))
        self.setButtonText(QWizard.WizardButton.NextButton, tr("下一步(&N) >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("完成(&I)"))

    # ---- pages ----------------------------------------------------------------------------

    def page_ids(self) -> list[int]:
        return sorted(self.pageIds())

    def lazy_page(self, page_id: int) -> LazyPage:
        page = self.page(page_id)
        assert isinstance(page, LazyPage)
        return page

    def indicator_page(self, no: int) -> IndicatorPage:
        page = self.page(no)
        assert isinstance(page, IndicatorPage)
        return page

    def review_page(self) -> ReviewPage:
        page = self.page(self.REVIEW)
        assert isinstance(page, ReviewPage)
        return page

    def go_to(self, page_id: int) -> LazyPage:
        """Jump to any page (side list, review links); typing in progress is saved first."""
        self.session.flush()
        page = self.lazy_page(page_id)
        page.ensure_built()
        if self.currentId() != page_id:
            self.setCurrentId(page_id)
        return page

    def go_to_key(self, key: str) -> None:
        """The page that holds field `key` (from a validation finding)."""
        section, _, rest = key.partition(".")
        if section == "company":
            self.go_to(COVER)
        elif section == "commitment":
            self.go_to(self.COMMITMENT)
        elif section == "indicator":
            self.go_to(int(rest.split(".")[0]))
        focus = self.lazy_page(self.currentId()).first_focus()
        if focus is not None:
            focus.setFocus()

    def previous(self) -> None:
        self._step(-1)

    def following(self) -> None:
        self._step(1)

    def _step(self, delta: int) -> None:
        ids = self.page_ids()
        pos = ids.index(self.currentId()) + delta
        if 0 <= pos < len(ids):
            self.go_to(ids[pos])

    def _shown(self, page_id: int) -> None:
        if page_id < 0:
            return
        self.button(QWizard.WizardButton.CustomButton1).setEnabled(page_id != self.page_ids()[0])
        self.session.flush()
        page = self.lazy_page(page_id)
        page.ensure_built()
        focus = page.first_focus()
        if focus is not None:
            focus.setFocus()  # Qt.FocusReason.OtherFocusReason

    def _rate(self, rating: int) -> None:
        page = self.currentPage()
        if isinstance(page, IndicatorPage):
            page.choose(rating)

    # ---- staying inside the window -------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a list or table opens the item (a link, a file) and stays on the page;
        QDialog would otherwise also press the default button, 下一步."""
        from PySide6.QtCore import Qt

        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and isinstance(QApplication.focusWidget(), QAbstractItemView):
            event.accept()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Escape must not hide the embedded wizard; everything is saved anyway."""

    def accept(self) -> None:
        self.session.flush()
        self.finish_requested.emit()
