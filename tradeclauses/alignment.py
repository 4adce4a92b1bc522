"""Alignment: which provisions of a draft correspond to which provisions of a model.

Drafts renumber, reorder, retitle, split and merge the articles of the text they
follow, and often cover only part of it. :func:`align` finds the correspondence the
way a reader would, by what the provisions say:

1. **Similarity matrix.** Every model article against every draft article, computed in
   one batch with RapidFuzz (``process.cdist`` over normalised texts, with a
   ``score_cutoff``): the mean of ``token_sort_ratio`` (same words, same amount) and
   ``token_set_ratio`` (one text within the other), plus the similarity of the
   headings when both articles have one, and a small bonus for the same position in
   the chapter that only ever breaks ties.
2. **Optimal assignment.** The one-to-one pairing that maximises the total similarity
   (``scipy.optimize.linear_sum_assignment``), not greedy best-first; pairs below
   :data:`ARTICLE_CUTOFF` are not pairs.
3. **Headings.** Articles left over whose headings share most of their content words
   (:data:`HEADING_OVERLAP`), and whose texts are no less alike than unrelated ones,
   are paired: loosely redrafted counterparts keep their subject in the heading.
4. **Splits and merges.** A draft article left over whose words are contained in a
   model article already paired (``token_set_ratio`` ≥ :data:`CONTAINED`) is a part of
   a split; a model article left over that is contained in a draft article is merged.
5. **Paragraphs** are aligned the same way inside each pair of aligned articles;
   definitions pair by their defined term first.
6. **What the articles are about and what they do** (:func:`_legal_signals`), on top
   of the words: an article whose heading names the subject of a model article
   ("Cross-border data flows", "Data localisation") is its counterpart even when
   drafted in other words (an EU-style closed list of prohibited localisation
   measures); such an article that also prohibits the measures of a second model
   article left without counterpart stands for both (``kind="shared"``); an article that
   only limits others (exceptions, exclusion from dispute settlement, carve-outs,
   :func:`tradeclauses.context.is_context_article`) never stands in for a commitment; a
   draft article whose text is a gap ("[...]", "text not available") is aligned by its
   heading alone.

Model articles whose text is not in the model (the shipped USMCA is partial) are
aligned by heading alone and marked ``model_text=False``: they are "not in the model",
never "missing from the draft".

The result, :class:`Alignment`, is a plain immutable object users can read and
override: ``alignment.override({"19.11": "8.3", "19.12": None})``.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> draft = tc.parse('''Article 8.2: Location of Computing Facilities
    ... 1. No Party shall require a covered person to use or locate computing facilities in that
    ... Party's territory as a condition for conducting business in that territory.
    ... Article 8.1: Cross-Border Transfer of Information
    ... 1. No Party shall prohibit or restrict the cross-border transfer of information, including
    ... personal information, by electronic means if this activity is for the conduct of the business
    ... of a covered person.''')
    >>> alignment = align(usmca, draft)
    >>> alignment.mapping()["19.11"], alignment.mapping()["19.12"]
    (('8.1',), ('8.2',))
    >>> alignment.for_model("19.12").similarity
    100.0
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from tradeclauses._docs import FrozenModel as _Frozen
from tradeclauses._lsap import linear_sum_assignment
from tradeclauses.errors import AlignmentError, ArgumentTypeError, expect
from tradeclauses.model import Agreement, Article, Definition, Gap
from tradeclauses.normalize import normalize, singular

__all__ = [
    "ARTICLE_CUTOFF",
    "CLEAR_MATCH",
    "CONTAINED",
    "HEADING_ONLY_CUTOFF",
    "LIFT",
    "PARAGRAPH_CUTOFF",
    "Alignment",
    "Match",
    "align",
    "align_blocks",
    "similarity",
]

ARTICLE_CUTOFF = 45.0
"""Article pairs scoring below this (0–100) are not pairs."""
PARAGRAPH_CUTOFF = 40.0
"""Paragraph pairs scoring below this (0–100) are not pairs."""
CONTAINED = 95.0
"""Share of its distinct words (0–100) a text must have in another to count as part of it (splits, merges)."""
CLEAR_MATCH = 75.0
"""Article pairs at or above this always count (see :data:`LIFT` for the others)."""
LIFT = 12.0
"""Points above the background (median of its row and column) a weaker article pair needs."""
HEADING_ONLY_CUTOFF = 80.0
"""Heading similarity needed to align a model article known only by its heading."""
HEADING_OVERLAP = 0.6
"""Share of the shorter heading's content words a leftover pair must share (see :func:`align`)."""
_HEADING_WEIGHT = 0.25
_POSITION_BONUS = 2.0

