"""The stamped 承诺书 and cover: attached from a scan, printed in place of the generated pages,
carried in the package with their hash."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from csr_desktop.core.errors import InputFileError
from csr_desktop.core.store import Project
from csr_desktop.formats.evidence.scan_files import attach_scan, project_scan
from csr_desktop.formats.pdf.document import export_document


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(path: Path) -> list[str]:
    cmd = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [squash(p) for p in out.split("\f")[:-1]]


def scanned_letter(path: Path) -> None:
    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 30)
    canvas.drawString(100, 700, "STAMPED-LETTER")
    canvas.circle(400, 200, 60)
    canvas.showPage()
    canvas.save()


def scanned_cover(path: Path) -> None:
    img = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    ImageDraw.Draw(img).ellipse((700, 1200, 1000, 1500), outline="red", width=12)
    img.save(path, quality=85)


@pytest.fixture
def scanned(tmp_path: Path, sample_project: Path) -> dict[str, Any]:
    letter, cover = tmp_path / "承诺书扫描.pdf", tmp_path / "封面扫描.jpg"
    scanned_letter(letter)
    scanned_cover(cover)
    with Project.open(sample_project) as project:
        attach_scan(project, "letter", letter)
        attach_scan(project, "cover", cover)
    return {"project": sample_project, "letter": letter, "cover": cover}


def test_attaching_a_scan_stores_it_with_its_hash_and_can_be_undone(
    tmp_path: Path, sample_project: Path
) -> None:
    scan = tmp_path / "letter.pdf"
    scanned_letter(scan)
    with Project.open(sample_project) as project:
        stored = attach_scan(project, "letter", scan)
    with Project.open(sample_project) as project:  # a fresh reader sees it
        found = project_scan(project, "letter")
        assert found == stored
        assert found is not None and found.sha256 == sha256(scan.read_bytes()).hexdigest()
        assert found.size == scan.stat().st_size and found.name == "letter.pdf"
        assert project_scan(project, "cover") is None
        attach_scan(project, "cover", scan)
        assert project.undo_label.startswith("附上封面签章扫描件")
        project.undo()
        assert project_scan(project, "cover") is None


def test_a_file_that_is_not_a_scan_is_refused_naming_it(
    tmp_path: Path, sample_project: Path
) -> None:
    bad = tmp_path / "说明.txt"
    bad.write_text("不是扫描件", encoding="utf-8")
    with Project.open(sample_project) as project, pytest.raises(InputFileError) as err:
        attach_scan(project, "cover", bad)
    assert "说明.txt" in err.value.zh
    with Project.open(sample_project, readonly=True) as project:
        assert project_scan(project, "cover") is None


def test_the_document_prints_the_scans_in_place_of_the_generated_pages(
    tmp_path: Path, scanned: dict[str, Any]
) -> None:
    dest = tmp_path / "自评材料.pdf"
    with Project.open(scanned["project"], readonly=True) as project:
        export_document(project, dest)
        iset = project.indicator_set
    reader = PdfReader(dest)
    texts = page_texts(dest)
    outline = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert outline["封面（签章扫描件）"] == 0
    assert outline["诚信承诺书（签章扫描件）"] == 1
    assert "封面" not in outline and "诚信承诺书" not in outline
    assert reader.pages[0].images  # the cover scan, a picture
    assert squash(iset.attachment_label) not in texts[0]
    assert "STAMPED-LETTER" in texts[1]
    assert squash(iset.commitment.body)[:30] not in "".join(texts)
    # The scans carry nothing over them: no page number, no label (issue 25).
    assert texts[0] == "" and texts[1] == "STAMPED-LETTER"
    assert "—3—" in texts[2]  # the numbering still counts them


def test_the_package_carries_the_scans_with_their_hashes(
    tmp_path: Path, scanned: dict[str, Any], cli: Any
) -> None:
    dest = tmp_path / "材料包.zip"
    done = cli("export", scanned["project"], "--package", dest)
    assert done.returncode == 0, done.stderr
    assert re.search(r"已导出提交材料包 .*（\d+ 个文件）", done.stdout)
    assert "尚未附上签章" not in done.stdout  # the letter is stamped: no reminder
    with zipfile.ZipFile(dest) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        scans = [f for f in manifest["files"] if f["role"] == "scan"]
        assert len(scans) == 2
        for f in scans:
            assert sha256(zf.read(f["path"])).hexdigest() == f["sha256"]
        assert {sha256(scanned[k].read_bytes()).hexdigest() for k in ("letter", "cover")} == {
            f["sha256"] for f in scans
        }
    assert cli("verify", dest).returncode == 0


def test_a_final_package_without_the_stamped_letter_says_to_print_it_first(
    tmp_path: Path, sample_project: Path, cli: Any
) -> None:
    done = cli("export", sample_project, "--package", tmp_path / "材料包.zip")
    assert done.returncode == 0, done.stderr
    assert "尚未附上签章的诚信承诺书扫描件" in done.stdout


def test_the_command_line_attaches_the_letter(
    tmp_path: Path, sample_project: Path, cli: Any
) -> None:
    scan = tmp_path / "letter.pdf"
    scanned_letter(scan)
    done = cli("attach", sample_project, "letter", scan)
    assert done.returncode == 0, done.stderr
    assert sha256(scan.read_bytes()).hexdigest() in done.stdout
    bad = cli("attach", sample_project, "cover", tmp_path / "无此文件.jpg")
    assert bad.returncode == 2 and "无此文件.jpg" in bad.stderr and "Traceback" not in bad.stderr


def test_the_word_version_shows_the_scans_in_place_of_the_generated_pages(
    tmp_path: Path, sample_project: Path
) -> None:
    """A picture scan as it is; a scanned PDF through the picture the scanner put on its page."""
    from docx import Document

    from csr_desktop.formats.word.document import export_docx

    cover, picture, letter = tmp_path / "封面.jpg", tmp_path / "页.png", tmp_path / "承诺书.pdf"
    scanned_cover(cover)
    Image.new("RGB", (620, 877), "#f4f4f0").save(picture)
    canvas = Canvas(str(letter))
    canvas.drawImage(str(picture), 0, 0, 595, 842)  # what a scanner writes: one image a page
    canvas.showPage()
    canvas.save()
    with Project.open(sample_project) as project:
        attach_scan(project, "cover", cover)
        attach_scan(project, "letter", letter)
        iset = project.indicator_set
    dest = tmp_path / "自评材料.docx"
    with Project.open(sample_project, readonly=True) as project:
        export_docx(project, dest)
    doc = Document(str(dest))
    texts = [p.text for p in doc.paragraphs]
    # No label over the scans (issue 25) and no page number under them: each stands in a
    # section whose footer is empty.
    assert not any("签章扫描件" in t for t in texts)
    assert len(doc.inline_shapes) == 2
    assert [s.footer.paragraphs[0].text for s in doc.sections[:2]] == ["", ""]
    assert "页" in "".join(p.text for p in doc.sections[2].footer.paragraphs) or (
        doc.sections[2].footer._element.xpath(".//w:fldSimple")
    )
    body = "".join(texts)
    assert squash(iset.commitment.body)[:20] not in squash(body)
    assert squash(iset.attachment_label) not in squash("".join(texts[:3]))
