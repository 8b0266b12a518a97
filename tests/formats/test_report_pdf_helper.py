"""A long PDF is read by two processes (PDFium serves one thread per process): the passages
are the same as one process reads, a helper that fails costs time but never the result, and
取消 ends the helper too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.errors import Cancelled
from csr_desktop.formats.report import pdf, pdf_helper, read_report
from tests.formats.report_forms import make_pdf

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


@pytest.fixture(autouse=True)
def a_free_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a desktop PC while its user waits for the report (this machine may be busy)."""
    monkeypatch.setattr(pdf, "_free_cores", lambda: 1.5)


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("helper")
    return make_pdf(REPORTS / "other-report.txt", folder / "other.pdf", "ESG 报告", repeat=3)


def test_a_long_report_read_by_two_processes_gives_the_same_passages(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 10**6)
    alone = read_report(long_pdf)
    started: list[Any] = []
    real = pdf_helper.Helper

    def counted(*args: Any) -> Any:
        started.append(args)
        return real(*args)

    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(pdf_helper, "Helper", counted)
    shared = read_report(long_pdf)
    assert started and started[0][3] == alone.pages  # the helper read the back pages
    assert shared == alone


def test_a_helper_that_cannot_start_or_dies_leaves_the_pages_to_this_process(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 10**6)
    alone = read_report(long_pdf)
    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 2)

    def cannot_start(*_args: Any) -> Any:
        raise pdf_helper.HelperFailed("no processes left")

    monkeypatch.setattr(pdf_helper, "Helper", cannot_start)
    assert read_report(long_pdf) == alone

    def dies(self: pdf_helper.Helper, _keep_going: Any) -> Any:
        self.process.kill()
        self.process.join()
        raise pdf_helper.HelperFailed("killed")

    monkeypatch.undo()
    monkeypatch.setattr(pdf, "_free_cores", lambda: 1.5)
    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(pdf_helper.Helper, "result", dies)
    assert read_report(long_pdf) == alone


def test_cancelling_while_the_helper_reads_ends_it(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 2)
    helpers: list[pdf_helper.Helper] = []
    real = pdf_helper.Helper

    def kept(*args: Any) -> pdf_helper.Helper:
        helpers.append(real(*args))
        return helpers[-1]

    monkeypatch.setattr(pdf_helper, "Helper", kept)
    with pytest.raises(Cancelled):
        read_report(long_pdf, lambda done, total: done < total // 2)
    assert helpers and not helpers[0].process.is_alive()


def test_a_busy_machine_reads_alone(long_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(pdf, "_free_cores", lambda: 0.4)

    def must_not_start(*_args: Any) -> Any:
        raise AssertionError("a helper on a busy machine")

    monkeypatch.setattr(pdf_helper, "Helper", must_not_start)
    assert read_report(long_pdf).pages
    monkeypatch.setenv(pdf.HELPER_ENV, "on")  # what the frozen smoke test asks for
    assert pdf._helper_share(long_pdf, 40) == 20
    monkeypatch.setenv(pdf.HELPER_ENV, "off")  # IT can turn it off
    monkeypatch.setattr(pdf, "_free_cores", lambda: 8.0)
    assert pdf._helper_share(long_pdf, 40) == 0


def test_a_damaged_page_in_the_helpers_half_is_reported_like_any_other() -> None:
    with pytest.raises(pdf_helper.PageError, match=r"FileNotFoundError|PdfiumError"):
        helper = pdf_helper.Helper(pdf.lines_of_file, Path("/nonexistent/report.pdf"), 0, 1)
        try:
            helper.result(lambda: True)
        finally:
            helper.stop()
