"""Deterministic crash points (issue #21): a command killed or failed at its N-th call of one
syscall, then the next commands a user runs, then the invariant.

Random kills rarely land inside a checkpoint or a commit; `strace -e inject=SC:signal=KILL:when=N`
lands exactly on the N-th call of SC, so every write and sync of a command can be tried in turn.
After each point the user's next steps run unfaulted — a retry of a command that creates a file,
a reader (`dump`), a writer (a small `attach`) — and the invariant is checked:

- the reader opens the project and sees the state before or after the command (an export: the
  state before, and its file either absent or complete);
- the writer succeeds and its edit lands on the state the reader saw (nothing committed earlier
  is lost, every stored file matches its SHA-256);
- nothing was renamed aside (no `外来`), and after the writer nothing but the project, its inputs
  and the exports lies in the folder — whatever the journal's side files are called;
- a command failed by an injected error (`ENOSPC`, `EIO`, `EFBIG`, from call N on) exits 0 only
  when it did its work, else 2 with one Chinese line and no traceback.

Used by `tests/faults/test_crash_matrix.py` (a CI sample) and `scripts/crash_sweep.py` (the full
sweep). Linux only: strace, /proc.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FAULTS = Path(__file__).resolve().parent
PY = sys.executable
PROJECT = "项目.csrproj"
NEXT_FILE = "next.txt"  # what the writer after each point attaches
SYSCALLS = ("pwrite64", "write", "fdatasync", "fsync", "ftruncate", "rename", "unlink")
# `write` is left out of the error variants: the Chinese message itself goes out with write(2).
ERROR_SYSCALLS = ("pwrite64", "fdatasync", "fsync", "ftruncate")
ERRORS = ("ENOSPC", "EIO", "EFBIG")
KILL = "KILL"
NONE = "none"  # no injection: the scenario's own limit (ulimit -f) is the fault
CJK = re.compile(r"[\u4e00-\u9fff]")
TIMEOUT = 300


def env() -> dict[str, str]:
    e = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    e["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), e.get("PYTHONPATH", "")]))
    return e


@dataclass
class Result:
    rc: int
    out: str
    err: str

    def line(self) -> str:
        """The first stderr line, for a report."""
        lines = [ln for ln in self.err.splitlines() if ln.strip()]
        return lines[-1][:160] if lines else ""


def run(
    argv: Sequence[str],
    cwd: Path,
    *,
    inject: str | None = None,
    fsize: int | None = None,
    timeout: float = TIMEOUT,
    script: bool = False,
) -> Result:
    """Run `python -m csr_desktop ARGV` (or a script) in `cwd`, optionally under strace."""
    cmd = [PY, *argv] if script else [PY, "-m", "csr_desktop", *argv]
    if inject is not None:
        sc = inject.split(":", 1)[0]
        cmd = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={sc}", "-e",
               f"inject={inject}", "--", *cmd]  # fmt: skip

    def limit() -> None:
        if fsize is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    try:
        p = subprocess.run(
            cmd, cwd=cwd, env=env(), capture_output=True, timeout=timeout,
            preexec_fn=limit if fsize is not None else None,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        return Result(-1000, "", f"timeout after {timeout}s: {exc}")
    return Result(
        p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    )


def count_calls(argv: Sequence[str], cwd: Path, syscall: str, *, script: bool = False) -> int:
    """How many times one thread of the command calls `syscall` (strace counts per tracee)."""
    trace = cwd.parent / f".{cwd.name}.strace"
    cmd = [PY, *argv] if script else [PY, "-m", "csr_desktop", *argv]
    subprocess.run(
        ["strace", "-f", "-qq", "-o", str(trace), "-e", f"trace={syscall}", "--", *cmd],
        cwd=cwd, env=env(), capture_output=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    per_tid: dict[str, int] = {}
    for line in trace.read_text(errors="replace").splitlines():
        tid, _, rest = line.partition(" ")
        if rest.lstrip().startswith(f"{syscall}(") or rest.lstrip().startswith(f"<... {syscall}"):
            if "resumed>" in rest:
                continue
            per_tid[tid] = per_tid.get(tid, 0) + 1
    trace.unlink()
    return max(per_tid.values(), default=0)


def points(count: int, every: int = 1, last: int = 40) -> list[int]:
    """Every call (every=1), or every K-th plus the last `last` ones of a long command."""
    if every <= 1 or count <= last:
        return list(range(1, count + 1))
    return sorted(set(range(every, count + 1, every)) | set(range(max(1, count - last + 1),
                                                                   count + 1)))  # fmt: skip


# ---- scenarios ---------------------------------------------------------------------------


@dataclass
class Scenario:
    """One command and the folder it runs in; `kind` says what its invariant is."""

    name: str
    argv: list[str]
    kind: str  # "edit" | "create" | "export" | "session"
    prepare: Callable[[Path], None] = lambda folder: None
    project: str = PROJECT
    outputs: tuple[str, ...] = ()  # export files, relative to the folder
    unchanged: tuple[str, ...] = ()  # other projects the command must leave as they were
    long: bool = False  # sweep every K-th call plus the last 40
    every: int = 0  # K for this long command (0: the sweep's)
    script: bool = False  # argv[0] is a script, not a csr_desktop subcommand
    fsize: int | None = None  # RLIMIT_FSIZE for the faulted run (FAT32's 4 GiB stand-in)


def _random_file(path: Path, size: int, seed: int = 0) -> None:
    import random

    rng = random.Random(seed)
    block = rng.randbytes(1 << 20)
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            fh.write(block[: min(left, len(block))])
            left -= len(block)
            block = block[1:] + block[:1]


def _edited_workbook(folder: Path) -> None:
    """Export the 自评表 and change what a colleague changes: the 备注 of a few rows, long
    enough that the import grows the project file (its commit then writes past the old end)."""
    from openpyxl import load_workbook

    book = folder / "自评表.xlsx"
    res = run(["export", PROJECT, "--xlsx", book.name], folder)
    assert res.rc == 0, res.err
    wb = load_workbook(book)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        if isinstance(row[0].value, int) and row[0].value in (2, 9, 17, 21, 25):
            row[6].value = f"部门修改：第{row[0].value}项已核对。" * 400
            row[6].data_type = "s"
    wb.save(book)


def scenarios(big_mb: int = 100) -> dict[str, Scenario]:
    """The commands of issue #21's crash matrix."""
    sess = str(FAULTS / "session_driver.py")
    out = "out"
    return {
        s.name: s
        for s in [
            Scenario("attach-1mb", ["attach", PROJECT, "3", "one.bin"], "edit",
                     lambda f: _random_file(f / "one.bin", 1_000_000)),
            Scenario(f"attach-{big_mb}mb", ["attach", PROJECT, "4", "big.bin"], "edit",
                     lambda f: _random_file(f / "big.bin", big_mb << 20, 1), long=True),
            Scenario("import-xlsx", ["import-xlsx", "自评表.xlsx", PROJECT], "edit",
                     _edited_workbook),
            Scenario("assign", ["assign", PROJECT, "法务部", "3", "5-7"], "edit"),
            Scenario("new-year", ["new-year", PROJECT, "新年度.csrproj"], "create",
                     project="新年度.csrproj", unchanged=(PROJECT,), long=True, every=10),
            Scenario("load", ["load", "in/sample.json", "载入.csrproj"], "create",
                     project="载入.csrproj", long=True, every=10),
            Scenario("export-xlsx", ["export", PROJECT, "--xlsx", f"{out}/自评表.xlsx"],
                     "export", outputs=(f"{out}/自评表.xlsx",)),
            Scenario("export-pdf", ["export", PROJECT, "--pdf", f"{out}/承诺书.pdf"],
                     "export", outputs=(f"{out}/承诺书.pdf",)),
            Scenario("export-document", ["export", PROJECT, "--document", f"{out}/自评材料.pdf"],
                     "export", outputs=(f"{out}/自评材料.pdf",)),
            Scenario("export-docx", ["export", PROJECT, "--docx", f"{out}/自评材料.docx"],
                     "export", outputs=(f"{out}/自评材料.docx",)),
            Scenario("export-package", ["export", PROJECT, "--package", f"{out}/材料包.zip"],
                     "export", outputs=(f"{out}/材料包.zip",)),
            Scenario("session", [sess, PROJECT, "--edits", "30"], "session", script=True),
            Scenario("attach-1mb-fat32", ["attach", PROJECT, "3", "one.bin"], "edit",
                     lambda f: _random_file(f / "one.bin", 1_000_000), fsize=2_000_000),
        ]
    }  # fmt: skip


