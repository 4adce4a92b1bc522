"""Precedent search: where has a clause (or something like it) been used before?

:func:`search` finds the ``k`` articles (or paragraphs) of a corpus most similar to a
clause, each with its agreement, date, id, score and the legal-operative features of
the hit (:func:`~tradeclauses.analysis.analyse`). :func:`lineage` follows an article
back through earlier agreements, newest precedent first.

Searching a large corpus (ToTA's 450 agreements, 41,000 articles) goes through a
:class:`SearchIndex`, built once, saved to disk and loaded again:

1. **Candidates.** Every unit's :func:`~tradeclauses.normalize.normalize`\\ d text is a
   row of a sparse TF-IDF matrix over its words (sublinear term frequency, smoothed
   inverse document frequency, rows of unit length). A query's cosine similarity to
   every unit is one sparse product; the :data:`CANDIDATES` best units go on.
2. **Re-ranking.** The candidates are scored with RapidFuzz in one batch per query
   (``process.cdist`` with ``fuzz.ratio`` by default, over the normalised texts, on all
   cores), the same similarity as :func:`tradeclauses.alignment.similarity`. Only
   these scores are reported.

Hits scoring below ``score_cutoff`` (:data:`SCORE_CUTOFF`, 60 by default) are left out:
two unrelated provisions written in the same treaty register already score 45-58, so
lower "hits" are not precedents, and they are also what a word index cannot find
reliably. Pass ``score_cutoff=0`` to fill all ``k`` places, or ``exhaustive=True`` to
score every unit (exact, and about 15 to 50 times slower on ToTA).

The saved index is a NumPy ``.npz`` archive of plain arrays and JSON text, read with
``allow_pickle=False``: loading an index never runs code from the file.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> hits = search("No Party shall require a covered person to use or locate computing "
    ...               "facilities in its territory", usmca, k=2)
    >>> hits[0].id, round(hits[0].score)
    ('usmca/ch19/art19.12', 74)
    >>> hits[0].features.modality.value
    'prohibition'
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from scipy import sparse

from tradeclauses.analysis import Features, analyse
from tradeclauses.corpus import Corpus, Progress
from tradeclauses.errors import IndexFormatError, ProvisionNotFoundError
from tradeclauses.model import Agreement, Article, Chapter, Definition, Gap, Paragraph, Subparagraph
from tradeclauses.normalize import normalize

__all__ = [
    "CANDIDATES",
    "SCORE_CUTOFF",
    "Hit",
    "Hits",
    "Level",
    "Lineage",
    "SearchIndex",
    "lineage",
    "search",
]

SCORE_CUTOFF = 60.0
"""Hits scoring below this (0–100) are not reported unless asked for."""
CANDIDATES = 500
"""Units per query that the word index passes on to RapidFuzz for scoring."""
FORMAT_VERSION = 1
"""Version of the saved index layout; :meth:`SearchIndex.load` refuses others."""

Level = Literal["article", "paragraph"]
Scorer = Callable[..., float]
Query = str | Article | Paragraph | Subparagraph | Definition

_QUERY_TYPES = (str, Article, Paragraph, Subparagraph, Definition)
_WORD = re.compile(r"[a-z0-9]+(?:[-.'][a-z0-9]+)*")


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
    """Similarity to the query, 0–100 (100: the same words once normalised)."""
    text: str
    """The provision's words."""
    level: Level = "article"
    """``article`` or ``paragraph``."""

    @cached_property
    def features(self) -> Features:
        """Legal-operative features of the hit (modality, exceptions, scope, terms): computed on first use."""
        return analyse(self.text)

    def as_dict(self, *, features: bool = True) -> dict[str, Any]:
        """The hit as plain JSON-ready data (with a description of its features)."""
        out: dict[str, Any] = {
            "agreement": self.agreement,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "id": self.id,
            "num": self.num,
            "heading": self.heading,
            "level": self.level,
            "score": round(self.score, 1),
            "text": self.text,
        }
        if features:
            out["features"] = self.features.describe()
        return out

    def __str__(self) -> str:
        when = self.date.isoformat() if self.date else "undated"
        where = f"{self.num or self.id.rsplit('/', 1)[-1]}" + (f" {self.heading}" if self.heading else "")
        return f"{self.score:5.1f}  {self.agreement} ({when}) {where}: {self.title}"


