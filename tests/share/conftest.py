"""A real SMB share for the tests: a private samba on 127.0.0.1, mounted twice as two PCs.

Why a real share: SQLite's locks and shared memory do not behave on a network file system as on
a local disk (lab-notes.md), and only a real server shows it. smbd runs with its own smb.conf,
state and log folders under a temporary folder, listens on 127.0.0.1 only (`bind interfaces
only`) on a free port, and serves one guest share. The FUSE client smbnetfs mounts it twice:
mount A and mount B are the two PCs (no POSIX locks pass between them, as between two PCs whose
client does not forward them). Needs root (or FUSE rights) and `apt-get install samba
smbnetfs`, which scripts/bootstrap.sh installs for the tests; missing, the suite fails saying
so rather than skipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SHARE = "csr"
READ_ONLY_SHARE = "csr-ro"  # the same department's share, where this PC may only read


@dataclass(frozen=True)
class Share:
    """One folder on the share, as the server's disk and the two PCs see it."""

    server: Path  # the folder on the server's own disk (what is really left behind)
    a: Path  # PC A's view through its mount
    b: Path  # PC B's view through its own mount

    def leftovers(self, *expected: str) -> list[str]:
        """Every name in the folder on the server that is not one of `expected`."""
        return sorted(p.name for p in self.server.iterdir() if p.name not in expected)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, ready, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if ready():
                return
        time.sleep(0.1)
    raise RuntimeError(f"SMB test share: {what} not ready after {seconds:.0f} s")


def _smb_conf(root: Path, port: int) -> str:
    d = {name: root / name for name in ("run", "lock", "state", "cache", "private", "log")}
    for folder in d.values():
        folder.mkdir(parents=True, exist_ok=True)
    (root / "ncalrpc").mkdir(exist_ok=True)
    return f"""[global]
 workgroup = WORKGROUP
 server role = standalone server
 interfaces = 127.0.0.1
 bind interfaces only = yes
 smb ports = {port}
 disable netbios = yes
 pid directory = {d["run"]}
 lock directory = {d["lock"]}
 state directory = {d["state"]}
 cache directory = {d["cache"]}
 private dir = {d["private"]}
 ncalrpc dir = {root / "ncalrpc"}
 log file = {d["log"]}/log.%m
 map to guest = Bad User
 guest account = {_user()}
 load printers = no
 printing = bsd
 printcap name = /dev/null
 disable spoolss = yes
[{SHARE}]
 path = {root / "export"}
 read only = no
 guest ok = yes
 force user = {_user()}
[{READ_ONLY_SHARE}]
 path = {root / "export-ro"}
 read only = yes
 guest ok = yes
 force user = {_user()}
"""


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def _mount(root: Path, name: str, port: int) -> Path:
    """One PC: smbnetfs with its own home (client smb.conf naming the port, guest login)."""
    home = root / f"home-{name}"
    (home / ".smb").mkdir(parents=True)
    (home / ".smb" / "smb.conf").write_text(
        "[global]\n workgroup = WORKGROUP\n client min protocol = SMB2\n", encoding="utf-8"
    )
    conf = home / ".smb" / "smbnetfs.conf"
    conf.write_text('auth "guest" ""\nsmb_query_browsers false\n', encoding="utf-8")
    conf.chmod(0o600)  # smbnetfs ignores `auth` in a file others can read
    point = root / f"pc-{name}"
    point.mkdir()
    subprocess.run(
        ["smbnetfs", str(point), "-o", f"config={conf}"],
        env=dict(os.environ, HOME=str(home)),
        check=True,
        capture_output=True,
        timeout=30,
    )
    view = point / f"127.0.0.1:{port}" / SHARE
    _wait(f"mount {name}", lambda: view.is_dir() and list(view.iterdir()) is not None)
    return view.parent


def _unmount(point: Path) -> None:
    cmd = ["umount", str(point)] if os.getuid() == 0 else ["fusermount", "-u", str(point)]
    for _ in range(50):
        if subprocess.run(cmd, capture_output=True).returncode == 0:
            return
        time.sleep(0.1)  # a child process may still have a file open on it
    subprocess.run([*cmd[:1], "-l", *cmd[1:]] if os.getuid() == 0 else cmd, capture_output=True)


@dataclass(frozen=True)
class _Server:
    root: Path
    a: Path  # PC A's view of the server (its shares below)
    b: Path


@pytest.fixture(scope="session")
def smb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Server]:
    missing = [tool for tool in ("smbd", "smbnetfs") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"SMB test share needs {', '.join(missing)}: apt-get install samba smbnetfs "
            "(scripts/bootstrap.sh does it for ./test.sh)",
            pytrace=False,
        )
    root = tmp_path_factory.mktemp("smb")
    (root / "export").mkdir()
    (root / "export-ro").mkdir()
    port = _free_port()
    conf = root / "smb.conf"
    conf.write_text(_smb_conf(root, port), encoding="utf-8")
    with open(root / "log" / "smbd.out", "wb") as log:
        smbd = subprocess.Popen(
            ["smbd", "--foreground", "--no-process-group", "--debug-stdout", "-s", str(conf)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # smbd signals its whole process group as it stops
        )

    def listening() -> bool:
        if smbd.poll() is not None:
            raise RuntimeError(f"smbd exited: {(root / 'log' / 'smbd.out').read_text()[-2000:]}")
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True

    points: list[Path] = []
    try:
        _wait("smbd", listening)
        a = _mount(root, "a", port)
        points.append(root / "pc-a")
        b = _mount(root, "b", port)
        points.append(root / "pc-b")
        yield _Server(root, a, b)
    finally:
        for point in points:
            _unmount(point)
        smbd.terminate()
        try:
            smbd.wait(10)
        except subprocess.TimeoutExpired:
            smbd.kill()
            smbd.wait()


@pytest.fixture
def share(smb_server: _Server, request: pytest.FixtureRequest) -> Share:
    """A fresh folder on the share for one test (with a Chinese name, as departments use)."""
    return _folder(smb_server, SHARE, "export", request)


@pytest.fixture
def read_only_share(smb_server: _Server, request: pytest.FixtureRequest) -> Share:
    """A fresh folder on a share that the PCs may read but not write (its permissions)."""
    return _folder(smb_server, READ_ONLY_SHARE, "export-ro", request)


def _folder(server: _Server, share: str, local: str, request: pytest.FixtureRequest) -> Share:
    name = f"合规部-{request.node.name[:40]}"
    (server.root / local / name).mkdir()
    return Share(server.root / local / name, server.a / share / name, server.b / share / name)
