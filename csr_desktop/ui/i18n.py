"""The one translation helper for the Python side of the UI.

`pyside6-lupdate` files every module-level `tr("…")` call under the empty context, so `tr`
looks strings up there too; the Designer forms use their own class names as contexts. To
start a translation (e.g. English):

    python -m csr_desktop.ui.build_forms --ts en        # resources/i18n/csr_desktop_en.ts
    pyside6-linguist resources/i18n/csr_desktop_en.ts    # translate
    python -m csr_desktop.ui.build_forms --qm           # -> csr_desktop_en.qm

and start the app with CSR_DESKTOP_LANG=en (or ui/language=en in its settings file)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = ""  # where pyside6-lupdate puts module-level tr() calls


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)
