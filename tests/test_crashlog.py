"""Errors nobody foresaw: logged with their traceback to a rotating file, the user told where."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from csr_desktop import cli, crashlog
from csr_desktop.core.store import Project


@pytest.fixture
def log_home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    logger = logging.getLogger("csr_desktop")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    yield crashlog.log_dir()
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_unforeseen_error_is_logged_and_reported_in_one_chinese_line(
    tmp_path: Path, log_home: Path, monkeypatch, capsys
):
    project = tmp_path / "p.csrproj"
    Project.create(project).close()
    before = project.read_bytes()

    def broken(_project):
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr("csr_desktop.formats.interchange.dump", broken)
    assert cli.main(["dump", str(project)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "内部错误" in err[0] and str(log_home) in err[0]
    assert "Traceback" not in err[0]
    log = (log_home / "csr-desktop.log").read_text(encoding="utf-8")
    assert "RuntimeError: a bug nobody foresaw" in log and "Traceback" in log
    assert project.read_bytes() == before


def test_logs_rotate(log_home: Path):
    for n in range(30):
        try:
            raise ValueError("x" * 60_000 + str(n))
        except ValueError as exc:
            crashlog.log_exception(exc)
    files = sorted(p.name for p in log_home.iterdir())
    assert "csr-desktop.log.1" in files and len(files) <= 6
    assert all(p.stat().st_size <= 1_100_000 for p in log_home.iterdir())
