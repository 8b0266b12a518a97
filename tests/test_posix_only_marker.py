"""`posix_only` skips a test on Windows with its reason, and refuses a use without one."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests import conftest


@dataclass
class Item:
    nodeid: str
    marker: pytest.Mark | None
    added: list[pytest.MarkDecorator] = field(default_factory=list)

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return self.marker if name == "posix_only" else None

    def add_marker(self, marker: pytest.MarkDecorator) -> None:
        self.added.append(marker)


def mark(*args: object) -> pytest.Mark:
    decorator = pytest.mark.posix_only(*args) if args else pytest.mark.posix_only
    return decorator.mark


@pytest.mark.parametrize(("os_name", "skipped"), [("nt", True), ("posix", False)])
def test_skipped_on_windows_only_with_the_reason(monkeypatch, os_name: str, skipped: bool):
    monkeypatch.setattr(conftest.os, "name", os_name)
    fifo, plain = Item("t::fifo", mark("makes a FIFO")), Item("t::plain", None)
    conftest.pytest_collection_modifyitems(None, [fifo, plain])  # type: ignore[arg-type]
    assert plain.added == []
    if skipped:
        [skip] = fifo.added
        assert skip.mark.name == "skip" and skip.mark.kwargs["reason"] == "POSIX only: makes a FIFO"
    else:
        assert fifo.added == []


@pytest.mark.parametrize("args", [(), ("",), (3,)])
def test_a_use_without_a_reason_is_refused(args: tuple[object, ...]):
    with pytest.raises(pytest.UsageError, match="needs a reason"):
        conftest.pytest_collection_modifyitems(None, [Item("t::x", mark(*args))])  # type: ignore[arg-type]
