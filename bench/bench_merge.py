"""Merging 20 returns of one export of a full project (three-way) against importing the same
20 workbooks plainly (two-way, the import as it was before the base was recorded), in the same
run. Target: ratio ≤ 1.5×.

    .venv/bin/python bench/bench_merge.py [--repeat 3] [--chars 20000]

Each return is the export with one colleague's edits (a rating, a 备注 and a narrative of
different indicators). "Plain" workbooks are the same files with the hidden base removed, so
the two runs read identical sheets; each round imports all 20 into a fresh copy of the
project, the two kinds alternating which goes first.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import load_workbook

from bench.bench_xlsx import build_project
from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import export_xlsx, options_text
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.formats.xlsx.merge_base import BASE_COLUMN

RETURNS = 20


def make_returns(export: Path, folder: Path, project: Project) -> tuple[list[Path], list[Path]]:
    """20 colleagues' copies, and the same copies without the base (two-way)."""
    iset = project.indicator_set
    merged, plain = [], []
    for k in range(RETURNS):
        wb = load_workbook(export)
        ws = wb[layout.TABLE_SHEET]
        no = k % 28 + 1
        ind = iset.indicator(no)
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == no)
        old = project.assessment().answer(no).rating or 1
        ws.cell(row, 6).value = options_text(ind, old % 5 + 1)
        ws.cell(row, 7).value = f"第 {k + 1} 位同事的备注"
        ev = wb[layout.EVIDENCE_SHEET]
        target = (k + 7) % 28 + 1
        for r in range(1, ev.max_row + 1):
            if str(ev.cell(r, 1).value or "").startswith(f"三级指标{target}："):
                ev.cell(r + 1, 2).value = f"第 {k + 1} 位同事改写的介绍。"
                break
        path = folder / f"return_{k + 1:02d}.xlsx"
        wb.save(path)
        merged.append(path)
        meta = wb[layout.META_SHEET]
        for line in meta.iter_rows(min_col=BASE_COLUMN, max_col=BASE_COLUMN + 1):
            for cell in line:
                cell.value = None
        path = folder / f"plain_{k + 1:02d}.xlsx"
        wb.save(path)
        plain.append(path)
    return merged, plain


def import_all(project: Path, scratch: Path, books: list[Path]) -> float:
    shutil.copyfile(project, scratch)
    t = time.perf_counter()
    with Project.open(scratch) as p:
        for book in books:
            plan = plan_import(p, book)
            apply_import(p, plan)
    elapsed = time.perf_counter() - t
    scratch.unlink()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--chars", type=int, default=20_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        project = build_project(tmp, args.chars)
        export = tmp / "export.xlsx"
        with Project.open(project, readonly=True) as p:
            export_xlsx(p, export)
            merged, plain = make_returns(export, tmp, p)
        times: dict[str, list[float]] = {"merge": [], "plain": []}
        ratios = []
        for i in range(args.repeat):
            order = (("merge", merged), ("plain", plain))
            if i % 2:
                order = order[::-1]
            pair = {
                name: import_all(project, tmp / "scratch.csrproj", books) for name, books in order
            }
            for name, t in pair.items():
                times[name].append(t)
            ratios.append(pair["merge"] / pair["plain"])
        m, p_ = statistics.median(times["merge"]), statistics.median(times["plain"])
        print(
            f"{RETURNS} returns of a project with {args.chars:,}-character narratives: "
            f"three-way merge {m:.2f} s, plain two-way import {p_:.2f} s; "
            f"ratio {m / p_:.2f}x (median of paired ratios {statistics.median(ratios):.2f}x; "
            "target <= 1.5x)"
        )


if __name__ == "__main__":
    main()
