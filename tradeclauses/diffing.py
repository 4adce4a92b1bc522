"""Diff two versions of an agreement: structure, word-level redline, and what matters legally.

``tc.diff(old, new)`` answers the questions negotiators ask between two rounds, or of
a new agreement against its template:

1. **Structure.** Which articles (and, inside them, which paragraphs, footnotes and
   bracketed alternatives) correspond. Articles whose normalised words are identical
   are paired first by hashing (fast, and exact for renumbered or reordered texts);
   the rest are aligned by :func:`tradeclauses.alignment.align`. Each change has one or
   more :class:`DiffKind`\\ s: ``ADDED``, ``REMOVED``, ``MODIFIED``, ``MOVED`` (same
   text, new place), ``RENUMBERED``, ``SPLIT``, ``MERGED``, and ``NOT_COMPARABLE``
   for provisions whose words one side does not hold (the shipped USMCA text is
   partial: its missing articles are never reported as removed or added).
2. **Redline.** For every changed provision, the words inserted and deleted
   (:class:`Segment`), insensitive to whitespace, hyphenation at line ends, case,
   quotes, footnote markers and British/American spelling. Footnotes are compared
   as footnotes, not as part of the body text.
3. **Legal significance.** The findings of :mod:`tradeclauses.analysis` (an obligation
   weakened or strengthened, scope narrowed, an exception added, removed or made
   self-judging, a definition changed), with the words quoted from both texts. A
   change is *substantive* when it carries such a finding or adds or removes a whole
   article; *cosmetic* when no word changed (renumbered, moved).

``diff(a, b).apply(a)`` rebuilds ``b`` (word for word), and ``diff(a, b).mirror``
equals ``diff(b, a)``.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> len(diff(usmca, usmca))
    0
    >>> new = tc.parse('''Article 8.2: Location of Computing Facilities
    ... 1. No Party shall require a covered person to use or locate computing facilities in that
    ... Party's territory as a condition for conducting business in that territory.
    ... Article 8.1: Cross-Border Transfer of Information
    ... 1. Each Party shall endeavour not to prohibit or restrict the cross-border transfer of information,
    ... including personal information, by electronic means if this activity is for the conduct of the
    ... business of a covered person.''')
    >>> d = diff(usmca.select(articles=["19.11", "19.12"]), new)
    >>> change = d.article("19.11")
    >>> [k.value for k in change.kinds], change.new_nums
    (['MODIFIED', 'RENUMBERED'], ('8.1',))
    >>> [f.flag.value for f in change.findings][:1]
    ['WEAKENED_OBLIGATION']
    >>> [k.value for k in d.article("19.12").kinds]  # same words, new number, new place
    ['MOVED', 'RENUMBERED']
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Self

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from tradeclauses._docs import FrozenModel
from tradeclauses._lsap import linear_sum_assignment
from tradeclauses.alignment import Match, align, align_blocks
from tradeclauses.analysis import Finding, Flag, analyse, compare_texts
from tradeclauses.catalog import resolve_agreement
from tradeclauses.errors import MissingDependencyError, ProvisionNotFoundError, TradeClausesError
from tradeclauses.gaps import stops_at_gap
from tradeclauses.lexicon import Lexicon, using_lexicon
from tradeclauses.model import (
    Agreement,
    Article,
    Block,
    Chapter,
    Definition,
    Footnote,
    Gap,
    Option,
    Paragraph,
    Subparagraph,
)
from tradeclauses.normalize import cut_like, normalize, tidy

__all__ = [
    "AgreementDiff",
    "Change",
    "ChapterRef",
    "DiffKind",
    "Segment",
    "diff",
    "redline",
]

Level = Literal["article", "paragraph", "footnote", "alternative"]


class DiffKind(StrEnum):
    """What happened to a provision between the old and the new version (values equal names).

    Examples:
        >>> DiffKind.RENUMBERED.cosmetic, DiffKind.MODIFIED.cosmetic
        (True, False)
        >>> DiffKind.ADDED.mirror
        <DiffKind.REMOVED: 'REMOVED'>
    """

    ADDED = "ADDED"
    REMOVED = "REMOVED"
    MODIFIED = "MODIFIED"
    MOVED = "MOVED"
    RENUMBERED = "RENUMBERED"
    SPLIT = "SPLIT"
    MERGED = "MERGED"
    NOT_COMPARABLE = "NOT_COMPARABLE"

    @property
    def cosmetic(self) -> bool:
        """True for kinds that change no word (``MOVED``, ``RENUMBERED``)."""
        return self in (DiffKind.MOVED, DiffKind.RENUMBERED)

    @property
    def mirror(self) -> DiffKind:
        """The kind seen from the other side (``ADDED`` ↔ ``REMOVED``, ``SPLIT`` ↔ ``MERGED``)."""
        return _MIRROR_KIND.get(self, self)

    @property
    def description(self) -> str:
        """One line saying what the kind means."""
        return _KIND_DESCRIPTION[self]


_MIRROR_KIND = {
    DiffKind.ADDED: DiffKind.REMOVED,
    DiffKind.REMOVED: DiffKind.ADDED,
    DiffKind.SPLIT: DiffKind.MERGED,
    DiffKind.MERGED: DiffKind.SPLIT,
}
_KIND_DESCRIPTION = {
    DiffKind.ADDED: "in the new version only",
    DiffKind.REMOVED: "in the old version only",
    DiffKind.MODIFIED: "words changed",
    DiffKind.MOVED: "in a different place among its neighbours",
    DiffKind.RENUMBERED: "a different number",
    DiffKind.SPLIT: "one old provision became several",
    DiffKind.MERGED: "several old provisions became one",
    DiffKind.NOT_COMPARABLE: "the words of one side are not in the text loaded (e.g. the partial shipped USMCA)",
}
_BODY_KINDS = frozenset({DiffKind.ADDED, DiffKind.REMOVED, DiffKind.MODIFIED, DiffKind.SPLIT, DiffKind.MERGED})
_KIND_ORDER = {k: i for i, k in enumerate(DiffKind)}


class _Frozen(FrozenModel):
    def replace(self, **changes: object) -> Self:
        """A copy with ``changes`` applied, validated like a new object."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        return type(self).model_validate(data)


class Segment(_Frozen):
    """A run of words of a redline: kept, inserted or deleted.

    Examples:
        >>> [str(s) for s in redline("Each Party shall allow", "No Party shall prohibit")]
        ['[-Each-]', '{+No+}', 'Party shall', '[-allow-]', '{+prohibit+}']
    """

    op: Literal["equal", "insert", "delete"]
    """``equal`` (in both), ``insert`` (new only) or ``delete`` (old only)."""
    text: str
    """The words as written: the new version's for ``equal`` and ``insert``, the old one's for ``delete``."""
    old_text: str | None = None
    """For ``equal``: the old version's words when written differently (spelling, case, quotes)."""

    @property
    def new_side(self) -> str:
        """The words this segment contributes to the new text."""
        return "" if self.op == "delete" else self.text

    @property
    def old_side(self) -> str:
        """The words this segment contributes to the old text."""
        if self.op == "insert":
            return ""
        return self.old_text if self.op == "equal" and self.old_text is not None else self.text

    def swapped(self) -> Segment:
        """The segment seen from the other side (insertions become deletions)."""
        if self.op == "insert":
            return Segment(op="delete", text=self.text)
        if self.op == "delete":
            return Segment(op="insert", text=self.text)
        if self.old_text is None:
            return self
        return Segment(op="equal", text=self.old_text, old_text=self.text)

    def __str__(self) -> str:
        if self.op == "insert":
            return f"{{+{self.text}+}}"
        if self.op == "delete":
            return f"[-{self.text}-]"
        return self.text


