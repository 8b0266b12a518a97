"""Mutation testing for csr_desktop/core and csr_desktop/formats (issue 18).

Two commands:

    .venv/bin/python scripts/mutation.py sample           # CI: a fixed sample, ~1-2 minutes
    .venv/bin/python scripts/mutation.py sample --all     # every mutant of the sampled modules
    .venv/bin/python scripts/mutation.py sample --all --module csr_desktop/core/units.py
    .venv/bin/python scripts/mutation.py full [--max-minutes 60] [PATTERN ...]
                                                          # mutmut over core + formats

`sample` is the CI job (tests/test_mutation_sample.py runs it). It makes small, realistic
mutants (a comparison flipped, `and`/`or` swapped, a constant changed, a `not` dropped, a call
statement or a return value removed) of a few stable modules, picks a fixed sample of them by a
hash of each mutant's id (the same sample on every machine, and a mutant keeps its id when
unrelated code moves), and runs for each only the tests of its module, in a private copy of
the repository. It fails if a mutant survives that is not in scripts/mutation_known.json — the
committed list of mutants known to survive, each with the reason (equivalent, or not worth a
test). A new survivor means a test got weaker or new code has no test that can fail: kill it
with a test, or, if it is truly equivalent, add it to the list with the reason.

`full` runs mutmut (`pip install -e '.[mutation]'`; configured in pyproject.toml
[tool.mutmut]: mutants of core + formats, each run against the tests that cover the mutated
function) with a time limit, then prints mutmut's counts and the score. It takes hours on two
cores for all ~9,400 mutants; give PATTERNs (e.g. 'csr_desktop.formats.zip_safety*') to run
part of it. Results accumulate in mutants/ (git-ignored), so a later run continues.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KNOWN = REPO / "scripts" / "mutation_known.json"

# Module → the tests that are about it. Chosen for CI because they are stable (nobody is
# rewriting them) and their tests take seconds. The storage modules take part through focused
# tests (test_history.py, test_blobs.py): test_project_in_use.py and test_kill_writer.py take
# 10-60 s a run, too slow for a run per mutant. The import planner takes part through
# test_xlsx_import_plan.py and test_returns_files.py, which share one export per module
# (test_returns.py starts the CLI in subprocesses: too slow for a run per mutant).
SAMPLE_TARGETS: dict[str, tuple[str, ...]] = {
    "csr_desktop/core/indicators.py": ("tests/core/test_indicator_set.py",),
    "csr_desktop/core/units.py": ("tests/core/test_units.py",),
    "csr_desktop/core/validation.py": ("tests/core/test_validation.py",),
    "csr_desktop/formats/safe_names.py": (
        "tests/formats/test_safe_names.py",
        "tests/formats/test_safe_names_edges.py",
    ),
    "csr_desktop/formats/zip_safety.py": (
        "tests/formats/test_zip_safety.py",
        "tests/formats/test_zip_limits_edges.py",
    ),
    "csr_desktop/formats/xlsx/marks.py": (
        "tests/formats/test_xlsx_marks.py",
        "tests/formats/test_xlsx_marks_one_line.py",
    ),
    "csr_desktop/formats/pdf/line_breaking.py": (
        "tests/formats/test_pdf_text.py",
        "tests/formats/test_pdf_text_rewrap.py",
        "tests/formats/test_pdf_text_breaks.py",
        "tests/formats/test_pdf_text_split.py",
        "tests/formats/test_pdf_text_lines.py",
    ),
    "csr_desktop/core/storage/history.py": ("tests/core/test_history.py",),
    "csr_desktop/core/storage/blobs.py": ("tests/core/test_blobs.py",),
    "csr_desktop/core/bounded_read.py": (
        "tests/core/test_bounded_read.py",
        "tests/formats/test_bounded_read_hostile.py",
    ),
    "csr_desktop/core/carry_over.py": (
        "tests/core/test_carry_over_merged.py",
        "tests/core/test_carry_over.py",
    ),
    "csr_desktop/formats/xlsx/importer.py": (
        "tests/formats/test_xlsx_import_plan.py",
        "tests/formats/test_returns_files.py",
    ),
}
PER_MODULE = 3  # mutants per module in the CI sample: 36 in all
PYTEST = ["-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0"]

_COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.FloorDiv,
    ast.FloorDiv: ast.Mult,
    ast.Div: ast.Mult,
    ast.Mod: ast.FloorDiv,
}


@dataclass(frozen=True)
class Mutant:
    module: str  # repository path of the file
    id: str  # module:function:line-free description, stable when unrelated code moves
    line: int
    start: tuple[int, int]  # (line, col) of the replaced source segment, 1-based line
    end: tuple[int, int]
    replacement: str

    def apply(self, source: str) -> str:
        lines = source.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line.encode("utf-8")))
        raw = source.encode("utf-8")
        a = offsets[self.start[0] - 1] + self.start[1]
        b = offsets[self.end[0] - 1] + self.end[1]
        return (raw[:a] + self.replacement.encode("utf-8") + raw[b:]).decode("utf-8")


def _skip_ranges(tree: ast.Module) -> set[int]:
    """ids of nodes not to mutate: docstrings, annotations, f-string internals, type checking."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                mark(body[0])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            mark(node.returns)
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                mark(arg.annotation)
        if isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.JoinedStr):
            mark(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            mark(node)
        if isinstance(node, ast.ImportFrom | ast.Import):
            mark(node)
    return skip


def _qualnames(tree: ast.Module) -> dict[int, str]:
    """id(node) → the qualified name of the def or class it is in ('<module>' at top level)."""
    names: dict[int, str] = {}

    def visit(node: ast.AST, name: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = name
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = child.name if name == "<module>" else f"{name}.{child.name}"
            names[id(child)] = inner
            visit(child, inner)

    visit(tree, "<module>")
    return names


def _variants(node: ast.AST) -> Iterator[tuple[str, ast.AST | str]]:
    """(kind, replacement node or source) for each mutation of this node."""
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        swap = _COMPARE_SWAPS.get(type(node.ops[0]))
        if swap is not None:
            new = copy.deepcopy(node)
            new.ops = [swap()]
            yield "compare", new
    elif isinstance(node, ast.BoolOp):
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "boolop", new
    elif isinstance(node, ast.BinOp):
        swap_op = _BINOP_SWAPS.get(type(node.op))
        strings = any(
            isinstance(n, ast.Constant) and isinstance(n.value, str | bytes)
            for n in (node.left, node.right)
        )
        if swap_op is not None and not strings:
            new = copy.deepcopy(node)
            new.op = swap_op()
            yield "binop", new
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", node.operand
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield "constant", ast.Constant(not value)
        elif isinstance(value, int):
            yield "constant", ast.Constant(value + 1)
    elif isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield "return", "return None"
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        yield "call-removed", "pass"


def mutants_of(module: str) -> list[Mutant]:
    """Every mutant of one file, in source order."""
    source = (REPO / module).read_text(encoding="utf-8")
    tree = ast.parse(source)
    skip = _skip_ranges(tree)
    names = _qualnames(tree)
    seen: dict[str, int] = {}
    found: list[Mutant] = []
    for node in ast.walk(tree):
        if id(node) in skip or not hasattr(node, "lineno"):
            continue
        for kind, new in _variants(node):
            original = ast.get_source_segment(source, node)
            if original is None:
                continue
            replacement = new if isinstance(new, str) else ast.unparse(new)
            if isinstance(node, ast.expr) and not isinstance(new, str):
                replacement = f"({replacement})"
            summary = " ".join(original.split())[:80]
            base = f"{module}:{names.get(id(node), '<module>')}:{kind}:{summary}"
            seen[base] = seen.get(base, 0) + 1
            assert node.end_lineno is not None and node.end_col_offset is not None
            found.append(
                Mutant(
                    module,
                    f"{base}#{seen[base]}",
                    node.lineno,
                    (node.lineno, node.col_offset),
                    (node.end_lineno, node.end_col_offset),
                    replacement,
                )
            )
    found.sort(key=lambda m: (m.start, m.id))
    return found


def sample(mutants: list[Mutant], k: int) -> list[Mutant]:
    """The k mutants whose id hashes lowest: fixed for a given code, unaffected by others."""
    return sorted(mutants, key=lambda m: hashlib.sha256(m.id.encode()).hexdigest())[:k]


def _copy_repo(dest: Path) -> None:
    for name in ("csr_desktop", "tests", "resources"):
        shutil.copytree(
            REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    for name in ("pyproject.toml", "conftest.py"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, dest / name)


def _pytest(work: Path, tests: tuple[str, ...], timeout: float) -> str:
    """'killed', 'survived' or 'timeout' (a timeout counts as killed: the mutant hangs)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *PYTEST, *tests],
            cwd=work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if done.returncode == 0 else "killed"


def run_sample(everything: bool, only: list[str] | None = None) -> int:
    known: dict[str, str] = json.loads(KNOWN.read_text(encoding="utf-8"))["survivors"]
    with tempfile.TemporaryDirectory(prefix="csr-mutation-") as tmp:
        work = Path(tmp)
        _copy_repo(work)
        new_survivors, results = [], {"killed": 0, "timeout": 0, "survived": 0}
        for module, tests in SAMPLE_TARGETS.items():
            if only and module not in only:
                continue
            start = time.perf_counter()
            if _pytest(work, tests, timeout=600) != "survived":
                print(f"the tests of {module} fail without any mutant: {' '.join(tests)}")
                return 2
            clean = time.perf_counter() - start
            everyone = mutants_of(module)
            chosen = everyone if everything else sample(everyone, PER_MODULE)
            target = work / module
            original = target.read_text(encoding="utf-8")
            stat = target.stat()
            for n, mutant in enumerate(chosen, 1):
                target.write_text(mutant.apply(original), encoding="utf-8")
                # a distinct mtime, so Python never reuses the bytecode of another version
                os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + n * 10**9))
                verdict = _pytest(work, tests, timeout=10 * clean + 10)
                results[verdict] += 1
                mark = {"killed": "killed  ", "timeout": "timeout ", "survived": "SURVIVED"}
                print(f"{mark[verdict]} {mutant.id}  (line {mutant.line} → {mutant.replacement})")
                if verdict == "survived" and mutant.id not in known:
                    new_survivors.append(mutant)
            target.write_text(original, encoding="utf-8")
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**12))
    total = sum(results.values())
    killed = results["killed"] + results["timeout"]
    print(
        f"mutation sample: {killed}/{total} killed ({killed / total:.0%}), "
        f"{results['survived']} survived, {len(new_survivors)} not in {KNOWN.name}"
    )
    for mutant in new_survivors:
        print(f"NEW SURVIVOR {mutant.id}\n  line {mutant.line}: → {mutant.replacement}")
    if new_survivors:
        print(
            "A mutant survived that survived no earlier run: add a test that kills it, or, if "
            f"it is equivalent, add its id to {KNOWN.relative_to(REPO)} with the reason."
        )
        return 1
    return 0


def run_full(patterns: list[str], max_minutes: float) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    if not mutmut.exists():
        print("mutmut 未安装：.venv/bin/pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        subprocess.run([str(mutmut), "run", *patterns], cwd=REPO, env=env, timeout=max_minutes * 60)
    except subprocess.TimeoutExpired:
        print(f"stopped after {max_minutes} minutes; run again to continue")
    return summarize()


def summarize() -> int:
    """Counts per status from mutmut's results, and the score over the mutants that ran."""
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run(
        [str(mutmut), "results", "--all", "true"], cwd=REPO, capture_output=True, text=True
    ).stdout
    counts: dict[str, int] = {}
    for line in out.splitlines():
        if ":" in line:
            status = line.rsplit(":", 1)[1].strip()
            counts[status] = counts.get(status, 0) + 1
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    survived = counts.get("survived", 0)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if killed + survived:
        print(f"score: {killed}/{killed + survived} = {killed / (killed + survived):.1%}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="the CI sample")
    s.add_argument("--all", action="store_true", help="every mutant of the sampled modules")
    s.add_argument("--list", action="store_true", help="list the sample, run nothing")
    s.add_argument("--module", action="append", help="only this module (repeatable)")
    f = sub.add_parser("full", help="mutmut over core and formats")
    f.add_argument("--max-minutes", type=float, default=60)
    f.add_argument("patterns", nargs="*")
    sub.add_parser("summary", help="mutmut's counts and score so far")
    args = ap.parse_args()
    if args.command == "sample":
        if args.list:
            for module in SAMPLE_TARGETS:
                mutants = mutants_of(module)
                for m in mutants if args.all else sample(mutants, PER_MODULE):
                    print(f"{m.id}  (line {m.line} → {m.replacement})")
            return 0
        return run_sample(args.all, args.module)
    if args.command == "full":
        return run_full(args.patterns, args.max_minutes)
    return summarize()


if __name__ == "__main__":
    sys.exit(main())
