"""`load` then `dump` gives back every character and every SHA-256; bad input gets exit 2."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from csr_desktop.core.store import SCHEMA_VERSION, Project
from csr_desktop.sample import HOSTILE_TEXTS, build_interchange


def _with_chinese_evidence(folder: Path, count: int) -> Path:
    """A filled assessment with long hostile narratives and `count` files with Chinese names."""
    src = build_interchange(folder, evidence_per_indicator=0, narrative_chars=40_000, hostile=True)
    data = json.loads(src.read_text(encoding="utf-8"))
    for k in range(count):
        name = f"第{k}号证明材料（盖章版）《数据安全》.txt"
        (folder / name).write_bytes(f"内容{k}".encode() * (k + 1))
        data["indicators"][k % 28]["evidence"].append(
            {
                "name": f"材料{k}：{HOSTILE_TEXTS[k % len(HOSTILE_TEXTS)]}",
                "remark": "𪚥",
                "file": name,
            }
        )
    data["indicators"][0]["evidence"].append({"name": "待补充的材料", "remark": "", "file": None})
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return src


def test_load_then_dump_gives_back_every_character_and_hash(tmp_path: Path, cli):
    src = _with_chinese_evidence(tmp_path / "in", 55)
    project = tmp_path / "项目.csrproj"
    done = cli("load", src, project)
    assert done.returncode == 0, done.stderr
    dumped = cli("dump", project)
    assert dumped.returncode == 0, dumped.stderr
    got = json.loads(dumped.stdout)
    want = json.loads(src.read_text(encoding="utf-8"))
    assert got["company"] == want["company"] and got["commitment"] == want["commitment"]
    for g, w in zip(got["indicators"], want["indicators"], strict=True):
        assert (g["no"], g["rating"], g["remark"], g["narrative"]) == (
            w["no"],
            w["rating"],
            w["remark"],
            w["narrative"],
        )
        assert len(g["evidence"]) == len(w["evidence"])
        for ge, we in zip(g["evidence"], w["evidence"], strict=True):
            assert (ge["name"], ge["remark"]) == (we["name"], we["remark"])
            if we["file"] is None:
                assert ge["file"] is None and ge["sha256"] is None
            else:
                raw = (src.parent / we["file"]).read_bytes()
                assert ge["file"] == we["file"]
                assert ge["sha256"] == hashlib.sha256(raw).hexdigest()
    assert "\x0b" in dumped.stdout.encode().decode("unicode_escape", "ignore") or any(
        "\x0b" in i["narrative"] for i in got["indicators"]
    )


def test_validate_reports_gaps_with_exit_1(tmp_path: Path, cli):
    src = build_interchange(tmp_path / "in", evidence_per_indicator=1)
    data = json.loads(src.read_text(encoding="utf-8"))
    data["indicators"][6]["rating"] = None
    data["company"]["contact"] = ""
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cli("load", src, tmp_path / "p.csrproj")
    res = cli("validate", tmp_path / "p.csrproj")
    assert res.returncode == 1
    assert "第7项「网络内容生态治理」：尚未选择企业自评" in res.stdout
    assert "联系方式" in res.stdout


def test_validate_complete_project_exits_0(sample_project: Path, cli):
    res = cli("validate", sample_project)
    assert res.returncode == 0, res.stdout
    assert "材料完整" in res.stdout


def test_validate_catches_a_tampered_file(sample_project: Path, cli):
    db = sqlite3.connect(sample_project)
    db.execute("UPDATE blob_chunks SET data=X'00' WHERE rowid=(SELECT min(rowid) FROM blob_chunks)")
    db.commit()
    db.close()
    res = cli("validate", sample_project)
    assert res.returncode == 1 and "SHA-256" in res.stdout


def _one_line_error(res, name: str) -> None:
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert name in lines[0]
    assert "Traceback" not in res.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0].split("(Error")[0])


def _make_bad(path: Path, kind: str) -> None:
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbage":
        path.write_bytes(b"\x00\xffnot a database" * 100)
    elif kind == "future":
        Project.create(path).close()
        db = sqlite3.connect(path)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
        db.commit()
        db.close()
    elif kind == "truncated":
        Project.create(path).close()
        path.write_bytes(path.read_bytes()[:1500])


@pytest.mark.parametrize("kind", ["missing", "empty", "garbage", "future", "truncated"])
@pytest.mark.parametrize("command", ["dump", "validate"])
def test_bad_project_file_exit_2_one_line_untouched(tmp_path: Path, cli, kind, command):
    path = tmp_path / "坏文件.csrproj"
    if kind != "missing":
        _make_bad(path, kind)
    before = path.read_bytes() if path.exists() else None
    res = cli(command, path)
    _one_line_error(res, "坏文件.csrproj")
    assert (path.read_bytes() if path.exists() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["坏文件.csrproj"] if before is not None else []
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "找不到"),
        ("", "空文件"),
        ("{not json", "不是有效的 JSON"),
        ('{"format": "other"}', "format"),
        ('{"format": "csr-self-assessment", "version": 9}', "version"),
        ('{"format": "csr-self-assessment", "version": 1, "indicator_set": "x"}', "未知的指标体系"),
    ],
)
def test_bad_json_exit_2_and_no_project_written(tmp_path: Path, cli, content, words):
    src = tmp_path / "输入.json"
    if content is not None:
        src.write_text(content, encoding="utf-8")
    res = cli("load", src, tmp_path / "new.csrproj")
    _one_line_error(res, "输入.json")
    assert words in res.stderr
    assert not list(tmp_path.glob("*.csrproj*")) and not list(tmp_path.glob(".new*"))


def test_bad_field_is_named(tmp_path: Path, cli):
    src = build_interchange(tmp_path / "in", evidence_per_indicator=0)
    data = json.loads(src.read_text(encoding="utf-8"))
    data["indicators"][3]["rating"] = 7
    src.write_text(json.dumps(data), encoding="utf-8")
    res = cli("load", src, tmp_path / "p.csrproj")
    _one_line_error(res, "indicators[3].rating")


def test_missing_evidence_file_is_named_and_nothing_written(tmp_path: Path, cli):
    src = build_interchange(tmp_path / "in", evidence_per_indicator=1)
    (src.parent / "佐证材料" / "指标5_网络正能量传播_材料1.txt").unlink()
    res = cli("load", src, tmp_path / "p.csrproj")
    _one_line_error(res, "指标5_网络正能量传播_材料1.txt")
    assert not (tmp_path / "p.csrproj").exists()


def test_load_refuses_existing_project_without_force(tmp_path: Path, cli, sample_json: Path):
    dest = tmp_path / "p.csrproj"
    Project.create(dest).close()
    before = dest.read_bytes()
    res = cli("load", sample_json, dest)
    _one_line_error(res, "p.csrproj")
    assert "--force" in res.stderr and dest.read_bytes() == before
    assert cli("load", sample_json, dest, "--force").returncode == 0
    with Project.open(dest, readonly=True) as p:
        assert p.assessment().company["name"]


def test_failed_forced_load_keeps_the_old_project(tmp_path: Path, cli, sample_json: Path):
    dest = tmp_path / "p.csrproj"
    with Project.create(dest) as p:
        p.set("company.name", "原来的公司")
    data = json.loads(sample_json.read_text(encoding="utf-8"))
    data["indicators"][27]["evidence"].append({"name": "x", "file": "不存在.pdf"})
    sample_json.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = cli("load", sample_json, dest, "--force")
    assert res.returncode == 2
    with Project.open(dest, readonly=True) as p:
        assert p.assessment().company["name"] == "原来的公司"


def test_version_and_usage(cli):
    from csr_desktop import __version__

    assert cli("--version").stdout.strip() == f"csr-desktop {__version__}"
    res = cli("dump")
    _one_line_error(res, "命令参数错误")
