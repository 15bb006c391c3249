"""Mutation testing of the store and curation code (issue 11): how many deliberately broken
copies of store/*.py and store/db/*.py the store tests notice.

    .venv/bin/python bench/mutation.py              # stage, run mutmut (2 workers), print the score
    .venv/bin/python bench/mutation.py --rev HEAD   # the same, of the last commit
    .venv/bin/python bench/mutation.py --report     # the score of the last run, without running
    .venv/bin/python bench/mutation.py --survivors  # the last run's surviving mutants, one a line
    .venv/bin/python bench/mutation.py --rerun 'tibet_facts.store.db.rows*'  # only these again

mutmut 3 (installed into the running interpreter's environment if missing; it is not a project
dependency) names a mutant by its file's path and imports the mutated copy from mutants/, so it
needs the folders under their import name. The project maps store/ -> tibet_facts.store through
package-dir, so this script stages a copy of the tree in bench/out/mutation/ (git-ignored) with
tibet_facts/{store,tui,seeds}, tests/ and pyproject.toml, whose [tool.mutmut] section says what
is mutated and which tests run. Staging also freezes the sources: edits made in the working tree
during a run do not leak into it. Child processes started by the tests (the `tibet-facts`
command, `python -m tibet_facts.tui`) import the mutated copy too, through PYTHONPATH.

Score: killed / total, every mutant generated counted in total; a timeout (the tests ran past
mutmut's CPU limit: an endless loop the mutant made) is shown apart and not counted as killed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = ROOT / "bench" / "out" / "mutation"
MUTMUT = "mutmut>=3.8,<4"
FOLDERS = ("store", "tui", "seeds")
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")

# mutmut's exit codes per mutant (mutmut/stats.py), folded into the statuses reported here.
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests",
          34: "skipped", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout",
          255: "timeout", 37: "type check", -11: "segfault", -9: "segfault", None: "not checked"}
COLUMNS = ("killed", "survived", "timeout", "no tests", "suspicious", "other")


def ensure_mutmut() -> None:
    """mutmut in this interpreter's environment: pip-installed on first use."""
    try:
        import mutmut  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", MUTMUT], check=True)


