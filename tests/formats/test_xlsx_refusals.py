"""Every workbook the import must refuse: exit 2, one line naming the file (and the cell), the
project untouched, in bounded time and memory."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from csr_desktop.cli import run_command
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import dump, load
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.sample import build_interchange
from tests.corpus.xlsx import make_workbooks as corpus
from tests.formats.colleague import table_row


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("refusals")
    project = folder / "p.csrproj"
    load(build_interchange(folder / "in", 1), project)
    xlsx = folder / "export.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, xlsx)
    return project, xlsx


def _meta_cell(wb, key: str):
    ws = wb[layout.META_SHEET]
    row = next(r for r in ws.iter_rows(max_col=2) if r[0].value == key)
    return row[1]


def two_marks(wb):
    ws = wb[layout.TABLE_SHEET]
    r = table_row(ws, 3)
    ws.cell(r, 6).value = ws.cell(r, 6).value.replace("□", "☑", 2)


def unknown_set(wb):
    _meta_cell(wb, layout.META_SET_ID).value = "some-other-assessment"


def newer_format(wb):
    _meta_cell(wb, layout.META_VERSION).value = layout.FORMAT_VERSION + 1


def missing_row(wb):
    ws = wb[layout.TABLE_SHEET]
    ws.delete_rows(table_row(ws, 5))


def duplicate_row(wb):
    ws = wb[layout.TABLE_SHEET]
    ws.cell(table_row(ws, 6), 1).value = 5


def other_indicator(wb):
    ws = wb[layout.TABLE_SHEET]
    ws.cell(table_row(ws, 4), 4).value = "别的指标"


def unreadable_rating(wb):
    ws = wb[layout.TABLE_SHEET]
    ws.cell(table_row(ws, 8), 6).value = "做得很好"


def extra_row(wb):
    ws = wb[layout.TABLE_SHEET]
    ws.cell(table_row(ws, 28) + 1, 1).value = 29


def bad_date(wb):
    ws = wb[layout.TABLE_SHEET]
    row = next(r for r in ws.iter_rows(max_col=1) if str(r[0].value).startswith("提交日期"))
    ws.cell(row[0].row, 5).value = "下周一"


def missing_block(wb):
    ws = wb[layout.EVIDENCE_SHEET]
    cell = next(r[0] for r in ws.iter_rows(max_col=1) if str(r[0].value).startswith("三级指标9："))
    cell.value = "（说明）"


EDITS: list[tuple[Callable, tuple[str, ...]]] = [
    (two_marks, ("F11", "多个选项")),
    (unknown_set, ("B3", "some-other-assessment")),
    (newer_format, ("更新版本",)),
    (missing_row, ("序号为 5", "导出时在第 14 行")),
    (duplicate_row, ("A15", "重复")),
    (other_indicator, ("D13", "别的指标")),
    (unreadable_rating, ("F17", "做得很好")),
    (extra_row, ("A42", "29")),
    (bad_date, ("E6", "下周一")),
    (missing_block, ("三级指标9",)),
]

MADE: list[tuple[Callable[[Path], Path], tuple[str, ...]]] = [
    (corpus.not_a_zip, ("不是",)),
    (corpus.empty, ("空文件",)),
    (corpus.ole_xls, (".xls",)),
    (corpus.word_document, ("Word",)),
    (corpus.other_form, ("找不到", "序号")),
]

FROM_EXPORT: list[tuple[Callable[[Path, Path], Path], tuple[str, ...]]] = [
    (corpus.truncated, ("不完整或已损坏",)),
    (corpus.corrupt, ("已损坏", "xl/worksheets/sheet1.xml")),
    (corpus.zip_bomb_ratio, ("压缩比", "xl/worksheets/sheet1.xml")),
    (corpus.zip_bomb_size, ("超过上限", "xl/sharedStrings.xml")),
    (corpus.zip_bomb_lying, ("已损坏", "xl/worksheets/sheet1.xml")),
    (corpus.too_many_members, ("成员",)),
    (corpus.xml_bomb, ("XML", "xl/workbook.xml")),
]


def fingerprint(project: Path) -> tuple[str, object, int]:
    with Project.open(project, readonly=True) as p:
        content, audit = dump(p), len(p.audit_log())
    return hashlib.sha256(project.read_bytes()).hexdigest(), content, audit


def refused(
    project: Path, xlsx: Path, capsys, needles: tuple[str, ...], dry_run: bool = False
) -> None:
    before = fingerprint(project)
    start = time.perf_counter()
    code = run_command(
        ["import-xlsx", str(xlsx), str(project), *(["--dry-run"] if dry_run else [])]
    )
    elapsed = time.perf_counter() - start
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err  # one line, no traceback
    assert str(xlsx) in err
    for needle in needles:
        assert needle in err, (needle, err)
    assert "Traceback" not in err
    assert fingerprint(project) == before
    assert elapsed < 20


@pytest.mark.parametrize(("edit", "needles"), EDITS, ids=[e.__name__ for e, _ in EDITS])
def test_edited_workbooks_are_refused_naming_the_cell(base, tmp_path: Path, capsys, edit, needles):
    project, xlsx = base
    bad = corpus.edited(xlsx, tmp_path / f"{edit.__name__}.xlsx", edit)
    refused(project, bad, capsys, needles)


@pytest.mark.parametrize(("make", "needles"), MADE, ids=[m.__name__ for m, _ in MADE])
def test_files_that_are_no_self_assessment_workbook_are_refused(
    base, tmp_path: Path, capsys, make, needles
):
    project, _ = base
    refused(project, make(tmp_path), capsys, needles)


@pytest.mark.posix_only("peak memory from resource.getrusage")
@pytest.mark.parametrize(("make", "needles"), FROM_EXPORT, ids=[m.__name__ for m, _ in FROM_EXPORT])
def test_damaged_and_hostile_containers_are_refused_before_parsing(
    base, tmp_path: Path, capsys, make, needles
):
    project, xlsx = base
    bad = make(tmp_path, xlsx)
    import resource  # POSIX only

    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refused(project, bad, capsys, needles, dry_run=make is corpus.xml_bomb)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 60, f"refusing {bad.name} grew the process by {grown_mb:.0f} MB"


def test_a_missing_workbook_is_refused(base, tmp_path: Path, capsys):
    project, _ = base
    refused(project, tmp_path / "没有这个文件.xlsx", capsys, ("找不到",))
