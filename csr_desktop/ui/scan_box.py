"""The box under the 承诺书 and the cover: attach the scan of the printed, signed and stamped
page, which the complete documents then print in its place and the package carries."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QBoxLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.scans import SCAN_TARGETS, scan_from
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session

SCAN_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp);;所有文件 (*)"


class ScanBox(QGroupBox):
    """签章扫描件: what is attached (name, size, SHA-256), attach or replace, remove."""

    def __init__(self, session: Session, target: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("签章扫描件"), parent)
        self.session = session
        self.target = target
        self.setAccessibleName(tr("{what}签章扫描件").format(what=SCAN_TARGETS[target]))
        layout = QVBoxLayout(self)
        self.hint = QLabel(
            tr(
                "打印{what}、签字并加盖公章后扫描（PDF 或图片），在此附上："
                "完整自评材料将以扫描件代替生成的页面，提交材料包也会带上扫描件及其 SHA-256。"
            ).format(what=SCAN_TARGETS[target]),
            self,
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.attach_button = QPushButton(tr("附上扫描件…"), self)
        self.attach_button.clicked.connect(self.choose)
        self.remove_button = QPushButton(tr("移除扫描件"), self)
        self.remove_button.clicked.connect(self.remove)
        row.addWidget(self.attach_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        session.changed.connect(self._changed)
        self.refresh()

    def _changed(self, keys: frozenset[str]) -> None:
        if FieldRef.scan(self.target).key in keys:
            self.refresh()

    def refresh(self) -> None:
        key = FieldRef.scan(self.target).key
        scan = scan_from({key: self.session.project.get(key)}, self.target)
        if scan is None:
            self.status.setText(tr("尚未附上扫描件。"))
        else:
            from csr_desktop.core.units import human_size

            self.status.setText(
                tr("已附上：{name}（{size}，SHA-256 {sha}）").format(
                    name=scan.name, size=human_size(scan.size), sha=scan.sha256
                )
            )
        writable = not self.session.readonly
        self.attach_button.setEnabled(writable)
        self.attach_button.setText(tr("更换扫描件…") if scan else tr("附上扫描件…"))
        self.remove_button.setEnabled(writable and scan is not None)

    def choose(self) -> bool:
        from csr_desktop.ui.settings import remember_folder, start_folder

        path = dialogs.open_file(
            self,
            tr("选择{what}的签章扫描件").format(what=SCAN_TARGETS[self.target]),
            start_folder(self, "scans", self.session.project.path.parent),
            tr(SCAN_FILTER),
        )
        if path is None:
            return False
        remember_folder(self, "scans", path)
        return self.attach(path)

    def attach(self, path: Path) -> bool:
        from csr_desktop.formats.evidence.scan_files import attach_scan

        if not self.session.flush():
            return False
        return self.session.edit(lambda: attach_scan(self.session.project, self.target, path))

    def remove(self) -> bool:
        from csr_desktop.formats.evidence.scan_files import remove_scan

        return self.session.edit(lambda: remove_scan(self.session.project, self.target))


def add_scan_box(session: Session, target: str, content: QWidget) -> ScanBox:
    """Put the box at the end of the page, above its bottom spacer."""
    box = ScanBox(session, target, content)
    layout = content.layout()
    assert isinstance(layout, QBoxLayout)
    at = layout.count()
    last = layout.itemAt(at - 1) if at else None
    if last is not None and last.spacerItem() is not None:
        at -= 1
    layout.insertWidget(at, box)
    return box
