"""`csr-desktop suggest PROJECT REPORT [--top N] [--json]`: passages of a CSR report for each
indicator, best first, as the JSON of design.md or lines for the terminal."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from csr_desktop.cli.output import EXIT_OK, out, say
from csr_desktop.core.errors import CsrError
from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.core.store import Project
from csr_desktop.core.visible import visible
from csr_desktop.formats.report import Report
from csr_desktop.formats.report.rank import Suggestion
from csr_desktop.formats.report.suggestions import suggestions_for

EXCERPT_CHARS = 120


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    p.add_argument("report", type=Path)
    p.add_argument("--top", type=int, default=3, help="每项指标最多列出几段（默认 3）")
    p.add_argument("--json", action="store_true", help="输出 JSON")


def run(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise CsrError("--top 必须是正整数", "--top must be at least 1")
    with Project.open(args.project, readonly=True) as opened:
        iset = opened.indicator_set
    report, found = suggestions_for(iset, args.report, args.top)
    if args.json:
        stream = out()
        stream.write(json.dumps(as_json(report, found), ensure_ascii=False, indent=2))
        stream.write("\n")
    else:
        say(*plain_lines(iset, report, found))
    return EXIT_OK


def as_json(report: Report, found: dict[int, list[Suggestion]]) -> dict[str, Any]:
    """The contract of design.md: best first, text whole, page null where there are none."""
    return {
        "report": report.name,
        "passages": len(report.passages),
        "indicators": [
            {
                "no": no,
                "suggestions": [
                    {
                        "heading": s.passage.heading_text,
                        "text": s.passage.text,
                        "page": s.passage.page,
                        "score": s.score,
                    }
                    for s in items
                ],
            }
            for no, items in sorted(found.items())
        ],
    }


def plain_lines(
    iset: IndicatorSet, report: Report, found: dict[int, list[Suggestion]]
) -> list[str]:
    """The suggestions as the terminal shows them, names made visible (`core/visible.py`)."""
    pages = f"，共 {report.pages} 页" if report.pages else ""
    lines = [f"报告“{visible(report.name)}”：{len(report.passages)} 段{pages}"]
    for no, items in sorted(found.items()):
        label = iset.indicator(no).label
        if not items:
            lines += ["", f"{label}：报告中没有找到相关内容"]
            continue
        lines += ["", label]
        for rank, s in enumerate(items, start=1):
            p = s.passage
            where = f"（第 {p.page} 页）" if p.page else ""
            words = f"；匹配：{'、'.join(s.matched[:6])}" if s.matched else ""
            lines.append(f"  {rank}. {visible(p.heading_text) or '（无标题）'}{where}")
            lines.append(f"     相关度 {s.score:.2f}{words}")
            flat = visible(p.text.replace("\n", " "))
            excerpt = flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS] + "……"
            lines.append(f"     {excerpt}")
    return lines
