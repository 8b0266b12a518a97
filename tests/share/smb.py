"""A private samba on 127.0.0.1 mounted twice through smbnetfs: two PCs on one share.

Used by the share tests (tests/share/conftest.py) and the share benchmark (bench/bench_share.py).
smbd runs with its own smb.conf, state and log folders under `root`, listens on 127.0.0.1 only
(`bind interfaces only`) on a free port, and serves two guest shares: `csr` (read-write) and
`csr-ro` (read-only by permission). The FUSE client smbnetfs mounts the server twice: mount A
and mount B are the two PCs (no POSIX locks pass between them). Needs root (or FUSE rights) and
`apt-get install samba smbnetfs`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SHARE = "csr"
READ_ONLY_SHARE = "csr-ro"  # the same department's share, where this PC may only read


@dataclass(frozen=True)
class Server:
    root: Path  # the server's own folders: export/ (csr), export-ro/ (csr-ro)
    a: Path  # PC A's view of the server (its shares below)
    b: Path


def missing_tools() -> list[str]:
    return [tool for tool in ("smbd", "smbnetfs") if shutil.which(tool) is None]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, ready: Callable[[], bool], seconds: float = 20.0) -> None:
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
    # smbnetfs reports no free space unless told (a real SMB client reports the server's)
    pages = shutil.disk_usage(root).free // 4096
    subprocess.run(
        ["smbnetfs", str(point), "-o", f"config={conf},free_space_size={pages}"],
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


@contextlib.contextmanager
def running(root: Path) -> Iterator[Server]:
    """Start smbd, mount it twice, and take it all down again on leaving."""
    (root / "export").mkdir(parents=True)
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
        yield Server(root, a, b)
    finally:
        for point in points:
            _unmount(point)
        smbd.terminate()
        try:
            smbd.wait(10)
        except subprocess.TimeoutExpired:
            smbd.kill()
            smbd.wait()
