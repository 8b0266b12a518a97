"""Which passages of a report speak to which indicator: BM25 over Chinese character bigrams.

Chinese has no spaces between words; overlapping two-character pieces ("未成", "成年", "年人")
find a word wherever it occurs, need no dictionary and no model, and cost nothing to ship. The
query of an indicator is its 三级指标, its 指标说明 and its keywords and synonyms (kept as data
in indicators.json). A bigram that many indicators' queries share ("责任", "情况") tells one
indicator from another poorly and weighs less. A passage's score is made comparable between
indicators by dividing it by what the best conceivable passage would score (every query bigram
present), so one threshold says "nothing relevant" for every indicator.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from csr_desktop.formats.report.model import Passage

K1 = 1.2
B = 0.75
NAME_WEIGHT = 1.5
DESCRIPTION_WEIGHT = 1.0
KEYWORD_WEIGHT = 2.0
HEADING_REPEAT = 2  # a heading's words count as if written twice in the passage
MIN_SCORE = 0.09  # below this share of the best conceivable score, nothing is suggested
MIN_PASSAGE_CHARS = 20  # a cover line or a slogan is never worth inserting

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9]*[A-Za-z][A-Za-z0-9]*")


@dataclass(frozen=True, slots=True)
class Query:
    """What one indicator looks for."""

    no: int
    name: str
    description: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A passage proposed for an indicator, with the words that made it relevant."""

    passage: Passage
    score: float  # 0..1: the share of the best conceivable score
    matched: tuple[
        str, ...
    ]  # the keywords (or indicator words) found in the passage, longest first


def terms(text: str) -> Counter[str]:
    """Character bigrams of the Chinese runs (a lone character counts as itself) and
    Latin words, lower-cased."""
    out: Counter[str] = Counter()
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out[run] += 1
        else:
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    out.update(w.lower() for w in _WORD.findall(text))
    return out


def _query_weights(queries: Sequence[Query]) -> dict[int, dict[str, float]]:
    """Each indicator's bigrams with their weights, shared bigrams weighing less."""
    raw: dict[int, dict[str, float]] = {}
    for q in queries:
        weights: dict[str, float] = {}
        for term in terms(q.name):
            weights[term] = weights.get(term, 0.0) + NAME_WEIGHT
        for term in terms(q.description):
            weights[term] = max(weights.get(term, 0.0), DESCRIPTION_WEIGHT)
        for keyword in q.keywords:
            for term in terms(keyword):
                weights[term] = weights.get(term, 0.0) + KEYWORD_WEIGHT
        raw[q.no] = weights
    spread = Counter(t for w in raw.values() for t in w)
    n = len(queries)
    return {
        no: {t: w * math.log(1 + n / spread[t]) for t, w in weights.items()}
        for no, weights in raw.items()
    }


class Index:
    """The report's passages, counted once, ready for any number of indicators."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self.counts: list[Counter[str]] = []
        df: Counter[str] = Counter()
        for p in self.passages:
            c = terms(p.text)
            for _ in range(HEADING_REPEAT):
                c.update(terms(p.heading[-1] if p.heading else ""))
            self.counts.append(c)
            df.update(c.keys())
        self.lengths = [sum(c.values()) for c in self.counts]
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 1.0
        n = len(self.passages)
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, c in enumerate(self.counts):
            for t in c:
                self.postings.setdefault(t, []).append(i)

    def scores(self, weights: Mapping[str, float]) -> dict[int, float]:
        """BM25 of every passage that shares a term with the query."""
        out: dict[int, float] = {}
        for term, weight in weights.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i in self.postings[term]:
                tf = self.counts[i][term]
                norm = tf + K1 * (1 - B + B * self.lengths[i] / self.average)
                out[i] = out.get(i, 0.0) + weight * idf * tf * (K1 + 1) / norm
        return out

    def ceiling(self, weights: Mapping[str, float]) -> float:
        """The score of an average-length passage holding every query term twice."""
        top = max(self.idf.values(), default=1.0)
        gain = 2 * (K1 + 1) / (2 + K1)
        return sum(w * self.idf.get(t, top) * gain for t, w in weights.items()) or 1.0


def _matched(text: str, query: Query) -> tuple[str, ...]:
    words = [k for k in (query.name, *query.keywords) if k and k in text]
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


def suggest(
    passages: Sequence[Passage], queries: Iterable[Query], top: int = 3
) -> dict[int, list[Suggestion]]:
    """For each indicator, up to `top` passages, best first; an empty list: nothing relevant."""
    query_list = list(queries)
    index = Index(passages)
    weights = _query_weights(query_list)
    out: dict[int, list[Suggestion]] = {}
    for q in query_list:
        w = weights[q.no]
        ceiling = index.ceiling(w)
        ranked = sorted(index.scores(w).items(), key=lambda item: (-item[1], item[0]))
        chosen = []
        ranked = [r for r in ranked if len(index.passages[r[0]].text) >= MIN_PASSAGE_CHARS]
        for i, score in ranked[:top]:
            share = score / ceiling
            if share < MIN_SCORE:
                break
            p = index.passages[i]
            chosen.append(Suggestion(p, round(share, 4), _matched(p.text, q)))
        out[q.no] = chosen
    return out
