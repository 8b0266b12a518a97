"""A command whose change is committed says so even when its report cannot be printed, and a
retried `attach` never lists the same file twice in one 佐证材料目录 (issue 22)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from csr_desktop.core.store import Project
from tests.conftest import REPO

EXIT_DONE_UNPRINTED = 3
pytestmark = pytest.mark.posix_only("/dev/full")


def run_to_full_disk(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command with stdout on /dev/full: every write to it fails with ENOSPC."""
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "csr_desktop", *map(str, args)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=REPO,
            env=dict(os.environ, PYTHONIOENCODING="utf-8"),
            timeout=120,
        )


def rows(project: Path, no: int) -> list[str]:
    with Project.open(project, readonly=True) as p:
        return [item.file_name or "" for item in p.assessment().answer(no).evidence]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "自评.csrproj"
    Project.create(path).close()
    return path


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "制度文件.pdf"
    path.write_bytes(b"%PDF-1.4 stamped\n" * 100)
    return path


def test_attach_to_a_full_stdout_says_added_and_a_retry_adds_no_second_row(
    project: Path, evidence: Path, cli
) -> None:
    done = run_to_full_disk("attach", project, "3", evidence)
    assert done.returncode == EXIT_DONE_UNPRINTED, done.stderr
    assert "已添加，但无法输出结果" in done.stderr
    assert "未做任何修改" not in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert rows(project, 3) == ["制度文件.pdf"]
    again = cli("attach", project, "3", evidence)  # the script retries, as scripts do
    assert again.returncode == 0, again.stderr
    assert "已在第3项佐证材料目录第1行" in again.stdout
    assert rows(project, 3) == ["制度文件.pdf"]
    renamed = evidence.with_name("制度文件（副本）.pdf")  # same bytes, another name: same file
    renamed.write_bytes(evidence.read_bytes())
    third = cli("attach", project, "3", renamed)
    assert "已在第3项佐证材料目录第1行" in third.stdout
    assert rows(project, 3) == ["制度文件.pdf"]
    elsewhere = cli("attach", project, "4", evidence)  # another indicator may list it
    assert elsewhere.returncode == 0 and rows(project, 4) == ["制度文件.pdf"]


def test_the_same_file_twice_in_one_attach_is_listed_once(
    project: Path, evidence: Path, tmp_path: Path, cli
) -> None:
    other = tmp_path / "会议纪要.docx"
    other.write_bytes(b"minutes")
    done = cli("attach", project, "7", evidence, other, evidence)
    assert done.returncode == 0, done.stderr
    assert rows(project, 7) == ["制度文件.pdf", "会议纪要.docx"]
    lines = done.stdout.splitlines()
    assert "已添加" in lines[0] and "已添加" in lines[1] and "目录第1行" in lines[2]


def test_a_retry_that_adds_nothing_and_cannot_print_says_nothing_changed(
    project: Path, evidence: Path, cli
) -> None:
    assert cli("attach", project, "3", evidence).returncode == 0
    done = run_to_full_disk("attach", project, "3", evidence)
    assert done.returncode == 2
    assert "无法输出结果" in done.stderr and "未做任何修改" in done.stderr


def test_load_and_new_year_to_a_full_stdout_say_created(project: Path, tmp_path: Path, cli) -> None:
    dumped = cli("dump", project)
    src = tmp_path / "in.json"
    src.write_text(dumped.stdout, encoding="utf-8")
    assert json.loads(dumped.stdout)["format"] == "csr-self-assessment"
    done = run_to_full_disk("load", src, tmp_path / "载入.csrproj")
    assert done.returncode == EXIT_DONE_UNPRINTED, done.stderr
    assert "已创建项目" in done.stderr and "无法输出结果" in done.stderr
    assert (tmp_path / "载入.csrproj").exists()
    done = run_to_full_disk("new-year", project, tmp_path / "明年.csrproj")
    assert done.returncode == EXIT_DONE_UNPRINTED, done.stderr
    assert "已创建新项目" in done.stderr and "未做任何修改" not in done.stderr


def test_a_reading_command_to_a_full_stdout_fails_as_before(project: Path) -> None:
    done = run_to_full_disk("dump", project)
    assert done.returncode == 2
    assert "无法输出结果" in done.stderr and "未做任何修改" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_assign_and_export_to_a_full_stdout_say_what_they_did(
    project: Path, tmp_path: Path
) -> None:
    done = run_to_full_disk("assign", project, "党群工作部", "1-3")
    assert done.returncode == EXIT_DONE_UNPRINTED, done.stderr
    assert "已指定负责部门，但无法输出结果" in done.stderr
    with Project.open(project, readonly=True) as p:
        assert p.get("indicator.2.department") == "党群工作部"
    out = tmp_path / "自评表.xlsx"
    done = run_to_full_disk("export", project, "--xlsx", out)
    assert done.returncode == EXIT_DONE_UNPRINTED, done.stderr
    assert "已导出，但无法输出结果" in done.stderr and out.exists()
