"""The 自评表 as two independent readers print it: LibreOffice and Gnumeric, each page read back.

One export (a filled project with a 2,000-character 备注) is printed once by each reader for the
whole module; the tests read the PDFs page by page with pdftotext and look at the grid's pixels.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, pairwise
from pathlib import Path
from xml.etree import ElementTree

import pytest

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import load
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import TABLE_WIDTHS, export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.sample import build_interchange

LONG_REMARK_NO = 5  # in a group of two, in the largest 一级指标
# 2,000 characters that are all different sentences, so "printed whole" can be checked piece
# by piece: 备注第001句…备注第250句 (8 characters each).
LONG_REMARK = "".join(f"备注第{i:03d}句；" for i in range(1, 251))
LONG_CATALOGUE_NO, LONG_CATALOGUE = 3, 60  # a 佐证材料目录 of 60 rows crosses a page


@dataclass(frozen=True)
class Printed:
    reader: str
    pdf: Path
    pages: list[list[str]]  # each page's text per column (序号 … 备注), without whitespace
    lines: list[list[str]]  # each page's lines as laid out (pdftotext -layout), stripped


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: Path, headers: tuple[str, ...]) -> list[list[str]]:
    """Each page's text per table column, top to bottom, without whitespace.

    Reading whole pages would interleave the wrapped lines of neighbouring cells, so every
    word goes to the column whose header (on the first page) it stands under.
    """
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    ns = "{http://www.w3.org/1999/xhtml}"
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))
    pages = [
        [
            (
                float(w.get("xMin", 0)),
                float(w.get("xMax", 0)),
                float(w.get("yMin", 0)),
                w.text or "",
            )
            for w in page.iter(f"{ns}word")
        ]
        for page in root.iter(f"{ns}page")
    ]
    centres: dict[str, float] = {}
    for x0, x1, _, text in pages[0]:
        if text in headers and text not in centres:
            centres[text] = (x0 + x1) / 2
    assert len(centres) == len(headers), centres
    # The column edges, from the header's first and last centres and the exported widths; a
    # word belongs to the column its left edge stands in (short lines are left-aligned).
    lefts = [0.0, *accumulate(TABLE_WIDTHS)]
    mids = [(a + b) / 2 for a, b in pairwise(lefts)]
    scale = (centres[headers[-1]] - centres[headers[0]]) / (mids[-1] - mids[0])
    edges = [centres[headers[0]] + (x - mids[0]) * scale for x in lefts[1:-1]]
    columns = []
    for words in pages:
        cols: list[list[tuple[float, float, str]]] = [[] for _ in headers]
        for x0, _, y, text in words:
            if text not in headers:  # the header row, repeated on each page by LibreOffice
                cols[bisect_right(edges, x0 + 1)].append((y, x0, text))
        columns.append(["".join(t for _, _, t in sorted(col)) for col in cols])
    return columns


def _libreoffice(xlsx: Path, out: Path) -> Path:
    home = out / "lo-home"
    home.mkdir(parents=True)
    subprocess.run(
        ["soffice", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(out), xlsx],
        env={**os.environ, "HOME": str(home)},
        check=True,
        capture_output=True,
        timeout=240,
    )
    return out / f"{xlsx.stem}.pdf"


def _gnumeric(xlsx: Path, out: Path) -> Path:
    pdf = out / f"{xlsx.stem}.gnumeric.pdf"
    subprocess.run(["ssconvert", str(xlsx), str(pdf)], check=True, capture_output=True, timeout=240)
    return pdf


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("print")
    project = folder / "sample.csrproj"
    load(build_interchange(folder / "in", 2), project)
    with Project.open(project) as p:
        p.set(f"indicator.{LONG_REMARK_NO}.remark", LONG_REMARK)
        items = [
            EvidenceItem(f"长目录材料{k:02d}", f"第{k}份") for k in range(1, LONG_CATALOGUE + 1)
        ]
        p.set(f"indicator.{LONG_CATALOGUE_NO}.evidence", [e.to_json() for e in items])
    xlsx = folder / "自评表.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, xlsx)
    return project, xlsx


@pytest.fixture(
    scope="module",
    params=[
        "libreoffice",
        pytest.param(
            "gnumeric",
            marks=pytest.mark.posix_only("Gnumeric's ssconvert has no current Windows build"),
        ),
    ],
)
def printed(request: pytest.FixtureRequest, exported, tmp_path_factory) -> Printed:
    tool = {"libreoffice": "soffice", "gnumeric": "ssconvert"}[request.param]
    assert shutil.which(tool), f"{tool} is needed: scripts/bootstrap.sh TEST_APT_PACKAGES"
    out = tmp_path_factory.mktemp(request.param)
    convert = _libreoffice if request.param == "libreoffice" else _gnumeric
    pdf = convert(exported[1], out)
    headers = default_indicator_set().table_headers
    return Printed(request.param, pdf, _pages(pdf, headers), _layout_lines(pdf))


def _layout_lines(pdf: Path) -> list[list[str]]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")
    return [
        [line.strip() for line in page.splitlines() if line.strip()]
        for page in text.split("\f")[:-1]
    ]


def _table_pages(printed: Printed) -> list[list[str]]:
    """The pages of the 自评表 sheet: those before the 佐证材料 sheet's first page."""
    note = _flat(default_indicator_set().evidence.note)
    ends = [k for k, page in enumerate(printed.pages) if note in "".join(page)]
    assert ends and ends[0] > 0, f"{printed.reader}: the 佐证材料 sheet does not follow the table"
    return printed.pages[: ends[0]]


