"""Every red-team input of `tests/corpus/make_hostile.py`, run through the real command line
in a child process held to 1 GB of address space and a time limit: the answer (exit code and
the sentence) must be the one `tests/corpus/hostile/expect.json` gives, whatever the input
does to memory or time. The limits are what make a hang or a memory blow-up fail the test; no
timing is asserted."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import resource
except ImportError:  # Windows: this module is posix_only
    resource = None  # type: ignore[assignment]

from tests.corpus.make_hostile import CASES, EXPECT, build_all

pytestmark = pytest.mark.posix_only("limits address space with resource.setrlimit in preexec_fn")

MEMORY_LIMIT = 1 << 30  # address space; the CLI needs ~150 MB, a blow-up fails fast
TIME_LIMIT = 60  # seconds per command; every case here answers in one or two
EXPECTED: dict[str, dict] = {
    k: v for k, v in json.loads(EXPECT.read_text(encoding="utf-8")).items() if k != "_about"
}
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_all(tmp_path_factory.mktemp("hostile"))


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_limited(argv: list[str], cwd: Path) -> tuple[int | str, str, str]:
    """`csr-desktop argv` in a child under the memory limit; 'timeout' if it overran."""
    try:
        r = subprocess.run(
            [sys.executable, "-m", "csr_desktop", *argv],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIME_LIMIT,
            preexec_fn=_limit,
            cwd=cwd,
        )
    except subprocess.TimeoutExpired:
        return "timeout", "", ""
    return r.returncode, r.stdout, r.stderr


def test_every_case_has_an_expected_answer() -> None:
    assert set(CASES) == set(EXPECTED)
    print(f"{len(CASES)} hostile inputs in the corpus")


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_gets_its_expected_answer_within_limits(name: str, built) -> None:
    folder, case = built[name]
    *setup, last = case.steps
    for step in setup:
        code, out, err = run_limited(step, folder)
        assert code == 0, (step, out, err)
    code, out, err = run_limited(last, folder)
    want = EXPECTED[name]
    assert code == want["exit"], (code, out, err)
    for text in want["stderr"]:
        assert text in err, (text, err)
    for text in want["stdout"]:
        assert text in out, (text, out)
    for stream in (out, err):
        assert "内部错误" not in stream and "Traceback" not in stream
        assert not _RAW_CONTROL.search(stream), repr(stream)
    if code == 2:
        assert len(err.splitlines()) == 1, err
