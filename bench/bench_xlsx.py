"""Excel export and import of a full project (28 narratives of 50,000 characters, 200 catalogue
rows) against openpyxl writing / reading the same cells plainly, in the same run.
Target: each ratio ≤ 1.5×.

    .venv/bin/python bench/bench_xlsx.py [--repeat 5] [--chars 50000] [--tiny]

Export = `export_xlsx` (styles, merges, row heights, print set-up, hidden sheet, atomic write)
vs a bare `Workbook()` given the same cell values and saved. Import = `plan_import` +
`apply_import` into a blank project (zip and DTD checks, layout search, marks, matching, one
transaction) vs `load_workbook(read_only=True)` iterating every value of every sheet: the
fastest way openpyxl reads (our import reads that way too). The full `load_workbook()` figure is
printed beside it, labelled; it builds every cell object and style and is a slow baseline.
Each pair alternates who goes first. `--tiny` (CI smoke): 300-character narratives, one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import alternating, report_ratio
from openpyxl import Workbook, load_workbook

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.sample import build_interchange

CATALOGUE_ROWS = 200


def paired(
    ours: Callable[[], object], plain: Callable[[], object], repeat: int
) -> dict[str, float]:
    """Median wall and CPU seconds of each, run alternately so machine load hits both alike;
    who goes first alternates too (a warm allocator or page cache favours the second)."""
    times: dict[str, list[float]] = {"ours": [], "plain": [], "ours_cpu": [], "plain_cpu": []}
    for n in range(repeat):
        for name, fn in alternating(n, (("ours", ours), ("plain", plain))):
            w, c = time.perf_counter(), time.process_time()
            fn()
            times[name].append(time.perf_counter() - w)
            times[f"{name}_cpu"].append(time.process_time() - c)
    return {k: statistics.median(v) for k, v in times.items()}


def report(key: str, what: str, base: str, t: dict[str, float], target: bool = True) -> None:
    ratio = t["ours"] / t["plain"]
    print(
        f"{what:<6} ours {t['ours']:.3f} s  {base} {t['plain']:.3f} s  "
        f"ratio {ratio:.2f}x wall, {t['ours_cpu'] / t['plain_cpu']:.2f}x CPU"
        + (" (target <= 1.5x)" if target else "")
    )
    report_ratio(
        key,
        ratio,
        f"{t['ours']:.3f} s vs {t['plain']:.3f} s = **{ratio:.2f}×** "
        f"({t['ours_cpu'] / t['plain_cpu']:.2f}× CPU)",
    )


def build_project(folder: Path, chars: int) -> Path:
    """The sample company with `chars`-character narratives and exactly 200 catalogue rows."""
    per = CATALOGUE_ROWS // 28
    source = build_interchange(folder / "in", per, narrative_chars=chars, evidence_bytes=64)
    data = json.loads(source.read_text(encoding="utf-8"))
    extra = CATALOGUE_ROWS - per * 28
    for ind in data["indicators"][:extra]:
        ind["evidence"].append(
            {**ind["evidence"][0], "name": ind["evidence"][0]["name"] + "（补）"}
        )
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dest = folder / "full.csrproj"
    interchange.load(source, dest)
    return dest


def plain_cells(xlsx: Path) -> list[tuple[str, list[tuple[int, int, object]]]]:
    wb = load_workbook(xlsx)
    sheets = [
        (
            ws.title,
            [
                (c.row, c.column, c.value)
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            ],
        )
        for ws in wb.worksheets
    ]
    wb.close()
    return sheets


def plain_write(cells: list[tuple[str, list[tuple[int, int, object]]]], dest: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for title, values in cells:
        ws = wb.create_sheet(title)
        for row, col, value in values:
            ws.cell(row=row, column=col, value=value)
    wb.save(dest)


def plain_read(xlsx: Path, read_only: bool) -> int:
    wb = load_workbook(xlsx, read_only=read_only)
    n = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    wb.close()
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--chars", type=int, default=50_000)
    ap.add_argument("--tiny", action="store_true", help="CI smoke: small project, one run")
    args = ap.parse_args()
    if args.tiny:
        args.repeat, args.chars = 1, 300
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        project_path = build_project(tmp, args.chars)
        ours = tmp / "ours.xlsx"
        plain = tmp / "plain.xlsx"
        blank = tmp / "blank.csrproj"
        Project.create(blank).close()
        with Project.open(project_path, readonly=True) as project:
            a = project.assessment()
            rows = sum(len(a.answer(n).evidence) for n in project.indicator_set.numbers)
            chars = sum(len(a.answer(n).narrative) for n in project.indicator_set.numbers)
            export_xlsx(project, ours)
            cells = plain_cells(ours)
            t_export = paired(
                lambda: export_xlsx(project, ours), lambda: plain_write(cells, plain), args.repeat
            )

        def import_once() -> None:
            target = tmp / "target.csrproj"
            shutil.copyfile(blank, target)
            with Project.open(target) as p:
                plan = plan_import(p, ours)
                apply_import(p, plan)
            target.unlink()

        t_import_ro = paired(import_once, lambda: plain_read(ours, True), args.repeat)
        t_import = paired(import_once, lambda: plain_read(ours, False), args.repeat)
        ncells = sum(len(v) for _, v in cells)
        print(
            f"project: {chars:,} narrative characters, {rows} catalogue rows; "
            f"{ncells:,} non-empty cells; workbook {ours.stat().st_size / 1e6:.2f} MB"
        )
        report("xlsx_export", "export", "plain Workbook() write", t_export)
        report("xlsx_import", "import", "plain load_workbook(read_only=True) read", t_import_ro)
        report(
            "xlsx_import_full_load",
            "import",
            "full load_workbook() read (slow baseline, for comparison)",
            t_import,
            target=False,
        )


if __name__ == "__main__":
    main()
