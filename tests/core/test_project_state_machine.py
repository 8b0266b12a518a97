"""Random sequences of what a user does to a project, checked after every step against a model.

The project is driven through its public commands (edits, attaches of the same file to several
indicators, big files, cancelled copies, removals, undo/redo, an Excel round trip,
close/reopen, and a crash: the files as a kill would leave them). The model is a plain dict of
field values with plain undo/redo stacks. After each step the project must equal the model,
pass SQLite's integrity and foreign-key checks, hold no half-copied or orphaned blob data, and
every file a catalogue row names must be intact.

CI runs a fixed budget; a long run: `CSR_STATEFUL_EXAMPLES=100000 timeout 25m ./test.sh
tests/core/test_project_state_machine.py` (see bench/README.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from csr_desktop.core.assessment import EvidenceItem, indicator_key
from csr_desktop.core.errors import Cancelled
from csr_desktop.core.lock import lock_path
from csr_desktop.core.storage import blobs
from csr_desktop.core.store import Project

EXAMPLES = int(os.environ.get("CSR_STATEFUL_EXAMPLES", "12"))
NOS = st.integers(min_value=1, max_value=6)  # a few indicators: collisions are the point
TEXT = st.text(alphabet="制度建设年度报告，。 abc\n=+-@\U00020000", max_size=40)
BIG_SIZE = (blobs.CHUNKS_PER_COMMIT + 3) * blobs.CHUNK_SIZE

_POOL: dict[str, Path] = {}


def _pool() -> dict[str, Path]:
    """Files shared by every example: small ones, two identical copies, one big one."""
    if not _POOL:
        folder = Path(tempfile.mkdtemp(prefix="csr-state-pool-"))
        for i, size in enumerate((10, 2000, 70_000)):
            p = folder / f"材料{i}.pdf"
            p.write_bytes(bytes([i + 1]) * size)
            _POOL[p.name] = p
        twin = folder / "副本.pdf"
        twin.write_bytes(_POOL["材料1.pdf"].read_bytes())
        _POOL[twin.name] = twin
        big = folder / "视频.mp4"
        with open(big, "wb") as fh:
            block = os.urandom(1 << 20)
            for _ in range(BIG_SIZE >> 20):
                fh.write(block)
        _POOL[big.name] = big
    return _POOL


# the other process of `crash_at_a_random_write`: an edit, or an attach (which grows the file, so
# its closing checkpoint or commit writes past the old end); prints each step once it returned
_CHILD = """
import json, sys
from pathlib import Path
from csr_desktop.core.store import Project
with Project.open(sys.argv[1]) as p:
    for i, (no, field, value) in enumerate(json.loads(sys.argv[2])):
        if field == "attach":
            items = p.add_evidence_files(no, [Path(value)])
            print(json.dumps([i, [it.to_json() for it in items]]), flush=True)
        else:
            p.set(f"indicator.{no}.{field}", value, coalesce=i % 2 == 0)
            print(json.dumps([i, None]), flush=True)
