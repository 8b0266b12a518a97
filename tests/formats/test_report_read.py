"""A CSR report gives the same passages whether it arrives as .txt, .docx or .pdf."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from csr_desktop.core.errors import InputFileError
from csr_desktop.formats.report import read_report
from tests.formats.report_forms import make_docx, make_pdf

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
NAMES = ("seed-report.txt", "other-report.txt")


def _anchors(name: str) -> list[str]:
    labels = json.loads((REPORTS / "labels.json").read_text(encoding="utf-8"))
    entries = labels["reports"][name]["indicators"].values()
    return [a for e in entries for a in e["anchors"]]


@pytest.mark.parametrize("name", NAMES)
def test_docx_and_pdf_forms_give_the_txt_passages_in_order(tmp_path: Path, name: str) -> None:
    txt = REPORTS / name
    expected = read_report(txt)
    forms = [
        make_docx(txt, tmp_path / "plain.docx"),
        make_docx(txt, tmp_path / "styled.docx", styled_headings=True),
        make_pdf(txt, tmp_path / "report.pdf", header="企业社会责任报告 2025"),
    ]
    for form in forms:
        got = read_report(form)
        assert [p.heading for p in got.passages] == [p.heading for p in expected.passages], form
        assert [p.text for p in got.passages] == [p.text for p in expected.passages], form
    pdf = read_report(forms[-1])
    pages = [p.page for p in pdf.passages]
    assert all(isinstance(n, int) for n in pages) and pages == sorted(pages)
    assert pdf.pages is not None and pages[-1] <= pdf.pages
    assert {p.page for p in expected.passages} == {None}


@pytest.mark.parametrize("name", NAMES)
def test_every_labelled_anchor_survives_in_one_passage(name: str) -> None:
    texts = [p.text for p in read_report(REPORTS / name).passages]
    for anchor in _anchors(name):
        assert any(anchor in t for t in texts), anchor


def test_sentences_broken_across_pages_and_lines_are_joined_without_a_space() -> None:
    seed = "\n".join(p.text for p in read_report(REPORTS / "seed-report.txt").passages)
    assert "安排员工工作及休息休假，全员签署劳动合同" in seed  # a page break mid-word
    assert "对于社会责任的深刻认识与积极行动" in seed
    other = read_report(REPORTS / "other-report.txt")
    text = "\n".join(p.text for p in other.passages)
    assert "恶劣天气自动延长预计送达时间" in text  # a running header in between, dropped
    assert "ESG 报告  |" not in text and "目 录" not in text
    headings = [p.heading for p in other.passages]
    assert ("一、与用户同行", "（三）守护成长") in headings  # numbered items are not headings
    assert ("致辞",) in headings and ("关于本报告",) in headings


def test_gbk_and_utf8_with_bom_read_alike(tmp_path: Path) -> None:
    text = (REPORTS / "other-report.txt").read_text(encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.replace("\u00a0", " ").encode("gb18030"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(text.encode("utf-8-sig"))
    assert read_report(gbk).passages == read_report(REPORTS / "other-report.txt").passages
    assert read_report(bom).passages == read_report(gbk).passages


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(InputFileError) as info:
        read_report(path)
    message = info.value.zh
    assert path.name in message
    for word in words:
        assert word in message
    return message


def test_an_image_only_pdf_says_it_may_be_a_scan(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "扫描件.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    _refused(path, "没有可提取的文字，可能是扫描件")


def test_an_encrypted_pdf_is_refused_by_name(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(REPORTS / "other-report.txt", tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "加密.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    _refused(path, "加密")


def test_damaged_and_mislabelled_files_are_refused(tmp_path: Path) -> None:
    good = make_pdf(REPORTS / "other-report.txt", tmp_path / "good.pdf").read_bytes()
    cut = tmp_path / "半截.pdf"
    cut.write_bytes(good[: len(good) // 3])
    _refused(cut, "损坏")
    fake = tmp_path / "不是.pdf"
    fake.write_bytes(b"hello")
    _refused(fake, "不是 PDF")
    garbage_docx = tmp_path / "坏.docx"
    garbage_docx.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _refused(garbage_docx, "损坏")
    binary = tmp_path / "图片.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    _refused(binary, "不是文本文件")
    other = tmp_path / "报告.doc"
    other.write_bytes(b"x")
    _refused(other, ".docx")


def test_hostile_docx_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b" " * (110 * 1024 * 1024))
    _refused(bomb, "压缩炸弹")
    dtd = tmp_path / "实体.docx"
    make_docx(REPORTS / "other-report.txt", tmp_path / "base.docx")
    with zipfile.ZipFile(tmp_path / "base.docx") as src, zipfile.ZipFile(dtd, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>', 1
                )
            dst.writestr(info, data)
    _refused(dtd, "DTD")


def test_a_pdf_that_libreoffice_made_from_the_word_form_gives_the_same_passages(
    tmp_path: Path,
) -> None:
    """LibreOffice (like Word) draws quotes and dashes from a Latin font after the Chinese
    run: PDFium's stream order misplaces them unless the line is rebuilt by position."""
    import os
    import subprocess

    docx = [make_docx(REPORTS / n, tmp_path / f"{Path(n).stem}.docx") for n in NAMES]
    subprocess.run(
        ["soffice", "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(d) for d in docx],
        check=True,
        capture_output=True,
        timeout=300,
        env=dict(os.environ, HOME=str(tmp_path)),
    )
    for name, word in zip(NAMES, docx, strict=True):
        expected = read_report(REPORTS / name).passages
        got = read_report(word.with_suffix(".pdf")).passages
        assert [p.heading for p in got] == [p.heading for p in expected], name
        if name == "other-report.txt":
            assert [p.text for p in got] == [p.text for p in expected]
        else:  # where "24小时" has no space, LibreOffice's justified gap reads as one
            squash = [p.text.replace(" ", "") for p in got]
            assert squash == [p.text.replace(" ", "") for p in expected]
        assert all(p.page for p in got)
