"""Red-team inputs for the whole command line, built at test time; answers in `hostile/expect.json`.

Each case writes what it needs into a folder and returns the `csr-desktop` command lines to
run (every one but the last must succeed). FIFOs, devices, symlinks out of the folder and
60 MB files cannot live in a repository, so nothing binary is committed: the test
(`tests/cli/test_hostile_corpus.py`) builds every case in a temp folder and runs it under a
memory and time limit. To look at them by hand:

    .venv/bin/python -m tests.corpus.make_hostile OUT_DIR     # prints each case's command
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import sys
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent / "hostile"
EXPECT = HERE / "expect.json"
MiB = 1 << 20


@dataclass
class Base:
    """What most cases start from: a sample interchange file, its project, its workbook."""

    folder: Path
    json_path: Path
    project: Path
    workbook: Path

    def doc(self) -> dict:
        return json.loads(self.json_path.read_text(encoding="utf-8"))


@dataclass
class Case:
    steps: list[list[str]]
    env: dict[str, str] = field(default_factory=dict)


def make_base(folder: Path) -> Base:
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.xlsx.export import export_xlsx
    from csr_desktop.sample import build_interchange

    folder.mkdir(parents=True, exist_ok=True)
    src = build_interchange(folder / "in", evidence_per_indicator=1)
    project = folder / "base.csrproj"
    interchange.load(src, project)
    workbook = folder / "base.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, workbook)
    return Base(folder, src, project, workbook)


CASES: dict[str, Callable[[Base, Path], Case]] = {}


def case(fn: Callable[[Base, Path], Case]) -> Callable[[Base, Path], Case]:
    CASES[fn.__name__] = fn
    return fn


def _new(d: Path) -> str:
    return str(d / "new.csrproj")


# ---- interchange JSON given to `load` ------------------------------------------------------


@case
def json_dev_zero(b: Base, d: Path) -> Case:
    return Case([["load", "/dev/zero", _new(d)]])


@case
def json_fifo(b: Base, d: Path) -> Case:
    os.mkfifo(d / "管道.json")
    return Case([["load", str(d / "管道.json"), _new(d)]])


@case
def json_folder(b: Base, d: Path) -> Case:
    (d / "文件夹.json").mkdir()
    return Case([["load", str(d / "文件夹.json"), _new(d)]])


@case
def json_proc_environ(b: Base, d: Path) -> Case:
    return Case([["load", "/proc/self/environ", _new(d)]])


@case
def json_symlink_to_proc(b: Base, d: Path) -> Case:
    (d / "看似正常.json").symlink_to("/proc/self/environ")
    return Case([["load", str(d / "看似正常.json"), _new(d)]])


@case
def json_63mb_of_braces(b: Base, d: Path) -> Case:
    (d / "braces.json").write_bytes(b"{}" * (63 * MiB // 2))
    return Case([["load", str(d / "braces.json"), _new(d)]])


@case
def json_21m_empty_objects(b: Base, d: Path) -> Case:
    (d / "objects.json").write_bytes(b"[" + b"{}," * (21 * MiB) + b"{}]")
    return Case([["load", str(d / "objects.json"), _new(d)]])


@case
def json_just_under_the_value_limit(b: Base, d: Path) -> Case:
    """A valid file with an extra key of 990,000 values (extra keys are allowed): loaded."""
    doc = b.doc()
    for ind in doc["indicators"]:
        ind["evidence"] = []
    doc["extra"] = [0] * 990_000
    (d / "many.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return Case([["load", str(d / "many.json"), _new(d)]])


@case
def json_over_64mb(b: Base, d: Path) -> Case:
    (d / "big.json").write_bytes(b" " * (64 * MiB) + b"{}")
    return Case([["load", str(d / "big.json"), _new(d)]])


@case
def json_lone_surrogate(b: Base, d: Path) -> Case:
    raw = b.json_path.read_text(encoding="utf-8")
    doc = json.loads(raw)
    doc["indicators"][3]["narrative"] = "正文\udc80结尾"
    (d / "surrogate.json").write_text(json.dumps(doc), encoding="utf-8")  # ascii: \udc80
    return Case([["load", str(d / "surrogate.json"), _new(d)]])


@case
def json_destination_folder_missing(b: Base, d: Path) -> Case:
    return Case([["load", str(b.json_path), str(d / "没有这个文件夹" / "new.csrproj")]])


@case
def json_destination_inside_a_file(b: Base, d: Path) -> Case:
    (d / "普通文件").write_text("x")
    return Case([["load", str(b.json_path), str(d / "普通文件" / "new.csrproj")]])


@case
def json_destination_is_a_folder(b: Base, d: Path) -> Case:
    (d / "是文件夹.csrproj").mkdir()
    return Case([["load", str(b.json_path), str(d / "是文件夹.csrproj"), "--force"]])


def _with_evidence(b: Base, d: Path, file: str, name: str = "doc.json") -> Path:
    """A copy of the sample JSON in `d` whose first evidence row points at `file`."""
    doc = b.doc()
    for ind in doc["indicators"]:
        for ev in ind["evidence"]:
            if ev["file"] is not None:  # the sample's own files, made absolute (outside d)
                ev["file"] = None
    doc["indicators"][0]["evidence"][0]["file"] = file
    path = d / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@case
def evidence_proc_environ(b: Base, d: Path) -> Case:
    return Case([["load", str(_with_evidence(b, d, "/proc/self/environ")), _new(d)]])


@case
def evidence_proc_environ_even_when_allowed(b: Base, d: Path) -> Case:
    path = _with_evidence(b, d, "/proc/self/environ")
    return Case([["load", str(path), _new(d), "--allow-outside"]])


@case
def evidence_dev_zero(b: Base, d: Path) -> Case:
    return Case([["load", str(_with_evidence(b, d, "/dev/zero")), _new(d), "--allow-outside"]])


@case
def evidence_fifo(b: Base, d: Path) -> Case:
    os.mkfifo(d / "管道.pdf")
    return Case([["load", str(_with_evidence(b, d, "管道.pdf")), _new(d)]])


@case
def evidence_folder(b: Base, d: Path) -> Case:
    (d / "材料").mkdir()
    return Case([["load", str(_with_evidence(b, d, "材料")), _new(d)]])


@case
def evidence_symlink_out(b: Base, d: Path) -> Case:
    (d / "报告.pdf").symlink_to("/etc/passwd")
    return Case([["load", str(_with_evidence(b, d, "报告.pdf")), _new(d)]])


@case
def evidence_symlink_out_allowed(b: Base, d: Path) -> Case:
    (d / "报告.pdf").symlink_to("/etc/passwd")
    return Case([["load", str(_with_evidence(b, d, "报告.pdf")), _new(d), "--allow-outside"]])


@case
def evidence_dot_dot(b: Base, d: Path) -> Case:
    up = "../" * len(d.resolve().parts)
    return Case([["load", str(_with_evidence(b, d, f"{up}etc/passwd")), _new(d)]])


@case
def evidence_absolute_outside(b: Base, d: Path) -> Case:
    return Case([["load", str(_with_evidence(b, d, "/etc/hostname")), _new(d)]])


@case
def evidence_absolute_inside(b: Base, d: Path) -> Case:
    (d / "制度.pdf").write_bytes(b"%PDF-1.4 inside")
    path = _with_evidence(b, d, str((d / "制度.pdf").resolve()))
    return Case([["load", str(path), _new(d)]])


@case
def evidence_symlink_inside(b: Base, d: Path) -> Case:
    (d / "真的.pdf").write_bytes(b"%PDF-1.4 inside")
    (d / "链接.pdf").symlink_to("真的.pdf")
    return Case([["load", str(_with_evidence(b, d, "链接.pdf")), _new(d)]])


@case
def evidence_name_too_long(b: Base, d: Path) -> Case:
    return Case([["load", str(_with_evidence(b, d, "长" * 300 + ".pdf")), _new(d)]])


@case
def evidence_nul_in_name(b: Base, d: Path) -> Case:
    return Case([["load", str(_with_evidence(b, d, "报告\u0000.pdf")), _new(d)]])


@case
def evidence_empty_name(b: Base, d: Path) -> Case:
    return Case([["load", str(_with_evidence(b, d, "")), _new(d)]])


def _with_dates(b: Base, d: Path, date: str) -> Path:
    doc = b.doc()
    doc["company"]["submission_date"] = date
    doc["commitment"]["date"] = date
    for ind in doc["indicators"]:
        ind["evidence"] = []
    path = d / "dates.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@case
def date_basic_format_round_trip(b: Base, d: Path) -> Case:
    p, x = _new(d), str(d / "out.xlsx")
    return Case(
        [
            ["load", str(_with_dates(b, d, "20240815")), p],
            ["export", p, "--xlsx", x],
            ["import-xlsx", x, p, "--dry-run"],
        ]
    )


@case
def date_week_format_stored_canonically(b: Base, d: Path) -> Case:
    p = _new(d)
    return Case([["load", str(_with_dates(b, d, "2024-W33-4")), p], ["dump", p]])


@case
def date_impossible(b: Base, d: Path) -> Case:
    return Case([["load", str(_with_dates(b, d, "2024-02-30")), _new(d)]])


# ---- project files ---------------------------------------------------------------------------


@case
def project_fifo(b: Base, d: Path) -> Case:
    os.mkfifo(d / "管道.csrproj")
    return Case([["validate", str(d / "管道.csrproj")]])


@case
def project_dev_zero(b: Base, d: Path) -> Case:
    return Case([["dump", "/dev/zero"]])


@case
def project_folder(b: Base, d: Path) -> Case:
    (d / "目录.csrproj").mkdir()
    return Case([["validate", str(d / "目录.csrproj")]])


# ---- workbooks given to `import-xlsx` ------------------------------------------------------


def _rewrite(
    src: Path, dest: Path, replace: dict[str, bytes], extra: list[tuple[str, bytes]]
) -> Path:
    """A copy of workbook `src` with members replaced (stored, so ratios stay honest)."""
    with warnings.catch_warnings(), zipfile.ZipFile(src) as zin:
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename in replace:
                    zout.writestr(info.filename, replace[info.filename], zipfile.ZIP_STORED)
                else:
                    zout.writestr(info, zin.read(info.filename))
            for name in replace.keys() - set(zin.namelist()):
                zout.writestr(name, replace[name], zipfile.ZIP_STORED)
            for name, data in extra:
                zout.writestr(name, data)
    return dest


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _with_shared_strings(src: Path, strings: bytes) -> dict[str, bytes]:
    """The members to replace so that openpyxl reads `strings` as the shared-string table
    (our own exports write inline strings and have none)."""
    types = _member(src, "[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SST_TYPE + b'"/></Types>',
    )
    rels = _member(src, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSst" Type="' + SST_REL + b'" Target="sharedStrings.xml"/>'
        b"</Relationships>",
    )
    return {
        "[Content_Types].xml": types,
        "xl/_rels/workbook.xml.rels": rels,
        "xl/sharedStrings.xml": strings,
    }


def _sst(n: int) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (n, n)
        + b"<si><t>x</t></si>" * n
        + b"</sst>"
    )


@case
def workbook_fifo(b: Base, d: Path) -> Case:
    os.mkfifo(d / "管道.xlsx")
    return Case([["import-xlsx", str(d / "管道.xlsx"), str(b.project), "--dry-run"]])


@case
def workbook_strings_and_styles_bomb(b: Base, d: Path) -> Case:
    """21 MB within every zip limit: 1 M shared strings and 1.2 M cell formats, stored."""
    styles = _member(b.workbook, "xl/styles.xml")
    start = styles.index(b"<cellXfs")
    end = styles.index(b"</cellXfs>") + len(b"</cellXfs>")
    xfs = b'<cellXfs count="1200000">' + b"<xf/>" * 1_200_000 + b"</cellXfs>"
    styles = styles[:start] + xfs + styles[end:]
    path = _rewrite(
        b.workbook,
        d / "bomb.xlsx",
        {**_with_shared_strings(b.workbook, _sst(1_000_000)), "xl/styles.xml": styles},
        [],
    )
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_shared_strings_bomb(b: Base, d: Path) -> Case:
    """17 MB of stored XML: a million one-letter shared strings and nothing else wrong."""
    path = _rewrite(
        b.workbook, d / "strings.xlsx", _with_shared_strings(b.workbook, _sst(1_000_000)), []
    )
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_just_under_the_bounds(b: Base, d: Path) -> Case:
    """45,000 unused shared strings, 25,000 formats, 600,000 more cell elements: read."""
    styles = _member(b.workbook, "xl/styles.xml")
    at = styles.index(b"</cellXfs>")
    styles = styles[:at] + b"<xf/>" * 25_000 + styles[at:]
    sheet = _member(b.workbook, "xl/worksheets/sheet3.xml")
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(5000, 205_000)
    )
    sheet = sheet.replace(b"</sheetData>", rows + b"</sheetData>")
    path = _rewrite(
        b.workbook,
        d / "near.xlsx",
        {
            **_with_shared_strings(b.workbook, _sst(45_000)),
            "xl/styles.xml": styles,
            "xl/worksheets/sheet3.xml": sheet,
        },
        [],
    )
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_two_million_cells(b: Base, d: Path) -> Case:
    sheet = _member(b.workbook, "xl/worksheets/sheet1.xml")
    rows = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c, r) for c in (b"M", b"N"))
        + b"</row>"
        for r in range(2000, 1_002_000)
    )
    sheet = sheet.replace(b"</sheetData>", rows + b"</sheetData>")
    path = _rewrite(b.workbook, d / "cells.xlsx", {"xl/worksheets/sheet1.xml": sheet}, [])
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_two_million_attributes(b: Base, d: Path) -> Case:
    """One element, two million attributes (24 MB stored): few elements, much parsing."""
    sheet = _member(b.workbook, "xl/worksheets/sheet1.xml")
    attrs = b"".join(b' a%d=""' % i for i in range(2_000_000))
    sheet = sheet.replace(b"<sheetData>", b'<sheetData><row r="1"' + attrs + b"/>", 1)
    path = _rewrite(b.workbook, d / "attrs.xlsx", {"xl/worksheets/sheet1.xml": sheet}, [])
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_member_twice(b: Base, d: Path) -> Case:
    sheet = _member(b.workbook, "xl/worksheets/sheet1.xml")
    path = _rewrite(
        b.workbook, d / "twice.xlsx", {}, [("xl/worksheets/sheet1.xml", sheet.replace(b"1", b"2"))]
    )
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_named_zip(b: Base, d: Path) -> Case:
    path = d / "自评表.zip"
    path.write_bytes(b.workbook.read_bytes())
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_without_extension(b: Base, d: Path) -> Case:
    path = d / "自评表"
    path.write_bytes(b.workbook.read_bytes())
    return Case([["import-xlsx", str(path), str(b.project), "--dry-run"]])


@case
def workbook_symlink_to_dev_zero(b: Base, d: Path) -> Case:
    (d / "自评表.xlsx").symlink_to("/dev/zero")
    return Case([["import-xlsx", str(d / "自评表.xlsx"), str(b.project), "--dry-run"]])


@case
def workbook_dev_zero(b: Base, d: Path) -> Case:
    return Case([["import-xlsx", "/dev/zero", str(b.project), "--dry-run"]])


# ---- submission packages given to `verify` -------------------------------------------------

Member = tuple[str, bytes]
HONEST: list[Member] = [
    ("自评表.xlsx", b"PK fake workbook " * 40),
    ("佐证材料/1_责任意识建立/1_制度.pdf", b"%PDF-1.7 " * 100),
]


def _manifest(members: list[Member], **overrides: object) -> dict:
    files = [
        {"path": n, "size": len(x), "sha256": hashlib.sha256(x).hexdigest(), "role": "evidence"}
        for n, x in members
    ]
    return {
        "format": "csr-submission-package",
        "version": 1,
        "draft": False,
        "files": files,
        "missing_evidence": [],
        **overrides,
    }


def _package(
    members: list[Member],
    manifest: dict | None = None,
    modes: dict[str, int] | None = None,
) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")
        for name, data in members:
            info = zipfile.ZipInfo(name, (2024, 8, 15, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if modes and name in modes:
                info.create_system = 3
                info.external_attr = modes[name] << 16
            zf.writestr(info, data)
        listed = [(n, x) for n, x in members if not n.endswith("/")]
        zf.writestr("manifest.json", json.dumps(manifest or _manifest(listed)))
    return buf.getvalue()


def _verify(d: Path, name: str, data: bytes) -> Case:
    (d / name).write_bytes(data)
    return Case([["verify", str(d / name)]])


@case
def package_fifo(b: Base, d: Path) -> Case:
    os.mkfifo(d / "管道.zip")
    return Case([["verify", str(d / "管道.zip")]])


@case
def package_case_collision(b: Base, d: Path) -> Case:
    return _verify(
        d, "case.zip", _package([*HONEST, ("佐证材料/A.pdf", b"1"), ("佐证材料/a.PDF", b"2")])
    )


@case
def package_normalisation_collision(b: Base, d: Path) -> Case:
    nfc, nfd = (unicodedata.normalize(f, "佐证材料/café.pdf") for f in ("NFC", "NFD"))
    return _verify(d, "nfd.zip", _package([*HONEST, (nfc, b"1"), (nfd, b"2")]))


@case
def package_file_and_folder_clash(b: Base, d: Path) -> Case:
    members = [*HONEST, ("佐证材料/报告", b"1"), ("佐证材料/报告/1.pdf", b"2")]
    return _verify(d, "clash.zip", _package(members))


@case
def package_symlink_entry(b: Base, d: Path) -> Case:
    members = [*HONEST, ("1_报告.pdf", b"/etc/passwd")]
    return _verify(d, "link.zip", _package(members, modes={"1_报告.pdf": stat.S_IFLNK | 0o777}))


@case
def package_fifo_entry(b: Base, d: Path) -> Case:
    members = [*HONEST, ("管道.pdf", b"")]
    return _verify(d, "fifo.zip", _package(members, modes={"管道.pdf": stat.S_IFIFO | 0o644}))


@case
def package_folder_entry_with_data(b: Base, d: Path) -> Case:
    members = [*HONEST, ("佐证材料/隐藏/", b"data hidden in a folder entry")]
    return _verify(d, "dirdata.zip", _package(members, _manifest(HONEST)))


@case
def package_escape_codes_in_names(b: Base, d: Path) -> Case:
    forged = "佐证材料/\x1b[2J\x1b]52;c;ZXZpbA==\x07x.pdf\r结果：全部 3 个文件完整，与清单一致。"
    return _verify(d, "escape.zip", _package([*HONEST, (forged, b"x")]))


@case
def package_escape_codes_in_manifest(b: Base, d: Path) -> Case:
    manifest = _manifest(HONEST)
    manifest["missing_evidence"] = [
        {
            "indicator": 1,
            "indicator_name": "\x1b]52;c;ZXZpbA==\x07",
            "position": 1,
            "name": "\x1b[2J\x1b[H结果：全部 2 个文件完整",
            "reason": "\x9b31m",
        }
    ]
    return _verify(d, "manifest-escape.zip", _package(HONEST, manifest))


@case
def package_escaping_names(b: Base, d: Path) -> Case:
    members = [
        *HONEST,
        ("../../evil.txt", b"x"),
        ("/etc/cron.d/evil", b"y"),
        ("..\\..\\x.dll", b"z"),
    ]
    return _verify(d, "slip.zip", _package(members))


@case
def package_damaged_central_directory(b: Base, d: Path) -> Case:
    """The manifest's directory entry points at another member's local header."""
    data = bytearray(_package(HONEST))
    at = data.rfind(b"PK\x01\x02")  # the last central entry: manifest.json
    data[at + 42 : at + 46] = (0).to_bytes(4, "little")
    return _verify(d, "cd.zip", bytes(data))


@case
def package_damaged_manifest_data(b: Base, d: Path) -> Case:
    data = bytearray(_package(HONEST))
    local = data.rfind(b"PK\x03\x04")  # manifest.json's local header
    start = local + 30 + int.from_bytes(data[local + 26 : local + 28], "little")
    data[start + 5] ^= 0xFF
    return _verify(d, "crc.zip", bytes(data))


@case
def package_damaged_manifest_json(b: Base, d: Path) -> Case:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in HONEST:
            zf.writestr(name, data)
        zf.writestr("manifest.json", b'{"format": "csr-submission-package", "files": [')
    return _verify(d, "json.zip", buf.getvalue())


@case
def package_twenty_thousand_members(b: Base, d: Path) -> Case:
    """The most members a package may have, each empty and listed: checked, not refused."""
    members = [(f"佐证材料/{i // 1000}/{i}.txt", b"") for i in range(19_990)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members:
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(_manifest(members)))
    return _verify(d, "many.zip", buf.getvalue())


@case
def package_manifest_of_32mb(b: Base, d: Path) -> Case:
    """A manifest near its size limit, 200,000 entries for files that are not there."""
    manifest = _manifest(HONEST)
    entry = {"path": "x", "size": 1, "sha256": "0" * 64, "role": "evidence"}
    manifest["files"] += [{**entry, "path": f"佐证材料/{i}.pdf"} for i in range(200_000)]
    raw = json.dumps(manifest).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in HONEST:
            zf.writestr(name, data)
        zf.writestr("manifest.json", raw)
    return _verify(d, "big-manifest.zip", buf.getvalue())


@case
def package_symlink_to_fifo(b: Base, d: Path) -> Case:
    os.mkfifo(d / "fifo")
    (d / "材料包.zip").symlink_to(d / "fifo")
    return Case([["verify", str(d / "材料包.zip")]])


@case
def project_symlink_to_proc(b: Base, d: Path) -> Case:
    (d / "项目.csrproj").symlink_to("/proc/self/mem")
    return Case([["dump", str(d / "项目.csrproj")]])


@case
def package_dev_zero(b: Base, d: Path) -> Case:
    return Case([["verify", "/dev/zero"]])


def build_all(folder: Path, names: list[str] | None = None) -> dict[str, tuple[Path, Case]]:
    """Build every case (or those named) in its own sub-folder of `folder`."""
    base = make_base(folder / "_base")
    built = {}
    for name in names or list(CASES):
        d = folder / name
        d.mkdir(parents=True)
        built[name] = (d, CASES[name](base, d))
    return built


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for name, (_d, c) in build_all(out).items():
        print(name, *(" ".join(step) for step in c.steps), sep="\n    ")
