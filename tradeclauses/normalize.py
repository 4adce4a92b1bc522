"""Normalisation of treaty text for comparison (never for display).

Two texts that a trade lawyer would call the same words should normalise to the
same string: :func:`normalize` removes the differences that carry no legal meaning
and keeps every word that does.

What it removes or unifies, in this order:

0. Look-alike and invisible characters (:func:`printed_form`): a Cyrillic or Greek
   letter inside a Latin word (``shаll`` with a Cyrillic ``а``) becomes the Latin
   letter it looks like, zero-width characters are dropped and bidirectional
   controls are applied (an overridden run is read in the order it is shown), so
   the text is read as it prints. :func:`lookalikes` lists what was found.
1. Unicode compatibility forms (NFKC): ligatures from PDFs (``ﬁ``), full-width
   letters, superscript footnote digits (``⁵`` → ``5``).
2. Typographic quotes (``“ ” ‘ ’ ` ´``) become ``"`` and ``'``, so ``Party’s`` and
   ``Party's`` are one word; every dash and hyphen variant (U+2010 hyphen, U+2011
   non-breaking hyphen, U+2012-U+2015 figure, en and em dashes, U+2212 minus)
   becomes ``-``; soft hyphens and zero-width characters are dropped.
3. Footnote references: ``[^5]`` marks, and footnote digits glued to a word
   (``person1 means``, ``objective.5``, ``product”4``). Real numbers are kept:
   ``Article 1.5``, ``paragraph 2``, ``16.6.2``, ``G20``, ``GATT 1994``.
4. Words broken across lines by a PDF (``trans-⏎fer`` → ``transfer``). A hyphen
   followed by whitespace joins the two pieces, except before ``and``/``or``
   (``small- and medium-sized``) and after a small list of first elements of
   hyphenated compounds (``cross-⏎border`` → ``cross-border``).
5. Whitespace of every kind (tabs, NBSP, line breaks) becomes one space.
6. Numbering labels at the start of the text: ``1.``, ``4.1``, ``(a)``, ``(iv)``.
7. Case, then British spellings of the words treaties use (``recognise``,
   ``endeavour``, ``favourable``, ``programme``, ``labour``, ``-isation`` …) become
   American ones, the spelling of the USMCA model, as whole words with their
   inflections (see :data:`SPELLING`).

:func:`normalize` is idempotent and a plain ``str -> str`` function, so it can be
passed as a RapidFuzz ``processor``. :func:`tidy` applies steps 1-6 only (case and
spelling kept), for quoting; :func:`normalize_aligned` gives both and maps
positions in the normalised text back to words as written.

Examples:
    >>> normalize("1. The Parties recognise that each Party’s trans-\\nfer\u00a0rules")
    "the parties recognize that each party's transfer rules"
    >>> tokens("(b) No Party shall endeavour[^5] to…")
    ('no', 'party', 'shall', 'endeavor', 'to')
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from types import MappingProxyType

from tradeclauses.errors import ArgumentTypeError

__all__ = [
    "CONFUSABLES",
    "SPELLING",
    "AlignedText",
    "Lookalike",
    "lookalikes",
    "normalize",
    "normalize_aligned",
    "printed_form",
    "singular",
    "tidy",
    "tokens",
]

# --------------------------------------------------------------------------- characters

_QUOTES_DOUBLE = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e"
_QUOTES_SINGLE = "\u2018\u2019\u201a\u201b`\u00b4\u2032\u2039\u203a"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_LINE_SEPARATORS = "\u2028\u2029\x85"

_CHARS: dict[int, str | None] = {
    **{ord(c): '"' for c in _QUOTES_DOUBLE},
    **{ord(c): "'" for c in _QUOTES_SINGLE},
    **{ord(c): "-" for c in _DASHES},
    **{ord(c): None for c in _INVISIBLE},
    **{ord(c): "\n" for c in _LINE_SEPARATORS},
}
"""Translation table: quotes, dashes, invisible characters, line separators."""

# --------------------------------------------------------------------------- look-alike characters

CONFUSABLES: Mapping[str, str] = MappingProxyType(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
        # Greek
        "ο": "o", "ν": "v", "ρ": "p", "ι": "i", "κ": "k", "υ": "u", "α": "a", "τ": "t", "ε": "e",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
        "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        # Armenian
        "օ": "o", "ս": "u", "ո": "n", "հ": "h", "ց": "g",
    }
)  # fmt: skip
"""Letters of other scripts that print like a Latin letter, and that letter.

