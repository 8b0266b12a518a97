"""What the import plans from a return, in the words the user confirms, and what it refuses
(formats/xlsx/importer.py): one export shared by the module, so that every mutant of the planner
meets these checks in seconds (scripts/mutation.py)."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.cli.cmd_import_xlsx import import_workbook
from csr_desktop.core import departments
from csr_desktop.core.errors import CsrError, InputFileError
from csr_desktop.core.operations.departments import assign
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.sample import build_interchange
from tests.formats import colleague as C

LONG = "这是一段超过二十八个字的备注，用来检查预览里的缩写方式是否正确无误。"  # 35 characters


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A project, its whole export and 法务部's export (13–15), made once."""
    folder = tmp_path_factory.mktemp("template")
    project = folder / "sample.csrproj"
    interchange.load(build_interchange(folder / "in", evidence_per_indicator=1), project)
    with Project.open(project) as p:
        p.set_rating(1, 1)
        p.set("indicator.2.remark", "")
        p.set("indicator.3.remark", "")
        p.set("indicator.7.remark", "")
        p.set("indicator.9.narrative", LONG[:28])  # exactly the length shown whole
        assign(p, "法务部", [13, 14, 15])
        export_xlsx(p, folder / "自评表.xlsx")
        export_xlsx(p, folder / "法务部.xlsx", "法务部")
    return project, folder / "自评表.xlsx", folder / "法务部.xlsx"


@pytest.fixture
def sent(template: tuple[Path, Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "sample.csrproj"
    shutil.copyfile(template[0], project)
    return project, template[1]


def cover(row: int, text: Any) -> C.Edit:
    """Type into cover field `row` (0 = 企业名称 … 4 = 提交日期) of the 自评表 sheet."""

    def edit(wb: Any) -> None:
        wb["自评表"].cell(2 + row, 5).value = text

    return edit


def back(sent: tuple[Path, Path], tmp_path: Path, *edits: C.Edit, name: str = "回复.xlsx") -> Path:
    return C.returned(sent[1], tmp_path / "回收" / name, *edits)


def plan_of(project: Path, book: Path) -> Any:
    with Project.open(project, readonly=True) as p:
        return plan_import(p, book)


def test_what_only_the_colleague_changed_is_planned_in_words(sent, tmp_path: Path) -> None:
    project, _ = sent
    with Project.open(project, readonly=True) as p:
        a = p.assessment()
        name = a.company["name"]
        scale = a.indicator_set.indicator(1).scale
        story = a.answer(5).narrative
    half = len(story) // 2
    book = back(
        sent,
        tmp_path,
        C.rate(1, 3),
        C.remark(2, "第一行\n第二行"),
        C.remark(3, LONG),
        cover(0, "新公司名称"),
        C.narrative(5, story[:half] + "【新增的一句】" + story[half:]),
        C.narrative(6, "短"),
        C.remark(7, LONG[:28]),
        C.narrative(9, LONG[:28] + "补充"),
        C.narrative(10, LONG[:28]),
    )
    plan = plan_of(project, book)
    assert plan.three_way and not plan.conflicts and not plan.warnings
    assert plan.label == f"导入 {book.name}：9 处修改"
    lines = plan.describe()
    assert lines[0] == f"封面 企业名称（公章）：“{name}” → “新公司名称”"
    assert lines[1].startswith("第1项「")
    assert lines[1].endswith(f"企业自评：{scale.option_text(1)} → {scale.option_text(3)}")
    assert lines[2].endswith("备注：（空） → “第一行⏎第二行”")
    assert lines[3].endswith(f"备注：（空） → “{LONG[:28]}…”（共 {len(LONG)} 字）")
    assert "相关工作情况介绍：" in lines[4] and "{+【新增的一句】+}" in lines[4]
    assert " → " not in lines[4]  # a long text shows the changed passage, not old → new
    assert lines[5].endswith("相关工作情况介绍：" + _short_form(p_story6(project)) + " → “短”")
    assert lines[6].endswith(f"备注：（空） → “{LONG[:28]}”")  # 28 characters: shown whole
    # a passage only when both texts are longer than what the preview shows whole
    assert lines[7].endswith(f"相关工作情况介绍：“{LONG[:28]}” → “{LONG[:28]}…”（共 30 字）")
    assert " → “" + LONG[:28] + "”" in lines[8]
    with Project.open(project) as p:
        assert apply_import(p, plan) == 9
        assert p.get("indicator.1.rating") == 3 and p.get("indicator.2.remark") == "第一行\n第二行"
        assert p.get("company.name") == "新公司名称"
        assert book.name in p.undo_label
        again = plan_import(p, book)
        assert not again.changes and not again.conflicts
        assert apply_import(p, again) == 0


def p_story6(project: Path) -> str:
    with Project.open(project, readonly=True) as p:
        return str(p.get("indicator.6.narrative"))


def _short_form(text: str) -> str:
    flat = text.replace("\n", "⏎")
    return f"“{flat[:28]}…”（共 {len(text)} 字）"


def test_both_sides_changed_differently_is_a_conflict_and_the_same_change_is_not(
    sent, tmp_path: Path
) -> None:
    project, _ = sent
    with Project.open(project) as p:
        p.set("indicator.2.remark", "办公室写的")
        p.set("indicator.4.remark", "大家都这么写")
        p.set_rating(1, 2)
        label = p.assessment().indicator_set.indicator(2).label
    book = back(sent, tmp_path, C.remark(2, "同事写的"), C.remark(4, "大家都这么写"), C.rate(1, 2))
    plan = plan_of(project, book)
    assert not plan.changes
    [conflict] = plan.conflicts
    assert conflict.describe() == (
        f"冲突：{label} 备注：项目中为 “办公室写的”，工作簿中为 “同事写的”"
    )
    out = io.StringIO()
    assert import_workbook(book, project, False, out) == 1
    assert "有 1 处冲突未解决，未导入任何修改" in out.getvalue()
    with Project.open(project) as p:
        assert apply_import(p, plan_import(p, book), ["indicator.2.remark"]) == 1
        assert "1 处冲突采用工作簿的内容" in p.undo_label
        assert p.get("indicator.2.remark") == "同事写的"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2024年8月5日", "2024-08-05"),
        ("2024/8/5 00:00:00", "2024-08-05"),
        ("2025.12.31", "2025-12-31"),
        ("", ""),
    ],
)
def test_a_typed_cover_date_is_stored_in_one_form(sent, tmp_path: Path, typed, stored) -> None:
    project, _ = sent
    book = back(sent, tmp_path, cover(4, typed))
    with Project.open(project) as p:
        apply_import(p, plan_import(p, book))
        assert p.get("company.submission_date") == stored


