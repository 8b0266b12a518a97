"""A colleague's file in a return is attached, or offered in a 冲突 naming both files, but never
dropped (issue 31): the 文件名 column follows the three-way rule of every other field."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.cli.cmd_import_xlsx import import_workbook
from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.sample import build_interchange
from tests.formats import colleague as C

NO, ROW = 13, 3  # the office attaches office.pdf to row 3 of indicator 13 after the export
OFFICE, COLLEAGUE = b"%PDF-1.4 office", b"%PDF-1.4 colleague"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The project and its export, made once; indicator 13 has a third row, 情况说明, with no
    file yet."""
    folder = tmp_path_factory.mktemp("template")
    project = folder / "sample.csrproj"
    interchange.load(build_interchange(folder / "in", evidence_per_indicator=2), project)
    export = folder / "自评表.xlsx"
    with Project.open(project) as p:
        rows = list(p.assessment().answer(NO).evidence)
        p.set_evidence(NO, [*rows, EvidenceItem("情况说明", "待补")], "加一行")
        export_xlsx(p, export)
    return project, export


@pytest.fixture
def sent(template: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the project (the same project: the export's base belongs to it) and its export."""
    project, export = tmp_path / "sample.csrproj", tmp_path / "发出" / "自评表.xlsx"
    export.parent.mkdir()
    shutil.copyfile(template[0], project)
    shutil.copyfile(template[1], export)
    return project, export


def office_attaches(project: Path, tmp_path: Path, row: int = ROW) -> None:
    scan = tmp_path / "office.pdf"
    scan.write_bytes(OFFICE)
    with Project.open(project) as p:
        rows = list(p.assessment().answer(NO).evidence)
        stored = p.store_file(scan)
        rows[row - 1] = rows[row - 1]._replace(
            file_name=scan.name, sha256=stored.sha256, size=stored.size
        )
        p.set_evidence(NO, rows, "办公室附上文件")


def file_return(export: Path, folder: Path, remark: str | None = None, row: int = ROW) -> Path:
    """The colleague's return: colleague.pdf beside it, named in `row`; nothing else changed
    unless `remark` (that row's 备注)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "colleague.pdf").write_bytes(COLLEAGUE)

    def name_file(wb: Any) -> None:
        ws = wb["佐证材料"]
        head = C._block(ws, NO)
        while ws.cell(head, 2).value != "材料名称":
            head += 1
        ws.cell(head + row, 4).value = "colleague.pdf"
        ws.cell(head + row, 5).value = None  # the SHA-256 of the file no longer named there
        if remark is not None:
            ws.cell(head + row, 3).value = remark

    return C.returned(export, folder / "回复.xlsx", name_file)


def catalogue(project: Path) -> list[EvidenceItem]:
    with Project.open(project, readonly=True) as p:
        return list(p.assessment().answer(NO).evidence)


@pytest.mark.parametrize("remark", [None, "同事补充的说明"], ids=["file-only", "with-remark"])
def test_a_file_both_sides_named_is_a_conflict_naming_both_never_dropped(
    sent, tmp_path: Path, remark: str | None
):
    # seen red on the old planner: no change, no conflict, no attachment (the return)
    project, export = sent
    office_attaches(project, tmp_path)
    book = file_return(export, tmp_path / "回收", remark)
    with Project.open(project, readonly=True) as p:
        plan = plan_import(p, book)
    [conflict] = plan.conflicts
    assert conflict.key == f"indicator.{NO}.evidence"
    assert "office.pdf" in conflict.project_text and "colleague.pdf" in conflict.workbook_text
    assert "office.pdf" in conflict.describe() and "colleague.pdf" in conflict.describe()
    if remark is None:
        assert not plan.changes
    else:  # the 备注 only the colleague changed merges; the file waits for the user
        assert [c.key for c in plan.changes] == [f"indicator.{NO}.evidence"]
    kept, taken = tmp_path / "keep.csrproj", tmp_path / "take.csrproj"
    shutil.copyfile(project, kept)
    shutil.copyfile(project, taken)
    for path, take in ((kept, False), (taken, True)):
        with Project.open(path) as p:
            plan = plan_import(p, book)
            apply_import(p, plan, [c.key for c in plan.conflicts] if take else ())
    row_kept, row_taken = catalogue(kept)[ROW - 1], catalogue(taken)[ROW - 1]
    assert (row_kept.file_name, row_kept.sha256) == ("office.pdf", sha(OFFICE))
    assert (row_taken.file_name, row_taken.sha256) == ("colleague.pdf", sha(COLLEAGUE))
    with Project.open(taken, readonly=True) as p:
        assert p.file_is_intact(sha(COLLEAGUE))
    want = "待补" if remark is None else remark
    assert row_kept.remark == want and row_taken.remark == want
    assert [r.file_name for r in catalogue(kept)[: ROW - 1]] == [
        r.file_name for r in catalogue(taken)[: ROW - 1]
    ]


@pytest.mark.parametrize("remark", [None, "同事补充的说明"], ids=["file-only", "with-remark"])
@pytest.mark.parametrize("office_edits", ["nothing", "another row"])
def test_a_file_only_the_colleague_named_is_attached(
    sent, tmp_path: Path, remark: str | None, office_edits: str
):
    # seen red on the old planner in all four: the row kept no file, nothing was planned
    project, export = sent
    if office_edits == "another row":  # the office's edit elsewhere in the catalogue stands
        office_attaches(project, tmp_path, row=1)
    book = file_return(export, tmp_path / "回收", remark)
    with Project.open(project) as p:
        plan = plan_import(p, book)
        assert not plan.conflicts and [c.key for c in plan.changes] == [f"indicator.{NO}.evidence"]
        [att] = plan.attachments
        assert att.path.name == "colleague.pdf" and not att.if_taken
        apply_import(p, plan)
    rows = catalogue(project)
    assert (rows[ROW - 1].file_name, rows[ROW - 1].sha256) == ("colleague.pdf", sha(COLLEAGUE))
    assert rows[ROW - 1].remark == ("待补" if remark is None else remark)
    if office_edits == "another row":
        assert rows[0].file_name == "office.pdf"
    with Project.open(project, readonly=True) as p:  # a second import of it changes nothing
        again = plan_import(p, book)
    assert not again.changes and not again.conflicts


@pytest.mark.parametrize("order", ["file first", "remark first"])
def test_two_returns_in_either_order_offer_the_file_and_keep_the_other_edit(
    sent, tmp_path: Path, order: str
):
    """The office attached office.pdf; colleague A names colleague.pdf in that row, colleague
    B rewrites row 1's 备注. Either order: B's 备注 is taken, A's file is a conflict (taken
    here), never dropped."""
    project, export = sent
    office_attaches(project, tmp_path)
    a = file_return(export, tmp_path / "A")
    name, file_name = _row1(export)
    b = C.returned(
        export, tmp_path / "B" / "回复.xlsx", C.catalogue_row(NO, 1, name, "B 的说明", file_name)
    )
    books = [a, b] if order == "file first" else [b, a]
    conflicts = []
    for book in books:
        with Project.open(project) as p:
            plan = plan_import(p, book)
            conflicts += plan.conflicts
            apply_import(p, plan, [c.key for c in plan.conflicts])
    [conflict] = conflicts
    assert "office.pdf" in conflict.project_text and "colleague.pdf" in conflict.workbook_text
    rows = catalogue(project)
    assert rows[0].remark == "B 的说明"
    assert (rows[ROW - 1].file_name, rows[ROW - 1].sha256) == ("colleague.pdf", sha(COLLEAGUE))


def _row1(export: Path) -> tuple[str, str]:
    """Row 1's 材料名称 and 文件名 as exported (catalogue_row writes the whole row)."""
    from openpyxl import load_workbook

    ws = load_workbook(export)["佐证材料"]
    head = C._block(ws, NO)
    while ws.cell(head, 2).value != "材料名称":
        head += 1
    return str(ws.cell(head + 1, 2).value), str(ws.cell(head + 1, 4).value)


def test_a_file_conflict_in_a_catalogue_with_new_rows_names_both_files(sent, tmp_path: Path):
    """A row added as well: the catalogue is one conflict, and its two sides name both files."""
    project, export = sent
    office_attaches(project, tmp_path)
    book = C.returned(
        file_return(export, tmp_path / "回收"),
        tmp_path / "回收" / "加行.xlsx",
        C.catalogue_row(NO, 4, "同事新增的材料", "新增"),
    )
    with Project.open(project) as p:
        plan = plan_import(p, book)
        [conflict] = plan.conflicts
        assert "office.pdf" in conflict.project_text and "colleague.pdf" in conflict.workbook_text
        assert "office.pdf" not in conflict.workbook_text
        assert conflict.project_text.startswith("1.") and "；3.情况说明（待补）[office.pdf]" in (
            conflict.project_text
        )
        assert conflict.workbook_text.endswith(
            "；3.情况说明（待补）[colleague.pdf]；4.同事新增的材料（新增）"
        )
        apply_import(p, plan)  # kept: the office's file stays, nothing of the catalogue changes
    assert catalogue(project)[ROW - 1].file_name == "office.pdf"
    with Project.open(project) as p:
        plan = plan_import(p, book)
        apply_import(p, plan, [c.key for c in plan.conflicts])
    rows = catalogue(project)
    assert rows[ROW - 1].file_name == "colleague.pdf" and rows[3].name == "同事新增的材料"


def cli_import(book: Path, project: Path, *on_conflict: str) -> tuple[int, str]:
    """`csr-desktop import-xlsx BOOK PROJECT [--on-conflict …]`, its exit code and output."""
    out = io.StringIO()
    code = import_workbook(book, project, False, out, on_conflict[0] if on_conflict else None)
    return code, out.getvalue()


def test_the_cli_stops_on_the_file_conflict_and_takes_it_when_told(sent, tmp_path: Path):
    project, export = sent
    office_attaches(project, tmp_path)
    book = file_return(export, tmp_path / "回收")
    code, out = cli_import(book, project)
    assert code == 1
    [line] = [x for x in out.splitlines() if x.strip().startswith("冲突：")]
    assert "office.pdf" in line and "colleague.pdf" in line and f"第{NO}项" in line
    [offer] = [x for x in out.splitlines() if "附加文件" in x]
    assert "colleague.pdf" in offer and "采用工作簿中的内容时" in offer
    assert "未导入任何修改" in out
    assert catalogue(project)[ROW - 1].file_name == "office.pdf"
    assert cli_import(book, project, "keep")[0] == 0
    assert catalogue(project)[ROW - 1].file_name == "office.pdf"
    code, out = cli_import(book, project, "take")
    assert code == 0 and "已导入 1 处修改" in out
    assert catalogue(project)[ROW - 1].file_name == "colleague.pdf"


@pytest.mark.parametrize("row", [1, 2])
def test_a_file_name_the_export_showed_is_not_taken_back_over_the_offices_new_file(
    sent, tmp_path: Path, row: int
):
    """A row still names the file it had at export (the colleague kept a copy beside the
    workbook) while the office replaced it; the colleague also added a row. Taking the
    colleague's catalogue adds the row and leaves the office's file where it is."""
    project, export = sent
    name, sha = _sent(export, row)
    with Project.open(project, readonly=True) as p:  # the copy the colleague kept
        kept = b"".join(p.iter_file(sha))
    office_attaches(project, tmp_path, row=row)  # the replaced file is freed at close
    folder = tmp_path / "回收"
    folder.mkdir()
    (folder / name).write_bytes(kept)
    book = C.returned(
        export, folder / "回复.xlsx", C.catalogue_row(NO, 4, "同事新增的材料", "新增")
    )
    with Project.open(project) as p:
        plan = plan_import(p, book)
        assert not plan.attachments and not any(name in w for w in plan.warnings)
        apply_import(p, plan, [c.key for c in plan.conflicts])
    rows = catalogue(project)
    assert rows[row - 1].file_name == "office.pdf"
    assert rows[3].name == "同事新增的材料"


def _sent(export: Path, row: int) -> tuple[str, str]:
    """A catalogue row's 文件名 and SHA-256 as exported."""
    from openpyxl import load_workbook

    ws = load_workbook(export)["佐证材料"]
    head = C._block(ws, NO)
    while ws.cell(head, 2).value != "材料名称":
        head += 1
    return str(ws.cell(head + row, 4).value), str(ws.cell(head + row, 5).value)


def test_two_rows_of_one_name_keep_their_own_files(sent, tmp_path: Path):
    """Rows are matched by 材料名称 one to one: two rows named alike keep each its file."""
    project, _ = sent
    export = tmp_path / "同名.xlsx"
    with Project.open(project) as p:
        rows = list(p.assessment().answer(NO).evidence)
        twins = [rows[0], rows[1]._replace(name=rows[0].name)]
        p.set_evidence(NO, twins, "同名")
        export_xlsx(p, export)
    book = C.returned(
        export, tmp_path / "回收" / "回复.xlsx", C.catalogue_row(NO, 3, "同事新增的材料")
    )
    with Project.open(project) as p:
        apply_import(p, plan_import(p, book))
    got = catalogue(project)
    assert [r.sha256 for r in got[:2]] == [r.sha256 for r in twins]
    assert got[2].name == "同事新增的材料"
