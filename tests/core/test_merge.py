"""The three-way rule on its own: returns from one export merge the same in any order, a
return imported twice changes nothing, the office's own edits survive stale returns."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from csr_desktop.core.merge import NO_BASE, Outcome, apply_return, decide

KEYS = [f"f{i}" for i in range(6)]
VALUES = st.sampled_from(["", "a", "b", "c"])


@st.composite
def returns_of_one_export(draw: st.DrawFn) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A base and 1–4 returns of it; where two returns change a field they agree (else it is
    a conflict, which a person decides and no order can)."""
    base = {k: draw(VALUES) for k in KEYS}
    agreed = {k: draw(VALUES) for k in KEYS}
    returns = []
    for _ in range(draw(st.integers(1, 4))):
        touched = draw(st.sets(st.sampled_from(KEYS)))
        returns.append({k: agreed[k] if k in touched else base[k] for k in KEYS})
    return base, returns


def merge_all(base, project, returns):
    for wb in returns:
        project, conflicts = apply_return(base, project, wb)
        assert conflicts == []
    return project


@given(returns_of_one_export())
def test_the_order_in_which_returns_arrive_does_not_matter(case):
    base, returns = case
    results = {
        tuple(sorted(merge_all(base, dict(base), order).items()))
        for order in itertools.permutations(returns)
    }
    assert len(results) == 1
    [result] = results
    expected = dict(base)
    for wb in returns:
        expected.update({k: v for k, v in wb.items() if v != base[k]})
    assert dict(result) == expected


@given(returns_of_one_export(), st.data())
def test_importing_a_return_again_changes_nothing(case, data):
    base, returns = case
    merged = merge_all(base, dict(base), returns)
    again = data.draw(st.sampled_from(returns))
    assert apply_return(base, merged, again) == (merged, [])


@given(returns_of_one_export(), st.dictionaries(st.sampled_from(KEYS), VALUES))
def test_the_offices_own_edits_stand_unless_a_colleague_changed_the_same_field(case, office):
    base, returns = case
    project = {**base, **office}
    for wb in returns:
        result, conflicts = apply_return(base, project, wb)
        for k in KEYS:
            if wb[k] == base[k]:
                assert result[k] == project[k]  # untouched by the colleague: the office's stands
            elif project[k] not in (base[k], wb[k]):
                assert k in conflicts and result[k] == project[k]  # kept until decided
        taken, _ = apply_return(base, project, wb, take_conflicts=True)
        assert all(taken[k] == wb[k] for k in conflicts)


def test_the_four_outcomes():
    assert decide("a", "a", "a") is Outcome.UNTOUCHED
    assert decide("a", "b", "a") is Outcome.UNTOUCHED  # the office's edit, a stale return
    assert decide("a", "a", "b") is Outcome.TAKE
    assert decide("a", "b", "b") is Outcome.SAME
    assert decide("a", "b", "c") is Outcome.CONFLICT
    assert decide(NO_BASE, "b", "a") is Outcome.TAKE  # typed by hand: compared two-way
    assert decide(NO_BASE, "a", "a") is Outcome.UNTOUCHED
