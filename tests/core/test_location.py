"""Where a project lies, from what the OS says (mount table, drive type, OneDrive's variables),
with the OS faked through core/system.py; and what opening does about it (core/opening.py)."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest

from csr_desktop.core import location, system
from csr_desktop.core.errors import LockCreationError, ProjectFileError, ProjectLockedError
from csr_desktop.core.location import Kind, Location, locate
from csr_desktop.core.opening import lock_refused_by_place, open_project
from csr_desktop.core.store import Project

# /proc/self/mountinfo of a Linux office PC: root on ext4, a department share through the
# kernel's cifs, an NFS home, smbnetfs and sshfs, an exFAT stick through FUSE (fuseblk), a FAT
# stick, a gvfs mount, and a mount point with a space (escaped \040).
MOUNTINFO = r"""22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
23 22 0:21 / /proc rw,nosuid - proc proc rw
40 22 0:40 / /mnt/合规部 rw,relatime shared:30 - cifs //server/合规部 rw,vers=3.1.1
41 22 0:41 / /home/nfs rw,relatime shared:31 - nfs4 server:/home rw,vers=4.2
42 22 0:42 / /tmp/pc-a rw,nosuid,nodev - fuse.smbnetfs smbnetfs rw,user_id=0
43 22 0:43 / /mnt/ssh rw,nosuid,nodev - fuse.sshfs user@host:/srv rw
44 22 8:17 / /media/user/STICK rw,nosuid,nodev - fuseblk /dev/sdb1 rw,user_id=0
45 22 8:33 / /media/user/FAT\04032 rw,nosuid,nodev - vfat /dev/sdc1 rw
46 22 0:50 / /run/user/1000/gvfs rw,nosuid - fuse.gvfsd-fuse gvfsd-fuse rw
47 22 8:49 / /mnt/data rw,relatime - ext4 /dev/sdd1 rw
"""


class FakeSystem(system.PosixSystem):
    def __init__(
        self,
        mounts: str | None = MOUNTINFO,
        drives: dict[str, int] | None = None,
        removable: tuple[str, ...] = ("/dev/sdb1", "/dev/sdc1"),
        attributes: int = 0,
    ) -> None:
        self.mounts, self.drives, self.removable, self.attributes = (
            mounts,
            drives or {},
            removable,
            attributes,
        )
        self.asked: list[str] = []

    def mount_table(self) -> str | None:
        return self.mounts

    def drive_type(self, root: str) -> int:
        self.asked.append(root)
        return self.drives.get(root, 3)  # DRIVE_FIXED

    def removable_device(self, source: str) -> bool:
        return source in self.removable

    def file_attributes(self, path: str) -> int:
        return self.attributes


@pytest.fixture
def fake() -> Iterator[FakeSystem]:
    fake = FakeSystem()
    system.use(fake)
    yield fake
    system.use(None)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/user/自评/项目.csrproj", Location(Kind.LOCAL, "ext4")),
        ("/mnt/合规部/2026/项目.csrproj", Location(Kind.NETWORK, "cifs")),
        ("/mnt/合规部", Location(Kind.NETWORK, "cifs")),
        ("/mnt/合规部x/项目.csrproj", Location(Kind.LOCAL, "ext4")),  # not under the share
        ("/home/nfs/u/项目.csrproj", Location(Kind.NETWORK, "nfs4")),
        ("/tmp/pc-a/127.0.0.1:445/csr/项目.csrproj", Location(Kind.NETWORK, "fuse.smbnetfs")),
        ("/mnt/ssh/项目.csrproj", Location(Kind.NETWORK, "fuse.sshfs")),
        ("/media/user/STICK/项目.csrproj", Location(Kind.REMOVABLE, "fuseblk")),
        ("/media/user/FAT 32/项目.csrproj", Location(Kind.REMOVABLE, "vfat")),
        ("/mnt/data/项目.csrproj", Location(Kind.LOCAL, "ext4")),  # a fixed second disk
        (
            "/run/user/1000/gvfs/smb-share:server=s,share=x/项目.csrproj",
            Location(Kind.NETWORK, "smb-share:server=s,share=x"),
        ),
    ],
)
def test_linux_places_from_the_mount_table(fake: FakeSystem, path: str, expected: Location):
    assert locate(path, env={}) == expected


def test_fuseblk_is_local_unless_the_device_is_removable(fake: FakeSystem):
    fake.removable = ()
    assert locate("/media/user/STICK/项目.csrproj", env={}).kind is Kind.LOCAL


def test_the_last_of_two_mounts_on_one_point_is_the_one_seen(fake: FakeSystem):
    fake.mounts = MOUNTINFO + "48 40 0:60 / /mnt/合规部 rw - ext4 /dev/sde1 rw\n"
    assert locate("/mnt/合规部/项目.csrproj", env={}).kind is Kind.LOCAL


def test_no_mount_table_readable_means_local(fake: FakeSystem):
    fake.mounts = ""
    assert locate("/mnt/合规部/项目.csrproj", env={}) == Location(Kind.LOCAL)


@pytest.mark.parametrize(
    ("path", "kind", "detail"),
    [
        (r"\\server\合规部\2026\项目.csrproj", Kind.NETWORK, r"\\server\合规部"),
        ("//server/合规部/项目.csrproj", Kind.NETWORK, r"\\server\合规部"),
        (r"\\?\UNC\server\合规部\项目.csrproj", Kind.NETWORK, r"\\server\合规部"),
        (r"Z:\2026\项目.csrproj", Kind.NETWORK, "Z:"),  # a mapped drive: DRIVE_REMOTE
        (r"E:\项目.csrproj", Kind.REMOVABLE, "E:"),
        (r"\\?\E:\项目.csrproj", Kind.REMOVABLE, "E:"),
        (r"C:\Users\li\Documents\项目.csrproj", Kind.LOCAL, "C:"),
    ],
)
def test_windows_places_from_unc_paths_and_the_drive_type(
    fake: FakeSystem, path: str, kind: Kind, detail: str
):
    fake.mounts = None  # drive letters, no mount table
    fake.drives = {"Z:\\": location.DRIVE_REMOTE, "E:\\": location.DRIVE_REMOVABLE}
    assert locate(path, env={}) == Location(kind, detail)


def test_onedrive_folders_from_onedrives_variables(fake: FakeSystem):
    fake.mounts = None
    env = {"OneDriveCommercial": r"C:\Users\li\OneDrive - 示例科技", "OneDrive": r"C:\Users\li\x"}
    inside = r"c:\users\LI\OneDrive - 示例科技\文档\项目.csrproj"  # Windows ignores case
    assert locate(inside, env=env) == Location(Kind.ONEDRIVE, env["OneDriveCommercial"])
    beside = r"C:\Users\li\OneDrive - 示例科技2\项目.csrproj"
    assert locate(beside, env=env).kind is Kind.LOCAL
    fake.mounts = MOUNTINFO
    linux = {"OneDrive": "/home/li/OneDrive"}
    assert locate("/home/li/OneDrive/项目.csrproj", env=linux).kind is Kind.ONEDRIVE


def test_the_real_linux_system_reads_its_own_mount_table():
    table = system.PosixSystem().mount_table()
    assert table and any(m.point == "/" for m in location.parse_mountinfo(table))
    assert system.PosixSystem().removable_device("/nonexistent") is False


def test_each_place_but_the_local_disk_is_said_in_one_sentence():
    for kind, word in (
        (Kind.NETWORK, "共享文件夹"),
        (Kind.ONEDRIVE, "OneDrive"),
        (Kind.REMOVABLE, "U 盘"),
    ):
        words = location.sentence(Location(kind))
        assert word in words and words.count("。") == 1 and words.endswith("。")
    assert location.sentence(Location(Kind.LOCAL)) == ""


# ---- OneDrive --------------------------------------------------------------------------------


def test_onedrive_conflict_copies_beside_the_project_are_found(tmp_path: Path):
    project = tmp_path / "自评项目.csrproj"
    for name in (
        "自评项目.csrproj",
        "自评项目-DESKTOP-7QK2M.csrproj",
        "自评项目-LAPTOP-李-2.csrproj",
        "自评项目 - 副本.csrproj",
        "自评项目-副本.CSRPROJ",
        "自评项目.csrproj-journal",
        ".~lock.自评项目.csrproj#",
        "其他项目-PC.csrproj",
        "自评项目2.csrproj",
    ):
        (tmp_path / name).write_bytes(b"x")
    found = [p.name for p in location.conflict_copies(project)]
    assert found == [
        "自评项目 - 副本.csrproj",
        "自评项目-DESKTOP-7QK2M.csrproj",
        "自评项目-LAPTOP-李-2.csrproj",
        "自评项目-副本.CSRPROJ",
    ]
    words = location.conflict_notice(project, location.conflict_copies(project))
    assert "“自评项目-DESKTOP-7QK2M.csrproj”" in words and "冲突副本" in words


def test_a_placeholder_is_downloaded_before_opening_and_the_wait_is_said(
    fake: FakeSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = Project.create(tmp_path / "项目.csrproj").path
    fake.attributes = location.FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS
    said: list[str] = []

    def waiting(message: str, done: int, total: int) -> bool:
        said.append(message)
        if done == total and total:
            fake.attributes = 0  # reading it through made OneDrive download it
        return True

    monkeypatch.setenv("OneDrive", str(tmp_path))
    opened = open_project(path, waiting=waiting)
    opened.project.close()
    assert said and "正在从 OneDrive 下载" in said[0]
    assert opened.where.kind is Kind.ONEDRIVE
    assert "OneDrive" in opened.notices[0]


def test_a_placeholder_that_stays_in_the_cloud_is_refused_by_name(fake: FakeSystem, tmp_path: Path):
    path = Project.create(tmp_path / "项目.csrproj").path
    fake.attributes = location.FILE_ATTRIBUTE_OFFLINE
    with pytest.raises(ProjectFileError) as refused:
        open_project(path)
    assert "OneDrive" in refused.value.zh and "项目.csrproj" in refused.value.zh


def _sharing_violation() -> OSError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # type: ignore[attr-defined]
    return exc


def test_onedrive_holding_the_file_briefly_is_waited_for_not_called_damage(tmp_path: Path):
    tries: list[int] = []

    def opener(_path: Path) -> None:
        tries.append(1)
        if len(tries) < 5:
            raise _sharing_violation()

    location.wait_until_free(tmp_path / "p.csrproj", sleep=lambda _s: None, opener=opener)
    assert len(tries) == 5


def test_onedrive_holding_the_file_for_long_is_said_as_such(tmp_path: Path):
    def opener(_path: Path) -> None:
        raise _sharing_violation()

    with pytest.raises(ProjectFileError) as refused:
        location.wait_until_free(tmp_path / "p.csrproj", 2, sleep=lambda _s: None, opener=opener)
    assert "占用" in refused.value.zh and "已损坏" not in refused.value.zh


# ---- a place that refuses the lock -------------------------------------------------------------


def test_a_lock_refused_by_the_place_opens_read_only_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = Project.create(tmp_path / "项目.csrproj").path
    real_open = Project.open

    def refusing(p: Path, readonly: bool = False) -> Project:
        if not readonly:
            denied = PermissionError(errno.EACCES, "Permission denied")
            raise ProjectFileError(
                f"无法在 “{tmp_path}” 中创建锁文件：Permission denied", "cannot create lock: x"
            ) from denied
        return real_open(p, readonly=True)

    monkeypatch.setattr(Project, "open", refusing)
    opened = open_project(path)
    with opened.project as p:
        assert p.readonly
        assert "不允许本机写入" in p.readonly_reason and "Permission denied" in p.readonly_reason


def test_only_a_refused_lock_falls_back_to_read_only():
    denied = PermissionError(errno.EACCES, "Permission denied")
    for exc, expected in (
        (LockCreationError("无法创建锁文件"), True),
        (ProjectLockedError("正在被 李（PC）打开"), False),
        (ProjectFileError("项目文件已损坏", "malformed"), False),
    ):
        assert lock_refused_by_place(exc) is expected
    damaged = ProjectFileError("无法写入", "cannot write x")
    damaged.__cause__ = denied
    assert lock_refused_by_place(damaged) is False  # a write refused later is not the lock's
