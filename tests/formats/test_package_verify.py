"""`verify` on hostile packages: a clear result, in bounded time and memory, never a crash.

Each hostile zip is built here from a small honest package; the same builders wrote the files
in `tests/corpus/zips/` (regenerate with `python tests/formats/test_package_verify.py`), which
other readers of zips can reuse. File names there start with the class of result expected:
`unreadable_` (exit 2, one CsrError) or `differs_` (exit 1, the difference listed).
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import sys
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from csr_desktop.core.errors import CsrError
from csr_desktop.formats.package.build import report_lines, verify_package

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "zips"
Member = tuple[str, bytes]


def _zip(members: list[Member], manifest: dict | bytes | None, method: int = 8) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")  # duplicate names are the point of some cases
        for name, data in members:
            info = zipfile.ZipInfo(name, (2024, 8, 15, 10, 0, 0))
            info.compress_type = method
            zf.writestr(info, data)
        if manifest is not None:
            raw = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
            zf.writestr("manifest.json", raw)
    return buf.getvalue()


def _manifest(members: list[Member], **overrides: object) -> dict:
    files = [
        {"path": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest(), "role": "evidence"}
        for n, d in members
    ]
    return {
        "format": "csr-submission-package",
        "version": 1,
        "draft": False,
        "files": files,
        "missing_evidence": [],
        **overrides,
    }


HONEST: list[Member] = [
    ("自评表.xlsx", b"PK fake workbook " * 40),
    ("佐证材料/1_责任意识建立/1_制度.pdf", b"%PDF-1.7 " * 100),
]


def honest() -> bytes:
    return _zip(HONEST, _manifest(HONEST))


def zip_slip() -> bytes:
    members = [*HONEST, ("../../evil.txt", b"owned")]
    return _zip(members, _manifest(members))


def absolute_names() -> bytes:
    members = [*HONEST, ("/etc/cron.d/evil", b"x"), ("C:/Windows/evil.dll", b"y")]
    return _zip(members, _manifest(members))


def windows_reserved_name() -> bytes:
    members = [*HONEST, ("佐证材料/CON.pdf", b"%PDF")]
    return _zip(members, _manifest(members))


def duplicate_members() -> bytes:
    members = [*HONEST, ("自评表.xlsx", b"a different workbook")]
    return _zip(members, _manifest(HONEST))


def manifest_lies_about_hash() -> bytes:
    manifest = _manifest(HONEST)
    manifest["files"][1]["sha256"] = "0" * 64
    return _zip(HONEST, manifest)


def manifest_lies_about_size() -> bytes:
    manifest = _manifest(HONEST)
    manifest["files"][0]["size"] += 1
    return _zip(HONEST, manifest)


def manifest_lists_a_missing_file() -> bytes:
    return _zip(HONEST[:1], _manifest(HONEST))


def manifest_lists_a_file_twice() -> bytes:
    manifest = _manifest(HONEST)
    manifest["files"].append(dict(manifest["files"][0]))
    return _zip(HONEST, manifest)


def unsupported_compression() -> bytes:
    return _zip(HONEST, _manifest(HONEST), method=zipfile.ZIP_BZIP2)


def no_manifest() -> bytes:
    return _zip(HONEST, None)


def manifest_not_json() -> bytes:
    return _zip(HONEST, b"{not json")


def manifest_of_another_format() -> bytes:
    return _zip(HONEST, {"format": "something-else", "files": []})


def manifest_from_the_future() -> bytes:
    return _zip(HONEST, _manifest(HONEST, version=99))


def manifest_with_bad_entries() -> bytes:
    return _zip(HONEST, _manifest(HONEST, files=[{"path": 3, "size": "big"}]))


def two_manifests() -> bytes:
    data = _zip(HONEST, _manifest(HONEST))
    buf = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "a") as zf:
        warnings.simplefilter("ignore")
        zf.writestr("manifest.json", json.dumps(_manifest([])))
    return buf.getvalue()


def not_a_zip() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def empty() -> bytes:
    return b""


def truncated_half() -> bytes:
    data = honest()
    return data[: len(data) // 2]


def truncated_tail() -> bytes:
    return honest()[:-7]


def header_claims_a_huge_member() -> bytes:
    """A central directory that says a tiny stored member unpacks to 4 GB."""
    data = bytearray(honest())
    cd = data.find(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    return bytes(data)


def overlapping_members() -> bytes:
    """5000 directory entries sharing one 1 MiB deflated stream: 5 GB from a tiny file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("佐证材料/bomb/0.bin", bytes(1 << 20))
        base = zf.filelist[0]
        for i in range(1, 5000):
            twin = copy.copy(base)
            twin.filename = twin.orig_filename = f"佐证材料/bomb/{i}.bin"
            zf.filelist.append(twin)
        zf.writestr("manifest.json", json.dumps(_manifest([])))
    return buf.getvalue()


