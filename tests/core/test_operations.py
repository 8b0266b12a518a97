"""What a user does, as `core/operations`: each one transaction that returns what changed,
and the same call from the window and from the command line.

The user's sequence: the officer adds last year's audit report and this year's policy to
indicator 5, where the audit report is already listed; rates it; gives 13–15 to 法务部; attaches
the stamped 承诺书 — then undoes step by step. Every file, whichever way it comes in, is checked
to be a regular file before anything reads it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from csr_desktop.core.attach import attach_evidence
from csr_desktop.core.errors import InputFileError
from csr_desktop.core.operations import departments, evidence, fields, ingest
from csr_desktop.core.store import Project


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "p.csrproj") as p:
        yield p


def _file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_adding_files_returns_the_rows_added_and_the_ones_already_listed(
    project: Project, tmp_path: Path
) -> None:
    audit = _file(tmp_path / "审计报告.pdf", "audit")
    policy = _file(tmp_path / "制度.pdf", "policy")
    first = evidence.add_evidence(project, 5, [audit])
    assert first.changed.keys == {"indicator.5.evidence"} and first.changed.done
    added = evidence.add_evidence(project, 5, [audit, policy])  # the CLI's way: skip
    assert [i.name for i in added.items] == ["制度"]
    assert added.skipped == ((0, 1),)  # the audit report, already on row 1
    assert added.changed.label == f"{project.indicator_set.indicator(5).label}添加佐证材料：制度"
    rows = project.assessment().answer(5).evidence
    assert [r.name for r in rows] == ["审计报告", "制度"]
    project.undo()  # one step for the batch
    assert [r.name for r in project.assessment().answer(5).evidence] == ["审计报告"]


def test_the_window_may_add_a_listed_file_again_when_the_user_says_so(
    project: Project, tmp_path: Path
) -> None:
    audit = _file(tmp_path / "审计报告.pdf", "audit")
    evidence.add_evidence(project, 5, [audit])
    asked: list[tuple[str, int, str]] = []

    def again(path: Path, row: int, listed: evidence.EvidenceItem) -> bool:
        asked.append((path.name, row, listed.name))
        return True

    added = evidence.add_evidence(project, 5, [audit], again=again)
    assert asked == [("审计报告.pdf", 1, "审计报告")]
    assert len(added.items) == 1 and not added.skipped
    assert len(project.assessment().answer(5).evidence) == 2


def test_nothing_new_is_no_transaction_and_no_undo_step(project: Project, tmp_path: Path) -> None:
    audit = _file(tmp_path / "审计报告.pdf", "audit")
    evidence.add_evidence(project, 5, [audit])
    steps = project.undo_label
    added = evidence.add_evidence(project, 5, [audit])
    assert not added.changed.done and added.items == ()
    assert project.undo_label == steps
    assert not fields.set_rating(project, 5, None).done  # already empty


def test_a_rating_and_an_assignment_say_what_they_changed(project: Project) -> None:
    rated = fields.set_rating(project, 5, 2)
    ind = project.indicator_set.indicator(5)
    assert rated.keys == {"indicator.5.rating"}
    assert rated.label == f"{ind.label}自评：{ind.scale.option_text(2)}"
    given = departments.assign(project, "法务部", [13, 14, 15])
    assert given.keys == {f"indicator.{n}.department" for n in (13, 14, 15)}
    assert given.label == "负责部门：第13、14、15项 → 法务部"
    assert project.undo_label == given.label


def test_the_cli_attach_names_each_file_even_the_same_file_given_twice(
    project: Project, tmp_path: Path
) -> None:
    audit = _file(tmp_path / "审计报告.pdf", "audit")
    path = project.path
    project.close()
    done = attach_evidence(path, "5", [audit, audit])
    assert done.added == 1
    assert (
        done.lines[0].startswith("已添加到第5项「")
        and "：审计报告（审计报告.pdf，" in done.lines[0]
    )
    assert "已在第5项佐证材料目录第1行" in done.lines[1]


def test_replacing_a_rows_file_keeps_its_name_and_remark(project: Project, tmp_path: Path) -> None:
    old = _file(tmp_path / "旧版.pdf", "old")
    new = _file(tmp_path / "新版.pdf", "new")
    evidence.add_evidence(project, 5, [old])
    rows = list(project.assessment().answer(5).evidence)
    evidence.set_evidence(project, 5, [rows[0]._replace(remark="盖章版")], "备注")
    done = evidence.replace_file(project, 5, 0, new, "第5项更换佐证材料文件：旧版")
    assert done.keys == {"indicator.5.evidence"}
    (row,) = project.assessment().answer(5).evidence
    assert (row.name, row.remark, row.file_name) == ("旧版", "盖章版", "新版.pdf")


@pytest.mark.posix_only("FIFOs")
def test_every_way_in_refuses_a_fifo_by_name_before_reading_it(
    project: Project, tmp_path: Path
) -> None:
    """A FIFO opened for reading waits for a writer forever: a stamped scan was read by its
    format check before any regular-file check (the scan box and `attach letter` hung)."""
    from csr_desktop.formats.evidence.scan_files import attach_scan

    fifo = tmp_path / "扫描件.pdf"
    os.mkfifo(fifo)
    ways = {
        "scan": lambda: attach_scan(project, "letter", fifo),
        "evidence": lambda: evidence.add_evidence(project, 5, [fifo]),
        "replace": lambda: evidence.replace_file(project, 5, 0, fifo, "更换"),
        "ingest": lambda: ingest.ingest(project, [fifo]),
    }
    for way, call in ways.items():
        outcome: list[BaseException] = []

        def run(call=call, outcome=outcome) -> None:  # type: ignore[no-untyped-def]
            try:
                call()
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(timeout=10)
        if worker.is_alive():
            with open(fifo, "wb"):  # let the stuck reader go
                pass
            pytest.fail(f"{way}: blocked on the FIFO")
        assert len(outcome) == 1 and isinstance(outcome[0], InputFileError), (way, outcome)
        assert "扫描件.pdf" in outcome[0].zh and "命名管道" in outcome[0].zh
    assert project.assessment().answer(5).evidence == ()
