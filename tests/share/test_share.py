"""The project on a department share, used from two PCs at once (issue #23).

Each test puts the project on a real SMB share (conftest.py: samba on 127.0.0.1, mounted twice
through smbnetfs as PC A and PC B). Other PCs are child processes (pc.py), so a kill -9 is a
crashed PC. What must hold: 已保存 means on the share, the other PC reads a consistent snapshot
or is refused by name (who, since when), never "已损坏"; a crashed PC's lock is cleared from the
other PC without losing a saved edit; closing leaves nothing but the project on the share.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from csr_desktop.core.errors import CsrError, ProjectLockedError
from csr_desktop.core.store import Project
from tests.conftest import run_cli
from tests.share.conftest import Share

PC = Path(__file__).with_name("pc.py")
MB = 1 << 20
NAME = "社会责任自评.csrproj"


def _big(path: Path, size: int = 50 * MB) -> Path:
    with open(path, "wb") as fh:
        for _ in range(size // MB):
            fh.write(os.urandom(MB))
    return path


class Child:
    """Another PC's process, whose printed lines can be awaited."""

    def __init__(self, *args: str | Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(PC), *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # EOF

    def expect(self, prefix: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"no {prefix!r} from {self.proc.args} in {timeout} s"
                ) from None
            if line.startswith(prefix):
                return line
            if line == "":  # the child closed its output: it ended
                self.proc.wait(30)
                err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"{self.proc.args} ended before {prefix!r}: {err[-3000:]}")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def finish(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        assert self.proc.wait(60) == 0, self.proc.stderr.read() if self.proc.stderr else ""

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)


def _read(path: Path) -> tuple[str, str]:
    """What the other PC's reader sees: two fields always written in one transaction."""
    with Project.open(path, readonly=True) as p:
        company = p.assessment().company
        return company["name"], company["contact"]


def _break_lock(path: Path) -> None:
    from csr_desktop.core.lock import break_lock  # the lead's 解除锁定 (storage rewrite, #21)

    break_lock(path)


# ---- one PC at a time ----------------------------------------------------------------------


def test_created_and_edited_on_one_pc_is_read_on_the_other_and_leaves_one_file(share: Share):
    with Project.create(share.a / NAME) as p:
        p.set("company.name", "示例科技有限公司")
        p.set_rating(1, 2)
    assert share.leftovers(NAME) == []
    with Project.open(share.b / NAME) as p:  # PC B edits too, after A closed it
        assert p.assessment().company["name"] == "示例科技有限公司"
        p.set("company.contact", "010-12345678")
    assert share.leftovers(NAME) == []
    with Project.open(share.a / NAME, readonly=True) as p:
        assert p.assessment().company["contact"] == "010-12345678"
        assert p.assessment().answer(1).rating == 2
    assert share.leftovers(NAME) == []


def test_load_attach_50mb_then_every_export_validate_and_dump_from_the_other_pc(
    share: Share, sample_json: Path, tmp_path: Path
):
    big = _big(tmp_path / "宣传视频.mp4")
    loaded = run_cli("load", sample_json, share.a / NAME)
    assert loaded.returncode == 0, loaded.stderr
    attached = run_cli("attach", share.a / NAME, "5", big)
    assert attached.returncode == 0, attached.stderr
    assert share.leftovers(NAME) == []

    dumped = run_cli("dump", share.b / NAME)
    assert dumped.returncode == 0, dumped.stderr
    names = [e["file"] for e in json.loads(dumped.stdout)["indicators"][4]["evidence"]]
    assert "宣传视频.mp4" in names
    validated = run_cli("validate", share.b / NAME)
    assert validated.returncode in (0, 1), validated.stderr
    assert "已损坏" not in validated.stdout + validated.stderr
    out = {
        "--xlsx": "自评表.xlsx",
        "--pdf": "承诺书.pdf",
        "--document": "自评材料.pdf",
        "--docx": "自评材料.docx",
        "--package": "提交材料包.zip",
    }
    args = [a for opt, name in out.items() for a in (opt, share.b / name)]
    exported = run_cli("export", share.b / NAME, *args)
    assert exported.returncode == 0, exported.stderr
    for name in out.values():
        assert (share.server / name).stat().st_size > 0, name
    assert share.leftovers(NAME, *out.values()) == []
    verified = run_cli("verify", share.a / "提交材料包.zip")
    assert verified.returncode == 0, verified.stdout + verified.stderr


# ---- two PCs at once -----------------------------------------------------------------------


def test_the_other_pc_reads_a_consistent_snapshot_and_is_refused_writing_by_name(share: Share):
    Project.create(share.a / NAME).close()
    holder = Child("hold", share.a / NAME, "财务部-PC")
    try:
        holder.expect("ready")
        assert _read(share.b / NAME) == ("0", "0")  # 已保存 means on the share
        for n in range(1, 21):
            holder.send(str(n))
            name, contact = _read(share.b / NAME)
            assert name == contact, f"read {n}: a half-written transaction ({name}, {contact})"
            holder.expect(f"saved {n}")
            assert _read(share.b / NAME) == (str(n), str(n))
        with pytest.raises(ProjectLockedError) as refused:
            Project.open(share.b / NAME)
        words = re.sub(r"“[^”]*”", "“…”", refused.value.zh)  # the path holds "127.0.0.1:port"
        assert "财务部-PC" in words, words  # who …
        assert re.search(r"\d{1,2}:\d{2}", words), words  # … and since when
        holder.send("21")
        holder.expect("saved 21")
    finally:
        holder.finish()
    assert _read(share.b / NAME) == ("21", "21")
    assert share.leftovers(NAME) == []