@pytest.mark.parametrize("typed", ["2024-13-01", "八月五日", "2024-02-30"])
def test_an_unreadable_cover_date_is_refused_naming_the_cell(sent, tmp_path: Path, typed) -> None:
    project, _ = sent
    book = back(sent, tmp_path, cover(4, typed))
    with pytest.raises(CsrError) as err:
        plan_of(project, book)
    assert f"“{typed}”无法识别" in err.value.zh and "E6" in err.value.zh


def test_a_workbook_from_another_project_or_without_its_base_is_compared_two_way(
    sent, tmp_path: Path
) -> None:
    project, _ = sent
    other = tmp_path / "other.csrproj"
    interchange.load(build_interchange(tmp_path / "o", evidence_per_indicator=1), other)
    book = back(sent, tmp_path, C.remark(6, "改了"))
    plan = plan_of(other, book)
    assert not plan.three_way and any("另一个项目" in w for w in plan.warnings)

    def drop_meta(wb: Any) -> None:
        del wb["csr_meta"]

    bare = back(
        sent,
        tmp_path,
        C.remark(6, "改了"),
        C.catalogue_row(11, 2, "手工新增的一行", "带文件", "手工附件.pdf"),
        drop_meta,
        name="手工.xlsx",
    )
    (bare.parent / "手工附件.pdf").write_bytes(b"%PDF by hand")
    plan = plan_of(project, bare)
    assert not plan.three_way
    [att] = plan.attachments
    assert (att.key, att.index, att.path.name) == ("indicator.11.evidence", 1, "手工附件.pdf")
    assert len(plan.warnings) == 2  # row 1 keeps its file: no word on it
    assert "本软件的标识" in plan.warnings[0] and "原值记录" in plan.warnings[1]
    assert [c.key for c in plan.changes] == ["indicator.6.remark", "indicator.11.evidence"]
    out = io.StringIO()
    assert import_workbook(bare, project, True, out) == 0
    assert "（与项目当前内容比较）" in out.getvalue() and "试运行" in out.getvalue()


