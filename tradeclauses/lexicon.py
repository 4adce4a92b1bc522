"""The treaty-drafting lexicon: which words mean the same, cover more, soften or defer.

The lexicon is data (``tradeclauses/lexicon.toml``, shipped with the package), not
code: the legal reading (:mod:`tradeclauses.frames`) looks every act verb, term
breadth, qualifier, self-judging marker and transition formula up here. Each entry
names the treaty text it comes from. Read it with :func:`lexicon`; add your own
entries from a TOML file in the same format with :func:`load_lexicon` and pass the
result as ``lexicon=`` to :func:`~tradeclauses.compare_texts`,
:func:`~tradeclauses.score` or :func:`~tradeclauses.diff`.

Examples:
    >>> lex = lexicon()
    >>> lex.act_atom("restricting"), lex.act_atom("ban")
    ('restrict', 'prohibit')
    >>> lex.is_wider("covered person", "covered investment")
    True
    >>> lex.is_wider("covered investment", "covered person")
    False
    >>> lex.canonical("each party shall refrain from imposing customs duties pursuant to article 2")
    'no party shall imposing customs duties under article 2'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tradeclauses.errors import TradeClausesError

__all__ = [
    "Act",
    "Equivalent",
    "Lexicon",
    "LexiconError",
    "Pattern",
    "Phrases",
    "Rewrite",
    "Term",
    "lexicon",
    "load_lexicon",
    "using_lexicon",
]


class LexiconError(TradeClausesError):
    """A lexicon file cannot be read: not TOML, an unknown table, a bad entry or pattern."""


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    source: str = Field(min_length=1)
    """The treaty text the entry comes from."""


class Equivalent(_Entry):
    """Phrases with the same legal meaning; all are read as the first."""

    words: tuple[str, ...] = Field(min_length=2)


class Rewrite(_Entry):
    """A form that moves words: ``pattern`` (a regular expression) is replaced by ``replace``."""

    pattern: str
    replace: str


class Act(_Entry):
    """Verbs that name one act an obligation covers."""

    atom: str
    verbs: tuple[str, ...] = Field(min_length=1)
    covers: tuple[str, ...] = ()
    """Other acts this one includes ("restrict" includes "prohibit": a ban is the fullest restriction)."""


class Permissive(_Entry):
    """Verbs whose duty form binds as the prohibition of ``negates``."""

    verbs: tuple[str, ...] = Field(min_length=1)
    negates: str


class Term(_Entry):
    """A term and the terms it is wider than."""

    term: str
    narrower: tuple[str, ...] = ()


class Phrases(_Entry):
    """A group of fixed phrases (qualifiers, self-judging markers, notes, purposes)."""

    words: tuple[str, ...] = Field(min_length=1)
    acts: bool = False
    """For qualifiers: the words qualify the act itself ("unnecessarily restrict")."""


class Pattern(_Entry):
    """A regular expression over normalised text (transition and deferral wording)."""

    pattern: str
    sentence: bool = False
    """The wording makes its whole sentence a statement about when other provisions apply."""


class _FunctionWords(_Entry):
    words: tuple[str, ...]


_TABLES: dict[str, type[_Entry]] = {
    "equivalent": Equivalent,
    "rewrite": Rewrite,
    "act": Act,
    "permissive": Permissive,
    "term": Term,
    "qualifier": Phrases,
    "self_judging": Phrases,
    "deferral": Pattern,
    "exception_note": Phrases,
    "purpose": Phrases,
}


def _alternation(phrases: Iterable[str]) -> str:
    unique = sorted({p.strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p) for p in unique) or r"(?!x)x"


def _inflections(verb: str) -> set[str]:
    """Regular English inflections of a verb: prohibit → prohibits, prohibited, prohibiting."""
    forms = {verb}
    if " " in verb:
        return forms
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    else:
        forms |= {verb + "s", verb + "es", verb + "ed", verb + "ing"}
        if len(verb) <= 4 and verb[-1] not in "aeiouwxy" and verb[-2:-1] in "aeiou":
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


class Lexicon(BaseModel):
    """The drafting lexicon: every table of ``lexicon.toml`` as typed entries.

    Build with :func:`lexicon` (the shipped entries) or :func:`load_lexicon`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    function_words: tuple[str, ...] = ()
    equivalent: tuple[Equivalent, ...] = ()
    rewrite: tuple[Rewrite, ...] = ()
    act: tuple[Act, ...] = ()
    permissive: tuple[Permissive, ...] = ()
    term: tuple[Term, ...] = ()
    qualifier: tuple[Phrases, ...] = ()
    self_judging: tuple[Phrases, ...] = ()
    deferral: tuple[Pattern, ...] = ()
    exception_note: tuple[Phrases, ...] = ()
    purpose: tuple[Phrases, ...] = ()
    origin: tuple[str, ...] = ()
    """The files the entries were read from."""

    def __hash__(self) -> int:
        return id(self)

    # ------------------------------------------------------------------ lookups

    @cached_property
    def _equivalents(self) -> tuple[re.Pattern[str], dict[str, str]]:
        table: dict[str, str] = {}
        for entry in self.equivalent:
            first = entry.words[0]
            for word in entry.words[1:]:
                table.setdefault(word, first)
        pattern = re.compile(rf"(?<![\w'-])(?:{_alternation(table)})(?![\w-])")
        return pattern, table

    @cached_property
    def _rewrites(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple((re.compile(r.pattern), r.replace) for r in self.rewrite)

    def canonical(self, norm: str) -> str:
        """Normalised text with every equivalent phrase read as its first form.

        Args:
            norm: text already passed through :func:`~tradeclauses.normalize.normalize`.
        """
        for pattern, replace in self._rewrites:
            norm = pattern.sub(replace, norm)
        pattern, table = self._equivalents
        for _ in range(3):  # "each party shall refrain from" → "each party shall not" → "no party shall"
            done = pattern.sub(lambda m: table[m.group(0)], norm)
            if done == norm:
                break
            norm = done
        return norm

    @cached_property
    def _act_forms(self) -> dict[str, str]:
        forms: dict[str, str] = {}
        for entry in self.act:
            for verb in entry.verbs:
                for form in _inflections(verb):
                    forms.setdefault(form, entry.atom)
        for permissive in self.permissive:
            for verb in permissive.verbs:
                for form in _inflections(verb):
                    forms.setdefault(form, "allow:" + permissive.negates)
        return forms

    def covers(self, act: str, other: str) -> bool:
        """True when the act ``act`` includes ``other`` ("restrict" includes "prohibit")."""
        return any(e.atom == act and other in e.covers for e in self.act)

    @cached_property
    def act_atoms(self) -> frozenset[str]:
        """Every act the lexicon names."""
        return frozenset(e.atom for e in self.act)

    def act_atom(self, word: str) -> str | None:
        """The act a verb form names (``'restricting'`` → ``'restrict'``); ``None`` if not an act verb.

        Permissive verbs give ``'allow:<act>'`` (``'allow'`` → ``'allow:prohibit'``).
        """
        return self._act_forms.get(word)

    @cached_property
    def _wider(self) -> dict[str, frozenset[str]]:
        direct: dict[str, set[str]] = {}
        for entry in self.term:
            direct.setdefault(entry.term, set()).update(entry.narrower)
        closed: dict[str, frozenset[str]] = {}

        def walk(term: str, seen: frozenset[str]) -> frozenset[str]:
            if term in closed:
                return closed[term]
            found: set[str] = set()
            for child in direct.get(term, ()):
                if child not in seen:
                    found.add(child)
                    found |= walk(child, seen | {child})
            closed[term] = frozenset(found)
            return closed[term]

        for term in list(direct):
            walk(term, frozenset({term}))
        return closed

    def is_wider(self, wide: str, narrow: str) -> bool:
        """True when the lexicon says ``wide`` covers ``narrow`` (directly or through other terms)."""
        return narrow in self._wider.get(wide, frozenset())

    @cached_property
    def terms(self) -> tuple[str, ...]:
        """Every term the breadth table names, longest first."""
        names = {e.term for e in self.term} | {n for e in self.term for n in e.narrower}
        return tuple(sorted(names, key=lambda t: (-len(t), t)))

    @cached_property
    def terms_pattern(self) -> re.Pattern[str]:
        """One regular expression finding the terms of :attr:`terms` (plurals too)."""
        alternatives = [rf"{re.escape(t)}(?:s|es)?" for t in self.terms]
        return re.compile(r"(?<![\w-])(?:" + ("|".join(alternatives) or r"(?!x)x") + r")(?![\w-])")

    def _phrases(self, table: Iterable[Phrases], *, acts: bool | None = None) -> re.Pattern[str]:
        words = [w for entry in table if acts is None or entry.acts == acts for w in entry.words]
        return re.compile(rf"(?<![\w-])(?:{_alternation(words)})(?![\w-])")

    @cached_property
    def qualifiers(self) -> re.Pattern[str]:
        """Qualifiers that soften a duty ("to the extent practicable", "unnecessarily")."""
        return self._phrases(self.qualifier)

    @cached_property
    def act_qualifiers(self) -> re.Pattern[str]:
        """The qualifiers that soften an act ("unnecessarily restrict", "unjustified restrictions")."""
        return self._phrases(self.qualifier, acts=True)

    @cached_property
    def self_judging_markers(self) -> re.Pattern[str]:
        """Words that leave an exception's test to the invoking Party."""
        return self._phrases(self.self_judging)

    @cached_property
    def exception_notes(self) -> re.Pattern[str]:
        """Wording by which a note adds a condition to an exception."""
        return self._phrases(self.exception_note)

    @cached_property
    def purposes(self) -> re.Pattern[str]:
        """Wording that makes an "except ..." clause an exception."""
        return self._phrases(self.purpose)

    @cached_property
    def deferrals(self) -> tuple[re.Pattern[str], ...]:
        """Transition and deferral wording."""
        return tuple(re.compile(p.pattern) for p in self.deferral)

    @cached_property
    def deferral_sentences(self) -> tuple[re.Pattern[str], ...]:
        """Wording that makes a whole sentence a statement of when other provisions apply."""
        return tuple(re.compile(p.pattern) for p in self.deferral if p.sentence)

    @cached_property
    def function_word_set(self) -> frozenset[str]:
        """Words that carry no legal content in a comparison."""
        return frozenset(self.function_words)

    # ------------------------------------------------------------------ extension and docs

    def extended(self, other: Lexicon) -> Lexicon:
        """This lexicon with the entries of ``other`` added (``other`` first where both decide)."""
        data: dict[str, Any] = {}
        for name in (*_TABLES, "function_words", "origin"):
            data[name] = tuple(getattr(other, name)) + tuple(
                item for item in getattr(self, name) if item not in getattr(other, name)
            )
        return Lexicon(**data)

    def entries(self) -> Iterator[tuple[str, _Entry]]:
        """``(table, entry)`` for every entry, in file order."""
        for name in _TABLES:
            for entry in getattr(self, name):
                yield name, entry

    def to_markdown(self) -> str:
        """Every entry as a Markdown document (the lexicon page of the documentation)."""
        lines = [
            "# The drafting lexicon",
            "",
            "Generated from `tradeclauses/lexicon.toml` by `tradeclauses.lexicon().to_markdown()`;"
            " do not edit by hand. Every entry names the treaty text it comes from.",
            "",
        ]
        titles = {
            "equivalent": "Equivalent phrases (read as the first)",
            "rewrite": "Rewrites (forms that move words)",
            "act": "Acts an obligation covers",
            "permissive": "Permissive verbs (a duty to allow = a prohibition)",
            "term": "Terms and their breadth",
            "qualifier": "Qualifiers that soften a duty",
            "self_judging": "Self-judging markers",
            "deferral": "Deferral and transition wording",
            "exception_note": "Notes that add a condition to an exception",
            "purpose": "Purposes that make an 'except' clause an exception",
        }
        for name in _TABLES:
            entries = getattr(self, name)
            if not entries:
                continue
            lines += [f"## {titles[name]}", "", "| entry | source |", "|---|---|"]
            for entry in entries:
                lines.append(f"| {_describe(entry)} | {entry.source.replace('|', '/')} |")
            lines.append("")
        lines += ["## Function words", "", ", ".join(f"`{w}`" for w in self.function_words), ""]
        return "\n".join(lines)


def _describe(entry: _Entry) -> str:
    def code(words: Iterable[str]) -> str:
        return ", ".join(f"`{w}`" for w in words)

    if isinstance(entry, Equivalent):
        return f"{code(entry.words[1:])} → `{entry.words[0]}`"
    if isinstance(entry, Rewrite):
        return f"`{entry.pattern.replace('|', '/')}` → `{entry.replace}`"
    if isinstance(entry, Act):
        covers = f" (includes {code(entry.covers)})" if entry.covers else ""
        return f"**{entry.atom}**: {code(entry.verbs)}{covers}"
    if isinstance(entry, Permissive):
        return f"{code(entry.verbs)} = not **{entry.negates}**"
    if isinstance(entry, Term):
        return f"**{entry.term}** is wider than {code(entry.narrower)}"
    if isinstance(entry, Phrases):
        return code(entry.words) + (" (qualify the act)" if entry.acts else "")
    if isinstance(entry, Pattern):
        return f"`{entry.pattern.replace('|', '/')}`" + (" (a sentence of its own)" if entry.sentence else "")
    return ""


def _parse(data: dict[str, Any], origin: str) -> Lexicon:
    fields: dict[str, Any] = {"origin": (origin,)}
    for name, value in data.items():
        if name == "function_words":
            try:
                fields["function_words"] = _FunctionWords.model_validate(value).words
            except ValidationError as exc:
                raise LexiconError(f"{origin}: [function_words]: {exc.errors()[0]['msg']}") from None
            continue
        if name not in _TABLES:
            known = ", ".join(sorted((*_TABLES, "function_words")))
            raise LexiconError(f"{origin}: unknown table [[{name}]] (known: {known})")
        if not isinstance(value, list):
            raise LexiconError(f"{origin}: {name} must be an array of tables ([[{name}]])")
        entries = []
        for index, item in enumerate(value, 1):
            try:
                entry = _TABLES[name].model_validate(item)
            except ValidationError as exc:
                error = exc.errors()[0]
                where = ".".join(str(p) for p in error["loc"])
                raise LexiconError(f"{origin}: [[{name}]] entry {index}: {where}: {error['msg']}") from None
            pattern = getattr(entry, "pattern", None)
            if pattern is not None:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise LexiconError(f"{origin}: [[{name}]] entry {index}: bad pattern: {exc}") from None
            entries.append(entry)
        fields[name] = tuple(entries)
    return Lexicon(**fields)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon shipped with tradeclauses (read once, then shared).

    Examples:
        >>> sum(1 for _ in lexicon().entries()) > 50
        True
    """
    text = resources.files("tradeclauses").joinpath("lexicon.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text), "tradeclauses/lexicon.toml")


def load_lexicon(path: str | Path, *, extend: bool = True) -> Lexicon:
    """Read a lexicon file; by default its entries are added to the shipped ones.

    Args:
        path: a TOML file in the format of ``tradeclauses/lexicon.toml``.
        extend: add to the shipped lexicon (``True``) or use the file alone (``False``).

    Raises:
        LexiconError: the file is missing, not TOML, or holds an unknown table or a bad entry.

    Examples:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = pathlib.Path(tmp, "mine.toml")
        ...     _ = path.write_text('[[term]]\\nterm = "personal information"\\n'
        ...                         'narrower = ["health information"]\\nsource = "my FTA 3.2"\\n')
        ...     mine = load_lexicon(path)
        >>> mine.is_wider("information", "health information")
        True
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{file}: no such lexicon file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{file}: cannot read the lexicon: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{file}: not a valid TOML file: {exc}") from None
    own = _parse(data, str(file))
    return lexicon().extended(own) if extend else own


_ACTIVE: ContextVar[Lexicon | None] = ContextVar("tradeclauses_lexicon", default=None)


def active_lexicon() -> Lexicon:
    """The lexicon in force: the one set by :func:`using_lexicon`, else the shipped one."""
    return _ACTIVE.get() or lexicon()


@contextmanager
def using_lexicon(lex: Lexicon | None) -> Iterator[Lexicon]:
    """Read provisions with ``lex`` inside the ``with`` block (``None``: keep the one in force).

    Examples:
        >>> with using_lexicon(lexicon()) as lex:
        ...     lex.act_atom("permits")
        'allow:prohibit'
    """
    if lex is None:
        yield active_lexicon()
        return
    token = _ACTIVE.set(lex)
    try:
        yield lex
    finally:
        _ACTIVE.reset(token)
