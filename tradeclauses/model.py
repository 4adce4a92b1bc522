"""The clause model: Agreement → Chapter → Article → Paragraph → Subparagraph.

Every node is a frozen Pydantic v2 model with a ``kind`` tag and a stable id (see
:mod:`tradeclauses.ids`). Collections are tuples, so models are immutable and hashable.

Text fields hold the words of the treaty. Two inline marks may appear in them, and
nothing else: ``[^N]`` marks where footnote N is referenced, and ``[~K]`` marks where a
negotiating text offers alternatives (slot K; the alternatives are the provision's
``options``, see :class:`Option`). The ``text`` property of any node gives its words
(with those of its children) without the marks, alternatives shown in brackets.

Passages that the source does not hold are :class:`Gap` nodes, never text: an article
whose body is missing holds a single gap, and a paragraph cut short ends in a gap.
``Agreement.coverage`` reports which articles are complete, partial or missing.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> art = usmca["19.12"]
    >>> art
    Article('19.12', None, 1 paragraph)
    >>> art.text[:40]
    'No Party shall require a covered person '
    >>> usmca["19.11"].footnotes[0].num
    '5'
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal, Self, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, model_validator

from tradeclauses.errors import IncompleteTextWarning, NotInModelError, ProvisionNotFoundError, expect

__all__ = [
    "Agreement",
    "Article",
    "Block",
    "Chapter",
    "Coverage",
    "Definition",
    "Footnote",
    "Gap",
    "Node",
    "Option",
    "OptionChoice",
    "Paragraph",
    "Residue",
    "Subparagraph",
    "strip_marks",
]

FOOTNOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")
"""An inline footnote reference in a text field: ``[^5]``."""

OPTION_MARK = re.compile(r"\[~([^\]\s]+)\]")
"""An inline slot of bracketed alternatives in a text field: ``[~3]`` (see :class:`Option`)."""

_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:])(?=\s|$)")


@lru_cache(maxsize=32768)
def strip_marks(text: str) -> str:
    """Return ``text`` without inline footnote marks, whitespace collapsed.

    >>> strip_marks("the objective.[^5]")
    'the objective.'
    """
    return _SPACES.sub(" ", FOOTNOTE_MARK.sub("", text)).strip()


IDS_CHECKED = "tradeclauses.ids_checked"
"""Validation context key: the ids of this agreement were found unique when it was written."""


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def __str__(self) -> str:
        return repr(self)

    def replace(self, **changes: Any) -> Self:
        """Return a copy with ``changes`` applied, validated like a new node.

        >>> from tradeclauses.model import Footnote
        >>> Footnote(id="x/fn1", num="1", text="a").replace(text="b").text
        'b'
        """
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        return type(self).model_validate(data)


class Footnote(_Node):
    """A footnote: its number as printed, and its text."""

    kind: Literal["footnote"] = "footnote"
    id: str
    """Stable id, e.g. ``usmca/ch19/art19.11/fn5``."""
    num: str
    """The footnote number as printed in the source (``"5"``)."""
    text: str
    """The footnote's words."""
    gap: str | None = None
    """If the source breaks off inside the footnote: what is missing."""

    def __repr__(self) -> str:
        return f"Footnote({self.num!r}, {_short(self.text)!r})"


class Gap(_Node):
    """A passage that belongs here but is not in the source text (never filled in)."""

    kind: Literal["gap"] = "gap"
    id: str
    note: str
    """What is missing, as the source describes it."""

    @property
    def text(self) -> str:
        """A gap has no words."""
        return ""

    def __repr__(self) -> str:
        return f"Gap({_short(self.note)!r})"