def test_catalogue_rows_that_cannot_get_their_file_are_named(sent, tmp_path: Path) -> None:
    project, _ = sent
    folder = tmp_path / "回收"
    folder.mkdir()
    (folder / "真文件.pdf").write_bytes(b"%PDF real")
    with Project.open(project, readonly=True) as p:
        first = p.assessment().answer(8).evidence[0]
        fourteen = p.assessment().answer(14).evidence[0]

    def with_sha(no: int, name: str, sha: str) -> C.Edit:
        def edit(wb: Any) -> None:
            C.catalogue_row(no, 2, name, "", "真文件.pdf")(wb)
            for row in wb["佐证材料"].iter_rows():
                if row[1].value == name:
                    row[4].value = sha

        return edit

    def stale_sha(wb: Any) -> None:  # a new file named; the old file's SHA-256 left beside it
        C.catalogue_row(14, 1, fourteen.name, fourteen.remark, "真文件.pdf")(wb)
        for row in wb["佐证材料"].iter_rows():
            if row[1].value == fourteen.name:
                row[4].value = fourteen.sha256

    wrong_sha = with_sha(9, "填错哈希", "0" * 64)
    right_sha = with_sha(12, "哈希相符", hashlib.sha256(b"%PDF real").hexdigest().upper())

    book = back(
        sent,
        tmp_path,
        C.catalogue_row(7, 2, "新材料", "无文件"),
        C.catalogue_row(8, 1, first.name, first.remark, "不存在.pdf"),
        C.catalogue_row(8, 2, "新行缺文件", "", "缺的.pdf"),
        wrong_sha,
        right_sha,
        stale_sha,
    )
    plan = plan_of(project, book)
    text = "\n".join(plan.warnings)
    assert "第7项" in text and "“新材料”是新增的，尚无文件" in text
    [missing] = [w for w in plan.warnings if "不存在.pdf" in w]
    assert "找不到文件 “不存在.pdf”" in missing and "这一行尚无文件" not in missing
    [bare] = [w for w in plan.warnings if "缺的.pdf" in w]
    assert "“新行缺文件”" in bare and bare.endswith("，这一行尚无文件")
    [sha_warning] = [w for w in plan.warnings if "SHA-256" in w]
    assert "“填错哈希”" in sha_warning and "与表中所填不符" in sha_warning
    # attached: the file whose SHA-256 the sheet gives right, and the one beside a stale hash
    assert [(a.key, a.path.name) for a in plan.attachments] == [
        ("indicator.12.evidence", "真文件.pdf"),
        ("indicator.14.evidence", "真文件.pdf"),
    ]


def test_apply_refuses_a_plan_the_project_moved_away_from(sent, tmp_path: Path) -> None:
    project, _ = sent
    folder = tmp_path / "回收"
    folder.mkdir()
    (folder / "新.pdf").write_bytes(b"%PDF new")
    book = back(
        sent, tmp_path, C.remark(6, "同事改的"), C.catalogue_row(10, 2, "新行", "", "新.pdf")
    )
    with Project.open(project) as p:
        plan = plan_import(p, book)
        p.set("indicator.6.remark", "办公室刚改的")
        with pytest.raises(CsrError) as err:
            apply_import(p, plan)
        assert "又被修改过" in err.value.zh
        p.undo()
        (folder / "新.pdf").write_bytes(b"%PDF changed meanwhile")
        with pytest.raises(CsrError) as err:
            apply_import(p, plan)
        assert "新.pdf" in err.value.zh and "被修改过" in err.value.zh
        assert p.get("indicator.6.remark") != "同事改的"


def test_the_cli_names_a_missing_workbook_and_says_when_nothing_changed(sent, tmp_path) -> None:
    project, export = sent
    with pytest.raises(InputFileError):
        import_workbook(tmp_path / "无.xlsx", project, False, io.StringIO())
    out = io.StringIO()
    assert import_workbook(export, project, False, out) == 0
    assert "没有需要导入的修改" in out.getvalue()


