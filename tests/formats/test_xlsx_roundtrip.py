"""Export → (colleague's spreadsheet) → import gives back everything, and shows it first."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import dump, load
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.cell_text import xml_safe
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.sample import build_interchange
from tests.corpus.xlsx.make_workbooks import edited, libreoffice_resave
from tests.formats import colleague


def snapshot(path: Path) -> dict[str, Any]:
    """What a user entered, and nothing about how it is stored."""
    with Project.open(path, readonly=True) as p:
        a = p.assessment()
        return {
            "company": dict(a.company),
            "answers": {
                no: (
                    ans.rating,
                    ans.remark,
                    ans.narrative,
                    [(e.name, e.remark, e.sha256) for e in ans.evidence],
                )
                for no, ans in a.answers.items()
            },
        }


def as_spreadsheet_gives_back(snap: dict[str, Any], lo: bool = False) -> dict[str, Any]:
    """`snap` as imported into a blank project: texts without what XML cannot hold (and, from
    LibreOffice, CR LF as LF); catalogue rows without their files."""

    def t(text: str) -> str:
        text = xml_safe(text)
        return re.sub(r"\r\n?", "\n", text) if lo else text

    def lines(text: str) -> str:  # Word's manual line break is written as a line break
        return t(text.replace("\x0b", "\n"))

    return {
        "company": {k: lines(v) for k, v in snap["company"].items()},
        "answers": {
            no: (r, lines(rem), lines(nar), [(t(n), t(er), None) for n, er, _ in ev])
            for no, (r, rem, nar, ev) in snap["answers"].items()
        },
    }


def import_into(project: Path, xlsx: Path) -> list[str]:
    with Project.open(project) as p:
        plan = plan_import(p, xlsx)
        apply_import(p, plan)
    return plan.warnings


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("roundtrip")
    project = folder / "hostile.csrproj"
    load(build_interchange(folder / "in", 2, hostile=True), project)
    xlsx = folder / "export" / "hostile.xlsx"
    xlsx.parent.mkdir()
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, xlsx)
    return project, xlsx


@pytest.fixture(scope="module")
def resaved(hostile: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return libreoffice_resave(hostile[1], tmp_path_factory.mktemp("libreoffice"))


def test_into_a_blank_project_everything_comes_back(hostile, tmp_path: Path):
    project, xlsx = hostile
    blank = tmp_path / "blank.csrproj"
    Project.create(blank).close()
    warnings = import_into(blank, xlsx)
    original = snapshot(project)
    assert snapshot(blank) == as_spreadsheet_gives_back(original)
    rows = sum(len(v[3]) for v in original["answers"].values())
    assert rows == 56
    assert sum("尚无文件" in w for w in warnings) == rows  # each arrives without its file, flagged


def test_into_the_project_it_came_from_nothing_changes(hostile):
    project, xlsx = hostile
    with Project.open(project, readonly=True) as p:
        plan = plan_import(p, xlsx)
    assert plan.changes == [] and plan.values == {}
    assert not any("尚无文件" in w for w in plan.warnings)


def test_a_workbook_resaved_by_libreoffice_imports_the_same(hostile, resaved: Path, tmp_path: Path):
    project, _ = hostile
    with zipfile.ZipFile(resaved) as zf:  # really LibreOffice's writing, not ours
        assert "xl/sharedStrings.xml" in zf.namelist()
    with Project.open(project, readonly=True) as p:
        assert plan_import(p, resaved).changes == []  # control characters and CR kept as stored
    blank = tmp_path / "blank.csrproj"
    Project.create(blank).close()
    import_into(blank, resaved)
    assert snapshot(blank) == as_spreadsheet_gives_back(snapshot(project), lo=True)


def _evidence_rows(ws, no: int) -> list[int]:
    rows, inside, items = [], False, False
    for row in ws.iter_rows(min_col=1, max_col=2):
        a = row[0].value
        if isinstance(a, str) and a.startswith("三级指标"):
            inside, items = a.startswith(f"三级指标{no}："), False
        elif inside and row[1].value == "材料名称":
            items = True
        elif inside and items:
            rows.append(row[0].row)
    return rows


def test_catalogue_rows_keep_their_files_when_their_name_still_matches(hostile, tmp_path: Path):
    project, xlsx = hostile

    def edit(wb):
        ws = wb[layout.EVIDENCE_SHEET]
        r3 = _evidence_rows(ws, 3)
        ws.cell(r3[0], 2).value = "改了名字的材料"
        ws.cell(r3[2], 2).value = "同事新增的材料"  # typed into the blank line below the table
        ws.cell(r3[2], 3).value = "待补充"
        r4 = _evidence_rows(ws, 4)
        for col in range(1, 6):
            ws.cell(r4[1], col).value = None  # row 2 cleared
        r5 = _evidence_rows(ws, 5)
        ws.cell(r5[0], 3).value = "备注已更新"
        r6 = _evidence_rows(ws, 6)
        first = [ws.cell(r6[0], c).value for c in range(1, 6)]
        second = [ws.cell(r6[1], c).value for c in range(1, 6)]
        for c in range(1, 6):
            ws.cell(r6[0], c).value, ws.cell(r6[1], c).value = second[c - 1], first[c - 1]

    changed = edited(xlsx, tmp_path / "catalogue.xlsx", edit)
    before = snapshot(project)["answers"]
    with Project.open(project, readonly=True) as p:
        plan = plan_import(p, changed)
    new = {no: plan.values.get(f"indicator.{no}.evidence") for no in (3, 4, 5, 6, 7)}
    three = [EvidenceItem.from_json(e) if isinstance(e, dict) else e for e in new[3]]
    assert [(e.name, e.sha256) for e in three] == [
        ("改了名字的材料", None),
        (before[3][3][1][0], before[3][3][1][2]),
        ("同事新增的材料", None),
    ]
    flagged = [w for w in plan.warnings if "尚无文件" in w]
    assert len(flagged) == 2 and all("第3项" in w for w in flagged)
    assert [(e.name, e.sha256) for e in new[4]] == [(before[4][3][0][0], before[4][3][0][2])]
    assert (new[5][0].remark, new[5][0].sha256) == ("备注已更新", before[5][3][0][2])
    assert [e.sha256 for e in new[6]] == [before[6][3][1][2], before[6][3][0][2]]
    assert new[7] is None  # untouched indicators are not in the plan
    assert all(e.size for e in new[6])  # the stored file's size travels with it


def test_the_plan_names_indicator_field_old_and_new(sample_project: Path, tmp_path: Path):
    with Project.open(sample_project) as p:
        p.set_rating(7, 1)
        p.set("indicator.9.remark", "旧备注")
        export_xlsx(p, tmp_path / "a.xlsx")
        xlsx = colleague.returned(
            tmp_path / "a.xlsx",
            tmp_path / "back.xlsx",
            colleague.rate(7, 2),
            colleague.remark(9, ""),
        )
        plan = plan_import(p, xlsx)
    lines = plan.describe()
    assert "第7项「网络内容生态治理」 企业自评：1.非常完善 → 2.比较完善" in lines
    assert "第9项「网络安全治理」 备注：“旧备注” → （空）" in lines
    assert {(c.indicator_no, c.field) for c in plan.changes} == {(7, "企业自评"), (9, "备注")}


def test_apply_is_one_transaction_and_one_undo_step(hostile, tmp_path: Path):
    _, xlsx = hostile
    blank = tmp_path / "blank.csrproj"
    Project.create(blank).close()
    empty = snapshot(blank)
    with Project.open(blank) as p:
        plan = plan_import(p, xlsx)
        assert snapshot(blank) == empty  # planning changed nothing
        apply_import(p, plan)
        assert p.undo_label.startswith(f"导入 {xlsx.name}：")
        labels = {e.label for e in p.audit_log()}
        assert labels == {p.undo_label}  # the audit names the workbook of every change
        p.undo()
        assert not p.can_undo
    assert snapshot(blank) == empty


def test_a_plan_is_refused_if_the_project_changed_after_it_was_shown(
    sample_project: Path, tmp_path: Path
):
    with Project.open(sample_project) as p:
        export_xlsx(p, tmp_path / "a.xlsx")
        xlsx = colleague.returned(
            tmp_path / "a.xlsx", tmp_path / "back.xlsx", colleague.remark(2, "同事的备注")
        )
        plan = plan_import(p, xlsx)
        assert plan.values == {"indicator.2.remark": "同事的备注"}
        p.set("indicator.2.remark", "又改了一次")
        with pytest.raises(CsrError) as info:
            apply_import(p, plan)
        assert "重新导入" in info.value.zh
        assert p.get("indicator.2.remark") == "又改了一次"


def test_cli_dry_run_shows_changes_and_touches_nothing_then_applies(
    cli, sample_project: Path, tmp_path: Path
):
    with Project.open(sample_project) as p:
        p.set_rating(7, 1)
        export_xlsx(p, tmp_path / "a.xlsx")
    xlsx = colleague.returned(tmp_path / "a.xlsx", tmp_path / "back.xlsx", colleague.rate(7, 5))
    before = dump_of(sample_project)
    dry = cli("import-xlsx", xlsx, sample_project, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "第7项「网络内容生态治理」 企业自评：1.非常完善 → 5.尚未开展" in dry.stdout
    assert "试运行" in dry.stdout
    assert dump_of(sample_project) == before
    real = cli("import-xlsx", xlsx, sample_project)
    assert real.returncode == 0, real.stderr
    assert dump_of(sample_project) != before
    again = cli("import-xlsx", xlsx, sample_project)
    assert again.returncode == 0 and "没有需要导入的修改" in again.stdout


def dump_of(path: Path) -> dict[str, Any]:
    with Project.open(path, readonly=True) as p:
        return dump(p)


TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from("_x0D5F\r\n\t 　=+-@☑□√续（）：\x0b\x01\ufffe"), max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=4000),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    remark=TEXT,
    narrative=TEXT,
    name=TEXT,
    item_remark=TEXT,
    company=st.text(max_size=40),
)
def test_any_text_survives_export_and_import(remark, narrative, name, item_remark, company):
    with tempfile.TemporaryDirectory() as tmp:
        src, dst, xlsx = Path(tmp, "src.csrproj"), Path(tmp, "dst.csrproj"), Path(tmp, "t.xlsx")
        with Project.create(src) as p:
            p.apply(
                {
                    "company.name": company,
                    "indicator.1.remark": remark,
                    "indicator.1.narrative": narrative,
                    "indicator.1.evidence": [EvidenceItem(name, item_remark)],
                    "indicator.1.rating": 3,
                },
                "准备",
            )
            export_xlsx(p, xlsx)
        Project.create(dst).close()
        import_into(dst, xlsx)
        with Project.open(dst, readonly=True) as p:
            a = p.assessment()
            got = a.answer(1)
            assert a.company["name"] == xml_safe(company.replace("\x0b", "\n"))
        assert got.rating == 3
        assert got.remark == xml_safe(remark.replace("\x0b", "\n"))
        assert got.narrative == xml_safe(narrative.replace("\x0b", "\n"))
        kept = xml_safe(name).strip() or xml_safe(item_remark).strip()
        expected = [(xml_safe(name), xml_safe(item_remark))] if kept else []
        assert [(e.name, e.remark) for e in got.evidence] == expected


def test_a_damaged_evidence_block_leaves_the_stored_content_alone(hostile, tmp_path: Path):
    """Losing the catalogue's header row or the narrative's label is a broken layout, not a
    request to delete: the stored catalogue and narrative stay, and the user is told."""
    project, xlsx = hostile

    def edit(wb):
        ws = wb[layout.EVIDENCE_SHEET]
        inside = None
        for row in ws.iter_rows(min_col=1, max_col=2):
            a = row[0].value
            if isinstance(a, str) and a.startswith("三级指标"):
                inside = int(a[4 : a.index("：")])
            elif inside == 8 and row[1].value == "材料名称":
                row[1].value = None
            elif inside == 9 and a == layout.NARRATIVE_LABEL:
                row[0].value = None

    broken = edited(xlsx, tmp_path / "broken.xlsx", edit)
    with Project.open(project, readonly=True) as p:
        plan = plan_import(p, broken)
    assert plan.changes == []
    assert any("第8项" in w and "目录保持不变" in w for w in plan.warnings)
    assert any("第9项" in w and "介绍保持不变" in w for w in plan.warnings)
