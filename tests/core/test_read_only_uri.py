"""Read-only opens go through a `file:` URI: it must name the file the user opened, whatever
its spelling (a mapped drive, a UNC path, characters URIs reserve), and have an empty host part,
which is the only kind SQLite accepts (issue #23)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from csr_desktop.core.storage.connection import Role, connect, sqlite_uri
from csr_desktop.core.store import Project


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (r"\\server\合规部\2026\项目.csrproj", "file:////server/%E5%90%88%E8%A7%84%E9%83%A8/2026/"),
        (r"\\?\UNC\server\share\p.csrproj", "file:////server/share/p.csrproj"),
        (r"Z:\自评\p.csrproj", "file:///Z:/%E8%87%AA%E8%AF%84/p.csrproj"),
        (r"\\?\C:\x\p.csrproj", "file:///C:/x/p.csrproj"),
        (r"C:\a#b\50%?\p.csrproj", "file:///C:/a%23b/50%25%3F/p.csrproj"),
    ],
)
def test_windows_paths_give_uris_with_an_empty_host_part(path: str, uri: str):
    built = sqlite_uri(path, windows=True)
    assert built.startswith(uri)
    assert built.startswith(("file:///", "file:////"))  # never file://server/…


def test_a_path_is_used_as_given_not_resolved(tmp_path: Path):
    (tmp_path / "real").mkdir()
    (tmp_path / "mapped").symlink_to(tmp_path / "real")  # as a mapped drive spells a share
    assert sqlite_uri(tmp_path / "mapped" / "p.csrproj", windows=False) == (
        "file://" + str(tmp_path / "mapped" / "p.csrproj").replace("#", "%23")
    )


def test_relative_paths_become_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert sqlite_uri("p.csrproj", windows=False) == f"file://{tmp_path}/p.csrproj"


def test_sqlite_opens_read_only_by_the_uri_in_a_folder_with_reserved_characters(tmp_path: Path):
    folder = tmp_path / "合规部 #1 50%?=&" / "127.0.0.1:445"
    folder.mkdir(parents=True)
    with Project.create(folder / "项目.csrproj") as p:
        p.set("company.name", "甲")
    db = connect(folder / "项目.csrproj", Role.READER)
    try:
        assert db.execute("SELECT value FROM fields WHERE key='company.name'").fetchone()
        with pytest.raises(sqlite3.OperationalError):
            db.execute("CREATE TABLE x (y)")
    finally:
        db.close()
    before = os.getcwd()
    os.chdir(folder)
    try:
        with Project.open("项目.csrproj", readonly=True) as p:
            assert p.assessment().company["name"] == "甲"
    finally:
        os.chdir(before)
