"""The File menu's exports and the review page's export buttons are built from the exporter
registry (formats/exporters.py): a new export is one entry there, and no hand-kept list can
leave an export enabled without a project (issue 28)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from csr_desktop.formats import exporters
from csr_desktop.formats.exporters import EXPORTERS, ExportReport
from csr_desktop.ui import main_window
from csr_desktop.ui.pages import review


def _menu_texts(window: Any) -> list[str]:
    return [a.text() for a in window.form.menuFile.actions() if a.text()]


def test_the_menu_lists_every_export_of_the_registry_off_until_a_project_opens(
    make_window: Any, sample_project: Path
) -> None:
    window = make_window()
    labels = [e.label for e in EXPORTERS]
    texts = _menu_texts(window)
    first = texts.index(labels[0])
    assert texts[first : first + len(labels)] == labels  # the registry's order, together
    assert texts[first + len(labels)] == "导入 Excel…"
    assert list(window.export_actions) == [e.id for e in EXPORTERS]
    assert not any(a.isEnabled() for a in window.export_actions.values())
    assert window.open_project(sample_project)
    assert all(a.isEnabled() for a in window.export_actions.values())
    window.close_project()
    assert not any(a.isEnabled() for a in window.export_actions.values())


@pytest.fixture
def one_more_export(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A sixth export, added as one registry entry (seen by the menu, the page and run_export)."""
    written: list[Path] = []

    def write(_project: Any, dest: Path, _progress: Any) -> ExportReport:
        Path(dest).write_text("测试", encoding="utf-8")
        written.append(Path(dest))
        return ExportReport(Path(dest), "测试导出")

    extra = exporters.exporter("xlsx")._replace(
        id="extra",
        title="导出测试",
        label="导出测试材料…",
        suffix=".txt",
        file_filter="文本 (*.txt)",
        write=write,
        module="csr_desktop.formats.exporters",
    )
    registry = (*EXPORTERS, extra)
    for module in (exporters, main_window, review):
        monkeypatch.setattr(module, "EXPORTERS", registry)
    return written


def test_a_new_export_is_one_registry_entry(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs: Any,
    one_more_export: list[Path],
) -> None:  # fmt: skip
    window = make_window(sample_project)
    assert "导出测试材料…" in _menu_texts(window)
    assert window.export_actions["extra"].isEnabled()
    page = window.wizard.go_to(window.wizard.REVIEW)
    assert [b.text() for b in page.export_buttons.values()] == [
        "导出自评表（Excel）…",
        "导出承诺书（PDF）…",
        "导出完整自评材料（PDF）…",
        "导出完整自评材料（Word）…",
        "导出提交材料包…",
        "导出测试材料…",
    ]
    assert page.export_buttons["extra"].accessibleName() == "导出测试"
    fake_dialogs.save_as = tmp_path / "测试.txt"
    qtbot.mouseClick(page.export_buttons["extra"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(one_more_export), timeout=20000)
    assert one_more_export == [tmp_path / "测试.txt"]
    assert any("测试.txt" in t for t in fake_dialogs.texts("information"))
    fake_dialogs.save_as = tmp_path / "菜单.txt"
    window.export_actions["extra"].trigger()
    qtbot.waitUntil(lambda: len(one_more_export) == 2, timeout=20000)
    assert one_more_export[-1] == tmp_path / "菜单.txt"


def test_the_review_page_keeps_import_and_verify_beside_the_exports(
    make_window: Any, sample_project: Path
) -> None:
    window = make_window(sample_project)
    page = window.wizard.go_to(window.wizard.REVIEW)
    grid = page.form.exportLayout
    placed = {
        grid.itemAtPosition(r, c).widget().text()
        for r in range(grid.rowCount())
        for c in range(grid.columnCount())
        if grid.itemAtPosition(r, c) is not None
        and hasattr(grid.itemAtPosition(r, c).widget(), "text")
    }
    assert {e.label for e in EXPORTERS} | {"导入 Excel…", "校验提交材料包…"} <= placed
    assert all(b.isVisibleTo(page) for b in page.export_buttons.values())
