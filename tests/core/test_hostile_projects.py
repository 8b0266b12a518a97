"""Hostile project files (the corpus and generated ones): a clear error or a clean open,
bounded time, and the file untouched."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csr_desktop.core.errors import ProjectFileError
from csr_desktop.core.store import Project
from csr_desktop.core.validation import validate

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "projects"
EXPECT: dict[str, str] = json.loads((CORPUS / "expect.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECT))
@pytest.mark.parametrize("readonly", [False, True])
def test_corpus_file_is_opened_or_refused_untouched(tmp_path: Path, name: str, readonly: bool):
    path = tmp_path / name
    shutil.copy(CORPUS / name, path)
    before = path.read_bytes()
    started = time.monotonic()
    if EXPECT[name] == "open":
        with Project.open(path, readonly=readonly) as p:
            validate(p.assessment(), p.file_is_intact)
    else:
        with pytest.raises(ProjectFileError) as err:
            Project.open(path, readonly=readonly)
        assert name in err.value.zh
        assert path.read_bytes() == before
    assert time.monotonic() - started < 10
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no stray side or lock files


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECT.items() if e == "refuse"))
def test_cli_refuses_corpus_file_in_one_line(tmp_path: Path, cli, name: str):
    path = tmp_path / name
    shutil.copy(CORPUS / name, path)
    res = cli("validate", path)
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1 and name in res.stderr


_VALID = (CORPUS / "valid.csrproj").read_bytes()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255)), min_size=1, max_size=40
    ),
    cut=st.one_of(st.none(), st.integers(0, len(_VALID))),
)
def test_mutated_project_files_never_escape_as_tracebacks(tmp_path_factory, edits, cut):
    data = bytearray(_VALID)
    for pos, value in edits:
        data[pos] = value
    if cut is not None:
        del data[cut:]
    path = tmp_path_factory.mktemp("fuzz") / "mutated.csrproj"
    path.write_bytes(bytes(data))
    try:
        with Project.open(path, readonly=True) as p:
            validate(p.assessment(), p.file_is_intact)
    except ProjectFileError as exc:
        assert "mutated.csrproj" in exc.zh
    assert path.read_bytes() == bytes(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=5000))
def test_random_bytes_are_refused(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("rnd") / "rnd.csrproj"
    path.write_bytes(blob)
    with pytest.raises(ProjectFileError):
        Project.open(path)
    assert path.read_bytes() == blob