class Option(_Node):
    """One alternative of a bracketed negotiating text (``[No Party shall][...]``).

    The provision's text holds a mark ``[~K]`` where the alternatives go; every option
    whose ``slot`` is ``K`` can fill it. A bracket that offers a single wording
    (``[accessing, processing or storing]``) has two options: that wording, and an
    empty one labelled ``"omit"``. A bracket that runs over several lines or
    provisions (``[Alt 1: ...]`` over a chapeau and its subparagraphs) is split into
    parts ``K.1``, ``K.2``, ... one per provision; choosing for ``K`` chooses for all
    of them. Option texts may hold marks of nested slots.

    Examples:
        >>> from tradeclauses.model import Paragraph
        >>> p = Paragraph(id="d/art1/para1", num="1", intro="[~1] require a covered person to ...",
        ...     options=(Option(slot="1", label="1", text="No Party shall", proponents=("US",)),
        ...              Option(slot="1", label="2", text="Parties shall endeavour not to")))
        >>> p.text
        '[No Party shall][Parties shall endeavour not to] require a covered person to ...'
        >>> p.resolve("US").text
        'No Party shall require a covered person to ...'
    """

    kind: Literal["option"] = "option"
    label: str
    """How the source names the option (``"1"``, ``"Alt 1"``), or its position."""
    text: str
    """The words of this alternative."""
    proponents: tuple[str, ...] = ()
    """Who proposes it, when named (``("US", "JP")``)."""
    slot: str = "1"
    """The ``[~slot]`` mark this option can fill (``"3"``, or ``"3.2"`` for part 2 of slot 3)."""
    opposed: tuple[str, ...] = ()
    """Who opposes it, when named (``[CH propose; CO oppose: ...]``)."""
    note: str | None = None
    """Other words of the source's tag (``"NO considering"``)."""

    @property
    def group(self) -> str:
        """The slot a choice is made for: ``"3"`` for parts ``"3.1"``, ``"3.2"``."""
        return self.slot.split(".", 1)[0]

    def __repr__(self) -> str:
        who = f", {'/'.join(self.proponents)}" if self.proponents else ""
        return f"Option({self.slot!r}, {self.label!r}, {_short(self.text)!r}{who})"


OptionChoice: TypeAlias = "str | int | Mapping[str, str | int]"
"""How to pick among alternatives: a label or a proponent (``"Alt 1"``, ``"US"``) for every
slot, a position (``0`` = first), or a mapping of slot to label or position."""


def _pick(group: str, options: list[Option], choice: str | int | Mapping[str, str | int], where: str) -> str:
    """The label chosen for ``group`` among ``options`` (all parts of one slot)."""
    labels = list(dict.fromkeys(o.label for o in options))
    wanted: str | int | None
    if isinstance(choice, Mapping):
        wanted = choice.get(group)
        if wanted is None:
            raise ProvisionNotFoundError(where, f"[~{group}]", f"no choice given for slot {group}; options: {labels}")
    else:
        wanted = choice
    if isinstance(wanted, int):
        if 0 <= wanted < len(labels):
            return labels[wanted]
        raise ProvisionNotFoundError(where, str(wanted), f"slot {group} has {len(labels)} options: {labels}")
    if wanted in labels:
        return wanted
    for o in options:
        if wanted in o.proponents:
            return o.label
    if not isinstance(choice, Mapping) and "omit" in labels:
        return "omit"
    raise ProvisionNotFoundError(where, wanted, f"slot {group} has options {labels}")


def _fill(text: str, chosen: Mapping[str, str], by_slot: Mapping[str, list[Option]]) -> str:
    """``text`` with every ``[~K]`` mark replaced by the chosen option's words (recursively)."""

    def repl(m: re.Match[str]) -> str:
        slot = m[1]
        label = chosen[slot.split(".", 1)[0]]
        for o in by_slot.get(slot, ()):
            if o.label == label:
                return _fill(o.text, chosen, by_slot)
        return ""

    if not OPTION_MARK.search(text):
        return text
    filled = _SPACES.sub(" ", OPTION_MARK.sub(repl, text)).strip()
    return _SPACE_BEFORE_STOP.sub(r"\1", filled)


def _show(text: str, by_slot: Mapping[str, list[Option]]) -> str:
    """``text`` with every ``[~K]`` mark shown as its alternatives in brackets."""

    def repl(m: re.Match[str]) -> str:
        return "".join(f"[{_show(o.text, by_slot)}]" for o in by_slot.get(m[1], ()) if o.text)

    return OPTION_MARK.sub(repl, text) if "[~" in text else text


