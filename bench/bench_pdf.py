"""PDF export timings, each against a baseline measured in the same run.

1. The 诚信承诺书 of a full project vs a bare ReportLab one-page letter in the same font
   (target: ≤ 1.5×). Both are measured warm, in this process, interleaved run by run: fonts are
   registered and each has run once before timing, so both pay only for layout, subsetting and
   writing. The letter also checks the project for gaps (draft or not) and writes atomically.
2. The complete 自评材料 for a project with 200 evidence files (pictures, PDFs, other files),
   against the same document with no evidence files, and per evidence file.

Run: .venv/bin/python bench/bench_pdf.py [--tiny]

Each pair alternates who goes first. `--tiny` (CI smoke): 3 runs, 6 evidence files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import alternating, report_ratio

from csr_desktop.core.atomic import write_atomically
from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.pdf.document import export_document
from csr_desktop.formats.pdf.fonts import MAIN, font_chain
from csr_desktop.formats.pdf.letter import export_letter, is_draft
from csr_desktop.sample import build_interchange

RUNS = 31


def _timed(work: Callable[[], None]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def median_seconds(work: Callable[[], None], runs: int | None = None) -> float:
    work()  # warm-up: imports, caches
    return statistics.median(_timed(work) for _ in range(RUNS if runs is None else runs))


def _cpu(work: Callable[[], None]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def paired(
    ours: Callable[[], None], base: Callable[[], None], clock: Callable[..., float] = _timed
) -> tuple[list[float], list[float]]:
    """Interleave the two so load from other processes hits both alike, alternating who goes
    first; both lists of seconds."""
    ours()
    base()
    times: dict[str, list[float]] = {"ours": [], "base": []}
    for n in range(RUNS):
        for name, fn in alternating(n, (("ours", ours), ("base", base))):
            times[name].append(clock(fn))
    return times["ours"], times["base"]


def _writer(data: bytes) -> Callable[[BinaryIO], None]:
    def write(fh: BinaryIO) -> None:
        fh.write(data)

    return write


def bare_letter(dest: Path) -> None:
    """The least a ReportLab letter can be: same font, same text, one style, no checks."""
    iset = default_indicator_set()
    style = ParagraphStyle("b", fontName=MAIN, fontSize=16, leading=29, wordWrap="CJK")
    title = ParagraphStyle("t", fontName=MAIN, fontSize=22, leading=32, alignment=1)
    story = [Paragraph(line, title) for line in iset.commitment.title_lines]
    story += [Spacer(0, 8 * mm), Paragraph(iset.commitment.body, style), Spacer(0, 26 * mm)]
    story += [Paragraph(f"{f.label}：星澜数字科技有限公司", style) for f in iset.commitment.fields]
    doc = SimpleDocTemplate(str(dest), pagesize=A4, initialFontName=MAIN)
    doc.build(story)


def evidence_files(folder: Path, count: int) -> list[Path]:
    """A realistic mix: a third photos, a third multi-page PDFs, a third office files."""
    from reportlab.pdfgen.canvas import Canvas

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            path = folder / f"现场照片{n:03d}.jpg"
            img = Image.new("RGB", (2400, 1600), (200, 220 - n % 50, 240))
            ImageDraw.Draw(img).ellipse((600, 300, 1800, 1300), fill=(180, 40, n % 255))
            img.save(path, quality=85)
        elif kind == 1:
            path = folder / f"制度文件{n:03d}.pdf"
            canvas = Canvas(str(path), initialFontName=MAIN)
            for page in range(1, 3):
                canvas.setFont(MAIN, 14)
                canvas.drawString(72, 760, f"制度文件 {n} 第 {page} 页")
                canvas.showPage()
            canvas.save()
        else:
            path = folder / f"会议纪要{n:03d}.docx"
            path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 200)
        paths.append(path)
    return paths


def main() -> None:
    global RUNS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="CI smoke: 3 runs, 6 evidence files")
    tiny = parser.parse_args().tiny
    if tiny:
        RUNS = 3
    n_files = 6 if tiny else 200
    font_chain()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        full = root / "full.csrproj"
        interchange.load(build_interchange(root / "full", evidence_per_indicator=2), full)

        with Project.open(full, readonly=True) as project:
            ours, bare = paired(
                lambda: export_letter(project, root / "letter.pdf"),
                lambda: bare_letter(root / "bare.pdf"),
            )
            # On a shared machine a wall-clock median swings with other processes (each wait
            # on the disk costs a time slice); CPU time does not, though it leaves out the fsync.
            ours_cpu, bare_cpu = paired(
                lambda: export_letter(project, root / "letter.pdf"),
                lambda: bare_letter(root / "bare.pdf"),
                clock=_cpu,
            )
            # What the letter does beyond the bare one, besides its layout: the draft check
            # (validate, asking the store about each evidence file) and the atomic write (fsync).
            draft = median_seconds(lambda: is_draft(project, None))
        data = (root / "letter.pdf").read_bytes()
        plain = median_seconds(lambda: (root / "plain-write.pdf").write_bytes(data))
        atomic = median_seconds(lambda: write_atomically(root / "atomic.pdf", _writer(data)))
        med = statistics.median
        print(
            f"letter, full project:       {med(ours) * 1000:7.1f} ms median, {min(ours) * 1000:.1f} best"
        )
        print(
            f"bare ReportLab letter:      {med(bare) * 1000:7.1f} ms median, {min(bare) * 1000:.1f} best"
        )
        print(
            f"ratio, interleaved runs:    {min(ours) / min(bare):7.2f}× best-of, "
            f"{med(ours) / med(bare):.2f}× median (target ≤ 1.5×)"
        )
        print(f"ratio of CPU time:          {med(ours_cpu) / med(bare_cpu):7.2f}× median")
        report_ratio(
            "pdf_letter",
            med(ours) / med(bare),
            f"{med(ours) * 1000:.1f} ms vs {med(bare) * 1000:.1f} ms = "
            f"**{med(ours) / med(bare):.2f}×** median ({med(ours_cpu) / med(bare_cpu):.2f}× CPU)",
        )
        print(
            f"  of which draft check {draft * 1000:.2f} ms, "
            f"atomic write {(atomic - plain) * 1000:.2f} ms more than a plain one"
        )

        rich = root / "rich.csrproj"
        interchange.load(build_interchange(root / "rich", evidence_per_indicator=0), rich)
        paths = evidence_files(root / "files", n_files)
        with Project.open(rich) as project:
            per = len(paths) // 28 + 1
            for no in range(1, 29):
                chunk = paths[(no - 1) * per : no * per]
                if chunk:
                    project.add_evidence_files(no, chunk)
        plain = root / "plain.csrproj"
        interchange.load(build_interchange(root / "plain", evidence_per_indicator=0), plain)
        with Project.open(plain, readonly=True) as project:
            base = median_seconds(lambda: export_document(project, root / "plain.pdf"), runs=3)
        with Project.open(rich, readonly=True) as project:
            doc = median_seconds(lambda: export_document(project, root / "doc.pdf"), runs=3)
        pages = len(PdfReader(root / "doc.pdf").pages)
        size = (root / "doc.pdf").stat().st_size / 1e6
        print(f"document, no evidence files: {base:6.2f} s")
        print(
            f"document, {n_files} evidence files: {doc:6.2f} s  ({pages} pages, {size:.1f} MB; "
            f"{(doc - base) / n_files * 1000:.0f} ms per file; {doc / base:.1f}× the bare document)"
        )
        report_ratio(
            "pdf_document",
            doc / base,
            f"**{doc:.2f} s**, {pages} pages, {size:.1f} MB ({(doc - base) / n_files * 1000:.0f} ms "
            f"per file; {doc / base:.1f}× the document without evidence, {base:.2f} s)",
        )


if __name__ == "__main__":
    main()
