"""Mutation testing as a habit: a fixed sample of mutants of core and formats, each run against
its module's tests (scripts/mutation.py sample, 1-3 minutes). Fails when a mutant survives that
is not in scripts/mutation_known.json, i.e. one that survived no earlier run: a test got weaker,
or new code came without a test that can fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_no_mutant_of_the_sample_survives_that_is_not_known() -> None:
    # seen red: before tests/core/test_units.py, human_size's mutants survived and this failed
    done = subprocess.run(
        [sys.executable, "scripts/mutation.py", "sample"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert "mutation sample:" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, done.stdout[-4000:]


def test_mutants_are_valid_distinct_and_sampled_the_same_in_any_order() -> None:
    """What the known list relies on: each mutant compiles and changes the code, ids are unique,
    and the sample does not depend on the order mutants were found in."""
    sys.path.insert(0, str(REPO / "scripts"))
    import mutation

    mutants = mutation.mutants_of("csr_desktop/core/units.py")
    source = (REPO / "csr_desktop/core/units.py").read_text(encoding="utf-8")
    kinds = {m.id.split(":")[2] for m in mutants}
    assert {"compare", "return", "constant"} <= kinds
    assert all(m.apply(source) != source for m in mutants)
    for m in mutants:  # every mutant is valid Python and differs from the original
        compile(m.apply(source), "units.py", "exec")
    ids = [m.id for m in mutants]
    assert len(ids) == len(set(ids))  # ids are unique, so the known list can name them
    assert mutation.sample(mutants, 3) == mutation.sample(list(reversed(mutants)), 3)