class _Block(_Node):
    """Shared shape of paragraphs, subparagraphs and definitions."""

    id: str
    """Stable id, unique within the agreement."""
    num: str | None = None
    """The number label as printed (``"1"``, ``"4.1"``, ``"(a)"``), or ``None``."""
    heading: str | None = None
    """A heading printed with the provision, if any."""
    intro: str = ""
    """The provision's own words before any subparagraphs (its chapeau)."""
    children: tuple[Block, ...] = ()
    """Subparagraphs (and gaps) in order."""
    wrap_up: str = ""
    """Words after the subparagraphs that complete the sentence, if any."""
    options: tuple[Option, ...] = ()
    """Bracketed alternatives held by this provision (negotiating texts)."""

    @property
    def text(self) -> str:
        """The provision's words with its children's, footnote marks removed.

        Alternatives not yet chosen (negotiating texts) are shown in brackets:
        ``[No Party shall][Parties shall endeavour not to] require``.
        """
        by_slot = self._by_slot() if self.options else {}
        parts = [_show(self.intro, by_slot)]
        for child in self.children:
            if isinstance(child, Gap):
                continue
            label = f"{child.num} " if isinstance(child, Subparagraph) and child.num else ""
            parts.append(label + child.text)
        parts.append(_show(self.wrap_up, by_slot))
        return strip_marks(" ".join(p for p in parts if p))

    @property
    def footnote_refs(self) -> tuple[str, ...]:
        """Numbers of the footnotes referenced in this provision and its children."""
        refs = FOOTNOTE_MARK.findall(self.intro)
        for option in self.options:
            refs.extend(FOOTNOTE_MARK.findall(option.text))
        for child in self.children:
            if not isinstance(child, Gap):
                refs.extend(child.footnote_refs)
        refs.extend(FOOTNOTE_MARK.findall(self.wrap_up))
        return tuple(refs)

    def _by_slot(self) -> dict[str, list[Option]]:
        by_slot: dict[str, list[Option]] = {}
        for option in self.options:
            by_slot.setdefault(option.slot, []).append(option)
        return by_slot

    @property
    def slots(self) -> dict[str, tuple[Option, ...]]:
        """The alternatives held here and in the children: slot → its options (all parts).

        Empty for a settled text. Keys are the slots to choose for (``"3"``, never ``"3.2"``).
        """
        out: dict[str, list[Option]] = {}
        for block in self.walk():
            if not isinstance(block, Gap):
                for option in block.options:
                    out.setdefault(option.group, []).append(option)
        return {k: tuple(v) for k, v in out.items()}

    def resolve(self, choice: OptionChoice) -> Self:
        """This provision with one wording chosen in every slot: a plain provision.

        Args:
            choice: a label or proponent to pick in every slot (``"Alt 1"``, ``"US"``;
                where a bracket offers one wording and that is not it, the wording is
                left out), a position (``0`` for the first option of every slot), or a
                mapping of slot to label or position (``{"1": "Alt 2", "2": 0}``).

        Raises:
            ProvisionNotFoundError: a slot has no such option (the message lists them).
        """
        groups: dict[str, list[Option]] = {}
        for options in self.slots.values():
            for o in options:
                groups.setdefault(o.group, []).append(o)
        chosen = {g: _pick(g, opts, choice, self.id) for g, opts in groups.items()}
        return self._resolved(chosen)

    def _resolved(self, chosen: Mapping[str, str]) -> Self:
        if not self.options and not any(isinstance(c, _Block) and c.slots for c in self.children):
            return self
        by_slot = self._by_slot()
        kids = tuple(c if isinstance(c, Gap) else c._resolved(chosen) for c in self.children)
        return self.replace(
            intro=_fill(self.intro, chosen, by_slot),
            wrap_up=_fill(self.wrap_up, chosen, by_slot),
            children=kids,
            options=(),
        )

    def choices(self) -> Iterator[dict[str, str]]:
        """Every combination of choices that settles this provision, as slot → label.

        Nested slots are only chosen for where the option holding them is chosen.
        """
        slots = self.slots
        texts = [b.intro + " " + b.wrap_up for b in self.walk() if not isinstance(b, Gap)]
        top = list(dict.fromkeys(m.split(".", 1)[0] for t in texts for m in OPTION_MARK.findall(t)))

        def expand(pending: list[str], chosen: dict[str, str]) -> Iterator[dict[str, str]]:
            if not pending:
                yield dict(chosen)
                return
            group, rest = pending[0], pending[1:]
            options = slots.get(group, ())
            for label in dict.fromkeys(o.label for o in options):
                nested = [
                    m.split(".", 1)[0]
                    for o in options
                    if o.label == label
                    for m in OPTION_MARK.findall(o.text)
                ]
                more = [g for g in dict.fromkeys(nested) if g not in chosen and g not in rest and g != group]
                yield from expand(rest + more, {**chosen, group: label})

        yield from expand([g for g in top if g in slots], {})

    def readings(self) -> Iterator[Self]:
        """Every fully settled reading of this provision (one per combination of choices).

        Examples:
            >>> from tradeclauses.model import Option, Paragraph
            >>> p = Paragraph(id="d/art1/para1", intro="Each [~1] shall [~2] allow transfers.", options=(
            ...     Option(slot="1", label="1", text="Party"), Option(slot="1", label="2", text="Member"),
            ...     Option(slot="2", label="1", text="endeavour to"), Option(slot="2", label="omit", text="")))
            >>> [r.text for r in p.readings()]  # doctest: +NORMALIZE_WHITESPACE
            ['Each Party shall endeavour to allow transfers.', 'Each Party shall allow transfers.',
             'Each Member shall endeavour to allow transfers.', 'Each Member shall allow transfers.']
        """
        for chosen in self.choices():
            yield self._resolved(chosen)

    @property
    def complete(self) -> bool:
        """False if any part of this provision is a gap."""
        return all(not isinstance(c, Gap) and c.complete for c in self.children)

    def walk(self) -> Iterator[Block]:
        """Yield this provision and all its descendants, depth first."""
        yield self  # type: ignore[misc]
        for child in self.children:
            if isinstance(child, Gap):
                yield child
            else:
                yield from child.walk()

    def __repr__(self) -> str:
        label = self.num or getattr(self, "term", None) or "unnumbered"
        return f"{type(self).__name__}({label!r}, {_short(self.text)!r})"


