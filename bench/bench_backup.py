"""Backups of a 1 GB project (issue #30) against `cp` of the project file, in the same run:

- the first backup (every evidence file copied and hashed): target ≤ 1.5× `cp`;
- a backup after one edit, evidence unchanged: target ≤ 2 s and ≤ 5 MB of new bytes;
- restore into a new project (every evidence file's hash checked): target ≤ 1.5× `cp`.

    .venv/bin/python bench/bench_backup.py [--size-mb 1024] [--files 16] [--tiny]

Each side is the real command (`python -m csr_desktop backup|restore`, start-up included),
interleaved with `cp` over three rounds; medians. The project holds `--files` evidence files
(a real project has many; the backup and the restore hash several files at once).
`--tiny` (CI smoke): 8 MB.

`cp` reads the project from the page cache and leaves its copy there; the backup and the
restore make their files durable, and a restore reads a store the backup wrote past the cache
(direct.py), weeks old in real use. So where the page cache can be dropped (root on Linux) five
more rounds compare like with like: each side starts with an empty cache and ends durable, the
baseline being `cp` + `sync` of the project.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import REPO, alternating, report_ratio

BUILD = """
import sys
from pathlib import Path
from csr_desktop.core.store import Project
from csr_desktop.sample import build_interchange
from csr_desktop.formats import interchange
project, folder, files = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
interchange.load(build_interchange(folder / "in", evidence_per_indicator=1), project)
with Project.open(project) as p:
    for n, f in enumerate(files):
        p.add_evidence_files(1 + n % 28, [Path(f)])
"""
EDIT = """
import sys
from pathlib import Path
from csr_desktop.core.store import Project
with Project.open(Path(sys.argv[1])) as p:
    p.set("company.contact", "bench " + sys.argv[2])
"""


CPU: dict[str, list[float]] = {}


def run(args: list[str], side: str = "") -> tuple[float, str]:
    """Wall time; the child's CPU time (user + system) is kept per side in CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if side:
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        CPU.setdefault(side, []).append(cpu)
    return wall, done.stdout


def copy_cmd(project: Path, copy: Path, durable: bool) -> list[str]:
    """`cp` of the project, then `sync` of the copy when `durable`."""
    sync = f' && sync "{copy}"' if durable else ""
    return ["sh", "-c", f'cp "{project}" "{copy}"{sync}']


def backup_path(out: str) -> str:
    """The new backup's file, from what `csr-desktop backup` printed."""
    return re.search(r"（(.+\.csrbak)）", out)[1]


def drop_caches() -> bool:
    """Empty the page cache (dirty pages written first); False where this user may not."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("3")
    except OSError:
        return False
    return True


def cold_rounds(project: Path, root: Path) -> dict[str, list[float]]:
    """First backup, restore and `cp` + `sync`, each from an empty page cache (five rounds:
    this disk's cold reads vary more than its cached ones)."""
    cold: dict[str, list[float]] = {"cp+sync": [], "first": [], "restore": []}
    if not drop_caches():
        return cold
    for round_no in range(5):
        store = root / f"cold{round_no}"
        for side in alternating(round_no, ["cp+sync", "backup"]):
            drop_caches()
            if side == "cp+sync":
                copy = root / "copy.csrproj"
                seconds, _ = run(copy_cmd(project, copy, durable=True))
                cold["cp+sync"].append(seconds)
                copy.unlink()
                continue
            seconds, out = run(cli("backup", project, "--to", store))
            cold["first"].append(seconds)
            drop_caches()
            dest = root / "restored.csrproj"
            seconds, _ = run(cli("restore", backup_path(out), dest))
            cold["restore"].append(seconds)
            dest.unlink()
        shutil.rmtree(store)
    return cold


def edit_latency(project: Path, store: Path | None) -> tuple[float, float, int]:
    """Median and 95th percentile (ms) of one durable edit, typed every 20 ms, while a first
    backup runs in another process (store given) or not; and how many edits were timed."""
    from csr_desktop.core.store import Project

    proc = None
    if store is not None:
        proc = subprocess.Popen(
            cli("backup", project, "--to", store),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    samples: list[float] = []
    with Project.open(project) as p:
        n = 0
        while (proc is not None and proc.poll() is None) or (proc is None and n < 200):
            t = time.perf_counter()
            p.set("indicator.1.remark", f"latency {n}")
            samples.append((time.perf_counter() - t) * 1000)
            n += 1
            time.sleep(0.02)
    if proc is not None and proc.wait() != 0:
        raise SystemExit("the backup under load failed")
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)], len(samples)


def cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "csr_desktop", *map(str, args)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--tiny", action="store_true", help="CI smoke: 8 MB")
    args = parser.parse_args()
    size_mb = 8 if args.tiny else args.size_mb
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP", "/var/tmp")) as tmp:
        root = Path(tmp)
        per_file = max(1, size_mb // args.files)
        sources = []
        for n in range(args.files):
            src = root / f"材料{n:02d}.bin"
            with open(src, "wb") as fh:
                for _ in range(per_file):
                    fh.write(os.urandom(1 << 20))
            sources.append(src)
        project = root / "p.csrproj"
        subprocess.run(
            [sys.executable, "-c", BUILD, str(project), str(root), *map(str, sources)],
            check=True,
            cwd=REPO,
        )
        for src in sources:
            src.unlink()
        project_mb = project.stat().st_size / 1e6
        times: dict[str, list[float]] = {
            "cp": [],
            "cp+sync": [],
            "first": [],
            "again": [],
            "restore": [],
        }
        new_bytes: list[int] = []
        for round_no in range(3):
            store = root / f"store{round_no}"
            backup: str | None = None
            for side in alternating(round_no, ["cp", "cp+sync", "backup", "restore"]):
                if side in ("cp", "cp+sync"):
                    copy = root / "copy.csrproj"
                    seconds, _ = run(copy_cmd(project, copy, side == "cp+sync"), side)
                    times[side].append(seconds)
                    copy.unlink()
                elif side == "backup" or backup is None:
                    seconds, out = run(cli("backup", project, "--to", store), "first")
                    times["first"].append(seconds)
                    subprocess.run(
                        [sys.executable, "-c", EDIT, str(project), str(round_no)],
                        check=True,
                        cwd=REPO,
                    )
                    seconds, out = run(cli("backup", project, "--to", store), "again")
                    times["again"].append(seconds)
                    new_bytes.append(int(re.search(r"新增 ([\d,]+) 字节", out)[1].replace(",", "")))
                    backup = backup_path(out)
                    if side == "restore":
                        side = "restore-after"
                if side in ("restore", "restore-after"):
                    dest = root / "restored.csrproj"
                    assert backup is not None
                    seconds, _ = run(cli("restore", backup, dest), "restore")
                    times["restore"].append(seconds)
                    dest.unlink()
            shutil.rmtree(store)
        quiet = edit_latency(project, None)
        busy = edit_latency(project, root / "store-latency")
        cold = {} if args.tiny else cold_rounds(project, root)  # last: it empties the cache
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    cp_s, durable = med["cp"], med["cp+sync"]
    worst_new = max(new_bytes)
    print(f"backups of a {project_mb:.0f} MB project ({args.files} evidence files), medians of 3")
    for side, name in (
        ("cp", "cp of the project"),
        ("cp+sync", "cp + sync (durable)"),
        ("first", "first backup"),
        ("again", "backup, evidence same"),
        ("restore", "restore"),
    ):
        print(
            f"  {name:22} {med[side]:7.2f} s  CPU {cpu[side]:6.2f} s  "
            f"{med[side] / cp_s:5.2f}x cp  {med[side] / durable:5.2f}x cp+sync"
        )
    cold_med = {k: statistics.median(v) for k, v in cold.items() if v}
    if cold_med:
        base = cold_med["cp+sync"]
        print("  from an empty page cache, each side durable (medians of 5):")
        for side, name in (
            ("cp+sync", "cp + sync"),
            ("first", "first backup"),
            ("restore", "restore"),
        ):
            print(f"    {name:20} {cold_med[side]:7.2f} s  {cold_med[side] / base:5.2f}x cp+sync")
    print(f"  new bytes of the backup with evidence unchanged: {worst_new:,} (max)")
    print(f"  edit latency alone:           median {quiet[0]:.2f} ms, p95 {quiet[1]:.2f} ms")
    print(
        f"  edit latency during a backup: median {busy[0]:.2f} ms, p95 {busy[1]:.2f} ms "
        f"({busy[2]} edits)"
    )
    ok = (
        med["first"] <= 1.5 * cp_s
        and med["restore"] <= 1.5 * cp_s
        and med["again"] <= 2
        and worst_new <= 5_000_000
    )
    print("PASS" if ok else "FAIL (see targets above)")
    report_ratio(
        "backup_first",
        med["first"] / cp_s,
        f"{med['first']:.2f} s vs `cp` {cp_s:.2f} s = **{med['first'] / cp_s:.2f}×** "
        f"({med['first'] / durable:.2f}× `cp` + `sync`, which it matches in durability; CPU "
        f"{cpu['first']:.1f} s vs {cpu['cp']:.1f} s: every byte hashed; "
        f"{project_mb:.0f} MB project, {args.files} evidence files)",
    )
    report_ratio(
        "backup_unchanged",
        med["again"] / cp_s,
        f"**{med['again']:.2f} s**, **{worst_new / 1e6:.2f} MB** new "
        f"({med['again'] / cp_s:.2f}× `cp` of the project)",
    )
    report_ratio(
        "backup_edit_latency",
        busy[0] / quiet[0],
        f"median {busy[0]:.2f} ms vs {quiet[0]:.2f} ms = **{busy[0] / quiet[0]:.2f}×**, p95 "
        f"{busy[1]:.2f} ms vs {quiet[1]:.2f} ms ({busy[2]} edits, one every 20 ms, during a "
        "first backup in another process)",
    )
    report_ratio(
        "restore",
        med["restore"] / cp_s,
        f"{med['restore']:.2f} s vs `cp` {cp_s:.2f} s = **{med['restore'] / cp_s:.2f}×** "
        f"({med['restore'] / durable:.2f}× `cp` + `sync`; CPU {cpu['restore']:.1f} s), "
        "every evidence file's SHA-256 checked",
    )
    if cold_med:
        base = cold_med["cp+sync"]
        for side, name, what in (
            ("first", "backup_first_cold", "first backup"),
            ("restore", "restore_cold", "restore"),
        ):
            report_ratio(
                name,
                cold_med[side] / base,
                f"{what} {cold_med[side]:.2f} s vs `cp` + `sync` {base:.2f} s = "
                f"**{cold_med[side] / base:.2f}×**, both from an empty page cache",
            )


if __name__ == "__main__":
    main()
