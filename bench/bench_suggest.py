"""Passages of a CSR report per indicator (issue 29): how often the right one is offered, how fast.

Quality: the labelled set in tests/data/reports (never edited after it was made). A suggestion
is a hit for an indicator when its text holds one of the indicator's anchors; top-1 and top-3
hit rates are over the indicators each report speaks to; "silent" indicators (the report has
nothing for them) should get no suggestion at all. Measured with and without the keywords of
indicators.json, on the .txt, .docx and .pdf forms of each report, and with the looser rule that
offers any passage above the score threshold (`suggest(strict=False)`, the default until
2026-12-07).

Bounds: a generated PDF of 2,000 pages (~50 MB with pictures) read and ranked by the real
command (`csr-desktop suggest PROJECT REPORT --json`), wall time, CPU time and peak RSS of the
child process. `--tiny` makes it 20 pages (CI runs that, judging nothing).

Run: .venv/bin/python bench/bench_suggest.py [--pages 2000] [--tiny]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from csr_desktop.core.indicators import default_indicator_set  # noqa: E402
from csr_desktop.formats.report import read_report  # noqa: E402
from csr_desktop.formats.report.rank import suggest  # noqa: E402
from csr_desktop.formats.report.suggestions import queries_for  # noqa: E402

REPORTS = REPO / "tests" / "data" / "reports"


@dataclass
class Rates:
    report: str
    labelled: int
    top1: int
    top3: int
    silent: int
    silent_empty: int
    passages: int
    seconds: float

    def line(self) -> str:
        return (
            f"{self.report}: top-1 {self.top1}/{self.labelled} = {self.top1 / self.labelled:.0%}, "
            f"top-3 {self.top3}/{self.labelled} = {self.top3 / self.labelled:.0%}; "
            f"silent with no suggestion {self.silent_empty}/{self.silent}; "
            f"{self.passages} passages, read + ranked in {self.seconds * 1000:.0f} ms"
        )


def evaluate(path: Path, name: str, keywords: bool = True, strict: bool = True) -> Rates:
    """Hit rates of one form of one labelled report."""
    labels = json.loads((REPORTS / "labels.json").read_text(encoding="utf-8"))["reports"][name]
    queries = queries_for(default_indicator_set())
    if not keywords:
        queries = [type(q)(q.no, q.name, q.description, ()) for q in queries]
    start = time.perf_counter()
    report = read_report(path)
    found = suggest(report.passages, queries, top=3, strict=strict)
    seconds = time.perf_counter() - start
    top1 = top3 = silent_empty = 0
    for no, items in found.items():
        entry = labels["indicators"].get(str(no))
        if entry is None:
            silent_empty += not items
            continue
        hits = [any(a in s.passage.text for a in entry["anchors"]) for s in items]
        top1 += bool(hits) and hits[0]
        top3 += any(hits)
    return Rates(
        name,
        len(labels["indicators"]),
        top1,
        top3,
        len(labels["silent"]),
        silent_empty,
        len(report.passages),
        seconds,
    )


def _forms(tmp: Path) -> list[tuple[str, str, Path]]:
    from tests.formats.report_forms import make_docx, make_pdf

    out = []
    for name in ("seed-report.txt", "other-report.txt"):
        txt = REPORTS / name
        out.append(("txt", name, txt))
        out.append(("docx", name, make_docx(txt, tmp / f"{txt.stem}.docx")))
        out.append(("pdf", name, make_pdf(txt, tmp / f"{txt.stem}.pdf", header="社会责任报告")))
    return out


def make_big_pdf(dest: Path, pages: int, photos: int) -> Path:
    """A report of `pages` pages: numbered headings, paragraphs wrapped at the page width,
    sentences running over page ends, a running header, a page number and, if asked, photos
    (incompressible) to bring the file to a realistic size."""
    import io

    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(
        TTFont("BenchSerif", str(REPO / "resources/fonts/NotoSerifSC-Regular.ttf"))
    )
    rng = random.Random(29)
    source = [
        ln.strip()
        for ln in (REPORTS / "other-report.txt").read_text(encoding="utf-8").splitlines()
        if len(ln.strip()) > 60
    ]
    pictures = []
    for _ in range(max(0, photos)):
        img = Image.frombytes("RGB", (640, 540), rng.randbytes(640 * 540 * 3))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=95)
        pictures.append(ImageReader(io.BytesIO(buf.getvalue())))
    numerals = "一二三四五六七八九十"
    c = canvas.Canvas(str(dest), pagesize=A4)
    c.setTitle("bench report")
    per_line = 38
    chapter = section = 0
    pending = ""
    for page in range(1, pages + 1):
        c.setFont("BenchSerif", 8)
        c.drawString(72, A4[1] - 40, "某平台企业 社会责任报告")
        c.drawCentredString(A4[0] / 2, 30, f"- {page} -")
        c.setFont("BenchSerif", 10.5)
        y = A4[1] - 72
        if pictures and page % max(1, pages // len(pictures)) == 0:
            c.drawImage(
                pictures[(page // max(1, pages // len(pictures))) % len(pictures)],
                72,
                y - 200,
                240,
                200,
            )
            y -= 216
        while y > 60:
            if not pending:
                if page % 20 == 1 and y > A4[1] - 100:
                    chapter += 1
                    section = 0
                    c.drawString(72, y, f"{numerals[(chapter - 1) % 10]}、第 {chapter} 部分")
                    y -= 24
                    continue
                if rng.random() < 0.12:
                    section += 1
                    c.drawString(72, y, f"（{numerals[(section - 1) % 10]}）第 {section} 节")
                    y -= 24
                    continue
                pending = rng.choice(source)
            line, pending = pending[:per_line], pending[per_line:]
            c.drawString(72, y, line)
            y -= 17 if pending else 24
        c.showPage()
    c.save()
    return dest


def bench_big(pages: int, photos: int, tmp: Path) -> str:
    from csr_desktop.core.store import Project

    cache = Path(os.environ.get("BENCH_TMP", tempfile.gettempdir()))
    pdf = cache / f"csr-bench-report-{pages}p-{photos}photos.pdf"
    if not pdf.exists():
        start = time.perf_counter()
        make_big_pdf(pdf.with_suffix(".tmp"), pages, photos).rename(pdf)
        print(f"(generated {pdf} in {time.perf_counter() - start:.1f} s)")
    project = tmp / "bench.csrproj"
    Project.create(project).close()
    runs = [_run_suggest(project, pdf) for _ in range(3 if pages >= 100 else 1)]
    wall, cpu, rss, own = (statistics.median(r[i] for r in runs) for i in range(4))
    size = pdf.stat().st_size / 1e6
    start = time.process_time()
    report = read_report(pdf)
    read_cpu = time.process_time() - start
    start = time.process_time()
    suggest(report.passages, queries_for(default_indicator_set()), top=3)
    rank_cpu = time.process_time() - start
    return (
        f"{pages} pages, {size:.1f} MB, {len(report.passages)} passages: `suggest --json` "
        f"median of {len(runs)} runs {wall:.2f} s wall, {cpu:.2f} s CPU (helper process "
        f"included), peak RSS {rss:.0f} MB (the command and its helper together; the larger "
        f"alone {own:.0f} MB) "
        f"(in-process: read {read_cpu:.2f} s CPU of this process, rank {rank_cpu:.2f} s CPU)"
    )


def _tree_rss_mb(pid: int, children: bool = True) -> float:
    """Resident memory of a process and its descendants now (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as fh:
                total += next((int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{p}/task") if children else ():
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def _run_suggest(project: Path, pdf: Path) -> tuple[float, float, float, float]:
    """Wall, CPU (with every child), peak RSS of the process tree (sampled every 10 ms) and
    the command's own peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "csr_desktop", "suggest", str(project), str(pdf), "--json"]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    peak = own = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        own = max(own, _tree_rss_mb(proc.pid, children=False))
        time.sleep(0.01)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"suggest failed ({proc.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    # sampled, not ru_maxrss: on Linux a child keeps its parent's peak across exec, so a
    # bench that had just generated the 54 MB PDF reported 521 MB for a 154 MB command
    return wall, cpu, peak, own


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--photos", type=int, default=90, help="photos in the big PDF (~0.45 MB each)")
    ap.add_argument("--tiny", action="store_true", help="20 pages, no photos (CI)")
    args = ap.parse_args()
    if args.tiny:
        args.pages, args.photos = 20, 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for keywords in (True, False):
            print("with the keywords of indicators.json:" if keywords else "without keywords:")
            for form, name, path in (
                _forms(tmp)
                if keywords
                else [("txt", n, REPORTS / n) for n in ("seed-report.txt", "other-report.txt")]
            ):
                print(f"  {form:4} {evaluate(path, name, keywords).line()}")
        print("the looser rule (strict=False: any passage above the score threshold):")
        for n in ("seed-report.txt", "other-report.txt"):
            print(f"  txt  {evaluate(REPORTS / n, n, strict=False).line()}")
        print("BOUND " + bench_big(args.pages, args.photos, tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
