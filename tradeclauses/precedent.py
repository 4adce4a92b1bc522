"""Precedent search: where has a clause (or something like it) been used before?

:func:`search` finds the ``k`` articles (or paragraphs) of a corpus most similar to a
clause, each with its agreement, date, id, score and the legal-operative features of
the hit (:func:`~tradeclauses.analysis.analyse`). :func:`lineage` follows an article
back through earlier agreements, newest precedent first.

**The score** (0–100) measures shared wording: both texts are
:func:`~tradeclauses.normalize.normalize`\\ d and cut into their overlapping two-word
phrases ("no party", "party shall", "shall prohibit" ...; the first and last word each
make one more with the text's start or end), and RapidFuzz's ``fuzz.ratio`` compares the
two phrase sequences: ``200 × (phrases in common, in the same order) / (phrases of both)``.
100 means the same words in the same order; copied passages keep their phrases, while
unrelated treaty text, which shares letters and single words ("the", "Party", "shall")
with everything, shares few phrases and scores low (typically under 25 against a
one-paragraph clause). Character similarity (``fuzz.ratio`` of the texts, the measure
:func:`tradeclauses.score` reports) gives any two provisions of the same register 45–58,
which buries real precedents among look-alikes.

**The search is exact.** A :class:`SearchIndex` (built once, saved and loaded again)
holds every unit's phrase sequence and an inverted index from each phrase to the units
that contain it. For a query it counts, in one pass over the postings of the query's
phrases, how many phrases each unit shares with it (with multiplicity): an upper bound
of the score, since the phrases in common in the same order cannot outnumber the phrases
in common. RapidFuzz then scores the units in order of that bound until no unscored
unit's bound can reach the k-th best score found. The result is the same as scoring
every unit (``exhaustive=True``, the reference path), only faster: on ToTA's 41,000
articles, RapidFuzz scores 64 articles for most queries of the TPP's Chapter 14 (the first
batch, :data:`_FIRST_BATCH`), and 459 for the one whose tenth-best hit is weakest.

The saved index is a NumPy ``.npz`` archive of plain arrays and JSON text, read with
``allow_pickle=False``: loading an index never runs code from the file.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> hits = search("No Party shall require a covered person to use or locate computing "
    ...               "facilities in its territory", usmca, k=2)
    >>> hits[0].id, round(hits[0].score)
    ('usmca/ch19/art19.12', 68)
    >>> hits[0].features.modality.value
    'prohibition'
"""

from __future__ import annotations

import html
import itertools
import json
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import (
    Any,
    Literal,
    NotRequired,  # pydantic reads TypedDicts from typing_extensions on 3.11
    overload,
)

import numpy as np
import numpy.typing as npt
from pydantic import ConfigDict, with_config
from rapidfuzz import fuzz, process
from scipy import sparse
from typing_extensions import TypedDict

from tradeclauses.analysis import Features, analyse
from tradeclauses.corpus import Agreements, Corpus, collect, progress_bar
from tradeclauses.errors import (
    IndexFormatError,
    InputTypeError,
    InvalidArgumentError,
    MissingDependencyError,
    ProvisionNotFoundError,
    UnknownAgreementError,
    expect,
)
from tradeclauses.model import Agreement, Article, Chapter, Definition, Gap, Paragraph, Subparagraph
from tradeclauses.normalize import tokens

__all__ = [
    "PRECEDENT_CUTOFF",
    "Hit",
    "HitRecord",
    "Hits",
    "Level",
    "Lineage",
    "SearchIndex",
    "lineage",
    "phrase_similarity",
    "phrases",
    "search",
]

PRECEDENT_CUTOFF = 30.0
"""Least score (0–100) of a precedent in :func:`lineage`: above the wording that unrelated provisions share."""
FORMAT_VERSION = 2
"""Version of the saved index layout; :meth:`SearchIndex.load` refuses others."""

MAX_INDEX_BYTES = 2 * 1024 * 1024 * 1024
"""Most bytes :meth:`SearchIndex.load` inflates from an index archive, all members together (2 GiB)."""
MAX_INDEX_RATIO = 200
"""Highest inflated/compressed ratio of an archive member above 1 MiB (indexes are saved uncompressed)."""
_ARRAYS = ("meta", "texts", "text_ends", "owner", "keys", "sequence", "lengths")
"""The members of a saved index (``<name>.npy``); others are not read."""
_CHECKED_UNITS = 64
"""How many units, evenly spread, :meth:`SearchIndex.load` tokenises again to check the vocabulary."""

Level = Literal["article", "paragraph"]
Query = str | Article | Paragraph | Subparagraph | Definition

_QUERY_TYPES = (str, Article, Paragraph, Subparagraph, Definition)
_START, _END = 0, 1
"""Word ids of the text's start and end; vocabulary words are numbered from 2."""
_CODE_POINTS = 0x110000 - 0x800
"""Phrase ids that fit in a ``str`` as one code point each (surrogates skipped)."""
_FIRST_BATCH = 64
"""Units scored before the k-th best score is known (at least 4 k)."""
_CHUNK = 4096
"""Units scored per RapidFuzz call on the exhaustive path (bounds memory)."""
_EPS = 1e-6
"""Slack on score comparisons: a bound and a score computed in other orders may differ by rounding."""
_TINY = 1e-9
"""Below any unit's bound once it shares a phrase (200 / phrases of both)."""


@with_config(ConfigDict(extra="forbid", use_attribute_docstrings=True))
class HitRecord(TypedDict):
    """One hit as JSON (:meth:`Hit.as_dict`; ``tradeclauses search --format json`` writes a list of them)."""

    agreement: str
    title: str
    date: str | None
    """Date of signature, ISO 8601 (``"2016-02-04"``)."""
    id: str
    num: str | None
    heading: str | None
    chapter: str | None
    parties: list[str]
    level: Level
    score: float
    """0–100, rounded to one decimal."""
    text: str
    modality: NotRequired[str]
    """The strongest modality of the hit (:class:`~tradeclauses.analysis.Modality` value)."""
    features: NotRequired[str]
    """Its legal-operative features in one line."""