MatchKind = Literal["pair", "split", "merge", "shared"]




class Match(_Frozen):
    """Model provision(s) and the draft provision(s) that correspond to them."""

    model: tuple[str, ...]
    """Ids of the model's provisions (two or more when the draft merged them)."""
    draft: tuple[str, ...]
    """Ids of the draft's provisions (two or more when the draft split one; empty: no counterpart)."""
    model_nums: tuple[str, ...] = ()
    """Their numbers as printed in the model (``"19.11"``, ``"2"``)."""
    draft_nums: tuple[str, ...] = ()
    """Their numbers as printed in the draft."""
    similarity: float = 0.0
    """How alike the texts are, 0–100 (100: the same words once normalised)."""
    kind: MatchKind = "pair"
    """``pair`` (one to one), ``split`` (one model provision, several draft ones), ``merge``, or ``shared``
    (a draft article that also stands for this model provision, as counterpart of another one too)."""
    source: Literal["auto", "user"] = "auto"
    """``user`` when set by :meth:`Alignment.override`."""
    model_text: bool = True
    """False when the model provision's words are not in the model (aligned by heading only)."""

    @property
    def matched(self) -> bool:
        """True when the provision has a counterpart on the other side."""
        return bool(self.model) and bool(self.draft)

    def __str__(self) -> str:
        left = "+".join(self.model_nums or self.model) or "-"
        right = "+".join(self.draft_nums or self.draft) or "-"
        return f"{left} -> {right} ({self.similarity:.0f}, {self.kind})"


class Alignment(_Frozen):
    """Which articles (and, inside them, which paragraphs) of a draft follow which of a model.

    ``articles`` has one entry per model article, in model order (with ``draft=()`` when
    it has no counterpart), then one per draft article without a counterpart (with
    ``model=()``). ``paragraphs`` maps, for each aligned article, the model's paragraph
    ids to the draft's the same way.
    """

    model_id: str
    """Id of the model agreement."""
    draft_id: str
    """Id of the draft agreement."""
    articles: tuple[Match, ...]
    """Article-level correspondence (see the class docstring for the order)."""
    paragraphs: tuple[Match, ...] = ()
    """Paragraph-level correspondence inside aligned articles (same conventions)."""

    def mapping(self) -> dict[str, tuple[str, ...]]:
        """Model article number → draft article numbers (empty tuple: no counterpart)."""
        return {"+".join(m.model_nums): m.draft_nums for m in self.articles if m.model}

    def for_model(self, ref: str) -> Match:
        """The article match holding the model article ``ref`` (a number or an id).

        Raises:
            AlignmentError: the model has no such article.
        """
        return self._find(ref, "model")

    def for_draft(self, ref: str) -> Match:
        """The article match holding the draft article ``ref`` (a number or an id).

        Raises:
            AlignmentError: the draft has no such article.
        """
        return self._find(ref, "draft")

    def _find(self, ref: str, side: Literal["model", "draft"]) -> Match:
        for m in self.articles:
            ids, nums = (m.model, m.model_nums) if side == "model" else (m.draft, m.draft_nums)
            if ref in ids or ref in nums:
                return m
        agreement = self.model_id if side == "model" else self.draft_id
        raise AlignmentError(f"{side} {agreement!r} has no article {ref!r} in this alignment")

    def paragraphs_of(self, match: Match) -> tuple[Match, ...]:
        """The paragraph matches inside an article match."""
        prefixes = tuple(f"{i}/" for i in (*match.model, *match.draft))
        return tuple(p for p in self.paragraphs if any(x.startswith(prefixes) for x in (*p.model, *p.draft)))

    @property
    def unmatched_model(self) -> tuple[str, ...]:
        """Numbers of the model articles with no counterpart in the draft (and words in the model)."""
        return tuple(n for m in self.articles if m.model and not m.draft and m.model_text for n in m.model_nums)

    @property
    def unmatched_draft(self) -> tuple[str, ...]:
        """Numbers of the draft articles with no counterpart in the model."""
        return tuple(n for m in self.articles if m.draft and not m.model for n in m.draft_nums)

    def __str__(self) -> str:
        return "\n".join(str(m) for m in self.articles)


