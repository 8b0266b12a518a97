"""An upgrade whose next set merges indicators (issue 31): whatever each merged indicator held —
备注, narrative, evidence — survives in the one it became, none but the first dropped."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.carry_over import UPGRADE, UpgradeError, carry_over, read_indicator_set
from csr_desktop.core.errors import IndicatorSetError
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.resources import resource_path

NEXT = Path(__file__).resolve().parent.parent / "data" / "indicators-next.json"
MERGES = {13: (13, 14, 15), 25: (27, 28)}  # new number: the old ones merged into it


def merging_set(scale_of_1: str = "") -> IndicatorSet:
    """The shipped set's next version with 13–15 merged into 13 and 27–28 into 25 (the rest
    renumbered): one merge of three indicators, one of two, the second at the end; with
    `scale_of_1`, indicator 1 is asked on that scale instead."""
    data: dict[str, Any] = json.loads(resource_path("indicators.json").read_text(encoding="utf-8"))
    old = copy.deepcopy(data)
    number = 0
    changes: list[dict[str, Any]] = []
    for level in data["levels"]:
        for group in level["groups"]:
            kept = []
            for ind in group["indicators"]:
                no = ind["no"]
                merged_into = next((n for n, olds in MERGES.items() if no in olds[1:]), None)
                if merged_into is not None:
                    continue  # folded into the first of its merge
                number += 1
                ind["no"] = number
                if no == 1 and scale_of_1:
                    ind["scale"] = scale_of_1
                merge = MERGES.get(number)
                if merge is not None and merge[0] == no:
                    ind["name"] += "（合并）"
                    changes.append({"kind": "merged", "from": list(merge), "to": [number]})
                else:
                    changes.append({"kind": "kept", "from": [no], "to": [number]})
                kept.append(ind)
            group["indicators"] = kept
    data["version"] = "2099.1"
    data["corrections"] = []
    data["upgrade_from"] = {"id": old["id"], "version": old["version"], "changes": changes}
    return IndicatorSet.from_json(json.dumps(data, ensure_ascii=False))


@pytest.fixture
def remarked(sample_project: Path) -> Path:
    """A 备注 on every indicator that will be merged, and on its neighbours."""
    with Project.open(sample_project) as p:
        for no in range(1, 29):
            p.set(f"indicator.{no}.remark", f"第{no}项的备注")
    return sample_project


def test_every_merged_indicators_remark_narrative_and_evidence_survive(
    remarked: Path, tmp_path: Path
) -> None:
    # seen red with carry_over._merged keeping only the first 备注 (remarks[:1])
    iset = merging_set()
    assert [n for n, olds in MERGES.items() if len(olds) > 1] == [13, 25]
    dest = tmp_path / "merged.csrproj"
    report = carry_over(remarked, dest, iset)
    with Project.open(remarked, readonly=True) as old, Project.open(dest, readonly=True) as new:
        a, b = old.assessment(), new.assessment()
        assert len(b.indicator_set.indicators) == 25
        for into, olds in MERGES.items():
            got = b.answer(into)
            for no in olds:
                assert f"第{no}项的备注" in got.remark, (into, no, got.remark)
                assert a.answer(no).narrative in got.narrative
                assert a.indicator_set.indicator(no).label in got.narrative
            assert got.remark == "；".join(f"第{no}项的备注" for no in olds)
            assert list(got.evidence) == [e for no in olds for e in a.answer(no).evidence]
            assert all(new.file_is_intact(e.sha256) for e in got.evidence if e.sha256)
            assert got.review_pending
        assert b.answer(14).remark == "第16项的备注"  # renumbered, alone
        assert b.answer(24).remark == "第26项的备注"
    assert any(m.kind == "merged" and len(m.old) == 3 for m in report.moves)


def test_merged_ratings_are_kept_only_where_they_agree(remarked: Path, tmp_path: Path) -> None:
    with Project.open(remarked) as p:
        for no in (13, 14, 15):
            p.set_rating(no, 2)
        p.set_rating(27, 1)
        p.set_rating(28, 3)
        p.set_evidence(28, [EvidenceItem("无文件的一行", "")], "一行")
    dest = tmp_path / "merged.csrproj"
    report = carry_over(remarked, dest, merging_set())
    with Project.open(dest, readonly=True) as new:
        b = new.assessment()
        assert b.answer(13).rating == 2
        assert b.answer(25).rating is None
        assert b.answer(25).evidence[-1] == EvidenceItem("无文件的一行", "")
    [note] = [m.note for m in report.moves if m.kind == "merged" and m.new[0].no == 25]
    assert "不一致" in note and "请重新选择" in note


def test_the_report_names_every_change_of_an_upgrade_line_by_line(
    sample_project: Path, tmp_path: Path
) -> None:
    """The upgrade's report in full: the versions, the texts and scale that changed, the
    moves, and what is pending; a new year on the same set says the set is unchanged."""
    dest = tmp_path / "升级.csrproj"
    report = carry_over(sample_project, dest, merging_set("完善"), mode=UPGRADE)
    old, new = default_indicator_set(), report.new_set
    assert report.upgraded and report.files == 56 and not report.damaged
    lines = report.lines()
    assert lines[:3] == [
        f"已由 “{sample_project}” 新建 “{dest}”（原项目未作任何修改）。",
        "指标体系：版本 2024.1（28 项）→ 版本 2099.1（25 项）",
        "已带入 56 个佐证材料文件。",
    ]
    changed = lines[lines.index("指标文字有变化（6 项）：") + 1 :]
    one, thirteen = old.indicator(1), old.indicator(13)
    assert changed[:2] == [
        f"  原{one.label} → 现{new.indicator(1).label}",
        f"    自评选项：原“{'、'.join(one.scale.labels)}”"
        f"  现“{'、'.join(new.indicator(1).scale.labels)}”",
    ]
    assert changed[2:4] == [
        f"  原{thirteen.label} → 现{new.indicator(13).label}",
        f"    三级指标：原“{thirteen.name}”  现“{thirteen.name}（合并）”",
    ]
    assert "答案移动（13 处）：" in lines
    assert lines[-2:] == ["", "待复核：3 项指标，请逐项确认后再提交。"]
    with Project.open(dest, readonly=True) as p:
        label = "升级指标体系，由项目 sample.csrproj 为基础新建（指标体系 2099.1）"
        assert p.audit_log()[0].label == label
        assert p.assessment().answer(2).review_pending is False  # kept, same words
        assert p.assessment().answer(1).review_pending  # the scale changed
    same = carry_over(sample_project, tmp_path / "新年度.csrproj")
    assert not same.upgraded
    assert same.lines()[1:5] == [
        "指标体系：版本 2024.1（未变）",
        "提交日期与承诺书日期已清空，请重新填写。",
        "已带入 56 个佐证材料文件。",
        "",
    ]
    assert same.lines()[-1] == "待复核：28 项指标，请逐项确认后再提交。"


def test_a_damaged_file_is_named_and_left_behind(sample_project: Path, tmp_path: Path) -> None:
    import sqlite3

    with Project.open(sample_project, readonly=True) as p:
        a = p.assessment()
        first = a.answer(1).evidence[0]
        where = f"{a.indicator_set.indicator(1).label}佐证材料目录第1行“{first.name}”"
    db = sqlite3.connect(sample_project)
    with db:  # a bit flipped on the disk: the stored file no longer matches its SHA-256
        db.execute(
            "UPDATE blob_chunks SET data = zeroblob(length(data)) WHERE blob_id ="
            " (SELECT id FROM blobs WHERE sha256 = ?)",
            (first.sha256,),
        )
    db.close()
    report = carry_over(sample_project, tmp_path / "新.csrproj")
    assert report.damaged == (where,) and report.files == 55
    assert f"未带入（原项目中的文件已损坏）：{where}，请重新添加" in report.lines()
    with Project.open(tmp_path / "新.csrproj", readonly=True) as p:
        row = p.assessment().answer(1).evidence[0]
        assert row.name == first.name and row.sha256 is None


def test_a_removed_indicators_answer_is_summed_up_in_the_report(
    sample_project: Path, tmp_path: Path
) -> None:
    """The next set drops indicator 12: the report says what it held, field by field."""
    from csr_desktop.core.carry_over import read_indicator_set

    nxt = read_indicator_set(
        Path(__file__).resolve().parent.parent / "data" / "indicators-next.json"
    )
    with Project.open(sample_project) as p:
        p.set_rating(12, 2)
        p.set("indicator.12.remark", "删掉前的备注")
        a = p.assessment()
    ind, ans = a.indicator_set.indicator(12), a.answer(12)
    report = carry_over(sample_project, tmp_path / "升级.csrproj", nxt, mode=UPGRADE)
    lines = report.lines()
    headings = (
        "指标文字有变化",
        "答案移动",
        "新增指标，尚未填写（1 项）",
        "已删除的指标（1 项",
        "待复核",
    )
    for heading in headings:
        [at] = [n for n, line in enumerate(lines) if line.startswith(heading)]
        assert lines[at - 1] == "", heading  # each part of the report set off by a blank line
    names = "、".join(e.name for e in ans.evidence)
    assert (
        f"  原{ind.label}：自评“{ind.scale.option_text(2)}”；情况介绍 {len(ans.narrative)} 字；"
        f"备注“删掉前的备注”；佐证材料 {names}"
    ) in report.lines()
    with Project.open(sample_project) as p:
        p.apply(
            {
                "indicator.12.rating": None,
                "indicator.12.remark": "",
                "indicator.12.narrative": "  ",
                "indicator.12.evidence": [],
            },
            "清空",
        )
    report = carry_over(sample_project, tmp_path / "再升级.csrproj", nxt, mode=UPGRADE)
    assert f"  原{ind.label}：未填写" in report.lines()


def test_a_set_that_cannot_upgrade_the_project_says_why(sample_project: Path, tmp_path: Path):
    data = json.loads(NEXT.read_text(encoding="utf-8"))
    no_mapping = dict(data)
    del no_mapping["upgrade_from"]
    other = json.loads(json.dumps(data))
    other["upgrade_from"]["version"] = "2023.9"
    for changed, why in ((no_mapping, "（无对照表）"), (other, "（对照表针对版本 2023.9）")):
        iset = IndicatorSet.from_json(json.dumps(changed, ensure_ascii=False))
        with pytest.raises(UpgradeError) as err:
            carry_over(sample_project, tmp_path / "新.csrproj", iset)
        assert err.value.zh.endswith(f"指标体系版本 2025.1 不能用于升级版本 2024.1 的项目{why}")
    assert not (tmp_path / "新.csrproj").exists()


def test_a_broken_indicator_set_file_is_named_once(tmp_path: Path) -> None:
    bad = tmp_path / "坏的指标体系.json"
    bad.write_text('{"id": "x"', encoding="utf-8")
    with pytest.raises(IndicatorSetError) as err:
        read_indicator_set(bad)
    assert err.value.zh.count(str(bad)) == 1
    data = json.loads(NEXT.read_text(encoding="utf-8"))
    data["levels"] = []
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndicatorSetError) as err:
        read_indicator_set(bad)
    assert err.value.zh.count(str(bad)) == 1


WINDOW = """
import sys
from csr_desktop.core.store import Project
with Project.open(sys.argv[1]) as p:
    p.set("indicator.1.remark", "窗口里刚写的")
    print("open", flush=True)
    sys.stdin.read()