@dataclass(frozen=True)
class Hit:
    """One provision found by a search, with where it comes from and how alike it is."""

    agreement: str
    """Id of the agreement (``"tota-449"``, ``"usmca"``)."""
    title: str
    """The agreement's title."""
    date: date | None
    """Date of signature, if known."""
    id: str
    """Id of the article or paragraph (``"tota-449/ch14/art14.11"``)."""
    num: str | None
    """Its number as printed (``"14.11"``), if any."""
    heading: str | None
    """The article's heading, if any."""
    score: float
    """Similarity to the query, 0–100 (:func:`phrase_similarity`; 100: the same words in the same order)."""
    text: str
    """The provision's words."""
    level: Level = "article"
    """``article`` or ``paragraph``."""
    parties: tuple[str, ...] = ()
    """The agreement's parties, as the source names them (ISO codes for ToTA)."""
    chapter: str | None = None
    """Heading of the chapter the provision sits in, if any."""

    @cached_property
    def features(self) -> Features:
        """Legal-operative features of the hit (modality, exceptions, scope, terms): computed on first use."""
        return analyse(self.text)

    def as_dict(self, *, features: bool = True) -> HitRecord:
        """The hit as plain JSON-ready data (with a description of its features)."""
        out: HitRecord = {
            "agreement": self.agreement,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "id": self.id,
            "num": self.num,
            "heading": self.heading,
            "chapter": self.chapter,
            "parties": list(self.parties),
            "level": self.level,
            "score": round(self.score, 1),
            "text": self.text,
        }
        if features:
            out["modality"] = self.features.modality.value
            out["features"] = self.features.describe()
        return out

    def __str__(self) -> str:
        when = self.date.isoformat() if self.date else "undated"
        where = f"{self.num or self.id.rsplit('/', 1)[-1]}" + (f" {self.heading}" if self.heading else "")
        return f"{self.score:5.1f}  {self.agreement} ({when}) {where}: {self.title}"


class _HitTable(tuple[Hit, ...]):
    """Hits shown as a table: in a notebook, as a DataFrame, as rows for a spreadsheet."""

    _COLUMNS = ("score", "agreement", "date", "parties", "num", "heading", "chapter", "modality", "id", "text")

    def records(self, *, features: bool = True) -> list[dict[str, Any]]:
        """One flat row per hit (lists joined with ", "), ready for ``csv.DictWriter`` or pandas."""
        rows = []
        for hit in self:
            row: dict[str, Any] = dict(hit.as_dict(features=features))
            row["parties"] = ", ".join(row["parties"])
            rows.append(row)
        return rows

    def to_frame(self) -> Any:
        """The hits as a pandas DataFrame, best first (needs ``pip install 'tradeclauses[pandas]'``)."""
        try:
            import pandas as pd  # noqa: PLC0415
        except ImportError as exc:
            raise MissingDependencyError(f"{type(self).__name__}.to_frame()", "pandas") from exc
        rows = self.records()
        columns = [*self._COLUMNS, "title", "level", "features"]
        return pd.DataFrame.from_records(rows, columns=columns)

    def to_csv(self, path: str | Path | None = None) -> str:
        """The rows of :meth:`records` as CSV text (also written to ``path`` when given)."""
        from tradeclauses.render.tables import columns_of, to_csv  # noqa: PLC0415

        rows = self.records()
        return to_csv(rows, columns_of(rows, self._COLUMNS), path)

    def to_excel(self, path: str | Path) -> None:
        """The rows of :meth:`records` as an ``.xlsx`` sheet "Hits" (``pip install 'tradeclauses[excel]'``)."""
        from tradeclauses.render.tables import columns_of, to_excel  # noqa: PLC0415

        rows = self.records()
        to_excel({"Hits": (columns_of(rows, self._COLUMNS), rows)}, path)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{name}</th>" for name in ("score", "agreement", "date", "provision", "modality", "text"))
        body = []
        for hit in self:
            where = " ".join(x for x in (hit.num, hit.heading) if x) or hit.id
            excerpt = hit.text if len(hit.text) <= 200 else hit.text[:200] + "…"
            cells = (
                f"{hit.score:.1f}",
                f"{html.escape(hit.agreement)}<br><small>{html.escape(hit.title)}</small>",
                hit.date.isoformat() if hit.date else "—",
                html.escape(where) + (f"<br><small>{html.escape(hit.chapter)}</small>" if hit.chapter else ""),
                html.escape(hit.features.modality.value),
                html.escape(excerpt),
            )
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class Hits(_HitTable):
    """The hits of one query, best first; ``query`` holds the text searched for.

    ``str()`` lists them, :meth:`to_frame` makes a DataFrame, :meth:`records` rows for a
    spreadsheet; in a notebook they show as a table.
    """

    query: str

    def __new__(cls, hits: Iterable[Hit], query: str = "") -> Hits:
        self = super().__new__(cls, hits)
        self.query = query
        return self

    def __str__(self) -> str:
        if not self:
            return "(no hit: nothing shares a two-word phrase with the query, at or above the score cutoff)"
        return "\n".join(str(h) for h in self)


class Lineage(_HitTable):
    """Precedents of an article in earlier agreements, newest first (one per agreement).

    ``article`` is the id of the article whose lineage this is; ``str()`` shows the chain
    from the oldest precedent to the article; :meth:`to_frame` and the notebook table
    list the precedents, newest first.
    """

    article: str

    def __new__(cls, hits: Iterable[Hit], article: str = "") -> Lineage:
        self = super().__new__(cls, hits)
        self.article = article
        return self

    def __str__(self) -> str:
        steps = [f"{h.agreement} {h.num or h.id} ({h.date.year if h.date else '?'}, {h.score:.0f})" for h in self]
        return " → ".join([*reversed(steps), self.article])


