"""封面信息: the cover fields, generated from the indicator set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLineEdit, QWidget

from csr_desktop.ui.first_paint import after_first_paint
from csr_desktop.ui.forms.ui_cover_page import Ui_CoverPage
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.pages.base import LazyPage
from csr_desktop.ui.pages.fields import add_fields, rich_lines
from csr_desktop.ui.session import Session

if TYPE_CHECKING:
    from csr_desktop.ui.scan_box import ScanBox


class CoverPage(LazyPage):
    def __init__(self, session: Session) -> None:
        super().__init__(session, tr("封面信息"))
        self.edits: dict[str, QLineEdit] = {}
        self.scan_box: ScanBox | None = None

    def build(self, content: QWidget) -> None:
        self.form = Ui_CoverPage()
        self.form.setupUi(content)
        iset = self.session.project.indicator_set
        self.form.documentTitleLabel.setText(rich_lines(iset.document_title_lines))
        self.edits = add_fields(
            self.session, self.form.fieldsLayout, content, "company", iset.cover_fields
        )
        # The first page the user sees: its scan box (below the fields) is built just after
        # the first paint, off the start-up path (a 50 ms timer came before the paint on a busy
        # machine, and the box, its module and QPushButton's QIcon enums cost ~10 ms).
        after_first_paint(content, lambda: self._add_scan_box(content))

    def _add_scan_box(self, content: QWidget) -> None:
        from csr_desktop.ui.scan_box import add_scan_box  # ~0.9 ms

        if self.scan_box is None:
            self.scan_box = add_scan_box(self.session, "cover", content)

    def refresh(self, keys: frozenset[str] | None) -> None:
        self.refresh_bindings(keys)

    def first_focus(self) -> QWidget | None:
        return next(iter(self.edits.values()), None)
