"""The passages of a CSR report for each of a project's indicators, best first: what
`csr-desktop suggest` prints (cli/cmd_suggest.py) and the window's 参考素材 panel asks for."""

from __future__ import annotations

from pathlib import Path

from csr_desktop.core.indicators import IndicatorSet, keywords_for
from csr_desktop.formats.report import Report, read_report
from csr_desktop.formats.report.rank import Query, Suggestion, suggest


def queries_for(iset: IndicatorSet) -> list[Query]:
    """What each of the project's indicators looks for, keywords from the app's copy of the set."""
    words = keywords_for(iset)
    return [Query(i.no, i.name, i.description, words.get(i.no, ())) for i in iset.indicators]


def suggestions_for(
    iset: IndicatorSet, report_path: Path, top: int
) -> tuple[Report, dict[int, list[Suggestion]]]:
    report = read_report(report_path)
    return report, suggest(report.passages, queries_for(iset), top)