class Change(_Frozen):
    """One provision (or group of provisions) and how it changed between the two versions.

    An entry with no :attr:`kinds` is unchanged; :attr:`AgreementDiff.entries` keeps
    those too (they are what :meth:`AgreementDiff.apply` copies), :attr:`AgreementDiff.changes`
    does not.
    """

    level: Level
    """``article``, ``paragraph`` (top-level blocks of an article: paragraphs, definitions),
    ``footnote`` or ``alternative`` (one option of a bracketed negotiating text)."""
    kinds: tuple[DiffKind, ...] = ()
    """What happened, most telling first (empty: unchanged)."""
    old: tuple[str, ...] = ()
    """Ids in the old version (two or more: merged; empty: added)."""
    new: tuple[str, ...] = ()
    """Ids in the new version (two or more: split; empty: removed)."""
    old_nums: tuple[str, ...] = ()
    """Numbers as printed in the old version."""
    new_nums: tuple[str, ...] = ()
    """Numbers as printed in the new version."""
    old_headings: tuple[str | None, ...] = ()
    """Articles: their headings in the old version (``None``: none given)."""
    new_headings: tuple[str | None, ...] = ()
    """The article's heading in the new version."""
    old_label: str | None = None
    """``alternative``: the option's label in the old version (``"Alt 1"``)."""
    new_label: str | None = None
    """``alternative``: the option's label in the new version."""
    old_slot: str | None = None
    """``alternative``: the slot (``tc.slots`` key) in the old version."""
    new_slot: str | None = None
    """``alternative``: the slot in the new version."""
    old_pos: int | None = None
    """Position in the old version (articles: among all articles; others: inside the article)."""
    new_pos: int | None = None
    """Position in the new version (same conventions)."""
    old_article: str | None = None
    """Paragraphs, footnotes, alternatives: the id of the old article holding it."""
    new_article: str | None = None
    """Paragraphs, footnotes, alternatives: the id of the new article holding it."""
    redline: tuple[Segment, ...] = ()
    """The words kept, deleted and inserted (empty: written exactly alike)."""
    old_parts: tuple[int, ...] = ()
    """Merged provisions: how many old words each part has (the redline's old side, in order)."""
    new_parts: tuple[int, ...] = ()
    """Split provisions: how many new words each part has."""
    old_places: tuple[int, ...] = ()
    """Merged provisions: the position of each old part (see :attr:`old_pos`)."""
    new_places: tuple[int, ...] = ()
    """Split provisions: the position of each new part."""
    findings: tuple[Finding, ...] = ()
    """What changed in law, with the words quoted from both texts (:mod:`tradeclauses.analysis`)."""
    old_texts: tuple[str, ...] = ()
    """Articles: the old provisions the legal comparison read (paragraphs, then footnotes)."""
    new_texts: tuple[str, ...] = ()
    """Articles: the new provisions the legal comparison read."""
    note: str = ""
    """Why a provision is not comparable, or what it was compared on."""

    @property
    def old_heading(self) -> str | None:
        """The (first) old article's heading."""
        return self.old_headings[0] if self.old_headings else None

    @property
    def new_heading(self) -> str | None:
        """The (first) new article's heading."""
        return self.new_headings[0] if self.new_headings else None

    @property
    def kind(self) -> DiffKind | None:
        """The most telling kind (``None``: unchanged)."""
        return self.kinds[0] if self.kinds else None

    @property
    def changed(self) -> bool:
        """True when anything happened to the provision."""
        return bool(self.kinds)

    @property
    def substantive(self) -> bool:
        """True when the change carries a legal finding, or adds or removes a whole article."""
        if any(f.substantive for f in self.findings):
            return True
        return self.level == "article" and bool({DiffKind.ADDED, DiffKind.REMOVED} & set(self.kinds))

    @property
    def cosmetic(self) -> bool:
        """True when no word changed (only renumbered or moved)."""
        return bool(self.kinds) and all(k.cosmetic for k in self.kinds)

    @property
    def old_text(self) -> str:
        """The old words of the redline."""
        return _side(self.redline, old=True)

    @property
    def new_text(self) -> str:
        """The new words of the redline."""
        return _side(self.redline, old=False)

    @property
    def title(self) -> str:
        """``14.11 → 19.11``, ``para 1 → para 2``, ``fn 5``: what the change is about."""
        prefix = {"article": "", "paragraph": "¶ ", "footnote": "fn ", "alternative": "option "}[self.level]
        if self.level == "alternative":
            left = f"{self.old_slot}/{self.old_label}" if self.old_slot else "—"
            right = f"{self.new_slot}/{self.new_label}" if self.new_slot else "—"
        else:
            left = "+".join(self.old_nums) or ("—" if not self.old else "(unnumbered)")
            right = "+".join(self.new_nums) or ("—" if not self.new else "(unnumbered)")
        return f"{prefix}{left}" if left == right else f"{prefix}{left} → {right}"

    def swapped(self) -> Change:
        """The change seen from the other side, without findings (recomputed by :attr:`AgreementDiff.mirror`)."""
        return Change(
            level=self.level,
            kinds=_sorted_kinds(k.mirror for k in self.kinds),
            old=self.new,
            new=self.old,
            old_nums=self.new_nums,
            new_nums=self.old_nums,
            old_headings=self.new_headings,
            new_headings=self.old_headings,
            old_label=self.new_label,
            new_label=self.old_label,
            old_slot=self.new_slot,
            new_slot=self.old_slot,
            old_pos=self.new_pos,
            new_pos=self.old_pos,
            old_article=self.new_article,
            new_article=self.old_article,
            redline=_swap_redline(self.redline),
            old_parts=self.new_parts,
            new_parts=self.old_parts,
            old_places=self.new_places,
            new_places=self.old_places,
            old_texts=self.new_texts,
            new_texts=self.old_texts,
            note=self.note,
        )

    def __str__(self) -> str:
        kinds = ", ".join(k.value for k in self.kinds) or "unchanged"
        return f"{self.title}: {kinds}"


class ChapterRef(_Frozen):
    """A chapter of one version: enough to rebuild its place (:meth:`AgreementDiff.apply`)."""

    id: str
    num: str | None = None
    heading: str | None = None
    label: str = "Chapter"
    articles: tuple[str, ...] = ()
    """Ids of its articles, in order."""