They are read as Latin only in a word made of Latin letters and such look-alikes, with
at least one Latin letter: a Greek or Cyrillic word stays as it is, even with a stray
Latin letter in it."""

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u034f"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_UNSEEN = {ord(c): None for c in _ZERO_WIDTH + _BIDI}
_RLO_RUN = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069\n]*)(?:\u202c|(?=\n)|$)")
_MIXED = re.compile(r"[^\W\d_]+")
_NOT_ASCII_OR_NOTHING = re.compile("[^\x00-\x7f]")


def _latin(ch: str) -> bool:
    return (ch.isascii() and ch.isalpha()) or ("\u00c0" <= ch <= "\u024f" and ch.isalpha())


def _unconfuse(match: re.Match[str]) -> str:
    """The word in Latin letters if it is a Latin word with look-alikes in it, else the word."""
    word = match.group()
    if word.isascii() or not any(c in CONFUSABLES for c in word) or not any(_latin(c) for c in word):
        return word
    if not all(c in CONFUSABLES or _latin(c) for c in word):
        return word  # a Greek or Cyrillic word with a stray Latin letter ("Пiдписано"): not Latin
    return "".join(CONFUSABLES.get(c, c) for c in word)


def printed_form(text: str) -> str:
    """The text as a reader of the printed page reads it.

    A Cyrillic, Greek or Armenian letter inside a word that also holds Latin letters
    becomes the Latin letter it looks like (:data:`CONFUSABLES`); zero-width
    characters are dropped; bidirectional controls are dropped, and a run under a
    right-to-left override (U+202E), which prints backwards, is read in the order it
    prints. Text without such characters is returned unchanged.

    Examples:
        >>> printed_form("No Party sh\u0430ll prohibit")  # a Cyrillic "а"
        'No Party shall prohibit'
        >>> printed_form("shall\u200b not"), printed_form("shall \u202eton\u202c prohibit")
        ('shall not', 'shall not prohibit')
        >>> printed_form("Соглашение")  # a Russian word stays Russian
        'Соглашение'
    """
    if not isinstance(text, str):
        raise ArgumentTypeError(f"expected text (str), got {type(text).__name__}")
    if text.isascii():
        return text
    if "\u202e" in text:
        text = _RLO_RUN.sub(lambda m: m[1][::-1], text)
    text = text.translate(_UNSEEN)
    return _MIXED.sub(_unconfuse, text) if _NOT_ASCII_OR_NOTHING.search(text) else text


@dataclass(frozen=True, slots=True)
class Lookalike:
    """A character that prints as something else, or not at all, found in a text."""

    char: str
    """The character."""
    kind: str
    """``"confusable"`` (a letter of another script in a Latin word), ``"zero-width"`` or ``"bidi"``."""
    word: str
    """The word it stands in (for a control character: the words around it)."""
    reads_as: str
    """What a reader of the printed text sees there."""

    def __str__(self) -> str:
        name = unicodedata.name(self.char, f"U+{ord(self.char):04X}")
        what = {"confusable": "look-alike letter", "zero-width": "invisible character", "bidi": "direction control"}
        where = f"in {self.word!r} (reads {self.reads_as!r})"
        return f"{what.get(self.kind, self.kind)} U+{ord(self.char):04X} {name} {where}"


def lookalikes(text: str) -> tuple[Lookalike, ...]:
    """Every look-alike letter, zero-width character and bidirectional control in ``text``.

    Examples:
        >>> [(f.kind, f.reads_as) for f in lookalikes("No Party sh\u0430ll prohibit")]
        [('confusable', 'shall')]
        >>> [f.kind for f in lookalikes("shall\u200b not \u202e")]
        ['zero-width', 'bidi']
        >>> lookalikes("the Party’s measure")
        ()
    """
    if text.isascii():
        return ()
    found: list[Lookalike] = []
    for match in _MIXED.finditer(text):
        word = match.group()
        printed = _unconfuse(match)
        if printed != word:
            found.extend(
                Lookalike(char=c, kind="confusable", word=word, reads_as=printed)
                for c in dict.fromkeys(word)
                if c in CONFUSABLES
            )
    for pos, ch in enumerate(text):
        if ch in _ZERO_WIDTH or ch in _BIDI:
            around = text[max(0, pos - 12) : pos + 13]
            found.append(
                Lookalike(
                    char=ch,
                    kind="zero-width" if ch in _ZERO_WIDTH else "bidi",
                    word=around.strip(),
                    reads_as=printed_form(around).strip(),
                )
            )
    return tuple(found)


# --------------------------------------------------------------------------- layout regexes

_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]{1,10}\]")
"""A footnote mark in the ``[^5]`` form used by the corpus and the clause model."""

_CONJUNCTIONS = r"(?:and|or|nor|to|but)(?:\s|$)"
"""A suspended hyphen comes before a conjunction: ``small- and medium-sized``."""

_SUFFIXES = r"(?:ing|ings|ed|es|er|ers|ly|ment|ments|ness|ity|ities|ion|ions|al|ally|ive)\b"

_COMPOUND_BREAK = re.compile(
    r"\b(cross|non|self|e|mass|risk|consensus|medium|sector|country|so|well|third|government|"
    r"user|two|three|four|five|long|short)-\s+(?!" + _SUFFIXES + r"|" + _CONJUNCTIONS + r")(?=[^\W\d_])",
    re.IGNORECASE,
)
"""A line break after the first element of a hyphenated compound: keep the hyphen."""

_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-\s+(?!" + _CONJUNCTIONS + r")(?=[^\W\d_])", re.IGNORECASE)
"""A word broken across lines (``trans- fer``), but not a suspended hyphen (``small- and``)."""

_GLUED_NOTE = re.compile(r"\d{1,3}(?=[\s.,;:)]|$)")
"""Up to three digits ending a word: a footnote reference if :func:`_drop_note` agrees."""

_HYPHEN_SPACE = re.compile(r"-\s")
"""Cheap test for the two hyphen rules above."""

_LABEL = re.compile(
    r"^(?:(?:\d{1,3}(?:\.\d{1,3})*\.|\d{1,3}(?:\.\d{1,3})+|\((?:[a-z]{1,2}|[ivxlcdm]{1,7}|\d{1,3})\)|[a-z]\))"
    r"(?:\s+|$))+",
    re.IGNORECASE,
)
"""Numbering labels at the start of a text: ``1.``, ``4.1``, ``(a)``, ``(iv)``, ``a)``."""

_WORD = re.compile(r"\w+(?:[-'.]\w+)*")
"""A token: letters and digits, keeping ``cross-border``, ``party's`` and ``16.6.2`` whole."""


