"""The complete 自评材料 PDF, checked with independent readers (poppler, pypdf)."""

from __future__ import annotations

import html
import re
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from csr_desktop.core.errors import Cancelled
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.pdf.document import export_document
from csr_desktop.formats.pdf.fonts import MAIN, font_chain
from csr_desktop.formats.pdf.line_breaking import CANNOT_START
from csr_desktop.sample import build_interchange
from tests.template_seed import commitment_body

LONG_NO = 5  # the indicator given a 50,000-character narrative
SENTENCES = 6250  # "第00001句，" is 8 characters


def pdffonts(path: Path) -> list[tuple[str, bool]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [(line.split()[0], line.split()[-5] == "yes") for line in out.stdout.splitlines()[2:]]


def pages_text(path: Path) -> list[str]:
    """The text of each page, as poppler extracts it."""
    cmd = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def remark_column(path: Path, header: str = "备注") -> list[tuple[int, str]]:
    """(page index, text) of the column headed `header` on every page that has one: the words
    below the header row and right of the midpoint between the header and its left neighbour,
    in poppler's reading order (`pdftotext -bbox`). Footers and the other columns fall outside."""
    cmd = ["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    columns = []
    for index, page in enumerate(out.split("<page ")[1:]):
        words = [
            (float(x0), float(y0), float(x1), float(y1), html.unescape(t))
            for x0, y0, x1, y1, t in _WORD.findall(page)
        ]
        head = next((w for w in words if w[4] == header), None)
        if head is None:
            continue
        row = [w for w in words if abs(w[1] - head[1]) < 1 and w[0] < head[0]]
        if not row:
            continue
        prev = max(row, key=lambda w: w[0])
        left = ((prev[0] + prev[2]) / 2 + (head[0] + head[2]) / 2) / 2
        height = float(re.search(r'height="([\d.]+)"', page)[1])  # type: ignore[index]
        foot = height - 22 * 72 / 25.4  # the footer (page number) lies below the table's margin
        columns.append(
            (
                index,
                "".join(
                    w[4] for w in words if w[1] > head[3] and w[3] <= foot + 1 and w[0] >= left
                ),
            )
        )
    return columns


def _evidence_pdf(path: Path, marker: str, pages: int) -> None:
    """A PDF like a scanned policy document, its font embedded (as ours are)."""
    font_chain()
    canvas = Canvas(str(path), initialFontName=MAIN)
    for k in range(1, pages + 1):
        canvas.setFont(MAIN, 20)
        canvas.drawString(72, 760, f"{marker}-{k}")
        canvas.rect(50, 50, 495, 742)
        canvas.showPage()
    canvas.save()


def _encrypted_pdf(path: Path) -> None:
    plain = path.with_suffix(".plain.pdf")
    _evidence_pdf(plain, "SECRET", 1)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret")
    with open(path, "wb") as fh:
        writer.write(fh)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One rich project exported once: pictures, PDFs, other files, a 50,000-character text."""
    root = tmp_path_factory.mktemp("doc")
    project_path = root / "rich.csrproj"
    interchange.load(build_interchange(root / "in", evidence_per_indicator=2), project_path)
    files = root / "files"
    files.mkdir()
    photo = Image.new("RGB", (1600, 1000), "#dde8f0")
    ImageDraw.Draw(photo).ellipse((500, 300, 1100, 700), fill="#c03030")
    photo.save(files / "现场照片.jpg", quality=90)
    Image.new("RGBA", (300, 200), (0, 120, 0, 128)).save(files / "截图.png")
    _evidence_pdf(files / "制度文件.pdf", "EVIDENCE-PAGE", 3)
    (files / "说明.docx").write_bytes(b"PK\x03\x04 not really a docx" * 50)
    (files / "坏的.pdf").write_bytes(b"%PDF-1.4\n garbage")
    _encrypted_pdf(files / "加密.pdf")
    long_text = "".join(f"第{i:05d}句，" for i in range(1, SENTENCES + 1))
    with Project.open(project_path) as project:
        added = project.add_evidence_files(
            3,
            [files / n for n in ("现场照片.jpg", "截图.png", "制度文件.pdf", "说明.docx")]
            + [files / "坏的.pdf", files / "加密.pdf"],
        )
        project.set(f"indicator.{LONG_NO}.narrative", long_text)
        assessment = project.assessment()
    dest = root / "自评材料.pdf"
    steps: list[tuple[int, int]] = []
    with Project.open(project_path, readonly=True) as project:
        export_document(project, dest, progress=lambda d, t: steps.append((d, t)) or True)
    return {
        "path": dest,
        "pages": pages_text(dest),
        "assessment": assessment,
        "added": added,
        "steps": steps,
    }


def test_every_font_is_embedded(built: dict[str, Any]) -> None:
    fonts = pdffonts(built["path"])
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts


def test_one_outline_entry_per_indicator(built: dict[str, Any]) -> None:
    reader = PdfReader(built["path"])
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    iset = built["assessment"].indicator_set
    for ind in iset.indicators:
        assert titles.count(f"三级指标{ind.no}：{ind.name}") == 1
    assert len([t for t in titles if t.startswith("三级指标")]) == len(iset.indicators)
    assert {"封面", "诚信承诺书", iset.title} <= set(titles)


def test_every_catalogue_row_is_printed_under_its_indicator(built: dict[str, Any]) -> None:
    text = re.sub(r"—\d+—", "", squash("".join(built["pages"])))
    assessment = built["assessment"]
    ev = assessment.indicator_set.evidence
    for ind in assessment.indicator_set.indicators:
        start = text.index(ev.catalogue_title_for(ind))
        end = text.index(squash(ev.content_heading), start)
        catalogue = text[start:end]
        assert squash("".join(ev.catalogue_headers)) in catalogue
        for pos, item in enumerate(assessment.answer(ind.no).evidence, start=1):
            assert squash(f"{pos}{item.name}{item.remark}") in catalogue, (ind.no, pos)


def test_every_page_but_the_cover_is_numbered_as_a_gongwen(built: dict[str, Any]) -> None:
    """GB/T 9704: "— N —" at the outer edge, none on the cover (issue 26)."""
    pages = built["pages"]
    assert not re.search(r"—\d+—", squash(pages[0]))
    for number, page in enumerate(pages[1:], start=2):
        assert f"—{number}—" in squash(page), number
    assert not any("草稿" in page for page in pages)
    for number in (2, 3):  # even: left edge; odd: right edge
        out = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(built["path"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        width = float(re.search(r'<page width="([\d.]+)"', out)[1])  # type: ignore[index]
        x = [float(m[1]) for m in re.finditer(rf'xMin="([\d.]+)"[^>]*>{number}</word>', out)]
        assert x and (x[-1] < width / 3 if number % 2 == 0 else x[-1] > width * 2 / 3)


def test_metadata_names_the_document_and_the_company(built: dict[str, Any]) -> None:
    meta = PdfReader(built["path"]).metadata
    assessment = built["assessment"]
    assert meta is not None
    assert meta.title == assessment.indicator_set.document_title
    assert meta.author == assessment.company["name"]
    from csr_desktop import __version__

    assert meta.creator == f"csr-desktop {__version__}"  # the version, from its one place


def test_cover_and_letter_come_first(built: dict[str, Any]) -> None:
    assessment = built["assessment"]
    iset = assessment.indicator_set
    cover, letter = squash(built["pages"][0]), squash(built["pages"][1])
    assert cover.startswith(squash(iset.attachment_label))
    for field in iset.cover_fields:
        assert squash(field.label) in cover
    assert "2024年8月15日" in cover
    # whole, and from the official template (not the indicators.json the code prints from)
    title = squash("".join(iset.commitment.title_lines))
    body_start = letter.index(title) + len(title)
    body = letter[body_start : letter.index(squash(iset.commitment.fields[0].label), body_start)]
    assert body == squash(commitment_body())


def test_the_table_is_on_landscape_pages_with_the_header_on_each_and_the_boxes_ticked(
    built: dict[str, Any],
) -> None:
    reader = PdfReader(built["path"])
    assessment = built["assessment"]
    iset = assessment.indicator_set
    landscape = [
        i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height
    ]
    table_pages = [i for i in landscape if iset.title in squash(built["pages"][i])] + [
        i for i in landscape if iset.title not in squash(built["pages"][i])
    ]
    assert len(table_pages) >= 2
    assert landscape == list(range(landscape[0], landscape[0] + len(landscape)))
    for i in table_pages:
        page = squash(built["pages"][i])
        assert all(squash(h) in page for h in iset.table_headers), i
        assert "企业内部治理" not in page or i == landscape[0]
    text = squash("".join(built["pages"][i] for i in table_pages))
    assert text.count("☑") == len(iset.indicators)
    assert text.count("□") == 4 * len(iset.indicators)
    for ind in iset.indicators:
        assert ind.scale.option_text(assessment.answer(ind.no).rating) + "☑" in text


def test_evidence_pdf_pages_are_placed_in_order_on_their_own_pages(built: dict[str, Any]) -> None:
    pages = built["pages"]
    found = [next(i for i, p in enumerate(pages) if f"EVIDENCE-PAGE-{k}" in p) for k in (1, 2, 3)]
    assert found == sorted(found) and len(set(found)) == 3
    assert found[2] - found[0] == 2
    items = built["assessment"].answer(3).evidence
    pos = next(n for n, item in enumerate(items, start=1) if item.file_name == "制度文件.pdf")
    content = squash("".join(pages[: found[0] + 1]))  # the item header is on that page
    assert content.rindex(f"{pos}.制度文件") > content.rindex("三级指标3：")
    after = squash("".join(pages[found[2] + 1 :]))
    assert after.index(f"{pos + 1}.说明") < after.index("三级指标4：")


def test_pictures_are_embedded_and_other_files_listed_with_their_hash(
    built: dict[str, Any],
) -> None:
    reader = PdfReader(built["path"])
    pictures = [img for page in reader.pages for img in page.images]
    assert len(pictures) >= 2
    text = squash("".join(built["pages"]))
    by_name = {item.file_name: item for item in built["added"]}
    for name in ("说明.docx", "坏的.pdf", "加密.pdf"):
        assert squash(f"文件：{name}") in text
        assert by_name[name].sha256 in text
    assert "PDF文件已损坏" in text
    assert "PDF已加密" in text
    assert "SECRET" not in text


def test_a_50000_character_narrative_flows_across_pages_whole(built: dict[str, Any]) -> None:
    pages = [squash(p) for p in built["pages"]]
    holding = [i for i, p in enumerate(pages) if "句，第" in p]
    assert len(holding) > 10  # it really spans many pages
    text = re.sub(r"—\d+—", "", "".join(pages[i] for i in holding))
    expected = "".join(f"第{i:05d}句，" for i in range(1, SENTENCES + 1))
    assert expected in text


def test_no_line_starts_with_a_closing_mark(built: dict[str, Any]) -> None:
    lines = [line.strip() for page in built["pages"] for line in page.splitlines()]
    lines = [line for line in lines if not re.fullmatch(r"—\s*\d+\s*—", line)]  # page numbers
    offending = [line for line in lines if line and line[0] in CANNOT_START]
    assert not offending, offending[:5]


def test_progress_reaches_its_total(built: dict[str, Any]) -> None:
    steps = built["steps"]
    assert steps[-1][0] == steps[-1][1]
    assert [d for d, _ in steps] == sorted(d for d, _ in steps)


@pytest.mark.parametrize("stop_at", [2, 60, 85])  # reading files / laying out / last step
def test_cancelling_leaves_nothing_behind(
    tmp_path: Path, sample_project: Path, stop_at: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "自评材料.pdf"
    with Project.open(sample_project, readonly=True) as project, pytest.raises(Cancelled):
        export_document(project, dest, progress=lambda done, _total: done < stop_at)
    assert list(out.iterdir()) == []


def test_gaps_and_a_tampered_file_make_a_draft_that_says_so(
    tmp_path: Path, sample_project: Path
) -> None:
    with Project.open(sample_project) as project:
        project.set_rating(7, None)
        item = project.assessment().answer(2).evidence[0]
    with sqlite3.connect(sample_project) as db:
        db.execute(
            "UPDATE blob_chunks SET data = X'00' WHERE blob_id = "
            "(SELECT id FROM blobs WHERE sha256 = ?)",
            (item.sha256,),
        )
    db.close()
    dest = tmp_path / "draft.pdf"
    with Project.open(sample_project, readonly=True) as project:
        export_document(project, dest)
    pages = pages_text(dest)
    assert all("草稿" in page for page in pages)
    assert "文件已损坏" in squash("".join(pages))


def test_overlong_remarks_split_across_pages_and_hostile_text_prints(tmp_path: Path) -> None:
    """A 备注 longer than a page, in the 自评表 and in a 目录 row; pasted control characters."""
    project_path = tmp_path / "hostile.csrproj"
    interchange.load(build_interchange(tmp_path / "in", 1, hostile=True), project_path)
    remark = "".join(f"备注{i:04d}；" for i in range(1, 1201))
    with Project.open(project_path) as project:
        project.set("indicator.1.remark", remark)
        items = list(project.assessment().answer(2).evidence)
        items[0] = type(items[0])(items[0].name, remark, items[0].file_name, items[0].sha256, 1)
        project.set_evidence(2, items, "长备注")
    dest = tmp_path / "hostile.pdf"
    with Project.open(project_path, readonly=True) as project:
        export_document(project, dest)
    pages = pages_text(dest)
    reader = PdfReader(dest)
    wide = [i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height]
    text = squash("".join(pages))
    # Read the 备注 column alone (below its header, page after page): the remark must come back
    # whole, once from the 自评表 and once from indicator 2's 目录, with nothing lost or reordered
    # where the cell is split across pages.
    remarks = remark_column(dest)
    table = "".join(t for page, t in remarks if page in wide)
    catalogue = "".join(t for page, t in remarks if page not in wide)
    assert remark in table
    assert remark in catalogue
    assert "=SUM(A1)" in text and "\x0b" not in text
    assert all(embedded for _, embedded in pdffonts(dest))


def test_the_command_line_exports_both_pdfs(tmp_path: Path, sample_project: Path, cli: Any) -> None:
    letter, document = tmp_path / "承诺书.pdf", tmp_path / "自评材料.pdf"
    done = cli("export", sample_project, "--pdf", letter, "--document", document)
    assert done.returncode == 0, done.stderr
    assert PdfReader(letter).pages and len(PdfReader(document).pages) > 10
    failed = cli("export", sample_project, "--pdf", tmp_path / "无此目录" / "x.pdf")
    assert failed.returncode == 2
    assert "无此目录" in failed.stderr and "Traceback" not in failed.stderr