def _units(agreement: Agreement, level: Level) -> Iterable[tuple[str, str | None, str | None, str | None, str]]:
    """(id, num, article heading, chapter heading, text) of every article, or every paragraph, that has words."""
    for chapter in agreement.chapters:
        for art in chapter.articles:
            if level == "article":
                if art.status != "missing":
                    yield art.id, art.num, art.heading, chapter.heading, art.text
                continue
            for block in art.children:
                if not isinstance(block, Gap) and block.text:
                    yield block.id, block.num or art.num, art.heading, chapter.heading, block.text


def phrases(text: str) -> tuple[tuple[str, str], ...]:
    """The overlapping two-word phrases of ``text`` that the search score compares.

    The words are those of :func:`~tradeclauses.normalize.tokens` (normalised, punctuation
    dropped); ``"^"`` and ``"$"`` stand for the start and the end of the text.

    Examples:
        >>> phrases("No Party shall prohibit.")
        (('^', 'no'), ('no', 'party'), ('party', 'shall'), ('shall', 'prohibit'), ('prohibit', '$'))
    """
    words = ("^", *tokens(text), "$")
    return tuple(itertools.pairwise(words))


def phrase_similarity(a: str, b: str) -> float:
    """The search score of two texts, 0–100 (100: the same words in the same order).

    ``fuzz.ratio`` of their :func:`phrases`: twice the number of phrases the two have in
    common in the same order, over the number of phrases of both, as a percentage.

    Examples:
        >>> phrase_similarity("No Party shall prohibit the transfer.", "No Party shall restrict the transfer.")
        71.42857142857143
        >>> phrase_similarity("Each Party shall endeavour to", "each party shall endeavor to")
        100.0
    """
    return float(fuzz.ratio(phrases(a), phrases(b)))


