"""The complete 自评材料 PDF page by page: bookmarks open their own page, captions stay inside
the margins, evidence is shown legibly and each page names only the fonts it uses."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.pdf.document import export_document
from csr_desktop.formats.pdf.styles import MARGINS
from csr_desktop.sample import build_interchange

LONG_NAME = "关于" + "网络内容生态建设与未成年人保护专项工作" * 6  # 122 characters
LONG_FILE = "网络内容建设" * 13 + ".pdf"  # 82 characters, 238 bytes: near a file system's limit


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    cmd = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [squash(p) for p in out.split("\f")[:-1]]


def outline_pages(path: Path) -> list[tuple[str, int]]:
    reader = PdfReader(path)
    found: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def helvetica_pdf(path: Path, marker: str, pages: int, size: tuple[float, float] = A4) -> None:
    """An evidence PDF as other software writes it: the standard Helvetica, not embedded."""
    canvas = Canvas(str(path), pagesize=size)
    for k in range(1, pages + 1):
        canvas.setFont("Helvetica", 28)
        canvas.drawString(72, size[1] - 100, f"{marker}-{k}")
        canvas.rect(40, 40, size[0] - 80, size[1] - 80)
        canvas.showPage()
    canvas.save()


def _project(root: Path, with_files: bool) -> Path:
    project_path = root / "p.csrproj"
    interchange.load(build_interchange(root / "in", evidence_per_indicator=1), project_path)
    if not with_files:
        return project_path
    files = root / "files"
    files.mkdir()
    photo = Image.new("RGB", (1600, 1000), "#dde8f0")
    ImageDraw.Draw(photo).ellipse((500, 300, 1100, 700), fill="#c03030")
    photo.save(files / "现场照片.jpg", quality=90)
    helvetica_pdf(files / "制度文件.pdf", "EVIDENCE-PAGE", 3)
    helvetica_pdf(files / "横版报表.pdf", "WIDE-PAGE", 1, landscape(A4))
    long_file = files / LONG_FILE
    helvetica_pdf(long_file, "LONG-PAGE", 1)
    with Project.open(project_path) as project:
        added = project.add_evidence_files(
            3, [files / "现场照片.jpg", files / "制度文件.pdf", files / "横版报表.pdf", long_file]
        )
        items = list(project.assessment().answer(3).evidence)
        items[-1] = items[-1]._replace(name=LONG_NAME)
        items[-len(added)] = items[-len(added)]._replace(name=LONG_NAME[:60] + "现场照片")
        project.set_evidence(3, items, "长名称")
    return project_path


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "with-evidence-pdfs"])
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    project_path = _project(root, with_files=request.param)
    dest = root / "自评材料.pdf"
    with Project.open(project_path, readonly=True) as project:
        export_document(project, dest)
    return dest


def test_every_bookmark_opens_the_page_that_holds_its_heading(exported: Path) -> None:
    texts = page_texts(exported)
    entries = outline_pages(exported)
    assert len(entries) >= 28 + 4
    wrong = []
    for title, page in entries:
        heading = {"封面": "附件"}.get(title, title)
        if squash(heading) not in texts[page]:
            wrong.append((title, page + 1))
    assert not wrong, wrong
    assert len({page for _, page in entries}) > 20  # not all on one page


# ---- evidence: captions, pictures, landscape pages, fonts ----------------------------------


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Evidence PDFs (one landscape, one with a 120-character name) and the same photo under
    every indicator, so that some caption falls at the foot of a page."""
    root = tmp_path_factory.mktemp("rich")
    project_path = _project(root, with_files=True)
    photo = root / "files" / "现场照片.jpg"
    with Project.open(project_path) as project:
        for no in range(4, 29):
            project.add_evidence_files(no, [photo])
    dest = root / "自评材料.pdf"
    with Project.open(project_path, readonly=True) as project:
        export_document(project, dest)
        sha = {i.file_name: i.sha256 for i in project.assessment().answer(3).evidence}
    return {"path": dest, "texts": page_texts(dest), "sha": sha, "root": root}


def _ink_outside_margins(path: Path, page: int) -> list[str]:
    """Render one page (poppler, 72 dpi, greyscale) and report dark pixels in the margins."""
    out = path.with_name(f"page-{page}")
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "72",
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-png",
            "-singlefile",
            str(path),
            str(out),
        ],
        check=True,
    )
    img = Image.open(f"{out}.png").convert("L")
    width_pt = float(PdfReader(path).pages[page].mediabox.width)
    dpp = img.width / width_pt  # pixels per point
    wide = img.width > img.height
    left = (20 * 72 / 25.4 if wide else MARGINS["left"]) * dpp
    right = img.width - (20 * 72 / 25.4 if wide else MARGINS["right"]) * dpp
    found = []
    pixels = img.load()
    for y in range(img.height):
        for x in list(range(0, int(left) - 2)) + list(range(int(right) + 2, img.width)):
            if pixels[x, y] < 200:
                found.append(f"page {page + 1}: ({x}, {y})")
                break
    return found


