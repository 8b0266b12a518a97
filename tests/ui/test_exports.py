"""The review page: findings link to their pages; exports run on a worker thread; an Excel
import shows its changes first and is one undo step."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt

from csr_desktop.core.store import Project
from csr_desktop.core.validation import Severity
from tests.formats import colleague
from tests.template_seed import commitment_body


def pdf_text(path: Path) -> str:
    """The PDF's text as poppler extracts it (an independent reader), whitespace removed."""
    cmd = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def review(window: Any) -> Any:
    page = window.wizard.go_to(window.wizard.REVIEW)
    return page


def test_findings_link_to_their_pages(qtbot: Any, make_window: Any, empty_project: Path) -> None:
    window = make_window(empty_project)
    page = review(window)
    lst = page.form.findingsList
    gaps = [f for f in page.findings if f.severity is Severity.GAP]
    assert (
        "尚有" in page.form.summaryLabel.text() and str(len(gaps)) in page.form.summaryLabel.text()
    )
    row = next(i for i in range(lst.count()) if "第17项" in lst.item(i).text())
    lst.setFocus()
    lst.setCurrentRow(row)
    qtbot.keyClick(lst, Qt.Key.Key_Return)  # 回车 follows the link
    assert window.wizard.currentId() == 17
    page = review(window)
    cover_row = next(i for i in range(lst.count()) if "封面" in lst.item(i).text())
    rect = lst.visualItemRect(lst.item(cover_row))
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.wizard.currentId() == 0


