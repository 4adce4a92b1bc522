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

from tradeclauses.errors import ParseError

__all__ = ["clean_num", "from_eid", "join", "numeral_value", "roman", "roman_value", "slug", "to_eid", "unique"]

_STRIP = re.compile(r"^[\s(\[]+|[\s).\]:]+$")
_SLUG_BAD = re.compile(r"[^a-z0-9]+")


def clean_num(num: str) -> str:
    """Return the id form of a number label: brackets, spaces and trailing dots removed.

    >>> clean_num("4.1.")
    '4.1'
    """
    return _STRIP.sub("", num).replace(" ", "")


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def roman(n: int, *, lower: bool = False) -> str:
    """Return ``n`` (1 to 3999) as a roman numeral.

    >>> roman(14), roman(4, lower=True)
    ('XIV', 'iv')
    """
    out, rest = "", n
    for value, sym in _ROMAN:
        while rest >= value:
            out += sym
            rest -= value
    return out.lower() if lower else out


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
    ("chnn", "chp_nn"),
    ("ch", "chp"),
    ("part", "part"),
    ("artnn", "art_nn"),
    ("art", "art"),
    ("para", "para"),
    ("def-", "def"),
    ("fn", "fn"),
    ("gap", "gap"),
    ("p", "intro_p"),
)
_EID_WORDS = {"preamble": "preamble", "body": "body", "front": "preface", "conclusion": "conclusions"}
_DUP = re.compile(r"^(?P<base>.+?)_(?P<n>\d+)$")
_EID_DUP = re.compile(r"^(?P<base>.+?)~(?P<n>\d+)$")
_EID_ESC = re.compile(r"~d|~u(?P<hex>[0-9a-f]{4})|-")


def _eid_num(num: str) -> str:
    """Encode a number for an eId: ``.`` → ``-``; ``-`` → ``~d``; other punctuation → ``~uXXXX``."""
    out = []
    for ch in num:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == ".":
            out.append("-")
        elif ch == "-":
            out.append("~d")
        else:
            out.append(f"~u{ord(ch):04x}")
    return "".join(out)


def _id_num(enc: str) -> str:
    """Invert :func:`_eid_num`."""

    def repl(m: re.Match[str]) -> str:
        if m[0] == "-":
            return "."
        if m[0] == "~d":
            return "-"
        return chr(int(m["hex"], 16))

    return _EID_ESC.sub(repl, enc)


def _segment_eid(seg: str) -> str:
    dup = _DUP.match(seg)
    base, suffix = (dup["base"], f"~{dup['n']}") if dup else (seg, "")
    if base in _EID_WORDS:
        return _EID_WORDS[base] + suffix
    for prefix, akn in _EID_PREFIX:
        if base.startswith(prefix) and (prefix != "p" or base[1:2].isdigit()):
            rest = base[len(prefix) :]
            if prefix == "annex" and not rest:
                return "annex" + suffix
            if prefix == "chnn":
                return f"chp_nn{_eid_num(rest)}{suffix}"
            if prefix == "def-":
                return f"def_{rest}{suffix}"
            return f"{akn}_{_eid_num(rest)}{suffix}"
    return f"list_1__point_{_eid_num(base)}{suffix}"


def to_eid(node_id: str) -> str:
    """Map a tradeclauses id to an Akoma Ntoso eId (the agreement segment is dropped).

    Subparagraphs become AKN ``point`` elements inside a ``list``; the list counter is
    always 1 because each provision holds at most one list of points. Numbers keep
    their digits and letters; ``.`` becomes ``-`` (``art_19-11``); a ``-`` in a number
    becomes ``~d`` and other punctuation ``~uXXXX``, and the ``_2`` that tells apart
    siblings with the same number becomes ``~2``, so that :func:`from_eid` can
    always give back the id.

    >>> to_eid("usmca/ch19/art19.1/def-covered-person")
    'chp_19__art_19-1__def_covered-person'
    >>> to_eid("usmca/preamble")
    'preamble'
    >>> to_eid("tota-112/chI/artG-1/para2_2")
    'chp_I__art_G~d1__para_2~2'
    """
    return "__".join(_segment_eid(seg) for seg in node_id.split("/")[1:])


def from_eid(agreement_id: str, eid: str) -> str:
    """Invert :func:`to_eid`.

    >>> from_eid("usmca", "chp_19__art_19-11__para_2__list_1__point_a")
    'usmca/ch19/art19.11/para2/a'
    >>> from_eid("tota-112", "chp_I__art_G~d1__para_2~2")
    'tota-112/chI/artG-1/para2_2'
    """
    reverse = {akn: prefix for prefix, akn in _EID_PREFIX}
    words = {akn: seg for seg, akn in _EID_WORDS.items()}
    segs = [agreement_id]
    parts = eid.split("__")
    i = 0
    while i < len(parts):
        part = parts[i]
        dup = _EID_DUP.match(part)
        base, suffix = (dup["base"], f"_{dup['n']}") if dup else (part, "")
        if base.startswith("list_") and i + 1 < len(parts):
            i += 1
            dup = _EID_DUP.match(parts[i])
            base, suffix = (dup["base"], f"_{dup['n']}") if dup else (parts[i], "")
            segs.append(_id_num(base.removeprefix("point_")) + suffix)
        elif base in words:
            segs.append(words[base] + suffix)
        elif base == "annex":
            segs.append("annex" + suffix)
        elif base.startswith("def_"):
            segs.append("def-" + base[4:] + suffix)
        elif base.startswith("chp_nn"):
            segs.append("chnn" + _id_num(base[6:]) + suffix)
        else:
            for akn in ("art_nn", "intro_p"):
                if base.startswith(akn + "_"):
                    segs.append(reverse[akn] + _id_num(base[len(akn) + 1 :]) + suffix)
                    break
            else:
                akn, _, num = base.partition("_")
                if akn not in reverse:
                    raise ParseError(f"not an eId made by to_eid: {eid!r} (at {part!r})")
                segs.append(reverse[akn] + _id_num(num) + suffix)
        i += 1
    return "/".join(segs)


_UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty")
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}


_ROMAN_RE = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(text: str) -> int | None:
    """The value of an upper-case roman numeral (``"XIV"`` → 14), ``None`` if it is not one."""
    if not text or not _ROMAN_RE.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > value else value
    return total


def numeral_value(num: str) -> tuple[str, int] | None:
    """The numeral system and value of a chapter number.

    >>> [numeral_value(n) for n in ("08", "Twenty-Three", "TWENTYTWO", "XIV", "A")]
    [('arabic', 8), ('arabic', 23), ('arabic', 22), ('roman', 14), None]
    """
    text = num.strip()
    if text.isdigit():
        return "arabic", int(text)
    roman = roman_value(text)
    if roman:
        return "roman", roman
    words = re.sub(r"[\s\-]+", "", text.lower())
    for tens in (*_TENS, ""):
        if words.startswith(tens):
            rest = words[len(tens) :]
            if tens and not rest:
                return "arabic", _WORD_VALUES[tens]
            if rest in _WORD_VALUES and (not tens or _WORD_VALUES[rest] < 10):
                return "arabic", (_WORD_VALUES[tens] if tens else 0) + _WORD_VALUES[rest]
    return None