"""


def test_next_year_from_a_project_open_in_the_window(sample_project: Path, tmp_path: Path):
    """OLD is only read: it may be open for writing elsewhere (the window) meanwhile, and a
    stale temporary file of an earlier, killed attempt is no obstacle."""
    import os
    import subprocess
    import sys

    dest = tmp_path / "新年度.csrproj"
    (tmp_path / f".{dest.name}.tmp-{os.getpid()}").write_bytes(b"left by a killed attempt")
    window = subprocess.Popen(  # another process holds the project open for writing
        [sys.executable, "-c", WINDOW, str(sample_project)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert window.stdout is not None and window.stdout.readline().strip() == "open"
        carry_over(sample_project, dest)
    finally:
        window.communicate("", timeout=60)
    with Project.open(dest, readonly=True) as new:
        assert new.get("indicator.1.remark") == "窗口里刚写的"
        first = new.audit_log()[0]
        assert first.label == "以上一年度项目 sample.csrproj 为基础新建（指标体系 2024.1）"
    # its own temporary files are gone; an earlier attempt's file (of a PID that may be
    # another computer's on a share) is no obstacle and is left to the in-flight list
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert left == [f".{dest.name}.tmp-{os.getpid()}"]


def test_a_failure_midway_leaves_nothing_and_names_the_file_asked_for(
    sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csr_desktop.core.errors import ProjectFileError

    def disk_full(self: Project, other: Project, sha256: str, progress: object = None) -> object:
        raise ProjectFileError(f"无法写入 {self.path.name}：磁盘已满", f"{self.path.name}: full")

    monkeypatch.setattr(Project, "copy_file_from", disk_full)
    dest = tmp_path / "新年度.csrproj"
    with pytest.raises(ProjectFileError) as err:
        carry_over(sample_project, dest, merging_set(), mode=UPGRADE)
    assert err.value.zh == "无法写入 新年度.csrproj：磁盘已满"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "sample.csrproj"]


def test_progress_counts_every_byte_once_up_to_the_total(sample_project: Path, tmp_path: Path):
    """The bar moves file by file to a total that is every distinct stored byte (an empty
    file adds nothing, a file in two rows counts once)."""
    empty = tmp_path / "空文件.txt"
    empty.write_bytes(b"")
    with Project.open(sample_project) as p:
        p.add_evidence_files(2, [empty])
        rows = [e for n in range(1, 29) for e in p.assessment().answer(n).evidence]
        p.set_evidence(3, [*p.assessment().answer(3).evidence, rows[0]], "同一文件两行")
    total = sum({e.sha256: e.size for e in rows if e.sha256}.values())
    seen: list[tuple[int, int]] = []
    carry_over(
        sample_project, tmp_path / "新.csrproj", progress=lambda d, t: not seen.append((d, t))
    )
    assert seen[-1] == (total, total) and all(t == total for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) == len({e.sha256 for e in rows if e.sha256})