"""
CHILD_STEP = st.one_of(
    st.tuples(NOS, st.sampled_from(["remark", "narrative"]), TEXT),
    st.tuples(NOS, st.just("attach"), st.sampled_from(["材料0.pdf", "材料1.pdf", "材料2.pdf"])),
)

FILES = st.sampled_from(["材料0.pdf", "材料1.pdf", "材料2.pdf", "副本.pdf", "视频.mp4"])


def _norm(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class ProjectMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="csr-state-"))
        self.path = self.folder / "项目.csrproj"
        self.project = Project.create(self.path)
        self.model: dict[str, Any] = {}
        self.undo: list[dict[str, Any]] = []  # per step: key -> value before
        self.redo: list[dict[str, Any]] = []  # per step: key -> value after
        self.crashes = 0
        self.imported = False

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ---- the model's own bookkeeping -------------------------------------------------------

    def _record(self, values: dict[str, Any]) -> None:
        changed = {k: v for k, v in values.items() if _norm(self.model.get(k)) != _norm(v)}
        if not changed:
            return
        self.undo.append({k: self.model.get(k) for k in changed})
        self.redo.clear()
        for k, v in changed.items():
            self._put(k, v)

    def _put(self, key: str, value: Any) -> None:
        if value is None:
            self.model.pop(key, None)
        else:
            self.model[key] = value

    def _evidence(self, no: int) -> list[dict[str, Any]]:
        return list(self.model.get(indicator_key(no, "evidence")) or [])

    # ---- rules: what a user does ---------------------------------------------------------

    @rule(no=NOS, field=st.sampled_from(["remark", "narrative"]), text=TEXT)
    def type_text(self, no: int, field: str, text: str) -> None:
        key = indicator_key(no, field)
        self.project.set(key, text)
        self._record({key: text})

    @rule(no=NOS, rating=st.one_of(st.none(), st.integers(1, 5)))
    def rate(self, no: int, rating: int | None) -> None:
        self.project.set_rating(no, rating)
        self._record({indicator_key(no, "rating"): rating})

    @rule(no=NOS, names=st.lists(FILES, min_size=1, max_size=3), worker=st.booleans())
    def attach(self, no: int, names: list[str], worker: bool) -> None:
        paths = [_pool()[n] for n in names]
        if worker:
            stored = self.project.ingest_on_worker()(paths, None)
            items = self.project.add_evidence_files(no, paths, stored=stored)
        else:
            items = self.project.add_evidence_files(no, paths)
        key = indicator_key(no, "evidence")
        self._record({key: self._evidence(no) + [i.to_json() for i in items]})

    @rule(worker=st.booleans(), after=st.integers(1, BIG_SIZE - 1))
    def cancel_a_big_copy(self, worker: bool, after: int) -> None:
        def progress(done: int, _total: int) -> bool:
            return done < after

        big = [_pool()["视频.mp4"]]
        try:
            if worker:
                self.project.ingest_on_worker()(big, progress)
            else:
                self.project.store_files(big, progress)
        except Cancelled:
            pass

    @rule(no=NOS, index=st.integers(0, 5))
    def remove_row(self, no: int, index: int) -> None:
        rows = self._evidence(no)
        if index >= len(rows):
            return
        rows.pop(index)
        items = [EvidenceItem.from_json(r) for r in rows]
        self.project.set_evidence(no, items, "删除佐证材料")
        self._record({indicator_key(no, "evidence"): rows})

    @rule()
    def undo_step(self) -> None:
        label = self.project.undo()
        assert (label is None) == (not self.undo)
        if self.undo:
            before = self.undo.pop()
            self.redo.append({k: self.model.get(k) for k in before})
            for k, v in before.items():
                self._put(k, v)

    @rule()
    def redo_step(self) -> None:
        label = self.project.redo()
        assert (label is None) == (not self.redo)
        if self.redo:
            after = self.redo.pop()
            self.undo.append({k: self.model.get(k) for k in after})
            for k, v in after.items():
                self._put(k, v)

    @rule()
    def close_and_reopen(self) -> None:
        self.project.close()
        self.project = Project.open(self.path)
        self.undo.clear()
        self.redo.clear()

    @precondition(lambda self: self.crashes < 2)
    @rule()
    def crash(self) -> None:
        """The files as a SIGKILL right now would leave them (with its lock), reopened."""
        self.crashes += 1
        dest = self.folder / f"崩溃{self.crashes}.csrproj"
        for suffix in ("", "-journal", "-wal"):
            src = Path(f"{self.path}{suffix}")
            if src.exists():
                shutil.copy(src, f"{dest}{suffix}")
        shutil.copy(lock_path(self.path), lock_path(dest))
        self.project.close()
        self.path = dest
        self.project = Project.open(dest)
        self.undo.clear()
        self.redo.clear()

    @precondition(lambda self: self.crashes < 2 and shutil.which("strace") is not None)
    @rule(back=st.integers(0, 30), steps=st.lists(CHILD_STEP, min_size=1, max_size=4))
    def crash_at_a_random_write(self, back: int, steps: list[tuple[int, str, str]]) -> None:
        """Another process edits the project and is killed at one of its last pwrite64 calls
        (strace; `back` counts from its last, where the closing checkpoint or commit writes):
        every step it reported done is in the file, the one in flight all or nothing."""
        self.crashes += 1
        self.project.close()
        lock = lock_path(self.path)
        if lock.exists() and json.loads(lock.read_text(encoding="utf-8")).get("pid") == os.getpid():
            lock.unlink()  # left by `crash`, which this live process plays: its writer is dead
        args = json.dumps([(no, f, str(_pool()[v]) if f == "attach" else v) for no, f, v in steps])
        trial = self.folder / "试运行.csrproj"
        shutil.copy(self.path, trial)
        trace = self.folder / "pwrite64.trace"
        subprocess.run(
            ["strace", "-f", "-qq", "-o", str(trace), "-e", "trace=pwrite64", sys.executable,
             "-c", _CHILD, str(trial), args],
            capture_output=True, timeout=120, check=True,
        )  # fmt: skip
        calls = trace.read_text().count("pwrite64(")
        for p in self.folder.glob("试运行*"):
            p.unlink()
        n = max(1, calls - back)
        proc = subprocess.run(
            ["strace", "-f", "-qq", "-o", os.devnull, "-e", "trace=pwrite64", "-e",
             f"inject=pwrite64:signal=KILL:when={n}", sys.executable, "-c", _CHILD,
             str(self.path), args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert proc.returncode in (0, -9), proc.stderr
        done = [json.loads(line) for line in proc.stdout.splitlines()]
        self.project = Project.open(self.path)
        self.undo.clear()
        self.redo.clear()
        for (no, field, value), (_i, items) in zip(steps, done, strict=False):
            if field == "attach":
                key = indicator_key(no, "evidence")
                self._put(key, self._evidence(no) + items)
            else:
                self._put(indicator_key(no, field), value)
        if len(done) < len(steps):  # the step in flight: all or nothing
            no, field, value = steps[len(done)]
            key = indicator_key(no, "evidence" if field == "attach" else field)
            got = self.project.get(key)
            if field == "attach":
                old = self._evidence(no)
                assert list(got or [])[: len(old)] == old and len(got or []) - len(old) in (0, 1)
            else:
                assert _norm(got) in (_norm(self.model.get(key)), _norm(value)), (key, got)
            self._put(key, got)

    @precondition(lambda self: not self.imported)
    @rule(no=NOS, remark=TEXT.filter(lambda t: t.strip() == t and "\n" not in t))
    def excel_round_trip(self, no: int, remark: str) -> None:
        """Export the 自评表, a colleague edits one 备注, import: one undo step."""
        from openpyxl import load_workbook

        from csr_desktop.formats.xlsx.export import export_xlsx
        from csr_desktop.formats.xlsx.importer import apply_import, plan_import

        self.imported = True
        book = self.folder / "自评表.xlsx"
        export_xlsx(self.project, book)
        wb = load_workbook(book)
        ws = wb.worksheets[0]
        for row in ws.iter_rows():
            if row[0].value == no:
                row[6].value = remark or None
                row[6].data_type = "s"
        wb.save(book)
        plan = plan_import(self.project, book)
        apply_import(self.project, plan)
        key = indicator_key(no, "remark")
        if _norm(self.project.get(key)) != _norm(self.model.get(key)):
            self._record({key: self.project.get(key)})
        assert self.project.get(key) in (remark, None, "")

    # ---- what must hold after every step -----------------------------------------------

    @invariant()
    def project_equals_model(self) -> None:
        fields = {k: v for k, v in self.project._fields.items()}
        assert {k: _norm(v) for k, v in fields.items()} == {
            k: _norm(v) for k, v in self.model.items()
        }
        assert self.project.can_undo == bool(self.undo)
        assert self.project.can_redo == bool(self.redo)

    @invariant()
    def file_is_sound(self) -> None:
        p = self.project
        assert p.integrity_problems() == []
        db = p._db
        assert db.execute(
            "SELECT count(*) FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)"
        ).fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM blobs WHERE complete=0").fetchone() == (0,)
        for key, value in self.model.items():
            if key.endswith(".evidence"):
                for row in value:
                    assert p.file_is_intact(row["sha256"]), (key, row["name"])


ProjectMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=20,
    deadline=None,
    derandomize=os.environ.get("CSR_STATEFUL_EXAMPLES") is None,  # CI: the same sequences
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TestProjectStateMachine = ProjectMachine.TestCase


def test_another_writer_killed_at_its_last_write_of_an_attach_loses_nothing() -> None:
    """The sequence the rule found on the WAL store (issue #21): killed in the closing
    checkpoint that grows the file, the next open said 已损坏 and renamed the WAL aside."""
    machine = ProjectMachine()
    try:
        machine.crash_at_a_random_write(back=0, steps=[(1, "attach", "材料2.pdf")])
        machine.project_equals_model()
        machine.file_is_sound()
    finally:
        machine.teardown()