# --------------------------------------------------------------------------- spelling


def _spelling_table() -> dict[str, str]:
    """British → American spellings of words found in treaties, with inflections."""
    table: dict[str, str] = {}

    def add(pairs: Iterable[tuple[str, str]]) -> None:
        for british, american in pairs:
            if british != american:
                table[british] = american

    ize_stems = (
        "anonym", "apolog", "author", "capital", "categor", "central", "character", "civil",
        "computer", "criminal", "critic", "custom", "decentral", "digit", "emphas", "final",
        "formal", "general", "global", "harmon", "incentiv", "industrial", "institutional",
        "international", "item", "jeopard", "legal", "legitim", "liberal", "local",
        "maxim", "memor", "minim", "mobil", "modern", "monopol", "neutral", "normal", "operational",
        "optim", "organ", "penal", "priorit", "privat", "pseudonym", "public", "rational", "real",
        "recogn", "sanit", "scrutin", "special", "stabil", "standard", "subsid", "summar",
        "symbol", "synchron", "util", "visual",
    )  # fmt: skip
    ize_suffixes = ("e", "es", "ed", "ing", "er", "ers", "ation", "ations", "ational", "able", "ability")
    for stem in ize_stems:
        add((f"{stem}is{suffix}", f"{stem}iz{suffix}") for suffix in ize_suffixes)

    for stem in ("analy", "paraly", "cataly"):
        add((f"{stem}s{suffix}", f"{stem}z{suffix}") for suffix in ("e", "ed", "ing", "er", "ers"))

    our_stems = (
        "ard", "arm", "behavi", "cand", "clam", "col", "endeav", "fav", "ferv", "flav", "harb",
        "hon", "hum", "lab", "neighb", "od", "parl", "ranc", "rig", "rum", "sav", "splend",
        "succ", "tum", "val", "vap", "vig", "disfav", "dishon", "unfav",
    )  # fmt: skip
    our_suffixes = (
        "", "s", "ed", "ing", "able", "ably", "er", "ers", "ite", "ites", "itism", "al", "ally",
        "hood", "hoods", "less",
    )  # fmt: skip
    for stem in our_stems:
        add((f"{stem}our{suffix}", f"{stem}or{suffix}") for suffix in our_suffixes)

    for stem, american in (
        ("centre", "center"), ("fibre", "fiber"), ("metre", "meter"), ("litre", "liter"),
        ("theatre", "theater"), ("calibre", "caliber"), ("spectre", "specter"), ("lustre", "luster"),
        ("manoeuvre", "maneuver"), ("defence", "defense"), ("offence", "offense"),
        ("licence", "license"), ("pretence", "pretense"), ("catalogue", "catalog"),
        ("analogue", "analog"), ("programme", "program"), ("judgement", "judgment"),
        ("acknowledgement", "acknowledgment"), ("instalment", "installment"),
        ("enrolment", "enrollment"), ("fulfilment", "fulfillment"), ("artefact", "artifact"),
        ("enquiry", "inquiry"), ("sceptic", "skeptic"), ("mould", "mold"),
        ("counsellor", "counselor"), ("traveller", "traveler"), ("jeweller", "jeweler"),
    ):  # fmt: skip
        add([(stem, american), (stem + "s", american + "s")])
    add(
        [
            ("centred", "centered"), ("centring", "centering"), ("manoeuvred", "maneuvered"),
            ("catalogued", "cataloged"), ("cataloguing", "cataloging"), ("enquiries", "inquiries"),
            ("enquire", "inquire"), ("enquires", "inquires"), ("enquired", "inquired"),
            ("enquiring", "inquiring"), ("sceptical", "skeptical"), ("scepticism", "skepticism"),
            ("ageing", "aging"), ("grey", "gray"), ("jewellery", "jewelry"),
            ("fulfil", "fulfill"), ("fulfils", "fulfills"), ("enrol", "enroll"), ("enrols", "enrolls"),
            ("instal", "install"), ("instals", "installs"), ("skilful", "skillful"),
            ("skilfully", "skillfully"), ("wilful", "willful"), ("wilfully", "willfully"),
            ("practise", "practice"), ("practises", "practices"), ("practised", "practiced"),
            ("practising", "practicing"), ("per cent", "percent"),
            ("co-operation", "cooperation"), ("co-operate", "cooperate"), ("co-operates", "cooperates"),
            ("co-operated", "cooperated"), ("co-operating", "cooperating"),
            ("co-operative", "cooperative"), ("co-ordinate", "coordinate"),
            ("co-ordinates", "coordinates"), ("co-ordinated", "coordinated"),
            ("co-ordinating", "coordinating"), ("co-ordination", "coordination"),
        ]
    )  # fmt: skip
    for stem in ("cancel", "label", "model", "travel", "signal", "counsel", "fuel", "channel", "level", "total",
                 "marshal", "equal"):  # fmt: skip
        add([(f"{stem}led", f"{stem}ed"), (f"{stem}ling", f"{stem}ing")])
    return table


