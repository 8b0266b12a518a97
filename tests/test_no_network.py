"""The app never touches the network: every command runs under strace, and no process it
starts may so much as try to connect to an internet (IPv4/IPv6) address or resolve a name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from csr_desktop.sample import build_interchange

pytestmark = pytest.mark.posix_only("traces system calls with strace")

INET = re.compile(r"(connect|sendto|sendmsg)\(.*(AF_INET6?|sin_addr|sin6_addr)")


def _traced(
    log: Path, *args: str | Path, module: str = "csr_desktop"
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-e", "signal=none",
         "-o", str(log), sys.executable, "-m", module, *map(str, args)],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip


def test_whole_cli_and_app_start_make_no_network_attempt(tmp_path: Path):
    src = build_interchange(tmp_path / "in", evidence_per_indicator=1)
    project = tmp_path / "p.csrproj"
    out = tmp_path / "out"
    out.mkdir()
    commands: list[tuple[str | Path, ...]] = [
        ("load", src, project),
        ("dump", project),
        ("validate", project),
        ("--version",),
        ("export", project, "--xlsx", out / "a.xlsx", "--pdf", out / "b.pdf",
         "--document", out / "c.pdf", "--package", out / "d.zip"),
        ("import-xlsx", out / "a.xlsx", project),
        ("verify", out / "d.zip"),
        ("--terminate-after-init", project),
    ]  # fmt: skip
    attempts = []
    for n, command in enumerate(commands):
        log = tmp_path / f"strace-{n}.log"
        res = _traced(log, *command)
        assert res.returncode == 0, (command, res.stderr)
        attempts += [line for line in log.read_text().splitlines() if INET.search(line)]
    assert attempts == []


def test_the_tracer_does_see_a_connection_attempt(tmp_path: Path):
    """Guard against a test that cannot fail: a real attempt must show up in the log."""
    log = tmp_path / "probe.log"
    probe = "import socket; s = socket.socket(); s.settimeout(0.2); s.connect_ex(('127.0.0.1', 9))"
    subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(log), sys.executable, "-c", probe],
        check=True, timeout=60,
    )  # fmt: skip
    assert any(INET.search(line) for line in log.read_text().splitlines())


def test_a_wizard_session_makes_no_network_attempt(tmp_path: Path):
    """The pytest-qt test that completes all pages through the real widgets, traced."""
    log = tmp_path / "strace-wizard.log"
    test = Path(__file__).parent / "ui" / "test_complete_form.py"
    res = _traced(log, str(test), "-q", "-p", "no:cacheprovider", module="pytest")
    assert res.returncode == 0, res.stdout[-2000:]
    assert "passed" in res.stdout
    assert [line for line in log.read_text().splitlines() if INET.search(line)] == []
