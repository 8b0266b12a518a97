"""How close the Excel export's row heights are to what LibreOffice itself computes.

    python scripts/measure_xlsx_row_heights.py PROJECT.csrproj [WORKDIR] [-v]

The workbook is written without row heights and converted to .ods by LibreOffice; the row
heights are then removed from that .ods (its rows stay marked "optimal height"), and a second
conversion makes LibreOffice lay every row out and compute its optimal height. Each row's
estimate is printed against it (LibreOffice on xlsx import keeps whatever height it reads, so
the detour through .ods is what makes it measure).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx import export as xlsx_export

_ROW_STYLE = re.compile(
    r'<style:style style:name="(ro\d+)" style:family="table-row">'
    r"<style:table-row-properties([^>]*)/>"
)
_TABLE = re.compile(r'<table:table table:name="([^"]+)"(.*?)</table:table>', re.S)
_ROW = re.compile(
    r'<table:table-row table:style-name="(ro\d+)"(?: table:number-rows-repeated="(\d+)")?'
)


def _soffice(src: Path, outdir: Path, fmt: str) -> Path:
    with tempfile.TemporaryDirectory() as home:
        subprocess.run(
            ["soffice", "--headless", "--norestore", "--convert-to", fmt, "--outdir", outdir, src],
            env={**os.environ, "HOME": home},
            capture_output=True,
            check=True,
            timeout=240,
        )
    return outdir / f"{src.stem}.{fmt}"


def _heights(ods: Path) -> dict[tuple[str, int], float]:
    xml = zipfile.ZipFile(ods).read("content.xml").decode()
    styles: dict[str, float] = {}
    for m in _ROW_STYLE.finditer(xml):
        h = re.search(r'style:row-height="([\d.]+)in"', m.group(2))
        if h:
            styles[m.group(1)] = float(h.group(1)) * 72
    out: dict[tuple[str, int], float] = {}
    for name, body in _TABLE.findall(xml):
        r = 1
        for m in _ROW.finditer(body):
            for _ in range(min(int(m.group(2) or 1), 5000)):
                if m.group(1) in styles:
                    out[(name, r)] = styles[m.group(1)]
                r += 1
    return out


def _strip_heights(ods: Path, dest: Path) -> Path:
    with zipfile.ZipFile(ods) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "content.xml":
                data = re.sub(rb'style:row-height="[\d.]+in" ', b"", data)
            zout.writestr(info, data)
    return dest


def main(project: Path, work: Path, verbose: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    estimates: dict[tuple[str, int], float] = {}

    def record(sheet: xlsx_export._Sheet, row: int, points: float) -> float:
        estimates[(sheet.ws.title, row)] = round(points, 1)
        return round(points, 1)

    xlsx_export._Sheet.height = record  # type: ignore[method-assign]
    with Project.open(project, readonly=True) as p:
        xlsx_export.build_workbook(p.assessment()).save(work / "noheights.xlsx")
    first = _soffice(work / "noheights.xlsx", work, "ods")
    optimal = work / "optimal"
    shutil.rmtree(optimal, ignore_errors=True)
    optimal.mkdir()
    measured = _heights(_soffice(_strip_heights(first, work / "stripped.ods"), optimal, "ods"))
    for sheet in sorted({s for s, _ in estimates}, reverse=True):
        pairs = [
            (r, e, measured[(s, r)])
            for (s, r), e in sorted(estimates.items())
            if s == sheet and (s, r) in measured
        ]
        ours, theirs = sum(e for _, e, _ in pairs), sum(h for _, _, h in pairs)
        ratios = sorted(e / h for _, e, h in pairs)
        print(
            f"{sheet}: {len(pairs)} rows, ours {ours:.0f} pt, LibreOffice {theirs:.0f} pt "
            f"(×{ours / theirs:.2f}); per row min ×{ratios[0]:.2f}, median "
            f"×{ratios[len(ratios) // 2]:.2f}, max ×{ratios[-1]:.2f}"
        )
        if verbose:
            for r, e, h in pairs:
                print(f"  row {r:4}: ours {e:6.1f}  LibreOffice {h:6.1f}  ×{e / h:.2f}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    if not args:
        sys.exit(__doc__)
    main(
        Path(args[0]),
        Path(args[1]) if len(args) > 1 else Path(tempfile.mkdtemp()),
        "-v" in sys.argv,
    )