# --------------------------------------------------------------------------- texts


def _article_text(art: Article) -> str:
    return " ".join(b.text for b in art.children if not isinstance(b, Gap))


def _heading(art: Article) -> str:
    return normalize(art.heading or "")


def similarity(a: str, b: str) -> float:
    """Textual similarity of two provisions, 0–100 (100: the same words once normalised).

    ``fuzz.ratio`` on :func:`~tradeclauses.normalize.normalize`\\ d texts: sensitive to
    every word, blind to case, spelling variants, numbering, hyphenation, quotes and
    footnote markers.

    Examples:
        >>> similarity("1. Each Party shall endeavour to ...", "(a) each Party shall endeavor to ...")
        100.0
    """
    return float(fuzz.ratio(a, b, processor=normalize))


def _workers(left: Sequence[str], right: Sequence[str]) -> int:
    """All cores for big matrices; one thread for small ones (starting threads costs more)."""
    return -1 if len(left) * len(right) > 4096 else 1


def _matrix(left: Sequence[str], right: Sequence[str], cutoff: float) -> np.ndarray:
    """Similarity of every left text to every right text, 0–100.

    The mean of RapidFuzz's ``token_sort_ratio`` (same words, same amount) and
    ``token_set_ratio`` over normalised texts, in two batches, and of the word overlap
    (share of the shorter text's distinct words found in the other, as a sparse product),
    which tells a redrafted paragraph of a long article from an unrelated short one.
    """
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    left = [normalize(t) for t in left]  # once, for the three measures
    right = [normalize(t) for t in right]
    workers = _workers(left, right)
    sort = process.cdist(
        left, right, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=workers, score_cutoff=cutoff / 2
    )
    sets = process.cdist(
        left, right, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=workers, score_cutoff=cutoff / 2
    )
    return np.asarray((sort + sets + 2 * _overlap(left, right)) / 4, dtype=np.float32)