def test_exports_write_the_files_the_user_named(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    window = make_window(sample_project)
    page = review(window)
    out = tmp_path / "导出"
    out.mkdir()
    with Project.open(sample_project, readonly=True) as project:
        assessment = project.assessment()
    company = assessment.company["name"]
    fake_dialogs.save_as = out / "自评表.xlsx"
    click(qtbot, page.export_buttons["xlsx"])
    assert fake_dialogs.save_proposals[-1].endswith(".xlsx")
    # the workbook holds this project's answers, not merely a zip
    book = load_workbook(out / "自评表.xlsx", read_only=True)
    cells = {
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    }
    book.close()
    assert company in "".join(cells)
    assert assessment.answer(1).evidence[0].name in cells
    fake_dialogs.save_as = out / "承诺书.pdf"
    click(qtbot, page.export_buttons["pdf"])
    letter = pdf_text(out / "承诺书.pdf")
    assert re.sub(r"\s+", "", commitment_body()) in letter and company in letter
    fake_dialogs.save_as = out / "材料包.zip"
    fake_dialogs.answer = False  # no stamped letter yet: export the package all the same
    click(qtbot, page.export_buttons["package"])
    with zipfile.ZipFile(out / "材料包.zip") as zf:
        names = zf.namelist()
    assert "manifest.json" in names and any(n.endswith(".xlsx") for n in names)
    assert sum(n.endswith(".pdf") for n in names) >= 2  # the letter and the document inside
    fake_dialogs.file = out / "材料包.zip"
    click(qtbot, page.form.verifyPackageButton)
    assert fake_dialogs.texts("error") == [] and fake_dialogs.texts("warning") == []
    infos = fake_dialogs.texts("information")
    assert any("自评表.xlsx" in t for t in infos) and any("承诺书.pdf" in t for t in infos)
    assert [t for _k, title, t in fake_dialogs.shown if title == "校验通过"]


def test_the_complete_document_exported_from_the_window_holds_the_whole_project(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    """导出完整自评材料 from the review page, then read back: cover, the letter as the template
    words it, and for every indicator its heading, its narrative and its catalogue rows."""
    with Project.open(sample_project, readonly=True) as project:
        assessment = project.assessment()
    iset = assessment.indicator_set
    window = make_window(sample_project)
    fake_dialogs.save_as = tmp_path / "自评材料.pdf"
    click(qtbot, review(window).export_buttons["document"])
    assert fake_dialogs.save_proposals[-1].endswith("_自评材料.pdf")
    assert fake_dialogs.texts("error") == [] and fake_dialogs.texts("warning") == []
    dest = tmp_path / "自评材料.pdf"
    pages = len(PdfReader(dest).pages)
    text = pdf_text(dest)
    assert f"—{pages}—" in text  # numbered to the end, nothing cut short
    text = re.sub(r"—\d+—", "", text)  # footers, so text across a page break reads on
    assert text.startswith(re.sub(r"\s+", "", iset.attachment_label))
    assert assessment.company["name"] in text and "草稿" not in text
    assert re.sub(r"\s+", "", commitment_body()) in text
    position = 0
    for ind in iset.indicators:  # in order, each section complete
        answer = assessment.answer(ind.no)
        heading = re.sub(r"\s+", "", iset.evidence.heading_for(ind))
        position = text.index(heading, position)
        narrative = re.sub(r"\s+", "", answer.narrative)
        assert narrative and narrative in text, ind.no
        for item in answer.evidence:
            assert re.sub(r"\s+", "", item.name) in text, (ind.no, item.name)


def test_a_format_module_not_installed_is_a_message_not_a_crash(
    qtbot: Any, make_window: Any, empty_project: Path, fake_dialogs, monkeypatch
) -> None:
    import csr_desktop.formats

    monkeypatch.setitem(sys.modules, "csr_desktop.formats.pdf.document", None)  # not installed
    monkeypatch.delattr(csr_desktop.formats, "pdf_document", raising=False)
    window = make_window(empty_project)
    click(qtbot, review(window).export_buttons["document"])
    [text] = fake_dialogs.texts("information")
    assert "导出完整自评材料" in text and "不支持" in text


def test_import_excel_lists_the_changes_and_is_one_undo_step(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    from csr_desktop.formats.xlsx.export import export_xlsx

    with Project.open(sample_project) as project:
        export_xlsx(project, tmp_path / "发出的.xlsx")
        was = {no: project.assessment().answer(no).rating for no in (3, 8)}
    before = {no: 5 if r != 5 else 4 for no, r in was.items()}  # what the colleague ticks
    workbook = colleague.returned(
        tmp_path / "发出的.xlsx",
        tmp_path / "同事改过的.xlsx",
        colleague.rate(3, before[3]),
        colleague.rate(8, before[8]),
    )
    window = make_window(sample_project)
    fake_dialogs.file = workbook
    fake_dialogs.answer = False  # first look, then cancel: nothing changes
    click(qtbot, review(window).form.importXlsxButton)
    [changes] = fake_dialogs.change_lists
    assert any("第3项" in c for c in changes) and any("第8项" in c for c in changes)
    project = window.session.project
    assert project.assessment().answer(3).rating != before[3]
    fake_dialogs.answer = True
    click(qtbot, review(window).form.importXlsxButton)
    assert {no: project.assessment().answer(no).rating for no in (3, 8)} == before
    window.undo()  # one step takes the whole import back
    assert project.assessment().answer(3).rating != before[3]
    assert project.assessment().answer(8).rating != before[8]


def test_a_draft_export_first_shows_what_is_missing(
    qtbot: Any, make_window: Any, empty_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    window = make_window(empty_project)
    page = review(window)
    out = tmp_path / "草稿导出"
    out.mkdir()
    fake_dialogs.save_as = out / "材料包.zip"
    fake_dialogs.answer = False  # the user reads the gaps and decides to finish first
    click(qtbot, page.export_buttons["package"])
    assert list(out.iterdir()) == []
    [gaps] = fake_dialogs.change_lists
    assert any("尚未选择企业自评" in line for line in gaps)
    assert any("草稿" in t for t in fake_dialogs.texts("confirm"))
    fake_dialogs.answer = True  # …or exports the draft anyway
    click(qtbot, page.export_buttons["package"])
    assert "草稿" in Path(fake_dialogs.save_proposals[-1]).name
    with zipfile.ZipFile(out / "材料包.zip") as zf:
        assert "草稿" in zf.comment.decode("utf-8") or b'"draft": true' in zf.read("manifest.json")


def test_the_letter_exports_for_signing_while_indicators_are_open(
    qtbot: Any, make_window: Any, empty_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    """The 承诺书's draft rule is its own fields only, in the window as in its PDF."""
    with Project.open(empty_project) as project:
        for key, value in (
            ("commitment.company_name", "某某科技有限公司"),
            ("commitment.responsible_person", "周启明"),
            ("commitment.date", "2024-08-20"),
        ):
            project.set(key, value)
    window = make_window(empty_project)
    fake_dialogs.save_as = tmp_path / "承诺书.pdf"
    window.export("pdf")
    assert fake_dialogs.change_lists == []  # no list of the indicators' gaps
    assert "草稿" not in pdf_text(tmp_path / "承诺书.pdf")
    assert "草稿" not in Path(fake_dialogs.save_proposals[-1]).name