def stage(rev: str | None) -> None:
    """A fresh copy of the tree (of commit rev, else the working tree's files) with the packages
    under their import names; pyproject.toml (what to mutate, which tests) always the working
    tree's."""
    if STAGE.exists():
        shutil.rmtree(STAGE)
    STAGE.mkdir(parents=True)
    source = ROOT
    if rev is not None:
        source = STAGE / "rev"
        source.mkdir()
        archive = subprocess.run(["git", "archive", rev, "--", *FOLDERS, "tests"],
                                 cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    package = STAGE / "tibet_facts"
    package.mkdir()
    # A regular package here wins over the editable install's namespace package on sys.path.
    (package / "__init__.py").write_text('"""Staged copy for mutation testing."""\n')
    for folder in FOLDERS:
        shutil.copytree(source / folder, package / folder, ignore=COPY_IGNORE)
    # Tests find the seeds beside tests/ as in the repository.
    shutil.copytree(source / "seeds", STAGE / "seeds", ignore=COPY_IGNORE)
    shutil.copytree(source / "tests", STAGE / "tests", ignore=COPY_IGNORE)
    shutil.copy2(ROOT / "pyproject.toml", STAGE / "pyproject.toml")
    if rev is not None:
        shutil.rmtree(source)


def refresh_tests() -> None:
    """The working tree's tests into the staged copy (for --rerun after new tests)."""
    shutil.copytree(ROOT / "tests", STAGE / "tests", ignore=COPY_IGNORE, dirs_exist_ok=True)
    shutil.copytree(ROOT / "tests", STAGE / "mutants" / "tests", ignore=COPY_IGNORE,
                    dirs_exist_ok=True)


def run_mutmut(jobs: int, names: list[str]) -> int:
    """`mutmut run` in the staged copy; its exit status."""
    env = dict(os.environ, PYTHONPATH=str(STAGE / "mutants"))
    env.pop("HYPOTHESIS_PROFILE", None)
    # The console script, not `python -m mutmut`: Click names a program started with -m
    # "python -m …", and the CLI tests check the messages that name `tibet-facts`.
    script = Path(sys.executable).parent / "mutmut"
    launch = [str(script)] if script.exists() else [sys.executable, "-m", "mutmut"]
    cmd = [*launch, "run", "--max-children", str(jobs), *names]
    code = subprocess.run(cmd, cwd=STAGE, env=env).returncode
    if code and not tested():
        # mutmut 3.8's first run in a fresh copy now and then fails its stats run although the
        # same tests pass; run again (the mutants are already generated) before giving up.
        code = subprocess.run(cmd, cwd=STAGE, env=env).returncode
    if code and not tested():
        print("mutmut stopped before testing any mutant: the selected tests fail on the unmutated"
              f" copy; run them in {STAGE / 'mutants'} with PYTHONPATH=. to see why",
              file=sys.stderr)
    return code


def tested() -> bool:
    """Whether mutmut has a result for any mutant."""
    return any(c is not None for codes in results().values() for c in codes.values())


def results() -> dict[str, dict[str, int | None]]:
    """Exit code of every mutant, by source file, from mutmut's .meta files."""
    found: dict[str, dict[str, int | None]] = {}
    for meta in sorted((STAGE / "mutants").rglob("*.py.meta")):
        source = str(meta.relative_to(STAGE / "mutants")).removesuffix(".meta")
        found[source] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    return found


def status(code: int | None) -> str:
    name = STATUS.get(code, "suspicious")
    return name if name in COLUMNS else "other"


def report(seconds: float | None) -> dict[str, object]:
    """Print the per-file table and the score; return the totals (also saved as score.json)."""
    totals: Counter[str] = Counter()
    print(f"{'file':44} " + " ".join(f"{c:>10}" for c in COLUMNS) + "      score")
    for source, codes in results().items():
        counts = Counter(status(code) for code in codes.values())
        totals.update(counts)
        share = counts["killed"] / len(codes) if codes else 1.0
        name = source.removeprefix("tibet_facts/")
        print(f"{name:44} " + " ".join(f"{counts[c]:>10}" for c in COLUMNS) + f"  {share:8.1%}")
    total = sum(totals.values())
    summary: dict[str, object] = {c: totals[c] for c in COLUMNS}
    summary.update(total=total, score=round(totals["killed"] / total, 4) if total else None)
    if seconds is not None:
        summary["seconds"] = round(seconds)
    print(f"{'all':44} " + " ".join(f"{totals[c]:>10}" for c in COLUMNS))
    if total:
        print(f"\nmutation score: {totals['killed']}/{total} killed = {totals['killed'] / total:.1%}"
              f" (timeouts {totals['timeout']}, not counted as killed)")
    if seconds is not None:
        print(f"run time: {seconds / 60:.1f} min")
    (STAGE / "score.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def survivors() -> None:
    for codes in results().values():
        for name, code in sorted(codes.items()):
            if status(code) != "killed":
                print(status(code), name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="mutmut workers (default 2)")
    parser.add_argument("--report", action="store_true", help="only print the last run's score")
    parser.add_argument("--survivors", action="store_true", help="list the last run's survivors")
    parser.add_argument("--rev", help="stage this commit (e.g. HEAD) instead of the working tree")
    parser.add_argument("--rerun", nargs="+", metavar="NAME",
                        help="run only these mutants (globs) again, with the current tests")
    args = parser.parse_args()
    if args.report or args.survivors:
        survivors() if args.survivors else report(None)
        return 0
    ensure_mutmut()
    if args.rerun:
        refresh_tests()
    else:
        stage(args.rev)
    began = time.monotonic()
    code = run_mutmut(args.jobs, args.rerun or [])
    report(time.monotonic() - began)
    return code


if __name__ == "__main__":
    sys.exit(main())