def test_100_reads_on_the_other_pc_during_50mb_attaches_never_say_damaged(
    share: Share, tmp_path: Path
):
    with Project.create(share.a / NAME) as p:
        p.apply({"company.name": "甲", "company.contact": "甲"}, "start")
    files = [_big(tmp_path / f"视频{i}.mp4") for i in range(2)]
    outcomes: dict[str, int] = {}
    failed_attaches: list[str] = []
    reads = attaches = 0
    child: Child | None = None
    while reads < 100 and len(failed_attaches) < 3:  # a refused writer fails the test, not hangs it
        if child is None or child.proc.poll() is not None:
            if child is not None and child.proc.returncode != 0:
                err = child.proc.stderr.read() if child.proc.stderr else ""
                failed_attaches.append(err.strip().splitlines()[-1] if err.strip() else "?")
            child = Child("attach", share.a / NAME, files[attaches % 2], 1 + attaches % 28)
            attaches += 1
            try:
                child.expect("copying", timeout=120)
            except AssertionError as exc:
                failed_attaches.append(str(exc).strip().splitlines()[-1])
                continue
        try:
            seen = _read(share.b / NAME)
            outcome = "ok" if seen == ("甲", "甲") else f"wrong {seen}"
        except CsrError as exc:
            outcome = "已损坏" if "已损坏" in exc.zh else exc.zh
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        reads += 1
    assert child is not None
    if child.proc.wait(120) != 0:
        err = child.proc.stderr.read() if child.proc.stderr else ""
        failed_attaches.append(err.strip().splitlines()[-1] if err.strip() else "?")
    summary = f"{reads} reads during {attaches} attaches: {outcomes}; failed: {failed_attaches}"
    assert outcomes == {"ok": 100}, summary
    assert failed_attaches == [], summary  # the writer is not disturbed by the reader either
    with Project.open(share.b / NAME, readonly=True) as p:
        assert p.integrity_problems() == []
    assert share.leftovers(NAME) == []


def test_kill_9_during_an_attach_then_reopen_on_the_other_pc_loses_nothing(
    share: Share, tmp_path: Path
):
    with Project.create(share.a / NAME) as p:
        p.set("company.name", "已保存的名称")
    child = Child("attach", share.a / NAME, _big(tmp_path / "视频.mp4"), 3)
    child.expect("copying 16", timeout=120)
    child.kill9()
    with Project.open(share.b / NAME) as p:  # the same host: the dead process's lock is stale
        assert p.assessment().company["name"] == "已保存的名称"
        assert p.integrity_problems() == []
        assert p.assessment().answer(3).evidence == ()
        p.set("company.contact", "之后的修改")
    with Project.open(share.a / NAME, readonly=True) as p:
        assert p.assessment().company["contact"] == "之后的修改"
    assert share.leftovers(NAME) == []


def test_a_crashed_pcs_lock_is_cleared_from_the_other_pc_without_losing_an_edit(share: Share):
    Project.create(share.a / NAME).close()
    holder = Child("hold", share.a / NAME, "财务部-PC")
    holder.expect("ready")
    for n in ("1", "2"):
        holder.send(n)
        holder.expect(f"saved {n}")
    holder.kill9()  # PC A crashed; its lock names another machine, which is never judged stale
    with pytest.raises(ProjectLockedError) as refused:
        Project.open(share.b / NAME)
    assert "财务部-PC" in refused.value.zh
    assert _read(share.b / NAME) == ("2", "2")  # still readable while locked
    _break_lock(share.b / NAME)  # 解除锁定 on PC B
    with Project.open(share.b / NAME) as p:
        assert p.assessment().company["name"] == "2"
        assert p.integrity_problems() == []
        p.set("company.contact", "B")
    assert _read(share.a / NAME) == ("2", "B")
    assert share.leftovers(NAME) == []


# ---- the place ---------------------------------------------------------------------------------


def test_the_share_is_known_as_a_network_place_on_both_pcs(share: Share):
    from csr_desktop.core.location import Kind, locate

    for view in (share.a, share.b):
        assert locate(view / NAME).kind is Kind.NETWORK
    assert locate(share.server / NAME).kind is not Kind.NETWORK


def test_a_share_read_only_by_permission_opens_read_only_with_the_reason(
    read_only_share: Share,
):
    from csr_desktop.core.opening import open_project

    with Project.create(read_only_share.server / NAME) as p:  # put there by the share's owner
        p.set("company.name", "只读共享上的项目")
    assert os.access(read_only_share.a / NAME, os.W_OK)  # as on Windows: "writable"
    opened = open_project(read_only_share.a / NAME)
    with opened.project as p:
        assert p.readonly
        assert p.assessment().company["name"] == "只读共享上的项目"
        assert "只读" in p.readonly_reason, p.readonly_reason
    assert any("共享文件夹" in line for line in opened.notices)
    dumped = run_cli("dump", read_only_share.b / NAME)
    assert dumped.returncode == 0, dumped.stderr
    assert read_only_share.leftovers(NAME) == []