class AgreementDiff(_Frozen):
    """The differences between two versions of an agreement, change by change.

    Read :meth:`summary` first (counts by kind, then the substantive changes by
    article), then ``print(d)`` for the full redline; ``d.to_markdown()``,
    ``d.to_html()`` (standalone redline page) and ``d.model_dump_json()`` for files.
    """

    old_id: str
    """Id of the old version."""
    new_id: str
    """Id of the new version."""
    old_title: str
    """Short name or title of the old version."""
    new_title: str
    """Short name or title of the new version."""
    entries: tuple[Change, ...]
    """Every correspondence, changed or not, in reading order: each article, then its
    paragraphs (each followed by its alternatives), then its footnotes; removed
    provisions stand after their old neighbour."""
    old_chapters: tuple[ChapterRef, ...] = ()
    """The old version's chapters and their articles."""
    new_chapters: tuple[ChapterRef, ...] = ()
    """The new version's chapters and their articles."""
    substantive_only: bool = False
    """True when :attr:`changes` keeps only substantive changes (``diff(..., substantive_only=True)``)."""

    @property
    def changes(self) -> tuple[Change, ...]:
        """The changes a reader sees, in reading order.

        Paragraphs and footnotes of articles added, removed or not comparable as a whole
        are not repeated; with :attr:`substantive_only`, only substantive changes (and the
        paragraphs that carry their findings) are kept.
        """
        whole = {i for e in self.entries if e.level == "article" and _whole(e) for i in (*e.old, *e.new)}
        out = []
        for e in self.entries:
            if not e.kinds:
                continue
            if e.level != "article" and (e.old_article in whole or e.new_article in whole):
                continue
            if self.substantive_only and not e.substantive:
                continue
            out.append(e)
        return tuple(out)

    @property
    def substantive(self) -> AgreementDiff:
        """The same diff showing substantive changes only."""
        return _remember(self.replace(substantive_only=True), *_SOURCES.get(id(self), (None, None)))

    @property
    def identical(self) -> bool:
        """True when nothing changed (cosmetic differences of layout and spelling aside)."""
        return not any(e.kinds for e in self.entries)

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[Change]:  # type: ignore[override]
        return iter(self.changes)

    def counts(self, level: Level | None = "article") -> dict[str, int]:
        """How many changes of each kind (at one level, or all levels with ``None``).

        A change counts once under each of its kinds (renumbered and modified: both).
        """
        found: Counter[DiffKind] = Counter()
        for e in self.changes:
            if level is None or e.level == level:
                found.update(e.kinds)
        return {k.value: found[k] for k in sorted(found, key=_KIND_ORDER.__getitem__)}

    def article(self, num: str) -> Change:
        """The article-level change holding article ``num`` (or id) of either version.

        Raises:
            ProvisionNotFoundError: neither version has such an article.
        """
        for e in self.entries:
            if e.level == "article" and (num in e.old_nums or num in e.old or num in e.new_nums or num in e.new):
                return e
        raise ProvisionNotFoundError(f"{self.old_id} / {self.new_id}", num)

    def children(self, change: Change) -> tuple[Change, ...]:
        """The paragraph, alternative and footnote entries of an article-level change."""
        ids = {*change.old, *change.new}
        return tuple(e for e in self.entries if e.level != "article" and (e.old_article in ids or e.new_article in ids))

    def findings(self) -> Iterator[Finding]:
        """Every legal finding, article by article."""
        for e in self.entries:
            if e.level == "article":
                yield from e.findings

    @property
    def mirror(self) -> AgreementDiff:
        """The same differences seen from the other side: equal to ``diff(new, old)``."""
        entries = [e.swapped() for e in self.entries]
        old, new = _SOURCES.get(id(self), (None, None))
        return _remember(_finish(
            entries,
            old_id=self.new_id,
            new_id=self.old_id,
            old_title=self.new_title,
            new_title=self.old_title,
            old_chapters=self.new_chapters,
            new_chapters=self.old_chapters,
            substantive_only=self.substantive_only,
        ), new, old)

    def apply(self, old: Agreement) -> Agreement:
        """Apply the diff's operations to ``old``: the new version (same words, numbers, headings).

        Provisions left unchanged are copied from ``old`` with the new ids; changed ones
        are rebuilt from their redline (as single paragraphs, words as written).

        Raises:
            ProvisionNotFoundError: ``old`` lacks a provision the diff names.
        """
        return _apply(self, old)

    def summary(self) -> str:
        """What a reader reads first: counts by kind, then the substantive changes by article."""
        from tradeclauses.render.diff import summary  # noqa: PLC0415 - renderers import this module

        return summary(self)

    def __str__(self) -> str:
        from tradeclauses.render.diff import to_text  # noqa: PLC0415

        return to_text(self, colour=False)

    def to_text(self, *, colour: bool | None = None) -> str:
        """The summary and the full redline for a terminal (colours when ``colour`` or a TTY)."""
        from tradeclauses.render.diff import to_text  # noqa: PLC0415

        return to_text(self, colour=colour)

    def to_markdown(self) -> str:
        """The diff as a Markdown report (insertions in bold, deletions struck through)."""
        from tradeclauses.render.diff import to_markdown  # noqa: PLC0415

        return to_markdown(self)

    def to_html(self, *, view: Literal["inline", "side-by-side"] = "inline", when: datetime | None = None) -> str:
        """A standalone HTML comparison document (see :func:`tradeclauses.render.diff.to_html`).

        ``when`` is the time the header gives for the comparison (default: now).
        """
        from tradeclauses.render.diff import to_html  # noqa: PLC0415

        return to_html(self, view=view, when=when)

    def _repr_html_(self) -> str:
        from tradeclauses.render.diff import notebook_html  # noqa: PLC0415

        return notebook_html(self)

    def to_frame(self) -> Any:
        """One row per change (:attr:`changes`): level, kinds, old and new numbers, flags, old and new text.

        Needs ``pip install 'tradeclauses[pandas]'``.
        """
        try:
            import pandas as pd  # noqa: PLC0415
        except ImportError as exc:
            raise MissingDependencyError("AgreementDiff.to_frame()", "pandas") from exc
        from tradeclauses.render.tables import DIFF_COLUMNS, diff_records  # noqa: PLC0415

        return pd.DataFrame.from_records(diff_records(self), columns=list(DIFF_COLUMNS))

    def to_csv(self, path: str | Path | None = None) -> str:
        """The table of :meth:`to_frame` as CSV text (also written to ``path`` when given); no pandas needed.

        Examples:
            >>> import tradeclauses as tc
            >>> usmca = tc.load("usmca")
            >>> text = diff(usmca.select(articles=["19.11", "19.12"]), usmca.select(articles=["19.12"])).to_csv()
            >>> print("\\n".join(line[:30] for line in text.splitlines()))
            level,kinds,old_num,new_num,ol
            article,REMOVED,19.11,,Cross-B
        """
        from tradeclauses.render.tables import DIFF_COLUMNS, diff_records, to_csv  # noqa: PLC0415

        return to_csv(diff_records(self), DIFF_COLUMNS, path)

    def to_excel(self, path: str | Path) -> None:
        """An ``.xlsx`` workbook: a "Changes" sheet (as :meth:`to_csv`) and a "Findings" sheet.

        Needs ``pip install 'tradeclauses[excel]'`` (openpyxl).
        """
        from tradeclauses.render import tables  # noqa: PLC0415

        findings = tables.diff_findings(self)
        tables.to_excel(
            {
                "Changes": (tables.DIFF_COLUMNS, tables.diff_records(self)),
                "Findings": (tables.columns_of(findings, ("old_num", "new_num", "flag")), findings),
            },
            path,
        )

    def to_docx(
        self,
        path: str | Path,
        *,
        old: Agreement | str | Path | None = None,
        new: Agreement | str | Path | None = None,
        author: str = "tradeclauses",
        date: datetime | None = None,
    ) -> None:
        """A Word redline of the new version: tracked changes over its paragraphs, the findings as comments.

        Every word deleted or inserted is a real tracked change (``w:del`` / ``w:ins``
        with ``author`` and ``date``, default now): *Accept All* in Word gives the new
        text and *Reject All* the old one. Articles are Word headings; each legal finding
        is a Word comment anchored at the words it quotes. Needs ``pip install
        'tradeclauses[docx]'`` (python-docx).

        ``old`` and ``new`` are the texts the diff was made from; a diff made by
        :func:`diff` in this session remembers them, one read from JSON needs them.

        Raises:
            TradeClausesError: the texts are not known, or are not those the diff was made from.

        Examples:
            >>> import tradeclauses as tc, tempfile, pathlib
            >>> usmca = tc.load("usmca")
            >>> d = diff(usmca.select(articles=["19.11", "19.12"]), usmca.select(articles=["19.12"]))
            >>> out = pathlib.Path(tempfile.mkdtemp()) / "redline.docx"
            >>> d.to_docx(out)
            >>> import warnings; warnings.simplefilter("ignore")
            >>> from tradeclauses.read.docx import read_docx
            >>> [a.num for a in read_docx(out.read_bytes(), revisions="reject").articles]
            ['19.11', '19.12']
            >>> [a.num for a in read_docx(out.read_bytes(), revisions="accept").articles]
            ['19.12']
        """
        from tradeclauses.render.word import diff_docx  # noqa: PLC0415

        remembered = _SOURCES.get(id(self))
        if old is None or new is None:
            if remembered is None:
                raise TradeClausesError(
                    "the texts this diff was made from are not known here (a diff read from JSON): "
                    "pass old= and new="
                )
            old = remembered[0] if old is None else old
            new = remembered[1] if new is None else new
        diff_docx(self, path, old=resolve_agreement(old), new=resolve_agreement(new), author=author, date=date)

    def plot(self, *, ax: Any = None) -> Any:
        """A chart of the changes by article and kind (stacked bars); returns the matplotlib ``Axes``.

        Needs ``pip install 'tradeclauses[draw]'`` (matplotlib).
        """
        from tradeclauses.render.charts import diff_chart  # noqa: PLC0415

        return diff_chart(self, ax=ax)