def test_every_page_of_the_table_starts_with_its_header_row_once(printed):
    """The header row heads every page of the 自评表 in both readers, never twice: the exporter
    writes it again after each of its page breaks (Gnumeric ignores print titles, and a reader
    that honours them would print the row twice)."""
    headers = default_indicator_set().table_headers
    table = _table_pages(printed)
    assert len(table) >= 3, printed.reader
    for number, lines in enumerate(printed.lines[: len(table)], start=1):
        rows = [k for k, line in enumerate(lines) if all(h in line for h in headers)]
        assert len(rows) == 1, (printed.reader, number, rows)
        above = "".join(lines[: rows[0]])
        assert number == 1 or above == "", (printed.reader, number, above)  # nothing above it


_CATALOGUE_HEADER = re.compile(r"^序号\s+材料名称\s+备注\s+文件名\s+SHA-256$")
_ITEM = re.compile(r"^\d+\s+\S")


def test_every_evidence_page_that_continues_a_catalogue_starts_with_its_header(printed):
    """A 佐证材料目录 crossing a page break goes on under its header row, in both readers: the
    exporter writes the header again at its own break inside a catalogue. A page is read line
    by line (pdftotext -layout); a catalogue is open from its header row to the next heading."""
    evidence = printed.lines[len(_table_pages(printed)) :]
    heading = re.compile(r"^(三级指标\d+：|[一二三四]、|相关工作情况介绍|（续)")
    open_catalogue = False
    continued = []
    for number, lines in enumerate(evidence, start=len(printed.lines) - len(evidence) + 1):
        body = [line for line in lines if not re.search(r"第 \d+ 页", line)]
        if open_catalogue and body and not heading.match(body[0]):
            continued.append(number)
            assert _CATALOGUE_HEADER.match(body[0]), (printed.reader, number, body[:2])
            assert _ITEM.match(body[1]), (printed.reader, number, body[:2])  # items go on
        for line in body:
            if _CATALOGUE_HEADER.match(line):
                open_catalogue = True
            elif heading.match(line):
                open_catalogue = False
        assert not any(_ITEM.match(line) and "材料名称" in line for line in body)
    assert continued, (printed.reader, "the 60-row catalogue continues on a page")


def test_page_numbers_read_the_same_in_both_readers(printed):
    """Every page's footer names its sheet and its place in the printout, counted through the
    workbook with the total: the one numbering Gnumeric, LibreOffice and Excel all print
    alike (Gnumeric has no per-sheet first page number)."""
    total = len(printed.lines)
    sheets = [layout.TABLE_SHEET] * len(_table_pages(printed))
    sheets += [layout.EVIDENCE_SHEET] * (total - len(sheets))
    footers = [re.sub(r"\s+", " ", lines[-1]) for lines in printed.lines]
    assert footers == [
        f"{sheet} 第 {k} 页 共 {total} 页" for k, sheet in enumerate(sheets, start=1)
    ], printed.reader


def test_every_colour_in_the_styles_is_opaque(exported):
    with zipfile.ZipFile(exported[1]) as zf:
        styles = zf.read("xl/styles.xml").decode()
    colours = re.findall(r'rgb="([0-9A-Fa-f]{8})"', styles)
    assert colours, "the grid and header fill are coloured"
    assert [c for c in colours if not c.upper().startswith("FF")] == []


def test_all_28_descriptions_are_printed(printed):
    column = "".join(page[4] for page in _table_pages(printed))  # 指标说明
    for ind in default_indicator_set().indicators:
        assert _flat(ind.description) in column, (printed.reader, ind.no)


def test_every_page_names_the_groups_of_the_rows_it_holds(printed):
    """A page holding an indicator's row (or a continuation of its 备注) prints its 一级 and
    二级 label: no page with a blank group cell, no label sliced over two pages."""
    iset = default_indicator_set()
    names = {ind.no: _flat(ind.name) for ind in iset.indicators}
    checked = 0
    for number, page in enumerate(_table_pages(printed), start=1):
        for level in iset.levels:
            for group in level.groups:
                for ind in group.indicators:
                    if names[ind.no] not in page[3]:  # 三级指标
                        continue
                    checked += 1
                    for col, label in ((1, level.name), (2, group.name)):
                        assert _flat(label) in page[col], (printed.reader, number, ind.no, label)
    assert checked >= 28 + 1  # every row, and the long 备注's continuation pages


