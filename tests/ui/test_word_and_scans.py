"""The window's Word export, the scan boxes on the 承诺书 and cover pages, and the question a
final package asks when the stamped letter is missing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from PIL import Image
from PySide6.QtCore import Qt
from reportlab.pdfgen.canvas import Canvas

from csr_desktop.core.store import Project
from csr_desktop.formats.evidence.scan_files import project_scan


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def scan_pdf(path: Path) -> Path:
    canvas = Canvas(str(path))
    canvas.drawString(100, 700, "STAMPED")
    canvas.showPage()
    canvas.save()
    return path


def test_the_review_page_exports_the_word_version(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs: Any
) -> None:
    window = make_window(sample_project)
    page = window.wizard.go_to(window.wizard.REVIEW)
    fake_dialogs.save_as = tmp_path / "自评材料.docx"
    click(qtbot, page.export_buttons["docx"])
    assert fake_dialogs.save_proposals[-1].endswith(".docx")
    assert fake_dialogs.texts("error") == []
    assert Document(str(tmp_path / "自评材料.docx")).tables


def test_the_letter_page_attaches_and_removes_the_stamped_scan(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs: Any
) -> None:
    window = make_window(sample_project)
    page = window.wizard.go_to(window.wizard.COMMITMENT)
    box = page.scan_box
    assert box.isVisible() and not box.remove_button.isEnabled()
    fake_dialogs.file = scan_pdf(tmp_path / "承诺书_盖章.pdf")
    click(qtbot, box.attach_button)
    assert "承诺书_盖章.pdf" in box.status.text()
    with Project.open(sample_project, readonly=True) as fresh:  # saved at once
        assert project_scan(fresh, "letter") is not None
    click(qtbot, box.remove_button)
    assert "尚未附上" in box.status.text()
    assert project_scan(window.session.project, "letter") is None


def test_the_cover_page_refuses_a_file_that_is_not_a_scan(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs: Any
) -> None:
    window = make_window(sample_project)
    page = window.wizard.go_to(0)
    qtbot.waitUntil(lambda: page.scan_box is not None)  # built just after the first paint
    box = page.scan_box
    bad = tmp_path / "封面.txt"
    bad.write_text("不是图片", encoding="utf-8")
    fake_dialogs.file = bad
    click(qtbot, box.attach_button)
    [error] = fake_dialogs.texts("error")
    assert "封面.txt" in error
    good = tmp_path / "封面.png"
    Image.new("RGB", (620, 877), "white").save(good)
    fake_dialogs.file = good
    click(qtbot, box.attach_button)
    assert "封面.png" in box.status.text()


def test_a_final_package_without_the_stamped_letter_proposes_to_print_it_first(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs: Any
) -> None:
    window = make_window(sample_project)
    page = window.wizard.go_to(window.wizard.REVIEW)
    fake_dialogs.save_as = tmp_path / "承诺书.pdf"
    fake_dialogs.answer = True  # yes: print the 承诺书 first
    click(qtbot, page.export_buttons["package"])
    [question] = fake_dialogs.texts("confirm")
    assert "签章" in question and "承诺书" in question
    assert fake_dialogs.save_proposals[-1].endswith(".pdf")
    assert (tmp_path / "承诺书.pdf").read_bytes().startswith(b"%PDF")
    # printed, stamped, scanned, attached: the package now goes without a question
    window.wizard.go_to(window.wizard.COMMITMENT).scan_box.attach(scan_pdf(tmp_path / "扫描.pdf"))
    page = window.wizard.go_to(window.wizard.REVIEW)
    fake_dialogs.save_as = tmp_path / "材料包.zip"
    click(qtbot, page.export_buttons["package"])
    assert len(fake_dialogs.texts("confirm")) == 1
    with zipfile.ZipFile(tmp_path / "材料包.zip") as zf:
        roles = [f["role"] for f in json.loads(zf.read("manifest.json"))["files"]]
    assert roles.count("scan") == 1
