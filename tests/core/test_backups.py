"""Backups (issue #30) in the order a compliance officer meets them: edit, import the wrong
workbook, edit more, take a field back from its history; lose the project and restore it from a
backup; a backup killed half-way; the rotation over weeks (a fake clock)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csr_desktop.core import field_history
from csr_desktop.core.backups import files, rotation
from csr_desktop.core.backups.files import BackupError, blob_path
from csr_desktop.core.backups.listing import latest_for_path, list_folder
from csr_desktop.core.backups.restore import restore
from csr_desktop.core.backups.take import read_manifest, rotate, take_backup
from csr_desktop.core.errors import ProjectFileError
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import

TZ = dt.timezone(dt.timedelta(hours=8))


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


def dump(path: Path) -> dict:
    with Project.open(path, readonly=True) as p:
        return interchange.dump(p)


def test_the_officers_sequence_ends_with_the_field_and_the_project_back(
    sample_project: Path, sample_json: Path, tmp_path: Path
):
    store = tmp_path / "backups"
    clock = Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    key = "indicator.3.narrative"
    # a colleague's workbook from another project (a sister company's, sent by mistake)
    other = tmp_path / "other.csrproj"
    interchange.load(sample_json, other)
    with Project.open(other) as p:
        p.set(key, "别的项目的介绍：与本公司无关。")
        p.set("indicator.5.remark", "别的项目的备注")
    wrong = tmp_path / "别的项目.xlsx"
    with Project.open(other, readonly=True) as p:
        export_xlsx(p, wrong)

    with Project.open(sample_project) as p:
        for word in ("本公司", "本公司建立了", "本公司建立了社会责任委员会。"):
            p.set(key, word, coalesce=True)
        typed = p.get(key)
    first = take_backup(sample_project, store, clock=clock)
    at_backup = dump(sample_project)

    with Project.open(sample_project) as p:
        apply_import(p, plan_import(p, wrong))  # the wrong workbook
        assert p.get(key) == "别的项目的介绍：与本公司无关。"
        p.set("indicator.7.remark", "后来又改的备注")  # more edits after it
        history = field_history.versions(p, key)
        assert history[0].current and history[0].how.startswith("导入 别的项目.xlsx")
        mine = next(v for v in history if v.value == typed)
        assert mine.how == "手动输入" and mine.user == p.user
        assert mine.steps >= 2  # the typing steps read as one version
        assert field_history.restore_version(p, key, mine)
        assert p.get(key) == typed
        assert p.undo_label.startswith("恢复") and p.get("indicator.7.remark") == "后来又改的备注"
        assert p.audit_log()[-1].label.startswith("恢复")
        p.undo()  # a new undoable step
        assert p.get(key) == "别的项目的介绍：与本公司无关。"

    clock.advance(hours=1)
    second = take_backup(sample_project, store, clock=clock)
    assert second.new_files == 0 and second.reused_files == first.new_files
    at_second = dump(sample_project)

    sample_project.unlink()  # deleted from the share
    assert latest_for_path(sample_project, store).id == second.id
    back = tmp_path / "restored.csrproj"
    report = restore(second.path, back)
    assert report.files == first.new_files
    assert dump(back) == at_second
    older = tmp_path / "older.csrproj"
    restore(first.path, older)
    assert dump(older) == at_backup
    with Project.open(older) as p:
        assert not p.integrity_problems()
        assert all(p.file_is_intact(s) for s in _hashes(p))
        assert p.audit_log()[-1].key == "project.restored"
        assert [e.key for e in p.audit_log()[:-1]].count(key) >= 1


def _hashes(p: Project) -> list[str]:
    a = p.assessment()
    return [
        e.sha256 for i in p.indicator_set.indicators for e in a.answer(i.no).evidence if e.sha256
    ]


def test_unchanged_evidence_is_not_copied_again_and_the_audit_only_grows(
    sample_project: Path, tmp_path: Path
):
    store = tmp_path / "b"
    clock = Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    first = take_backup(sample_project, store, clock=clock)
    clock.advance(minutes=30)
    same = take_backup(sample_project, store, clock=clock)
    assert same.new_files == 0
    folder = first.path.parent
    segments = set((folder / "audit").iterdir())
    with Project.open(sample_project) as p:
        p.set("company.contact", "新的联系方式")
    clock.advance(minutes=30)
    third = take_backup(sample_project, store, clock=clock)
    new_segments = set((folder / "audit").iterdir()) - segments
    assert len(new_segments) == 1  # only the new rows
    import gzip

    rows = json.loads(gzip.decompress(next(iter(new_segments)).read_bytes()))
    assert [r[3] for r in rows] == ["company.contact"]
    infos = list_folder(folder)
    assert [i.id for i in infos] == [third.id, same.id, first.id]
    assert infos[0].changes == 1 and infos[0].users
    assert infos[1].changed_words() == "与上一份相同"
    assert infos[2].changed_words() == "首次备份"


def test_restore_checks_every_file_and_never_overwrites(sample_project: Path, tmp_path: Path):
    result = take_backup(sample_project, tmp_path / "b")
    with pytest.raises(ProjectFileError, match="已存在"):
        restore(result.path, sample_project)
    manifest = json.loads(__import__("gzip").decompress(result.path.read_bytes()))
    sha = manifest["catalogue"][3]["sha256"]
    victim = blob_path(result.path.parent, sha)
    data = bytearray(victim.read_bytes())
    data[10] ^= 1
    victim.write_bytes(bytes(data))
    dest = tmp_path / "r.csrproj"
    killed = tmp_path / ".r.csrproj.tmp-999999999"  # a restore killed earlier (pid gone)
    killed.write_bytes(b"half a project")
    with pytest.raises(BackupError, match="SHA-256 不符"):
        restore(result.path, dest)
    assert not dest.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.csrproj")] == []


def test_the_weekly_recheck_finds_a_damaged_file_and_the_next_backup_heals_it(
    sample_project: Path, tmp_path: Path
):
    clock = Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    first = take_backup(sample_project, tmp_path / "b", clock=clock)
    assert first.full_check
    victim = next((first.path.parent / "blobs").glob("*/*"))
    victim.write_bytes(b"x" * victim.stat().st_size)  # same size: only a re-hash sees it
    segment = next((first.path.parent / "audit").glob("*.gz"))
    body = bytearray(segment.read_bytes())
    body[20] ^= 0xFF
    segment.write_bytes(bytes(body))
    clock.advance(days=1)
    assert not take_backup(sample_project, tmp_path / "b", clock=clock).full_check
    clock.advance(days=7)
    later = take_backup(sample_project, tmp_path / "b", clock=clock)
    assert later.full_check and later.damaged == (str(victim), str(segment))
    assert later.new_files == 1 and files.hash_file(victim) == victim.name
    restore(later.path, tmp_path / "ok.csrproj")
    with (
        Project.open(sample_project, readonly=True) as p,
        Project.open(tmp_path / "ok.csrproj", readonly=True) as r,
    ):
        assert r.audit_log()[:-1] == p.audit_log()  # the trail read whole again


def test_rotation_keeps_ten_then_one_a_day_for_14_days_then_one_a_week_for_8_weeks():
    now = dt.datetime(2026, 12, 7, 18, 0, tzinfo=TZ)  # a Monday
    taken = []
    t = now
    for n in range(24 * 80):  # one every hour for 80 days
        taken.append((f"b{n:05d}", t))
        t -= dt.timedelta(hours=1)
    keep = rotation.to_keep(taken, now)
    kept = sorted((at for i, at in taken if i in keep), reverse=True)
    assert kept[:10] == [at for _, at in taken[:10]]
    days = {at.date() for at in kept}
    assert all(now.date() - dt.timedelta(days=d) in days for d in range(14))
    weeks = {at.isocalendar()[:2] for at in kept}
    assert len(weeks) == 8  # 8 ISO weeks, this one included
    assert min(kept) >= now - dt.timedelta(weeks=8)
    assert len(keep) == len(set(keep)) and len(keep) <= 10 + 14 + 8


def test_rotation_runs_after_each_verified_backup_and_frees_what_nobody_needs(
    sample_project: Path, tmp_path: Path
):
    store = tmp_path / "b"
    clock = Clock(dt.datetime(2026, 10, 1, 9, 0, tzinfo=TZ))
    extra = tmp_path / "大文件.bin"
    extra.write_bytes(os.urandom(300_000))
    with Project.open(sample_project) as p:
        p.add_evidence_files(2, [extra])
    results = [take_backup(sample_project, store, clock=clock)]
    with Project.open(sample_project) as p:  # the file leaves the project
        p.set_evidence(2, list(p.assessment().answer(2).evidence)[:-1], "删除")
    for _ in range(50):  # every 12 hours for 25 days
        clock.advance(hours=12)
        results.append(take_backup(sample_project, store, clock=clock))
    folder = results[0].path.parent
    ids = {i.id for i in list_folder(folder)}
    taken = [(r.id, dt.datetime.fromisoformat(r.taken_at)) for r in results]
    assert ids == rotation.to_keep(taken, clock.now)
    assert results[-1].id in ids and len(ids) < len(results)
    sha = files.hash_file(extra)
    needed = any(
        sha in {i["sha256"] for i in read_manifest(r.path)["catalogue"]}
        for r in results
        if r.id in ids
    )
    assert blob_path(folder, sha).exists() == needed  # freed only when no kept backup needs it
    for r in results:
        if r.id in ids:
            restore(r.path, tmp_path / f"{r.id}.csrproj")
            break


def test_rotation_never_removes_shared_files_when_a_backup_is_unreadable(
    sample_project: Path, tmp_path: Path
):
    store = tmp_path / "b"
    clock = Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    first = take_backup(sample_project, store, clock=clock)
    blobs_before = sorted((first.path.parent / "blobs").glob("*/*"))
    first.path.write_bytes(b"garbage")  # damaged, not deleted by us
    (first.path.parent / "blobs" / "zz").mkdir()
    (first.path.parent / "blobs" / "zz" / ("f" * 64)).write_bytes(b"orphan?")
    rotate(first.path.parent, clock.now)
    assert set(blobs_before) <= set((first.path.parent / "blobs").glob("*/*"))


STRACE = shutil.which("strace")


@pytest.mark.posix_only("kills a backup with strace-injected SIGKILL")
def test_a_backup_killed_at_any_rename_or_write_leaves_earlier_backups_and_the_project(
    tmp_path: Path,
):
    assert STRACE, "strace is needed: scripts/bootstrap.sh TEST_APT_PACKAGES"
    src = tmp_path / "in"
    from csr_desktop.sample import build_interchange

    project = tmp_path / "p.csrproj"
    interchange.load(build_interchange(src, evidence_per_indicator=1), project)
    store = tmp_path / "b"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    run = [sys.executable, "-m", "csr_desktop", "backup", str(project), "--to", str(store)]
    assert subprocess.run(run, capture_output=True, env=env, timeout=120).returncode == 0
    before = dump(project)
    with Project.open(project) as p:
        p.set("company.contact", "备份被中断前的修改")
        extra = tmp_path / "新材料.bin"
        extra.write_bytes(os.urandom(200_000))
        p.add_evidence_files(4, [extra])
    after = dump(project)
    project_bytes = project.read_bytes()
    good = list_folder(next(store.iterdir()))
    assert len(good) == 1
    killed = 0
    for call in ("rename", "write", "fsync"):
        n = 1
        while True:
            trace = [
                STRACE,
                "-f",
                "-qq",
                "-o",
                os.devnull,
                "-e",
                f"inject={call}:signal=KILL:when={n}",
                *run,
            ]
            proc = subprocess.run(trace, capture_output=True, env=env, timeout=120)
            if proc.returncode == 0:
                break  # the call was not reached N times: the backup completed
            killed += 1
            assert project.read_bytes() == project_bytes  # a backup never writes the project
            folder = next(store.iterdir())
            for info in list_folder(folder):
                dest = tmp_path / f"r-{call}-{n}-{info.id}.csrproj"
                restore(info.path, dest)
                assert dump(dest) in (before, after)
                dest.unlink()
            n += 3 if call == "write" else 1
    assert killed > 5
    final = take_backup(project, store)  # the next backup after the kills completes
    restore(final.path, tmp_path / "final.csrproj")
    assert dump(tmp_path / "final.csrproj") == after
    leftovers = [p for p in store.rglob("*") if files.TMP_MARK in p.name]
    assert leftovers == []


def test_cli_backup_backups_restore(sample_project: Path, tmp_path: Path, cli):
    store = tmp_path / "store"
    r = cli("backup", sample_project, "--to", store)
    assert r.returncode == 0, r.stderr
    assert "已备份" in r.stdout and "新增" in r.stdout and "字节" in r.stdout
    r = cli("backup", sample_project, "--to", store)
    assert "复制了 0 个佐证材料文件" in r.stdout
    r = cli("backups", sample_project, "--to", store)
    assert r.returncode == 0 and "首次备份" in r.stdout and "与上一份相同" in r.stdout
    ident = r.stdout.split()[0]
    r = cli("restore", ident, tmp_path / "new.csrproj")
    assert r.returncode == 2 and "找不到备份" in r.stderr  # not in the default folder
    path = (
        next(line.strip() for line in r.stdout.splitlines() if line.startswith("    "))
        if (False)
        else str(next(store.glob(f"*/{ident}.csrbak")))
    )
    r = cli("restore", path, tmp_path / "new.csrproj")
    assert r.returncode == 0, r.stderr
    assert cli("dump", tmp_path / "new.csrproj").stdout == cli("dump", sample_project).stdout
    r = cli("restore", path, sample_project)
    assert r.returncode == 2 and "已存在" in r.stderr and "Traceback" not in r.stderr
    sample_project.unlink()  # gone: its backups are still found by its path
    r = cli("backups", sample_project, "--to", store)
    assert r.returncode == 0 and ident in r.stdout, r.stderr


def test_backups_can_be_turned_off_and_default_to_the_local_data_folder(
    sample_project: Path, tmp_path: Path
):
    from csr_desktop.core.backups import location

    env = dict(os.environ, PYTHONIOENCODING="utf-8", CSR_DESKTOP_BACKUPS="off")
    env.pop("CSR_DESKTOP_BACKUP_DIR", None)
    r = subprocess.run(
        [sys.executable, "-m", "csr_desktop", "backup", str(sample_project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 2 and "管理员关闭" in r.stderr
    env = dict(
        env,
        CSR_DESKTOP_BACKUPS="on",
        XDG_DATA_HOME=str(tmp_path / "xdg"),
        LOCALAPPDATA=str(tmp_path / "local"),  # Windows: the local, never the roaming, profile
        APPDATA=str(tmp_path / "roaming"),
    )
    r = subprocess.run(
        [sys.executable, "-m", "csr_desktop", "backup", str(sample_project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    local = tmp_path / ("local" if sys.platform == "win32" else "xdg")
    assert list((local / "csr-desktop" / "backups").glob("*/*.csrbak"))
    assert not (tmp_path / "roaming").exists()
    assert location.project_folder(Path("/x"), "ab/../cd") == Path("/x/abcd")


def test_a_typing_step_that_grew_after_a_backup_is_restored_as_it_ended(
    sample_project: Path, tmp_path: Path
):
    store = tmp_path / "b"
    with Project.open(sample_project) as p:
        p.set("indicator.1.remark", "正在输入", coalesce=True)
        take_backup(sample_project, store)  # mid-step: its audit row will still grow
        p.set("indicator.1.remark", "正在输入的备注", coalesce=True)
        rows = len(p.audit_log())
        last = p.audit_log()[-1]
    segments = set((store).rglob("audit/*.gz"))
    second = take_backup(sample_project, store)
    [added] = set(store.rglob("audit/*.gz")) - segments
    import gzip

    assert len(json.loads(gzip.decompress(added.read_bytes()))) == 1  # the grown row alone
    back = tmp_path / "r.csrproj"
    restore(second.path, back)
    with Project.open(back, readonly=True) as p:
        log = p.audit_log()
    assert len(log) == rows + 1 and log[rows - 1] == last  # + the restore's own row


def test_a_copy_with_the_same_id_backed_up_into_the_same_folder_keeps_its_own_trail(
    sample_project: Path, tmp_path: Path
):
    store = tmp_path / "b"
    copy = tmp_path / "副本.csrproj"
    with Project.open(sample_project) as p:
        p.save_copy(copy)  # 另存为 keeps the project's id
    with Project.open(sample_project) as p:
        for n in range(10):
            p.set("indicator.1.remark", f"原件 {n}")
    take_backup(sample_project, store)
    with Project.open(copy) as p:
        for n in range(10):
            p.set("indicator.2.remark", f"副本 {n}")
        trail = p.audit_log()
    result = take_backup(copy, store)
    assert result.path.parent == next(store.iterdir())  # one folder: one project id
    back = tmp_path / "r.csrproj"
    restore(result.path, back)
    with Project.open(back, readonly=True) as p:
        assert p.audit_log()[:-1] == trail


@pytest.mark.parametrize(
    "body",
    [
        b"not gzip",
        __import__("gzip").compress(b"[1, 2]"),
        __import__("gzip").compress(b'{"format": "csr-desktop-backup", "version": 1}'),
        __import__("gzip").compress(
            b'{"format": "csr-desktop-backup", "version": 1, "id": "x", "taken_at": "t",'
            b' "project_id": "p", "schema_version": 2, "meta": {"indicator_set": "{}"},'
            b' "fields": {}, "catalogue": [{"sha256": "../../etc/passwd", "size": 1,'
            b' "added_at": ""}], "audit": {"last_id": 0, "segments": []}}'
        ),
        __import__("gzip").compress(b'{"format": "csr-desktop-backup", "version": 99}'),
    ],
)
def test_a_damaged_or_crafted_backup_file_is_refused_by_name(tmp_path: Path, body: bytes, cli):
    bad = tmp_path / "x.csrbak"
    bad.write_bytes(body)
    r = cli("restore", bad, tmp_path / "new.csrproj")
    assert r.returncode == 2 and str(bad) in r.stderr and "Traceback" not in r.stderr
    assert "内部错误" not in r.stderr and not (tmp_path / "new.csrproj").exists()


def test_a_backup_never_holds_back_typing(tmp_path: Path):
    """The backup reads one statement at a time: a commit never waits for the whole copy."""
    import threading
    import time

    project = tmp_path / "p.csrproj"
    Project.create(project).close()
    big = tmp_path / "材料.bin"
    big.write_bytes(os.urandom(12 << 20))
    with Project.open(project) as p:
        p.add_evidence_files(1, [big])
    started = threading.Event()

    def slow(done: int, total: int) -> bool:  # a slow disk: 0.1 s a chunk, 1.2 s in all
        started.set()
        time.sleep(0.1)
        return True

    result: list[object] = []
    worker = threading.Thread(
        target=lambda: result.append(take_backup(project, tmp_path / "b", progress=slow))
    )
    with Project.open(project) as p:
        worker.start()
        assert started.wait(10)
        waits = []
        while worker.is_alive():
            t = time.perf_counter()
            p.set("indicator.1.remark", f"打字 {len(waits)}")
            waits.append(time.perf_counter() - t)
            time.sleep(0.01)
        worker.join()
    assert len(waits) >= 5 and max(waits) < 0.5, waits
    assert result and not isinstance(result[0], BaseException)


def test_a_first_release_project_is_backed_up_and_restored_with_its_identity(tmp_path: Path):
    from tests.core.test_project_in_use import _v1_project

    old = _v1_project(tmp_path, damaged=False)
    before = old.read_bytes()
    result = take_backup(old, tmp_path / "b")
    assert old.read_bytes() == before  # read only: not upgraded, not switched out of WAL
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(old.name)] == [old.name]
    back = tmp_path / "r.csrproj"
    restore(result.path, back)
    with Project.open(old, readonly=True) as a, Project.open(back, readonly=True) as b:
        assert interchange.dump(a) == interchange.dump(b)
        assert a.project_id == b.project_id == b.meta("project_id")
    again = take_backup(back, tmp_path / "b")
    assert again.path.parent == result.path.parent and again.new_files == 0
