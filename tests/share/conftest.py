"""A real SMB share for the tests: a private samba on 127.0.0.1, mounted twice as two PCs.

Why a real share: SQLite's locks and shared memory do not behave on a network file system as on
a local disk (lab-notes.md), and only a real server shows it. smbd runs with its own smb.conf,
state and log folders under a temporary folder, listens on 127.0.0.1 only (`bind interfaces
only`) on a free port, and serves guest shares (tests/share/smb.py). smbnetfs mounts it twice:
mount A and mount B are the two PCs (no POSIX locks pass between them, as between two PCs whose
client does not forward them). Needs root (or FUSE rights) and `apt-get install samba
smbnetfs`, which scripts/bootstrap.sh installs for the tests; missing, the suite fails saying
so rather than skipping.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.share import smb


@dataclass(frozen=True)
class Share:
    """One folder on the share, as the server's disk and the two PCs see it."""

    server: Path  # the folder on the server's own disk (what is really left behind)
    a: Path  # PC A's view through its mount
    b: Path  # PC B's view through its own mount

    def leftovers(self, *expected: str) -> list[str]:
        """Every name in the folder on the server that is not one of `expected`."""
        return sorted(p.name for p in self.server.iterdir() if p.name not in expected)


@pytest.fixture(scope="session")
def smb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[smb.Server]:
    missing = smb.missing_tools()
    if missing:
        pytest.fail(
            f"SMB test share needs {', '.join(missing)}: apt-get install samba smbnetfs "
            "(scripts/bootstrap.sh does it for ./test.sh)",
            pytrace=False,
        )
    with smb.running(tmp_path_factory.mktemp("smb")) as server:
        yield server


@pytest.fixture
def share(smb_server: smb.Server, request: pytest.FixtureRequest) -> Share:
    """A fresh folder on the share for one test (with a Chinese name, as departments use)."""
    return _folder(smb_server, smb.SHARE, "export", request)


@pytest.fixture
def read_only_share(smb_server: smb.Server, request: pytest.FixtureRequest) -> Share:
    """A fresh folder on a share that the PCs may read but not write (its permissions)."""
    return _folder(smb_server, smb.READ_ONLY_SHARE, "export-ro", request)


def _folder(server: smb.Server, share: str, local: str, request: pytest.FixtureRequest) -> Share:
    name = f"合规部-{request.node.name[:40]}"
    (server.root / local / name).mkdir()
    return Share(server.root / local / name, server.a / share / name, server.b / share / name)
