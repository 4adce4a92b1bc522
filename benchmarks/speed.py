"""What users wait for, each beside its baseline measured in the same run.

Usage::

    python benchmarks/speed.py [TOTA_XML_FOLDER] [--repeat 5] [--skip-corpus] [--readme]

Rows (each figure is the best of ``--repeat`` runs unless said otherwise):

* ``import tradeclauses`` in a fresh interpreter, beside ``import pydantic, rapidfuzz, lxml``
  (with compiled bytecode, as an installed package has: ``PYTHONDONTWRITEBYTECODE`` is
  lifted for these runs and the bytecode kept in a temporary folder);
* ``tradeclauses score agreements/examples/draft-digital-trade.txt`` (wall time of the
  command), beside ``python -c pass``;
* reading all of ToTA with ``corpus.tota(...).load_all()`` with the cache off (cold, one
  run), beside lxml alone parsing the same files;
* the same with nothing changed since the last run (parsed-corpus cache hit), beside cold;
  the cached models are checked equal to the uncached ones;
* building the search index from the folder, reading included (from the cache, as a second
  run would), beside the reading alone; the hits of one query are checked identical
  between the index built from cached models and from freshly read ones;
* the clause graph of all of ToTA from the loaded models;
* diffing the whole TPP against an edited copy, beside ``difflib`` on the same words.

The cache is written to a temporary folder, never the user's. ``--readme`` rewrites the
performance table of README.md (between its ``perf-table`` markers) from this run.
"""

from __future__ import annotations

import argparse
import difflib
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "tota" / "xml"
DRAFT = "agreements/examples/draft-digital-trade.txt"
README = ROOT / "README.md"
START, END = "<!-- perf-table: start -->", "<!-- perf-table: end -->"
sys.path.insert(0, str(ROOT))  # measure this checkout, like the subprocesses (run from ROOT) do


def _bytecode_env() -> dict[str, str]:
    """The environment, with compiled bytecode kept (in a temporary folder) as an installed package has it.

    Without it (``PYTHONDONTWRITEBYTECODE``), every start compiles every module from source again.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="tc-bench-pyc-")
    return env


def _wall(argv: list[str], repeat: int, env: dict[str, str]) -> float:
    """Best wall time of running ``argv`` from the repository root."""
    best = float("inf")
    for _ in range(repeat + 1):  # the first run warms the file cache and compiles the bytecode
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def _once(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        best = min(best, _once(fn)[0])
    return best


Row = tuple[str, str, str, str]


def startup_rows(repeat: int) -> list[Row]:
    py = sys.executable
    env = _bytecode_env()
    ours = _wall([py, "-c", "import tradeclauses"], repeat, env)
    core = _wall([py, "-c", "import pydantic, rapidfuzz, lxml"], repeat, env)
    cli = _wall([py, "-m", "tradeclauses", "score", DRAFT], repeat, env)
    bare = _wall([py, "-c", "pass"], repeat, env)
    return [
        ("`import tradeclauses`", f"{ours:.2f} s", f"`import pydantic, rapidfuzz, lxml`: {core:.2f} s",
         "a fresh interpreter, bytecode compiled; the models, numpy and the readers load on first use"),
        (f"`tradeclauses score {DRAFT}`", f"{cli:.2f} s", f"`python -c pass`: {bare:.2f} s",
         "the whole command, bytecode compiled: start, read the draft and USMCA, align, analyse, print"),
    ]  # fmt: skip


def corpus_rows(folder: Path, repeat: int) -> list[Row]:
    from lxml import etree

    import tradeclauses as tc
    from tradeclauses.clausegraph import ClauseGraph
    from tradeclauses.precedent import SearchIndex
    from tradeclauses.read._xml import xml_parser

    files = tc.corpus.tota(folder).paths
    lxml_s = _best(lambda: [etree.parse(str(p), xml_parser()) for p in files], repeat)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cold_s, cold = _once(lambda: tc.corpus.tota(folder, cache=False).load_all())
        tc.corpus.tota(folder).load_all()  # fill the cache
        hit_s = _best(lambda: tc.corpus.tota(folder).load_all(), repeat)
        cached = tc.corpus.tota(folder).load_all()
        if cached != cold:
            raise SystemExit("the cached models differ from the ones read from the files")
        index_s, index = _once(lambda: SearchIndex.build(tc.corpus.tota(folder)))
        fresh = SearchIndex.build(cold)  # type: ignore[arg-type]
        query = "No Party shall prohibit or restrict the cross-border transfer of information by electronic means"
        if [h.id for h in index.query(query, k=20)] != [h.id for h in fresh.query(query, k=20)]:
            raise SystemExit("search hits differ between the cached and the freshly read corpus")
        graph_s, graph = _once(lambda: ClauseGraph(*cached))
        tpp = tc.corpus.tota(folder)["449"]
    diff_s, diff_base_s = diff_figures(tpp, repeat)
    n = len(files)
    return [
        (f"load all {n} ToTA agreements, cold (`corpus.tota(...).load_all(cache=False)`)", f"{cold_s:.1f} s",
         f"lxml alone parses the same files: {lxml_s:.2f} s", "read and build every model; 2 processes on 2 cores"),
        ("the same, nothing changed since the last run", f"{hit_s:.2f} s", f"cold: {cold_s:.1f} s",
         "hash every file, read the stored JSON back into the models (checked equal to cold)"),
        ("build the search index from the folder", f"{index_s:.1f} s", f"reading alone (cache hit): {hit_s:.2f} s",
         f"reading (from the cache) and indexing {len(index)} articles; hits checked identical"),
        ("clause graph of all of ToTA", f"{graph_s:.1f} s", "",
         f"from loaded models: {graph.nx.number_of_nodes():,} nodes, {graph.nx.number_of_edges():,} edges"),
        ("diff the whole TPP against an edited copy", f"{diff_s:.2f} s", f"difflib on its words: {diff_base_s:.2f} s",
         f"{len(tpp.articles)} articles, 20 edited; structure, redline and legal findings"),
    ]  # fmt: skip


def diff_figures(tpp: object, repeat: int) -> tuple[float, float]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import diff_bench

    import tradeclauses as tc

    new = diff_bench._edited(tpp)
    ours = _best(lambda: tc.diff(tpp, new), repeat)
    old_words, new_words = diff_bench._words(tpp), diff_bench._words(new)  # type: ignore[arg-type]
    base = _best(lambda: difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes(), 1)
    return ours, base


def table(rows: list[Row]) -> str:
    lines = ["| what users do | time | baseline, same run | what the figure includes |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-corpus", action="store_true", help="only the import and command-line rows")
    parser.add_argument("--readme", action="store_true", help="rewrite the README's performance table")
    args = parser.parse_args()
    cache_dir = tempfile.mkdtemp(prefix="tc-bench-cache-")
    os.environ["TRADECLAUSES_CACHE_DIR"] = cache_dir  # never the user's cache
    rows = startup_rows(args.repeat)
    if not args.skip_corpus:
        if not Path(args.folder).is_dir():
            raise SystemExit(f"no ToTA corpus at {args.folder} (give its xml/ folder, or --skip-corpus)")
        rows += corpus_rows(Path(args.folder), args.repeat)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end of the run\n")
    text = table(rows)
    print(text)
    if args.readme:
        readme = README.read_text("utf-8")
        head, _, rest = readme.partition(START)
        _, _, tail = rest.partition(END)
        if not rest:
            raise SystemExit(f"README.md has no {START} marker")
        README.write_text(f"{head}{START}\n{text}\n{END}{tail}", "utf-8")
        print(f"\nwrote the table into {README}")


if __name__ == "__main__":
    main()