class Hits(tuple[Hit, ...]):
    """The hits of one query, best first; ``query`` holds the text searched for."""

    query: str

    def __new__(cls, hits: Iterable[Hit], query: str = "") -> Hits:
        self = super().__new__(cls, hits)
        self.query = query
        return self

    def __str__(self) -> str:
        if not self:
            return "(no hit above the score cutoff)"
        return "\n".join(str(h) for h in self)


class Lineage(tuple[Hit, ...]):
    """Precedents of an article in earlier agreements, newest first (one per agreement).

    ``article`` is the id of the article whose lineage this is; ``str()`` shows the chain
    from the oldest precedent to the article.
    """

    article: str

    def __new__(cls, hits: Iterable[Hit], article: str = "") -> Lineage:
        self = super().__new__(cls, hits)
        self.article = article
        return self

    def __str__(self) -> str:
        steps = [f"{h.agreement} {h.num or h.id} ({h.date.year if h.date else '?'}, {h.score:.0f})" for h in self]
        return " → ".join([*reversed(steps), self.article])


def _units(agreement: Agreement, level: Level) -> Iterator[tuple[str, str | None, str | None, str]]:
    """(id, num, heading, text) of every article, or every paragraph, that has words."""
    for art in agreement.articles:
        if level == "article":
            if art.status != "missing":
                yield art.id, art.num, art.heading, art.text
            continue
        for block in art.children:
            if not isinstance(block, Gap) and block.text:
                yield block.id, block.num or art.num, art.heading, block.text


def _tokens(norm: str) -> list[str]:
    return _WORD.findall(norm)