# =========================================================================== words


@lru_cache(maxsize=1 << 16)
def _key(word: str) -> str:
    """What a word is compared by: lowercase, one spelling, one kind of quote and dash."""
    norm = normalize("x " + word)  # the "x" keeps a lone "2." from being read as a numbering label
    return norm[2:] if norm.startswith("x ") else norm


@lru_cache(maxsize=1 << 14)
def _word_tuple(text: str) -> tuple[str, ...]:
    return tuple(tidy(text).split()) if text else ()


def _words(text: str) -> list[str]:
    return list(_word_tuple(text))


@lru_cache(maxsize=1 << 14)
def _norm(text: str) -> str:
    return normalize(text)


@lru_cache(maxsize=1 << 14)
def _keys(text: str) -> tuple[str, ...]:
    return tuple(_key(w) for w in _word_tuple(text))


_TEXTS: dict[int, tuple[object, str]] = {}
"""Words of the nodes read during one :func:`diff` (``Block.text`` is computed on every access)."""


def _text(node: _Held | Footnote) -> str:
    hit = _TEXTS.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    text = node.text
    _TEXTS[id(node)] = (node, text)
    return text


def _side(segments: Sequence[Segment], *, old: bool) -> str:
    parts = [s.old_side if old else s.new_side for s in segments]
    return " ".join(p for p in parts if p)


def redline(old: str, new: str) -> tuple[Segment, ...]:
    """The word-level redline of two texts: runs of kept, deleted and inserted words.

    Words are compared after :func:`~tradeclauses.normalize.tidy` (whitespace, line-end
    hyphenation, footnote marks, quotes and dashes) and ignoring case and British/American
    spelling; kept words written differently carry both forms. Within a changed stretch,
    deletions come before insertions (computed with RapidFuzz ``Indel.opcodes``, a
    longest-common-subsequence diff).

    Examples:
        >>> [str(s) for s in redline("The Parties recognise the trans-\\nfer of data.",
        ...                          "The Parties recognize the transfer of all data.")]
        ['The Parties', 'recognize', 'the transfer of', '{+all+}', 'data.']
        >>> kept = redline("The Parties recognise", "The Parties recognize")
        >>> [(s.op, s.text, s.old_text) for s in kept]
        [('equal', 'The Parties', None), ('equal', 'recognize', 'recognise')]
    """
    return _redline(_words(old), _words(new))


def _redline(old_words: Sequence[str], new_words: Sequence[str]) -> tuple[Segment, ...]:
    old_keys = [_key(w) for w in old_words]
    new_keys = [_key(w) for w in new_words]
    out: list[Segment] = []
    pending_del: list[str] = []
    pending_ins: list[str] = []

    def flush() -> None:
        if pending_del:
            out.append(Segment(op="delete", text=" ".join(pending_del)))
            pending_del.clear()
        if pending_ins:
            out.append(Segment(op="insert", text=" ".join(pending_ins)))
            pending_ins.clear()

    for op in Indel.opcodes(old_keys, new_keys):
        if op.tag == "equal":
            flush()
            run_new: list[str] = []
            run_old: list[str] = []
            differs = False
            for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True):
                same = old_words[i] == new_words[j]
                if run_new and same == differs:  # close the run when "written alike" flips
                    out.append(
                        Segment(op="equal", text=" ".join(run_new), old_text=" ".join(run_old) if differs else None)
                    )
                    run_new, run_old = [], []
                differs = not same
                run_new.append(new_words[j])
                run_old.append(old_words[i])
            if run_new:
                out.append(Segment(op="equal", text=" ".join(run_new), old_text=" ".join(run_old) if differs else None))
        else:
            pending_del.extend(old_words[op.src_start : op.src_end])
            pending_ins.extend(new_words[op.dest_start : op.dest_end])
    flush()
    return tuple(out)