class Subparagraph(_Block):
    """A lettered or roman item inside a paragraph: ``(a)``, ``(i)``, any depth."""

    kind: Literal["subparagraph"] = "subparagraph"


class Paragraph(_Block):
    """A numbered (``1.``, ``4.1``) or unnumbered paragraph of an article."""

    kind: Literal["paragraph"] = "paragraph"


class Definition(_Block):
    """A defined term and its definition, e.g. USMCA 19.1 *computing facility means ...*."""

    kind: Literal["definition"] = "definition"
    term: str
    """The defined term as printed, without quotes (``"covered person"``)."""


Block: TypeAlias = Annotated[Paragraph | Subparagraph | Definition | Gap, Field(discriminator="kind")]
"""Any node that can sit inside an article."""


class Article(_Node):
    """An article (or another numbered division at that level, e.g. an annex section)."""

    kind: Literal["article"] = "article"
    id: str
    num: str | None
    """Article number as printed, without the word "Article" (``"19.11"``)."""
    heading: str | None = None
    """The article's title, or ``None`` if the source has none."""
    label: str = "Article"
    """The word the source uses for this division (``"Article"``, ``"Section"``)."""
    section: str | None = None
    """The heading of the section grouping this article, if any (``"SECTION A ..."``)."""
    children: tuple[Block, ...] = ()
    """Paragraphs, definitions and gaps, in order."""
    footnotes: tuple[Footnote, ...] = ()
    """Footnotes referenced from this article."""
    heading_gap: str | None = None
    """If the title exists but is not in the source: what the source says of it."""
    heading_footnotes: tuple[str, ...] = ()
    """Numbers of footnotes referenced from the heading (``Article 14.8: ...[^5]``)."""
    notes: tuple[str, ...] = ()
    """Editorial notes about the source text (not treaty text)."""

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The article's paragraphs (numbered and unnumbered)."""
        return tuple(c for c in self.children if isinstance(c, Paragraph))

    @property
    def definitions(self) -> tuple[Definition, ...]:
        """Definitions given in this article, at any depth."""
        return tuple(b for b in self.walk() if isinstance(b, Definition))

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Every gap in the article, at any depth."""
        return tuple(b for b in self.walk() if isinstance(b, Gap))

    @property
    def status(self) -> Literal["complete", "partial", "missing"]:
        """``missing`` if no words of the body are in the source, ``partial`` if some are."""
        has_text = any(not isinstance(c, Gap) for c in self.children)
        if not has_text and self.children:
            return "missing"
        if self.gaps or any(f.gap for f in self.footnotes):
            return "partial"
        return "complete"

    @property
    def text(self) -> str:
        """The article's words (without heading, footnotes or marks)."""
        return " ".join(t for c in self.children if (t := c.text))

    def walk(self) -> Iterator[Block]:
        """Yield every block of the article, depth first."""
        for child in self.children:
            if isinstance(child, Gap):
                yield child
            else:
                yield from child.walk()

    def __getitem__(self, key: str) -> Block:
        """A paragraph by number (``art["2"]``), or any descendant by id suffix (``"para2/a"``)."""
        for block in self.walk():
            if block.id.endswith("/" + key) or (
                isinstance(block, Paragraph) and block.num is not None and block.num.rstrip(".") == key
            ):
                return block
        raise ProvisionNotFoundError(f"Article {self.num}", key)

    def __repr__(self) -> str:
        n = len(self.paragraphs)
        extra = "" if self.status == "complete" else f", {self.status}"
        return f"Article({self.num!r}, {self.heading!r}, {n} paragraph{'s' if n != 1 else ''}{extra})"

    def _repr_html_(self) -> str:
        return _article_html(self)


