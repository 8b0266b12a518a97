"""Returns from colleagues, as the compliance office lives them: one export sent to several
people, their copies coming back in any order while the office keeps editing."""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core import departments
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import dump
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from tests.formats import colleague as C


def state(path: Path) -> dict[str, Any]:
    with Project.open(path, readonly=True) as p:
        return dump(p)


def import_into(project: Path, xlsx: Path, take: bool = False) -> Any:
    with Project.open(project) as p:
        plan = plan_import(p, xlsx)
        apply_import(p, plan, [c.key for c in plan.conflicts] if take else ())
    return plan


@pytest.fixture
def sent(sample_project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The project and the 自评表 it sent round (ratings chosen so every edit is a change)."""
    export = tmp_path / "发出" / "自评表.xlsx"
    export.parent.mkdir()
    with Project.open(sample_project) as p:
        p.set_rating(1, 1)
        export_xlsx(p, export)
    return sample_project, export


def returns(export: Path, folder: Path) -> dict[str, Path]:
    """A rates 1 and writes 2's 备注; B writes 4's 备注; C rewrites 5's narrative."""
    return {
        "A": C.returned(export, folder / "A.xlsx", C.rate(1, 3), C.remark(2, "A 写的备注")),
        "B": C.returned(export, folder / "B.xlsx", C.remark(4, "B 写的备注")),
        "C": C.returned(export, folder / "C.xlsx", C.narrative(5, "C 重写的介绍")),
    }


def answers(path: Path) -> dict[int, tuple[Any, str, str]]:
    return {i["no"]: (i["rating"], i["remark"], i["narrative"]) for i in state(path)["indicators"]}


def test_two_and_three_returns_merge_the_same_in_every_order(sent, tmp_path: Path):
    project, export = sent
    books = returns(export, tmp_path / "回收")
    before = answers(project)
    expected = dict(before)
    expected[1] = (3, before[1][1], before[1][2])
    expected[2] = (before[2][0], "A 写的备注", before[2][2])
    expected[4] = (before[4][0], "B 写的备注", before[4][2])
    expected[5] = (before[5][0], before[5][1], "C 重写的介绍")
    for size in (2, 3):
        for order in itertools.permutations(books, size):
            copy = tmp_path / f"{''.join(order)}.csrproj"
            shutil.copyfile(project, copy)
            for who in order:
                plan = import_into(copy, books[who])
                assert plan.three_way and not plan.conflicts
            got = answers(copy)
            for no in (1, 2, 4, 5):
                want = expected[no] if any(w in order for w in _who_touched(no)) else before[no]
                assert got[no] == want, (order, no)
            assert {n: v for n, v in got.items() if n not in (1, 2, 4, 5)} == {
                n: v for n, v in before.items() if n not in (1, 2, 4, 5)
            }


def _who_touched(no: int) -> str:
    return {1: "A", 2: "A", 4: "B", 5: "C"}[no]


def test_the_offices_edit_after_export_survives_a_stale_return(sent, tmp_path: Path):
    project, export = sent
    book = returns(export, tmp_path / "回收")["B"]
    with Project.open(project) as p:
        p.set("indicator.2.remark", "办公室后来改的")
        p.set_rating(1, 2)
    plan = import_into(project, book)
    assert [c.key for c in plan.changes] == ["indicator.4.remark"]
    got = answers(project)
    assert got[2][1] == "办公室后来改的" and got[1][0] == 2 and got[4][1] == "B 写的备注"


def test_the_same_workbook_twice_is_a_no_op(sent, tmp_path: Path, cli):
    project, export = sent
    book = returns(export, tmp_path / "回收")["A"]
    first = cli("import-xlsx", book, project)
    assert first.returncode == 0, first.stderr
    after = state(project)
    with Project.open(project, readonly=True) as p:
        steps = len(p.audit_log())
    again = cli("import-xlsx", book, project)
    assert again.returncode == 0 and "没有需要导入的修改" in again.stdout
    assert state(project) == after
    with Project.open(project, readonly=True) as p:
        assert len(p.audit_log()) == steps


def test_a_real_conflict_stops_the_cli_with_nothing_applied_until_told(sent, tmp_path: Path, cli):
    project, export = sent
    book = C.returned(
        export, tmp_path / "B.xlsx", C.remark(4, "B 写的备注"), C.remark(6, "B 也改了 6")
    )
    with Project.open(project) as p:
        p.set("indicator.4.remark", "办公室写的备注")
    before = state(project)
    run = cli("import-xlsx", book, project)
    assert run.returncode == 1, run.stderr
    conflicts = [line for line in run.stdout.splitlines() if "冲突" in line and "第4项" in line]
    assert conflicts and "办公室写的备注" in conflicts[0] and "B 写的备注" in conflicts[0]
    assert state(project) == before  # nothing applied, not even the part without conflict
    keep = tmp_path / "keep.csrproj"
    shutil.copyfile(project, keep)
    assert cli("import-xlsx", book, keep, "--on-conflict", "keep").returncode == 0
    assert answers(keep)[4][1] == "办公室写的备注" and answers(keep)[6][1] == "B 也改了 6"
    took = cli("import-xlsx", book, project, "--on-conflict", "take")
    assert took.returncode == 0, took.stderr
    assert answers(project)[4][1] == "B 写的备注" and answers(project)[6][1] == "B 也改了 6"
    with Project.open(project, readonly=True) as p:
        labels = {
            e.label for e in p.audit_log() if e.key in ("indicator.4.remark", "indicator.6.remark")
        }
        assert any(book.name in label for label in labels)
    with Project.open(keep) as p:  # a kept conflict is shown again; taken, it is one undo step
        plan = plan_import(p, book)
        assert [c.key for c in plan.conflicts] == ["indicator.4.remark"] and not plan.changes
        apply_import(p, plan, ["indicator.4.remark"])
        assert book.name in p.undo_label and p.get("indicator.4.remark") == "B 写的备注"
        p.undo()
        assert p.get("indicator.4.remark") == "办公室写的备注"


def test_the_same_change_on_both_sides_is_no_conflict(sent, tmp_path: Path):
    project, export = sent
    book = C.returned(export, tmp_path / "B.xlsx", C.remark(4, "大家都这么写"))
    with Project.open(project) as p:
        p.set("indicator.4.remark", "大家都这么写")
    plan = import_into(project, book)
    assert not plan.conflicts and not plan.changes


def test_a_hand_typed_or_old_workbook_is_compared_two_way_and_says_so(sent, tmp_path: Path):
    project, export = sent

    def drop_base(wb: Any) -> None:
        ws = wb["csr_meta"]
        for row in ws.iter_rows(min_col=5, max_col=6):
            for cell in row:
                cell.value = None

    book = C.returned(export, tmp_path / "old.xlsx", drop_base)
    with Project.open(project) as p:
        p.set("indicator.2.remark", "办公室后来改的")
        plan = plan_import(p, book)
    assert not plan.three_way
    assert any("没有导出时的原值记录" in w for w in plan.warnings)
    assert [c.key for c in plan.changes] == ["indicator.2.remark"]  # today's behaviour


def test_a_long_narrative_edit_shows_the_changed_passage(sent, tmp_path: Path, cli):
    project, export = sent
    with Project.open(project, readonly=True) as p:
        old = p.assessment().answer(5).narrative
    middle = len(old) // 2
    edited = old[:middle] + "【新增的一句话】" + old[middle:]
    book = C.returned(export, tmp_path / "C.xlsx", C.narrative(5, edited))
    run = cli("import-xlsx", book, project, "--dry-run")
    [line] = [x for x in run.stdout.splitlines() if "相关工作情况介绍" in x]
    assert "{+【新增的一句话】+}" in line
    assert old[middle - 5 : middle].replace("\n", "⏎") in line  # context before the change
    assert not line.split("：", 1)[1].startswith(old[:10])


# ---- departments ----------------------------------------------------------------------------


def test_a_department_workbook_holds_its_rows_and_touches_only_them(sent, tmp_path: Path, cli):
    project, _ = sent
    assert cli("assign", project, "法务部", "13-15").returncode == 0
    assert cli("assign", project, "人力资源部", "16", "17").returncode == 0
    book = tmp_path / "法务部.xlsx"
    run = cli("export", project, "--xlsx", book, "--department", "法务部")
    assert run.returncode == 0, run.stderr
    from openpyxl import load_workbook

    wb = load_workbook(book)
    numbers = [r[0].value for r in wb["自评表"].iter_rows(min_row=1) if isinstance(r[0].value, int)]
    assert numbers == [13, 14, 15]
    headings = [str(r[0].value) for r in wb["佐证材料"].iter_rows() if r[0].value]
    assert sum(h.startswith("三级指标") for h in headings) == 3

    def paste_row_5(wb: Any) -> None:  # copied from the full table, then ticked
        from csr_desktop.core.indicators import default_indicator_set
        from csr_desktop.formats.xlsx.export import options_text

        ind = default_indicator_set().indicator(5)
        ws = wb["自评表"]
        ws.append([5, None, None, ind.name, ind.description, options_text(ind, 4), "法务改的"])

    back = C.returned(
        book, tmp_path / "回收" / "法务部.xlsx", C.remark(13, "法务的备注"), paste_row_5
    )
    before = answers(project)
    run = cli("import-xlsx", back, project)
    assert run.returncode == 0, run.stderr
    assert any("已拒绝" in line and "第5项" in line for line in run.stdout.splitlines())
    after = answers(project)
    assert after[5] == before[5] and after[13][1] == "法务的备注"
    with Project.open(project, readonly=True) as p:
        [legal, hr] = departments.tracking(p)
        assert (legal.department, legal.indicators) == ("法务部", (13, 14, 15))
        assert legal.sent_at and legal.returned_at and legal.applied == 1
        assert not hr.sent_at and not hr.returned_at
        assert any(
            "法务部.xlsx" in e.label for e in p.audit_log() if e.key == "indicator.13.remark"
        )


def test_assign_and_export_refuse_what_they_cannot_do(sample_project: Path, tmp_path: Path, cli):
    bad = cli("assign", sample_project, "法务部", "29")
    assert bad.returncode == 2 and "29" in bad.stderr and "Traceback" not in bad.stderr
    none = cli("export", sample_project, "--xlsx", tmp_path / "x.xlsx", "--department", "无此部门")
    assert none.returncode == 2 and "无此部门" in none.stderr
    assert not (tmp_path / "x.xlsx").exists()


# ---- files that come back -----------------------------------------------------------------


@pytest.mark.posix_only("makes a FIFO and a symlink beside the workbook")
def test_files_beside_the_workbook_are_attached_and_bad_names_reported(sent, tmp_path: Path):
    project, export = sent
    folder = tmp_path / "回收"
    (folder / "佐证材料").mkdir(parents=True)
    (folder / "新制度.pdf").write_bytes(b"%PDF-1.4 new rule")
    (folder / "佐证材料" / "替换版.pdf").write_bytes(b"%PDF-1.4 replaced")
    (tmp_path / "secret.pdf").write_bytes(b"outside")
    os.mkfifo(folder / "管道.pdf")  # opening it to hash it would wait for ever
    (folder / "链接.pdf").symlink_to(tmp_path / "secret.pdf")
    with Project.open(project, readonly=True) as p:
        first = p.assessment().answer(3).evidence[0]
    book = C.returned(
        export,
        folder / "回收.xlsx",
        C.catalogue_row(3, 1, first.name, first.remark, "替换版.pdf"),  # a replaced file
        C.catalogue_row(3, 3, "新制度", "新增", "新制度.pdf"),  # a new row with its file
        C.catalogue_row(4, 3, "缺文件的材料", "", "不存在.pdf"),  # a missing file
        C.catalogue_row(6, 3, "越界", "", "../secret.pdf"),  # a name that leaves the folder
        C.catalogue_row(8, 3, "特殊文件", "", "管道.pdf"),
        C.catalogue_row(9, 3, "链接", "", "链接.pdf"),
    )
    plan = import_into(project, book)
    warnings = "\n".join(plan.warnings)
    for name in ("不存在.pdf", "../secret.pdf", "管道.pdf", "链接.pdf"):
        assert name in warnings
    with Project.open(project, readonly=True) as p:
        ev3 = p.assessment().answer(3).evidence
        assert ev3[0].name == first.name and ev3[0].file_name == "替换版.pdf"
        assert ev3[0].sha256 == hashlib.sha256(b"%PDF-1.4 replaced").hexdigest()
        assert ev3[2].file_name == "新制度.pdf" and p.file_is_intact(ev3[2].sha256)
        ev4, ev6 = p.assessment().answer(4).evidence, p.assessment().answer(6).evidence
        assert ev4[2].name == "缺文件的材料" and ev4[2].sha256 is None
        assert ev6[2].name == "越界" and ev6[2].sha256 is None
        assert all(e.sha256 != hashlib.sha256(b"outside").hexdigest() for e in ev6)


def test_the_office_attaching_a_file_and_a_colleague_rewording_a_row_merge(sent, tmp_path: Path):
    """Cell by cell: the office gives row 1 of indicator 3 a new scan after export, the
    colleague rewrites row 2's 备注 and row 1's 材料名称; a row both reworded differently is
    still a conflict."""
    project, export = sent
    scan = tmp_path / "盖章扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 stamped scan")
    with Project.open(project) as p:
        old = list(p.assessment().answer(3).evidence)
        stored = p.store_file(scan)
        new_first = old[0]._replace(file_name=scan.name, sha256=stored.sha256, size=stored.size)
        p.set_evidence(3, [new_first, *old[1:]], "换上盖章扫描件")
    book = C.returned(
        export,
        tmp_path / "回收.xlsx",
        C.catalogue_row(3, 1, "改过名字的材料", old[0].remark, old[0].file_name or ""),
        C.catalogue_row(3, 2, old[1].name, "同事补充的说明", old[1].file_name or ""),
    )
    with Project.open(project) as p:
        plan = plan_import(p, book)
        assert not plan.conflicts
        apply_import(p, plan)
        ev = p.assessment().answer(3).evidence
        assert (ev[0].name, ev[0].sha256) == ("改过名字的材料", stored.sha256)  # both kept
        assert (ev[1].remark, ev[1].sha256) == ("同事补充的说明", old[1].sha256)
        p.undo()
        p.set_evidence(3, [new_first._replace(name="办公室起的名字"), *old[1:]], "改名")
        plan = plan_import(p, book)
        [conflict] = plan.conflicts
        assert conflict.key == "indicator.3.evidence"
        assert "办公室起的名字" in conflict.project_text  # both sides' rows, to compare
        assert "改过名字的材料" in conflict.workbook_text
