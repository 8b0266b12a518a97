"""The submission package: layout, names, manifest, verify, cancel, atomicity and memory.

The three documents are rendered by injected stand-ins here, so these tests check packaging
alone; `test_package_integration.py` builds a package with the real renderers.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from csr_desktop import __version__
from csr_desktop.core import atomic
from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import Cancelled, CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.package.build import (
    PackageReport,
    Renderers,
    build_package,
    default_package_name,
    report_lines,
    verify_package,
)
from csr_desktop.formats.safe_names import is_safe_path

DOCS = ("自评表.xlsx", "诚信承诺书.pdf", "自评材料.pdf", "自评材料.docx")


class FakeRenderers:
    """Stand-ins that write a small file naming what they were asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, object]]] = []

    def _write(self, kind: str, dest: Path, **kw: object) -> None:
        self.calls.append((kind, kw))
        shown = {k: v for k, v in kw.items() if k != "progress"}
        Path(dest).write_bytes(f"{kind} {shown}".encode() * 50)

    def renderers(self) -> Renderers:
        return Renderers(
            lambda project, dest: self._write("xlsx", dest),
            lambda project, dest, draft=None: self._write("letter", dest, draft=draft),
            lambda project, dest, draft=None, progress=None: self._write(
                "document", dest, draft=draft, progress=progress
            ),
            lambda project, dest, draft=None, progress=None: self._write(
                "docx", dest, draft=draft, progress=progress
            ),
        )


def package(project_path: Path, dest: Path, **kw: object) -> PackageReport:
    fake = kw.pop("fake", None) or FakeRenderers()
    with Project.open(project_path, readonly=True) as project:
        return build_package(
            project,
            dest,
            kw.get("progress"),  # type: ignore[arg-type]
            kw.get("draft"),  # type: ignore[arg-type]
            fake.renderers(),  # type: ignore[union-attr]
        )


def manifest_of(zip_path: Path) -> dict:
    with zipfile.ZipFile(zip_path) as zf:
        return json.loads(zf.read("manifest.json"))


