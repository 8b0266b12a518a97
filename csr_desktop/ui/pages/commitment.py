"""诚信承诺书: the fixed text from the indicator set and its signature blanks."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.operations.fields import set_field
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.pages.base import LazyPage
from csr_desktop.ui.pages.fields import add_fields, rich_lines
from csr_desktop.ui.session import Session

COMPANY_KEY = FieldRef.commitment("company_name").key


class CommitmentPage(LazyPage):
    def __init__(self, session: Session) -> None:
        super().__init__(session, tr("诚信承诺书"))
        self.edits: dict[str, QLineEdit] = {}

    def build(self, content: QWidget) -> None:
        from csr_desktop.ui.forms.ui_commitment_page import Ui_CommitmentPage  # ~0.7 ms

        self.form = Ui_CommitmentPage()
        self.form.setupUi(content)
        text = self.session.project.indicator_set.commitment
        self.form.letterTitleLabel.setText(rich_lines(text.title_lines))
        self.form.bodyLabel.setText(text.body)
        self.edits = add_fields(
            self.session, self.form.fieldsLayout, content, "commitment", text.fields
        )
        has_company_field = COMPANY_KEY.split(".")[1] in self.edits
        self.form.copyCompanyButton.setVisible(has_company_field)
        self.form.copyCompanyButton.clicked.connect(self.copy_company_name)
        from csr_desktop.ui.scan_box import add_scan_box  # ~0.9 ms

        self.scan_box = add_scan_box(self.session, "letter", content)

    def copy_company_name(self) -> None:
        """The letter names the same company as the cover: save retyping (one undo step)."""
        name = self.session.project.assessment().company.get("name", "")
        if name:
            self.session.flush()
            label = tr("使用封面上的企业名称")
            self.session.run(lambda: set_field(self.session.project, COMPANY_KEY, name, label))

    def refresh(self, keys: frozenset[str] | None) -> None:
        self.refresh_bindings(keys)
        company = self.session.project.assessment().company.get("name", "")
        self.form.copyCompanyButton.setEnabled(
            bool(company)
            and not self.session.readonly
            and self.edits.get("company_name") is not None
            and self.edits["company_name"].text() != company
        )

    def first_focus(self) -> QWidget | None:
        return next(iter(self.edits.values()), None)