def _overlap(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Word overlap of normalised texts (see :func:`_matrix`)."""
    vocabulary: dict[str, int] = {}
    rows: list[list[int]] = []
    for text in (*left, *right):
        rows.append(sorted({vocabulary.setdefault(w, len(vocabulary)) for w in _WORD.findall(text)}))
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    if len(rows) * len(vocabulary) <= _DENSE_CELLS:  # small: numpy alone, without loading scipy
        dense = np.zeros((len(rows), len(vocabulary)), dtype=np.float32)
        dense[np.repeat(np.arange(len(rows)), np.diff(indptr)), indices] = 1.0
        a_dense, b_dense = dense[: len(left)], dense[len(left) :]
        shared = a_dense @ b_dense.T
        sizes_a = a_dense.sum(axis=1)
        sizes_b = b_dense.sum(axis=1)
    else:
        from scipy.sparse import csr_matrix  # noqa: PLC0415 - heavy; only for big matrices

        matrix = csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), len(vocabulary))
        )
        a, b = matrix[: len(left)], matrix[len(left) :]
        shared = (a @ b.T).toarray()
        sizes_a = np.asarray(a.sum(axis=1)).ravel()
        sizes_b = np.asarray(b.sum(axis=1)).ravel()
    smaller = np.minimum(sizes_a[:, None], sizes_b[None, :])
    return np.asarray(100.0 * shared / np.maximum(smaller, 1), dtype=np.float32)


_WORD = re.compile(r"[a-z0-9]+")
_DENSE_CELLS = 4_000_000  # texts x distinct words up to which the overlap is a dense product (16 MB)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(normalize(text)))


def _contained(left: Sequence[str], right: Sequence[str]) -> np.ndarray:
    """Share (0–100) of each left text's distinct words that occur in each right text."""
    out = np.zeros((len(left), len(right)), dtype=np.float32)
    right_words = [_words(t) for t in right]
    for i, text in enumerate(left):
        words = _words(text)
        if words:
            for j, other in enumerate(right_words):
                out[i, j] = 100.0 * len(words & other) / len(words)
    return out


def _above_background(scores: np.ndarray, has_text: np.ndarray) -> np.ndarray:
    """Zero the pairs that do not stand out from the background of their row and column.

    Any two articles of the same chapter share "Party", "shall", "measure": unrelated
    articles score 45–60 against each other. A pair counts when it scores
    :data:`CLEAR_MATCH` or more, or stands :data:`LIFT` points above the median of its
    row and of its column (the typical score of unrelated articles).
    """
    n_rows = int(has_text.sum())
    n_cols = scores.shape[1]
    if n_rows < 4 and n_cols < 4:
        return scores  # too few articles to tell what unrelated ones look like
    background = np.zeros(scores.shape, dtype=np.float32)
    if n_cols >= 4:
        row_bg = np.zeros(scores.shape[0], dtype=np.float32)
        row_bg[has_text] = np.median(scores[has_text], axis=1)
        background = np.maximum(background, row_bg[:, None])
    if n_rows >= 4:
        background = np.maximum(background, np.median(scores[has_text], axis=0)[None, :])
    keep = (scores >= CLEAR_MATCH) | (scores - background >= LIFT) | ~has_text[:, None]
    return np.where(keep, scores, 0).astype(np.float32)


_HEADING_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "by",
        "for",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "electronic",
        "digital",
        "trade",
        "commerce",
        "article",
        "provisions",
        "general",
    ]
)