class SearchIndex:
    """A corpus prepared for precedent search: normalised texts and a TF-IDF word index.

    Build it with :meth:`build`, query it with :meth:`query`, keep it with :meth:`save`
    and :meth:`load`.

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
        texts: Sequence[str],
        norms: Sequence[str],
        vocabulary: dict[str, int],
        idf: npt.NDArray[np.float32],
        matrix: sparse.csr_matrix,
    ) -> None:
        self.level: Level = level
        self.agreements = tuple(agreements)
        """(id, title, date) of every agreement indexed."""
        self.owner = owner
        self.ids = list(ids)
        self.nums = list(nums)
        self.headings = list(headings)
        self.texts = list(texts)
        self.norms = list(norms)
        self.vocabulary = vocabulary
        self.idf = idf
        self.matrix = matrix
        self._dates = np.array([a[2].toordinal() if a[2] else -1 for a in self.agreements], dtype=np.int64)
        self._positions = {node_id: i for i, node_id in enumerate(self.ids)}

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
        progress: bool = False,
        workers: int | None = None,
    ) -> SearchIndex:
        """Index a corpus: every article (or paragraph) that has words.

        Args:
            corpus: agreements, or a :class:`~tradeclauses.corpus.Corpus` (read in
                parallel; files that cannot be read are skipped and named on stderr).
            level: ``"article"`` or ``"paragraph"`` (top-level paragraphs and definitions).
            progress: draw progress bars on stderr (reading, then indexing).
            workers: processes used to read a :class:`Corpus` (default: one per CPU).

        Examples:
            >>> import tradeclauses as tc
            >>> SearchIndex.build([tc.load("usmca")])
            SearchIndex(1 agreements, 8 articles)
        """
        if level not in ("article", "paragraph"):
            msg = f"level must be 'article' or 'paragraph', not {level!r}"
            raise ValueError(msg)
        agreements = (
            corpus.load_all(progress=progress, workers=workers, errors="skip")
            if isinstance(corpus, Corpus)
            else list(corpus)
        )
        bar = Progress(len(agreements), "indexing", stream=sys.stderr) if progress else None
        meta: list[tuple[str, str, date | None]] = []
        owner: list[int] = []
        ids: list[str] = []
        nums: list[str | None] = []
        headings: list[str | None] = []
        texts: list[str] = []
        norms: list[str] = []
        for a, agreement in enumerate(agreements):
            meta.append((agreement.id, agreement.title, agreement.date_signed))
            for node_id, num, heading, text in _units(agreement, level):
                norm = normalize(text)
                if not norm:
                    continue
                owner.append(a)
                ids.append(node_id)
                nums.append(num)
                headings.append(heading)
                texts.append(text)
                norms.append(norm)
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
        vocabulary: dict[str, int] = {}
        counts = [Counter(_tokens(n)) for n in norms]
        for c in counts:
            for word in c:
                vocabulary.setdefault(word, len(vocabulary))
        tf = _counts_matrix(counts, vocabulary)
        df = np.bincount(tf.indices, minlength=len(vocabulary)).astype(np.float32)
        idf = (np.log((1.0 + len(norms)) / (1.0 + df)) + 1.0).astype(np.float32)
        return cls(
            level=level,
            agreements=meta,
            owner=np.asarray(owner, dtype=np.int32),
            ids=ids,
            nums=nums,
            headings=headings,
            texts=texts,
            norms=norms,
            vocabulary=vocabulary,
            idf=idf,
            matrix=_weigh(tf, idf),
        )

    # ------------------------------------------------------------------ querying

    def _vectors(self, norms: Sequence[str]) -> sparse.csr_matrix:
        counts = [Counter(w for w in _tokens(n) if w in self.vocabulary) for n in norms]
        return _weigh(_counts_matrix(counts, self.vocabulary), self.idf)

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

    @overload
    def query(  # type: ignore[overload-overlap]  # a str is also a Sequence
        self,
        queries: Query,
        *,
        k: int = ...,
        score_cutoff: float = ...,
        candidates: int = ...,
        exhaustive: bool = ...,
        exclude: Iterable[str] = ...,
        before: date | None = ...,
        scorer: Scorer = ...,
    ) -> Hits: ...

    @overload
    def query(
        self,
        queries: Sequence[Query] | Agreement | Chapter,
        *,
        k: int = ...,
        score_cutoff: float = ...,
        candidates: int = ...,
        exhaustive: bool = ...,
        exclude: Iterable[str] = ...,
        before: date | None = ...,
        scorer: Scorer = ...,
    ) -> list[Hits]: ...

    def query(
        self,
        queries: Query | Sequence[Query] | Agreement | Chapter,
        *,
        k: int = 10,
        score_cutoff: float = SCORE_CUTOFF,
        candidates: int = CANDIDATES,
        exhaustive: bool = False,
        exclude: Iterable[str] = (),
        before: date | None = None,
        scorer: Scorer = fuzz.ratio,
    ) -> Hits | list[Hits]:
        """The ``k`` units most similar to each query, best first.

        Args:
            queries: a text, an article or paragraph, or several (a list, a chapter, an
                agreement: one result per article).
            k: hits per query.
            score_cutoff: leave out hits scoring below this (0–100).
            candidates: units per query passed from the word index to RapidFuzz.
            exhaustive: score every unit with RapidFuzz (exact, slower).
            exclude: ids of agreements to leave out (e.g. the query's own).
            before: only agreements signed before this date (undated ones are left out).
            scorer: a RapidFuzz scorer (0–100, higher is closer); ``fuzz.ratio`` by default.

        Returns:
            :class:`Hits` for one query; a list of them for several.

        Examples:
            >>> import tradeclauses as tc
            >>> index = SearchIndex.build([tc.load("usmca")])
            >>> [h.num for h in index.query(tc.load("usmca")["19.15"], k=3)]
            ['19.15']
            >>> [len(hits) for hits in index.query(["cybersecurity incident response", "source code"],
            ...                                     score_cutoff=0, k=2)]
            [2, 2]
        """
        single = isinstance(queries, _QUERY_TYPES)
        if isinstance(queries, Agreement | Chapter):
            items: list[Query] = list(queries.articles)
        elif isinstance(queries, _QUERY_TYPES):
            items = [queries]
        else:
            items = list(queries)
        texts = [q if isinstance(q, str) else q.text for q in items]
        norms = [normalize(t) for t in texts]
        allowed = self._allowed(exclude, before)
        results: list[Hits] = []
        if exhaustive or len(self) <= candidates:
            for text, norm in zip(texts, norms, strict=True):
                pool = np.arange(len(self)) if allowed is None else np.flatnonzero(allowed)
                results.append(self._rank(text, norm, pool, k=k, cutoff=score_cutoff, scorer=scorer))
        else:
            cosine = (self._vectors(norms) @ self.matrix.T).toarray()
            if allowed is not None:
                cosine[:, ~allowed] = -1.0
            n = min(candidates, len(self))
            for row, (text, norm) in enumerate(zip(texts, norms, strict=True)):
                pool = np.argpartition(-cosine[row], n - 1)[:n]
                if allowed is not None:
                    pool = pool[allowed[pool]]
                results.append(self._rank(text, norm, pool, k=k, cutoff=score_cutoff, scorer=scorer))
        return results[0] if single else results

    def _rank(
        self, text: str, norm: str, pool: npt.NDArray[np.intp], *, k: int, cutoff: float, scorer: Scorer
    ) -> Hits:
        if not norm or not len(pool):
            return Hits((), text)
        pool = np.sort(pool)
        scores = process.cdist(
            [norm],
            [self.norms[i] for i in pool],
            scorer=scorer,
            dtype=np.float32,
            workers=-1 if len(pool) > 64 else 1,
            score_cutoff=cutoff or None,
        )[0]
        order = np.argsort(-scores, kind="stable")[:k]
        return Hits((self.hit(int(pool[j]), float(scores[j])) for j in order if scores[j] >= cutoff), text)

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
            "vocabulary": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
        }
        texts, text_ends = _pack(self.texts)
        norms, norm_ends = _pack(self.norms)
        with Path(path).open("wb") as fh:
            np.savez(
                fh,
                meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                texts=texts,
                text_ends=text_ends,
                norms=norms,
                norm_ends=norm_ends,
                owner=self.owner,
                idf=self.idf,
                data=self.matrix.data.astype(np.float32),
                indices=self.matrix.indices.astype(np.int32),
                indptr=self.matrix.indptr.astype(np.int64),
            )

    @classmethod
    def load(cls, path: str | Path) -> SearchIndex:
        """Read an index written by :meth:`save` (never unpickles: no code runs from the file).

        Raises:
            IndexFormatError: the file is not a tradeclauses index, or of another version.
        """
        try:
            with np.load(Path(path), allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in archive.files}
            meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise IndexFormatError(path, f"not a search index ({exc})") from None
        if not isinstance(meta, dict) or meta.get("format") != "tradeclauses-search-index":
            raise IndexFormatError(path, "not a tradeclauses search index")
        if meta.get("version") != FORMAT_VERSION:
            raise IndexFormatError(path, f"index format {meta.get('version')}, this version reads {FORMAT_VERSION}")
        try:
            vocabulary = {w: i for i, w in enumerate(meta["vocabulary"])}
            ids = meta["ids"]
            matrix = sparse.csr_matrix(
                (arrays["data"], arrays["indices"], arrays["indptr"]), shape=(len(ids), len(vocabulary))
            )
            return cls(
                level=meta["level"],
                agreements=[(a, t, date.fromisoformat(d) if d else None) for a, t, d in meta["agreements"]],
                owner=arrays["owner"].astype(np.int32),
                ids=ids,
                nums=meta["nums"],
                headings=meta["headings"],
                texts=_unpack(arrays["texts"], arrays["text_ends"]),
                norms=_unpack(arrays["norms"], arrays["norm_ends"]),
                vocabulary=vocabulary,
                idf=arrays["idf"].astype(np.float32),
                matrix=matrix,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise IndexFormatError(path, f"damaged index ({exc})") from None


def _counts_matrix(counts: Sequence[Counter[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(c) for c in counts])
    indices = np.fromiter((vocabulary[w] for c in counts for w in c), dtype=np.int32, count=int(indptr[-1]))
    data = np.fromiter((v for c in counts for v in c.values()), dtype=np.float32, count=int(indptr[-1]))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(counts), len(vocabulary)))


def _weigh(tf: sparse.csr_matrix, idf: npt.NDArray[np.float32]) -> sparse.csr_matrix:
    """Sublinear TF times IDF, each row scaled to unit length."""
    out = tf.copy()
    out.data = (1.0 + np.log(out.data)) * idf[out.indices]
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scaled: sparse.csr_matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ out, dtype=np.float32)
    return scaled


def _pack(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64]]:
    joined = "".join(texts)
    ends = np.cumsum([len(t) for t in texts], dtype=np.int64)
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8), ends


def _unpack(blob: npt.NDArray[np.uint8], ends: npt.NDArray[np.int64]) -> list[str]:
    joined = blob.tobytes().decode("utf-8")
    starts = [0, *ends[:-1].tolist()]
    return [joined[s:e] for s, e in zip(starts, ends.tolist(), strict=True)]


def _index(corpus: SearchIndex | Corpus | Agreement | Iterable[Agreement], level: Level, progress: bool) -> SearchIndex:
    if isinstance(corpus, SearchIndex):
        if corpus.level != level:
            msg = f"the index holds {corpus.level}s, not {level}s"
            raise ValueError(msg)
        return corpus
    if isinstance(corpus, Agreement):
        corpus = [corpus]
    return SearchIndex.build(corpus, level=level, progress=progress)


@overload
def search(  # type: ignore[overload-overlap]  # a str is also a Sequence
    clause: Query,
    corpus: SearchIndex | Corpus | Agreement | Iterable[Agreement],
    *,
    k: int = ...,
    level: Level = ...,
    score_cutoff: float = ...,
    exhaustive: bool = ...,
    exclude: Iterable[str] = ...,
    before: date | None = ...,
    progress: bool = ...,
) -> Hits: ...


@overload
def search(
    clause: Sequence[Query] | Agreement | Chapter,
    corpus: SearchIndex | Corpus | Agreement | Iterable[Agreement],
    *,
    k: int = ...,
    level: Level = ...,
    score_cutoff: float = ...,
    exhaustive: bool = ...,
    exclude: Iterable[str] = ...,
    before: date | None = ...,
    progress: bool = ...,
) -> list[Hits]: ...


def search(
    clause: Query | Sequence[Query] | Agreement | Chapter,
    corpus: SearchIndex | Corpus | Agreement | Iterable[Agreement],
    *,
    k: int = 10,
    level: Level = "article",
    score_cutoff: float = SCORE_CUTOFF,
    exhaustive: bool = False,
    exclude: Iterable[str] = (),
    before: date | None = None,
    progress: bool = False,
) -> Hits | list[Hits]:
    """The ``k`` articles (or paragraphs) of ``corpus`` most similar to ``clause``.

    Args:
        clause: a text, an article or paragraph, or several (a list, a chapter or an
            agreement give one result per article).
        corpus: a :class:`SearchIndex` (fastest: build it once), a
            :class:`~tradeclauses.corpus.Corpus` (``tc.corpus.tota(path)``), an agreement,
            or agreements; anything but an index is indexed first.
        k: hits per query.
        level: search ``"article"``\\ s or ``"paragraph"``\\ s.
        score_cutoff: leave out hits below this similarity (0–100; see the module notes).
        exhaustive: score every unit instead of the word index's candidates.
        exclude: ids of agreements to leave out.
        before: only agreements signed before this date.
        progress: progress bars on stderr while reading and indexing.

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
    corpus: SearchIndex | Corpus | Iterable[Agreement],
    *,
    before: date | None = None,
    score_cutoff: float = SCORE_CUTOFF,
    depth: int = 10,
) -> Lineage:
    """Where an article comes from: its most similar article in each earlier agreement.

    One precedent per agreement (its most similar article, scoring at least
    ``score_cutoff``), ordered by date, newest first: the nearest precedent leads.
    ``str()`` of the result reads from the oldest to the article.

    Args:
        article: an article, or the id of an article in ``corpus``.
        corpus: where to look (an index of articles, a corpus, agreements); the
            article's own agreement is left out.
        before: only agreements signed before this date; by default the date of the
            article's agreement when the corpus knows it, else every dated agreement.
        score_cutoff: minimum similarity (0–100) of a precedent.
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
    index = _index(corpus if not isinstance(corpus, Agreement) else [corpus], "article", False)
    if isinstance(article, str):
        position = index.position(article)
        art_id, text = article, index.texts[position]
    else:
        art_id, text = article.id, article.text
    own = art_id.split("/", 1)[0]
    if before is None:
        before = index.date_of(own)
    exclude = {own}
    candidates = max(CANDIDATES, 4 * depth)
    hits = index.query(text, k=candidates, score_cutoff=score_cutoff, candidates=candidates, exclude=exclude)
    best: dict[str, Hit] = {}
    for hit in hits:
        if hit.date is None or (before is not None and hit.date >= before):
            continue
        if hit.agreement not in best:
            best[hit.agreement] = hit
    chosen = sorted(best.values(), key=lambda h: -h.score)[:depth]
    chosen.sort(key=lambda h: (h.date or date.min, h.score), reverse=True)
    return Lineage(chosen, art_id)
