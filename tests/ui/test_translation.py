"""An English translation is a .qm file dropped into resources/i18n — no code changes: the
strings lupdate extracts are exactly the ones the UI looks up at run time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from csr_desktop import app as app_module
from csr_desktop.ui import build_forms

ENGLISH = {
    "封面信息": "Cover",  # Python code (side list)
    "已完成 {done}/{total}": "Done {done}/{total}",  # a formatted Python string
    "添加文件(&amp;A)…": "&amp;Add files…",  # a Designer form
    "文件(&amp;F)": "&amp;File",  # the menu, from main_window.ui
    "导出自评表（Excel）…": "Export the self-assessment (Excel)…",  # the exporter registry
    "导出承诺书": "Export the letter",  # an export's title (the review page's button name)
}


def test_a_compiled_translation_changes_the_ui_without_code_changes(
    make_window: Any, empty_project: Path, tmp_path: Path, monkeypatch
) -> None:
    ts = tmp_path / "csr_desktop_en.ts"
    build_forms.update_ts(ts)
    text = ts.read_text(encoding="utf-8")
    for source, target in ENGLISH.items():
        pattern = (
            f'<source>{re.escape(source)}</source>\\s*<translation type="unfinished"></translation>'
        )
        text, n = re.subn(
            pattern, f"<source>{source}</source><translation>{target}</translation>", text
        )
        assert n >= 1, f"lupdate did not extract {source}"
    ts.write_text(text, encoding="utf-8")
    build_forms.release_qm(ts)
    monkeypatch.setattr(app_module, "resource_path", lambda *_parts: tmp_path)
    app = QCoreApplication.instance()
    translators = app_module.install_translators(app, "en")
    try:
        window = make_window(empty_project)
        assert window.form.pageList.item(0).text() == "Cover"
        assert window.form.progressLabel.text() == "Done 0/28"
        assert window.form.menuFile.title() == "&File"
        assert window.export_actions["xlsx"].text() == "Export the self-assessment (Excel)…"
        page = window.wizard.go_to(1)
        assert page.form.addButton.text() == "&Add files…"
    finally:
        for t in translators:
            app.removeTranslator(t)
        QLocale.setDefault(QLocale.system())