def test_a_120_character_name_wraps_inside_the_margins(rich: dict[str, Any]) -> None:
    texts = rich["texts"]
    pages = [i for i, t in enumerate(texts) if "LONG-PAGE-1" in t]
    assert len(pages) == 1
    assert squash(LONG_NAME) in texts[pages[0]]  # the caption is there whole
    photo_pages = [i for i, t in enumerate(texts) if squash(LONG_NAME[:60]) + "现场照片" in t]
    for page in [*pages, *photo_pages, pages[0] - 1]:
        assert not _ink_outside_margins(rich["path"], page)


def test_every_picture_stands_with_its_caption_and_hash(rich: dict[str, Any]) -> None:
    reader = PdfReader(rich["path"])
    sha = rich["sha"]["现场照片.jpg"]
    captions = [i for i, t in enumerate(rich["texts"]) if "文件：现场照片.jpg" in t]
    assert len(captions) == 26
    for i in captions:
        assert reader.pages[i].images, f"page {i + 1}: caption without its picture"
        assert sha in rich["texts"][i], f"page {i + 1}: picture without its SHA-256"


def test_a_landscape_evidence_page_is_printed_on_a_landscape_page_at_a_legible_size(
    rich: dict[str, Any],
) -> None:
    reader = PdfReader(rich["path"])
    (page,) = [i for i, t in enumerate(rich["texts"]) if "WIDE-PAGE-1" in t]
    box = reader.pages[page].mediabox
    assert box.width > box.height
    portrait = next(i for i, t in enumerate(rich["texts"]) if "EVIDENCE-PAGE-2" in t)
    assert reader.pages[portrait].mediabox.width < reader.pages[portrait].mediabox.height
    assert reader.pages[page + 1].mediabox.width < reader.pages[page + 1].mediabox.height
    printed = _word_width(rich["path"], "WIDE-PAGE-1", page + 1)
    original = _word_width(rich["root"] / "files" / "横版报表.pdf", "WIDE-PAGE-1", 1)
    assert printed / original > 0.7  # shrunk onto a portrait page it was ~0.52


def _word_width(pdf: Path, word: str, page: int) -> float:
    """The printed width of one word, as poppler measures it."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(rf'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>{word}<', out)
    assert found, f"{word} not on page {page} of {pdf.name}"
    return float(found.group(2)) - float(found.group(1))


def test_evidence_fonts_are_named_only_on_the_pages_that_use_them(rich: dict[str, Any]) -> None:
    reader = PdfReader(rich["path"])
    uses = []
    for i, page in enumerate(reader.pages):
        fonts = page.get("/Resources", {}).get("/Font", {})
        names = {str(f.get_object().get("/BaseFont")) for f in fonts.values()}
        if any("Helvetica" in n for n in names):
            uses.append(i)
    marked = [
        i for i, t in enumerate(rich["texts"]) if re.search(r"(EVIDENCE|WIDE|LONG)-PAGE-\d", t)
    ]
    assert uses == marked


def test_table_columns_keep_names_and_options_whole() -> None:
    """No 一级/二级/三级 name leaves one character on a line of its own ("网络内容建/设"), and
    every option with its box stays on one line."""
    from csr_desktop.core.indicators import default_indicator_set
    from csr_desktop.formats.pdf.line_breaking import CjkParagraph
    from csr_desktop.formats.pdf.styles import make_styles
    from csr_desktop.formats.pdf.table import COLUMN_MM, PADDING, options_markup

    st = make_styles()
    iset = default_indicator_set()
    width = [w * 72 / 25.4 - 2 * PADDING for w in COLUMN_MM]
    broken = []
    for ind in iset.indicators:
        for col, name in ((1, ind.level1), (2, ind.level2), (3, ind.name)):
            para = CjkParagraph(name, st.cell_center)
            para.wrap(width[col], 10_000)
            lines = ["".join(words) for _, words in para.blPara.lines]
            if len(lines) > 1 and min(len(line) for line in lines) < 2:
                broken.append(lines)
        chosen = tuple((ind.scale.option_text(n), n == 1) for n in range(1, 6))
        options = CjkParagraph(options_markup(chosen), st.cell)
        options.wrap(width[5], 10_000)
        if len(options.blPara.lines) != len(ind.scale.labels):
            broken.append([ind.scale.option_text(n) for n in range(1, 6)])
    assert not broken, broken
    assert abs(sum(COLUMN_MM) - 257) < 0.5  # the landscape text block
