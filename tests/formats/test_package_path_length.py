"""A package extracted with Explorer's 全部解压缩 stays within Windows' 260-character paths.

Explorer extracts `X.zip` into `<folder of X>\\X\\`: from `C:\\Users\\<name>\\Downloads\\`
(~28 characters) the package's name and every path inside it come on top. Paths inside were
allowed 240 characters and the name 100: extraction failed past 260.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.store import Project
from csr_desktop.formats.package.build import verify_package
from csr_desktop.formats.package.layout import default_package_name, plan_evidence
from csr_desktop.formats.safe_names import is_safe_path
from tests.formats.test_package import package

DOWNLOADS = "C:\\Users\\zhangsan.li\\Downloads\\"  # 28 characters


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


LONG = ["长" * 300, "x" * 300, "长" * 300, "报告" * 60 + ".", "😀" * 120]


def test_every_evidence_path_fits_after_extract_all(sample_project: Path, tmp_path: Path):
    with Project.open(sample_project) as project:
        first = project.assessment().answer(17).evidence[0]
        items = [
            EvidenceItem(name, "", f"{name[:3]}.pdf", first.sha256, first.size) for name in LONG
        ]
        project.set_evidence(17, items, "test")  # the longest 三级指标 of the set
        project.set("company.name", "某某" * 80 + "互联网科技有限公司")
        assessment = project.assessment()
        plan = plan_evidence(assessment, project.stored_file)
        zip_name = default_package_name(assessment, dt.date(2026, 12, 7), draft=True)
    paths = [e.arcname for e in plan.present if e.arcname]
    assert len(paths) > len(LONG)
    assert max(units(p) for p in paths) <= 150
    assert units(zip_name) <= 60 and zip_name.endswith("_提交材料包_草稿_20261207.zip")
    longest = max(units(p) for p in paths)
    extracted = units(DOWNLOADS) + units(zip_name.removesuffix(".zip")) + 1 + longest
    assert extracted < 260
    assert len({p.casefold() for p in paths}) == len(paths)  # still unique after shortening

    dest = tmp_path / zip_name
    package(sample_project, dest, draft=True)
    with zipfile.ZipFile(dest) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
    assert [n for n in names if units(n) > 150 or not is_safe_path(n)] == []
    assert verify_package(dest).intact
