"""`csr-desktop suggest PROJECT REPORT`: the passages of a CSR report for each indicator, as
the JSON of design.md or lines for the terminal (commands.py prints them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csr_desktop.core.indicators import IndicatorSet, keywords_for
from csr_desktop.formats.report import Report, read_report
from csr_desktop.formats.report.rank import Query, Suggestion, suggest

EXCERPT_CHARS = 120


def queries_for(iset: IndicatorSet) -> list[Query]:
    """What each of the project's indicators looks for, keywords from the app's copy of the set."""
    words = keywords_for(iset)
    return [Query(i.no, i.name, i.description, words.get(i.no, ())) for i in iset.indicators]


def suggestions_for(
    iset: IndicatorSet, report_path: Path, top: int
) -> tuple[Report, dict[int, list[Suggestion]]]:
    report = read_report(report_path)
    return report, suggest(report.passages, queries_for(iset), top)


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
    from csr_desktop.core.visible import visible

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
