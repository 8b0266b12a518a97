"""The bounded reader and `visible`: limits counted on bytes read, kernel files and FIFOs
refused by name, evidence that changes while it is copied refused, control characters shown."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest

from csr_desktop.core import bounded_read
from csr_desktop.core.errors import CsrError, InputFileError
from csr_desktop.core.store import Project
from csr_desktop.core.visible import visible
from csr_desktop.formats import interchange
from csr_desktop.formats.package.verify import Difference, VerifyReport, report_lines
from csr_desktop.sample import build_interchange


def test_the_limit_counts_bytes_read_not_the_size_stat_reports(tmp_path: Path, monkeypatch):
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 5000)
    real_stat = os.stat

    def lying_stat(p, *a, **k):  # what /proc files and /dev/zero report: size 0
        st = real_stat(p, *a, **k)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, 1, 0, 0, 0, 0, 0, 0))

    monkeypatch.setattr(os, "stat", lying_stat)
    with pytest.raises(InputFileError) as err:
        bounded_read.read_limited(path, 4096)
    assert "a.json" in err.value.zh and "过大" in err.value.zh
    assert bounded_read.read_limited(path, 5000) == b"x" * 5000


@pytest.mark.parametrize(
    ("make", "words"),
    [
        pytest.param(
            lambda d: (os.mkfifo(d / "p"), d / "p")[1],
            "命名管道",
            id="fifo",
            marks=pytest.mark.posix_only("makes a FIFO (os.mkfifo)"),
        ),
        pytest.param(
            lambda d: Path("/dev/zero"),
            "设备文件",
            id="device",
            marks=pytest.mark.posix_only("/dev/zero"),
        ),
        pytest.param(
            lambda d: Path("/proc/self/status"),
            "/proc",
            id="proc",
            marks=pytest.mark.posix_only("/proc"),
        ),
        pytest.param(lambda d: (d / "dir").mkdir() or d / "dir", "文件夹", id="folder"),
    ],
)
def test_what_is_not_a_regular_file_is_refused_by_name_unopened(tmp_path, make, words):
    path = make(tmp_path)
    with pytest.raises(InputFileError) as err:
        bounded_read.open_regular(path)  # a FIFO would block here if it were opened
    assert str(path) in err.value.zh and words in err.value.zh


@pytest.mark.posix_only("makes a FIFO (os.mkfifo)")
def test_a_file_swapped_for_a_fifo_after_the_check_is_caught_on_the_handle(
    tmp_path: Path, monkeypatch
) -> None:
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    monkeypatch.setattr(bounded_read, "check_regular", lambda _p: regular)
    with pytest.raises(InputFileError) as err:
        bounded_read.open_regular(fifo)  # O_NONBLOCK: returns at once, fstat says FIFO
    assert "命名管道" in err.value.zh


def test_evidence_that_grows_while_it_is_copied_is_refused(tmp_path: Path, monkeypatch):
    src = build_interchange(tmp_path / "in", evidence_per_indicator=1)
    doc = json.loads(src.read_text(encoding="utf-8"))
    target = src.parent / doc["indicators"][0]["evidence"][0]["file"]
    original = Project.store_files  # where every way in (operations/ingest) copies files in

    def writer_appends_meanwhile(self, paths, progress=None):
        if target in [Path(p) for p in paths]:
            with open(target, "ab") as fh:
                fh.write(b"\0" * (3 << 20))  # another program still writing the scan
        return original(self, paths, progress)

    monkeypatch.setattr(Project, "store_files", writer_appends_meanwhile)
    dest = tmp_path / "p.csrproj"
    with pytest.raises(CsrError) as err:
        interchange.load(src, dest)
    assert "发生了变化" in err.value.zh and target.name in err.value.zh
    assert not dest.exists()


def test_evidence_size_is_what_was_read(tmp_path: Path) -> None:
    src = build_interchange(tmp_path / "in", evidence_per_indicator=1)
    dest = tmp_path / "p.csrproj"
    interchange.load(src, dest)
    doc = json.loads(src.read_text(encoding="utf-8"))
    with Project.open(dest, readonly=True) as p:
        item = p.assessment().answer(1).evidence[0]
        data = b"".join(p.iter_file(item.sha256))
    assert (
        item.size
        == len(data)
        == (src.parent / doc["indicators"][0]["evidence"][0]["file"]).stat().st_size
    )


def test_visible_shows_controls_and_keeps_text() -> None:
    assert visible("报告 2024（定稿）.pdf") == "报告 2024（定稿）.pdf"
    assert visible("a\x1b[2Jb") == "a␛[2Jb"
    assert visible("x\r结果：全部完整") == "x␍结果：全部完整"
    assert visible("\x1b]52;c;ZXZpbA==\x07") == "␛]52;c;ZXZpbA==␇"
    assert visible("\x9b31m") == "\\x9b31m"
    assert visible("exe\u202efdp.pdf") == "exe\\u202efdp.pdf"
    assert visible("\ud800") == "\\ud800"
    assert visible("\x00\x7f") == "␀␡"
    out = visible("".join(map(chr, range(0x3100))))  # every control of the BMP's first part
    assert all(ch.isprintable() or unicodedata.category(ch) == "Zs" for ch in out)


def test_every_line_of_a_verify_report_is_visible(tmp_path: Path) -> None:
    evil = "佐证材料/\x1b[2J\rx.pdf"
    report = VerifyReport(
        tmp_path / "p.zip",
        ok=(),
        missing=(evil,),
        changed=(Difference(evil, "内容\x1b[31m"),),
        extra=(evil,),
        problems=(Difference(evil, "x"),),
        draft=True,
        missing_evidence=("\x1b]52;c;AA==\x07",),
    )
    lines = report_lines(report)
    assert len(lines) == 8
    assert all(line.isprintable() for line in lines), lines
