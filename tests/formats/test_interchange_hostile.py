"""Hostile interchange JSON: any document is either loaded or refused with a message naming
the file and the place — never a traceback, never a half-written project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csr_desktop.core.errors import CsrError
from csr_desktop.formats import interchange
from csr_desktop.sample import build_interchange

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def valid_doc(tmp_path_factory) -> tuple[Path, dict]:
    src = build_interchange(tmp_path_factory.mktemp("valid"), evidence_per_indicator=1)
    return src, json.loads(src.read_text(encoding="utf-8"))


def _paths(doc, prefix=()):
    """Every (path) inside a JSON document, to replace one value at a time."""
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), replacement=json_values)
def test_one_value_replaced_anywhere(valid_doc, data, replacement):
    src, doc = valid_doc
    doc = json.loads(json.dumps(doc))
    paths = [p for p in _paths(doc) if p]
    path = data.draw(st.sampled_from(paths))
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = replacement
    try:
        interchange.parse(doc, src)
    except CsrError as exc:
        assert src.name in exc.zh


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_arbitrary_documents_are_refused_cleanly(doc):
    with pytest.raises(CsrError):
        interchange.parse(doc, Path("随机.json"))


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,  # nesting deeper than the parser's recursion limit
        b"\xff\xfe\x00garbage",
        b'{"format": "csr-self-assessment", "version": 1e999}',
        "\ufeff".encode() + b"{}",
    ],
)
def test_hostile_bytes_get_one_clear_error(tmp_path: Path, raw: bytes):
    path = tmp_path / "恶意.json"
    path.write_bytes(raw)
    with pytest.raises(CsrError) as err:
        interchange.parse(interchange.read_json(path), path)
    assert "恶意.json" in err.value.zh


def test_evidence_path_escaping_the_folder_is_just_a_path(tmp_path: Path, valid_doc):
    """`file` is relative to the JSON; a missing target is named, nothing is read blindly."""
    src, doc = valid_doc
    doc = json.loads(json.dumps(doc))
    doc["indicators"][0]["evidence"][0]["file"] = "../../../../etc/不存在的文件"
    with pytest.raises(CsrError) as err:
        interchange.parse(doc, src)
    assert "不存在的文件" in err.value.zh
