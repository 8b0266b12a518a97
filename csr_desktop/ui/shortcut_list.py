"""帮助 › 键盘快捷键: every key the window answers to, read from its actions, shortcuts and
the underlined letters of each page's widgets, so the list cannot drift from the keys."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QMenuBar, QWidget

from csr_desktop.ui.i18n import tr
from csr_desktop.ui.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from csr_desktop.ui.wizard import Wizard


class MainWindow(Protocol):
    """What the list reads of the main window, which opens it (so it never imports the window)."""

    @property
    def wizard(self) -> Wizard | None: ...

    def menuBar(self) -> QMenuBar: ...

    def isAncestorOf(self, child: QWidget, /) -> bool: ...

    def window(self) -> QWidget: ...


_MNEMONIC = re.compile(r"&([^&\s])")


class Key(NamedTuple):
    keys: str  # as the user types it, e.g. Ctrl+Shift+E or Alt+N
    what: str  # what it does, in the window's words
    where: str  # 全局, or the page it belongs to


def plain(text: str) -> str:
    """A widget's text without its mnemonic marker and the "(X)" it shows."""
    text = re.sub(r"\(&[^&]\)", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip(" .…<>")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return f"Alt+{found.group(1).upper()}" if found else None


def global_keys(window: MainWindow) -> list[Key]:
    """The menu bar's menus and actions with shortcuts, and the window's own shortcuts."""
    from csr_desktop.ui.shortcuts import registered

    out: list[Key] = []
    for menu_action in window.menuBar().actions():
        key = mnemonic(menu_action.text())
        if key:
            out.append(Key(key, tr("打开“{menu}”菜单").format(menu=plain(menu_action.text())), ""))
        menu = menu_action.menu()
        if isinstance(menu, QMenu):
            for action in menu.actions():
                name = plain(action.text().split("：")[0])  # 撤销：<last step> → 撤销
                for seq in action.shortcuts():
                    out.append(Key(seq.toString(), name, ""))
    for keys, what, where, owner in registered():
        if owner is window.window() or window.isAncestorOf(owner):
            out.append(Key(keys, what, where))
    return out


def page_keys(window: MainWindow, page_id: int) -> list[Key]:
    """The underlined letters (Alt+…) on one page, the wizard's buttons included."""
    from PySide6.QtWidgets import QWizard

    wizard = window.wizard
    if wizard is None:
        return []
    page = wizard.lazy_page(page_id)
    page.ensure_built()
    where = page_kind_name(window, page_id)
    found: list[QAbstractButton | QLabel | QGroupBox] = [
        *page.findChildren(QAbstractButton),
        *page.findChildren(QLabel),
        *page.findChildren(QGroupBox),
    ]
    widgets = [w for w in found if not isinstance(w, QLabel) or w.buddy() is not None]
    out = []
    for w in widgets:
        text = w.title() if isinstance(w, QGroupBox) else w.text()
        key = mnemonic(text)
        if key and not w.isHidden():
            out.append(Key(key, plain(text), where))
    last = page_id == max(wizard.pageIds())
    first = page_id == min(wizard.pageIds())
    buttons = [QWizard.WizardButton.FinishButton if last else QWizard.WizardButton.NextButton]
    if not first:
        buttons.append(QWizard.WizardButton.CustomButton1)
    for which in buttons:
        text = wizard.buttonText(which)
        key = mnemonic(text)
        if key:
            scope = where if which == QWizard.WizardButton.FinishButton else tr("各页")
            out.append(Key(key, plain(text), scope))
    return out


def page_kind_name(window: MainWindow, page_id: int) -> str:
    wizard = window.wizard
    assert wizard is not None
    if page_id in wizard.indicator_numbers:
        return tr("指标页")
    return wizard.lazy_page(page_id).title()


def page_kinds(window: MainWindow) -> list[int]:
    """One page of each kind: cover, an indicator, the letter, the review."""
    wizard = window.wizard
    if wizard is None:
        return []
    return [0, min(wizard.indicator_numbers), wizard.COMMITMENT, wizard.REVIEW]


def clashes(window: MainWindow) -> list[str]:
    """Keys that mean two things on one page (the window's keys count on every page)."""
    found = []
    for page_id in page_kinds(window):
        seen: dict[str, str] = {}
        for key in global_keys(window) + page_keys(window, page_id):
            name = key.keys.upper()
            if name in seen and seen[name] != key.what:
                found.append(f"{key.where or page_id} {key.keys}: {seen[name]} / {key.what}")
            seen.setdefault(name, key.what)
    return found


def all_keys(window: MainWindow) -> list[Key]:
    out = [k._replace(where=k.where or tr("任何页面")) for k in global_keys(window)]
    seen = set()
    for page_id in page_kinds(window):
        for key in page_keys(window, page_id):
            if (key.keys, key.what) not in seen:
                seen.add((key.keys, key.what))
                out.append(key)
    return out


def show(window: MainWindow) -> QWidget:
    """A table of the keys, non-modal, to keep open beside the work."""
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QDialog,
        QHeaderView,
        QTableWidget,
        QTableWidgetItem,
        QVBoxLayout,
    )

    dialog = QDialog(window.window())
    dialog.setObjectName("shortcutList")
    dialog.setWindowTitle(tr("键盘快捷键"))
    dialog.setAccessibleName(tr("键盘快捷键"))
    layout = QVBoxLayout(dialog)
    if window.wizard is None:
        intro = QLabel(tr("打开项目后，各页的快捷键（Alt+字母）也会列在这里。"), dialog)
        layout.addWidget(intro)
    keys = all_keys(window) if window.wizard is not None else global_keys(window)
    table = QTableWidget(len(keys), 3, dialog)
    table.setObjectName("shortcutTable")
    table.setAccessibleName(tr("键盘快捷键"))
    table.setHorizontalHeaderLabels([tr("按键"), tr("作用"), tr("适用于")])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for row, key in enumerate(keys):
        for col, value in enumerate((key.keys, key.what, key.where or tr("任何页面"))):
            table.setItem(row, col, QTableWidgetItem(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    layout.addWidget(table)
    fit_to_screen(dialog, 640, 720)
    dialog.show()
    return dialog
