"""A filled example project for a fictional company: demos, screenshots, tests and benchmarks.

The company, people and figures are invented; the narratives follow the shape of real CSR
reports (what was done, with which mechanism, with what result) without quoting one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from csr_desktop.core.indicators import IndicatorSet, default_indicator_set

COMPANY = "星澜数字科技有限公司"
BUSINESS_UNIT = "星澜短视频平台"
HOSTILE_TEXTS = (
    "=SUM(A1)",
    "+86 138 0000 0000",
    "-3% 能耗同比下降",
    "@法务部 请复核",
    "完成情况 🎉✅",
    "生僻字：𠀀𪚥龘𡈼",
    "从 Word 粘贴\x0b的垂直制表符\x01\x07与\x1f控制字符",
    "Windows 换行\r\n第二行\t制表符",
)


def _narrative(ind_name: str, description: str, no: int, length: int) -> str:
    base = (
        f"一、工作开展情况\n{COMPANY}围绕“{ind_name}”建立了由分管副总裁牵头、合规部统筹、"
        f"各业务线落实的工作机制。报告期内，公司对照“{description[:40]}……”的要求，"
        f"制定专项制度 {no % 5 + 2} 项，组织专题会议 {no % 7 + 3} 次，覆盖员工 {1200 + no * 37} 人次。\n"
        "二、主要成效\n相关措施已纳入年度考核，季度复盘、年度审计，形成“制度—执行—监督—改进”的闭环。"
        "典型案例与数据见佐证材料目录。\n三、下一步计划\n持续完善机制，加强与主管部门和行业组织的沟通协作。"
    )
    text = base
    while len(text) < length:
        text += "\n补充说明：" + base
    return text[:length] if length > len(base) else text


def build_interchange(
    folder: Path,
    evidence_per_indicator: int = 2,
    narrative_chars: int = 0,
    hostile: bool = False,
    iset: IndicatorSet | None = None,
    evidence_bytes: int = 2048,
) -> Path:
    """Write `sample.json` and its evidence files into `folder`; return the JSON's path."""
    iset = iset or default_indicator_set()
    folder.mkdir(parents=True, exist_ok=True)
    files = folder / "佐证材料"
    files.mkdir(exist_ok=True)
    indicators: list[dict[str, Any]] = []
    for ind in iset.indicators:
        evidence = []
        for k in range(1, evidence_per_indicator + 1):
            name = f"指标{ind.no}_{ind.name}_材料{k}"
            path = files / f"{name}.txt"
            body = f"{name}\n{COMPANY}\n".encode()
            path.write_bytes((body * (evidence_bytes // len(body) + 1))[:evidence_bytes])
            evidence.append(
                {
                    "name": name,
                    "remark": f"第{k}份",
                    "file": f"佐证材料/{path.name}",
                    "sha256": None,
                }
            )
        narrative = _narrative(ind.name, ind.description, ind.no, narrative_chars)
        remark = ""
        if hostile:
            narrative = HOSTILE_TEXTS[ind.no % len(HOSTILE_TEXTS)] + "\n" + narrative
            remark = HOSTILE_TEXTS[(ind.no + 3) % len(HOSTILE_TEXTS)]
        indicators.append(
            {
                "no": ind.no,
                "rating": (ind.no % 3) + 1,
                "remark": remark,
                "narrative": narrative,
                "evidence": evidence,
            }
        )
    data = {
        "format": "csr-self-assessment",
        "version": 1,
        "indicator_set": iset.id,
        "company": {
            "name": COMPANY,
            "business_unit": BUSINESS_UNIT,
            "contact_person": "林晓雯",
            "contact": "010-8888 6666 / compliance@xinglan.example",
            "submission_date": "2024-08-15",
        },
        "commitment": {
            "company_name": COMPANY,
            "responsible_person": "周启明",
            "date": "2024-08-15",
        },
        "indicators": indicators,
    }
    out = folder / "sample.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return out
