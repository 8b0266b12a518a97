"""The 诚信承诺书 PDF, checked with independent readers (poppler, pypdf)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.outline import chinese_date
from csr_desktop.formats.pdf.letter import export_letter
from csr_desktop.formats.pdf.line_breaking import CANNOT_START
from tests.template_seed import commitment_body


def pdffonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font `pdffonts` finds in the file."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        parts = line.split()
        rows.append((parts[0], parts[-5] == "yes"))
    return rows


def pdftotext(path: Path, *args: str) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def letter(tmp_path: Path, sample_project: Path) -> Path:
    dest = tmp_path / "承诺书.pdf"
    with Project.open(sample_project, readonly=True) as project:
        export_letter(project, dest)
    return dest


def test_every_font_is_embedded(letter: Path) -> None:
    fonts = pdffonts(letter)
    assert fonts
    assert all(embedded for _, embedded in fonts), fonts
    assert not any("Helvetica" in name for name, _ in fonts)


def test_the_letter_reads_back_verbatim_with_the_projects_fields(
    letter: Path, sample_project: Path
) -> None:
    with Project.open(sample_project, readonly=True) as project:
        assessment = project.assessment()
    iset = assessment.indicator_set
    text = squash(pdftotext(letter))
    for line in iset.commitment.title_lines:
        assert squash(line) in text
    # The body as printed (between the title and the first signature field), compared whole
    # with the official template, not with indicators.json, which is what the code prints from.
    title_end = text.index(squash("".join(iset.commitment.title_lines))) + len(
        squash("".join(iset.commitment.title_lines))
    )
    printed_body = text[title_end : text.index(squash(iset.commitment.fields[0].label), title_end)]
    assert printed_body == squash(commitment_body())
    for field in iset.commitment.fields:
        value = assessment.commitment[field.key]
        shown = chinese_date(value) if field.kind == "date" else value
        assert squash(f"{field.label}：{shown}") in text
    assert "2024年8月15日" in text  # the sample's date, written the Chinese way
    assert "草稿" not in text
    reader = PdfReader(letter)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert reader.metadata is not None and reader.metadata.author == assessment.company["name"]


def test_no_printed_line_starts_with_a_closing_mark(letter: Path) -> None:
    lines = [line.strip() for line in pdftotext(letter).splitlines() if line.strip()]
    assert len(lines) > 5
    assert not [line for line in lines if line[0] in CANNOT_START]


def test_a_letter_with_gaps_is_a_draft_unless_told_otherwise(
    tmp_path: Path, sample_project: Path
) -> None:
    with Project.open(sample_project) as project:
        project.set("commitment.responsible_person", "")
        export_letter(project, tmp_path / "auto.pdf")
        export_letter(project, tmp_path / "final.pdf", draft=False)
        project.set("commitment.responsible_person", "周启明")
        export_letter(project, tmp_path / "complete.pdf")
        export_letter(project, tmp_path / "forced.pdf", draft=True)
    assert "草稿" in pdftotext(tmp_path / "auto.pdf")
    assert "草稿" not in pdftotext(tmp_path / "final.pdf")
    assert "草稿" not in pdftotext(tmp_path / "complete.pdf")
    assert "草稿" in pdftotext(tmp_path / "forced.pdf")


def test_the_letter_is_printed_for_signing_while_indicators_are_still_open(
    tmp_path: Path, sample_project: Path
) -> None:
    """Its 草稿 mark depends on the letter alone; no page footer for the scan to carry."""
    with Project.open(sample_project) as project:
        project.set("indicator.3.rating", None)  # a department is still answering
        project.set("company.contact", "")
        draft = export_letter(project, tmp_path / "letter.pdf")
    text = pdftotext(tmp_path / "letter.pdf")
    assert not draft and "草稿" not in text
    assert "第 1 页" not in text and "共 1 页" not in text


def test_a_rare_name_character_falls_back_to_an_embedded_font(
    tmp_path: Path, sample_project: Path
) -> None:
    name = "𡈼𠁆科技有限公司"  # Extension B: not in Noto Serif SC
    with Project.open(sample_project) as project:
        project.set("commitment.company_name", name)
        export_letter(project, tmp_path / "rare.pdf")
    fonts = pdffonts(tmp_path / "rare.pdf")
    assert all(embedded for _, embedded in fonts)
    assert any("RareHan" in font for font, _ in fonts)
    assert name in squash(pdftotext(tmp_path / "rare.pdf"))


def test_a_failed_write_leaves_nothing_and_says_which_file(
    tmp_path: Path, sample_project: Path
) -> None:
    dest = tmp_path / "no-such-folder" / "承诺书.pdf"
    with (
        Project.open(sample_project, readonly=True) as project,
        pytest.raises(CsrError) as err,
    ):
        export_letter(project, dest)
    assert str(dest) in err.value.zh
    assert not dest.parent.exists()


def test_an_existing_file_is_replaced_whole(tmp_path: Path, sample_project: Path) -> None:
    dest = tmp_path / "承诺书.pdf"
    dest.write_bytes(b"old")
    with Project.open(sample_project, readonly=True) as project:
        export_letter(project, dest)
    assert dest.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
