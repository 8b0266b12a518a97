"""The name limits are exact: a name at a limit is kept, one unit or byte over is cut or refused,
and `is_safe_component` / `is_safe_path` (what `verify` relies on) refuse each kind of unsafe
name. Written for the mutants of safe_names.py that survived the suite (scripts/mutation.py):
the property tests only ever checked that our own names pass."""

from __future__ import annotations

import pytest

from csr_desktop.formats.safe_names import (
    MAX_COMPONENT,
    MAX_COMPONENT_BYTES,
    MAX_EXTENSION,
    MAX_PATH,
    is_safe_component,
    is_safe_path,
    safe_component,
    safe_extension,
)

ASTRAL = "\U00010000"  # the first character outside the BMP: two UTF-16 units, four bytes


def test_the_limits_are_the_documented_ones() -> None:
    assert (MAX_COMPONENT, MAX_COMPONENT_BYTES, MAX_PATH, MAX_EXTENSION) == (100, 240, 240, 16)


@pytest.mark.parametrize(
    "name",
    [
        "a" * 100,  # exactly 100 units
        "汉" * 80,  # exactly 240 bytes
        "😀" * 50,  # exactly 100 units, counted as Windows counts them
        ASTRAL * 50,
        "报告.pdf",
    ],
)
def test_names_at_the_limits_are_safe(name: str) -> None:
    assert is_safe_component(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".",
        "..",
        "a" * 101,  # one unit over
        "汉" * 80 + "a",  # one byte over
        "汉" * 81,  # within the units, over the bytes
        "😀" * 50 + "a",
        ASTRAL * 50 + "a",
        " 报告",
        "报告.",
        "a/b",
        "a\u202eb",  # a bidirectional override
        "CON",
        "nul.txt",
    ],
)
def test_unsafe_names_are_refused(name: str) -> None:
    assert not is_safe_component(name)


def test_paths_are_refused_one_unit_over_or_with_one_unsafe_part() -> None:
    exact = "/".join(["a" * 100, "b" * 100, "c" * 38])
    assert len(exact) == MAX_PATH and is_safe_path(exact)
    assert not is_safe_path(exact + "c")
    assert not is_safe_path("报告/CON/文件.pdf")


def test_long_stems_are_cut_to_the_last_character_that_fits_with_one_to_spare() -> None:
    # one unit / byte is kept free, so that a `_2` suffix never has to cut further
    assert safe_component("a" * 200) == "a" * 99
    assert safe_component("é" + "汉" * 100) == "é" + "汉" * 79  # exactly 239 bytes
    assert safe_component("😀" * 60) == "😀" * 49  # 98 units: a 50th would need 100
    assert safe_component(ASTRAL * 60) == ASTRAL * 49
    assert safe_component("a" * 200, ".pdf") == "a" * 95 + ".pdf"


def test_extensions_are_cut_at_sixteen_characters() -> None:
    assert safe_extension("x." + "a" * 20) == "." + "a" * 16
    assert safe_extension("文件夹/子/报告.PDF") == ".pdf"


def test_a_repeated_name_gets_a_suffix_and_still_fits() -> None:
    from csr_desktop.formats.safe_names import UniqueNames

    names = UniqueNames()
    assert names.claim("材料", "报告.pdf") == "报告.pdf"
    assert names.claim("材料", "报告.PDF") == "报告_2.PDF"  # case-insensitive, as Windows
    assert names.claim("材料", "报告") == "报告"
    assert names.claim("材料", "报告") == "报告_2"
    assert names.claim("其他", "报告.pdf") == "报告.pdf"  # per folder
    longest = UniqueNames()
    assert longest.claim("", "a" * 100) == "a" * 100
    assert longest.claim("", "a" * 100) == "a" * 98 + "_2"  # 100 units again
    widest = UniqueNames()
    assert widest.claim("", "汉" * 80) == "汉" * 80
    assert widest.claim("", "汉" * 80) == "汉" * 79 + "_2"  # 239 bytes, within 240