class Chapter(_Node):
    """A chapter, annex, preamble or the unnumbered body of an agreement."""

    kind: Literal["chapter"] = "chapter"
    id: str
    num: str | None = None
    """Chapter number as printed (``"19"``), or ``None``."""
    heading: str | None = None
    """The chapter's title (``"Digital Trade"``)."""
    label: str = "Chapter"
    """``"Chapter"``, ``"Annex"``, ``"Preamble"``, ``"Part"`` or ``"Body"``."""
    articles: tuple[Article, ...] = ()
    gaps: tuple[Gap, ...] = ()
    """Parts of the chapter known to be missing outside any article (e.g. an annex)."""

    def __repr__(self) -> str:
        return f"Chapter({self.num!r}, {self.heading!r}, {len(self.articles)} articles)"


class Residue(_Node):
    """Input text that is not treaty body text: what was set aside, where, and why."""

    kind: Literal["residue"] = "residue"
    line: int | None
    """1-based line of the input where it stood, if the input has lines."""
    text: str
    reason: str
    """Why it was set aside (``"page header/footer"``, ``"not recognised"``)."""


class Coverage(_Node):
    """Which articles an agreement's text holds completely, partly, or not at all."""

    kind: Literal["coverage"] = "coverage"
    agreement: str
    complete: tuple[str, ...]
    """Article numbers whose text is complete."""
    partial: tuple[str, ...]
    """Article numbers of which only part of the text is held."""
    missing: tuple[str, ...]
    """Article numbers known to exist but with no text here."""
    gaps: tuple[tuple[str, str], ...]
    """Every gap, as ``(node id, what is missing)``."""

    @property
    def held(self) -> tuple[str, ...]:
        """Articles with at least some text."""
        return self.complete + self.partial

    @property
    def share(self) -> float:
        """Share of known articles whose text is complete (0-1)."""
        total = len(self.complete) + len(self.partial) + len(self.missing)
        return len(self.complete) / total if total else 1.0

    def __str__(self) -> str:
        lines = [
            f"{self.agreement}: {len(self.complete)} complete, {len(self.partial)} partial, "
            f"{len(self.missing)} missing",
            f"  complete: {', '.join(self.complete) or '-'}",
            f"  partial:  {', '.join(self.partial) or '-'}",
            f"  missing:  {', '.join(self.missing) or '-'}",
        ]
        return "\n".join(lines)


