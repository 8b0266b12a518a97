"""Pages an official accepts (issue 25): no header stranded above its evidence, no 自评表 page of
one row, the template's departures disclosed, a stamped scan that no longer matches marked."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from csr_desktop.core.assessment import Assessment
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.evidence.files import EvidenceFiles
from csr_desktop.formats.evidence.scan_files import attach_scan
from csr_desktop.formats.outline import TableNode, build_outline
from csr_desktop.formats.pdf.document import LANDSCAPE_FRAME, export_document
from csr_desktop.formats.pdf.styles import make_styles
from csr_desktop.formats.pdf.table import SelfAssessmentTable
from csr_desktop.sample import build_interchange


def page_texts(path: Path) -> list[str]:
    cmd = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", p) for p in out.split("\f")[:-1]]


def _pdf(path: Path, marker: str, pages: int) -> None:
    canvas = Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        canvas.drawString(72, 700, f"{marker}-{n}")
        canvas.showPage()
    canvas.save()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Evidence PDFs after narratives of every length: some header would land at a page foot."""
    root = tmp_path_factory.mktemp("full")
    project_path = root / "p.csrproj"
    interchange.load(build_interchange(root / "in", evidence_per_indicator=0), project_path)
    with Project.open(project_path) as project:
        for no in range(1, 13):
            pdf = root / f"证明{no}.pdf"
            _pdf(pdf, f"EVIDENCE{no}", 2)
            project.set(f"indicator.{no}.narrative", "情况介绍。" * (40 * no))
            project.add_evidence_files(no, [pdf])
        assessment = project.assessment()
    dest = root / "自评材料.pdf"
    with Project.open(project_path, readonly=True) as project:
        export_document(project, dest)
    return {"pages": page_texts(dest), "assessment": assessment}


def test_an_evidence_items_header_stands_on_its_first_page(exported: dict[str, Any]) -> None:
    pages = exported["pages"]
    for no in range(1, 13):
        header = f"1.证明{no}"  # the catalogue names the item by its file name
        first = next(i for i, p in enumerate(pages) if f"EVIDENCE{no}-1" in p)
        assert header in pages[first] and "SHA-256" in pages[first], no
    for i, page in enumerate(pages):  # no page holds a header and nothing after it
        assert not re.search(r"SHA-256：[0-9a-f]{64}(—\d+—)?$", page), i


def test_the_departures_from_the_template_are_disclosed_under_the_table(
    exported: dict[str, Any],
) -> None:
    pages = exported["pages"]
    note = next(i for i, p in enumerate(pages) if "与模板的差异说明" in p)
    assert "☑" in pages[note]  # on the table's last page, not a page of its own
    text = pages[note]
    assert "自评表第14行" in text and "自评表第20行" in text and "1全部参与" in text
    assert "☑" not in pages[note + 1]


def _table(assessment: Assessment) -> TableNode:
    return build_outline(assessment, EvidenceFiles(Path(".")), {}, False).table


def test_the_tables_last_page_is_never_a_single_row(sample_project: Path) -> None:
    """Whatever the 备注 lengths push onto the last page, it holds two rows or more."""
    with Project.open(sample_project) as project:
        assessment = project.assessment()
    styles = make_styles()
    table = _table(assessment)
    singles = []
    for extra in range(0, 400, 10):
        rows = (replace(table.rows[0], remark="备" * extra), *table.rows[1:])
        node = replace(table, rows=rows)
        layout = SelfAssessmentTable(node, styles)
        pages = layout.paginate(LANDSCAPE_FRAME[1] - 40, 30)
        assert sum(not r.continued for p in pages for r in p.rows) == 28
        if len(pages[-1].rows) < 2:
            singles.append(extra)
        header = layout._height(layout.header())
        for n, page in enumerate(pages):
            room = (LANDSCAPE_FRAME[1] - 40 if n == 0 else layout.frame_height) - header
            assert page.height <= room + 0.01, (extra, n)
    assert not singles


def test_a_letter_edited_after_its_scan_is_marked_and_warned(
    tmp_path: Path, sample_project: Path, cli: Any
) -> None:
    scan = tmp_path / "承诺书扫描.png"
    Image.new("RGB", (620, 877), "#f4f4f0").save(scan)
    with Project.open(sample_project) as project:
        attach_scan(project, "letter", scan)
    dest = tmp_path / "before.pdf"
    done = cli("export", sample_project, "--document", dest)
    assert done.returncode == 0 and "扫描件与当前内容不符" not in done.stdout
    assert page_texts(dest)[1] == ""  # the scan alone: no number, no label
    with Project.open(sample_project) as project:
        project.set("commitment.date", "2030-01-02")
    after = tmp_path / "after.pdf"
    done = cli("export", sample_project, "--document", after)
    assert done.returncode == 0, done.stderr
    assert "诚信承诺书的“日期”已修改" in done.stdout
    assert "“日期”已修改" in page_texts(after)[1]


def test_what_a_scan_was_taken_of_travels_through_dump_and_load(
    tmp_path: Path, sample_project: Path
) -> None:
    import json

    from csr_desktop.formats.evidence.scan_files import project_scan

    scan = tmp_path / "承诺书扫描.png"
    Image.new("RGB", (620, 877), "#f4f4f0").save(scan)
    with Project.open(sample_project) as project:
        attach_scan(project, "letter", scan)
        project.set("commitment.date", "2030-01-02")  # edited after the scan
        data = interchange.dump(project)
    assert data["scans"]["letter"]["of"]["date"] != "2030-01-02"
    folder = tmp_path / "out"
    folder.mkdir()
    for row in data["indicators"]:
        row["evidence"] = []
    (folder / "承诺书扫描.png").write_bytes(scan.read_bytes())
    (folder / "p.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    interchange.load(folder / "p.json", tmp_path / "again.csrproj")
    with Project.open(tmp_path / "again.csrproj", readonly=True) as project:
        again = project_scan(project, "letter")
        assert again is not None and again.of == data["scans"]["letter"]["of"]
        from csr_desktop.formats.evidence.scan_files import scan_change_notes

        assert scan_change_notes(project)  # the edit after the scan is still known
