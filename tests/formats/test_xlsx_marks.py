"""However a colleague marked 企业自评 — in Excel, WPS or LibreOffice — the import reads the
choice, and refuses what cannot be read as exactly one choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import load
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import export_xlsx, options_text
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.formats.xlsx.marks import MarkError, read_rating
from csr_desktop.sample import build_interchange
from tests.corpus.xlsx.make_workbooks import edited, libreoffice_resave
from tests.formats.colleague import table_row

ISET = default_indicator_set()
IND = ISET.indicator(1)  # 1.非常重视 … 5.非常不重视
SCALE = IND.scale
PAPER = options_text(IND, None)  # every option with □, as exported for "not rated"


def mark(rating: int, mark_char: str, where: str = "replace") -> str:
    lines = PAPER.split("\n")
    line = lines[rating - 1]
    if where == "replace":
        line = line.replace("□", mark_char)
    elif where == "after":
        line = line + mark_char
    else:
        line = mark_char + line.replace("□", "")
    lines[rating - 1] = line
    return "\n".join(lines)


@pytest.mark.parametrize("char", sorted("☑■√✓●☒✔"))
@pytest.mark.parametrize("where", ["replace", "after", "before"])
def test_a_mark_in_place_of_or_beside_the_box(char: str, where: str):
    for rating in (1, 3, 5):
        assert read_rating(mark(rating, char, where), SCALE) == rating


@pytest.mark.parametrize(
    ("typed", "rating"),
    [
        ("2.比较重视□", 2),  # all but one option deleted
        ("4.不太重视", 4),
        ("3", 3),
        ("３", 3),  # full-width digit from a Chinese input method
        ("5.", 5),
        ("比较重视", 2),
        (" 非常不重视 ", 5),
        ("☑非常重视", 1),
        ("一般", 3),
        ("", None),
        ("   \n  ", None),
        (PAPER, None),  # every option still standing, none marked: not rated
        (options_text(IND, 4), 4),  # our own ☑
        ("1.非常重视□ 2.比较重视☑ 3.一般□ 4.不太重视□ 5.非常不重视□", 2),  # one line
        ("□1.非常重视 ☑2.比较重视 □3.一般 □4.不太重视 □5.非常不重视", 2),  # boxes first
        (PAPER.replace("\n", "\r\n").replace("2.比较重视□", "2.比较重视√"), 2),
    ],
)
def test_typed_deleted_and_one_line_forms(typed: str, rating: int | None):
    assert read_rating(typed, SCALE) == rating


def test_rows_with_their_own_scales_read_their_own_words():
    row2 = ISET.indicator(2).scale  # 5.尚未开展相关文件发布
    assert read_rating("尚未开展相关文件发布", row2) == 5
    row21 = ISET.indicator(21).scale
    assert read_rating("整体一般", row21) == 3
    row26 = ISET.indicator(26).scale
    assert read_rating("1全部参与☑\n2.大部分参与□", row26) == 1  # the template's missing dot


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (mark(1, "☑").replace("2.比较重视□", "2.比较重视√"), "多个选项"),
        ("1.非常重视■\n2.比较重视■", "多个选项"),
        ("2.比较重视□\n4.不太重视□", "无法确定"),  # two left, none marked
        ("很好", "无法识别"),
        ("2.不太重视", "不一致"),
        ("√", "不在任何选项旁边"),
    ],
)
def test_ambiguous_cells_are_refused_with_the_reason(typed: str, reason: str):
    with pytest.raises(MarkError) as info:
        read_rating(typed, SCALE)
    assert reason in str(info.value)


STYLES: dict[int, tuple[str, int | None]] = {}


def _styles() -> dict[int, tuple[str, int | None]]:
    """Indicator → (what the colleague left in 企业自评, the rating it means)."""
    if not STYLES:
        for no, (char, rating) in enumerate(
            [("☑", 1), ("■", 2), ("√", 3), ("✓", 4), ("●", 5), ("☒", 2)], start=1
        ):
            text = options_text(ISET.indicator(no), None).split("\n")
            text[rating - 1] = text[rating - 1].replace("□", char)
            STYLES[no] = ("\n".join(text), rating)
        STYLES[7] = (ISET.indicator(7).scale.option_text(4) + "□", 4)  # others deleted
        STYLES[8] = ("1", 1)
        STYLES[9] = ("比较完善", 2)
        STYLES[10] = ("", None)
        STYLES[11] = (options_text(ISET.indicator(11), None), None)
        STYLES[12] = ("3.一般", 3)
    return STYLES


def _mark_workbook(wb) -> None:
    ws = wb[layout.TABLE_SHEET]
    for no, (text, _rating) in _styles().items():
        ws.cell(table_row(ws, no), 6).value = text


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("marks")
    project = folder / "p.csrproj"
    load(build_interchange(folder / "in", 1), project)
    with Project.open(project) as p:
        for no in _styles():
            p.set_rating(no, 5 if no != 5 else 1)  # differs from every intended choice
        export_xlsx(p, folder / "export.xlsx")
    (folder / "marked").mkdir()
    return project, edited(
        folder / "export.xlsx", folder / "marked" / "marked.xlsx", _mark_workbook
    )


def _ratings_after_import(project: Path, xlsx: Path, tmp_path: Path) -> dict[int, int | None]:
    copy = tmp_path / "copy.csrproj"
    with Project.open(project, readonly=True) as p:
        p.save_copy(copy)
    with Project.open(copy) as p:
        apply_import(p, plan_import(p, xlsx))
        return {no: p.assessment().answer(no).rating for no in _styles()}


def test_each_marking_style_in_a_workbook(marked, tmp_path: Path):
    project, xlsx = marked
    expected = {no: rating for no, (_text, rating) in _styles().items()}
    assert _ratings_after_import(project, xlsx, tmp_path) == expected


def test_each_marking_style_after_libreoffice_saved_it(marked, tmp_path: Path):
    project, xlsx = marked
    resaved = libreoffice_resave(xlsx, tmp_path / "lo")
    expected = {no: rating for no, (_text, rating) in _styles().items()}
    assert _ratings_after_import(project, resaved, tmp_path) == expected
