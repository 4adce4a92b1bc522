"""Speed of scoring a chapter against USMCA, beside the naive all-pairs approach.

Usage::

    python benchmarks/score_bench.py [--repeat N]

Scores TPP Chapter 14 (18 articles, read from the ToTA corpus at
``../shared/corpus/tota/xml`` when present; otherwise an 18-article chapter made from the
shipped example draft) against the shipped USMCA model, warm, and prints the best time
of ``--repeat`` runs. Two baselines: the strings-only loop one writes first (every model paragraph against
every draft paragraph with ``fuzz.ratio`` in Python, best match kept, no legal reading),
and the naive all-pairs legal reading (``compare_texts`` of every model article with
every draft article, fewest findings kept). Ratios are printed.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

from _timing import best_time  # benchmarks/ is on sys.path when a script runs
from rapidfuzz import fuzz

import tradeclauses as tc
from tradeclauses.analysis import compare_texts
from tradeclauses.model import Agreement, Gap
from tradeclauses.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
TOTA = ROOT.parent / "shared" / "corpus" / "tota" / "xml"


def _chapter() -> tuple[str, Agreement]:
    if TOTA.is_dir():
        return "TPP Chapter 14 (ToTA pta_449)", tc.corpus.tota(TOTA)["449"].select(chapter="14")
    draft = tc.parse(ROOT / "agreements" / "examples" / "draft-digital-trade.txt")
    text = "\n".join(
        f"Article {n}: {a.heading}\n" + "\n".join(f"{i}. {p.text}" for i, p in enumerate(a.paragraphs, 1))
        for n, a in enumerate(draft.articles * 2, 1)
    )
    return "the example draft, doubled to 18 articles", tc.parse(text)


def _paragraphs(agreement: Agreement) -> list[str]:
    return [b.text for a in agreement.articles for b in a.children if not isinstance(b, Gap)]


def naive(model: Agreement, draft: Agreement) -> list[tuple[str, float]]:
    """All pairs of paragraphs, fuzz.ratio in a Python loop, best match per model paragraph."""
    drafts = [normalize(t) for t in _paragraphs(draft)]
    out = []
    for text in _paragraphs(model):
        norm = normalize(text)
        out.append((text[:30], max((fuzz.ratio(norm, d) for d in drafts), default=0.0)))
    return out


def naive_legal(model: Agreement, draft: Agreement) -> dict[str, tuple[str, int]]:
    """All pairs of articles read legally: compare_texts of every model article with every draft article."""
    best: dict[str, tuple[str, int]] = {}
    for m in model.articles:
        m_texts = [b.text for b in m.children if not isinstance(b, Gap)]
        if not m_texts:
            continue
        for d in draft.articles:
            d_texts = [b.text for b in d.children if not isinstance(b, Gap)]
            n = len(compare_texts(m_texts, d_texts))
            if m.num not in best or n < best[m.num][1]:
                best[m.num or ""] = (d.num or "", n)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    warnings.simplefilter("ignore", tc.errors.IncompleteTextWarning)
    usmca = tc.load("usmca")
    name, chapter = _chapter()
    ours = best_time(lambda: tc.score(chapter, against=usmca), args.repeat)
    base = best_time(lambda: naive(usmca, chapter), args.repeat)
    legal = best_time(lambda: naive_legal(usmca, chapter), max(1, args.repeat // 10))
    card = tc.score(chapter, against=usmca)
    print(f"scoring {name}: {len(chapter.articles)} articles against USMCA ({len(usmca.articles)} articles)")
    print(f"  tradeclauses.score (align + legal reading + scorecard): {ours * 1000:7.1f} ms warm")
    print(f"  naive all-pairs fuzz.ratio loop (strings only):         {base * 1000:7.1f} ms warm")
    print(f"  naive all-pairs legal reading (compare_texts per pair): {legal * 1000:7.1f} ms warm")
    print(f"  ratio ours / strings-only loop: {ours / base:.2f}x (ours also reads every provision's legal effect)")
    print(f"  speed-up over all-pairs legal reading: {legal / ours:.1f}x")
    print(f"  overall {card.overall}, coverage {card.coverage:.0%}, flags {card.flag_counts()}")


if __name__ == "__main__":
    main()