class _Trie(dict[str, "_Trie"]):
    """A prefix tree of characters; the key ``""`` marks the end of a word."""


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` factored as a prefix tree, so matching stays fast."""
    trie = _Trie()
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, _Trie())
        node[""] = _Trie()

    def render(node: _Trie) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


SPELLING: Mapping[str, str] = MappingProxyType(_spelling_table())
"""British spelling → American spelling, lowercase, whole words with inflections."""

_SPELLING_RE = re.compile(r"\b" + _trie_pattern(SPELLING) + r"\b")
"""Any word of :data:`SPELLING`, also inside compounds (``most-favoured-nation``)."""


# --------------------------------------------------------------------------- functions


def _drop_note(match: re.Match[str]) -> str:
    """Drop footnote digits glued to a word, keep real numbers (``Article 1.5``, ``G20``)."""
    text, start = match.string, match.start()
    if start >= 1 and text[start - 1].isdigit():
        return match.group()  # the end of a longer number
    if start >= 3 and text[start - 3 : start].isalpha():
        return ""  # person1 means
    if start >= 1 and text[start - 1] in ")\"'":
        return ""  # "like digital product"4
    if start >= 2 and text[start - 1] in ".;,":
        if text[start - 2] in ")]\"'":
            return ""  # (Definitions).5
        if start >= 3 and text[start - 3 : start - 1].isalpha():
            return ""  # objective.5
    return match.group()


_SPACE_BEFORE = re.compile(r"(?<=\w)\s+(?=[,;:.)\]](?:\s|$))")
_SPACE_AFTER = re.compile(r"([(\[])\s+")


def tidy(text: str) -> str:
    """Clean the layout of ``text`` but keep its case and spelling, for quoting.

    Applies steps 1-6 of the module docstring: Unicode forms, quotes and dashes,
    footnote references, broken words, whitespace, leading numbering labels.

    Args:
        text: treaty text as read from any source.

    Returns:
        The same words, as written, on one line.

    Examples:
        >>> tidy("2. No Party shall  prohibit the trans-\\nfer of information.5")
        'No Party shall prohibit the transfer of information.'
    """
    if not text.isascii():
        text = printed_form(unicodedata.normalize("NFKC", text)).translate(_CHARS)
    elif "`" in text:
        text = text.translate(_CHARS)
    if "[^" in text:
        text = _FOOTNOTE_REF.sub("", text)
    text = _SPACE_BEFORE.sub("", _SPACE_AFTER.sub(r"\1", text))  # "word , word" as copied from a PDF
    if _HYPHEN_SPACE.search(text):
        text = _BROKEN_WORD.sub("", _COMPOUND_BREAK.sub(r"\1-", text))
    while True:  # "person1;2" needs two rounds
        stripped = _GLUED_NOTE.sub(_drop_note, text)
        if len(stripped) == len(text):
            break
        text = stripped
    return _LABEL.sub("", " ".join(text.split()))


