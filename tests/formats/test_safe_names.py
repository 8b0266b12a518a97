"""Names in a package must extract on Windows, macOS and Linux whatever the user typed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from csr_desktop.formats.safe_names import (
    MAX_COMPONENT,
    MAX_COMPONENT_BYTES,
    MAX_PATH,
    UniqueNames,
    is_reserved,
    is_safe_component,
    is_safe_path,
    safe_component,
    safe_extension,
)

HOSTILE = [
    "../x",
    "..",
    ".",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "a:b",
    'a<b>c"d|e?f*g',
    "CON",
    "con.txt",
    "Com1 .tar.gz",
    "LPT9",
    "nul.",
    "COM¹",
    "报告。。 . ",
    "  前后空格  ",
    "带\x00控制\x1f字符\x7f",
    "换行\r\n名称",
    "\u202egpj.exe",
    "孤立代理\ud800字符",
    "长" * 300,
    "😀" * 120,
    "a" * 300,
    "",
    "   ",
    "...",
]


def test_each_hostile_name_becomes_safe_and_keeps_readable_text():
    for name in HOSTILE:
        out = safe_component(name, ".pdf")
        assert is_safe_component(out), (name, out)
        assert out.endswith(".pdf")
    assert safe_component("a:b", ".pdf") == "a_b.pdf"
    assert safe_component("CON", ".pdf").upper() != "CON.PDF"
    assert not is_reserved(safe_component("con.txt", ".pdf"))
    assert ".." not in safe_component("../x").split("/")
    assert "/" not in safe_component("/etc/passwd") and "\\" not in safe_component("C:\\x")


def test_reserved_names_are_recognised_with_any_extension_or_case():
    for name in ("CON", "prn.pdf", "Aux.tar.gz", "nul ", "COM3.docx", "lpt1", "CONOUT$"):
        assert is_reserved(name), name
    for name in ("CONSOLE", "COM10", "LPT0.txt", "报告", "con_1"):
        assert not is_reserved(name), name


def test_long_names_are_cut_within_windows_and_linux_limits_keeping_the_extension():
    for stem in ("长" * 300, "a" * 300, "😀" * 200, "a😀" * 90):
        out = safe_component(stem, ".docx")
        assert out.endswith(".docx")
        assert len(out.encode("utf-16-le")) // 2 <= MAX_COMPONENT
        assert len(out.encode("utf-8")) <= MAX_COMPONENT_BYTES
        assert out[:-5] == stem[: len(out) - 5]  # a prefix of what was typed, whole characters


def test_extension_comes_from_the_original_file_and_is_not_doubled():
    assert safe_extension("季度报告.PDF") == ".pdf"
    assert safe_extension("archive.tar.gz") == ".gz"
    assert safe_extension("no_extension") == ""
    assert safe_extension(".bashrc") == ""
    assert safe_extension("x.p:d|f") == ".pdf"
    assert safe_extension(None) == ""
    assert safe_extension("dir.d/file") == ""
    assert safe_component("报告.pdf", ".pdf") == "报告.pdf"


def test_duplicates_get_numbered_case_insensitively_per_folder():
    names = UniqueNames()
    got = [names.claim("f", n) for n in ("a.pdf", "A.PDF", "a.pdf", "a_2.pdf", "b")]
    assert got == ["a.pdf", "A_2.PDF", "a_3.pdf", "a_2_2.pdf", "b"]
    assert names.claim("other", "a.pdf") == "a.pdf"
    long = safe_component("长" * 300, ".pdf")
    second = names.claim("g", long) and names.claim("g", long)
    assert second.endswith("_2.pdf") and is_safe_component(second)


_chars = st.one_of(
    st.characters(),
    st.sampled_from(list('<>:"/\\|?*. \x00\x1f\u202e\ud800😀')),
)
_names = st.one_of(
    st.text(_chars, max_size=320),
    st.sampled_from(HOSTILE),
    st.builds(lambda r, e: r + e, st.sampled_from(["CON", "aux", "LPT1", "com9"]), st.text()),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_names, st.one_of(st.none(), _names)), max_size=12),
    _names,
)
def test_any_typed_names_give_safe_unique_paths(rows, folder_text):
    names = UniqueNames()
    folder = safe_component(folder_text, fallback="1")
    assert is_safe_component(folder)
    seen = set()
    for stem, original in rows:
        leaf = names.claim(folder, safe_component(stem, safe_extension(original)))
        path = f"佐证材料/{folder}/{leaf}"
        assert is_safe_component(leaf), leaf
        assert is_safe_path(path)
        assert len(path.encode("utf-16-le")) // 2 <= MAX_PATH
        key = leaf.casefold()
        assert key not in seen
        seen.add(key)
