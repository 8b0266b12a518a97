"""Durability promises checked deterministically (issue 31), not by SIGKILL at random moments:
every write runs inside BEGIN IMMEDIATE … COMMIT on a connection that syncs fully, an edit is
committed and visible to a fresh reader when its call returns, and a process killed at a
chosen statement (the last before COMMIT, the first after an edit returns, between two batches
of an evidence copy) leaves every saved edit and nothing half-done.

The tests see the store only through `sqlite3.connect` (a trace on every connection it makes)
and the public Project API, so they hold whatever the storage package looks like inside.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.store import Project

REPO = Path(__file__).resolve().parents[2]
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
_PRAGMA_WRITE = re.compile(r"^\s*PRAGMA\s+(\w+\.)?(user_version|application_id)\s*=", re.I)
_BEGIN = re.compile(r"^\s*BEGIN\b(\s+(\w+))?", re.IGNORECASE)
_END = re.compile(r"^\s*(COMMIT|END|ROLLBACK)\s*(TRANSACTION)?\s*;?\s*$", re.IGNORECASE)
_SYNC = re.compile(r"^\s*PRAGMA\s+(\w+\.)?synchronous\s*=\s*'?(\w+)'?", re.IGNORECASE)
_LEVELS = {"off": 0, "0": 0, "normal": 1, "1": 1, "full": 2, "2": 2, "extra": 3, "3": 3}
FULL = 2


@dataclass
class Traced:
    """One connection the process opened, and every statement it ran, in order."""

    target: str
    writable: bool
    statements: list[str] = field(default_factory=list)


@pytest.fixture
def traced(monkeypatch: pytest.MonkeyPatch) -> list[Traced]:
    """Every sqlite3 connection made from here on, with a trace of its statements."""
    real = sqlite3.connect
    seen: list[Traced] = []

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = real(database, *args, **kwargs)
        target = str(database)
        record = Traced(target, "mode=ro" not in target and target != ":memory:")
        seen.append(record)
        db.set_trace_callback(record.statements.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)
    return seen


def default_synchronous() -> int:
    with sqlite3.connect(":memory:") as db:
        return int(db.execute("PRAGMA synchronous").fetchone()[0])


def violations(record: Traced) -> Iterator[str]:
    """Writes outside BEGIN IMMEDIATE … COMMIT, a deferred BEGIN, a transaction left open, or
    a write while the connection syncs less than fully."""
    level = default_synchronous()
    begun = ""
    for sql in record.statements:
        sync = _SYNC.match(sql)
        if sync:
            level = _LEVELS.get(sync.group(2).lower(), -1)
            continue
        begin = _BEGIN.match(sql)
        if begin:
            kind = (begin.group(2) or "DEFERRED").upper()
            if kind not in ("IMMEDIATE", "EXCLUSIVE"):
                yield f"BEGIN {kind}（应为 BEGIN IMMEDIATE）: {sql}"
            if begun:
                yield f"BEGIN inside an open transaction: {sql}"
            begun = sql
            continue
        if _END.match(sql):
            begun = ""
            continue
        if _WRITE.match(sql) or _PRAGMA_WRITE.match(sql):
            if not begun:
                yield f"write outside a transaction: {sql[:120]}"
            if level < FULL:
                yield f"write on a connection with synchronous={level}: {sql[:120]}"
    if begun:
        yield f"transaction left open after: {begun}"


def writers(traced: list[Traced], path: Path) -> list[Traced]:
    """The connections that may write `path` (the writer's, a worker's)."""
    return [t for t in traced if t.writable and path.name in t.target]


def fresh(path: Path, key: str) -> Any:
    """What a reader that opens the file now finds (another process would see the same)."""
    with Project.open(path, readonly=True) as p:
        return p.get(key)


EDITS: list[tuple[str, Callable[[Project, Path], Any], str, Callable[[Any], bool]]] = [
    ("set", lambda p, _f: p.set("indicator.1.remark", "已保存的备注"), "indicator.1.remark",
     lambda v: v == "已保存的备注"),
    ("typing", lambda p, _f: p.set("indicator.2.remark", "打字", coalesce=True),
     "indicator.2.remark", lambda v: v == "打字"),
    ("rating", lambda p, _f: p.set_rating(3, 5 if p.get("indicator.3.rating") != 5 else 1),
     "indicator.3.rating", lambda v: v in (1, 5)),
    ("apply", lambda p, _f: p.apply({"indicator.4.remark": "甲", "indicator.5.remark": "乙"},
     "导入"), "indicator.5.remark", lambda v: v == "乙"),
    ("evidence", lambda p, f: p.add_evidence_files(6, [f]), "indicator.6.evidence",
     lambda v: any(e["file_name"] == "证据.bin" for e in v)),
    ("undo", lambda p, _f: (p.set("indicator.7.remark", "撤销我"), p.undo()),
     "indicator.7.remark", lambda v: v != "撤销我"),
    ("redo", lambda p, _f: (p.set("indicator.8.remark", "重做我"), p.undo(), p.redo()),
     "indicator.8.remark", lambda v: v == "重做我"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "edit", "key", "saved"), EDITS, ids=[e[0] for e in EDITS])
def test_every_edit_writes_inside_begin_immediate_commit_and_is_visible_on_return(
    sample_project: Path, tmp_path: Path, traced: list[Traced], name, edit, key, saved
) -> None:
    # seen red with the BEGIN IMMEDIATE/COMMIT of Project._write removed (autocommit writes),
    # with `synchronous=NORMAL` in connection.py, and with BEGIN IMMEDIATE → BEGIN
    evidence = tmp_path / "证据.bin"
    evidence.write_bytes(os.urandom(3 << 20))  # three chunks
    with Project.open(sample_project) as p:
        edit(p, evidence)
        assert saved(fresh(sample_project, key)), name  # committed when the call returned
        mine = writers(traced, sample_project)
        assert any(_WRITE.match(s) for t in mine for s in t.statements), "no write was traced"
        problems = [v for t in mine for v in violations(t)]
        assert not problems, problems


def test_opening_creating_and_ingesting_on_a_worker_write_only_in_transactions(
    tmp_path: Path, traced: list[Traced]
) -> None:
    """The writes nobody asked for (schema, migration, the sweep at open) and the window's
    evidence worker keep the same rule."""
    path = tmp_path / "新.csrproj"
    evidence = tmp_path / "证据.bin"
    evidence.write_bytes(os.urandom(2 << 20))
    Project.create(path).close()
    with Project.open(path) as p:
        p.set("company.name", "某公司")
        [stored] = p.ingest_on_worker()([evidence], None)
        p.set_evidence(
            1, [EvidenceItem("材料", "", evidence.name, stored.sha256, stored.size)], "x"
        )
    mine = writers(traced, path)
    assert len(mine) >= 2  # the writer and the worker at least
    problems = [v for t in mine for v in violations(t)]
    assert not problems, problems


# ---- a process killed at a chosen statement -------------------------------------------------

CHILD = textwrap.dedent(
    """
    import os, signal, sqlite3, sys
    from pathlib import Path

    real = sqlite3.connect
    when, path = sys.argv[1], Path(sys.argv[2])
    armed = []

    def connect(*args, **kwargs):
        db = real(*args, **kwargs)

        def trace(sql):
            if armed and armed[0](sql):
                os.kill(os.getpid(), signal.SIGKILL)

        db.set_trace_callback(trace)
        return db

    sqlite3.connect = connect
    from csr_desktop.core.store import Project

    with Project.open(path) as p:
        p.set("indicator.1.remark", "第一次保存")
        print("saved", flush=True)
        if when == "before-commit":  # the audit row of a two-field import, just before COMMIT
            armed.append(lambda sql: sql.lstrip().upper().startswith("INSERT INTO AUDIT"))
            p.apply({"indicator.2.remark": "导入甲", "indicator.3.remark": "导入乙"}, "导入")
        elif when == "after-return":
            p.apply({"indicator.2.remark": "导入甲", "indicator.3.remark": "导入乙"}, "导入")
            print("saved", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        elif when == "mid-copy":  # the second batch of chunks of a large copy
            batches = []

            def second_batch(sql):
                if sql.lstrip().upper().startswith("BEGIN"):
                    batches.append(sql)
                return len(batches) >= 2 and "blob_chunks" in sql

            armed.append(second_batch)
            p.add_evidence_files(4, [Path(sys.argv[3])])
        print("not killed", flush=True)
    """
)


def run_killed(project: Path, when: str, *extra: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, when, str(project), *map(str, extra)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == -signal.SIGKILL, (done.returncode, done.stdout, done.stderr[-2000:])
    return done.stdout.split()


def test_killed_just_before_commit_an_import_is_all_or_nothing(sample_project: Path) -> None:
    # seen red with Project._write's BEGIN IMMEDIATE/COMMIT removed: 导入甲/乙 stored, no audit
    with Project.open(sample_project, readonly=True) as p:
        before = {k: p.get(k) for k in ("indicator.2.remark", "indicator.3.remark")}
        audit = len(p.audit_log())
    assert run_killed(sample_project, "before-commit") == ["saved"]
    with Project.open(sample_project) as p:  # opens; the dead writer's lock is taken over
        assert p.get("indicator.1.remark") == "第一次保存"
        assert {k: p.get(k) for k in before} == before
        assert len(p.audit_log()) == audit + 1
        assert not p.integrity_problems()


def test_killed_right_after_an_edit_returns_the_edit_is_there(sample_project: Path) -> None:
    assert run_killed(sample_project, "after-return") == ["saved", "saved"]
    with Project.open(sample_project) as p:
        assert p.get("indicator.1.remark") == "第一次保存"
        assert (p.get("indicator.2.remark"), p.get("indicator.3.remark")) == ("导入甲", "导入乙")
        assert [e.label for e in p.audit_log()][-2:] == ["导入", "导入"]


def test_killed_between_two_batches_of_a_copy_leaves_no_half_file(
    sample_project: Path, tmp_path: Path
) -> None:
    from csr_desktop.core.storage.blobs import CHUNK_SIZE, CHUNKS_PER_COMMIT

    big = tmp_path / "大文件.bin"
    big.write_bytes(os.urandom(CHUNK_SIZE * CHUNKS_PER_COMMIT * 2 + 5))
    with Project.open(sample_project, readonly=True) as p:
        rows = p.assessment().answer(4).evidence
    assert run_killed(sample_project, "mid-copy", big) == ["saved"]
    with Project.open(sample_project) as p:  # the writer's open sweeps the interrupted copy
        assert p.get("indicator.1.remark") == "第一次保存"
        assert p.assessment().answer(4).evidence == rows
        assert all(p.file_is_intact(e.sha256 or "") for e in rows)
        assert not p.integrity_problems()
    db = sqlite3.connect(sample_project.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        assert db.execute("SELECT count(*) FROM blobs WHERE complete=0").fetchone() == (0,)
        orphans = "SELECT count(*) FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)"
        assert db.execute(orphans).fetchone() == (0,)
    finally:
        db.close()