def test_a_2000_character_remark_is_printed_whole(printed):
    text = "".join(page[6] for page in _table_pages(printed))  # 备注
    missing = [i for i in range(1, 251) if f"备注第{i:03d}句" not in text]
    assert missing == [], (printed.reader, missing[:5])


def test_the_grid_is_drawn(printed, tmp_path: Path):
    """The first page's cell borders are really drawn: long dark rules across the table and
    down each column (an alpha-0 border colour prints none in Gnumeric)."""
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "50", "-f", "1", "-l", "1", str(printed.pdf), tmp_path / "p"],
        check=True,
        timeout=60,
    )
    (pgm,) = tmp_path.glob("p*.pgm")
    width, height, pixels = _read_pgm(pgm)
    dark = [[pixels[y * width + x] < 140 for x in range(width)] for y in range(height)]
    across = sum(1 for row in dark if _longest_run(row) > width * 0.6)
    down = sum(1 for x in range(width) if _longest_run([r[x] for r in dark]) > height * 0.25)
    assert across >= 4, (printed.reader, across)  # the header's top and bottom, row rules
    assert down >= 8, (printed.reader, down)  # the edges of seven columns


def test_the_long_remark_comes_back_whole_on_import(exported, tmp_path: Path):
    _, xlsx = exported
    blank = tmp_path / "blank.csrproj"
    Project.create(blank).close()
    with Project.open(blank) as p:
        apply_import(p, plan_import(p, xlsx))
        assert p.assessment().answer(LONG_REMARK_NO).remark == LONG_REMARK


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, w, h, _maxval, rest = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(w), int(h), rest


def _longest_run(values: list[bool]) -> int:
    best = run = 0
    for v in values:
        run = run + 1 if v else 0
        best = max(best, run)
    return best


def test_no_page_is_blank(printed):
    """Each printed page holds more than its footer (Gnumeric, reading a row break as a column
    break, would print the empty columns beside the table as blank pages)."""
    footer = re.compile(f"{layout.TABLE_SHEET}|{layout.EVIDENCE_SHEET}|第|页|\\d")
    for number, page in enumerate(printed.pages, start=1):
        assert footer.sub("", "".join(page)), (printed.reader, number)


@pytest.mark.parametrize(
    "reader",
    [
        "libreoffice",
        pytest.param(
            "gnumeric",
            marks=pytest.mark.posix_only("Gnumeric's ssconvert has no current Windows build"),
        ),
    ],
)
def test_no_heading_is_left_at_the_foot_of_a_page(reader: str, tmp_path: Path) -> None:
    """Long narratives push headings toward page ends: the exporter's own breaks keep an
    indicator's heading (三级指标4：…), a catalogue's title and its header row with what
    follows, in both readers (Gnumeric left ten headings alone at page feet; issue 25)."""
    tool = {"libreoffice": "soffice", "gnumeric": "ssconvert"}[reader]
    assert shutil.which(tool), f"{tool} is needed: scripts/bootstrap.sh TEST_APT_PACKAGES"
    project = tmp_path / "p.csrproj"
    load(build_interchange(tmp_path / "in", 2, narrative_chars=3000), project)
    xlsx = tmp_path / "t.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, xlsx)
    pdf = (_libreoffice if reader == "libreoffice" else _gnumeric)(xlsx, tmp_path)
    heading = re.compile(r"^(三级指标\d+：|序号\s+材料名称|.*指标\d+佐证材料目录$|[一二三四]、)")
    stranded = []
    pages = _layout_lines(pdf)
    assert len(pages) > 50, (reader, len(pages))  # the narratives fill many pages
    for number, lines in enumerate(pages, start=1):
        lines = [line for line in lines if not re.search(r"第 \d+ 页", line)]  # the footer
        if lines and heading.match(lines[-1]) and "主要成效" not in lines[-1]:
            stranded.append((number, lines[-1][:20]))
    assert stranded == [], reader


def test_keep_breaks_moves_a_heading_to_the_page_of_what_it_heads() -> None:
    from csr_desktop.formats.xlsx.pages import keep_breaks

    rows = [
        (1, 200.0, False),
        (2, 200.0, False),
        (3, 20.0, True),
        (4, 20.0, True),
        (5, 60.0, False),
    ]
    assert keep_breaks(rows, room=455.0) == [2]  # 3–5 (100 pt) do not fit after 400 pt
    tall = [(1, 400.0, False), (2, 20.0, True), (3, 500.0, False)]
    assert keep_breaks(tall, room=455.0) == [2]  # a chain taller than a page breaks where it must
    # a catalogue's rows (4th: the header written again atop a page they continue) count it
    items = [(1, 440.0, False), (2, 220.0, False, 20.0), (3, 220.0, False, 20.0)]
    assert keep_breaks(items, room=455.0) == [1, 2]  # 20 + 220 + 220 > 455
