"""The exporter's page layout of the 自评表: pages never overflow, no row is taller than Excel
allows, and a 备注 cut into continuation rows joins back exactly."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain, repeat

from hypothesis import given, settings
from hypothesis import strategies as st

from csr_desktop.formats.xlsx.fit import MAX_ROW_POINTS, join_rows, lines_needed
from csr_desktop.formats.xlsx.pages import TableRow, paginate, runs, split_to_budgets

texts = st.lists(
    st.one_of(
        st.text(alphabet="ab \t长“😀é，", max_size=20),
        st.text(alphabet="ab长", min_size=40, max_size=1500),
    ),
    max_size=12,
).map("\n".join)


@settings(max_examples=200, deadline=None)
@given(text=texts, width=st.sampled_from([6.0, 24.0, 46.0]), first=st.integers(1, 40))
def test_split_to_budgets_joins_back_and_keeps_each_budget(text: str, width: float, first: int):
    pieces = split_to_budgets(text, width, chain([first], repeat(25)))
    assert join_rows([(p.kind, p.text) for p in pieces]) == text
    assert pieces[0].kind == "first" and all(p.kind in ("new", "same") for p in pieces[1:])
    for k, p in enumerate(pieces):
        assert p.lines == lines_needed(p.text, width)
        assert p.lines <= (first if k == 0 else 25)


@settings(max_examples=150, deadline=None)
@given(
    remarks=st.lists(texts, min_size=1, max_size=10),
    base=st.lists(st.integers(1, 8), min_size=10, max_size=10),
    first_room=st.floats(0, 455),
)
def test_pages_never_overflow_and_every_remark_is_kept(remarks, base, first_room):
    rows = [TableRow(k, base[k], r, 24.0, (2, 4)) for k, r in enumerate(remarks)]
    placed = paginate(rows, first_room, 431.0)
    assert [p.page for p in placed] == sorted(p.page for p in placed)
    per_page: dict[int, float] = defaultdict(float)
    for p in placed:
        assert p.points <= MAX_ROW_POINTS
        per_page[p.page] += p.points
    for page, used in per_page.items():
        assert used <= (first_room if page == 0 else 431.0) + 1e-6, (page, used)
    pieces: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for p in placed:
        pieces[p.key].append((p.piece.kind, p.piece.text))
    assert [join_rows(pieces[k]) for k in range(len(rows))] == remarks


def test_runs_are_the_stretches_of_one_page():
    assert list(runs([0, 0, 1, 1, 1, 3])) == [(0, 2), (2, 5), (5, 6)]
    assert list(runs([])) == []
