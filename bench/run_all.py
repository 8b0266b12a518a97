"""Run every benchmark once at its full size and regenerate the figures they measured: the table
in bench/README.md and the figures block in README.md. One command, so the tables never drift
from what was last measured.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/run_all.py [--only KEY ...] [--no-write]
    .venv/bin/python bench/run_all.py --tiny --no-write     # what CI runs: every benchmark tiny

Each benchmark prints `RATIO key value | figures` lines (bench/_util.report_ratio) and appends
them to the file named by BENCH_RESULTS; this script reads that file back. A benchmark that
cannot run here (the frozen start-up without a bundle in dist/) keeps its previous figures,
marked "(not re-measured …)", and the script says so and exits 1. Takes ~10 minutes on two
cores; do not run it in a loop on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_README = REPO / "bench" / "README.md"
README = REPO / "README.md"
TABLE_START, TABLE_END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"
FIGURES_START, FIGURES_END = "<!-- bench-figures:start -->", "<!-- bench-figures:end -->"


@dataclass(frozen=True)
class Row:
    key: str  # the `RATIO key` the benchmark prints
    what: str
    baseline: str
    target: str
    command: str


@dataclass(frozen=True)
class Bench:
    script: str
    args: tuple[str, ...]
    keys: tuple[str, ...]


PY = ".venv/bin/python"
BENCHES = (
    Bench("bench_startup.py", ("--runs", "25"), ("startup_floor", "startup_wizard28")),
    Bench("bench_frozen_startup.py", (), ("frozen_startup",)),
    Bench("bench_edit_latency.py", (), ("edit_latency",)),
    Bench("bench_ingest.py", ("--size-mb", "1024"), ("ingest",)),
    Bench(
        "bench_backup.py",
        ("--size-mb", "1024"),
        ("backup_first", "backup_unchanged", "backup_edit_latency", "restore"),
    ),
    Bench(
        "bench_xlsx.py", ("--repeat", "7"), ("xlsx_export", "xlsx_import", "xlsx_import_full_load")
    ),
    Bench("bench_pdf.py", (), ("pdf_letter", "pdf_document")),
    Bench("bench_package.py", ("--real",), ("package",)),
    Bench("bench_space.py", (), ("space",)),
)
ROWS = (
    Row(
        "space",
        "File size after removing half the evidence of a 200 MB project, then closing it",
        "the evidence that remains",
        "≤ 1.1×",
        f"`{PY} bench/bench_space.py`",
    ),
    Row(
        "startup_floor",
        "Start-up: process start → first page shown, 28-indicator project open",
        "the lazy floor: bare QMainWindow, 31-item side list and progress label, a QWizard of 31 "
        "pages building only the page it shows (the cover's labelled line edits)",
        "≤ 1.25×",
        f"`QT_QPA_PLATFORM=offscreen {PY} bench/bench_startup.py`",
    ),
    Row(
        "startup_wizard28",
        "Start-up against the old baseline (for comparison only: it builds 28 pages, the app 1, "
        "so the ratio flatters)",
        "bare 28-page PySide6 QWizard, every page built (5 radios, text edit, table each)",
        "—",
        "same command",
    ),
    Row(
        "frozen_startup",
        "Frozen start-up (PyInstaller bundle)",
        "the same app from the venv",
        "no slower",
        f"`QT_QPA_PLATFORM=offscreen {PY} bench/bench_frozen_startup.py`",
    ),
    Row(
        "edit_latency",
        "Edit durable on disk (one rating click / one typed line), median of 300",
        "bare SQLite commit, rollback journal, `synchronous=EXTRA` (the project's own settings)",
        "median ≤ 20 ms",
        f"`{PY} bench/bench_edit_latency.py`",
    ),
    Row(
        "ingest",
        "Evidence ingest, one 1 GB file",
        "`cp` of the same file",
        "peak RSS < 150 MB",
        f"`{PY} bench/bench_ingest.py --size-mb 1024`",
    ),
    Row(
        "xlsx_export",
        "Excel export, 28 × 50,000-character narratives + 200 catalogue rows",
        "openpyxl writing the same cells plainly",
        "≤ 1.5× (aim)",
        f"`{PY} bench/bench_xlsx.py --repeat 7`",
    ),
    Row(
        "xlsx_import",
        "Excel import (plan + apply), same project",
        "openpyxl `load_workbook(read_only=True)` reading every value",
        "≤ 1.5× (aim)",
        "same command",
    ),
    Row(
        "xlsx_import_full_load",
        "Excel import against a full load (for comparison only: a slow baseline)",
        "openpyxl `load_workbook()` (every cell object and style built)",
        "—",
        "same command",
    ),
    Row(
        "pdf_letter",
        "PDF 诚信承诺书, full project",
        "bare ReportLab one-page letter, same font, same process, interleaved",
        "≤ 1.5×",
        f"`{PY} bench/bench_pdf.py`",
    ),
    Row(
        "pdf_document",
        "PDF complete 自评材料, 200 evidence files (⅓ photos, ⅓ 2-page PDFs, ⅓ other)",
        "the same document without evidence files",
        "reported",
        "same command",
    ),
    Row(
        "package",
        "Submission package, 1 GB of evidence (10 × 100 MiB), real renderers",
        "`zip -0` of the same files",
        "≥ 70 % of its speed, peak RSS < 200 MB",
        f"`{PY} bench/bench_package.py --real`",
    ),
    Row(
        "backup_first",
        "First backup of a 1 GB project (16 evidence files), `csr-desktop backup` start-up included",
        "`cp` of the project file",
        "≤ 1.5×",
        f"`{PY} bench/bench_backup.py --size-mb 1024`",
    ),
    Row(
        "backup_unchanged",
        "Backup of the same project after one edit, evidence unchanged",
        "`cp` of the project file",
        "≤ 2 s and ≤ 5 MB new",
        "same command",
    ),
    Row(
        "backup_edit_latency",
        "Edit durable on disk while a first backup of that project runs",
        "the same edits with no backup running",
        "unchanged",
        "same command",
    ),
    Row(
        "restore",
        "Restore of that backup into a new project (every evidence hash checked)",
        "`cp` of the project file",
        "≤ 1.5×",
        "same command",
    ),
)


def run(bench: Bench, results: Path, tiny: bool) -> bool:
    """Run one benchmark with its output shown; False if it failed."""
    cmd = [sys.executable, str(REPO / "bench" / bench.script), *bench.args]
    if tiny:  # the smoke: the benchmark's own tiny size instead of the full one
        cmd = [cmd[0], cmd[1], "--tiny", *(a for a in bench.args if a == "--real")]
    print(f"== {' '.join(cmd[1:])}", flush=True)
    env = {**os.environ, "BENCH_RESULTS": str(results)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(cmd, cwd=REPO, env=env)
    return done.returncode == 0


def previous_figures(text: str) -> dict[tuple[str, str], str]:
    """The figures cell of each row of the current table, by its `what` and baseline cells
    (a figure measured against another baseline is not carried over)."""
    cells: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        parts = [p.strip() for p in line.strip().strip("|").split("|")]
        if len(parts) == 5:
            cells[(parts[0], parts[1])] = parts[3]
    return cells


def table(measured: dict[str, str], old: dict[tuple[str, str], str], stamp: str) -> str:
    lines = [
        "| What | Baseline (same run) | Target | Last figures | Command |",
        "|---|---|---|---|---|",
    ]
    for row in ROWS:
        figures = measured.get(row.key)
        if figures is None:
            kept = re.sub(r" \(not re-measured[^)]*\)$", "", old.get((row.what, row.baseline), "—"))
            figures = f"{kept} (not re-measured {stamp})"
        lines.append(f"| {row.what} | {row.baseline} | {row.target} | {figures} | {row.command} |")
    return "\n".join(lines)


def replace_block(text: str, start: str, end: str, body: str) -> str:
    if start not in text or end not in text:
        raise SystemExit(f"{start} … {end} not found")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="benchmark scripts or keys to run (default: all)")
    ap.add_argument("--no-write", action="store_true", help="print the table, change no file")
    ap.add_argument("--tiny", action="store_true", help="CI smoke: each benchmark at a tiny size")
    args = ap.parse_args()
    if args.tiny and not args.no_write:
        raise SystemExit("--tiny figures say nothing about speed: use it with --no-write")
    chosen = [
        b
        for b in BENCHES
        if not args.only or b.script in args.only or any(k in args.only for k in b.keys)
    ]
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.jsonl"
        results.touch()
        for bench in chosen:
            if not run(bench, results, args.tiny):
                failed.append(bench.script)
        measured: dict[str, str] = {}
        ratios: dict[str, float] = {}
        for line in results.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            measured[entry["key"]] = entry["figures"]
            ratios[entry["key"]] = entry["ratio"]
    stamp = dt.date.today().isoformat()
    bench_text = BENCH_README.read_text(encoding="utf-8")
    block = bench_text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0]
    new_table = table(measured, previous_figures(block), stamp)
    cores = os.cpu_count()
    header = (
        f"Figures below: generated by `bench/run_all.py` on {stamp}, {cores} cores, measured while "
        "other jobs shared the machine."
    )
    print(new_table)
    if not args.no_write:
        bench_text = replace_block(bench_text, TABLE_START, TABLE_END, f"{header}\n\n{new_table}")
        BENCH_README.write_text(bench_text, encoding="utf-8")
        figures = "\n".join(
            f"  - {row.what.split(' (')[0]}: {measured[row.key]}"
            for row in ROWS
            if row.key in measured
        )
        readme = README.read_text(encoding="utf-8")
        body = f"  Last figures ({stamp}, `bench/run_all.py`; targets in `bench/README.md`):\n{figures}"
        README.write_text(replace_block(readme, FIGURES_START, FIGURES_END, body), encoding="utf-8")
    missing = [row.key for row in ROWS if row.key not in measured]
    if failed or missing:
        print(f"not measured: {', '.join(missing) or '—'}; failed: {', '.join(failed) or '—'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