def make_base(folder: Path) -> Path:
    """The project every scenario starts from: 28 answered indicators, one small file each."""
    from csr_desktop.formats import interchange
    from csr_desktop.sample import build_interchange

    folder.mkdir(parents=True, exist_ok=True)
    src = build_interchange(folder / "in", evidence_per_indicator=1, evidence_bytes=20_000)
    interchange.load(src, folder / PROJECT)
    (folder / NEXT_FILE).write_text("下一条命令附上的文件\n", encoding="utf-8")
    (folder / "out").mkdir()
    return folder


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir()}


def read_state(folder: Path, project: str) -> dict[str, Any] | None:
    """The project's state as `state_of.py` reads it (None if it does not open)."""
    res = run([str(FAULTS / "state_of.py"), project], folder, script=True, timeout=120)
    if res.rc != 0:
        return None
    state: dict[str, Any] = json.loads(res.out)
    return state


def writer_argv(project: str) -> list[str]:
    return ["attach", project, "28", NEXT_FILE]


def complete(path: Path) -> bool:
    """A whole export file: its zip or PDF structure reads to the end."""
    import zipfile

    try:
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            return len(PdfReader(path).pages) >= 1
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is None
    except Exception:
        return False


@dataclass
class Template:
    """A scenario's prepared folder, with the states its invariant allows."""

    scenario: Scenario
    folder: Path
    files: set[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    # state the reader saw -> state after the writer, keyed by json of the former
    written: dict[str, dict[str, Any]] = field(default_factory=dict)
    unchanged: dict[str, Any] = field(default_factory=dict)


def _key(state: dict[str, Any] | None) -> str:
    return json.dumps(state, ensure_ascii=False, sort_keys=True)


def prepare(scenario: Scenario, base: Path, work: Path) -> Template:
    """Copy the base, add the scenario's inputs, and learn the before/after states."""
    folder = work / f"{scenario.name}.template"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(base, folder)
    scenario.prepare(folder)
    files = _files(folder)
    before = read_state(folder, scenario.project) if (folder / scenario.project).exists() else None
    unchanged = {p: read_state(folder, p) for p in scenario.unchanged}
    trial = work / f"{scenario.name}.trial"
    after: dict[str, Any] | None = before
    written: dict[str, dict[str, Any]] = {}
    if scenario.kind != "session":
        _fresh(folder, trial)
        res = run(scenario.argv, trial, script=scenario.script)
        assert res.rc == 0, f"{scenario.name}: {res.err}"
        after = read_state(trial, scenario.project)
        assert after is not None, scenario.name
        for state, where in ((before, folder), (after, trial)):
            if state is None:
                continue
            w = work / f"{scenario.name}.written"
            _fresh(where, w)
            res = run(writer_argv(scenario.project), w)
            assert res.rc == 0, res.err
            ws = read_state(w, scenario.project)
            assert ws is not None
            written[_key(state)] = ws
            shutil.rmtree(w)
        shutil.rmtree(trial)
    return Template(scenario, folder, files, before, after, written, unchanged)


def _fresh(src: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest)


# ---- one point -----------------------------------------------------------------------------


@dataclass
class Outcome:
    syscall: str
    action: str
    n: int
    rc: int
    problems: list[str]
    reached: bool = True

    @property
    def held(self) -> bool:
        return not self.problems


def _foreign(folder: Path) -> list[str]:
    return [p for p in _files(folder) if "外来" in p]


def check_session(lines: Iterable[str], state: dict[str, Any], base: dict[str, Any]) -> list[str]:
    """Every edit the driver printed as saved is in `state` (the in-flight one may be too)."""
    from tests.faults.session_driver import indicator, value

    printed = [ln.split() for ln in lines if ln.startswith(("saved ", "rated "))]
    last = max((int(p[1]) for p in printed), default=-1)
    inflight = last + 1
    want_text: dict[int, int] = {}
    want_rating: dict[int, int] = {}
    for p in printed:
        i, no = int(p[1]), int(p[2])
        if p[0] == "saved":
            want_text[no] = i
        else:
            want_rating[no] = int(p[3])
    problems = []
    inds = {ind["no"]: ind for ind in state["dump"]["indicators"]}
    base_inds = {ind["no"]: ind for ind in base["dump"]["indicators"]}
    fly_no = indicator(inflight)
    fly_rating = inflight % 3 == 2
    for no, ind in inds.items():
        allowed_text = {value(want_text[no])} if no in want_text else {base_inds[no]["narrative"]}
        allowed_rating = {want_rating.get(no, base_inds[no]["rating"])}
        if no == fly_no:
            if fly_rating:
                allowed_rating.add(inflight % 5 + 1)
            else:
                allowed_text.add(value(inflight))
        if ind["narrative"] not in allowed_text:
            problems.append(f"第{no}项 narrative lost: {ind['narrative'][:20]!r}")
        if ind["rating"] not in allowed_rating:
            problems.append(f"第{no}项 rating {ind['rating']} not {sorted(allowed_rating)}")
    return problems[:3]


def try_point(t: Template, work: Path, syscall: str, action: str, n: int) -> Outcome:
    """Fault the command at call n, run the next commands, and judge the invariant."""
    scn = t.scenario
    folder = work / f"{scn.name}.run"
    _fresh(t.folder, folder)
    how = "signal=KILL" if action == KILL else f"error={action}"
    when = f"{n}" if action == KILL else f"{n}+"
    inject = None if action == NONE else f"{syscall}:{how}:when={when}"
    res = run(scn.argv, folder, inject=inject, script=scn.script, fsize=scn.fsize)
    o = Outcome(syscall, action, n, res.rc, [])
    p = o.problems
    if action == KILL:
        o.reached = res.rc != 0
        if res.rc not in (0, -9):
            p.append(f"exit {res.rc}: {res.line()}")
    elif scn.kind == "session":
        pass  # the driver stops at the failing `set` (the window shows it); judged by its lines
    elif res.rc == 2:
        if not CJK.search(res.err) or "Traceback" in res.err:
            p.append(f"exit 2 without a Chinese line: {res.line()}")
    elif res.rc != 0:
        p.append(f"exit {res.rc}: {res.line()}")
    if f := _foreign(folder):
        p.append(f"renamed aside: {f}")
    proj = folder / scn.project
    if scn.kind == "create" and not proj.exists():
        retry = run(scn.argv, folder, script=scn.script)
        if retry.rc != 0:
            p.append(f"retry exit {retry.rc}: {retry.line()}")
    if scn.kind == "export":
        for out in scn.outputs:
            if (folder / out).exists() and not complete(folder / out):
                p.append(f"incomplete {out} after the fault")
        retry = run(scn.argv, folder, script=scn.script)
        if retry.rc != 0:
            p.append(f"retry exit {retry.rc}: {retry.line()}")
    # the reader
    reader = run(["dump", scn.project], folder, timeout=120)
    if reader.rc != 0:
        p.append(f"dump exit {reader.rc}: {reader.line()}")
    seen = read_state(folder, scn.project)
    if seen is None:
        if not p:
            p.append("project does not open")
    elif scn.kind == "session":
        p.extend(check_session(res.out.splitlines(), seen, t.before or {}))
    else:
        if reader.rc == 0 and json.loads(reader.out) != seen["dump"]:
            p.append("dump differs from the state read in-process")
        allowed = [t.after] if scn.kind == "create" else [t.before]
        if scn.kind == "edit":
            allowed.append(t.after)
        if seen not in allowed:
            p.append(_which(seen, t))
        elif action != KILL and res.rc == 0 and seen != t.after:
            p.append("exit 0 but the command's work is not in the project")
    for other, state in t.unchanged.items():
        if read_state(folder, other) != state:
            p.append(f"{other} changed")
    # the writer
    w = run(writer_argv(scn.project), folder, timeout=120)
    if w.rc != 0:
        p.append(f"writer exit {w.rc}: {w.line()}")
    elif seen is not None and scn.kind != "session":
        want = t.written.get(_key(seen))
        if want is not None and read_state(folder, scn.project) != want:
            p.append("after the writer the project lost what the reader saw")
    elif seen is not None:
        again = read_state(folder, scn.project)
        if again is None:
            p.append("does not open after the writer")
        else:
            p.extend(f"after writer: {x}" for x in check_session(res.out.splitlines(), again,
                                                                t.before or {}))  # fmt: skip
    if f := _foreign(folder):
        p.append(f"renamed aside: {f}")
    left = _files(folder) - t.files - {scn.project, *scn.outputs}
    if left:
        p.append(f"leftovers: {sorted(left)}")
    if scn.kind == "export":
        for out in scn.outputs:
            if not complete(folder / out):
                p.append(f"{out} missing or incomplete after the retry")
    shutil.rmtree(folder, ignore_errors=True)
    return o


def _which(seen: dict[str, Any], t: Template) -> str:
    """Say how a state differs from before/after, briefly."""
    ref = t.after if t.after is not None else t.before
    if ref is None:
        return "state neither before nor after"
    diffs = [k for k in ("dump", "extra", "intact") if seen.get(k) != ref.get(k)]
    bad = [h for h, ok in seen.get("intact", {}).items() if not ok]
    return f"state neither before nor after (differs in {diffs}; {len(bad)} files damaged)"


# ---- a sweep -------------------------------------------------------------------------------


@dataclass
class Report:
    scenario: str
    calls: dict[str, int] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def tried(self) -> int:
        return sum(1 for o in self.outcomes if o.reached)

    @property
    def held(self) -> int:
        return sum(1 for o in self.outcomes if o.reached and o.held)

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.problems]

    def leftovers_only(self) -> int:
        """Failures that lost nothing and broke nothing: only files left in the folder."""
        return sum(1 for o in self.failures() if all(x.startswith("leftovers") for x in o.problems))

    def lines(self) -> list[str]:
        calls = " ".join(f"{k}={v}" for k, v in self.calls.items())
        out = [f"{self.scenario}: {self.held}/{self.tried} points hold the invariant "
               f"({len(self.failures()) - self.leftovers_only()} failures of the project, "
               f"{self.leftovers_only()} of leftovers only; {len(self.outcomes)} runs, "
               f"{self.seconds:.0f} s; calls: {calls})"]  # fmt: skip
        for o in self.failures():
            out.append(f"  {o.syscall}:{o.action}:N={o.n} rc={o.rc}: {'; '.join(o.problems)}")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "calls": self.calls,
            "tried": self.tried,
            "held": self.held,
            "leftovers_only": self.leftovers_only(),
            "seconds": round(self.seconds, 1),
            "failures": [
                {"syscall": o.syscall, "action": o.action, "n": o.n, "rc": o.rc,
                 "problems": o.problems}
                for o in self.failures()
            ],
        }  # fmt: skip