class Agreement(_Node):
    """A trade agreement (or one chapter of one), with its metadata and text.

    Index it by article number (``agreement["19.11"]``) or by node id; iterate over it
    to get its articles.
    """

    kind: Literal["agreement"] = "agreement"
    id: str
    """Short, stable id used as the first segment of every node id (``"usmca"``)."""
    title: str
    short_name: str | None = None
    parties: tuple[str, ...] = ()
    """Parties, as ISO 3166 alpha-3 codes where known, else as named in the source."""
    date_signed: date | None = None
    date_in_force: date | None = None
    version: str | None = None
    """A version label (``"2018 signed text"``, ``"draft v3"``)."""
    language: str | None = None
    sources: tuple[str, ...] = ()
    """Where the text came from (URLs, file paths, citations)."""
    notes: tuple[str, ...] = ()
    """Editorial notes on the text as a whole."""
    metadata: tuple[tuple[str, str], ...] = ()
    """Other metadata as ``(key, value)`` pairs, in source order."""
    chapters: tuple[Chapter, ...] = ()
    unparsed: tuple[Residue, ...] = ()
    """Body text the reader could not place in the structure (reported, never dropped)."""
    removed: tuple[Residue, ...] = ()
    """Page furniture set aside on purpose (running headers, page numbers)."""

    @model_validator(mode="after")
    def _ids_unique(self, info: ValidationInfo) -> Self:
        if info.context is not None and info.context.get(IDS_CHECKED):
            return self  # read back from the parsed-corpus cache, checked when it was stored
        seen: set[str] = set()
        for node_id in self._all_ids():
            if node_id in seen:
                msg = f"duplicate node id {node_id!r}"
                raise ValueError(msg)
            seen.add(node_id)
        return self

    def _all_ids(self) -> Iterator[str]:
        for ch in self.chapters:
            yield ch.id
            yield from (g.id for g in ch.gaps)
            for art in ch.articles:
                yield art.id
                yield from (b.id for b in art.walk())
                yield from (f.id for f in art.footnotes)

    @property
    def articles(self) -> tuple[Article, ...]:
        """All articles, in document order."""
        return tuple(a for ch in self.chapters for a in ch.articles)

    def __iter__(self) -> Iterator[Article]:  # type: ignore[override]
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    @property
    def footnotes(self) -> tuple[Footnote, ...]:
        """Every footnote, in document order."""
        return tuple(f for a in self.articles for f in a.footnotes)

    @property
    def definitions(self) -> tuple[Definition, ...]:
        """Every definition, in document order."""
        return tuple(d for a in self.articles for d in a.definitions)

    @property
    def coverage(self) -> Coverage:
        """Which articles this text holds completely, partly, or not at all."""
        status: dict[str, list[str]] = {"complete": [], "partial": [], "missing": []}
        gaps: list[tuple[str, str]] = []
        for ch in self.chapters:
            gaps.extend((g.id, g.note) for g in ch.gaps)
            for art in ch.articles:
                status[art.status].append(art.num or art.id)
                gaps.extend((g.id, g.note) for g in art.gaps)
                gaps.extend((f.id, f.gap) for f in art.footnotes if f.gap)
        return Coverage(
            agreement=self.id,
            complete=tuple(status["complete"]),
            partial=tuple(status["partial"]),
            missing=tuple(status["missing"]),
            gaps=tuple(gaps),
        )

    def article(self, num: str) -> Article:
        """The article numbered ``num``, whatever its status (no error for missing text)."""
        expect(num, str, "an article number (str), e.g. '19.11'")
        key = num.removeprefix("Article").strip()
        for art in self.articles:
            if art.num == key:
                return art
        hint = f"articles run {self.articles[0].num} to {self.articles[-1].num}" if self.articles else ""
        raise ProvisionNotFoundError(self.id, num, hint)

    def select(self, *, chapter: str | int | None = None, articles: Iterable[str] | None = None) -> Agreement:
        """The same agreement holding only one chapter, or only some articles (ids unchanged).

        Useful to score or diff one chapter of a whole agreement (TPP Chapter 14, the
        electronic-commerce articles of a services chapter).

        Args:
            chapter: a chapter number as printed (``"14"``, ``"FIFTEEN"``), its id, an arabic number
                for one printed in words or roman numerals (``15``), or words of its heading
                (``"electronic commerce"``).
            articles: article numbers to keep (``["7.48", "7.49", "7.50"]``).

        Raises:
            ProvisionNotFoundError: no such chapter, or an article that is not there.

        Examples:
            >>> import tradeclauses as tc
            >>> tc.load("usmca").select(articles=["19.11", "19.12"])
            Agreement('usmca', 2 articles)
        """
        chapters = self.chapters
        if chapter is not None:
            chapters = tuple(c for c in chapters if chapter in (c.num, c.id))
            if not chapters:  # an arabic number for one printed in words, or words of the heading
                from tradeclauses.parts import find_chapter  # noqa: PLC0415 - parts builds on the model

                chapters = (find_chapter(self, chapter),)
        if articles is not None:
            wanted = [a.removeprefix("Article").strip() for a in articles]
            present = {a.num for c in chapters for a in c.articles}
            for num in wanted:
                if num not in present:
                    raise ProvisionNotFoundError(self.id, num)
            keep = set(wanted)
            chapters = tuple(
                c.replace(articles=tuple(a for a in c.articles if a.num in keep))
                for c in chapters
                if any(a.num in keep for a in c.articles)
            )
        return self.replace(chapters=chapters)

    def node(self, node_id: str) -> Article | Block | Footnote | Chapter:
        """Any node by its full id."""
        expect(node_id, str, "a node id (str), e.g. 'usmca/ch19/art19.11/para1'")
        for ch in self.chapters:
            if ch.id == node_id:
                return ch
            for art in ch.articles:
                if art.id == node_id:
                    return art
                if node_id.startswith(art.id + "/"):
                    for b in art.walk():
                        if b.id == node_id:
                            return b
                    for f in art.footnotes:
                        if f.id == node_id:
                            return f
        raise ProvisionNotFoundError(self.id, node_id)

    def __getitem__(self, key: str) -> Article:
        """The article numbered ``key`` (``"19.11"``).

        Raises :class:`~tradeclauses.errors.NotInModelError` if the article is known but
        its text is not in this source, and warns (:class:`IncompleteTextWarning`) if its
        text is only partly there.
        """
        expect(key, str, "an article number (str), e.g. '19.11'")
        art = self.article(key) if "/" not in key else self.node(key)
        if not isinstance(art, Article):
            raise ProvisionNotFoundError(self.id, key, "use .node(id) for paragraphs")
        if art.status == "missing":
            raise NotInModelError(self.id, key, self._how_to_supply())
        if art.status == "partial":
            held = ", ".join(b.num or b.id.rsplit("/", 1)[-1] for b in art.paragraphs) or "part of the text"
            warnings.warn(
                f"Article {art.num} of {self.id} is only partly in this text (held: {held}); "
                f"{self._how_to_supply()}",
                IncompleteTextWarning,
                stacklevel=2,
            )
        return art

    def _how_to_supply(self) -> str:
        return (
            f"to use the complete official text, run tc.register({self.id!r}, PATH) "
            f"or `tradeclauses models add {self.id} PATH` with the published text (PDF, Word, HTML or text)"
        )

    def __repr__(self) -> str:
        cov = self.coverage
        extra = f", {len(cov.partial)} partial, {len(cov.missing)} missing" if cov.partial or cov.missing else ""
        return f"Agreement({self.id!r}, {len(self.articles)} articles{extra})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(a.num or '')}</td><td>{html.escape(a.heading or '')}</td>"
            f"<td>{len(a.paragraphs)}</td><td>{a.status}</td></tr>"
            for a in self.articles
        )
        return (
            f"<p><b>{html.escape(self.title)}</b> ({html.escape(self.id)})</p>"
            f"<table><tr><th>Article</th><th>Heading</th><th>Paragraphs</th><th>Text</th></tr>{rows}</table>"
        )


