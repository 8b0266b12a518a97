"""Next year's project from this year's, and an upgrade to the next version of the form.

The user's sequence: last year's project is complete; `new-year` makes this year's file, every
indicator 待复核; the user confirms them one by one. With the next version of the indicator set
(tests/data/indicators-next.json, test only: one description changed, indicator 7 split in two,
12 removed, a new 24) the answers move by the set's mapping and the report names every change.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from csr_desktop.core.assessment import ORIGIN_KEY, indicator_key
from csr_desktop.core.carry_over import (
    NEW_YEAR,
    UpgradeError,
    carry_over,
    read_indicator_set,
)
from csr_desktop.core.errors import Cancelled, IndicatorSetError
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set, offers_upgrade
from csr_desktop.core.store import Project
from csr_desktop.core.validation import Severity, has_gaps, validate

NEXT = Path(__file__).resolve().parent.parent / "data" / "indicators-next.json"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[str]:
    return sorted(
        p.name for p in path.parent.iterdir() if p.name != path.name and path.name in p.name
    )


@pytest.fixture
def next_set() -> IndicatorSet:
    return read_indicator_set(NEXT)


def pending_findings(project: Project) -> list[str]:
    return [
        f.message
        for f in validate(project.assessment(), project.file_is_intact)
        if f.key.endswith(".review_pending")
    ]


def test_new_year_keeps_every_answer_and_file_and_clears_the_dates(
    sample_project: Path, tmp_path: Path
) -> None:
    before = digest(sample_project)
    new_path = tmp_path / "2025.csrproj"
    report = carry_over(sample_project, new_path)
    assert digest(sample_project) == before, "OLD was written"
    assert side_files(sample_project) == []
    with Project.open(sample_project, readonly=True) as old, Project.open(new_path) as new:
        a, b = old.assessment(), new.assessment()
        assert a.indicator_set.numbers == b.indicator_set.numbers
        for no in a.indicator_set.numbers:
            old_ans, new_ans = a.answer(no), b.answer(no)
            assert new_ans.narrative == old_ans.narrative and old_ans.narrative
            assert new_ans.remark == old_ans.remark
            assert new_ans.rating == old_ans.rating is not None
            assert new_ans.evidence == old_ans.evidence and old_ans.evidence
            for item in new_ans.evidence:
                assert item.sha256 is not None and new.file_is_intact(item.sha256)
            assert new_ans.review_pending
        assert b.company["submission_date"] == "" and a.company["submission_date"]
        assert b.commitment["date"] == "" and a.commitment["date"]
        for f in b.indicator_set.cover_fields + b.indicator_set.commitment.fields:
            if f.kind == "text":
                assert b.company.get(f.key, b.commitment.get(f.key)) == a.company.get(
                    f.key, a.commitment.get(f.key)
                )
        first = new.audit_log()[0]
        assert first.key == ORIGIN_KEY and first.new["from"] == str(sample_project.resolve())
        assert first.new["kind"] == NEW_YEAR and "sample.csrproj" in first.label
    assert report.files == 56 and len(report.review_pending) == 28
    assert digest(sample_project) == before


def test_each_indicator_is_a_gap_until_confirmed_one_by_one(
    sample_project: Path, tmp_path: Path
) -> None:
    from csr_desktop.formats.package.build import is_draft

    new_path = tmp_path / "2025.csrproj"
    carry_over(sample_project, new_path)
    with Project.open(new_path) as new:
        iset = new.indicator_set
        new.apply(
            {"company.submission_date": "2025-06-30", "commitment.date": "2025-06-30"}, "日期"
        )
        messages = pending_findings(new)
        assert messages == [f"{i.label}：待复核" for i in iset.indicators]
        for n, ind in enumerate(iset.indicators, start=1):
            assert is_draft(new)
            new.set(indicator_key(ind.no, "review_pending"), None, f"{ind.label}已复核")
            assert len(pending_findings(new)) == len(iset.indicators) - n
            assert not new.assessment().answer(ind.no).review_pending
        assert not has_gaps(validate(new.assessment(), new.file_is_intact))
        assert not is_draft(new)
        new.undo()  # the last confirmation, undone, is pending again
        assert pending_findings(new) == [f"{iset.indicators[-1].label}：待复核"]


def test_cli_validate_names_the_pending_indicators(
    sample_project: Path, tmp_path: Path, cli
) -> None:
    new_path = tmp_path / "2025.csrproj"
    done = cli("new-year", sample_project, new_path)
    assert done.returncode == 0, done.stderr
    assert "待复核：28 项指标" in done.stdout
    checked = cli("validate", new_path)
    assert checked.returncode == 1
    assert "缺项：第7项「网络内容生态治理」：待复核" in checked.stdout.splitlines()
    assert checked.stdout.count("：待复核") == 28


def test_cli_refuses_what_it_cannot_do_in_one_line(
    sample_project: Path, tmp_path: Path, cli
) -> None:
    before = digest(sample_project)
    target = tmp_path / "new.csrproj"
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    cases = [
        (("new-year", tmp_path / "missing.csrproj", target), "不存在"),
        (("new-year", sample_project, sample_project), "已存在"),
        (
            ("new-year", sample_project, tmp_path / "nope" / "x.csrproj"),
            "文件夹 “" + str(tmp_path / "nope"),
        ),
        (("new-year", sample_project, target, "--indicator-set", bad), "bad.json"),
        (("new-year", sample_project, target, "--indicator-set", tmp_path / "no.json"), "no.json"),
    ]
    for args, words in cases:
        done = cli(*args)
        assert done.returncode == 2, args
        assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
    assert not target.exists()
    assert digest(sample_project) == before


def test_cancelled_carry_over_leaves_no_file(sample_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "new.csrproj"
    with pytest.raises(Cancelled):
        carry_over(sample_project, target, progress=lambda done, total: done < total // 2)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ---- indicator-set versions ---------------------------------------------------------------


def test_the_shipped_set_and_stored_sets_without_a_mapping_still_load(
    sample_project: Path, next_set: IndicatorSet
) -> None:
    shipped = default_indicator_set()
    assert shipped.upgrade is None and shipped.version == "2024.1"
    with Project.open(sample_project, readonly=True) as project:  # stored before versions
        assert project.indicator_set.upgrade is None
        assert len(project.indicator_set.indicators) == 28
    assert offers_upgrade(shipped, next_set)
    assert not offers_upgrade(next_set, next_set) and not offers_upgrade(next_set, shipped)
    assert len(next_set.indicators) == 29


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"kind": "split", "from": [7], "to": [7]}, "数目不符"),
        ({"kind": "moved", "from": [7], "to": [7]}, "无法识别"),
        ({"kind": "kept", "from": [7], "to": [99]}, "每一项指标的来源"),
    ],
)
def test_a_malformed_mapping_is_refused(change: dict[str, object], words: str) -> None:
    data = json.loads(NEXT.read_text(encoding="utf-8"))
    data["upgrade_from"]["changes"][1] = change
    with pytest.raises(IndicatorSetError) as err:
        IndicatorSet.from_json(json.dumps(data, ensure_ascii=False))
    assert words in err.value.zh


def test_a_mapping_that_forgets_an_old_indicator_is_refused(
    sample_project: Path, tmp_path: Path
) -> None:
    data = json.loads(NEXT.read_text(encoding="utf-8"))
    data["upgrade_from"]["changes"] = [
        c for c in data["upgrade_from"]["changes"] if c["kind"] != "removed"
    ]
    iset = IndicatorSet.from_json(json.dumps(data, ensure_ascii=False))
    with pytest.raises(UpgradeError) as err:
        carry_over(sample_project, tmp_path / "new.csrproj", iset)
    assert "[12]" in err.value.zh and "sample.csrproj" in err.value.zh
    assert not (tmp_path / "new.csrproj").exists()


def test_upgrade_moves_answers_by_the_mapping_and_reports_every_change(
    sample_project: Path, tmp_path: Path, next_set: IndicatorSet
) -> None:
    before = digest(sample_project)
    new_path = tmp_path / "2025.csrproj"
    report = carry_over(sample_project, new_path, next_set)
    text = "\n".join(report.lines())
    old_set = default_indicator_set()
    # changed text: old and new 指标说明 of the split and of the reworded indicator
    for old_no, new_no in ((7, 7), (7, 8), (19, 19)):
        assert old_set.indicator(old_no).description in text
        assert next_set.indicator(new_no).description in text
    assert (
        "原第7项「网络内容生态治理」 拆分为 第7项「网络内容审核」、第8项「网络生态专项治理」"
        in text
    )
    assert "原第8项「网络平台治理」 移至 第9项「网络平台治理」" in text
    assert "原第28项「传递环保理念」 移至 第29项「传递环保理念」" in text
    assert "新增指标，尚未填写（1 项）" in text and "第24项「科技伦理治理」" in text
    assert "已删除的指标（1 项" in text and "原第12项「内容建设管理」" in text
    assert [d.indicator.no for d in report.dropped] == [12]
    assert [i.no for i in report.new_empty] == [24]
    assert digest(sample_project) == before
    with Project.open(sample_project, readonly=True) as old, Project.open(new_path) as new:
        a, b = old.assessment(), new.assessment()
        assert len(b.indicator_set.indicators) == 29
        moves = {7: [7, 8], **{o: [o + 1] for o in (8, 9, 10, 11)}}
        moves |= {o: [o] for o in range(13, 24)} | {o: [o + 1] for o in range(24, 29)}
        moves |= {o: [o] for o in range(1, 7)}
        for old_no, new_nos in moves.items():
            for new_no in new_nos:
                assert b.answer(new_no).narrative == a.answer(old_no).narrative
                assert b.answer(new_no).evidence == a.answer(old_no).evidence
                assert b.answer(new_no).rating == a.answer(old_no).rating
                assert b.answer(new_no).review_pending
        assert b.answer(24) == b.answer(24)._replace(rating=None, narrative="", evidence=())
        assert not b.answer(24).review_pending
        # the dropped answer is kept in the audit, never silently lost
        origin = new.audit_log()[0]
        assert origin.key == ORIGIN_KEY
        (dropped,) = origin.new["dropped"]
        assert dropped["no"] == 12 and dropped["narrative"] == a.answer(12).narrative
        kept = {e.sha256 for n in b.answers for e in b.answer(n).evidence}
        assert {e.sha256 for e in a.answer(12).evidence}.isdisjoint(kept)
        messages = [
            f.message for f in validate(b, new.file_is_intact) if f.severity is Severity.GAP
        ]
        assert "第24项「科技伦理治理」：尚未选择企业自评" in messages
        assert "第29项「传递环保理念」：待复核" in messages


def test_upgraded_excel_and_pdf_show_the_new_texts(
    sample_project: Path, tmp_path: Path, next_set: IndicatorSet
) -> None:
    import openpyxl

    from csr_desktop.formats.pdf.document import export_document
    from csr_desktop.formats.xlsx.export import export_xlsx

    new_path = tmp_path / "2025.csrproj"
    carry_over(sample_project, new_path, next_set)
    xlsx, pdf = tmp_path / "table.xlsx", tmp_path / "document.pdf"
    with Project.open(new_path, readonly=True) as new:
        export_xlsx(new, xlsx)
        export_document(new, pdf)
    wb = openpyxl.load_workbook(xlsx)
    table = wb.worksheets[0]
    cells = [str(c.value) for row in table.iter_rows() for c in row if c.value is not None]
    numbers = [c.value for c in table["A"] if isinstance(c.value, int)]
    assert numbers == list(range(1, 30))
    for no in (7, 8, 19, 24):
        assert next_set.indicator(no).description in cells
    assert default_indicator_set().indicator(12).name not in cells
    assert default_indicator_set().indicator(19).description not in cells
    row24 = next(c.row for c in table["A"] if c.value == 24)
    assert table.cell(row24, 4).value == "科技伦理治理"
    evidence = "\n".join(
        str(c.value) for row in wb.worksheets[1].iter_rows() for c in row if c.value is not None
    )
    assert "科技伦理治理" in evidence and "内容建设管理" not in evidence
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(out.split())
    for no in (7, 8, 19, 24):
        assert "".join(next_set.indicator(no).description.split()) in flat, no
    assert "内容建设管理" not in flat
    assert "草稿" in flat  # 待复核 makes the document a draft


def test_a_set_with_the_same_version_but_other_indicators_is_refused(
    sample_project: Path, tmp_path: Path, next_set: IndicatorSet
) -> None:
    same_version = next_set._replace(version=default_indicator_set().version, upgrade=None)
    with pytest.raises(UpgradeError) as err:
        carry_over(sample_project, tmp_path / "new.csrproj", same_version)
    assert "28 项与 29 项" in err.value.zh
    assert not (tmp_path / "new.csrproj").exists()


def test_large_files_are_copied_a_chunk_at_a_time(tmp_path: Path) -> None:
    import tracemalloc

    big = tmp_path / "年度审计报告.pdf"
    with open(big, "wb") as fh:
        for n in range(12):  # 12 MiB, distinct chunks
            fh.write(bytes([n]) * (1 << 20))
    old_path = tmp_path / "old.csrproj"
    with Project.create(old_path) as old:
        (item,) = old.add_evidence_files(3, [big])
    tracemalloc.start()
    try:
        carry_over(old_path, tmp_path / "new.csrproj")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6 << 20, f"peak {peak} bytes: the file went through memory whole"
    with Project.open(tmp_path / "new.csrproj", readonly=True) as new:
        (row,) = new.assessment().answer(3).evidence
        assert row.sha256 == item.sha256 and new.file_is_intact(row.sha256)
        assert row.size == 12 << 20


def test_new_year_copies_stored_files_project_to_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file goes from OLD's chunks into NEW's, hash kept: no temporary file beside NEW
    (a disk with room for NEW but not for a spooled copy of the largest file still works)."""
    import tempfile

    report_pdf = tmp_path / "年度报告.pdf"
    report_pdf.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 9000)  # > 2 chunks
    old_path = tmp_path / "2024.csrproj"
    with Project.create(old_path) as old:
        (item,) = old.add_evidence_files(5, [report_pdf])

    def no_temp_files(*_a: object, **_k: object) -> tuple[int, str]:
        raise AssertionError("new-year spooled a stored file through a temporary file")

    monkeypatch.setattr(tempfile, "mkstemp", no_temp_files)
    report = carry_over(old_path, tmp_path / "2025.csrproj")
    assert report.files == 1 and not report.damaged
    assert {p.name for p in tmp_path.iterdir()} == {"年度报告.pdf", "2024.csrproj", "2025.csrproj"}
    with Project.open(tmp_path / "2025.csrproj", readonly=True) as new:
        (row,) = new.assessment().answer(5).evidence
        assert row.sha256 == item.sha256 and row.size == item.size
        assert new.file_is_intact(item.sha256)
        assert new.integrity_problems() == []