def encrypted_member() -> bytes:
    data = bytearray(honest())
    cd = data.find(b"PK\x01\x02")
    data[cd + 8] |= 0x01
    return bytes(data)


Builder = Callable[[], bytes]
DIFFERS: dict[str, Builder] = {
    "zip_slip": zip_slip,
    "absolute_names": absolute_names,
    "windows_reserved_name": windows_reserved_name,
    "duplicate_members": duplicate_members,
    "manifest_lies_about_hash": manifest_lies_about_hash,
    "manifest_lies_about_size": manifest_lies_about_size,
    "manifest_lists_a_missing_file": manifest_lists_a_missing_file,
    "manifest_lists_a_file_twice": manifest_lists_a_file_twice,
    "unsupported_compression": unsupported_compression,
}
UNREADABLE: dict[str, Builder] = {
    "no_manifest": no_manifest,
    "manifest_not_json": manifest_not_json,
    "manifest_of_another_format": manifest_of_another_format,
    "manifest_from_the_future": manifest_from_the_future,
    "manifest_with_bad_entries": manifest_with_bad_entries,
    "two_manifests": two_manifests,
    "not_a_zip": not_a_zip,
    "empty": empty,
    "truncated_half": truncated_half,
    "truncated_tail": truncated_tail,
    "header_claims_a_huge_member": header_claims_a_huge_member,
    "overlapping_members": overlapping_members,
    "encrypted_member": encrypted_member,
}


def _bounded(action: Callable[[], object]) -> object:
    """Run `action`, asserting it stays within a few seconds and a few MB of Python memory."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        return action()
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert elapsed < 10 and peak < 32 << 20, (elapsed, peak)


def test_an_honest_package_is_intact(tmp_path: Path) -> None:
    path = tmp_path / "ok.zip"
    path.write_bytes(honest())
    report = verify_package(path)
    assert report.intact and sorted(report.ok) == sorted(n for n, _ in HONEST)


@pytest.mark.parametrize("case", sorted(DIFFERS))
def test_hostile_packages_are_reported_as_differences(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.zip"
    path.write_bytes(DIFFERS[case]())
    report = _bounded(lambda: verify_package(path))
    assert not report.intact
    assert "结果：发现不一致" in "\n".join(report_lines(report))


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_unreadable_packages_raise_one_clear_error(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.zip"
    path.write_bytes(UNREADABLE[case]())
    with pytest.raises(CsrError) as exc:
        _bounded(lambda: verify_package(path))
    assert f"{case}.zip" in exc.value.zh and "\n" not in exc.value.one_line()


def test_each_hostile_case_is_reported_for_what_it_is(tmp_path: Path) -> None:
    def run(builder: Builder):
        path = tmp_path / "x.zip"
        path.write_bytes(builder())
        return verify_package(path)

    slip = run(zip_slip)
    assert [p.path for p in slip.problems] == ["../../evil.txt"] and "zip slip" in slip.problems[
        0
    ].reason
    assert {p.path for p in run(absolute_names).problems} == {
        "/etc/cron.d/evil",
        "C:/Windows/evil.dll",
    }
    assert [p.path for p in run(windows_reserved_name).problems] == ["佐证材料/CON.pdf"]
    dup = run(duplicate_members)
    assert [p.path for p in dup.problems] == ["自评表.xlsx"] and [c.path for c in dup.changed] == [
        "自评表.xlsx"
    ]
    assert [c.path for c in run(manifest_lies_about_hash).changed] == [HONEST[1][0]]
    assert "大小" in run(manifest_lies_about_size).changed[0].reason
    assert run(manifest_lists_a_missing_file).missing == (HONEST[1][0],)
    assert [p.path for p in run(manifest_lists_a_file_twice).problems] == [HONEST[0][0]]
    assert len(run(unsupported_compression).changed) == len(HONEST)


def test_a_missing_file_or_a_folder_is_unreadable(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.zip", tmp_path):
        with pytest.raises(CsrError) as exc:
            verify_package(path)
        assert path.name in exc.value.zh


def test_the_committed_corpus_gives_the_class_of_result_its_name_says() -> None:
    files = sorted(CORPUS.glob("*.zip"))
    assert {f.stem for f in files} >= {f"differs_{c}" for c in DIFFERS} | {
        f"unreadable_{c}" for c in UNREADABLE
    }
    for path in files:
        if path.name.startswith("unreadable_"):
            with pytest.raises(CsrError):
                _bounded(lambda p=path: verify_package(p))
        else:
            assert path.name.startswith("differs_")
            assert not _bounded(lambda p=path: verify_package(p)).intact  # type: ignore[attr-defined]


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, cases in (("differs", DIFFERS), ("unreadable", UNREADABLE)):
        for name, build in cases.items():
            (folder / f"{prefix}_{name}.zip").write_bytes(build())


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