def plan(
    t: Template,
    work: Path,
    syscalls: Sequence[str],
    actions: Sequence[str],
    every: int = 1,
    last: int = 40,
    pick: Callable[[str, str, list[int]], list[int]] | None = None,
) -> tuple[dict[str, int], list[tuple[str, str, int]]]:
    """Count each syscall's calls and list the (syscall, action, N) points to try."""
    scn = t.scenario
    calls: dict[str, int] = {}
    todo: list[tuple[str, str, int]] = []
    probe = work / f"{scn.name}.count"
    for sc in syscalls:
        _fresh(t.folder, probe)
        calls[sc] = count_calls(scn.argv, probe, sc, script=scn.script)
        shutil.rmtree(probe)
        every_sc = (scn.every or every) if scn.long else 1
        ns = points(calls[sc], every_sc, last)
        for action in actions:
            if action != KILL and sc not in ERROR_SYSCALLS:
                continue
            # an error from call N on fails the rest too: the last `last` calls cover the close
            at = ns if action == KILL else points(calls[sc])[-last:]
            chosen = pick(sc, action, at) if pick else at
            todo.extend((sc, action, n) for n in chosen)
    return calls, todo


def sweep(
    t: Template,
    work: Path,
    syscalls: Sequence[str] = SYSCALLS,
    actions: Sequence[str] = (KILL,),
    every: int = 1,
    last: int = 40,
    pick: Callable[[str, str, list[int]], list[int]] | None = None,
    echo: Callable[[str], None] | None = None,
) -> Report:
    started = time.monotonic()
    calls, todo = plan(t, work, syscalls, actions, every, last, pick)
    report = Report(t.scenario.name, calls)
    for sc, action, n in todo:
        o = try_point(t, work, sc, action, n)
        report.outcomes.append(o)
        if echo is not None and o.problems:
            echo(f"  {t.scenario.name} {sc}:{action}:N={n} rc={o.rc}: {'; '.join(o.problems)}")
    report.seconds = time.monotonic() - started
    return report


def sample_pick(
    wide: tuple[str, ...] = ("pwrite64", "fdatasync"),
) -> Callable[[str, str, list[int]], list[int]]:
    """CI's sample: the last call (a command's close: its checkpoint or final commit), and for
    the `wide` syscalls one more chosen by a fixed hash, so every run tries the same points."""
    import hashlib

    def pick(syscall: str, action: str, ns: list[int]) -> list[int]:
        if not ns:
            return []
        if action != KILL or syscall not in wide:
            return ns[-1:]
        ranked = sorted(ns[:-1], key=lambda n: hashlib.sha256(f"{syscall}{n}".encode()).digest())
        return sorted({ns[-1], *ranked[:1]})

    return pick
