"""Which passages of a report speak to which indicator: BM25 over Chinese character bigrams.

Chinese has no spaces between words; overlapping two-character pieces ("未成", "成年", "年人")
find a word wherever it occurs, need no dictionary and no model, and cost nothing to ship. The
query of an indicator is its 三级指标, its 指标说明 and its keywords and synonyms (kept as data
in indicators.json). A bigram that many indicators' queries share ("责任", "情况") tells one
indicator from another poorly and weighs less. A passage's score is made comparable between
indicators by dividing it by what a passage of average length holding every query bigram twice
would score, so one threshold applies to every indicator; a passage must also hold two of
the indicator's own words (or score very high) before it is offered, so an indicator the report
is silent on gets nothing rather than a passage on a neighbouring topic.
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
STRICT_WORDS = 2  # of the indicator's name and keywords, in a passage offered for it
STRICT_SCORE = 0.18  # ... unless its share reaches this
COMMON_FLOOR = 200  # passages: below this many, no term is too common to count
MIN_PASSAGE_CHARS = 20  # a cover line or a slogan is never worth inserting

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_BIGRAM = re.compile(f"(?=([{_HAN}]{{2}}))")  # every overlapping pair, found in C
_SINGLE = re.compile(f"(?<![{_HAN}])[{_HAN}](?![{_HAN}])")  # a character standing alone
_WORD = re.compile(r"[0-9]*[A-Za-z][A-Za-z0-9]*")
_RUN = re.compile(f"[{_HAN}]+")
_PAIR = re.compile(f"[{_HAN}]{{2}}")


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
    score: float  # 0..1 (rarely above): the share of the ceiling score
    # the keywords (or the indicator's name) found in the passage, longest first
    matched: tuple[str, ...]


def terms(text: str) -> Counter[str]:
    """Character bigrams of the Chinese runs (a lone character counts as itself) and
    Latin words, lower-cased."""
    out: Counter[str] = Counter(_BIGRAM.findall(text))
    out.update(_SINGLE.findall(text))
    out.update(w.lower() for w in _WORD.findall(text))
    return out


class _Counter:
    """`terms` of a text restricted to a vocabulary, with the number of all its terms.

    What a 2,000-page report's ranking costs is mostly making and counting its millions of
    bigrams; only those whose two characters both occur in the vocabulary's bigrams are made."""

    def __init__(self, wanted: frozenset[str]) -> None:
        self.wanted = wanted
        pairs = [t for t in wanted if _PAIR.fullmatch(t)]
        firsts = "".join(sorted({t[0] for t in pairs}))
        seconds = "".join(sorted({t[1] for t in pairs}))
        self.pairs = re.compile(f"(?=([{firsts}][{seconds}]))") if pairs else None
        self.singles = any(_SINGLE.fullmatch(t) for t in wanted)
        self.words = any(_WORD.fullmatch(t) for t in wanted)

    def __call__(self, text: str) -> tuple[dict[str, int], int]:
        runs = _RUN.findall(text)
        singles = _SINGLE.findall(text)
        words = _WORD.findall(text)
        length = sum(map(len, runs)) - len(runs) + len(singles) + len(words)
        found: Counter[str] = Counter(self.pairs.findall(text) if self.pairs else ())
        if self.singles:
            found.update(singles)
        if self.words:
            found.update(w.lower() for w in words)
        wanted = self.wanted
        return {t: k for t, k in found.items() if t in wanted}, length


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

    def __init__(self, passages: Sequence[Passage], vocabulary: Iterable[str]) -> None:
        """Only the terms some query asks for are counted: the rest cannot change a score, and
        a passage's length needs only its runs of Chinese characters and its Latin words."""
        self.passages = list(passages)
        count = _Counter(frozenset(vocabulary))
        counts: list[dict[str, int]] = []
        lengths: list[int] = []
        df: Counter[str] = Counter()
        for p in self.passages:
            kept, length = count(p.text)
            if p.heading:
                heading, heading_length = count(p.heading[-1])
                for t, k in heading.items():
                    kept[t] = kept.get(t, 0) + HEADING_REPEAT * k
                length += HEADING_REPEAT * heading_length
            lengths.append(length)
            counts.append(kept)
            df.update(kept.keys())
        self.average = (sum(lengths) / len(lengths)) if lengths else 1.0
        n = len(self.passages)
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
        self.rarest = math.log(1 + (n - 0.5) / 1.5)  # a term in one passage
        # a term in most passages of a long report tells them apart too little to be worth
        # its cost (a 2,000-page report: millions of additions); short reports keep them all
        self.common = {t for t, k in df.items() if k > max(COMMON_FLOOR, n // 4)}
        norms = [K1 * (1 - B + B * length / self.average) for length in lengths]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        common = self.common
        for i, kept_counts in enumerate(counts):
            norm = norms[i]
            for t, tf in kept_counts.items():
                if t not in common:
                    self.postings.setdefault(t, []).append((i, tf * (K1 + 1) / (tf + norm)))

    def scores(self, weights: Mapping[str, float]) -> dict[int, float]:
        """BM25 of every passage that shares a term with the query."""
        out: dict[int, float] = {}
        get = out.get
        for term, weight in weights.items():
            idf = self.idf.get(term)
            if idf is None or term in self.common:
                continue
            w = weight * idf
            for i, gain in self.postings[term]:
                out[i] = get(i, 0.0) + w * gain
        return out

    def ceiling(self, weights: Mapping[str, float]) -> float:
        """The score of an average-length passage holding every query term twice."""
        gain = 2 * (K1 + 1) / (2 + K1)
        return sum(w * self.idf.get(t, self.rarest) * gain for t, w in weights.items()) or 1.0


def _matched(text: str, query: Query) -> tuple[str, ...]:
    words = [k for k in (query.name, *query.keywords) if k and k in text]
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


def suggest(
    passages: Sequence[Passage], queries: Iterable[Query], top: int = 3, strict: bool = True
) -> dict[int, list[Suggestion]]:
    """For each indicator, up to `top` passages, best first; an empty list: nothing relevant.

    `strict` (the default, measured in bench/README.md): a passage must also hold two of the
    indicator's own words (its name or keywords), unless it scores very high. Bigrams alone
    find passages on a neighbouring topic for indicators a report is silent on, with scores as
    high as the weakest true ones; two whole words tell them apart. A passage that fails is
    skipped and the next one considered, so the first three of a longer list are the top three.
    `strict=False` keeps every passage above the score threshold (compared in the benchmark)."""
    query_list = list(queries)
    weights = _query_weights(query_list)
    index = Index(passages, (t for w in weights.values() for t in w))
    out: dict[int, list[Suggestion]] = {}
    for q in query_list:
        w = weights[q.no]
        ceiling = index.ceiling(w)
        ranked = sorted(index.scores(w).items(), key=lambda item: (-item[1], item[0]))
        chosen: list[Suggestion] = []
        for i, score in ranked:
            if len(chosen) >= top:
                break
            share = score / ceiling
            if share < MIN_SCORE:
                break
            p = index.passages[i]
            if len(p.text) < MIN_PASSAGE_CHARS:
                continue
            matched = _matched(p.text, q)
            if strict and q.keywords and len(matched) < STRICT_WORDS and share < STRICT_SCORE:
                continue
            chosen.append(Suggestion(p, round(share, 4), matched))
        out[q.no] = chosen
    return out
