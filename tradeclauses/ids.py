"""Stable, human-readable ids for every node of an agreement.

One grammar, used everywhere. An id is a path of segments separated by ``/``::

    usmca/ch19/art19.11/para2/a          paragraph 2, subparagraph (a)
    usmca/ch19/art19.1/def-covered-person a definition
    usmca/ch19/art19.11/fn5              footnote 5 of Article 19.11
    usmca/ch19/art19.12/p1               first unnumbered paragraph
    jsi/art1/para1.1                     an agreement without chapters

Segment rules:

* agreement: its short id (``usmca``), lowercase letters, digits and ``-``;
* chapter ``ch<num>``; annex ``annex<num>`` (``annex`` when unnumbered); preamble
  ``preamble``; text outside any chapter ``body``;
* article ``art<num>`` (``artnn<k>`` when unnumbered);
* numbered paragraph ``para<num>``; unnumbered paragraph ``p<k>`` (k counts unnumbered
  siblings from 1); subparagraph: its label without brackets (``a``, ``iv``, ``A``);
* definition ``def-<term slug>``; footnote ``fn<num>``; gap ``gap<k>``.

Numbers are cleaned by :func:`clean_num`: brackets, trailing dots and spaces go,
everything else is kept (``"4.1."`` -> ``"4.1"``, ``"(iv)"`` -> ``"iv"``). A collision
between siblings gets a suffix ``_2``, ``_3``... so ids are unique within an agreement,
and the same input always yields the same ids.

Akoma Ntoso eIds are derived from these ids in exactly one place, :func:`to_eid`.

Examples:
    >>> clean_num("(iv)")
    'iv'
    >>> slug("covered person")
    'covered-person'
    >>> to_eid("usmca/ch19/art19.11/para2/a")
    'chp_19__art_19-11__para_2__list_1__point_a'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_num", "from_eid", "join", "slug", "to_eid", "unique"]

_STRIP = re.compile(r"^[\s(\[]+|[\s).\]:]+$")
_SLUG_BAD = re.compile(r"[^a-z0-9]+")


def clean_num(num: str) -> str:
    """Return the id form of a number label: brackets, spaces and trailing dots removed.

    >>> clean_num("4.1.")
    '4.1'
    """
    return _STRIP.sub("", num).replace(" ", "")


def slug(text: str) -> str:
    """Return a lowercase ASCII slug of ``text`` for use in an id segment.

    >>> slug("“Computing Facility”")
    'computing-facility'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_BAD.sub("-", ascii_text.lower()).strip("-") or "x"


def join(parent: str, segment: str) -> str:
    """Join a parent id and a child segment.

    >>> join("usmca/ch19", "art19.11")
    'usmca/ch19/art19.11'
    """
    return f"{parent}/{segment}" if parent else segment


def unique(segment: str, taken: set[str]) -> str:
    """Return ``segment``, suffixed ``_2``, ``_3``... if already in ``taken``; record it.

    >>> taken: set[str] = set()
    >>> unique("para1", taken), unique("para1", taken)
    ('para1', 'para1_2')
    """
    candidate, n = segment, 1
    while candidate in taken:
        n += 1
        candidate = f"{segment}_{n}"
    taken.add(candidate)
    return candidate


_EID_PREFIX = (
    ("annex", "annex"),
    ("ch", "chp"),
    ("artnn", "art_nn"),
    ("art", "art"),
    ("para", "para"),
    ("def-", "def"),
    ("fn", "fn"),
    ("gap", "gap"),
    ("p", "intro_p"),
)


def _eid_num(num: str) -> str:
    return num.replace(".", "-")


def to_eid(node_id: str) -> str:
    """Map a tradeclauses id to an Akoma Ntoso eId (the agreement segment is dropped).

    Subparagraphs become AKN ``point`` elements inside a ``list``; the list counter is
    always 1 because each provision holds at most one list of points.

    >>> to_eid("usmca/ch19/art19.1/def-covered-person")
    'chp_19__art_19-1__def_covered-person'
    >>> to_eid("usmca/preamble")
    'preamble'
    """
    parts = node_id.split("/")[1:]
    out: list[str] = []
    for seg in parts:
        if seg in ("preamble", "body"):
            out.append(seg)
            continue
        for prefix, akn in _EID_PREFIX:
            if seg.startswith(prefix) and (prefix != "p" or seg[1:2].isdigit()):
                rest = seg[len(prefix):]
                if prefix == "annex":
                    out.append(f"annex_{_eid_num(rest)}" if rest else "annex")
                elif prefix == "def-":
                    out.append(f"def_{rest}")
                else:
                    out.append(f"{akn}_{_eid_num(rest)}")
                break
        else:
            out.append(f"list_1__point_{seg}")
    return "__".join(out)


def from_eid(agreement_id: str, eid: str) -> str:
    """Invert :func:`to_eid`.

    >>> from_eid("usmca", "chp_19__art_19-11__para_2__list_1__point_a")
    'usmca/ch19/art19.11/para2/a'
    """
    segs = [agreement_id]
    parts = eid.split("__")
    i = 0
    reverse = {akn: prefix for prefix, akn in _EID_PREFIX}
    while i < len(parts):
        part = parts[i]
        if part in ("preamble", "body", "annex"):
            segs.append(part)
        elif part.startswith("list_"):
            i += 1
            segs.append(parts[i].removeprefix("point_"))
        elif part.startswith("def_"):
            segs.append("def-" + part[4:])
        elif part.startswith("annex_"):
            segs.append("annex" + part[6:].replace("-", "."))
        else:
            akn, _, num = part.rpartition("_")
            segs.append(reverse[akn] + num.replace("-", "."))
        i += 1
    return "/".join(segs)
