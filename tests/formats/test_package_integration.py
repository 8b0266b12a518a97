"""A real package from the sample project: real workbook and PDFs, verified, via API and CLI."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import Cancelled
from csr_desktop.core.store import Project
from csr_desktop.formats.package.build import export_package, verify_package


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_draft_package_with_real_documents_verifies_and_says_draft(
    sample_project: Path, tmp_path: Path
) -> None:
    with Project.open(sample_project) as project:
        company = project.assessment().company["name"]
        items = [*project.assessment().answer(12).evidence, EvidenceItem("待补材料")]
        project.set_evidence(12, items, "test")
    dest = tmp_path / "包.zip"
    with Project.open(sample_project, readonly=True) as project:
        report = export_package(project, dest)
    assert report.draft and [e.item.name for e in report.missing] == ["待补材料"]
    assert verify_package(dest).intact
    with zipfile.ZipFile(dest) as zf:
        workbook = load_workbook(io.BytesIO(zf.read("自评表.xlsx")), read_only=True)
        assert len(workbook.sheetnames) >= 2
        letter = zf.read("诚信承诺书.pdf")
        document = zf.read("自评材料.pdf")
    assert len(PdfReader(io.BytesIO(letter)).pages) >= 1
    assert len(PdfReader(io.BytesIO(document)).pages) > len(PdfReader(io.BytesIO(letter)).pages)
    letter_text = _pdf_text(letter, tmp_path)
    assert "草稿" in letter_text and company in letter_text
    assert "草稿" in _pdf_text(document, tmp_path)


def test_cancel_while_the_documents_render_leaves_nothing(
    sample_project: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "dest"
    folder.mkdir()
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 3

    with Project.open(sample_project, readonly=True) as project, pytest.raises(Cancelled):
        export_package(project, folder / "p.zip", progress=progress)
    assert list(folder.iterdir()) == []


def test_cli_exports_a_complete_package_that_verify_accepts(
    sample_project: Path, tmp_path: Path, cli
) -> None:
    dest = tmp_path / "提交材料包.zip"
    done = cli("export", sample_project, "--package", dest)
    assert done.returncode == 0, done.stderr
    checked = cli("verify", dest)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "草稿" not in checked.stdout
    with zipfile.ZipFile(dest) as zf:
        letter = zf.read("诚信承诺书.pdf")
        word = zf.read("自评材料.docx")  # the Word version travels too, and verify checks it
        roles = {f["path"]: f["role"] for f in json.loads(zf.read("manifest.json"))["files"]}
    assert "草稿" not in _pdf_text(letter, tmp_path)
    assert word[:2] == b"PK" and roles["自评材料.docx"] == "docx"