def _heading_words(heading: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", heading) if w not in _HEADING_STOP}


def _heading_stems(heading: str) -> str:
    """Content words of a heading cut to five letters: "Definitions" and "Exceptions" share nothing."""
    return " ".join(sorted(_heading_words(heading)))


def _rescue_by_heading(
    model: Sequence[_Unit], draft: Sequence[_Unit], pairs: Sequence[tuple[int, int]], raw: np.ndarray
) -> list[tuple[int, int]]:
    """Pair leftover articles whose headings share most of their content words.

    Loosely drafted counterparts (KORUS 15.8 "Cross-Border Information Flows" and
    USMCA 19.11 "Cross-Border Transfer of Information by Electronic Means") share few
    words but a subject. A leftover pair counts when :data:`HEADING_OVERLAP` of the
    content words of the shorter heading are in the other, the texts score no lower than
    the typical unrelated pair of the model article's row, and the choice is unique on
    both sides.
    """
    used_m = {i for i, _ in pairs}
    used_d = {j for _, j in pairs}
    found: dict[int, list[int]] = {}
    for i, m in enumerate(model):
        if i in used_m or not m.key or not m.has_text:
            continue
        mw = _heading_words(m.key)
        background = float(np.median(raw[i])) if raw.shape[1] else 0.0
        for j, d in enumerate(draft):
            if j in used_d or not d.key:
                continue
            dw = _heading_words(d.key)
            if not mw or not dw:
                continue
            overlap = len(mw & dw) / min(len(mw), len(dw))
            if overlap >= HEADING_OVERLAP and len(mw & dw) >= 2 and raw[i, j] >= background:
                found.setdefault(i, []).append(j)
    chosen = [(i, js[0]) for i, js in found.items() if len(js) == 1]
    counts: dict[int, int] = {}
    for _, j in chosen:
        counts[j] = counts.get(j, 0) + 1
    return [(i, j) for i, j in chosen if counts[j] == 1]


def _assign(scores: np.ndarray, cutoff: float) -> list[tuple[int, int]]:
    """The one-to-one pairing with the largest total margin above ``cutoff``.

    Maximising the margin (score − cutoff), not the raw score, keeps the assignment from
    trading one clear pair for two weak ones.
    """
    if scores.size == 0:
        return []
    margin = np.clip(scores - cutoff, 0, None)
    rows, cols = linear_sum_assignment(margin, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if scores[i, j] >= cutoff]


class _Unit:
    __slots__ = ("context_only", "gap", "has_text", "heading_topics", "id", "key", "num", "text", "text_topics")

    def __init__(self, id: str, num: str, text: str, key: str = "", *, has_text: bool = True) -> None:
        self.id = id
        self.num = num
        self.text = text
        self.key = key
        self.has_text = has_text
        self.heading_topics: frozenset[str] = frozenset()
        self.text_topics: frozenset[str] = frozenset()
        self.context_only = False
        self.gap = False


# --------------------------------------------------------------------------- legal signals

_TOPIC_HEADINGS: dict[str, re.Pattern[str]] = {
    "data_flow": re.compile(
        r"\b(?:cross border|transfer|movement|flows?)\b.*\b(?:information|data)\b|\b(?:information|data)\b.*\bflows?\b"
    ),
    "localisation": re.compile(r"\blocali[sz]ation\b|\blocation of computing\b|\bcomputing facilit"),
    "source_code": re.compile(r"\bsource code\b"),
    "customs_duties": re.compile(r"\bcustoms duties\b"),
}
_TOPIC_TEXTS: dict[str, re.Pattern[str]] = {
    "data_flow": re.compile(
        r"\bcross border (?:transfer of (?:information|data)|data flows?|flows? of (?:information|data))\b"
        r"|\btransfer of (?:information|data) (?:across borders|by electronic means)\b"
    ),
    "localisation": re.compile(
        r"\b(?:use|locate|location of|using) (?:or locate )?computing facilities\b|\blocali[sz]ation of data\b"
        r"|\bdata (?:to )?be locali[sz]ed\b|\blocali[sz]ation requirements?\b"
    ),
    "source_code": re.compile(r"\bsource code\b"),
    "customs_duties": re.compile(r"\bcustoms duties\b"),
}
TOPIC_MATCH = CLEAR_MATCH
"""Score given to an article pair whose draft heading names the subject of the model article."""


def _topics(patterns: Mapping[str, re.Pattern[str]], text: str) -> frozenset[str]:
    return frozenset(t for t, pat in patterns.items() if pat.search(text))


def _tag(unit: _Unit, art: Article) -> _Unit:
    from tradeclauses.context import is_context_article  # noqa: PLC0415 - context reads the model only
    from tradeclauses.gaps import article_is_gap  # noqa: PLC0415

    unit.heading_topics = _topics(_TOPIC_HEADINGS, unit.key)
    unit.text_topics = _topics(_TOPIC_TEXTS, normalize(unit.text))
    unit.context_only = is_context_article(art)
    unit.gap = article_is_gap(art)
    return unit


def _subject(unit: _Unit) -> frozenset[str]:
    """What a model article is about: its heading's subject, else (no heading) its text's."""
    if unit.key:
        return unit.heading_topics
    return unit.text_topics if len(unit.text_topics) == 1 else frozenset()


def _legal_signals(model: Sequence[_Unit], draft: Sequence[_Unit], scores: np.ndarray) -> np.ndarray:
    """Scores adjusted for what the articles are about and what they do (see the module docstring, step 6)."""
    out = scores.copy()
    for i, m in enumerate(model):
        subject = _subject(m)
        for j, d in enumerate(draft):
            if d.context_only and not m.context_only:
                out[i, j] = 0.0  # an exceptions or dispute-settlement article is never a commitment's counterpart
            elif subject and subject & d.heading_topics and not d.context_only:
                out[i, j] = max(out[i, j], TOPIC_MATCH)
            elif d.gap and m.key and d.key and m.has_text:
                heading = float(fuzz.token_set_ratio(m.key, d.key, processor=_heading_stems))
                if heading >= HEADING_ONLY_CUTOFF:
                    out[i, j] = max(out[i, j], heading)
    return out


def _shared(model: Sequence[_Unit], draft: Sequence[_Unit], pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Model articles left over whose subject a paired draft article, named for another subject, also governs.

    An EU-style "Cross-border data flows" article that prohibits requiring the use of
    computing facilities in the territory is the counterpart of both USMCA 19.11 and 19.12.
    """
    used_m = {i for i, _ in pairs}
    out: list[tuple[int, int]] = []
    for i, m in enumerate(model):
        subject = _subject(m)
        if i in used_m or not subject or not m.has_text:
            continue
        holders = [
            j
            for _, j in pairs
            if subject & draft[j].text_topics and not subject & draft[j].heading_topics and draft[j].heading_topics
        ]
        if len(holders) == 1:
            out.append((i, holders[0]))
    return out


def _solve(
    model: Sequence[_Unit],
    draft: Sequence[_Unit],
    *,
    cutoff: float,
    keys: bool = False,
) -> list[Match]:
    """Align two sequences of units: matrix, assignment, splits and merges."""
    with_text = [u for u in model if u.has_text]
    body = _matrix([u.text for u in with_text], [u.text for u in draft], cutoff)
    scores = np.zeros((len(model), len(draft)), dtype=np.float32)
    row_of = {id(u): i for i, u in enumerate(model)}
    for k, u in enumerate(with_text):
        scores[row_of[id(u)]] = body[k]
    raw = scores.copy()
    heads_m = [u.key for u in model]
    heads_d = [u.key for u in draft]
    if model and draft and keys:
        if any(heads_m) and any(heads_d):
            heads = process.cdist(
                heads_m,
                heads_d,
                scorer=fuzz.token_set_ratio,
                processor=_heading_stems,
                dtype=np.float32,
                workers=_workers(heads_m, heads_d),
            )
            has = np.outer([bool(h) for h in heads_m], [bool(h) for h in heads_d])
            only_heading = np.array([not u.has_text for u in model])[:, None]
            mixed = (1 - _HEADING_WEIGHT) * scores + _HEADING_WEIGHT * heads
            by_heading = np.where(heads >= HEADING_ONLY_CUTOFF, heads, 0)
            scores = np.where(has, np.where(only_heading, by_heading, mixed), scores).astype(np.float32)
        scores = _above_background(scores, np.array([u.has_text for u in model]))
        scores = _legal_signals(model, draft, scores)
    elif model and draft:  # definitions pair by their defined term, and only by it
        same = np.array([[bool(a) and a == b for b in heads_d] for a in heads_m], dtype=bool)
        both = np.outer([bool(h) for h in heads_m], [bool(h) for h in heads_d])
        scores = np.where(same, np.maximum(scores, 100.0), np.where(both, 0.0, scores)).astype(np.float32)
    if len(model) > 1 and len(draft) > 1:
        pos_m = np.linspace(0, 1, len(model))[:, None]
        pos_d = np.linspace(0, 1, len(draft))[None, :]
        scores = scores + _POSITION_BONUS * (1 - np.abs(pos_m - pos_d)).astype(np.float32) * (scores > 0)
    pairs = _assign(scores, cutoff)
    shared: list[tuple[int, int]] = []
    if keys:
        pairs += _rescue_by_heading(model, draft, pairs, raw)
        shared = _shared(model, draft, pairs)
    m_of = {j: i for i, j in pairs}
    d_of = dict(pairs)
    extra_d: dict[int, list[int]] = {}
    extra_m: dict[int, list[int]] = {}
    left_d = [j for j in range(len(draft)) if j not in m_of]
    left_m = [i for i in range(len(model)) if i not in d_of and model[i].has_text]
    if left_d and pairs:  # splits: a leftover draft unit within a paired model unit
        within = _contained([draft[j].text for j in left_d], [model[i].text for i in d_of])
        paired_m = list(d_of)
        for r, j in enumerate(left_d):
            c = int(np.argmax(within[r]))
            if within[r, c] >= CONTAINED and len(normalize(draft[j].text)) >= 20:
                extra_d.setdefault(paired_m[c], []).append(j)
    if left_m and pairs:  # merges: a leftover model unit within a paired draft unit
        within = _contained([model[i].text for i in left_m], [draft[j].text for j in m_of])
        paired_d = list(m_of)
        for r, i in enumerate(left_m):
            c = int(np.argmax(within[r]))
            if within[r, c] >= CONTAINED and len(normalize(model[i].text)) >= 20:
                extra_m.setdefault(paired_d[c], []).append(i)
    split_parts = {j for js in extra_d.values() for j in js}
    merged_parts = {i for is_ in extra_m.values() for i in is_}

    shared_of = dict(shared)
    out: list[Match] = []
    for i, u in enumerate(model):
        if i in merged_parts:
            continue
        if i in shared_of:
            j = shared_of[i]
            out.append(
                Match(
                    model=(u.id,),
                    draft=(draft[j].id,),
                    model_nums=(u.num,),
                    draft_nums=(draft[j].num,),
                    similarity=round(similarity(u.text, draft[j].text), 1),
                    kind="shared",
                    model_text=u.has_text,
                )
            )
            continue
        if i not in d_of:
            out.append(Match(model=(u.id,), draft=(), model_nums=(u.num,), model_text=u.has_text))
            continue
        j = d_of[i]
        ds = sorted([j, *extra_d.get(i, [])])
        ms = sorted([i, *extra_m.get(j, [])])
        kind: MatchKind = "split" if len(ds) > 1 else "merge" if len(ms) > 1 else "pair"
        if u.has_text:
            sim = similarity(" ".join(model[k].text for k in ms), " ".join(draft[k].text for k in ds))
        else:
            sim = round(float(fuzz.token_set_ratio(u.key, draft[j].key, processor=_heading_stems)), 1)
        out.append(
            Match(
                model=tuple(model[k].id for k in ms),
                draft=tuple(draft[k].id for k in ds),
                model_nums=tuple(model[k].num for k in ms),
                draft_nums=tuple(draft[k].num for k in ds),
                similarity=round(sim, 1),
                kind=kind,
                model_text=u.has_text,
            )
        )
    for j, d in enumerate(draft):
        if j not in m_of and j not in split_parts:
            out.append(Match(model=(), draft=(d.id,), draft_nums=(d.num,)))
    return out


def _article_units(agreement: Agreement) -> list[_Unit]:
    units = []
    for art in agreement.articles:
        text = _article_text(art)
        units.append(_tag(_Unit(art.id, art.num or art.id, text, _heading(art), has_text=bool(normalize(text))), art))
    return units


def _term_key(term: str) -> str:
    """A defined term compared in the singular: "computing facilities" defines "computing facility"."""
    words = normalize(term).split()
    if words:
        words[-1] = singular(words[-1])
    return " ".join(words)


def _block_units(art: Article) -> list[_Unit]:
    units = []
    for n, b in enumerate(art.children, start=1):
        if isinstance(b, Gap):
            continue
        key = _term_key(b.term) if isinstance(b, Definition) else ""
        units.append(_Unit(b.id, b.num or (f'"{b.term}"' if isinstance(b, Definition) else str(n)), b.text, key))
    return units


def align_blocks(model: Article, draft: Article | Sequence[Article]) -> tuple[Match, ...]:
    """Align the paragraphs (and definitions) of a model article with a draft article's.

    Args:
        model: the model article.
        draft: the draft article, or the several articles it was split into.

    Examples:
        >>> import tradeclauses as tc
        >>> usmca = tc.load("usmca")
        >>> draft = tc.parse("Article 3: Data\\n1. This Article does not prevent a Party from adopting or "
        ...     "maintaining a measure inconsistent with paragraph 2 that is necessary to achieve a "
        ...     "legitimate public policy objective.\\n2. No Party shall prohibit or restrict the "
        ...     "cross-border transfer of information by electronic means.")
        >>> [str(m) for m in align_blocks(usmca["19.11"], draft["3"])]
        ['1 -> 2 (65, pair)', '2 -> 1 (54, pair)']
    """
    drafts = [draft] if isinstance(draft, Article) else list(draft)
    d_units = [u for a in drafts for u in _block_units(a)]
    return tuple(_solve(_block_units(model), d_units, cutoff=PARAGRAPH_CUTOFF))


def align(
    model: Agreement,
    draft: Agreement,
    *,
    override: Mapping[str, str | Sequence[str] | None] | None = None,
) -> Alignment:
    """Align a draft's articles and paragraphs to a model's.

    Args:
        model: the model text (e.g. ``tc.load("usmca")``).
        draft: the draft.
        override: model article number → draft article number(s), or ``None`` for "no
            counterpart"; these pairs are fixed and the rest is aligned around them.

    Raises:
        AlignmentError: ``override`` names an article that is not there.

    Examples:
        >>> import tradeclauses as tc
        >>> usmca = tc.load("usmca")
        >>> draft = tc.parse("Article 5: Cybersecurity\\n1. The Parties recognise that threats to "
        ...                  "cybersecurity undermine confidence in digital trade.")
        >>> alignment = align(usmca, draft)
        >>> alignment.mapping()["19.15"], alignment.unmatched_draft
        (('5',), ())
        >>> align(usmca, draft, override={"19.15": None}).unmatched_draft
        ('5',)
    """
    expect(model, Agreement, "the model as an Agreement (tc.load, tc.parse)")
    expect(draft, Agreement, "the draft as an Agreement (tc.load, tc.parse)")
    if override is not None and not isinstance(override, Mapping):
        raise ArgumentTypeError(f"override= takes a mapping of model article number to draft article number(s), "
                                f"not {type(override).__name__}")  # fmt: skip
    m_units = _article_units(model)
    d_units = _article_units(draft)
    fixed: list[Match] = []
    if override:
        by_num_m = {u.num: u for u in m_units}
        by_num_d = {u.num: u for u in d_units}
        taken_m: set[str] = set()
        taken_d: set[str] = set()
        for m_num, d_nums in override.items():
            if m_num not in by_num_m:
                raise AlignmentError(f"override: model {model.id!r} has no article {m_num!r}")
            nums = () if d_nums is None else (d_nums,) if isinstance(d_nums, str) else tuple(d_nums)
            for n in nums:
                if n not in by_num_d:
                    raise AlignmentError(f"override: draft {draft.id!r} has no article {n!r}")
            mu = by_num_m[m_num]
            du = [by_num_d[n] for n in nums]
            sim = similarity(mu.text, " ".join(u.text for u in du)) if du and mu.has_text else 0.0
            fixed.append(
                Match(
                    model=(mu.id,),
                    draft=tuple(u.id for u in du),
                    model_nums=(mu.num,),
                    draft_nums=nums,
                    similarity=round(sim, 1),
                    kind="split" if len(du) > 1 else "pair",
                    source="user",
                    model_text=mu.has_text,
                )
            )
            taken_m.add(mu.id)
            taken_d.update(u.id for u in du)
        m_units = [u for u in m_units if u.id not in taken_m]
        d_units = [u for u in d_units if u.id not in taken_d]
    found = _solve(m_units, d_units, cutoff=ARTICLE_CUTOFF, keys=True)
    order = {a.id: k for k, a in enumerate(model.articles)}
    model_side = sorted([m for m in (*fixed, *found) if m.model], key=lambda m: order[m.model[0]])
    draft_only = [m for m in found if not m.model]
    articles = tuple(model_side + draft_only)

    model_arts = {a.id: a for a in model.articles}
    draft_arts = {a.id: a for a in draft.articles}
    paragraphs: list[Match] = []
    for m in articles:
        if not (m.model and m.draft):
            continue
        m_art = _merged(model_arts, m.model)
        paragraphs += align_blocks(m_art, [draft_arts[i] for i in m.draft])
    return Alignment(model_id=model.id, draft_id=draft.id, articles=articles, paragraphs=tuple(paragraphs))


def _merged(arts: Mapping[str, Article], ids: Iterable[str]) -> Article:
    chosen = [arts[i] for i in ids]
    if len(chosen) == 1:
        return chosen[0]
    return chosen[0].replace(children=tuple(c for a in chosen for c in a.children))


def override(
    alignment: Alignment, model: Agreement, draft: Agreement, pairs: Mapping[str, str | Sequence[str] | None]
) -> Alignment:
    """A new alignment with ``pairs`` fixed by hand (see :func:`align`)."""
    merged: dict[str, str | Sequence[str] | None] = {
        "+".join(m.model_nums): m.draft_nums for m in alignment.articles if m.source == "user" and m.model
    }
    merged.update(pairs)
    return align(model, draft, override=merged)
