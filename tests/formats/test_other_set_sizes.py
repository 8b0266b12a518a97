"""A project upgraded onto a set of 29 or 26 indicators goes through every format: the Excel
round trip (a colleague's edit in the last row comes back), the package and its verification.
And a merged indicator keeps both narratives and every evidence row."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from csr_desktop.cli.cmd_import_xlsx import import_workbook
from csr_desktop.core.carry_over import carry_over
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.core.validation import validate
from csr_desktop.formats.package.build import export_package
from csr_desktop.formats.package.verify import verify_package
from csr_desktop.formats.xlsx.export import export_xlsx

NEXT = Path(__file__).resolve().parent.parent / "data" / "indicators-next.json"


def set_of_26() -> IndicatorSet:
    """The shipped set with 10 and 11 merged and 12 removed (built here, not shipped)."""
    data = json.loads(default_indicator_set().source_json)
    data["version"] = "2025.9"
    groups = [g for lvl in data["levels"] for g in lvl["groups"]]
    for group in groups:
        for ind in list(group["indicators"]):
            if ind["no"] in (11, 12):
                group["indicators"].remove(ind)
            elif ind["no"] == 10:
                ind["name"] = "从业人员与优质用户培育"
    for lvl in data["levels"]:
        lvl["groups"] = [g for g in lvl["groups"] if g["indicators"]]
    numbers = iter(range(1, 100))
    for group in (g for lvl in data["levels"] for g in lvl["groups"]):
        for ind in group["indicators"]:
            ind["no"] = next(numbers)
    data["upgrade_from"] = {
        "id": data["id"],
        "version": "2024.1",
        "changes": [
            {"kind": "kept", "from": list(range(1, 10)), "to": list(range(1, 10))},
            {"kind": "merged", "from": [10, 11], "to": [10]},
            {"kind": "removed", "from": [12]},
            {"kind": "kept", "from": list(range(13, 29)), "to": list(range(11, 27))},
        ],
    }
    return IndicatorSet.from_json(json.dumps(data, ensure_ascii=False))


@pytest.mark.parametrize("size", [29, 26])
def test_an_upgraded_project_goes_through_excel_and_the_package(
    sample_project: Path, tmp_path: Path, size: int
) -> None:
    iset = IndicatorSet.from_json(NEXT.read_text(encoding="utf-8")) if size == 29 else set_of_26()
    assert len(iset.indicators) == size
    path = tmp_path / "upgraded.csrproj"
    carry_over(sample_project, path, iset)
    xlsx = tmp_path / "table.xlsx"
    with Project.open(path, readonly=True) as project:
        export_xlsx(project, xlsx)
    wb = openpyxl.load_workbook(xlsx)
    table = wb.worksheets[0]
    last = next(c.row for c in table["A"] if c.value == size)
    assert table.cell(last, 4).value == iset.indicator(size).name
    table.cell(last, 7).value = "同事补充的备注"
    wb.save(xlsx)
    out = io.StringIO()
    assert import_workbook(xlsx, path, dry_run=False, out=out) == 0
    assert f"第{size}项" in out.getvalue()
    with Project.open(path, readonly=True) as project:
        assert project.assessment().answer(size).remark == "同事补充的备注"
        report = export_package(project, tmp_path / "package.zip")
    assert report.draft  # 待复核
    verified = verify_package(tmp_path / "package.zip")
    assert verified.intact and verified.draft and len(verified.ok) > size


def test_a_merged_indicator_keeps_both_answers(sample_project: Path, tmp_path: Path) -> None:
    path = tmp_path / "merged.csrproj"
    report = carry_over(sample_project, path, set_of_26())
    with Project.open(sample_project, readonly=True) as old, Project.open(path) as new:
        a, b = old.assessment(), new.assessment()
        merged = b.answer(10)
        assert a.answer(10).narrative in merged.narrative
        assert a.answer(11).narrative in merged.narrative
        assert "【原第11项「平台优质用户培育」】" in merged.narrative
        assert merged.evidence == a.answer(10).evidence + a.answer(11).evidence
        if a.answer(10).rating != a.answer(11).rating:
            assert merged.rating is None
            assert any("原自评不一致" in line for line in report.lines())
        else:
            assert merged.rating == a.answer(10).rating
        assert b.answer(26).narrative == a.answer(28).narrative


def test_a_damaged_file_in_last_year_is_named_and_not_carried(
    sample_project: Path, tmp_path: Path
) -> None:
    with Project.open(sample_project, readonly=True) as project:
        item = project.assessment().answer(5).evidence[0]
    db = sqlite3.connect(sample_project)
    db.execute(
        "UPDATE blob_chunks SET data=? WHERE blob_id=(SELECT id FROM blobs WHERE sha256=?)",
        (b"tampered", item.sha256),
    )
    db.commit()
    db.close()
    path = tmp_path / "new.csrproj"
    report = carry_over(sample_project, path)
    assert report.damaged == (f"第5项「网络正能量传播」佐证材料目录第1行“{item.name}”",)
    assert any("已损坏" in line and item.name in line for line in report.lines())
    with Project.open(path, readonly=True) as new:
        row = new.assessment().answer(5).evidence[0]
        assert row.name == item.name and row.sha256 is None
        messages = [f.message for f in validate(new.assessment(), new.file_is_intact)]
        assert f"第5项「网络正能量传播」：佐证材料目录第1行“{item.name}”没有附上文件" in messages