def _lower(text: str) -> str:
    """Lowercase without changing the length (a character whose lowercase is longer stays)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _american(match: re.Match[str]) -> str:
    return SPELLING[match.group(0)]


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Normalise ``text`` for comparison: same legal words → same string.

    Lowercases, unifies quotes, dashes and whitespace, joins words broken across
    lines, drops footnote references and leading numbering labels, and maps British
    spellings to American ones (see the module docstring for the exact rules).
    Idempotent: ``normalize(normalize(x)) == normalize(x)``.

    Args:
        text: treaty text as read from any source.

    Returns:
        The normalised text, suitable as a RapidFuzz ``processor`` result.

    Examples:
        >>> normalize("4.1 Each Party shall endeavour to recognise\\tprogrammes.[^5]")
        'each party shall endeavor to recognize programs.'
        >>> normalize("(b) Article 1.5, paragraph 2 and 16.6.2 stay") == "article 1.5, paragraph 2 and 16.6.2 stay"
        True
    """
    return _SPELLING_RE.sub(_american, _lower(tidy(text)))


def singular(word: str) -> str:
    """The singular of an English plural as treaties write defined terms (a rule, not a dictionary).

    Examples:
        >>> [singular(w) for w in ("facilities", "measures", "taxes", "businesses", "access", "data")]
        ['facility', 'measure', 'tax', 'business', 'access', 'data']
    """
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def tokens(text: str) -> tuple[str, ...]:
    """The words of ``normalize(text)``, punctuation dropped.

    Hyphenated compounds, possessives and dotted numbers stay one token.

    Examples:
        >>> tokens("Cross-border transfer; see Article 16.6.2 and the Party’s rules.")
        ('cross-border', 'transfer', 'see', 'article', '16.6.2', 'and', 'the', "party's", 'rules')
    """
    return tuple(_WORD.findall(normalize(text)))