class SearchIndex:
    """A corpus prepared for exact precedent search: phrase sequences and an inverted index.

    Build it with :meth:`build`, query it with :meth:`query`, keep it with :meth:`save`
    and :meth:`load`. See the module notes for the score and why the search is exact.

    Examples:
        >>> import tradeclauses as tc, tempfile, pathlib
        >>> index = SearchIndex.build([tc.load("usmca")], level="paragraph")
        >>> len(index)
        22
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "usmca.npz"
        >>> index.save(path)
        >>> hits = SearchIndex.load(path).query("No Party shall require the transfer of, or access to, "
        ...     "a source code of software owned by a person of another Party as a condition for the import, "
        ...     "distribution, sale or use of that software in its territory.")
        >>> hits[0].id, round(hits[0].score)
        ('usmca/ch19/art19.16/para1', 82)
    """

    def __init__(
        self,
        *,
        level: Level,
        agreements: Sequence[tuple[str, str, date | None]],
        owner: npt.NDArray[np.int32],
        ids: Sequence[str],
        nums: Sequence[str | None],
        headings: Sequence[str | None],
        chapters: Sequence[str | None],
        parties: Sequence[Sequence[str]],
        texts: Sequence[str],
        words: Sequence[str],
        keys: npt.NDArray[np.int64],
        sequence: npt.NDArray[np.int32],
        lengths: npt.NDArray[np.int32],
    ) -> None:
        self.level: Level = level
        self.agreements = tuple(agreements)
        """(id, title, date) of every agreement indexed."""
        self.owner = owner
        """Position in :attr:`agreements` of each unit's agreement."""
        self.ids = list(ids)
        self.nums = list(nums)
        self.headings = list(headings)
        self.chapters = list(chapters)
        """Heading of each unit's chapter."""
        self.parties = [tuple(p) for p in parties]
        """Parties of each agreement (parallel to :attr:`agreements`)."""
        self.texts = list(texts)
        self.words = {word: i for i, word in enumerate(words, start=2)}
        """Vocabulary: word → id (0 and 1 stand for a text's start and end)."""
        self.keys = keys
        """Sorted keys of the phrases seen (``first word id × base + second word id``); a phrase's id is its place."""
        self.sequence = sequence
        """Every unit's phrase ids, one unit after the other."""
        self.lengths = lengths
        """Phrases per unit."""
        self._ends = np.cumsum(lengths, dtype=np.int64)
        self._starts = self._ends - lengths
        self._base = len(self.words) + 2
        self._dates = np.array([a[2].toordinal() if a[2] else -1 for a in self.agreements], dtype=np.int64)
        self._positions = {node_id: i for i, node_id in enumerate(self.ids)}
        postings = sparse.csc_matrix(
            (np.ones(len(sequence), dtype=np.int32), (np.repeat(np.arange(len(lengths)), lengths), sequence)),
            shape=(len(lengths), len(keys)),
        )
        postings.sum_duplicates()
        self._post_ptr: npt.NDArray[np.int64] = postings.indptr.astype(np.int64)
        self._post_units: npt.NDArray[np.int32] = postings.indices.astype(np.int32)
        self._post_counts: npt.NDArray[np.int32] = postings.data.astype(np.int32)

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        return f"SearchIndex({len(self.agreements)} agreements, {len(self)} {self.level}s)"

    # ------------------------------------------------------------------ building

    @classmethod
    def build(
        cls,
        corpus: Corpus | Iterable[Agreement],
        *,
        level: Level = "article",
        progress: bool | None = None,
        workers: int | None = None,
    ) -> SearchIndex:
        """Index a corpus: every article (or paragraph) that has words.

        Args:
            corpus: agreements, or a :class:`~tradeclauses.corpus.Corpus` (read in
                parallel; files that cannot be read are skipped and named on stderr).
            level: ``"article"`` or ``"paragraph"`` (top-level paragraphs and definitions).
            progress: progress bars on stderr (reading, then indexing); by default only when
                stderr is a terminal.
            workers: processes used to read a :class:`Corpus` (default: one per CPU).

        Examples:
            >>> import tradeclauses as tc
            >>> SearchIndex.build([tc.load("usmca")])
            SearchIndex(1 agreements, 8 articles)
        """
        if level not in ("article", "paragraph"):
            msg = f"level must be 'article' or 'paragraph', not {level!r}"
            raise InvalidArgumentError(msg)
        agreements = (
            corpus.load_all(progress=progress, workers=workers, errors="skip")
            if isinstance(corpus, Corpus)
            else _agreements(corpus)
        )
        bar = progress_bar(len(agreements), "indexing", progress)
        meta: list[tuple[str, str, date | None]] = []
        owner: list[int] = []
        ids: list[str] = []
        nums: list[str | None] = []
        headings: list[str | None] = []
        chapters: list[str | None] = []
        texts: list[str] = []
        vocabulary: dict[str, int] = {}
        words: list[npt.NDArray[np.int64]] = []
        for a, agreement in enumerate(agreements):
            meta.append((agreement.id, agreement.title, agreement.date_signed))
            for node_id, num, heading, chapter, text in _units(agreement, level):
                found = tokens(text)
                if not found:
                    continue
                owner.append(a)
                ids.append(node_id)
                nums.append(num)
                headings.append(heading)
                chapters.append(chapter)
                texts.append(text)
                row = np.empty(len(found) + 2, dtype=np.int64)
                row[0], row[-1] = _START, _END
                row[1:-1] = [vocabulary.setdefault(w, len(vocabulary) + 2) for w in found]
                words.append(row)
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
        base = len(vocabulary) + 2
        flat = np.concatenate(words) if words else np.zeros(0, dtype=np.int64)
        within = flat[:-1] != _END  # the pair (end of one unit, start of the next) is no phrase
        keys, sequence = np.unique((flat[:-1] * base + flat[1:])[within], return_inverse=True)
        return cls(
            level=level,
            agreements=meta,
            owner=np.asarray(owner, dtype=np.int32),
            ids=ids,
            nums=nums,
            headings=headings,
            chapters=chapters,
            parties=[a.parties for a in agreements],
            texts=texts,
            words=sorted(vocabulary, key=vocabulary.__getitem__),
            keys=keys.astype(np.int64),
            sequence=sequence.astype(np.int32).ravel(),
            lengths=np.asarray([len(w) - 1 for w in words], dtype=np.int32),
        )

    # ------------------------------------------------------------------ querying

    def phrase_ids(self, text: str) -> npt.NDArray[np.int64]:
        """The phrase ids of ``text``; phrases the index has never seen get ids of their own, from ``len(keys)`` on."""
        row = np.array([_START, *(self.words.get(w, -1) for w in tokens(text)), _END], dtype=np.int64)
        first, second = row[:-1], row[1:]
        key = first * self._base + second
        where = np.searchsorted(self.keys, key).clip(max=max(len(self.keys) - 1, 0))
        known = (first >= 0) & (second >= 0) & (len(self.keys) > 0)
        if len(self.keys):
            known &= self.keys[where] == key
        out = where.astype(np.int64)
        out[~known] = len(self.keys) + np.arange(int((~known).sum()))
        return out

    def _allowed(self, exclude: Iterable[str], before: date | None) -> npt.NDArray[np.bool_] | None:
        excluded = set(exclude)
        if not excluded and before is None:
            return None
        ok = np.ones(len(self.agreements), dtype=np.bool_)
        for a, (agreement_id, _, _) in enumerate(self.agreements):
            if agreement_id in excluded:
                ok[a] = False
        if before is not None:
            ok &= (self._dates >= 0) & (self._dates < before.toordinal())
        return np.asarray(ok[self.owner], dtype=np.bool_)

    def shared(self, query: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """For every unit, the number of phrases it shares with ``query`` (phrase ids), with multiplicity."""
        seen = query[query < len(self.keys)]
        if not len(seen):
            return np.zeros(len(self), dtype=np.int64)
        cols, wanted = np.unique(seen, return_counts=True)
        ptr, units = self._post_ptr, self._post_units
        once = [units[ptr[c] : ptr[c + 1]] for c in cols[wanted == 1].tolist()]
        out = np.bincount(np.concatenate(once) if once else units[:0], minlength=len(self))
        for c, n in zip(cols[wanted > 1].tolist(), wanted[wanted > 1].tolist(), strict=True):
            out[units[ptr[c] : ptr[c + 1]]] += np.minimum(self._post_counts[ptr[c] : ptr[c + 1]], n)
        return out

    def _score(
        self, query: npt.NDArray[np.int64], positions: npt.NDArray[np.intp], cutoff: float
    ) -> npt.NDArray[np.float64]:
        """RapidFuzz ``fuzz.ratio`` of the query's phrases against those of the units at ``positions``."""
        out = np.zeros(len(positions), dtype=np.float64)
        textual = len(self.keys) + len(query) < _CODE_POINTS
        q: str | list[int] = _as_text(query) if textual else query.tolist()
        for lo in range(0, len(positions), _CHUNK):
            chunk = positions[lo : lo + _CHUNK]
            choices: list[str] | list[list[int]] = (
                [self._phrase_texts[i] for i in chunk]
                if textual
                else [self.sequence[self._starts[i] : self._ends[i]].tolist() for i in chunk]
            )
            out[lo : lo + len(chunk)] = process.cdist(
                [q],
                choices,
                scorer=fuzz.ratio,
                dtype=np.float64,
                workers=-1 if len(chunk) > 256 else 1,
                score_cutoff=cutoff if cutoff > 0 else None,
            )[0]
        return out

    @cached_property
    def _phrase_texts(self) -> list[str]:
        """Every unit's phrase ids as a string of one code point each, made on first use."""
        joined = _as_text(self.sequence)
        return [joined[s:e] for s, e in zip(self._starts.tolist(), self._ends.tolist(), strict=True)]

    @overload
    def query(  # type: ignore[overload-overlap]  # a str is also a Sequence
        self,
        queries: Query,
        *,
        k: int = ...,
        score_cutoff: float = ...,
        exhaustive: bool = ...,
        exclude: Iterable[str] = ...,
        before: date | None = ...,
    ) -> Hits: ...

    @overload
    def query(
        self,
        queries: Sequence[Query] | Agreement | Chapter,
        *,
        k: int = ...,
        score_cutoff: float = ...,
        exhaustive: bool = ...,
        exclude: Iterable[str] = ...,
        before: date | None = ...,
    ) -> list[Hits]: ...

    def query(
        self,
        queries: Query | Sequence[Query] | Agreement | Chapter,
        *,
        k: int = 10,
        score_cutoff: float = 0.0,
        exhaustive: bool = False,
        exclude: Iterable[str] = (),
        before: date | None = None,
    ) -> Hits | list[Hits]:
        """The ``k`` units most similar to each query, best first (ties: in corpus order).

        A hit shares at least one phrase with its query (scores above 0) and scores at
        least ``score_cutoff``.

        Args:
            queries: a text, an article or paragraph, or several (a list, a chapter, an
                agreement: one result per article).
            k: hits per query.
            score_cutoff: leave out hits scoring below this (0–100).
            exhaustive: score every unit (the reference path; the same hits, slower).
            exclude: ids of agreements to leave out (e.g. the query's own).
            before: only agreements signed before this date (undated ones are left out).

        Returns:
            :class:`Hits` for one query; a list of them for several.

        Examples:
            >>> import tradeclauses as tc
            >>> index = SearchIndex.build([tc.load("usmca")])
            >>> [h.num for h in index.query(tc.load("usmca")["19.15"], k=1)]
            ['19.15']
            >>> found = index.query(["cross-border transfer of information", "source code"], k=2)
            >>> [[h.num for h in hits] for hits in found]
            [['19.11', '19.8'], ['19.16']]
            >>> index.query("fisheries quotas")  # shares no two-word phrase with any article
            ()
        """
        if k < 1:
            msg = f"k must be at least 1, not {k}"
            raise InvalidArgumentError(msg)
        single = isinstance(queries, _QUERY_TYPES)
        what = "a clause: a text, an article or paragraph, or several of them"
        if isinstance(queries, Agreement | Chapter):
            items: list[Query] = list(queries.articles)
        elif isinstance(queries, _QUERY_TYPES):
            items = [queries]
        else:
            expect(queries, (list, tuple), what)
            items = list(queries)
        for item in items:
            expect(item, _QUERY_TYPES, what)
        allowed = self._allowed(exclude, before)
        results: list[Hits] = []
        for item in items:
            text = item if isinstance(item, str) else item.text
            phrase_ids = self.phrase_ids(text)
            if exhaustive:
                ranked = self._exhaustive(phrase_ids, k=k, cutoff=score_cutoff, allowed=allowed)
            else:
                ranked = self._bounded(phrase_ids, k=k, cutoff=score_cutoff, allowed=allowed)
            results.append(Hits((self.hit(i, s) for i, s in ranked), text))
        return results[0] if single else results

    def _exhaustive(
        self, query: npt.NDArray[np.int64], *, k: int, cutoff: float, allowed: npt.NDArray[np.bool_] | None
    ) -> list[tuple[int, float]]:
        pool = np.arange(len(self)) if allowed is None else np.flatnonzero(allowed)
        return _best(pool, self._score(query, pool, cutoff), k, cutoff)

    def _bounded(
        self, query: npt.NDArray[np.int64], *, k: int, cutoff: float, allowed: npt.NDArray[np.bool_] | None
    ) -> list[tuple[int, float]]:
        # bound >= score for every unit: phrases in common in order <= phrases in common
        bound = (200.0 * self.shared(query)) / (len(query) + self.lengths)
        if allowed is not None:
            bound[~allowed] = 0.0
        pool = np.flatnonzero(bound >= max(cutoff - _EPS, _TINY))
        first = max(_FIRST_BATCH, 4 * k)
        if len(pool) <= first:
            return _best(pool, self._score(query, pool, cutoff), k, cutoff)
        top = pool[np.argpartition(bound[pool], len(pool) - first)[len(pool) - first :]]
        scores = self._score(query, top, cutoff)
        floor = max(float(np.partition(scores, first - k)[first - k]), cutoff, _TINY)
        # no unit left out can beat the k-th best score found: its bound is below it
        left = bound >= floor - _EPS
        left[top] = False
        rest = np.flatnonzero(left)
        top = np.concatenate([top, rest])
        scores = np.concatenate([scores, self._score(query, rest, floor - _EPS)])
        return _best(top, scores, k, cutoff)

    def hit(self, position: int, score: float) -> Hit:
        """The unit at ``position`` as a :class:`Hit` with the given score."""
        agreement_id, title, signed = self.agreements[int(self.owner[position])]
        return Hit(
            agreement=agreement_id,
            title=title,
            date=signed,
            id=self.ids[position],
            num=self.nums[position],
            heading=self.headings[position],
            score=round(score, 2),
            text=self.texts[position],
            level=self.level,
            parties=self.parties[int(self.owner[position])],
            chapter=self.chapters[position],
        )

    def position(self, unit_id: str) -> int:
        """The position of the unit with id ``unit_id``.

        Raises:
            ProvisionNotFoundError: no such unit in the index.
        """
        try:
            return self._positions[unit_id]
        except KeyError:
            raise ProvisionNotFoundError("the index", unit_id, f"{len(self)} {self.level}s indexed") from None

    def date_of(self, agreement_id: str) -> date | None:
        """Signature date of an indexed agreement (``None`` if unknown or not indexed)."""
        for a_id, _, signed in self.agreements:
            if a_id == agreement_id:
                return signed
        return None

    # ------------------------------------------------------------------ saving

    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (a NumPy ``.npz`` archive of plain arrays and JSON).

        Examples:
            >>> import tradeclauses as tc, tempfile, pathlib
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "index.npz"
            >>> SearchIndex.build([tc.load("usmca")]).save(path)
            >>> SearchIndex.load(path)
            SearchIndex(1 agreements, 8 articles)
        """
        meta = {
            "format": "tradeclauses-search-index",
            "version": FORMAT_VERSION,
            "level": self.level,
            "agreements": [[a, t, d.isoformat() if d else None] for a, t, d in self.agreements],
            "ids": self.ids,
            "nums": self.nums,
            "headings": self.headings,
            "chapters": self.chapters,
            "parties": [list(p) for p in self.parties],
            "words": sorted(self.words, key=self.words.__getitem__),
        }
        texts, text_ends = _pack(self.texts)
        with Path(path).open("wb") as fh:
            np.savez(
                fh,
                meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                texts=texts,
                text_ends=text_ends,
                owner=self.owner,
                keys=self.keys,
                sequence=self.sequence,
                lengths=self.lengths,
            )

    @classmethod
    def load(cls, path: str | Path) -> SearchIndex:
        """Read an index written by :meth:`save` (never unpickles: no code runs from the file).

        The archive is checked before anything is inflated: only the members of an index
        are read, at most :data:`MAX_INDEX_BYTES` in all, none inflating more than
        :data:`MAX_INDEX_RATIO` times its size, and no array larger than its member;
        every array must then fit every other, and the vocabulary must give back the
        phrases of the stored texts.

        Raises:
            IndexFormatError: the file is not a tradeclauses index, is of another
                version, or is damaged (a bad checksum, arrays that do not fit together).
        """
        expect(path, (str, Path), "the path of a saved index (str or Path)")
        if Path(path).is_dir():
            raise IndexFormatError(path, "is a directory, not a search index file")
        if not Path(path).is_file():
            raise IndexFormatError(path, "no such file")
        if not zipfile.is_zipfile(path):  # np.load would read anything else as a pickle, and refuse it
            raise IndexFormatError(path, "not a search index (not a NumPy .npz archive)")
        try:
            arrays = _read_arrays(Path(path))
            meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        except IndexFormatError:
            raise
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error, RuntimeError) as exc:
            raise IndexFormatError(path, f"not a search index, or a damaged one ({exc})") from None
        if not isinstance(meta, dict) or meta.get("format") != "tradeclauses-search-index":
            raise IndexFormatError(path, "not a tradeclauses search index")
        if meta.get("version") != FORMAT_VERSION:
            raise IndexFormatError(
                path, f"index format {meta.get('version')}, this version reads {FORMAT_VERSION}: build it again"
            )
        try:
            ids = meta["ids"]
            keys = arrays["keys"].astype(np.int64)
            sequence = arrays["sequence"].astype(np.int32)
            lengths = arrays["lengths"].astype(np.int32)
            owner = arrays["owner"].astype(np.int32)
            texts = _unpack(arrays["texts"], arrays["text_ends"])
            agreements = [(a, t, date.fromisoformat(d) if d else None) for a, t, d in meta["agreements"]]
            problem = _inconsistent(
                words=meta["words"],
                texts_read=texts,
                units=[len(ids), len(meta["nums"]), len(meta["headings"]), len(meta["chapters"])],
                agreements=len(agreements),
                parties=len(meta["parties"]),
                texts=len(texts),
                keys=keys,
                sequence=sequence,
                lengths=lengths,
                owner=owner,
            )
            if problem:
                raise ValueError(problem)
            return cls(
                level=meta["level"],
                agreements=agreements,
                owner=owner,
                ids=ids,
                nums=meta["nums"],
                headings=meta["headings"],
                chapters=meta["chapters"],
                parties=meta["parties"],
                texts=texts,
                words=meta["words"],
                keys=keys,
                sequence=sequence,
                lengths=lengths,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFormatError(path, f"damaged index ({exc})") from None


def _read_arrays(path: Path) -> dict[str, npt.NDArray[Any]]:
    """The arrays of an index archive, each checked against its member's size before it is read."""
    with zipfile.ZipFile(path) as zf:
        infos = {info.filename: info for info in zf.infolist()}
        wanted = [infos.get(f"{name}.npy") for name in _ARRAYS]
        missing = [name for name, info in zip(_ARRAYS, wanted, strict=True) if info is None]
        if missing:
            raise IndexFormatError(path, f"not a search index (no {', '.join(missing)} array)")
        members = [info for info in wanted if info is not None]
        total = sum(info.file_size for info in members)
        if total > MAX_INDEX_BYTES:
            raise IndexFormatError(path, f"the index would inflate to {total:,} bytes (limit {MAX_INDEX_BYTES:,})")
        out: dict[str, npt.NDArray[Any]] = {}
        for name, info in zip(_ARRAYS, members, strict=True):
            if info.file_size > 1 << 20 and info.file_size > MAX_INDEX_RATIO * max(info.compress_size, 1):
                raise IndexFormatError(
                    path, f"member {info.filename!r} would inflate {info.file_size // max(info.compress_size, 1):,} "
                    f"times (limit {MAX_INDEX_RATIO}): refused as a zip bomb"
                )
            with zf.open(info) as fh:
                version = np.lib.format.read_magic(fh)
                fmt = np.lib.format
                header = fmt.read_array_header_2_0 if version >= (2, 0) else fmt.read_array_header_1_0
                shape, _fortran, dtype = header(fh)
                size = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
                if dtype.hasobject or size > info.file_size:
                    msg = f"member {info.filename!r} declares {size:,} bytes of data it does not hold"
                    raise IndexFormatError(path, msg)
            with zf.open(info) as fh:
                out[name] = np.lib.format.read_array(fh, allow_pickle=False)
        return out


def _vocabulary_fits(
    words: Sequence[str], texts: Sequence[str], keys: npt.NDArray[np.int64], sequence: npt.NDArray[np.int32],
    lengths: npt.NDArray[np.int32],
) -> bool:
    """Do the stored phrases of some units, spread over the index, follow from their texts and the vocabulary?"""
    vocabulary = {word: i for i, word in enumerate(words, start=2)}
    base = len(vocabulary) + 2
    ends = np.cumsum(lengths, dtype=np.int64)
    step = max(1, len(texts) // _CHECKED_UNITS)
    for unit in range(0, len(texts), step):
        row = [_START, *(vocabulary.get(w, -1) for w in tokens(texts[unit])), _END]
        expected = [a * base + b for a, b in itertools.pairwise(row)]
        start = int(ends[unit]) - int(lengths[unit])
        if expected != keys[sequence[start : int(ends[unit])]].tolist():
            return False
    return True


def _inconsistent(
    *,
    words: Sequence[str],
    texts_read: Sequence[str],
    units: Sequence[int],
    agreements: int,
    parties: int,
    texts: int,
    keys: npt.NDArray[np.int64],
    sequence: npt.NDArray[np.int32],
    lengths: npt.NDArray[np.int32],
    owner: npt.NDArray[np.int32],
) -> str:
    """Why the arrays of a loaded index do not fit together ("" if they do).

    ``units`` are the lengths of the per-unit lists (ids first, then nums, headings, chapters).
    """
    if not units[0] == texts == len(lengths) == len(owner):
        return f"{units[0]} ids, {texts} texts, {len(lengths)} lengths, {len(owner)} owners"
    if len(set(units)) > 1:
        return "unit lists of different lengths"
    if parties != agreements:
        return "parties not given for every agreement"
    if int(lengths.sum()) != len(sequence) or (len(lengths) and int(lengths.min()) < 1):
        return "phrase counts do not add up to the phrase sequence"
    if len(sequence) and not 0 <= int(sequence.min()) <= int(sequence.max()) < len(keys):
        return "phrase ids out of range"
    if len(owner) and not 0 <= int(owner.min()) <= int(owner.max()) < agreements:
        return "agreement positions out of range"
    if len(keys) > 1 and not bool(np.all(keys[1:] > keys[:-1])):
        return "phrase keys not sorted"
    if not all(isinstance(w, str) for w in words) or len(set(words)) != len(words):
        return "the phrase vocabulary repeats words or holds other things"
    if len(keys) and not 0 <= int(keys[0]) <= int(keys[-1]) < (len(words) + 2) ** 2:
        return "phrase keys do not fit the vocabulary"
    if not _vocabulary_fits(words, texts_read, keys, sequence, lengths):
        return "the phrase vocabulary does not give back the phrases of the stored texts"
    return ""


def _best(
    positions: npt.NDArray[np.intp], scores: npt.NDArray[np.float64], k: int, cutoff: float
) -> list[tuple[int, float]]:
    """The ``k`` best (position, score) with score above 0 and at least ``cutoff``: best first, ties in corpus order."""
    keep = (scores > 0) & (scores >= cutoff)
    positions, scores = positions[keep], scores[keep]
    order = np.lexsort((positions, -scores))[:k]
    return [(int(positions[j]), float(scores[j])) for j in order]


def _as_text(ids: npt.NDArray[Any]) -> str:
    """Phrase ids as a string of one code point each (skipping the surrogates), RapidFuzz's fastest input."""
    points = ids.astype(np.uint32)
    points = points + (points >= 0xD800).astype(np.uint32) * 0x800
    return points.astype("<u4").tobytes().decode("utf-32-le")


def _pack(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    joined = "".join(texts)
    ends = np.cumsum([len(t) for t in texts], dtype=np.int64)
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8), ends


def _unpack(blob: npt.NDArray[np.uint8], ends: npt.NDArray[np.int64]) -> list[str]:
    joined = blob.tobytes().decode("utf-8")
    if len(ends) and (int(ends[-1]) != len(joined) or bool(np.any(np.diff(ends) < 0))):
        msg = "text offsets do not fit the texts"
        raise ValueError(msg)
    starts = [0, *ends[:-1].tolist()]
    return [joined[s:e] for s, e in zip(starts, ends.tolist(), strict=True)]


def _agreements(corpus: object) -> list[Agreement]:
    """The agreements of a corpus given as an iterable, each checked to be one."""
    what = "a corpus: a SearchIndex, a Corpus, an agreement or a list of agreements"
    if not isinstance(corpus, Iterable) or isinstance(corpus, str | bytes | dict):
        expect(corpus, (list, tuple), what)
    out: list[Agreement] = []
    for item in corpus:  # type: ignore[attr-defined]  # an iterable, checked above
        expect(item, Agreement, what)
        out.append(item)
    return out


def _index(corpus: SearchIndex | Agreements, level: Level, progress: bool | None) -> SearchIndex:
    if isinstance(corpus, SearchIndex):
        if corpus.level != level:
            msg = f"the index holds {corpus.level}s, not {level}s"
            raise InvalidArgumentError(msg)
        return corpus
    return SearchIndex.build(collect(corpus, what="corpus"), level=level, progress=progress)


@overload
def search(  # type: ignore[overload-overlap]  # a str is also a Sequence
    clause: Query,
    corpus: SearchIndex | Agreements,
    *,
    k: int = ...,
    level: Level = ...,
    score_cutoff: float = ...,
    exhaustive: bool = ...,
    exclude: Iterable[str] = ...,
    before: date | None = ...,
    progress: bool | None = ...,
) -> Hits: ...


@overload
def search(
    clause: Sequence[Query] | Agreement | Chapter,
    corpus: SearchIndex | Agreements,
    *,
    k: int = ...,
    level: Level = ...,
    score_cutoff: float = ...,
    exhaustive: bool = ...,
    exclude: Iterable[str] = ...,
    before: date | None = ...,
    progress: bool | None = ...,
) -> list[Hits]: ...


def search(
    clause: Query | Sequence[Query] | Agreement | Chapter,
    corpus: SearchIndex | Agreements,
    *,
    k: int = 10,
    level: Level = "article",
    score_cutoff: float = 0.0,
    exhaustive: bool = False,
    exclude: Iterable[str] = (),
    before: date | None = None,
    progress: bool | None = None,
) -> Hits | list[Hits]:
    """The ``k`` articles (or paragraphs) of ``corpus`` most similar to ``clause``.

    Args:
        clause: a text, an article or paragraph, or several (a list, a chapter or an
            agreement give one result per article).
        corpus: a :class:`SearchIndex` (fastest: build it once), or what
            :func:`tradeclauses.corpus.collect` takes: an agreement, a name, a file or
            folder path (ToTA's ``xml/`` or your own files), a
            :class:`~tradeclauses.corpus.Corpus`, or a list of them; anything but an index
            is indexed first.
        k: hits per query.
        level: search ``"article"``\\ s or ``"paragraph"``\\ s.
        score_cutoff: leave out hits scoring below this (0–100; see the module notes for the score).
        exhaustive: score every unit (the reference path: the same hits, slower).
        exclude: ids of agreements to leave out.
        before: only agreements signed before this date.
        progress: progress bars on stderr while reading and indexing (by default only when
            stderr is a terminal).

    Returns:
        :class:`Hits` (best first) for one clause; a list of them for several.

    Examples:
        >>> import tradeclauses as tc
        >>> usmca = tc.load("usmca")
        >>> hits = search("Given the evolving nature of cybersecurity threats, the Parties recognise that "
        ...     "risk-based approaches may be more effective than prescriptive regulation. Accordingly, each "
        ...     "Party shall endeavour to employ risk-based approaches that rely on consensus-based standards "
        ...     "to identify and protect against cybersecurity risks.", usmca, level="paragraph", k=1)
        >>> print(hits[0].id, hits[0].date, hits[0].features.modality.value)
        usmca/ch19/art19.15/para2 None endeavour
    """
    index = _index(corpus, level, progress)
    return index.query(
        clause, k=k, score_cutoff=score_cutoff, exhaustive=exhaustive, exclude=exclude, before=before
    )


def lineage(
    article: Article | str,
    corpus: SearchIndex | Agreements,
    *,
    before: date | None = None,
    score_cutoff: float = PRECEDENT_CUTOFF,
    depth: int = 10,
) -> Lineage:
    """Where an article comes from: its most similar article in each earlier agreement.

    One precedent per agreement (its most similar article, scoring at least
    ``score_cutoff``), ordered by date, newest first: the nearest precedent leads.
    ``str()`` of the result reads from the oldest to the article.

    Args:
        article: an article, or the id of an article: one in ``corpus``, or in an
            agreement :func:`tradeclauses.load` knows (``"usmca/ch19/art19.11"``).
        corpus: where to look (an index of articles, a corpus, agreements); the
            article's own agreement is left out.
        before: only agreements signed before this date; by default the date of the
            article's agreement when the corpus knows it, else every dated agreement.
        score_cutoff: least score (0–100) of a precedent (:data:`PRECEDENT_CUTOFF`).
        depth: at most this many precedents.

    Examples:
        >>> import tradeclauses as tc
        >>> usmca = tc.load("usmca")
        >>> older = tc.parse("Article 7: Location of Computing Facilities\\nNo Party shall require a covered "
        ...     "person to use or locate computing facilities in that Party's territory as a condition "
        ...     "for conducting business in that territory.", agreement_id="older")
        >>> older = older.replace(date_signed=__import__("datetime").date(2016, 2, 4))
        >>> str(lineage(usmca["19.12"], [usmca, older]))
        'older 7 (2016, 100) → usmca/ch19/art19.12'
    """
    expect(article, (Article, str), "an Article, or the id of an article of the corpus")
    index = _index(corpus, "article", False)
    signed: date | None = None
    if isinstance(article, Article):
        art_id, text = article.id, article.text
    elif isinstance(article, str):
        art_id, text, signed = _article_text(article, index)
    else:
        raise InputTypeError(f"article: expected an Article or an article id, not {type(article).__name__}")
    own = art_id.split("/", 1)[0]
    if before is None:
        before = index.date_of(own) or signed
    # every unit above the cutoff: the bound leaves few to score at a precedent's level
    hits = index.query(text, k=max(len(index), 1), score_cutoff=score_cutoff, exclude={own}, before=before)
    best: dict[str, Hit] = {}
    for hit in hits:
        if hit.date is not None and hit.agreement not in best:
            best[hit.agreement] = hit
    chosen = sorted(best.values(), key=lambda h: -h.score)[:depth]
    chosen.sort(key=lambda h: (h.date or date.min, h.score), reverse=True)
    return Lineage(chosen, art_id)


def _article_text(article_id: str, index: SearchIndex) -> tuple[str, str, date | None]:
    """Id, words and signature date of the article ``article_id``: from the index, or from the agreement it names."""
    if article_id in index._positions:
        return article_id, index.texts[index._positions[article_id]], None
    from tradeclauses.catalog import load  # noqa: PLC0415 - catalog imports the readers

    owner = article_id.split("/", 1)[0]
    try:
        agreement = load(owner)
    except UnknownAgreementError:
        raise ProvisionNotFoundError(
            "the index", article_id, f"not indexed, and {owner!r} is not an agreement tc.load knows"
        ) from None
    node = agreement.node(article_id)
    if not isinstance(node, Article):
        raise ProvisionNotFoundError(owner, article_id, "this id is not an article's")
    return node.id, node.text, agreement.date_signed
