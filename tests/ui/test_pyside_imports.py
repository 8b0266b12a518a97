"""The cheaper "does this module use PySide6?" check gives PySide6's own answers."""

from __future__ import annotations

import sys
import types

import pytest

import csr_desktop.ui.main_window  # noqa: F401  - the window's modules, all loaded
from csr_desktop.ui import pyside_imports


def pyside_check() -> types.FunctionType:
    feature = sys.modules[pyside_imports.FEATURE_MODULE]
    check = getattr(feature, pyside_imports.CHECK)
    return getattr(check, "__wrapped__", check)


def test_same_answer_as_pyside_for_every_loaded_source_module() -> None:
    original = pyside_check()
    fell_back: list[str] = []

    def fallback(module: types.ModuleType) -> bool:
        fell_back.append(module.__name__)
        return bool(original(module))

    modules = [
        m
        for m in list(sys.modules.values())
        if isinstance(getattr(m, "__file__", None), str) and m.__file__.endswith(".py")
    ]
    ours = [m.__name__ for m in modules if m.__name__.startswith("csr_desktop.")]
    assert len(modules) > 100 and len(ours) > 20
    answers = {m.__name__: pyside_imports.source_mentions_pyside(m, fallback) for m in modules}
    assert answers == {m.__name__: original(m) for m in modules}
    assert answers["csr_desktop.ui.main_window"] and not answers["csr_desktop.core.store"]
    assert not set(ours) & set(fell_back)  # the app's own modules are read directly
    assert len(fell_back) < len(modules) / 10  # only oddities (PySide's embedded modules)


def test_modules_without_a_source_file_get_pysides_own_check() -> None:
    asked = []
    built_in = sys.modules["sys"]
    vanished = types.ModuleType("vanished")
    vanished.__file__ = "/nonexistent/vanished.py"
    for module in (built_in, vanished):
        assert (
            pyside_imports.source_mentions_pyside(module, lambda m: asked.append(m) or False)
            is False
        )
    assert asked == [built_in, vanished]


def test_installing_is_idempotent_and_keeps_pysides_check_reachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feature = sys.modules[pyside_imports.FEATURE_MODULE]
    original = pyside_check()
    monkeypatch.setattr(feature, pyside_imports.CHECK, original)
    assert pyside_imports.speed_up_pyside_imports()
    installed = getattr(feature, pyside_imports.CHECK)
    assert installed is not original and installed.__wrapped__ is original
    assert pyside_imports.speed_up_pyside_imports()
    assert getattr(feature, pyside_imports.CHECK) is installed
    assert installed(sys.modules["csr_desktop.ui.main_window"]) is True


def test_nothing_changes_when_pyside_has_no_such_check(monkeypatch: pytest.MonkeyPatch) -> None:
    feature = sys.modules[pyside_imports.FEATURE_MODULE]
    monkeypatch.delattr(feature, pyside_imports.CHECK)
    assert not pyside_imports.speed_up_pyside_imports()
    assert not hasattr(feature, pyside_imports.CHECK)