def _edit_start(edit: tuple[int, int, int, int]) -> int:
    return edit[0]


@dataclass(frozen=True, slots=True)
class AlignedText:
    """A text in two forms, with positions in the normalised form mapped to the other.

    ``text`` is exactly ``normalize(original)``; ``surface`` is ``tidy(original)``,
    the words as written. Search ``text`` (lowercase, one spelling), then quote the
    matching words from ``surface`` with :meth:`quote`.

    Examples:
        >>> aligned = normalize_aligned("The Parties shall endeavour to recognise it.")
        >>> start = aligned.text.index("endeavor")
        >>> aligned.quote(start, start + len("endeavor to recognize"))
        'endeavour to recognise'
    """

    surface: str
    """The text with its layout cleaned (:func:`tidy`), case and spelling as written."""
    text: str
    """The normalised text (:func:`normalize`)."""
    edits: tuple[tuple[int, int, int, int], ...]
    """Spelling replacements as ``(text_start, text_end, surface_start, surface_end)``."""

    def surface_offset(self, pos: int, *, end: bool = False) -> int:
        """Map a position in :attr:`text` to the position in :attr:`surface`.

        A position inside a respelled word maps to the start of that word, or to its
        end when ``end`` is true.
        """
        index = bisect_right(self.edits, pos, key=_edit_start) - 1
        if index < 0:
            return pos
        t_start, t_end, s_start, s_end = self.edits[index]
        if pos >= t_end:
            return s_end + (pos - t_end)
        if pos == t_start:
            return s_start
        return s_end if end else s_start

    def quote(self, start: int, end: int) -> str:
        """The words as written that normalise to ``text[start:end]``."""
        return self.surface[self.surface_offset(start) : self.surface_offset(end, end=True)].strip()


def normalize_aligned(text: str) -> AlignedText:
    """Normalise ``text`` and keep the way back to its words as written.

    Args:
        text: treaty text as read from any source.

    Returns:
        An :class:`AlignedText` whose ``text`` equals ``normalize(text)``.

    Examples:
        >>> normalize_aligned("1. Each Party shall endeavour.").text
        'each party shall endeavor.'
    """
    if not isinstance(text, str):
        raise ArgumentTypeError(f"expected the text of a provision (str), got {type(text).__name__}")
    surface = tidy(text)
    lowered = _lower(surface)
    edits: list[tuple[int, int, int, int]] = []
    parts: list[str] = []
    shift = 0
    last = 0
    for match in _SPELLING_RE.finditer(lowered):
        s_start, s_end = match.span()
        american = SPELLING[match.group(0)]
        parts.append(lowered[last:s_start])
        parts.append(american)
        t_start = s_start + shift
        edits.append((t_start, t_start + len(american), s_start, s_end))
        shift += len(american) - (s_end - s_start)
        last = s_end
    parts.append(lowered[last:])
    return AlignedText(surface=surface, text="".join(parts), edits=tuple(edits))


def cut_like(text: str, held: str) -> str:
    """``text`` up to where ``held`` stops, matched word by word: for comparing a provision
    with one whose words are known only up to a gap ("... or an [[MISSING: the rest]]").

    Examples:
        >>> cut_like("This Article does not preclude a body from requiring the source code of software "
        ...          "for a specific investigation.",
        ...          "This Article does not preclude a body from requiring the source code of software, or an")
        'This Article does not preclude a body from requiring the source code of software for a'
    """
    words, held_words = text.split(), held.split()

    def key(word: str) -> str:
        return re.sub(r"\W", "", normalize(word))

    matcher = SequenceMatcher(None, [key(w) for w in held_words], [key(w) for w in words], autojunk=False)
    anchors = [b for b in matcher.get_matching_blocks() if b.size >= 3]  # anchors, not stray "or"s
    if not anchors:
        return text
    last = anchors[-1]
    return " ".join(words[: last.b + last.size + (len(held_words) - last.a - last.size)])
