"""Issue 27 item 12: dump/load carry 待复核, 负责部门 and the stamped pages' scans (extra keys);
next year carries 负责部门 but never the scans, which belong to their year."""

from __future__ import annotations

import json
from pathlib import Path

from csr_desktop.core.carry_over import carry_over
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.store import Project
from csr_desktop.formats.evidence.scan_files import attach_scan
from csr_desktop.formats.interchange import dump, load


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(buf, "PNG")
    return buf.getvalue()


PNG = _png()


def _project(tmp_path: Path) -> Path:
    path = tmp_path / "今年.csrproj"
    scan = tmp_path / "承诺书扫描.png"
    scan.write_bytes(PNG)
    Project.create(path).close()
    with Project.open(path) as p:
        p.set("indicator.3.narrative", "介绍")
        p.set(FieldRef.department(3).key, "法务部")
        p.set("indicator.3.review_pending", True)
        attach_scan(p, "letter", scan)
    return path


def test_dump_and_load_carry_review_department_and_scans(tmp_path: Path) -> None:
    source = _project(tmp_path)
    with Project.open(source, readonly=True) as p:
        data = dump(p)
    three = next(i for i in data["indicators"] if i["no"] == 3)
    assert three["review_pending"] is True and three["department"] == "法务部"
    assert data["scans"]["letter"]["file"] == "承诺书扫描.png"
    folder = tmp_path / "交换"
    folder.mkdir()
    (folder / "承诺书扫描.png").write_bytes(PNG)
    (folder / "p.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    again = tmp_path / "载入.csrproj"
    load(folder / "p.json", again)
    with Project.open(again, readonly=True) as p:
        assert p.get(FieldRef.department(3).key) == "法务部"
        assert p.assessment().answer(3).review_pending
        scan = p.get(FieldRef.scan("letter").key)
        assert scan["name"] == "承诺书扫描.png"
        assert scan["sha256"] == data["scans"]["letter"]["sha256"]
        assert p.has_file(scan["sha256"])


def test_next_year_keeps_departments_and_drops_scans(tmp_path: Path) -> None:
    source = _project(tmp_path)
    dest = tmp_path / "明年.csrproj"
    carry_over(source, dest)
    with Project.open(dest, readonly=True) as p:
        assert p.get(FieldRef.department(3).key) == "法务部"
        assert p.get(FieldRef.scan("letter").key) is None
