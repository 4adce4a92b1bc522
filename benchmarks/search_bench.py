"""Precedent search and the clause graph over the whole ToTA corpus: speed, memory and recall.

Usage::

    python benchmarks/search_bench.py [TOTA_XML_FOLDER] [--chapter 14] [--agreement 449] [-k 10]

By default the corpus is looked for at ``../shared/corpus/tota/xml`` beside the
repository. Prints, in one run:

* the time to read the corpus and to build the :class:`~tradeclauses.precedent.SearchIndex`
  (articles), its size on disk and the time to load it back;
* the warm query time for one clause (Article 14.11 of the TPP) and for a whole chapter
  (TPP Chapter 14, one query per article);
* the baseline: exhaustive ``process.cdist`` of the same queries against every article,
  same scorer (``fuzz.ratio``) and score cutoff, over texts already normalised (so the
  baseline pays for scoring only), and the speed-up of the index over it;
* recall@k of the index against that exhaustive top k (a hit counts when its exhaustive
  score reaches the k-th best), with the score cutoff and without it;
* memory: growth of the maximum RSS while building, peak traced memory (tracemalloc) while
  querying, and the process's maximum RSS;
* the time to build the clause graph of all of ToTA, with its size.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from tradeclauses.clausegraph import ClauseGraph
from tradeclauses.corpus import tota
from tradeclauses.normalize import normalize
from tradeclauses.precedent import SCORE_CUTOFF, SearchIndex

_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "tota" / "xml"


def _recall(index: SearchIndex, exact: np.ndarray, found: list[list[str]], k: int, cutoff: float) -> tuple[int, int]:
    """(hits found, hits wanted): the exhaustive top k above ``cutoff``, ties counted as found."""
    hits = wanted = 0
    for row, ids in zip(exact, found, strict=True):
        best = np.sort(row)[::-1][:k]
        best = best[best >= cutoff]
        if not len(best):
            continue
        kth = best[-1]
        got = sorted((row[index.position(i)] for i in ids), reverse=True)[: len(best)]
        hits += sum(1 for s in got if s >= kth - 1e-3)
        wanted += len(best)
    return hits, wanted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", default=str(_DEFAULT))
    parser.add_argument("--agreement", default="449", help="ToTA id of the agreement whose chapter is queried")
    parser.add_argument("--chapter", default="14")
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5, help="warm query runs (the best is reported)")
    args = parser.parse_args()

    corpus = tota(args.folder)
    t = time.perf_counter()
    agreements = corpus.load_all(workers=None)
    read_s = time.perf_counter() - t
    print(f"corpus: {len(agreements)} agreements, {sum(len(a.articles) for a in agreements)} articles, "
          f"read in {read_s:.1f} s")

    rss_before = _rss()
    t = time.perf_counter()
    index = SearchIndex.build(agreements)
    build_s = time.perf_counter() - t
    build_rss = _rss() - rss_before
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tota.npz"
        index.save(path)
        size = path.stat().st_size
        t = time.perf_counter()
        index = SearchIndex.load(path)
        load_s = time.perf_counter() - t
    print(f"index: {len(index)} articles, built in {build_s:.1f} s (max RSS grew {build_rss:.0f} MiB), "
          f"{size / 2**20:.0f} MiB on disk, loaded in {load_s:.2f} s")

    source = next(a for a in agreements if a.id == f"tota-{args.agreement}")
    chapter = source.select(chapter=args.chapter)
    queries = [a for a in chapter.articles if a.text]
    one = next((a for a in queries if a.num == f"{args.chapter}.11"), queries[0])
    print(f"queries: {source.title} chapter {args.chapter}, {len(queries)} articles; one clause: Article {one.num}")

    index.query(queries, k=args.k)  # warm up
    one_s = min(_timed(lambda: index.query(one, k=args.k)) for _ in range(args.repeat))
    tracemalloc.start()
    chapter_s = min(_timed(lambda: index.query(queries, k=args.k)) for _ in range(args.repeat))
    _, query_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results = index.query(queries, k=args.k)
    loose = index.query(queries, k=args.k, score_cutoff=0)

    norms = [normalize(a.text) for a in queries]
    t = time.perf_counter()
    exact = process.cdist(norms, index.norms, scorer=fuzz.ratio, dtype=np.float32, workers=-1,
                          score_cutoff=SCORE_CUTOFF)
    exhaustive_s = time.perf_counter() - t
    t = time.perf_counter()
    exact_all = process.cdist(norms, index.norms, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
    exhaustive_all_s = time.perf_counter() - t
    t = time.perf_counter()
    process.cdist([one.text], index.texts, scorer=fuzz.ratio, processor=normalize, dtype=np.float32, workers=-1)
    naive_one_s = time.perf_counter() - t

    got, wanted = _recall(index, exact, [[h.id for h in hits] for hits in results], args.k, SCORE_CUTOFF)
    got0, wanted0 = _recall(index, exact_all, [[h.id for h in hits] for hits in loose], args.k, 0.0)
    print(f"query, one clause (warm):        {one_s * 1000:7.1f} ms")
    print(f"query, whole chapter (warm):     {chapter_s * 1000:7.1f} ms (peak {query_peak / 2**20:.0f} MiB traced)")
    print(f"exhaustive cdist, same queries:  {exhaustive_s * 1000:7.1f} ms (score_cutoff {SCORE_CUTOFF:.0f}); "
          f"{exhaustive_all_s * 1000:.1f} ms without cutoff")
    print(f"exhaustive cdist, one clause, processor=normalize on every article: {naive_one_s * 1000:.1f} ms")
    print(f"speed-up, chapter:               {exhaustive_s / chapter_s:7.1f}x")
    recall = got / wanted if wanted else 1.0
    print(f"recall@{args.k}, score >= {SCORE_CUTOFF:.0f}:         {recall:7.3f} ({got}/{wanted})")
    print(f"recall@{args.k}, no cutoff:          {got0 / wanted0 if wanted0 else 1.0:7.3f} ({got0}/{wanted0}) "
          "(below ~58 the exhaustive top k is unrelated text of similar length)")

    t = time.perf_counter()
    graph = ClauseGraph(*agreements)
    graph_s = time.perf_counter() - t
    print(f"clause graph, all of ToTA:       {graph_s:7.1f} s ({graph.nx.number_of_nodes()} nodes, "
          f"{graph.nx.number_of_edges()} edges, {len(graph.unresolved)} unresolved references)")
    print(f"max RSS of this process:         {_rss():7.0f} MiB")


def _rss() -> float:
    """Maximum resident set size of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: object) -> float:
    assert callable(fn)
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