def _swap_redline(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """Segments seen from the other side, deletions again before insertions in each changed stretch."""
    out: list[Segment] = []
    dels: list[Segment] = []
    ins: list[Segment] = []
    for s in (x.swapped() for x in segments):
        if s.op == "equal":
            out += dels + ins
            dels, ins = [], []
            out.append(s)
        elif s.op == "delete":
            dels.append(s)
        else:
            ins.append(s)
    return tuple(out + dels + ins)


def _block_redline(old_text: str, new_text: str) -> tuple[Segment, ...]:
    """A redline, or ``()`` when the texts are written exactly alike."""
    if old_text == new_text:
        return ()
    old_words, new_words = _word_tuple(old_text), _word_tuple(new_text)
    if old_words == new_words:
        return ()
    return _redline(old_words, new_words)


def _same_words(a: str, b: str) -> bool:
    return _keys(a) == _keys(b)


def _num(num: str | None) -> str:
    return re.sub(r"[\s.()]", "", num or "").lower()


# =========================================================================== loading


# =========================================================================== structure


_Held = Paragraph | Subparagraph | Definition
"""A block with words (not a gap)."""


def _blocks(art: Article) -> list[_Held]:
    return [b for b in art.children if not isinstance(b, Gap)]


def _has_text(art: Article) -> bool:
    return any(not isinstance(b, Gap) for b in art.children)


def _body_key(art: Article) -> tuple[object, ...]:
    if not _has_text(art):
        return ("missing", tuple(_norm(g.note) for g in art.gaps))  # what the source says is missing
    return (
        art.status,
        tuple(_norm(_text(b)) for b in _blocks(art)),
        tuple(_norm(_text(f)) for f in art.footnotes),
    )


def _fingerprint(agreement: Agreement) -> tuple[int, str]:
    """Orders the two inputs the same way whichever is old: structure is always computed one way."""
    h = hashlib.sha256()
    for art in agreement.articles:
        h.update(f"{art.num}\x00{art.heading}\x00".encode())
        for b in _blocks(art):
            h.update(_text(b).encode() + b"\x00")
        for f in art.footnotes:
            h.update(_text(f).encode())
    missing = sum(1 for a in agreement.articles if not _has_text(a))
    return missing, h.hexdigest()


def _lis(seq: Sequence[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence of ``seq`` (deterministic)."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for i, v in enumerate(seq):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < v:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(tails):
            tails.append(v)
            tails_idx.append(i)
        else:
            tails[lo] = v
            tails_idx[lo] = i
        prev[i] = tails_idx[lo - 1] if lo else -1
    keep: set[int] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        keep.add(k)
        k = prev[k]
    return keep


def _moved(pairs: Sequence[tuple[int, int]]) -> set[int]:
    """Which pairs (old position, new position) are out of order: not on a longest common order."""
    order = sorted(range(len(pairs)), key=lambda i: pairs[i])
    keep = _lis([pairs[i][1] for i in order])
    return {order[k] for k in range(len(order)) if k not in keep}


def _sorted_kinds(kinds: Iterable[DiffKind]) -> tuple[DiffKind, ...]:
    return tuple(sorted(set(kinds), key=_KIND_ORDER.__getitem__))


class _Side:
    """One version, indexed."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.articles = agreement.articles
        self.pos = {a.id: i for i, a in enumerate(self.articles)}
        self.by_id = {a.id: a for a in self.articles}


def _exact_pairs(x: _Side, y: _Side) -> list[tuple[int, int]]:
    """Articles whose words are identical once normalised, paired by hashing (headings first)."""
    pairs: list[tuple[int, int]] = []
    used_x: set[int] = set()
    used_y: set[int] = set()
    x_keys = [_body_key(a) for a in x.articles]
    y_keys = [_body_key(a) for a in y.articles]
    for with_heading in (True, False):
        slots: dict[object, list[int]] = {}
        for j, a in enumerate(y.articles):
            if j not in used_y:
                key = (y_keys[j], normalize(a.heading or "")) if with_heading else y_keys[j]
                slots.setdefault(key, []).append(j)
        for i, a in enumerate(x.articles):
            if i in used_x:
                continue
            key = (x_keys[i], normalize(a.heading or "")) if with_heading else x_keys[i]
            free = slots.get(key)
            if free:
                j = free.pop(0)
                pairs.append((i, j))
                used_x.add(i)
                used_y.add(j)
    return pairs


def _subset(agreement: Agreement, keep: set[str]) -> Agreement:
    chapters = tuple(
        c.replace(articles=tuple(a for a in c.articles if a.id in keep))
        for c in agreement.chapters
        if any(a.id in keep for a in c.articles)
    )
    return agreement.replace(chapters=chapters, unparsed=(), removed=())


class _Builder:
    """Builds the entries of a diff from ``x`` (old role) to ``y`` (new role)."""

    def __init__(self, x: Agreement, y: Agreement) -> None:
        self.x = _Side(x)
        self.y = _Side(y)
        self.entries: list[Change] = []

    def run(self) -> list[Change]:
        exact = _exact_pairs(self.x, self.y)
        matched_x = {self.x.articles[i].id for i, _ in exact}
        matched_y = {self.y.articles[j].id for _, j in exact}
        groups: list[tuple[list[str], list[str], Match | None]] = [
            ([self.x.articles[i].id], [self.y.articles[j].id], None) for i, j in exact
        ]
        left_x = {a.id for a in self.x.articles if a.id not in matched_x}
        left_y = {a.id for a in self.y.articles if a.id not in matched_y}
        alignment = None
        if left_x and left_y:
            alignment = align(_subset(self.x.agreement, left_x), _subset(self.y.agreement, left_y))
            for m in alignment.articles:
                groups.append((list(m.model), list(m.draft), m))
        else:
            groups += [([i], [], None) for i in sorted(left_x, key=self.x.pos.__getitem__)]
            groups += [([], [j], None) for j in sorted(left_y, key=self.y.pos.__getitem__)]
        paired = [g for g in groups if g[0] and g[1]]
        moved = _moved([(self.x.pos[g[0][0]], self.y.pos[g[1][0]]) for g in paired])
        alone_x = {g[0][0] for g in groups if not g[1]}
        alone_y = {g[1][0] for g in groups if not g[0]}
        unheld_y = [a.num or a.id for a in self.y.articles if a.id in alone_y and not _has_text(a)]
        unheld_x = [a.num or a.id for a in self.x.articles if a.id in alone_x and not _has_text(a)]
        for k, (xs, ys) in enumerate((g[0], g[1]) for g in paired):
            match = paired[k][2]
            inner = alignment.paragraphs_of(match) if match is not None and alignment is not None else None
            self._pair(xs, ys, moved=k in moved, inner=inner)
        for xs, ys, _ in groups:
            if xs and not ys:
                self._alone(xs[0], side="x", unheld_other=unheld_y)
            elif ys and not xs:
                self._alone(ys[0], side="y", unheld_other=unheld_x)
        return self.entries

    # ----------------------------------------------------------------- articles

    def _alone(self, art_id: str, *, side: Literal["x", "y"], unheld_other: Sequence[str]) -> None:
        s = self.x if side == "x" else self.y
        art = s.by_id[art_id]
        held = _has_text(art)
        other = (self.y if side == "x" else self.x).agreement.id
        if not held:
            kind = DiffKind.NOT_COMPARABLE
            note = f"{s.agreement.id} does not hold the words of this article"
        else:
            kind = DiffKind.REMOVED if side == "x" else DiffKind.ADDED
            note = ""
            if unheld_other:
                note = (
                    f"no counterpart among the articles whose words {other} holds; it may be one of those "
                    f"whose words {other} does not hold ({', '.join(unheld_other)})"
                )
        texts = tuple(_text(b) for b in _blocks(art)) + tuple(_text(f) for f in art.footnotes)
        entry = Change(
            level="article",
            kinds=(kind,),
            old=(art.id,) if side == "x" else (),
            new=(art.id,) if side == "y" else (),
            old_nums=(art.num or "",) if side == "x" else (),
            new_nums=(art.num or "",) if side == "y" else (),
            old_headings=(art.heading,) if side == "x" else (),
            new_headings=(art.heading,) if side == "y" else (),
            old_pos=s.pos[art.id] if side == "x" else None,
            new_pos=s.pos[art.id] if side == "y" else None,
            old_texts=texts if side == "x" and held else (),
            new_texts=texts if side == "y" and held else (),
            note=note,
        )
        self.entries.append(entry)
        self._one_sided_contents(art, side=side, kind=kind)

    def _pair(self, xs: list[str], ys: list[str], *, moved: bool, inner: tuple[Match, ...] | None) -> None:
        x_arts = [self.x.by_id[i] for i in xs]
        y_arts = [self.y.by_id[j] for j in ys]
        x_held = any(_has_text(a) for a in x_arts)
        y_held = any(_has_text(a) for a in y_arts)
        kinds: list[DiffKind] = []
        if len(ys) > 1:
            kinds.append(DiffKind.SPLIT)
        if len(xs) > 1:
            kinds.append(DiffKind.MERGED)
        if len(xs) == 1 and len(ys) == 1 and _num(x_arts[0].num) != _num(y_arts[0].num):
            kinds.append(DiffKind.RENUMBERED)
        if moved:
            kinds.append(DiffKind.MOVED)
        base = {
            "level": "article",
            "old": tuple(xs),
            "new": tuple(ys),
            "old_nums": tuple(a.num or "" for a in x_arts),
            "new_nums": tuple(a.num or "" for a in y_arts),
            "old_headings": tuple(a.heading for a in x_arts),
            "new_headings": tuple(a.heading for a in y_arts),
            "old_pos": self.x.pos[xs[0]],
            "new_pos": self.y.pos[ys[0]],
        }
        if not (x_held and y_held):
            if x_held or y_held:
                unheld = (self.y if x_held else self.x).agreement.id
                note = f"{unheld} does not hold the words of this article"
                self.entries.append(Change(**base, kinds=(DiffKind.NOT_COMPARABLE,), note=note))
                for art in x_arts if x_held else y_arts:
                    self._one_sided_contents(art, side="x" if x_held else "y", kind=DiffKind.NOT_COMPARABLE)
            else:
                self.entries.append(Change(**base, kinds=_sorted_kinds(kinds)))
            return
        children: list[Change] = []
        x_partial = any(a.status != "complete" for a in x_arts)
        y_partial = any(a.status != "complete" for a in y_arts)
        x_blocks = [(a.id, b) for a in x_arts for b in _blocks(a)]
        y_blocks = [(a.id, b) for a in y_arts for b in _blocks(a)]
        if (
            inner is None
            and len(x_blocks) == len(y_blocks)
            and all(_norm(_text(b)) == _norm(_text(c)) for (_, b), (_, c) in zip(x_blocks, y_blocks, strict=True))
        ):
            matches: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
                ((b.id,), (c.id,)) for (_, b), (_, c) in zip(x_blocks, y_blocks, strict=True)
            ]
        else:
            found = inner if inner is not None else align_blocks(_merged(x_arts), y_arts)
            matches = [(m.model, m.draft) for m in found]
        x_pos = {b.id: n for n, (_, b) in enumerate(x_blocks)}
        y_pos = {b.id: n for n, (_, b) in enumerate(y_blocks)}
        x_of = {b.id: (aid, b) for aid, b in x_blocks}
        y_of = {b.id: (aid, b) for aid, b in y_blocks}
        both = [(mx, my) for mx, my in matches if mx and my]
        moved_blocks = _moved([(x_pos[mx[0]], y_pos[my[0]]) for mx, my in both])
        old_texts: list[str] = []
        new_texts: list[str] = []
        for k, (mx, my) in enumerate(both):
            xb = [x_of[i][1] for i in mx]
            yb = [y_of[j][1] for j in my]
            old_text = " ".join(_text(b) for b in xb)
            new_text = " ".join(_text(b) for b in yb)
            ck: list[DiffKind] = []
            if len(my) > 1:
                ck.append(DiffKind.SPLIT)
            if len(mx) > 1:
                ck.append(DiffKind.MERGED)
            if not _same_words(old_text, new_text):
                ck.append(DiffKind.MODIFIED)
            if len(mx) == 1 and len(my) == 1 and _num(xb[0].num) != _num(yb[0].num):
                ck.append(DiffKind.RENUMBERED)
            if k in moved_blocks:
                ck.append(DiffKind.MOVED)
            if len(xb) == len(yb) == 1 and stops_at_gap(xb[0]):  # a side known only up to a gap
                old_texts.append(_text(xb[0]))
                new_texts.append(cut_like(_text(yb[0]), _text(xb[0])))
            elif len(xb) == len(yb) == 1 and stops_at_gap(yb[0]):
                old_texts.append(cut_like(_text(xb[0]), _text(yb[0])))
                new_texts.append(_text(yb[0]))
            else:
                old_texts += [_text(b) for b in xb]
                new_texts += [_text(b) for b in yb]
            children.append(
                Change(
                    level="paragraph",
                    kinds=_sorted_kinds(ck),
                    old=tuple(mx),
                    new=tuple(my),
                    old_nums=tuple(_block_num(b) for b in xb),
                    new_nums=tuple(_block_num(b) for b in yb),
                    old_pos=x_pos[mx[0]],
                    new_pos=y_pos[my[0]],
                    old_article=x_of[mx[0]][0],
                    new_article=y_of[my[0]][0],
                    redline=_block_redline(old_text, new_text)
                    if len(mx) == len(my) == 1
                    else _redline(_words(old_text), _words(new_text)),
                    old_parts=tuple(len(_words(_text(b))) for b in xb) if len(mx) > 1 else (),
                    new_parts=tuple(len(_words(_text(b))) for b in yb) if len(my) > 1 else (),
                    old_places=tuple(x_pos[i] for i in mx) if len(mx) > 1 else (),
                    new_places=tuple(y_pos[j] for j in my) if len(my) > 1 else (),
                )
            )
            if len(mx) == 1 and len(my) == 1 and (xb[0].slots or yb[0].slots):
                children += _alternatives(xb[0], yb[0], (x_pos[mx[0]], y_pos[my[0]], x_of[mx[0]][0], y_of[my[0]][0]))
        for mx, my in matches:
            if mx and not my:
                aid, b = x_of[mx[0]]
                kind = DiffKind.NOT_COMPARABLE if y_partial else DiffKind.REMOVED
                children.append(self._one_sided(b, x_pos[b.id], aid, side="x", kind=kind, store=False))
                if not y_partial:
                    old_texts.append(_text(b))
            elif my and not mx:
                aid, b = y_of[my[0]]
                kind = DiffKind.NOT_COMPARABLE if x_partial else DiffKind.ADDED
                children.append(self._one_sided(b, y_pos[b.id], aid, side="y", kind=kind, store=False))
                if not x_partial:
                    new_texts.append(_text(b))
        notes, fn_old, fn_new = self._footnotes(x_arts, y_arts, x_partial=x_partial, y_partial=y_partial)
        children += notes
        old_texts += fn_old
        new_texts += fn_new
        if any(_BODY_KINDS & set(c.kinds) for c in children) or _heading_changed(x_arts[0], y_arts[0]):
            kinds.append(DiffKind.MODIFIED)
        kinds_t = _sorted_kinds(kinds)
        body = bool(_BODY_KINDS & set(kinds_t))
        note = ""
        if x_partial or y_partial:
            partial = [s.agreement.id for s, p in ((self.x, x_partial), (self.y, y_partial)) if p]
            verb = "holds" if len(partial) == 1 else "hold"
            note = f"compared on the parts of this article that {' and '.join(partial)} {verb}"
        self.entries.append(
            Change(
                **base,
                kinds=kinds_t,
                old_texts=tuple(old_texts) if body else (),
                new_texts=tuple(new_texts) if body else (),
                note=note,
            )
        )
        exact_copy = inner is None and not any(c.kinds or c.redline for c in children) and len(xs) == len(ys) == 1
        if not exact_copy:
            self.entries += children

    def _footnotes(
        self, x_arts: Sequence[Article], y_arts: Sequence[Article], *, x_partial: bool, y_partial: bool
    ) -> tuple[list[Change], list[str], list[str]]:
        x_notes = [(a.id, f) for a in x_arts for f in a.footnotes]
        y_notes = [(a.id, f) for a in y_arts for f in a.footnotes]
        pairs = _pair_footnotes([f for _, f in x_notes], [f for _, f in y_notes])
        out: list[Change] = []
        old_texts: list[str] = []
        new_texts: list[str] = []
        seen_x = {i for i, _ in pairs}
        seen_y = {j for _, j in pairs}
        for i, j in pairs:
            (xa, xf), (ya, yf) = x_notes[i], y_notes[j]
            comparable = not xf.gap and not yf.gap
            kinds = (
                ()
                if _same_words(_text(xf), _text(yf))
                else ((DiffKind.MODIFIED,) if comparable else (DiffKind.NOT_COMPARABLE,))
            )
            if comparable:
                old_texts.append(_text(xf))
                new_texts.append(_text(yf))
            out.append(
                Change(
                    level="footnote",
                    kinds=kinds,
                    old=(xf.id,),
                    new=(yf.id,),
                    old_nums=(xf.num,),
                    new_nums=(yf.num,),
                    old_pos=i,
                    new_pos=j,
                    old_article=xa,
                    new_article=ya,
                    redline=_block_redline(_text(xf), _text(yf)),
                )
            )
        for i, (aid, f) in enumerate(x_notes):
            if i not in seen_x:
                kind = DiffKind.NOT_COMPARABLE if y_partial else DiffKind.REMOVED
                out.append(self._one_sided(f, i, aid, side="x", kind=kind, store=False))
                if kind is DiffKind.REMOVED:
                    old_texts.append(_text(f))
        for j, (aid, f) in enumerate(y_notes):
            if j not in seen_y:
                kind = DiffKind.NOT_COMPARABLE if x_partial else DiffKind.ADDED
                out.append(self._one_sided(f, j, aid, side="y", kind=kind, store=False))
                if kind is DiffKind.ADDED:
                    new_texts.append(_text(f))
        return out, old_texts, new_texts

    # ----------------------------------------------------------------- one side only

    def _one_sided_contents(self, art: Article, *, side: Literal["x", "y"], kind: DiffKind) -> None:
        """Every paragraph and footnote of an article held on one side only."""
        for n, b in enumerate(_blocks(art)):
            self._one_sided(b, n, art.id, side=side, kind=kind)
        for n, f in enumerate(art.footnotes):
            self._one_sided(f, n, art.id, side=side, kind=kind)

    def _one_sided(
        self,
        node: _Held | Footnote,
        pos: int,
        art_id: str,
        *,
        side: Literal["x", "y"],
        kind: DiffKind,
        store: bool = True,
    ) -> Change:
        """A paragraph or footnote held on one side only, as a change of ``kind``."""
        words = _words(_text(node))
        seg = (Segment(op="delete" if side == "x" else "insert", text=" ".join(words)),) if words else ()
        num = node.num if isinstance(node, Footnote) else _block_num(node)
        entry = Change(
            level="footnote" if isinstance(node, Footnote) else "paragraph",
            kinds=(kind,),
            old=(node.id,) if side == "x" else (),
            new=(node.id,) if side == "y" else (),
            old_nums=(num,) if side == "x" else (),
            new_nums=(num,) if side == "y" else (),
            old_pos=pos if side == "x" else None,
            new_pos=pos if side == "y" else None,
            old_article=art_id if side == "x" else None,
            new_article=art_id if side == "y" else None,
            redline=seg,
        )
        if store:
            self.entries.append(entry)
        return entry


def _block_num(b: _Held) -> str:
    if b.num:
        return b.num
    term = getattr(b, "term", None)
    return f'"{term}"' if term else ""


def _heading_changed(x: Article, y: Article) -> bool:
    if not x.heading or not y.heading:
        return False  # a heading that one text does not give is not a change
    return normalize(x.heading) != normalize(y.heading)


def _merged(arts: Sequence[Article]) -> Article:
    if len(arts) == 1:
        return arts[0]
    return arts[0].replace(children=tuple(c for a in arts for c in a.children))


def _pair_footnotes(x: Sequence[Footnote], y: Sequence[Footnote]) -> list[tuple[int, int]]:
    """Footnotes pair by their words (their numbers change with every insertion), not by number."""
    if not x or not y:
        return []
    scores = process.cdist(
        [f.text for f in x], [f.text for f in y], scorer=fuzz.ratio, processor=normalize, dtype=np.float32
    )
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols, strict=True) if scores[i, j] >= 60)


def _alternatives(x: _Held, y: _Held, where: tuple[int, int, str, str]) -> list[Change]:
    """Changes inside the bracketed alternatives of a paragraph, reported against each alternative.

    ``where``: the paragraph's old and new positions and the ids of the articles holding it.
    """
    x_pos, y_pos, x_art, y_art = where
    x_slots = list(x.slots.items())
    y_slots = list(y.slots.items())
    out: list[Change] = []
    for k in range(max(len(x_slots), len(y_slots))):
        xs = x_slots[k] if k < len(x_slots) else None
        ys = y_slots[k] if k < len(y_slots) else None
        x_opts = _options(xs[1]) if xs else {}
        y_opts = _options(ys[1]) if ys else {}
        labels = list(dict.fromkeys([*x_opts, *y_opts]))
        for label in labels:
            xo, yo = x_opts.get(label), y_opts.get(label)
            if xo is not None and yo is not None:
                if _same_words(xo, yo):
                    continue
                kinds: tuple[DiffKind, ...] = (DiffKind.MODIFIED,)
            else:
                kinds = (DiffKind.REMOVED,) if yo is None else (DiffKind.ADDED,)
            out.append(
                Change(
                    level="alternative",
                    kinds=kinds,
                    old=(x.id,) if xo is not None else (),
                    new=(y.id,) if yo is not None else (),
                    old_slot=xs[0] if xs and xo is not None else None,
                    new_slot=ys[0] if ys and yo is not None else None,
                    old_label=label if xo is not None else None,
                    new_label=label if yo is not None else None,
                    old_pos=x_pos if xo is not None else None,
                    new_pos=y_pos if yo is not None else None,
                    old_article=x_art if xo is not None else None,
                    new_article=y_art if yo is not None else None,
                    redline=_redline(_words(xo or ""), _words(yo or "")),
                )
            )
    return out


def _options(options: Sequence[Option]) -> dict[str, str]:
    """Label → the option's words (all parts of a slot joined)."""
    out: dict[str, list[str]] = {}
    for o in options:
        out.setdefault(o.label, []).append(o.text)
    return {k: " ".join(v) for k, v in out.items()}


def _whole(e: Change) -> bool:
    """An article added, removed or not comparable as a whole (its paragraphs are not listed again)."""
    return bool({DiffKind.ADDED, DiffKind.REMOVED} & set(e.kinds)) or (
        DiffKind.NOT_COMPARABLE in e.kinds and not (e.old and e.new and e.old_texts and e.new_texts)
    )


# =========================================================================== order, findings


def _ordered(items: Sequence[Change]) -> list[Change]:
    anchors = [(e.old_pos, e.new_pos) for e in items if e.old_pos is not None and e.new_pos is not None]
    # the anchor of an old-only provision is the new position of its closest old predecessor
    best: dict[int, int] = {}
    for old_pos, new_pos in sorted(anchors):
        best[old_pos] = new_pos

    def key(e: Change) -> tuple[int, int, int, int, str]:
        rank = 1 if e.level == "alternative" else 0
        sub = e.new_slot or e.old_slot or ""
        if e.new_pos is not None:
            return (e.new_pos, 0, 0, rank, sub)
        prior = [p for p in best if p < (e.old_pos or 0)]
        anchor = best[max(prior)] if prior else -1
        return (anchor, 1, e.old_pos or 0, rank, sub)

    return sorted(items, key=key)


def _finish(
    entries: Sequence[Change],
    *,
    old_id: str,
    new_id: str,
    old_title: str,
    new_title: str,
    old_chapters: tuple[ChapterRef, ...],
    new_chapters: tuple[ChapterRef, ...],
    substantive_only: bool,
) -> AgreementDiff:
    """Legal findings in this direction, then reading order."""
    articles = [e for e in entries if e.level == "article"]
    owner: dict[str, int] = {}
    for k, e in enumerate(articles):
        for i in (*e.old, *e.new):
            owner[i] = k
    children: dict[int, list[Change]] = {}
    for e in entries:
        if e.level != "article":
            k = owner[e.old_article or e.new_article or ""]
            children.setdefault(k, []).append(e)
    out: list[Change] = []
    ordered = _ordered(articles)
    index = {id(e): k for k, e in enumerate(articles)}
    for entry in ordered:
        kids = children.get(index[id(entry)], [])
        findings: tuple[Finding, ...] = ()
        art = entry
        if _BODY_KINDS & set(entry.kinds) and (entry.old_texts or entry.new_texts):
            findings = _findings(entry.old_texts, entry.new_texts)
            art = entry.replace(findings=findings)
        blocks = _ordered([c for c in kids if c.level in ("paragraph", "alternative")])
        notes = _ordered([c for c in kids if c.level == "footnote"])
        if findings:
            blocks = _attribute(findings, blocks)
            notes = _attribute(findings, notes)
        out.append(art)
        out += blocks + notes
    return AgreementDiff(
        old_id=old_id,
        new_id=new_id,
        old_title=old_title,
        new_title=new_title,
        entries=tuple(out),
        old_chapters=old_chapters,
        new_chapters=new_chapters,
        substantive_only=substantive_only,
    )


_VERB_END = re.compile(r"\s(?:the|a|an|any|its|their|that|this|to|on|of|in|for|with|from|by)\s", re.IGNORECASE)


def _with_verb(phrase: str, texts: Sequence[str]) -> str:
    """``"Each Party shall"`` → ``"Each Party shall allow"``: the operative words with their verb."""
    for text in texts:
        if phrase not in text:
            continue
        for op in analyse(text).operatives:
            if op.phrase == phrase and op.action:
                verb = _VERB_END.split(" " + op.action + " ", maxsplit=1)[0].strip()
                return f"{phrase} {verb}".strip() if verb else phrase
    return phrase


def _findings(old_texts: Sequence[str], new_texts: Sequence[str]) -> tuple[Finding, ...]:
    out = []
    for f in compare_texts(old_texts, new_texts):
        if f.flag in (Flag.WEAKENED_OBLIGATION, Flag.STRENGTHENED_OBLIGATION):
            m_ev = _with_verb(f.model_evidence, old_texts) if f.model_evidence else ""
            d_ev = _with_verb(f.draft_evidence, new_texts) if f.draft_evidence else ""
            if (m_ev, d_ev) != (f.model_evidence, f.draft_evidence):
                f = f.model_copy(  # noqa: PLW2901 - the same finding, with the verbs quoted
                    update={
                        "explanation": f'{f.explanation}: "{m_ev}" → "{d_ev}"',
                        "model_evidence": m_ev,
                        "draft_evidence": d_ev,
                    }
                )
        out.append(f)
    return tuple(out)


def _attribute(findings: Sequence[Finding], children: Sequence[Change]) -> list[Change]:
    """Give each paragraph (or footnote) the findings whose evidence it holds."""
    texts = [(normalize(c.old_text), normalize(c.new_text)) for c in children]
    got: dict[int, list[Finding]] = {}
    for f in findings:
        m_ev, d_ev = normalize(f.model_evidence), normalize(f.draft_evidence)
        for k, (old, new) in enumerate(texts):
            if not children[k].redline or not children[k].kinds:
                continue
            if (m_ev and m_ev in old) or (d_ev and d_ev in new):
                got.setdefault(k, []).append(f)
                break
    return [c.replace(findings=tuple(got[k])) if k in got else c for k, c in enumerate(children)]


# =========================================================================== diff


def _chapters(agreement: Agreement) -> tuple[ChapterRef, ...]:
    return tuple(
        ChapterRef(id=c.id, num=c.num, heading=c.heading, label=c.label, articles=tuple(a.id for a in c.articles))
        for c in agreement.chapters
    )


def diff(
    old: Agreement | str | Path,
    new: Agreement | str | Path,
    *,
    substantive_only: bool = False,
    lexicon: Lexicon | None = None,
) -> AgreementDiff:
    """Diff two versions of an agreement: what changed, where, word for word, and in law.

    Args:
        old: the earlier version (or the template): an agreement, a path to any format
            :func:`tradeclauses.parse` reads, a shipped or registered name (``"usmca"``),
            or the text itself.
        new: the later version, likewise.
        substantive_only: keep only substantive changes in :attr:`AgreementDiff.changes`
            (legal findings, whole articles added or removed).
        lexicon: the drafting lexicon to read both versions with (default: the shipped one).

    Raises:
        UnknownAgreementError: a name that is neither a file nor a known agreement.
        ReadError: a file that cannot be read.

    Examples:
        >>> import tradeclauses as tc
        >>> usmca = tc.load("usmca")
        >>> diff("usmca", usmca).identical
        True
        >>> new = usmca.select(articles=["19.11"])
        >>> d = diff(usmca.select(articles=["19.11", "19.12"]), new)
        >>> d.counts()
        {'REMOVED': 1}
        >>> d.article("19.12").substantive
        True
    """
    a = resolve_agreement(old)
    b = resolve_agreement(new)
    try:
        swap = _fingerprint(b) > _fingerprint(a)  # the side holding fewer words is aligned as the model
        x, y = (b, a) if swap else (a, b)
        with using_lexicon(lexicon):
            entries = _Builder(x, y).run()
    finally:
        _TEXTS.clear()
    if swap:
        entries = [e.swapped() for e in entries]
    result = _finish(
        entries,
        old_id=a.id,
        new_id=b.id,
        old_title=a.short_name or a.title,
        new_title=b.short_name or b.title,
        old_chapters=_chapters(a),
        new_chapters=_chapters(b),
        substantive_only=substantive_only,
    )
    return _remember(result, a, b)


_SOURCES: dict[int, tuple[Agreement, Agreement]] = {}
"""The texts each live diff was made from (by ``id()``; dropped when the diff is): for :meth:`AgreementDiff.to_docx`."""


def _remember(d: AgreementDiff, old: Agreement | None, new: Agreement | None) -> AgreementDiff:
    if old is not None and new is not None and id(d) not in _SOURCES:
        _SOURCES[id(d)] = (old, new)
        weakref.finalize(d, _SOURCES.pop, id(d), None)
    return d


# =========================================================================== apply


def _rebase(block: Block, old_prefix: str, new_prefix: str, num: str | None) -> Block:
    def move(b: Block) -> Block:
        new_id = new_prefix + b.id[len(old_prefix) :] if b.id.startswith(old_prefix) else b.id
        if isinstance(b, Gap):
            return b.replace(id=new_id)
        return b.replace(id=new_id, children=tuple(move(c) for c in b.children))

    moved = move(block)
    return moved if isinstance(moved, Gap) else moved.replace(num=num or None)


def _cut(words: Sequence[str], parts: Sequence[int]) -> list[str]:
    out: list[str] = []
    start = 0
    for n in parts:
        out.append(" ".join(words[start : start + n]))
        start += n
    return out


def _apply(d: AgreementDiff, old: Agreement) -> Agreement:
    old_arts = {a.id: a for a in old.articles}
    old_nodes: dict[str, Block | Footnote] = {}  # every node of the old version by id
    for art in old.articles:
        old_nodes.update((b.id, b) for b in art.walk())
        old_nodes.update((f.id, f) for f in art.footnotes)
    articles = [e for e in d.entries if e.level == "article"]
    owner = {i: k for k, e in enumerate(articles) for i in (*e.old, *e.new)}
    by_new = {i: k for k, e in enumerate(articles) for i in e.new}
    kids: dict[int, list[Change]] = {}
    for e in d.entries:
        if e.level in ("paragraph", "footnote"):
            kids.setdefault(owner[e.old_article or e.new_article or ""], []).append(e)
    for e in d.entries:
        for i in e.old:
            if i not in old_arts and i not in old_nodes:
                raise ProvisionNotFoundError(old.id, i, "the diff was made from another text")
    chapters: list[Chapter] = []
    for ref in d.new_chapters:
        built: list[Article] = []
        for art_id in ref.articles:
            k = by_new[art_id]
            e = articles[k]
            part = e.new.index(art_id)
            base = old_arts[e.old[0]] if e.old else None
            entries = kids.get(k, [])
            if base is not None and not entries and len(e.old) == len(e.new) == 1:
                children = tuple(_rebase(b, base.id, art_id, b.num) for b in base.children if not isinstance(b, Gap))
                notes = tuple(f.replace(id=art_id + f.id[len(base.id) :]) for f in base.footnotes)
            else:
                children, notes = _rebuild(art_id, entries, old_nodes)
            if not children and DiffKind.NOT_COMPARABLE in e.kinds:
                children = (Gap(id=f"{art_id}/gap1", note="not in the text the diff was made from"),)
            built.append(
                Article(
                    id=art_id,
                    num=(e.new_nums[part] if part < len(e.new_nums) else "") or None,
                    heading=e.new_headings[part] if part < len(e.new_headings) else None,
                    label=base.label if base is not None else "Article",
                    children=children,
                    footnotes=notes,
                )
            )
        chapters.append(Chapter(id=ref.id, num=ref.num, heading=ref.heading, label=ref.label, articles=tuple(built)))
    return Agreement(id=d.new_id, title=d.new_title, chapters=tuple(chapters))


def _rebuild(
    art_id: str, entries: Sequence[Change], old_nodes: Mapping[str, Block | Footnote]
) -> tuple[tuple[Block, ...], tuple[Footnote, ...]]:
    """An article's paragraphs and footnotes from its entries: copied when unchanged, else from the redline."""
    blocks: list[tuple[tuple[int, int], Block]] = []
    notes: list[tuple[tuple[int, int], Footnote]] = []
    for e in entries:
        words = e.new_text.split()
        texts = _cut(words, e.new_parts) if len(e.new) > 1 else [" ".join(words)]
        source = old_nodes.get(e.old[0]) if len(e.old) == len(e.new) == 1 and not e.redline else None
        for k, node_id in enumerate(e.new):
            if not node_id.startswith(art_id + "/"):
                continue
            num = e.new_nums[k] if k < len(e.new_nums) else ""
            where = (e.new_places[k] if e.new_places else e.new_pos or 0, k)
            if e.level == "footnote":
                note = source.replace(id=node_id, num=num) if isinstance(source, Footnote) else None
                notes.append((where, note or Footnote(id=node_id, num=num, text=texts[k])))
            elif source is not None and not isinstance(source, (Footnote, Gap)):
                blocks.append((where, _rebase(source, source.id, node_id, source.num if num.startswith('"') else num)))
            else:
                label = None if num.startswith('"') else num or None
                blocks.append((where, Paragraph(id=node_id, num=label, intro=texts[k])))
    blocks.sort(key=lambda t: t[0])
    notes.sort(key=lambda t: t[0])
    return tuple(b for _, b in blocks), tuple(f for _, f in notes)


def body(agreement: Agreement) -> list[tuple[str, str, tuple[str, ...]]]:
    """Each article's number, normalised heading and body words: what :meth:`AgreementDiff.apply` restores.

    Examples:
        >>> import tradeclauses as tc
        >>> body(tc.load("usmca").select(articles=["19.12"]))[0][2][:4]
        ('No', 'Party', 'shall', 'require')
    """
    return [
        (a.num or "", normalize(a.heading or ""), tuple(w for b in _blocks(a) for w in _word_tuple(b.text)))
        for a in agreement.articles
    ]
