"""Power cuts, readers beside a writer, and reboots (issue #21), for the crash matrix.

A power cut is taken literally: the project lies on a small ext4 image mounted through a loop
device; the writer is frozen (SIGSTOP) and the image file is copied. What the loop device has
received — everything the app synced, and whatever the kernel happened to write back — is in the
copy; what sat only in the page cache is not, exactly as after a cut. The copy is checked with
`fsck.ext4`, mounted, and every edit the writer had printed as saved must be in it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tests.faults import crashpoints as cp

DRIVER = str(cp.FAULTS / "session_driver.py")


def loop_mount_works() -> str:
    """'' when this machine can mount a loop ext4 image, else why not."""
    if os.geteuid() != 0:
        return "needs root (mount -o loop)"
    if not shutil.which("mkfs.ext4") or not shutil.which("fsck.ext4"):
        return "needs e2fsprogs"
    with tempfile.TemporaryDirectory(prefix="csr-loop-probe-") as d:
        try:
            with mounted_image(Path(d) / "probe.img", 8):
                return ""
        except (OSError, subprocess.CalledProcessError) as exc:
            return f"loop mount failed: {exc}"


def _sh(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, capture_output=True, check=True, timeout=120)


@contextmanager
def mounted_image(image: Path, mb: int, *, create: bool = True, ro: bool = False) -> Iterator[Path]:
    """Mount `image` (created as an empty ext4 of `mb` MB) on a fresh folder beside it."""
    if create:
        with open(image, "wb") as fh:
            fh.truncate(mb << 20)
        _sh("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", str(image))
    mnt = image.with_name(image.name + ".mnt")
    mnt.mkdir(exist_ok=True)
    opts = "loop,ro,noload" if ro else "loop"
    _sh("mount", "-o", opts, str(image), str(mnt))
    try:
        yield mnt
    finally:
        for _ in range(20):
            if subprocess.run(["umount", str(mnt)], capture_output=True).returncode == 0:
                break
            time.sleep(0.2)
        with suppress(OSError):
            mnt.rmdir()


@dataclass
class Cut:
    """What one power cut found."""

    moment: str
    saved: int  # edits the writer had printed as saved
    problems: list[str] = field(default_factory=list)


class Driver:
    """The editing session in a child process, read line by line."""

    def __init__(self, project: Path, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [cp.PY, DRIVER, str(project), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=cp.env(),
            text=True,
            encoding="utf-8",
        )
        self.lines: list[str] = []

    @property
    def out(self) -> IO[str]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def until(self, predicate: Any, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.out.readline()
            if not line:
                err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"driver ended early: {err[-500:]}")
            self.lines.append(line.strip())
            if predicate(line.strip()):
                return
        raise AssertionError("driver too slow")

    def freeze(self) -> None:
        """SIGSTOP, then collect every line printed before it."""
        with suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGSTOP)
        os.set_blocking(self.out.fileno(), False)
        with suppress(TypeError, OSError):
            rest = self.out.read()
            if rest:
                self.lines.extend(x.strip() for x in rest.splitlines())

    def kill(self) -> None:
        with suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)
        with suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGCONT)
        self.proc.wait(timeout=30)

    @property
    def saved(self) -> int:
        return sum(1 for ln in self.lines if ln.startswith(("saved ", "rated ")))


def power_cut(base: Path, work: Path, moment: str, big_mb: int = 30) -> Cut:
    """Freeze the writer at `moment`, copy the disk, and check the copy.

    moment: "after-open" (a few edits right after opening), "mid-typing" (after ~150 edits),
    "mid-attach" (halfway through copying a big file, edits before it); "after-close" is the
    control: the session closed normally before the cut, which any design must survive.
    """
    folder = work / f"cut-{moment}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    image = folder / "disk.img"
    copy = folder / "copy.img"
    big = folder / "big.bin"
    extra = ["--forever", "--pause", "0.005"]
    if moment == "mid-attach":
        cp._random_file(big, big_mb << 20, 2)
        extra = ["--forever", "--attach", str(big), "--attach-at", "20"]
    if moment == "after-close":
        extra = ["--edits", "20"]
    mb = 64 + 3 * big_mb
    base_state = cp.read_state(base, cp.PROJECT)
    assert base_state is not None
    cut = Cut(moment, 0)
    with mounted_image(image, mb) as mnt:
        shutil.copy(base / cp.PROJECT, mnt / cp.PROJECT)
        shutil.copy(base / cp.NEXT_FILE, mnt / cp.NEXT_FILE)
        os.sync()  # the project itself is on the disk before the session starts
        driver = Driver(mnt / cp.PROJECT, *extra)
        try:
            if moment == "after-close":
                driver.until(lambda ln: ln == "closed")
                driver.proc.wait(timeout=60)
            elif moment == "after-open":
                driver.until(lambda ln: ln.startswith("saved 4 "))
            elif moment == "mid-typing":
                driver.until(lambda ln: ln.startswith("saved 150 "))
            else:
                half = (big_mb << 20) // 2

                def halfway(ln: str) -> bool:
                    return ln.startswith("progress") and int(ln.split()[1]) >= half

                driver.until(halfway)
            if moment != "after-close":
                driver.freeze()
            shutil.copyfile(image, copy)  # the cut: what reached the disk, nothing more
        finally:
            driver.kill()  # the pid is dead, as after a reboot
    cut.saved = driver.saved
    fsck = subprocess.run(["fsck.ext4", "-fy", str(copy)], capture_output=True, timeout=300)
    if fsck.returncode >= 4:
        cut.problems.append(f"fsck exit {fsck.returncode}")
    seen = folder / "after"
    with mounted_image(copy, mb, create=False, ro=True) as ro:
        # a reader straight on the read-only copy (what another PC or a backup tool sees)
        res = cp.run(["dump", cp.PROJECT], ro, timeout=120)
        if res.rc != 0:
            cut.problems.append(f"dump on the read-only copy: exit {res.rc}: {res.line()}")
        else:
            state = {"dump": json.loads(res.out)}
            cut.problems.extend(f"read-only copy: {p}" for p in
                                cp.check_session(driver.lines, state, base_state))  # fmt: skip
        shutil.copytree(ro, seen, ignore=shutil.ignore_patterns("lost+found"))
    # the user's next day: a reader, then a writer, on the files as the cut left them
    res = cp.run(["dump", cp.PROJECT], seen, timeout=120)
    if res.rc != 0:
        cut.problems.append(f"dump: exit {res.rc}: {res.line()}")
    w = cp.run(cp.writer_argv(cp.PROJECT), seen, timeout=120)
    if w.rc != 0:
        cut.problems.append(f"writer: exit {w.rc}: {w.line()}")
    state2 = cp.read_state(seen, cp.PROJECT)
    if state2 is None:
        cut.problems.append("does not open after the writer")
    else:
        cut.problems.extend(cp.check_session(driver.lines, state2, base_state))
    names = sorted(p.name for p in seen.iterdir())
    if f := [n for n in names if "外来" in n]:
        cut.problems.append(f"renamed aside: {f}")
    if left := [n for n in names if n not in (cp.PROJECT, cp.NEXT_FILE)]:
        cut.problems.append(f"leftovers: {left}")
    shutil.rmtree(folder, ignore_errors=True)
    return cut


@dataclass
class Readers:
    """Readers in a loop while a writer copies a big file in."""

    reads: int = 0
    errors: list[str] = field(default_factory=list)
    other_states: int = 0
    writer_rc: int = 0


def readers_during_attach(base: Path, work: Path, mb: int, readers: int = 2) -> Readers:
    """`readers` loops of `dump` while `attach` copies `mb` MB in."""
    folder = work / "readers"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(base, folder)
    cp._random_file(folder / "big.bin", mb << 20, 3)
    argv = ["attach", cp.PROJECT, "5", "big.bin"]
    trial = work / "readers.trial"
    if trial.exists():
        shutil.rmtree(trial)
    shutil.copytree(folder, trial)
    assert cp.run(argv, trial).rc == 0
    after = json.loads(cp.run(["dump", cp.PROJECT], trial).out)
    shutil.rmtree(trial)
    before = json.loads(cp.run(["dump", cp.PROJECT], folder).out)
    r = Readers()
    writer = subprocess.Popen(
        [cp.PY, "-m", "csr_desktop", *argv],
        cwd=folder,
        env=cp.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def read_loop() -> None:
        while True:
            running = writer.poll() is None
            res = cp.run(["dump", cp.PROJECT], folder, timeout=120)
            with lock:
                r.reads += 1
                if res.rc != 0:
                    r.errors.append(res.line())
                elif json.loads(res.out) not in (before, after):
                    r.other_states += 1
            if not running:
                return

    lock = threading.Lock()
    loops = [threading.Thread(target=read_loop) for _ in range(readers)]
    for t in loops:
        t.start()
    for t in loops:
        t.join()
    r.writer_rc = writer.wait()
    if r.writer_rc == 0 and json.loads(cp.run(["dump", cp.PROJECT], folder).out) != after:
        r.errors.append("the attach's work is not in the project")
    shutil.rmtree(folder, ignore_errors=True)
    return r


def reboot(base: Path, work: Path, how: str) -> list[str]:
    """A writer killed after some edits; then "pid-reused" (its lock now names a live
    unrelated process: pid 1, another start time and boot) or "lock-deleted" (a user removed
    the lock by hand). The next writer must get in and keep every saved edit."""
    folder = work / f"reboot-{how}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(base, folder)
    base_state = cp.read_state(base, cp.PROJECT)
    assert base_state is not None
    driver = Driver(folder / cp.PROJECT, "--forever", "--pause", "0.002")
    try:
        driver.until(lambda ln: ln.startswith("saved 40 "))
        driver.freeze()
    finally:
        driver.kill()
    lock = next((p for p in folder.iterdir() if p.name.startswith(".~lock.")), None)
    problems: list[str] = []
    if how == "pid-reused":
        if lock is None:
            return ["no lock left by the killed writer"]
        info = json.loads(lock.read_text(encoding="utf-8"))
        info["pid"] = 1
        for key in list(info):
            if "boot" in key:
                info[key] = "00000000-0000-0000-0000-000000000000"
            elif "start" in key:
                info[key] = "1"
        lock.write_text(json.dumps(info), encoding="utf-8")
    elif lock is not None:
        lock.unlink()
    w = cp.run(cp.writer_argv(cp.PROJECT), folder, timeout=120)
    if w.rc != 0:
        problems.append(f"writer refused: exit {w.rc}: {w.line()}")
    res = cp.run(["dump", cp.PROJECT], folder, timeout=120)
    if res.rc != 0:
        problems.append(f"dump: exit {res.rc}: {res.line()}")
    state = cp.read_state(folder, cp.PROJECT)
    if state is None:
        problems.append("does not open")
    else:
        problems.extend(cp.check_session(driver.lines, state, base_state))
    names = sorted(p.name for p in folder.iterdir())
    if f := [n for n in names if "外来" in n]:
        problems.append(f"renamed aside: {f}")
    shutil.rmtree(folder, ignore_errors=True)
    return problems
