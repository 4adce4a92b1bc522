"""Speed of diffing two whole agreements, beside a difflib baseline run in the same process.

Usage::

    python benchmarks/diff_bench.py [--repeat N]

Diffs the whole TPP (ToTA ``pta_449``, about 500 articles, read from
``../shared/corpus/tota/xml`` when present; otherwise a 600-article agreement made from
the shipped texts) against an edited copy of itself: words changed in 20 articles, every
article of one chapter renumbered, 5 articles moved to the end, 5 removed. Prints the
best warm time of ``--repeat`` runs of ``tc.diff`` (structure, word-level redline and
legal reading of the changed articles) and of the baseline one writes first with the
standard library: ``difflib.SequenceMatcher`` over the words of the two whole texts
(a redline with no structure and no legal reading), with the ratio. Also prints what
the diff found, so that a change of behaviour shows beside a change of speed.
"""

from __future__ import annotations

import argparse
import difflib
import random
import time
import warnings
from pathlib import Path

from _timing import best_time  # benchmarks/ is on sys.path when a script runs

import tradeclauses as tc
from tradeclauses import diffing
from tradeclauses.diffing import body
from tradeclauses.model import Agreement, Article, Chapter, Gap, Paragraph

ROOT = Path(__file__).resolve().parents[1]
TOTA = ROOT.parent / "shared" / "corpus" / "tota" / "xml"


def _agreement() -> tuple[str, Agreement]:
    if TOTA.is_dir():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return "TPP (ToTA pta_449)", tc.corpus.tota(TOTA)["449"]
    sources = list(tc.parse(ROOT / "agreements" / "examples" / "draft-digital-trade.txt").articles)
    sources += [a for a in tc.load("usmca").articles if a.status != "missing"]
    chapters = []
    for c in range(1, 31):
        arts = []
        for k in range(1, 21):
            src = sources[(c * 7 + k) % len(sources)]
            art_id = f"synth/ch{c}/art{c}.{k}"
            paras = tuple(
                Paragraph(id=f"{art_id}/para{i}", num=str(i), intro=f"{b.text} (Chapter {c}, item {k}.)")
                for i, b in enumerate((b for b in src.children if not isinstance(b, Gap)), 1)
            )
            arts.append(Article(id=art_id, num=f"{c}.{k}", heading=src.heading, children=paras))
        chapters.append(Chapter(id=f"synth/ch{c}", num=str(c), articles=tuple(arts)))
    return "a synthetic 600-article agreement", Agreement(id="synth", title="Synthetic", chapters=tuple(chapters))


def _edited(agreement: Agreement, seed: int = 7) -> Agreement:
    """The same agreement with words changed, one chapter renumbered, articles moved and removed."""
    rnd = random.Random(seed)
    arts = [a for a in agreement.articles if a.paragraphs]
    edit = {a.id for a in rnd.sample(arts, 20)}
    drop = {a.id for a in rnd.sample([a for a in arts if a.id not in edit], 5)}
    move = {a.id for a in rnd.sample([a for a in arts if a.id not in edit | drop], 5)}
    renumber = next(c.id for c in agreement.chapters if len(c.articles) > 5)
    moved: list[Article] = []
    chapters = []
    for c in agreement.chapters:
        kept = []
        for a in c.articles:
            if a.id in drop:
                continue
            if a.id in edit:
                p = a.paragraphs[0]
                words = p.intro.split()
                if words:
                    words[len(words) // 2] = "not"
                a = a.replace(children=tuple(p.replace(intro=" ".join(words)) if b is p else b for b in a.children))  # noqa: PLW2901
            if c.id == renumber:
                a = a.replace(num=f"{a.num}A")  # noqa: PLW2901
            if a.id in move:
                moved.append(a)
                continue
            kept.append(a)
        chapters.append(c.replace(articles=tuple(kept)))
    chapters[-1] = chapters[-1].replace(articles=(*chapters[-1].articles, *moved))
    return agreement.replace(id=f"{agreement.id}-v2", chapters=tuple(chapters))


def _words(agreement: Agreement) -> list[str]:
    return [w for a in agreement.articles for b in a.children if not isinstance(b, Gap) for w in b.text.split()]


def baseline(old: Agreement, new: Agreement) -> int:
    """difflib over the words of the two whole texts: the number of changed stretches."""
    matcher = difflib.SequenceMatcher(None, _words(old), _words(new))
    return sum(1 for op in matcher.get_opcodes() if op[0] != "equal")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    name, old = _agreement()
    new = _edited(old)
    ours = best_time(lambda: tc.diff(old, new), args.repeat)
    base = best_time(lambda: baseline(old, new), args.repeat)
    for cached in (diffing._norm, diffing._keys, diffing._word_tuple, diffing._key):
        cached.cache_clear()
    start = time.perf_counter()
    tc.diff(old, new)
    cold = time.perf_counter() - start
    d = tc.diff(old, new)
    print(f"diffing {name}: {len(old.articles)} articles against an edited copy ({len(new.articles)} articles)")
    print(f"  tradeclauses.diff (structure + redline + legal reading): {ours * 1000:8.1f} ms warm")
    print(f"  tradeclauses.diff, word caches cleared first:          {cold * 1000:8.1f} ms")
    print(f"  difflib.SequenceMatcher over the words of both texts:    {base * 1000:8.1f} ms warm")
    print(f"  ratio ours / difflib: {ours / base:.2f}x ({'faster' if ours < base else 'slower'}; target < 1 s)")
    print(f"  found: {d.counts()} (articles); substantive: {sum(1 for c in d.changes if c.substantive)}")
    print(f"  apply(old) == new word for word: {body(d.apply(old)) == body(new)}")


if __name__ == "__main__":
    main()
