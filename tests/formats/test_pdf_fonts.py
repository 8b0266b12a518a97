"""Font fallback: every character is drawn by a font that has it, and every font is embedded."""

from __future__ import annotations

import shutil
from pathlib import Path

from csr_desktop.formats.pdf.fonts import (
    EMOJI,
    MAIN,
    RARE,
    FontChain,
    clean_text,
    font_chain,
    markup,
    missing,
    runs,
)
from csr_desktop.resources import resource_path

EXT_B = "𡈼"  # U+2123C, a name character Noto Serif SC lacks
EXT_G = "\U00030000"  # Extension G: in no bundled font


def test_each_character_goes_to_the_first_font_that_has_it() -> None:
    text = f"周{EXT_B}明 ☑ 完成🎉 <a&b>"
    pieces = list(runs(text))
    assert "".join(piece for _, piece in pieces) == text
    by_char = {ch: font for font, piece in pieces for ch in piece}
    assert by_char["周"] == MAIN
    assert by_char[EXT_B] == RARE
    assert by_char["☑"] in (RARE, EMOJI)
    assert by_char["🎉"] == EMOJI
    assert by_char["<"] == MAIN


def test_markup_escapes_user_text_and_switches_fonts() -> None:
    result = markup(f"A<b>&{EXT_B}\r\n下一行")
    assert "&lt;b&gt;&amp;" in result
    assert f'<font face="{RARE}">{EXT_B}</font>' in result
    assert result.endswith("<br/>下一行")


def test_control_characters_pasted_from_word_are_dropped_not_drawn() -> None:
    assert clean_text("甲\x0b乙\x01\x07丙\x1f丁\r\n戊\t己\u200b") == "甲\n乙丙丁\n戊    己"


def test_a_rare_character_falls_back_to_a_font_installed_on_the_computer(tmp_path: Path) -> None:
    """Windows has SimSun-ExtB; simulated with a copy of the bundled subset under another name."""
    installed = tmp_path / "simsunb.ttf"
    shutil.copy(resource_path("fonts", "CsrRareHan.ttf"), installed)
    main = font_chain().charmaps[MAIN]
    chain = FontChain([MAIN], {MAIN: main}, [tmp_path / "absent.ttf", installed])
    assert chain.font_for("中") == MAIN
    assert chain.font_for(EXT_B) == "CsrSystemHan2"
    assert missing([f"周{EXT_B}"], chain) == []


def test_characters_no_font_has_are_reported() -> None:
    main = font_chain().charmaps[MAIN]
    chain = FontChain([MAIN], {MAIN: main}, [])
    assert missing([f"甲{EXT_G}乙{EXT_B}", EXT_G], chain) == [EXT_G, EXT_B]
    assert missing(["普通文字 ABC 123，。"], chain) == []
