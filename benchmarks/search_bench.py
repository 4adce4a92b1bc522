"""Precedent search and the clause graph over the whole ToTA corpus: speed, memory, recall and quality.

Usage::

    python benchmarks/search_bench.py [TOTA_XML_FOLDER] [--chapter 14] [--agreement 449] [-k 10]

By default the corpus is looked for at ``../shared/corpus/tota/xml`` beside the
repository. Prints, in one run:

* the time to read the corpus and to build the :class:`~tradeclauses.precedent.SearchIndex`
  (articles), its size on disk and the time to load it back;
* the warm query time for one clause (Article 14.11 of the TPP) and for a whole chapter
  (TPP Chapter 14, one query per article);
* the baseline: exhaustive ``process.cdist`` of the same queries against every article
  with the same score (``fuzz.ratio`` of the two-word phrase sequences, given to RapidFuzz
  as strings, its fastest input, in one call on all cores), and the speed-up over it;
  beside it, exhaustive ``fuzz.ratio`` over the normalised characters (the similarity the
  scorecard reports), for scale;
* recall@k of the index against that exhaustive top k (a hit counts when its exhaustive
  score reaches the k-th best), and whether the hits are the same, in the same order;
* quality: for every USMCA article the shipped text holds, the rank of its TPP counterpart
  (gold alignment in ``../shared/eval``) among the ToTA articles, by the phrase score and
  by character similarity;
* the same search at paragraph level (USMCA's paragraphs against ToTA's), against its
  exhaustive baseline;
* memory: growth of the maximum RSS while building, peak traced memory (tracemalloc) while
  querying, and the process's maximum RSS;
* the time to build the clause graph of all of ToTA, with its size.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import numpy.typing as npt
from _timing import best_time
from rapidfuzz import fuzz, process

import tradeclauses as tc
from tradeclauses.clausegraph import ClauseGraph
from tradeclauses.corpus import tota
from tradeclauses.model import Agreement, Article
from tradeclauses.normalize import normalize
from tradeclauses.precedent import Hits, SearchIndex, _as_text

_SHARED = Path(__file__).resolve().parents[2] / "shared"
_DEFAULT = _SHARED / "corpus" / "tota" / "xml"
_GOLD = _SHARED / "eval" / "alignment-tpp14-usmca19.json"


def _exhaustive(index: SearchIndex, texts: list[str]) -> tuple[npt.NDArray[np.float64], float]:
    """Every query against every unit, same score, one RapidFuzz call: (scores, seconds)."""
    queries = [_as_text(index.phrase_ids(t)) for t in texts]
    choices = index._phrase_texts  # built before timing: the baseline pays for scoring only
    start = time.perf_counter()
    scores = process.cdist(queries, choices, scorer=fuzz.ratio, dtype=np.float64, workers=-1)
    return scores, time.perf_counter() - start


def _recall(index: SearchIndex, exact: npt.NDArray[np.float64], results: list[Hits], k: int) -> tuple[int, int, int]:
    """(hits found, hits wanted, queries whose hits are exactly the exhaustive top k in order)."""
    found = wanted = same = 0
    for row, hits in zip(exact, results, strict=True):
        order = np.lexsort((np.arange(len(row)), -row))[:k]
        best = [i for i in order if row[i] > 0]
        if not best:
            continue
        kth = row[best[-1]]
        found += sum(1 for h in hits if row[index.position(h.id)] >= kth - 1e-9)
        wanted += len(best)
        same += [index.position(h.id) for h in hits] == best
    return found, wanted, same


def _ranks(index: SearchIndex, usmca: Agreement) -> list[tuple[str, int, int]]:
    """(USMCA article, rank of its TPP counterpart by phrase score, rank by character similarity)."""
    pairs = json.loads(_GOLD.read_text("utf-8"))["pairs"]
    ancestor = {new: f"tota-449/ch14/art{old}" for old, new in pairs.items() if new}
    others = np.array([not i.startswith("usmca/") for i in index.ids])
    norms = [normalize(t) for t in index.texts]
    out = []
    for art in usmca.articles:
        if art.status == "missing" or art.num not in ancestor:
            continue
        want = index.position(ancestor[art.num])
        phrase = process.cdist([_as_text(index.phrase_ids(art.text))], index._phrase_texts, scorer=fuzz.ratio,
                               dtype=np.float64, workers=-1)[0]
        chars = process.cdist([normalize(art.text)], norms, scorer=fuzz.ratio, dtype=np.float64, workers=-1)[0]
        ranks = [1 + int(np.sum((s > s[want]) & others)) for s in (phrase, chars)]
        out.append((art.num or art.id, ranks[0], ranks[1]))
    return out


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
    usmca = tc.load("usmca")

    rss_before = _rss()
    t = time.perf_counter()
    index = SearchIndex.build([*agreements, usmca])
    build_s = time.perf_counter() - t
    build_rss = _rss() - rss_before
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tota.npz"
        index.save(path)
        size = path.stat().st_size
        t = time.perf_counter()
        index = SearchIndex.load(path)
        load_s = time.perf_counter() - t
    print(f"index: {len(index)} articles, {len(index.keys)} distinct phrases, built in {build_s:.1f} s "
          f"(max RSS grew {build_rss:.0f} MiB), {size / 2**20:.0f} MiB on disk, loaded in {load_s:.2f} s")

    source = next(a for a in agreements if a.id == f"tota-{args.agreement}")
    chapter = source.select(chapter=args.chapter)
    queries: list[Article] = [a for a in chapter.articles if a.text]
    one = next((a for a in queries if a.num == f"{args.chapter}.11"), queries[0])
    print(f"queries: {source.title} chapter {args.chapter}, {len(queries)} articles; one clause: Article {one.num}")

    index.query(queries, k=args.k)  # warm up (and make the phrase strings the baseline uses)
    one_s = best_time(lambda: index.query(one, k=args.k), args.repeat)
    chapter_s = best_time(lambda: index.query(queries, k=args.k), args.repeat)
    tracemalloc.start()  # a run of its own: tracing slows Python down
    results = index.query(queries, k=args.k)
    _, query_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    texts = [a.text for a in queries]
    exact, exhaustive_s = _exhaustive(index, texts)
    exhaustive_s = min(exhaustive_s, _exhaustive(index, texts)[1])
    norms = [normalize(t) for t in texts]
    index_norms = [normalize(t) for t in index.texts]
    t = time.perf_counter()
    process.cdist(norms, index_norms, scorer=fuzz.ratio, dtype=np.float32, workers=-1)
    chars_s = time.perf_counter() - t
    found, wanted, same = _recall(index, exact, results, args.k)

    print(f"query, one clause (warm):          {one_s * 1000:8.1f} ms")
    print(f"query, whole chapter (warm):       {chapter_s * 1000:8.1f} ms (peak {query_peak / 2**20:.1f} MiB traced)")
    print(f"exhaustive cdist, same score:      {exhaustive_s * 1000:8.1f} ms   "
          f"speed-up {exhaustive_s / chapter_s:6.1f}x")
    print(f"exhaustive cdist, characters:      {chars_s * 1000:8.1f} ms   speed-up {chars_s / chapter_s:6.1f}x "
          "(fuzz.ratio of the normalised texts, for scale)")
    print(f"recall@{args.k} against the exhaustive top {args.k}: {found / wanted if wanted else 1.0:.3f} "
          f"({found}/{wanted}); identical hits in identical order for {same} of {len(queries)} queries")

    if _GOLD.is_file():
        ranks = _ranks(index, usmca)
        print("rank of the TPP counterpart among ToTA's articles (phrase score | character similarity):")
        print("  " + ", ".join(f"{num} {p} | {c}" for num, p, c in ranks))
        print(f"  first: {sum(p == 1 for _, p, _ in ranks)}/{len(ranks)} by phrase score, "
              f"{sum(c == 1 for _, _, c in ranks)}/{len(ranks)} by character similarity")

    t = time.perf_counter()
    paragraphs = SearchIndex.build(agreements, level="paragraph")
    para_build_s = time.perf_counter() - t
    para_queries = [b for art in usmca.articles for b in art.children if getattr(b, "text", "")]
    para_texts = [b.text for b in para_queries]
    para_s = best_time(lambda: paragraphs.query(para_texts, k=args.k), args.repeat)
    para_exact, para_exhaustive_s = _exhaustive(paragraphs, para_texts)
    para_found, para_wanted, para_same = _recall(paragraphs, para_exact, paragraphs.query(para_texts, k=args.k),
                                                 args.k)
    print(f"paragraphs: {len(paragraphs)} indexed in {para_build_s:.1f} s; USMCA's {len(para_texts)} paragraphs "
          f"{para_s * 1000:.1f} ms, exhaustive {para_exhaustive_s * 1000:.0f} ms "
          f"(speed-up {para_exhaustive_s / para_s:.1f}x), recall@{args.k} "
          f"{para_found / para_wanted if para_wanted else 1.0:.3f}, identical for {para_same}/{len(para_texts)}")

    t = time.perf_counter()
    graph = ClauseGraph(*agreements)
    graph_s = time.perf_counter() - t
    print(f"clause graph, all of ToTA:         {graph_s:8.1f} s ({graph.nx.number_of_nodes()} nodes, "
          f"{graph.nx.number_of_edges()} edges, {len(graph.unresolved)} unresolved references)")
    print(f"max RSS of this process:           {_rss():8.0f} MiB")


def _rss() -> float:
    """Maximum resident set size of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