def rewrite(src: Path, dest: Path, transform) -> None:
    """Copy a zip member by member; `transform(name, data)` returns new data or None to drop."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = transform(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def built(sample_project: Path, tmp_path: Path) -> tuple[Path, PackageReport]:
    dest = tmp_path / "out" / "包.zip"
    dest.parent.mkdir()
    return dest, package(sample_project, dest)


# ---- layout, names, manifest ---------------------------------------------------------------


def test_package_holds_the_documents_every_evidence_file_a_listing_and_a_manifest(
    sample_project: Path, built: tuple[Path, PackageReport]
) -> None:
    dest, report = built
    with Project.open(sample_project, readonly=True) as project:
        assessment = project.assessment()
        expected = {}
        for ind in assessment.indicator_set.indicators:
            for pos, item in enumerate(assessment.answer(ind.no).evidence, start=1):
                assert item.sha256 is not None
                expected[(ind.no, pos)] = (ind.name, item, b"".join(project.iter_file(item.sha256)))
    with zipfile.ZipFile(dest) as zf:
        names = zf.namelist()
        assert names[:4] == list(DOCS)  # the Word version too (issue 25)
        assert names[-2:] == ["清单.csv", "manifest.json"]
        evidence = [n for n in names if n.startswith("佐证材料/")]
        assert len(evidence) == len(expected) == report.evidence_files
        pattern = re.compile(r"^佐证材料/(\d+)_([^/]+)/(\d+)_([^/]+)\.txt$")
        for name in evidence:
            m = pattern.match(name)
            assert m, name
            ind_name, item, data = expected[(int(m[1]), int(m[3]))]
            assert m[2] == ind_name and m[4] == item.name
            assert zf.read(name) == data
        assert all(is_safe_path(n) for n in names)
        assert report.files == len(names) and report.bytes == dest.stat().st_size
        assert zf.testzip() is None


def test_manifest_lists_every_file_with_size_and_sha256_and_the_package_facts(
    sample_project: Path, built: tuple[Path, PackageReport]
) -> None:
    dest, _ = built
    manifest = manifest_of(dest)
    with zipfile.ZipFile(dest) as zf:
        members = [n for n in zf.namelist() if n != "manifest.json"]
        listed = {f["path"]: f for f in manifest["files"]}
        assert sorted(listed) == sorted(members)
        for name in members:
            data = zf.read(name)
            assert listed[name]["size"] == len(data)
            assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest()
    with Project.open(sample_project, readonly=True) as project:
        iset = project.indicator_set
        company = project.assessment().company["name"]
    assert manifest["generator"]["version"] == __version__
    assert manifest["indicator_set"] == {"id": iset.id, "version": iset.version}
    assert manifest["company"] == company
    assert manifest["draft"] is False and manifest["missing_evidence"] == []
    created = dt.datetime.fromisoformat(manifest["created_at"])
    assert abs((dt.datetime.now().astimezone() - created).total_seconds()) < 300
    evidence = [f for f in manifest["files"] if f["role"] == "evidence"]
    assert all(f["indicator"] and f["position"] and f["original_name"] for f in evidence)


def test_names_carry_the_utf8_flag_in_central_and_local_headers(
    built: tuple[Path, PackageReport],
) -> None:
    dest, _ = built
    raw = dest.read_bytes()
    with zipfile.ZipFile(dest) as zf:
        for info in zf.infolist():
            if info.filename.isascii():
                continue
            assert info.flag_bits & 0x800, info.filename
            local = raw[info.header_offset : info.header_offset + 30]
            assert local[:4] == b"PK\x03\x04"
            assert int.from_bytes(local[6:8], "little") & 0x800, info.filename
            name_len = int.from_bytes(local[26:28], "little")
            assert raw[info.header_offset + 30 : info.header_offset + 30 + name_len] == (
                info.filename.encode("utf-8")
            )


def test_unzip_and_bsdtar_list_and_extract_the_chinese_names(
    built: tuple[Path, PackageReport], tmp_path: Path
) -> None:
    dest, _ = built
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    with zipfile.ZipFile(dest) as zf:
        names = zf.namelist()
        contents = {n: zf.read(n) for n in names}
    unzip = subprocess.run(
        ["unzip", "-Z1", str(dest)], capture_output=True, env=env, check=True
    ).stdout.decode("utf-8")
    assert unzip.splitlines() == names
    bsdtar = subprocess.run(
        ["bsdtar", "-tf", str(dest)], capture_output=True, env=env, check=True
    ).stdout.decode("utf-8")
    assert bsdtar.splitlines() == names
    for tool, cmd in (
        ("unzip", ["unzip", "-q", str(dest), "-d"]),
        ("bsdtar", ["bsdtar", "-xf", str(dest), "-C"]),
    ):
        out = tmp_path / tool
        out.mkdir()
        subprocess.run([*cmd, str(out)], env=env, check=True, capture_output=True)
        for name, data in contents.items():
            assert (out / name).read_bytes() == data, (tool, name)


def test_listing_csv_opens_in_excel_as_utf8_and_names_every_row(
    sample_project: Path, tmp_path: Path
) -> None:
    with Project.open(sample_project) as project:
        items = list(project.assessment().answer(5).evidence)
        items[0] = EvidenceItem(
            '=HYPERLINK("x")', "@备注", items[0].file_name, items[0].sha256, items[0].size
        )
        project.set_evidence(5, items, "test")
    dest = tmp_path / "p.zip"
    package(sample_project, dest)
    with zipfile.ZipFile(dest) as zf:
        raw = zf.read("清单.csv")
        files = manifest_of(dest)["files"]
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert "SHA-256" in header and "材料名称" in header
    assert [r[0] for r in body if r[0]] == [f["path"] for f in files if f["path"] != "清单.csv"]
    assert not any(cell.startswith(("=", "@", "+")) for row in body for cell in row)
    hyperlink = next(r for r in body if "HYPERLINK" in r[header.index("材料名称")])
    assert hyperlink[header.index("材料名称")].lstrip("'") == '=HYPERLINK("x")'


def test_evidence_rows_without_a_file_are_listed_as_missing_and_make_a_draft(
    sample_project: Path, tmp_path: Path
) -> None:
    with Project.open(sample_project) as project:
        items = list(project.assessment().answer(9).evidence)
        items.insert(1, EvidenceItem("董事会决议（待补）", "法务部提供", None, None, None))
        project.set_evidence(9, items, "test")
    fake = FakeRenderers()
    dest = tmp_path / "p.zip"
    report = package(sample_project, dest, fake=fake)
    assert report.draft is True
    assert [(e.indicator_no, e.position, e.item.name) for e in report.missing] == [
        (9, 2, "董事会决议（待补）")
    ]
    assert ("letter", {"draft": True}) in fake.calls
    manifest = manifest_of(dest)
    assert manifest["draft"] is True
    [missing] = manifest["missing_evidence"]
    assert (missing["indicator"], missing["position"], missing["name"]) == (
        9,
        2,
        "董事会决议（待补）",
    )
    assert missing["reason"]
    with zipfile.ZipFile(dest) as zf:
        names = zf.namelist()
        listing = zf.read("清单.csv").decode("utf-8-sig")
    # the rows keep their catalogue numbers: the third row is still "3_…"
    folder = [n for n in names if n.startswith("佐证材料/9_")]
    assert [n.split("/")[-1].split("_")[0] for n in folder] == ["1", "3"]
    assert "董事会决议（待补）" in listing and "缺少文件" in listing
    verified = verify_package(dest)
    shown = "\n".join(report_lines(verified))
    assert verified.intact and "董事会决议（待补）" in shown and "草稿" in shown


def test_draft_follows_validation_unless_the_caller_decides(
    sample_project: Path, tmp_path: Path
) -> None:
    fake = FakeRenderers()
    assert package(sample_project, tmp_path / "a.zip", fake=fake).draft is False
    assert ("document", {"draft": False, "progress": fake.calls[-2][1]["progress"]}) == (
        fake.calls[-2]
    )
    assert fake.calls[-1][0] == "docx" and fake.calls[-1][1]["draft"] is False
    assert package(sample_project, tmp_path / "b.zip", draft=True).draft is True
    assert manifest_of(tmp_path / "b.zip")["draft"] is True
    with Project.open(sample_project) as project:
        project.set("company.contact", "")
    assert package(sample_project, tmp_path / "c.zip").draft is True
    assert package(sample_project, tmp_path / "d.zip", draft=False).draft is False


def test_hostile_material_names_are_made_safe_and_unique(
    sample_project: Path, tmp_path: Path
) -> None:
    hostile = ["../x", "CON", "a:b", "长" * 300, "x" * 300, "a:b", "报告.", " ", "..\\..\\evil"]
    originals = ["../../x.pdf", "CON.docx", "a:b.PNG", "long.pdf", "y.p|d|f", "c.pdf", "d", "", "e"]
    with Project.open(sample_project) as project:
        [first] = project.assessment().answer(1).evidence[:1]
        items = [
            EvidenceItem(name, "", orig, first.sha256, first.size)
            for name, orig in zip(hostile, originals, strict=True)
        ]
        project.set_evidence(1, items, "test")
    dest = tmp_path / "p.zip"
    package(sample_project, dest)
    with zipfile.ZipFile(dest) as zf:
        names = [n for n in zf.namelist() if n.startswith("佐证材料/1_")]
    leaves = [n.split("/")[-1] for n in names]
    assert len(leaves) == len(hostile) and len({x.casefold() for x in leaves}) == len(leaves)
    assert all(is_safe_path(n) for n in names)
    assert leaves[1].startswith("2_CON") and leaves[1].endswith(".docx")
    assert leaves[2] == "3_a_b.png" and leaves[5] == "6_a_b.pdf"
    assert all(len(n) <= 240 for n in names)
    assert verify_package(dest).intact


def test_default_package_name_says_draft_and_is_safe(sample_project: Path) -> None:
    with Project.open(sample_project) as project:
        a = project.assessment()
        company = a.company["name"]
        day = dt.date(2024, 8, 15)
        final, draft = default_package_name(a, day, False), default_package_name(a, day, True)
        project.set("company.name", 'A/B:C*公司"' + "长" * 200)
        hostile = default_package_name(project.assessment(), day, True)
    assert final.startswith(company) and "提交材料包" in final and "草稿" not in final
    assert "草稿" in draft and "20240815" in draft and draft.endswith(".zip")
    assert is_safe_path(hostile) and hostile.endswith("_提交材料包_草稿_20240815.zip")


# ---- verify ---------------------------------------------------------------------------------


def test_verify_is_clean_on_a_fresh_package(built: tuple[Path, PackageReport]) -> None:
    dest, report = built
    result = verify_package(dest)
    assert result.intact and not result.draft
    assert len(result.ok) == report.files - 1


def test_a_changed_byte_a_removed_and_an_added_file_are_each_reported(
    built: tuple[Path, PackageReport], tmp_path: Path
) -> None:
    dest, _ = built
    target = next(n for n in zipfile.ZipFile(dest).namelist() if n.startswith("佐证材料/7_"))

    def flip(name: str, data: bytes) -> bytes:
        return data[:10] + bytes([data[10] ^ 1]) + data[11:] if name == target else data

    changed, removed, added = tmp_path / "c.zip", tmp_path / "r.zip", tmp_path / "a.zip"
    rewrite(dest, changed, flip)
    rewrite(dest, removed, lambda n, d: None if n == "自评表.xlsx" else d)
    rewrite(dest, added, lambda n, d: d)
    with zipfile.ZipFile(added, "a") as zf:
        zf.writestr("佐证材料/7_x/偷偷加的.pdf", b"%PDF")
    r = verify_package(changed)
    assert [d.path for d in r.changed] == [target] and not (r.missing or r.extra)
    assert "SHA-256" in r.changed[0].reason
    r = verify_package(removed)
    assert r.missing == ("自评表.xlsx",) and not (r.changed or r.extra)
    r = verify_package(added)
    assert r.extra == ("佐证材料/7_x/偷偷加的.pdf",) and not (r.changed or r.missing)
    for path, word in ((changed, "已改动"), (removed, "缺失"), (added, "多出")):
        verified = verify_package(path)
        assert not verified.intact and word in "\n".join(report_lines(verified))


def test_a_byte_flipped_in_the_raw_zip_is_caught(
    built: tuple[Path, PackageReport], tmp_path: Path
) -> None:
    dest, _ = built
    with zipfile.ZipFile(dest) as zf:
        info = zf.getinfo("诚信承诺书.pdf")
    raw = bytearray(dest.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + 5] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(raw))
    r = verify_package(bad)
    assert [d.path for d in r.changed] == ["诚信承诺书.pdf"]


def test_cli_verify_exit_codes(built: tuple[Path, PackageReport], tmp_path: Path, cli) -> None:
    dest, _ = built
    ok = cli("verify", dest)
    assert ok.returncode == 0, ok.stderr
    assert "完整" in ok.stdout
    removed = tmp_path / "r.zip"
    rewrite(dest, removed, lambda n, d: None if n == "自评材料.pdf" else d)
    assert cli("verify", removed).returncode == 1
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all" * 10)
    bad = cli("verify", junk)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "junk.zip" in bad.stderr and "Traceback" not in bad.stderr


# ---- cancel, errors, atomicity --------------------------------------------------------------


def test_cancel_at_any_point_leaves_nothing(sample_project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dest"
    folder.mkdir()
    calls: list[tuple[int, int]] = []
    package(sample_project, folder / "full.zip", progress=lambda d, t: calls.append((d, t)) or True)
    assert (
        calls[-1][0]
        == calls[-1][1]
        == sum(i.file_size for i in zipfile.ZipFile(folder / "full.zip").infolist())
    )
    assert all(d <= t for d, t in calls)
    assert calls == sorted(calls)  # neither the bytes done nor the total ever go back
    (folder / "full.zip").unlink()
    for stop_after in (0, 1, len(calls) // 2, len(calls) - 1):
        seen = 0

        def progress(done: int, total: int, stop: int = stop_after) -> bool:
            nonlocal seen
            seen += 1
            return seen <= stop

        with pytest.raises(Cancelled):
            package(sample_project, folder / "p.zip", progress=progress)
        assert leftovers(folder) == []


@pytest.mark.posix_only("a read-only folder by chmod 0o555 or chattr +i")
def test_a_read_only_folder_leaves_nothing_and_says_so(
    sample_project: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0  # root ignores modes: make the folder immutable instead
    if immutable:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        with pytest.raises(CsrError) as exc:
            package(sample_project, folder / "p.zip")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)
    assert "p.zip" in exc.value.zh and ("只读" in exc.value.zh or "权限" in exc.value.zh)
    assert leftovers(folder) == []


class _FullDisk(io.FileIO):
    """A file that fails with ENOSPC after a few kilobytes, like a disk filling up."""

    budget = 20_000

    def write(self, data) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.budget:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (PermissionError(errno.EACCES, "Permission denied"), "权限"),
    ],
)
def test_failure_to_create_the_file_is_a_clear_message(
    sample_project: Path, tmp_path: Path, monkeypatch, error: OSError, words: str
) -> None:
    def refuse(*_a, **_k):
        raise error

    monkeypatch.setattr(atomic, "open", refuse, raising=False)
    with pytest.raises(CsrError) as exc:
        package(sample_project, tmp_path / "out.zip")
    assert words in exc.value.zh and "out.zip" in exc.value.zh
    assert not (tmp_path / "out.zip").exists()


def test_a_disk_filling_up_midway_leaves_nothing(
    sample_project: Path, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "dest"
    folder.mkdir()
    monkeypatch.setattr(atomic, "open", lambda p, mode: _FullDisk(p, "w"), raising=False)
    with pytest.raises(CsrError) as exc:
        package(sample_project, folder / "p.zip")
    assert "磁盘空间不足" in exc.value.zh and "p.zip" in exc.value.zh
    assert leftovers(folder) == []


def test_an_existing_package_survives_a_failed_export(
    built: tuple[Path, PackageReport], sample_project: Path
) -> None:
    dest, _ = built
    before = dest.read_bytes()
    with pytest.raises(Cancelled):
        package(sample_project, dest, progress=lambda d, t: d == 0)
    assert dest.read_bytes() == before and leftovers(dest.parent) == [dest.name]


def test_a_tampered_stored_file_stops_the_export_with_a_clear_message(
    sample_project: Path, tmp_path: Path
) -> None:
    with Project.open(sample_project, readonly=True) as project:
        item = project.assessment().answer(4).evidence[1]
    db = sqlite3.connect(sample_project)
    with db:
        db.execute(
            "UPDATE blob_chunks SET data = ? WHERE blob_id = "
            "(SELECT id FROM blobs WHERE sha256 = ?)",
            (b"tampered", item.sha256),
        )
    db.close()
    folder = tmp_path / "dest"
    folder.mkdir()
    with pytest.raises(CsrError) as exc:
        package(sample_project, folder / "p.zip")
    assert "第4项" in exc.value.zh and item.name in exc.value.zh and "重新添加" in exc.value.zh
    assert leftovers(folder) == []


# ---- memory ---------------------------------------------------------------------------------


def test_large_evidence_streams_through_in_bounded_memory(tmp_path: Path) -> None:
    """48 MB of evidence (one stored, one deflated) packs with a few MB of Python memory."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "扫描件.pdf").write_bytes(os.urandom(32 << 20))
    (src / "日志.txt").write_bytes(b"2024-08-15 \xe6\x97\xa5\xe5\xbf\x97 line\n" * (16 << 20 >> 5))
    proj = tmp_path / "big.csrproj"
    with Project.create(proj) as project:
        project.add_evidence_files(3, [src / "扫描件.pdf", src / "日志.txt"])
    dest = tmp_path / "big.zip"
    tracemalloc.start()
    try:
        package(proj, dest, draft=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 << 20, f"peak {peak / 1e6:.1f} MB"
    with zipfile.ZipFile(dest) as zf:
        stored = zf.getinfo("佐证材料/3_构建规则体系/1_扫描件.pdf")
        text = zf.getinfo("佐证材料/3_构建规则体系/2_日志.txt")
    assert stored.compress_type == zipfile.ZIP_STORED and stored.file_size == 32 << 20
    assert text.compress_type == zipfile.ZIP_DEFLATED and text.compress_size < text.file_size // 4
    tracemalloc.start()
    try:
        assert verify_package(dest).intact
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 << 20, f"verify peak {peak / 1e6:.1f} MB"


def test_zip64_headers_for_huge_members_are_read_by_every_tool(
    sample_project: Path, tmp_path: Path, monkeypatch
) -> None:
    """Members past 2 GiB get ZIP64 headers; force them on small ones to check the path."""
    from csr_desktop.formats.package import build as package_module

    monkeypatch.setattr(package_module, "ZIP64_FROM", 0)
    dest = tmp_path / "z64.zip"
    package(sample_project, dest)
    with zipfile.ZipFile(dest) as zf:
        info = zf.infolist()[0]
    raw = dest.read_bytes()
    local_extra = raw[info.header_offset + 28 : info.header_offset + 30]
    assert int.from_bytes(local_extra, "little") > 0  # the ZIP64 extra field is there
    assert verify_package(dest).intact
    subprocess.run(["unzip", "-tq", str(dest)], check=True, capture_output=True)
    subprocess.run(["bsdtar", "-tf", str(dest)], check=True, capture_output=True)
