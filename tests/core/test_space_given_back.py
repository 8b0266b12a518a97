"""Removed evidence gives its space back: users e-mail and copy these files (#22)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from csr_desktop.core.carry_over import carry_over
from csr_desktop.core.store import Project

MB = 1 << 20


def _files(folder: Path, n: int, size: int) -> list[Path]:
    out = []
    for i in range(n):
        f = folder / f"材料{i}.bin"
        with open(f, "wb") as fh:
            for k in range(size // MB):
                fh.write(bytes([i, k % 256]) * (MB // 2))
        out.append(f)
    return out


def _remove_half(p: Project, no: int) -> int:
    items = list(p.assessment().answer(no).evidence)
    keep = items[: len(items) // 2]
    p.set_evidence(no, keep, "删除佐证材料")
    return sum(i.size or 0 for i in keep)


def test_removing_half_the_evidence_shrinks_the_file_at_close(tmp_path: Path):
    path = tmp_path / "项目.csrproj"
    files = _files(tmp_path, 8, 24 * MB)  # 192 MB
    with Project.create(path) as p:
        p.add_evidence_files(3, files)
    assert path.stat().st_size > 190 * MB
    with Project.open(path) as p:
        remaining = _remove_half(p, 3)
    assert path.stat().st_size <= 1.1 * remaining, path.stat().st_size
    with Project.open(path) as p:
        for item in p.assessment().answer(3).evidence:
            assert p.file_is_intact(item.sha256)
        assert p.integrity_problems() == []


def test_a_project_of_an_earlier_version_is_compacted_once_at_close(tmp_path: Path):
    """auto_vacuum=NONE (every project before this version): rewritten compactly at close."""
    path = tmp_path / "旧项目.csrproj"
    files = _files(tmp_path, 6, 16 * MB)
    with Project.create(path) as p:
        p.add_evidence_files(2, files)
    db = sqlite3.connect(path)  # what earlier versions created
    db.execute("PRAGMA auto_vacuum=NONE")
    db.execute("VACUUM")
    db.close()
    with Project.open(path) as p:
        assert p.pragma("auto_vacuum") == 0
        remaining = _remove_half(p, 2)
    assert path.stat().st_size <= 1.1 * remaining
    assert sorted(f.name for f in tmp_path.iterdir() if "项目" in f.name) == ["旧项目.csrproj"]
    with Project.open(path) as p:
        assert p.pragma("auto_vacuum") == 2  # incremental from now on
        for item in p.assessment().answer(2).evidence:
            assert p.file_is_intact(item.sha256)


def test_save_as_and_new_year_write_compact_files(tmp_path: Path):
    path = tmp_path / "项目.csrproj"
    files = _files(tmp_path, 6, 16 * MB)
    with Project.create(path) as p:
        p.add_evidence_files(5, files)
        remaining = _remove_half(p, 5)  # still open: undo could bring the files back
        copy = tmp_path / "另存为.csrproj"
        p.save_copy(copy)
    assert copy.stat().st_size <= 1.1 * remaining
    new = tmp_path / "下一年.csrproj"
    carry_over(copy, new)
    assert new.stat().st_size <= 1.1 * remaining
    with Project.open(copy) as c:
        assert c.integrity_problems() == []
        assert len(c.assessment().answer(5).evidence) == 3
