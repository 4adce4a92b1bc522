"""How the plain-text reader's time grows with the number of articles (2k → 50k).

Usage::

    python benchmarks/text_scale.py [--sizes 2000 4000 8000 16000 50000] [--repeat 1]

Generates agreements of N articles (each with a heading, two numbered paragraphs, two
subparagraphs and a footnote glued to a word) in two layouts: chapters of 40 articles,
and every article in one body with no chapter (the layout where the checks across a
chapter cost most); and a third text, one article of N paragraphs, each with a
footnote, a subparagraph and a gap (the checks within an article). Prints, for each size, the best wall time of
:func:`tradeclauses.read.text.read_text`, the time per article, and the ratio of that
time to a linear extrapolation from the smallest size in the same run (1.00x: linear
growth; a reader quadratic in the articles of a chapter shows 2x, 4x, 8x ...).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from _timing import best_time

from tradeclauses.read.text import read_text


def agreement_text(n: int, *, per_chapter: int | None) -> str:
    """An agreement of ``n`` articles; ``per_chapter=None``: no chapters at all."""
    parts: list[str] = []
    fn = 0
    for i in range(1, n + 1):
        if per_chapter and (i - 1) % per_chapter == 0:
            parts.append(f"Chapter {(i - 1) // per_chapter + 1}: Digital Trade Part {i}\n")
            fn = 0
        fn = fn % 999 + 1
        parts.append(
            f"Article {i}: Provision Number {i}\n\n"
            f"1. Each Party shall ensure that measure{fn} {i} applies to every covered person.\n\n"
            "2. No Party shall require a covered person:\n\n"
            "(a) to use or locate computing facilities in its territory; or\n\n"
            "(b) to transfer source code as a condition of market access.\n\n"
            f"{fn} For greater certainty, this footnote belongs to Article {i}.\n"
        )
    return "\n".join(parts)


def one_article_text(n: int) -> str:
    """One article of ``n`` paragraphs, each with a glued footnote, a subparagraph and a gap."""
    lines = ["Article 1: One Long Article"]
    for i in range(1, n + 1):
        lines += [f"{i}. Each Party shall ensure{i % 999 + 1} that measure {i} applies:", f"(a) to covered person {i};"]
        lines.append(f"[[MISSING: part {i} of the source]]")
    lines += [f"{k} For greater certainty, footnote {k}." for k in range(1, min(n, 999) + 1)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000, 8000, 16000, 50000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    layouts: list[tuple[str, Callable[[int], str]]] = [
        ("chapters of 40 articles", lambda n: agreement_text(n, per_chapter=40)),
        ("one body, no chapters", lambda n: agreement_text(n, per_chapter=None)),
        ("one article of N paragraphs", one_article_text),
    ]
    for layout, make in layouts:
        print(f"\n{layout}:")
        print(f"  {'N':>9} {'seconds':>9} {'µs/unit':>11} {'vs linear':>10}")
        base: float | None = None
        for n in sorted(args.sizes):
            text = make(n)
            read = read_text(text, agreement_id="bench")
            units = len(read.articles[0].paragraphs) if make is one_article_text else len(read.articles)
            assert units == n, (layout, n, units)
            seconds = best_time(lambda text=text: read_text(text, agreement_id="bench"), args.repeat)
            per = seconds / n
            base = base if base is not None else per
            print(f"  {n:>9,} {seconds:>9.2f} {per * 1e6:>11.1f} {per / base:>9.2f}x")


if __name__ == "__main__":
    main()
