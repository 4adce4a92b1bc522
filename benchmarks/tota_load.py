"""Read the whole ToTA corpus and report speed and what became of every character.

Usage::

    python benchmarks/tota_load.py [TOTA_XML_FOLDER] [--workers N] [--worst K]

By default the corpus is looked for at ``../shared/corpus/tota/xml`` beside the
repository. Prints the wall time of :meth:`tradeclauses.corpus.Corpus.load_all`, the
number of agreements, articles and body characters, and where the characters of the
article bodies went: into the clause model (paragraphs, definitions, footnotes), set
aside as page furniture (``removed``), or reported as ``unparsed``. Letters and digits
are counted (whitespace and punctuation are not), so rejoined lines and numbering read
as numbers ("1." is paragraph 1) do not count as changes.

The input is counted from the raw bytes of each file by
:func:`tradeclauses.read.accounting.raw_xml_chars` (regular expressions, no XML
parser), so the count shares no code with the reader: text a reader drops (after a
comment, inside an inline element) shows as "lost", the letters and digits of the input
that the model holds nowhere (a multiset difference, so characters the reader adds,
such as a footnote number the conversion left out of the body, cannot hide a loss).
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

from tradeclauses.corpus import tota
from tradeclauses.model import FOOTNOTE_MARK, Agreement, Gap
from tradeclauses.read.accounting import lost_chars, raw_xml_chars

_NOT_WORD = re.compile(r"[\W_]+")
_DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "tota" / "xml"


def _chars(text: str) -> int:
    return len(_NOT_WORD.sub("", text))


def body_chars(path: Path) -> int:
    """Letters and digits of every article body in a ToTA file, counted from the raw bytes."""
    return sum(raw_xml_chars(path.read_bytes(), "article").values())


def held_chars(agreement: Agreement) -> int:
    """Characters held in the model: article bodies (with their numbers) and footnote texts."""
    total = 0
    for art in agreement.articles:
        for block in art.walk():
            if isinstance(block, Gap):
                continue
            for part in (block.num or "", block.heading or "", block.intro, block.wrap_up):
                total += _chars(FOOTNOTE_MARK.sub(r"\1", part))  # a marker keeps its digits
        total += sum(_chars(f.text) for f in art.footnotes)
    return total


def _report_lost(rows: list[tuple[str, int, int, int, int, int, Agreement, int]], worst: int) -> None:
    print(f"\nworst {worst} files by lost characters:")
    for name, _, b, _, _, _, _, lost in sorted(rows, key=lambda r: -r[7])[:worst]:
        if not lost:
            print("  (no file lost any character)")
            break
        print(f"  {name}: {lost:,} of {b:,} ({lost / b:.3%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(_DEFAULT))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args()
    corpus = tota(args.folder)
    start = time.perf_counter()
    agreements = corpus.load_all(progress=True, workers=args.workers)
    wall = time.perf_counter() - start
    rows = []
    for path, agreement in zip(corpus.paths, agreements, strict=True):
        body = body_chars(path)
        unparsed = sum(_chars(r.text) for r in agreement.unparsed)
        removed = sum(_chars(r.text) for r in agreement.removed)
        held = held_chars(agreement)
        lost = sum(lost_chars(raw_xml_chars(path.read_bytes(), "article"), agreement, body_only=True).values())
        rows.append((path.name, len(agreement.articles), body, held, removed, unparsed, agreement, lost))
    n_art = sum(r[1] for r in rows)
    body = sum(r[2] for r in rows)
    held = sum(r[3] for r in rows)
    removed = sum(r[4] for r in rows)
    unparsed = sum(r[5] for r in rows)
    print(f"ToTA load: {len(agreements)} agreements in {wall:.2f} s wall ({args.workers} workers)")
    print(f"articles: {n_art:,}; article body letters and digits: {body:,}")
    print(f"  held in the model:   {held:,} ({held / body:.3%})")
    print(f"  removed (furniture): {removed:,} ({removed / body:.3%})")
    print(f"  unparsed:            {unparsed:,} ({unparsed / body:.3%})")
    rest = body - held - removed - unparsed
    print(f"  unaccounted:         {rest:,} ({rest / body:.3%}; negative: characters the reader added)")
    lost = sum(r[7] for r in rows)
    print(f"  lost (in the input, nowhere in the model): {lost:,} ({lost / body:.4%})")
    print(f"\nworst {args.worst} files by unparsed share:")
    for name, _, b, _, _, u, agreement, _ in sorted(rows, key=lambda r: -r[5] / max(r[2], 1))[: args.worst]:
        if not u:
            print("  (no file has unparsed text)")
            break
        print(f"  {name}: {u:,} of {b:,} ({u / b:.2%})")
        for residue in agreement.unparsed:
            print(f"    line {residue.line}: {residue.reason}: {residue.text[:70]!r}")
    print(f"\nworst {args.worst} files by removed share (page furniture set aside):")
    for name, _, b, _, r, _, _, _ in sorted(rows, key=lambda r: -r[4] / max(r[2], 1))[: args.worst]:
        print(f"  {name}: {r:,} of {b:,} ({r / b:.2%})")
    print(f"\nworst {args.worst} files by unaccounted share:")
    for name, _, b, h, r, u, _, _ in sorted(rows, key=lambda r: -abs(r[2] - r[3] - r[4] - r[5]) / max(r[2], 1))[
        : args.worst
    ]:
        print(f"  {name}: {b - h - r - u:,} of {b:,} ({(b - h - r - u) / b:.2%})")
    _report_lost(rows, args.worst)


if __name__ == "__main__":
    main()