def test_a_department_workbook_changes_only_its_rows_and_records_the_return(
    template, sent, tmp_path: Path
) -> None:
    project, _ = sent
    book = C.returned(
        template[2],
        tmp_path / "回收" / "法务部.xlsx",
        C.remark(13, "法务的备注"),
        cover(0, "法务改的公司名"),
    )
    plan = plan_of(project, book)
    assert plan.department == "法务部" and plan.label.endswith("（法务部）：1 处修改")
    assert [c.key for c in plan.changes] == ["indicator.13.remark"]
    assert any("封面“企业名称（公章）”" in r and "已拒绝" in r for r in plan.refused)
    with Project.open(project) as p:
        assert apply_import(p, plan) == 1
        [legal] = departments.tracking(p)
        assert legal.returned_at and legal.applied == 1 and legal.conflicts == 0


def _evidence_cell(ws: Any, no: int, offset_from_header: int, col: int) -> Any:
    head = C._block(ws, no)
    while ws.cell(head, 2).value != "材料名称":
        head += 1
    return ws.cell(head + offset_from_header, col)


def test_what_the_sheet_lost_or_turned_into_dates_is_named_and_left_alone(
    sent, tmp_path: Path
) -> None:
    """A 备注 or catalogue cell the spreadsheet turned into a date, a block without its
    narrative row or its catalogue header: each named, that part left as it is."""
    import datetime as dt

    project, _ = sent

    def damage(wb: Any) -> None:
        table, sheet = wb["自评表"], wb["佐证材料"]
        cell = table.cell(C.table_row(table, 11), 7)
        cell.value, cell.number_format = dt.datetime(2026, 1, 2), "m/d"
        sheet.cell(C._block(sheet, 20) + 1, 1).value = "说明"  # no 相关工作情况介绍 row
        _evidence_cell(sheet, 21, 0, 2).value = "名称"  # no catalogue header
        date = _evidence_cell(sheet, 22, 1, 3)
        date.value, date.number_format = dt.datetime(2026, 3, 4), "m/d"

    book = back(sent, tmp_path, damage, C.remark(12, "照常导入"))
    with Project.open(project, readonly=True) as p:
        before = {n: p.assessment().answer(n) for n in (11, 20, 21, 22)}
    plan = plan_of(project, book)
    assert [c.key for c in plan.changes] == ["indicator.12.remark"]
    [w11, w20, w21, w22] = plan.warnings
    assert "第11项" in w11 and "的备注" in w11 and "自动转换成的日期 2026" in w11
    assert "单元格 G" in w11 and "文本" in w11
    assert w20.endswith("在工作簿中没有相关工作情况介绍一行，介绍保持不变")
    assert w21.endswith("在工作簿中没有佐证材料目录，目录保持不变")
    assert "第22项" in w22 and "佐证材料目录" in w22 and w22.endswith("；目录保持不变")
    assert f"日期 {before[22].evidence[0].name}（" in w22  # the row named by its 材料名称
    with Project.open(project) as p:
        apply_import(p, plan)
        assert {n: p.assessment().answer(n) for n in before} == before


def test_a_catalogue_change_is_summed_up_in_rows_added_and_removed(sent, tmp_path: Path):
    project, _ = sent
    with Project.open(project, readonly=True) as p:
        first = p.assessment().answer(23).evidence[0]
    book = back(
        sent,
        tmp_path,
        C.catalogue_row(23, 1, "换了名字的材料", first.remark, first.file_name or ""),
        C.catalogue_row(23, 2, "新加的材料", "补充"),
        C.catalogue_row(24, 1, *_first_row(project, 24, remark="只改了备注")),
    )
    plan = plan_of(project, book)
    [c23, c24] = plan.changes
    assert c23.describe().endswith(
        f"佐证材料目录：1 项 → 2 项（新增 “换了名字的材料”、“新加的材料”；删除 “{first.name}”）"
    )
    assert c24.describe().endswith("佐证材料目录：1 项 → 1 项（备注、文件或顺序有修改）")


def _first_row(project: Path, no: int, remark: str) -> tuple[str, str, str]:
    with Project.open(project, readonly=True) as p:
        row = p.assessment().answer(no).evidence[0]
    return row.name, remark, row.file_name or ""
