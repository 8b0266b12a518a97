"""A report loaded into a project travels with it; the panel's three buttons are commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from csr_desktop.core.errors import InputFileError
from csr_desktop.core.report_source import SOURCE_KEY
from csr_desktop.core.store import Project
from csr_desktop.formats.report import stored
from tests.formats.report_forms import make_pdf

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "自评.csrproj")
    yield p
    p.close()


def test_a_loaded_report_survives_a_reopen_and_is_not_swept(tmp_path: Path) -> None:
    path = tmp_path / "p.csrproj"
    pdf = make_pdf(REPORTS / "other-report.txt", tmp_path / "栖木 ESG 报告.pdf")
    with Project.create(path) as p:
        ranked = stored.load_into(p, pdf)
        assert p.get(SOURCE_KEY)["name"] == "栖木 ESG 报告.pdf"
        first = stored.shown(p, ranked, 20)[0]
    stored._cache.clear()
    with Project.open(path) as p:  # a writer's open sweeps unreferenced files
        again = stored.current(p)
        assert again is not None and again.name == "栖木 ESG 报告.pdf"
        assert stored.shown(p, again, 20)[0].passage == first.passage
        assert first.passage.page is not None


def test_insert_appends_as_one_undo_step_naming_report_and_page(
    project: Project, tmp_path: Path
) -> None:
    pdf = make_pdf(REPORTS / "other-report.txt", tmp_path / "report.pdf")
    ranked = stored.load_into(project, pdf)
    project.set("indicator.20.narrative", "本公司已上线青少年模式。")
    s = stored.shown(project, ranked, 20)[0]
    assert stored.insert_into_narrative(project, ranked, 20, s)
    text = project.get("indicator.20.narrative")
    assert text == "本公司已上线青少年模式。\n\n" + s.passage.text
    label = project.audit_log()[-1].label
    assert "《report.pdf》" in label and f"第 {s.passage.page} 页" in label
    project.undo()
    assert project.get("indicator.20.narrative") == "本公司已上线青少年模式。"


def test_evidence_row_names_the_report_with_the_page_in_remark(
    project: Project, tmp_path: Path
) -> None:
    pdf = make_pdf(REPORTS / "other-report.txt", tmp_path / "ESG报告.pdf")
    ranked = stored.load_into(project, pdf)
    s = stored.shown(project, ranked, 9)[0]
    assert stored.add_as_evidence(project, ranked, 9, s)
    (item,) = project.assessment().answer(9).evidence
    assert item.file_name == "ESG报告.pdf" and item.sha256 == ranked.sha256
    assert item.remark.startswith(f"第 {s.passage.page} 页")


def test_irrelevant_hides_the_passage_for_that_indicator_only(project: Project) -> None:
    ranked = stored.load_into(project, REPORTS / "other-report.txt")
    # the 致辞 is offered for 1 (first) and for 12 alike
    before = stored.shown(project, ranked, 1)
    assert stored.mark_irrelevant(project, 1, before[0])
    after = stored.shown(project, ranked, 1)
    assert before[0] not in after and after[0] == before[1]
    shared = [s for s in stored.shown(project, ranked, 12) if s.passage == before[0].passage]
    assert shared and shared == [
        s for s in ranked.candidates[12][:3] if s.passage == before[0].passage
    ]
    project.undo()
    assert stored.shown(project, ranked, 1) == before


def test_a_report_that_cannot_be_read_leaves_the_project_as_it_was(
    project: Project, tmp_path: Path
) -> None:
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage")
    with pytest.raises(InputFileError):
        stored.load_into(project, bad)
    assert project.get(SOURCE_KEY) is None and not project.can_undo


def test_a_report_field_naming_a_missing_file_is_a_clear_message(project: Project) -> None:
    from csr_desktop.core.errors import CsrError

    project.set(SOURCE_KEY, {"name": "报告.pdf", "sha256": "ab" * 32, "size": 10})
    with pytest.raises(CsrError) as info:
        stored.current(project)
    assert "报告.pdf" in info.value.zh