Node: TypeAlias = Annotated[
    Agreement | Chapter | Article | Paragraph | Subparagraph | Definition | Footnote | Gap,
    Field(discriminator="kind"),
]
"""Any node of the clause model."""

AgreementAdapter: TypeAdapter[Agreement] = TypeAdapter(Agreement)
"""Validates and serialises agreements (JSON in, JSON out)."""


def _short(text: str, width: int = 48) -> str:
    text = strip_marks(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _article_html(art: Article) -> str:
    def block(b: Block) -> str:
        if isinstance(b, Gap):
            return f"<li><i>[not in this text: {html.escape(b.note)}]</i></li>"
        label = html.escape(b.num or (b.term if isinstance(b, Definition) else ""))
        kids = "".join(block(c) for c in b.children)
        inner = f"<ul>{kids}</ul>" if kids else ""
        intro, wrap = html.escape(strip_marks(b.intro)), html.escape(strip_marks(b.wrap_up))
        return f"<li><b>{label}</b> {intro}{inner} {wrap}</li>"

    body = "".join(block(b) for b in art.children)
    notes = "".join(f"<li><sup>{html.escape(f.num)}</sup> {html.escape(f.text)}</li>" for f in art.footnotes)
    fn = f"<ol style='list-style:none'>{notes}</ol>" if notes else ""
    title = f"{html.escape(art.label)} {html.escape(art.num or '')}: {html.escape(art.heading or '')}"
    return f"<h4>{title}</h4><ul>{body}</ul>{fn}"


for _cls in (Subparagraph, Paragraph, Definition, Article, Chapter, Agreement):
    _cls.model_rebuild()
