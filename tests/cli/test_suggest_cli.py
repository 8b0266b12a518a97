"""`csr-desktop suggest PROJECT REPORT [--top N] [--json]` as design.md fixes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csr_desktop.cli import main
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from csr_desktop.core.store import Project
from tests.formats.report_forms import make_pdf

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
OTHER = REPORTS / "other-report.txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "自评.csrproj"
    Project.create(path).close()
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["suggest", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_lists_every_indicator_best_first_with_whole_passages(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(project), str(OTHER), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["report"] == "other-report.txt" and data["passages"] > 20
    assert [i["no"] for i in data["indicators"]] == list(range(1, 29))
    first = data["indicators"][19]["suggestions"]  # 未成年人保护
    assert 1 <= len(first) <= 3
    assert set(first[0]) == {"heading", "text", "page", "score"}
    assert "“青芽模式”开启后，单日使用时长默认不超过 40 分钟" in first[0]["text"]
    assert first[0]["heading"] == "一、与用户同行 › （三）守护成长"
    for ind in data["indicators"]:
        scores = [s["score"] for s in ind["suggestions"]]
        assert scores == sorted(scores, reverse=True)
        assert all(s["page"] is None for s in ind["suggestions"])
    code, out, _ = _run(capsys, str(project), str(OTHER), "--json", "--top", "1")
    assert all(len(i["suggestions"]) <= 1 for i in json.loads(out)["indicators"])


def test_pdf_suggestions_name_their_page(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = make_pdf(OTHER, tmp_path / "报告.pdf")
    code, out, _ = _run(capsys, str(project), str(pdf), "--json")
    assert code == 0
    pages = [s["page"] for i in json.loads(out)["indicators"] for s in i["suggestions"]]
    assert pages and all(isinstance(p, int) and p >= 1 for p in pages)


def test_plain_output_is_readable_chinese(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(project), str(OTHER), "--top", "2")
    assert code == 0
    assert out.startswith("报告“other-report.txt”：")
    assert "第20项「未成年人保护」\n  1. 一、与用户同行 › （三）守护成长" in out
    assert "相关度" in out and "Traceback" not in out


def test_a_project_made_before_keywords_existed_gets_the_same_suggestions(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(default_indicator_set().source_json)
    for level in data["levels"]:
        for group in level["groups"]:
            for ind in group["indicators"]:
                del ind["keywords"]
    old = tmp_path / "旧项目.csrproj"
    Project.create(old, IndicatorSet.from_json(json.dumps(data, ensure_ascii=False))).close()
    assert _run(capsys, str(old), str(OTHER), "--json") == _run(
        capsys, str(project), str(OTHER), "--json"
    )


def test_a_scanned_pdf_is_one_chinese_line_and_exit_2(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportlab.pdfgen import canvas

    scan = tmp_path / "扫描版报告.pdf"
    c = canvas.Canvas(str(scan))
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    before = project.read_bytes()
    code, out, err = _run(capsys, str(project), str(scan))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "扫描版报告.pdf" in err and "没有可提取的文字，可能是扫描件" in err
    assert project.read_bytes() == before
    code, _, err = _run(capsys, str(project), str(OTHER), "--top", "0")
    assert code == 2 and "--top" in err


def _encrypted(tmp_path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(make_pdf(OTHER, tmp_path / "plain.pdf")).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "加密报告.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _damaged(tmp_path: Path) -> Path:
    good = make_pdf(OTHER, tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "损坏报告.pdf"
    path.write_bytes(good[: len(good) // 4])
    return path


def _bomb(tmp_path: Path) -> Path:
    import zipfile

    path = tmp_path / "报告.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b"w" * (120 * 1024 * 1024))
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [(_encrypted, "加密"), (_damaged, "损坏"), (_bomb, "压缩炸弹")],
)
def test_bad_reports_are_one_chinese_line_and_exit_2(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make, words: str
) -> None:
    report = make(tmp_path)
    before = project.read_bytes()
    code, out, err = _run(capsys, str(project), str(report))
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert report.name in err and words in err
    assert project.read_bytes() == before
