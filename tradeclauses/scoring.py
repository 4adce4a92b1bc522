"""Score a draft against a model text, as a trade lawyer would.

``tc.score(draft, against="usmca")`` aligns the draft to the model
(:mod:`tradeclauses.alignment`), reads what each provision legally does on both sides
(:mod:`tradeclauses.analysis`) and returns a :class:`Scorecard`: one row per model
article, with the draft article(s) that follow it, how alike the words are, what
changed in law (:class:`~tradeclauses.analysis.Flag`, with the words quoted from both
texts), and a score.

The formula
-----------
For each model article with words in the model:

* ``similarity`` (0–100): ``fuzz.ratio`` of the normalised texts (model article,
  footnotes included, against the aligned draft text). Normalisation removes case,
  numbering, spelling variants, hyphenation, quotes and footnote markers, so cosmetic
  copies score 100. When the model article is only partly in the model, only the draft
  paragraphs aligned to the paragraphs it holds are compared.
* ``legal`` (0–100): ``100 − Σ penalty(flag)`` over the findings, floored at 0, with
  :data:`PENALTIES` (a weakened obligation or a missing commitment costs 40, a new
  exception 30, a broadened exception 25, a narrowed scope 20 ...). ``TEXT_CHANGED``
  (operative words changed in a way no rule classifies) costs 5.
* ``score = legal − 3 × (100 − similarity) / 100`` (:data:`TEXT_POINTS`), floored at 0.
  The legal reading decides: "No Party shall" → "A Party may" keeps 98% of the words
  and loses 40 legal points, while a rewording that leaves every frame equal ("Each
  Party shall allow" for "No Party shall prohibit", a passive that names the Party, a
  condition moved to the front) loses at most 3 points for its words and scores 97 or
  more. Any substantive finding costs at least 10, so it always scores below a purely
  cosmetic edit of the same article. A model article with no counterpart in the draft
  scores 0.

``overall`` is the weighted mean of the article scores, with :data:`DEFAULT_WEIGHTS`
(the data-flow and non-localisation articles 19.11, 19.12, 17.17, 17.18 weigh 3; the
other core commitments 19.3, 19.4, 19.16 weigh 2; everything else 1) unless you pass
your own ``weights``, which **replace** the defaults (to change one weight, start from
``dict(DEFAULT_WEIGHTS)``). Weights are checked before anything is scored: every key
must be an article number of the model (a typo such as ``"19,11"`` is refused with
the number it was probably meant to be), every value a finite number, zero or more.
Model articles whose words are not in the model (the shipped
USMCA text is partial) are **not scored**: they are neither held against the draft nor
counted in ``overall``, and ``coverage`` says what share of the model's weight the
score covers.

An article of the draft with no counterpart that is an exception to "this Chapter"
(or to an article of the draft) is held against every model article it limits, as a
``NEW_EXCEPTION`` on that row.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> card = score(usmca, against=usmca)
    >>> card.overall, card.flag_counts()
    (100.0, {})
    >>> draft = tc.parse('''Article 8.3: Data Flows
    ... 1. Each Party shall endeavour not to prohibit or restrict the cross-border transfer of
    ... information by electronic means if this activity is for the conduct of the business of a covered person.''')
    >>> row = score(draft).row("19.11")
    >>> row.draft_nums, row.verdict
    (('8.3',), 'weakened')
    >>> for finding in row.findings:
    ...     print(finding.flag.value)
    WEAKENED_OBLIGATION
    NARROWED_SCOPE
    REMOVED_EXCEPTION
    NARROWED_EXCEPTION
"""

from __future__ import annotations

import difflib
import html
import math
import numbers
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from tradeclauses._docs import FrozenModel as _Frozen
from tradeclauses.alignment import Alignment, Match, align, similarity
from tradeclauses.analysis import Finding, Flag, analyse, compare_texts
from tradeclauses.catalog import resolve_agreement
from tradeclauses.context import ContextItem, assess, model_context, read_context
from tradeclauses.errors import (
    AlignmentError,
    ArgumentTypeError,
    MissingDependencyError,
    ProvisionNotFoundError,
    WeightsError,
    WholeAgreementWarning,
)
from tradeclauses.gaps import article_is_gap, present_share, stops_at_gap
from tradeclauses.lexicon import Lexicon, using_lexicon
from tradeclauses.model import OPTION_MARK, Agreement, Article, Block, Gap
from tradeclauses.normalize import cut_like, normalize
from tradeclauses.parts import Part, find_part, select_part
from tradeclauses.protocols import in_force
from tradeclauses.read import parse

__all__ = [
    "DEFAULT_WEIGHTS",
    "PENALTIES",
    "TEXT_POINTS",
    "AddedRow",
    "OptionScore",
    "Row",
    "Scorecard",
    "score",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "19.11": 3.0,
    "19.12": 3.0,
    "17.17": 3.0,
    "17.18": 3.0,
    "19.3": 2.0,
    "19.4": 2.0,
    "19.16": 2.0,
}
"""Weight of a model article by number; articles not listed weigh 1.

The data-flow and non-localisation commitments (USMCA 19.11 Cross-Border Transfer of
Information, 19.12 Location of Computing Facilities, and their financial-services twins
17.17 and 17.18 when Chapter 17 is supplied) weigh 3; the other core commitments (19.3
Customs Duties, 19.4 Non-Discriminatory Treatment of Digital Products, 19.16 Source
Code) weigh 2; definitions, cooperation and housekeeping articles weigh 1.
"""

PENALTIES: dict[Flag, float] = {
    Flag.MISSING: 40.0,
    Flag.WEAKENED_OBLIGATION: 40.0,
    Flag.NEW_EXCEPTION: 30.0,
    Flag.BROADENED_EXCEPTION: 25.0,
    Flag.NARROWED_SCOPE: 20.0,
    Flag.DEFINITION_CHANGED: 15.0,
    Flag.BROADENED_SCOPE: 10.0,
    Flag.STRENGTHENED_OBLIGATION: 10.0,
    Flag.NARROWED_EXCEPTION: 10.0,
    Flag.ADDED: 10.0,
    Flag.REMOVED_EXCEPTION: 0.0,  # its effect is counted once, as NARROWED_EXCEPTION
    Flag.TEXT_CHANGED: 5.0,
    Flag.UNENFORCEABLE: 30.0,
}
"""Legal points a finding costs (out of 100 per article).

Departures that make the draft bind less cost most (a weakened obligation, a missing
commitment, new or broader exceptions, a narrower scope). Departures that bind more
(a strengthened obligation, a broader scope, a narrower exception) still depart from
the model and cost less. ``UNENFORCEABLE`` (the commitment is taken out of dispute
settlement) costs as much as a new exception: the words still bind, but no panel can hear a
claim under them; less than a weakened obligation, which no longer binds at all.
"""

TEXT_POINTS = 3.0
"""Points a completely reworded article can lose for its words alone (its legal reading unchanged)."""

_WEAKER = {
    Flag.UNENFORCEABLE,
    Flag.MISSING,
    Flag.WEAKENED_OBLIGATION,
    Flag.NEW_EXCEPTION,
    Flag.BROADENED_EXCEPTION,
    Flag.NARROWED_SCOPE,
}
_STRONGER = {Flag.STRENGTHENED_OBLIGATION, Flag.BROADENED_SCOPE, Flag.NARROWED_EXCEPTION, Flag.REMOVED_EXCEPTION}

Verdict = Literal["identical", "cosmetic", "reworded", "weakened", "strengthened", "changed", "missing", "not scored"]
COSMETIC_SIMILARITY = 95.0
"""A row without findings is "cosmetic" at or above this similarity, "reworded" below it."""




class Row(_Frozen):
    """How the draft treats one article of the model."""

    model_id: str
    """Id of the model article (``usmca/ch19/art19.11``)."""
    model_num: str
    """Its number (``"19.11"``)."""
    heading: str | None
    """Its heading in the model (``None`` when the model text does not give it)."""
    in_model: Literal["complete", "partial", "missing"]
    """How much of the article's text the model holds."""
    weight: float
    """Its weight in :attr:`Scorecard.overall`."""
    draft_ids: tuple[str, ...] = ()
    """Ids of the draft article(s) aligned to it (two or more: the draft split it)."""
    draft_nums: tuple[str, ...] = ()
    """Their numbers."""
    similarity: float | None = None
    """Textual similarity, 0–100, of the normalised texts (``None``: not scored)."""
    legal: float | None = None
    """``100 − Σ PENALTIES`` over the findings, floored at 0 (``None``: not scored)."""
    score: float | None = None
    """``legal − TEXT_POINTS × (100 − similarity) / 100``; 0 when missing; ``None``: not scored."""
    findings: tuple[Finding, ...] = ()
    """What changed in law, each with the words quoted from both texts."""
    paragraphs: tuple[Match, ...] = ()
    """Paragraph-level alignment inside the article."""
    note: str = ""
    """Why the row is not scored, or what it was compared on."""

    @property
    def flags(self) -> tuple[Flag, ...]:
        """The flags of :attr:`findings`, each once, in order."""
        return tuple(dict.fromkeys(f.flag for f in self.findings))

    @property
    def scored(self) -> bool:
        """False when the model does not hold this article's words."""
        return self.score is not None

    @property
    def verdict(self) -> Verdict:
        """One word for the row.

        ``identical``; ``cosmetic`` (no finding, words alike); ``reworded`` (no finding,
        but the words differ: read both); ``weakened`` (binds less: weaker obligation,
        narrower scope, new or broader exception, missing commitment); ``strengthened``;
        ``changed`` (other findings); ``missing`` (no counterpart); ``not scored``.
        """
        if self.score is None:
            return "not scored"
        if not self.draft_ids:
            return "missing"
        flags = set(self.flags)
        if flags & _WEAKER:
            return "weakened"
        if flags and flags <= _STRONGER:
            return "strengthened"
        if flags:
            return "changed"
        sim = self.similarity or 0.0
        return "identical" if sim >= 99.95 else "cosmetic" if sim >= COSMETIC_SIMILARITY else "reworded"

    def explain(self) -> str:
        """The row in a few lines of plain English."""
        title = f"{self.model_num} {self.heading or ''}".strip()
        if self.score is None:
            return f"{title}: not scored ({self.note})"
        if not self.draft_ids:
            return f"{title}: no counterpart in the draft (score 0)"
        lines = [
            f"{title} -> {'+'.join(self.draft_nums)}: {self.verdict}, score {self.score:.1f} "
            f"(similarity {self.similarity:.1f}, legal {self.legal:.0f})"
        ]
        if self.verdict == "cosmetic":
            lines.append("  only cosmetic differences (layout, numbering, spelling, punctuation)")
        elif self.verdict == "reworded":
            lines.append("  reworded, with no change of legal effect that the rules detect: read both texts")
        lines += [f"  {f}" for f in self.findings]
        return "\n".join(lines)


class AddedRow(_Frozen):
    """A draft article with no counterpart in the model."""

    draft_id: str
    draft_num: str
    heading: str | None
    summary: str
    """What the article does, in one line (:meth:`Features.describe`)."""
    findings: tuple[Finding, ...] = ()
    """``ADDED`` for each commitment or permission it adds; ``NEW_EXCEPTION`` for an exception."""
    applies_to: tuple[str, ...] = ()
    """Model articles a new exception limits (held against those rows)."""

    @property
    def flags(self) -> tuple[Flag, ...]:
        """The flags of :attr:`findings`, each once."""
        return tuple(dict.fromkeys(f.flag for f in self.findings))


class OptionScore(_Frozen):
    """How one alternative of a bracketed draft tracks the model."""

    slot: str
    """The slot (``tc.slots(draft)`` key)."""
    label: str
    """The option's label (``"Alt 1"``, ``"1"``, ``"omit"``)."""
    proponents: tuple[str, ...] = ()
    text: str
    """The option's words."""
    draft_num: str
    """The draft article that holds the slot."""
    model_num: str | None
    """The model article it is scored against (``None``: no counterpart)."""
    score: float | None
    flags: tuple[Flag, ...] = ()
    best: bool = False
    """True for the option(s) of the slot that track the model best."""


class Scorecard(_Frozen):
    """How closely a draft tracks a model, article by article, explained."""

    model_id: str
    model_title: str
    draft_id: str
    draft_title: str
    overall: float | None
    """Weighted mean of the scored rows' scores, 0–100 (``None``: nothing could be scored)."""
    coverage: float
    """Share (0–1) of the model's total weight that the score covers (articles whose words the model holds)."""
    rows: tuple[Row, ...]
    """One per model article, in model order."""
    added: tuple[AddedRow, ...] = ()
    """The draft's articles with no counterpart in the model."""
    options: tuple[OptionScore, ...] = ()
    """For a bracketed draft: every alternative scored."""
    alignment: Alignment
    """The alignment used; pass ``alignment={...}`` to :func:`score` to change it."""
    weights: dict[str, float] = Field(default_factory=dict)
    """The weights used (model article number → weight; others weigh 1)."""
    part: Part | None = None
    """The part of the draft that was compared (a chapter or section of a whole agreement), and why."""
    context: tuple[ContextItem, ...] = ()
    """Provisions outside the compared articles that limit them (exceptions, carve-outs, dispute
    settlement), each naming the draft articles it reaches; those that depart from the model's
    context are findings on the rows they reach."""
    draft_coverage: float = 1.0
    """Share (0–1) of the compared draft's provisions whose words are present (the rest are gaps)."""

    def row(self, num: str) -> Row:
        """The row of model article ``num`` (``"19.11"``).

        Raises:
            ProvisionNotFoundError: the model has no such article (a ``KeyError``).
        """
        for r in self.rows:
            if num in (r.model_num, r.model_id):
                return r
        raise ProvisionNotFoundError(self.model_id, num, f"articles: {[r.model_num for r in self.rows]}")

    def flag_counts(self, *, substantive_only: bool = True) -> dict[str, int]:
        """How many findings carry each flag (across rows and added articles)."""
        found: Counter[str] = Counter()
        for f in self.findings():
            if f.substantive or not substantive_only:
                found[f.flag.value] += 1
        return dict(sorted(found.items()))

    def findings(self) -> Iterable[Finding]:
        """Every finding, row by row, then those of added articles."""
        for r in self.rows:
            yield from r.findings
        for a in self.added:
            yield from a.findings

    @property
    def not_scored(self) -> tuple[str, ...]:
        """Numbers of the model articles not scored (their words are not in the model, or the draft's are a gap)."""
        return tuple(r.model_num for r in self.rows if r.score is None)

    def not_scored_why(self) -> dict[str, str]:
        """Model article number → why it is not scored."""
        return {r.model_num: r.note for r in self.rows if r.score is None}

    def summary(self) -> str:
        """The headline: overall score, coverage, and counts."""
        if self.overall is None:
            return f"{self.draft_title} against {self.model_title}: nothing could be scored"
        verdicts = Counter(r.verdict for r in self.rows)
        counts = ", ".join(f"{n} {v}" for v, n in verdicts.items())
        part = f" ({self.part.label})" if self.part is not None and self.part.of_whole else ""
        present = f"; {self.draft_coverage:.0%} of the draft's text present" if self.draft_coverage < 1 else ""
        return (
            f"{self.draft_title}{part} against {self.model_title}: {self.overall:.1f}/100, "
            f"covering {self.coverage:.0%} of the model by weight{present} ({counts})"
        )

    def __str__(self) -> str:
        from tradeclauses.render.score import to_text  # noqa: PLC0415 - avoids an import cycle

        return to_text(self)

    def to_markdown(self) -> str:
        """The scorecard as a Markdown report."""
        from tradeclauses.render.score import to_markdown  # noqa: PLC0415

        return to_markdown(self)

    def to_html(self) -> str:
        """The scorecard as a standalone HTML page."""
        from tradeclauses.render.score import to_html  # noqa: PLC0415

        return to_html(self)

    def _repr_html_(self) -> str:
        from tradeclauses.render.score import table_html  # noqa: PLC0415

        return f"<p>{html.escape(self.summary())}</p>{table_html(self)}"

    def to_frame(self) -> Any:
        """The rows as a pandas DataFrame indexed by model article, then the draft's added articles.

        Added articles have no model number (``row == "added"``). Needs ``pip install
        'tradeclauses[pandas]'``.
        """
        try:
            import pandas as pd  # noqa: PLC0415
        except ImportError as exc:
            raise MissingDependencyError("Scorecard.to_frame()", "pandas") from exc
        from tradeclauses.render.tables import SCORECARD_COLUMNS, scorecard_records  # noqa: PLC0415

        frame = pd.DataFrame.from_records(scorecard_records(self), columns=list(SCORECARD_COLUMNS)).set_index("model")
        frame.attrs["part"] = self.part.label if self.part is not None else None
        frame.attrs["context"] = [c.describe() for c in self.context]
        return frame

    def to_csv(self, path: str | Path | None = None) -> str:
        """The table of :meth:`to_frame` as CSV text (also written to ``path`` when given); no pandas needed.

        Examples:
            >>> import tradeclauses as tc
            >>> usmca = tc.load("usmca")
            >>> print(score(usmca, against=usmca).to_csv().splitlines()[0])
            model,heading,in_model,draft,weight,similarity,legal,score,verdict,flags,row,summary,applies_to,context,note
        """
        from tradeclauses.render.tables import SCORECARD_COLUMNS, scorecard_records, to_csv  # noqa: PLC0415

        return to_csv(scorecard_records(self), SCORECARD_COLUMNS, path)

    def to_excel(self, path: str | Path) -> None:
        """An ``.xlsx`` workbook: a "Scorecard" sheet (as :meth:`to_csv`) and a "Findings" sheet.

        Needs ``pip install 'tradeclauses[excel]'`` (openpyxl).
        """
        from tradeclauses.render import tables  # noqa: PLC0415

        findings = tables.scorecard_findings(self)
        tables.to_excel(
            {
                "Scorecard": (tables.SCORECARD_COLUMNS, tables.scorecard_records(self)),
                "Findings": (tables.columns_of(findings, ("model", "draft", "flag")), findings),
            },
            path,
        )

    def to_docx(self, path: str | Path) -> None:
        """The scorecard as a Word report: the headline, a table of the rows, then each finding.

        Needs ``pip install 'tradeclauses[docx]'`` (python-docx).
        """
        from tradeclauses.render.word import scorecard_docx  # noqa: PLC0415

        scorecard_docx(self, path)

    def plot(self, *, ax: Any = None) -> Any:
        """A bar chart of the score of each scored model article, coloured by verdict, weights shown.

        Returns the matplotlib ``Axes`` (its ``.figure`` is the figure). Needs ``pip
        install 'tradeclauses[draw]'`` (matplotlib).
        """
        from tradeclauses.render.charts import scorecard_chart  # noqa: PLC0415

        return scorecard_chart(self, ax=ax)


# --------------------------------------------------------------------------- scoring


def _texts(art: Article, ids: set[str] | None = None) -> list[str]:
    """The article's provisions (paragraphs and definitions, with their subparagraphs)."""
    return [b.text for b in art.children if not isinstance(b, Gap) and (ids is None or b.id in ids)]


def _blocks(art: Article, ids: set[str]) -> list[Block]:
    return [b for b in art.children if not isinstance(b, Gap) and b.id in ids]


def _truncated_counterparts(model_parts: Sequence[Article], paragraphs: Sequence[Match]) -> dict[str, str]:
    """Draft paragraph id → the model text it must be cut to, for model paragraphs the model holds
    only up to a gap ("... or an [[MISSING: rest of paragraph 2]]"): the rest is not compared."""
    truncated = {b.id: b.text for a in model_parts for b in a.children if stops_at_gap(b)}
    return {d: truncated[m] for p in paragraphs for m in p.model if m in truncated for d in p.draft}


def _footnote_texts(art: Article) -> list[str]:
    return [f.text for f in art.footnotes]


def _legal(findings: Sequence[Finding]) -> float:
    """``100 − Σ penalties``; repeats of a flag in one article count half each (floored at 0)."""
    seen: Counter[Flag] = Counter()
    total = 0.0
    for f in findings:
        total += PENALTIES[f.flag] * (1.0 if not seen[f.flag] else 0.5)
        seen[f.flag] += 1
    return max(0.0, 100.0 - total)


def _combine(sim: float, legal: float) -> float:
    return round(max(0.0, legal - TEXT_POINTS * (100.0 - sim) / 100.0), 1)


_SCOPE_REF = re.compile(r"\b(?:this|the)\s+chapter\b|\barticles?\s+(\d+(?:\.\d+)*)", re.IGNORECASE)


def _added_rows(
    draft: Agreement, alignment: Alignment, model_rows: Mapping[str, Row]
) -> tuple[list[AddedRow], dict[str, list[Finding]]]:
    """Draft articles without counterpart; exceptions among them, held against the rows they limit."""
    by_draft_num = {n: m for m in alignment.articles if m.model for n in m.draft_nums}
    held: dict[str, list[Finding]] = {}
    out: list[AddedRow] = []
    arts = {a.id: a for a in draft.articles}
    for m in alignment.articles:
        if m.model:
            continue
        art = arts[m.draft[0]]
        texts = _texts(art)
        if not texts:
            continue  # an article with no words of its own (e.g. a gap in the draft's text)
        features = analyse(" ".join(texts)) if texts else analyse("")
        findings = list(compare_texts([], texts))
        applies: list[str] = []
        if features.exceptions:
            joined = " ".join(texts)
            targets: list[str] = []
            for ref in _SCOPE_REF.finditer(joined):
                if ref.group(1) is None:  # this Chapter: every scored obligation of the model
                    targets += [num for num, r in model_rows.items() if r.score is not None and r.draft_ids]
                elif ref.group(1) in by_draft_num:
                    targets += list(by_draft_num[ref.group(1)].model_nums)
            applies = list(dict.fromkeys(targets))
            new = [f for f in findings if f.flag is Flag.NEW_EXCEPTION]
            for num in applies:
                held.setdefault(num, []).extend(
                    Finding(
                        flag=Flag.NEW_EXCEPTION,
                        explanation=f"draft Article {m.draft_nums[0]} adds an exception to it: {f.explanation}",
                        draft_evidence=f.draft_evidence,
                    )
                    for f in new
                )
        out.append(
            AddedRow(
                draft_id=art.id,
                draft_num=art.num or art.id,
                heading=art.heading,
                summary=features.describe(),
                findings=tuple(findings),
                applies_to=tuple(applies),
            )
        )
    return out, held


def _row(
    match: Match,
    model_arts: Mapping[str, Article],
    draft_arts: Mapping[str, Article],
    alignment: Alignment,
    weights: Mapping[str, float],
) -> Row:
    art = model_arts[match.model[0]]
    num = "+".join(match.model_nums)
    base = {
        "model_id": art.id,
        "model_num": num,
        "heading": art.heading,
        "in_model": art.status,
        "weight": float(weights.get(num, 1.0)),
        "draft_ids": match.draft,
        "draft_nums": match.draft_nums,
    }
    if not match.model_text:
        return Row(**base, note="the model does not hold this article's text; supply the official text to score it")
    model_parts = [a for i in match.model for a in [model_arts[i]]]
    model_texts = [t for a in model_parts for t in _texts(a)]
    model_notes = [t for a in model_parts for t in _footnote_texts(a)]
    if not match.draft:
        findings = compare_texts(model_texts, [])
        if not findings:
            findings = (
                Finding(
                    flag=Flag.MISSING,
                    explanation=f"Article {num} has no counterpart in the draft",
                    model_evidence=" ".join(model_texts)[:300],
                ),
            )
        return Row(**base, similarity=0.0, legal=0.0, score=0.0, findings=findings)
    paragraphs = alignment.paragraphs_of(match)
    drafts = [draft_arts[i] for i in match.draft]
    note = ""
    if art.status == "partial":
        kept = {d for p in paragraphs if p.model for d in p.draft}
        cut = _truncated_counterparts(model_parts, paragraphs)
        draft_texts = [cut_like(b.text, cut[b.id]) if b.id in cut else b.text for a in drafts for b in _blocks(a, kept)]
        note = f"compared on the {len(model_texts)} provision(s) of this article that the model holds"
    else:
        draft_texts = [t for a in drafts for t in _texts(a)]
    draft_notes = [t for a in drafts for t in _footnote_texts(a)]
    findings = compare_texts(model_texts + model_notes, draft_texts + draft_notes)
    sim = similarity(" ".join(model_texts + model_notes), " ".join(draft_texts + draft_notes))
    legal = _legal(findings)
    return Row(
        **base,
        similarity=round(sim, 1),
        legal=legal,
        score=_combine(sim, legal),
        findings=findings,
        paragraphs=paragraphs,
        note=note,
    )


def score(
    draft: Agreement | str | Path,
    against: Agreement | str = "usmca",
    *,
    weights: Mapping[str, float] | None = None,
    alignment: Alignment | Mapping[str, str | Sequence[str] | None] | None = None,
    options: bool = True,
    chapter: str | int | Sequence[str | int] | None = None,
    lexicon: Lexicon | None = None,
) -> Scorecard:
    """Score a draft against a model text (by default the USMCA model).

    A whole agreement is compared on the part that corresponds to the model
    (:func:`tradeclauses.parts.find_part`: its electronic-commerce chapter or section), with
    a :class:`~tradeclauses.errors.WholeAgreementWarning` naming it; the rest of the
    agreement is context (:mod:`tradeclauses.context`). An amending protocol is read with
    its replacement articles in force (:func:`tradeclauses.protocols.in_force`). Draft
    articles whose text is a gap are not scored (:mod:`tradeclauses.gaps`).

    Args:
        draft: the draft, as an agreement, a path, or text to parse.
        against: the model: a name (``"usmca"``; your registered full text if you have
            supplied one) or an agreement.
        weights: model article number → weight (finite, zero or more); articles not
            named weigh 1. Replaces :data:`DEFAULT_WEIGHTS`, the default.
        alignment: an :class:`~tradeclauses.alignment.Alignment` to use as is, or model article
            number → draft article number(s) (``None``: "no counterpart") to fix by hand
            and align the rest around.
        options: for a bracketed draft, also score every alternative
            (:attr:`Scorecard.options`); the main score is the first reading.
        chapter: the part of a whole draft to compare: a chapter number (``"14"``,
            ``"FIFTEEN"``, ``15``), id, or words of its heading (``"electronic commerce"``).
            Default: found from headings and content.
        lexicon: the drafting lexicon to read both texts with (default: the shipped one;
            see :func:`~tradeclauses.lexicon.load_lexicon` to add your own entries).

    Raises:
        UnknownAgreementError: ``against`` names no known agreement.
        AlignmentError: a hand-made alignment names an article that is not there.
        ProvisionNotFoundError: ``chapter`` names no chapter of the draft.
        WeightsError: a weight for an article the model does not have, or one that is
            negative, infinite or not a number.
        ArgumentTypeError: ``weights`` or ``alignment`` of the wrong type.

    Examples:
        >>> import tradeclauses as tc
        >>> draft = tc.parse("Article 2: Location of Computing Facilities\\n1. No Party shall require a "
        ...     "covered person to use or locate computing facilities in that Party's territory as a "
        ...     "condition for conducting business in that territory.")
        >>> card = score(draft, against="usmca")
        >>> card.row("19.12").verdict, card.row("19.12").score
        ('identical', 100.0)
        >>> card.row("19.16").verdict   # in the model only in part, absent from the draft
        'missing'
        >>> card.row("19.2").verdict    # not in the shipped model text at all
        'not scored'
        >>> score(draft, alignment={"19.12": None}).row("19.12").verdict
        'missing'
    """
    model = resolve_agreement(against)
    _check_alignment(alignment)
    used_weights = dict(DEFAULT_WEIGHTS) if weights is None else _checked_weights(weights, model)
    whole = in_force(draft if isinstance(draft, Agreement) else parse(draft))
    part = find_part(whole, model, chapter=chapter)
    if part.of_whole and chapter is None:
        warnings.warn(
            f"{whole.id} is a whole agreement: comparing {part.label} ({part.reason}); "
            "pass chapter= (CLI: --chapter) to choose another part",
            WholeAgreementWarning,
            stacklevel=2,
        )
    draft_agreement = select_part(whole, part) if part.of_whole else whole
    with using_lexicon(lexicon):
        if options and _has_slots(draft_agreement):
            card = _score_bracketed(draft_agreement, model, used_weights, alignment)
        else:
            card = _score(draft_agreement, model, used_weights, alignment)
        return _in_context(card, whole, draft_agreement, part, model)


def _checked_weights(weights: Mapping[str, float], model: Agreement) -> dict[str, float]:
    """``weights`` as given, once every key is an article of ``model`` and every value a usable weight."""
    given: object = weights
    if not isinstance(given, Mapping):
        raise ArgumentTypeError(
            f"weights= takes a mapping of model article number to weight (e.g. {{'19.11': 3}}), "
            f"not {type(given).__name__}"
        )
    known = [a.num for a in model.articles if a.num]
    out: dict[str, float] = {}
    for key, value in given.items():
        if not isinstance(key, str):
            raise WeightsError(f"weights: article numbers are strings ('19.11'), not {key!r}")
        num = key.removeprefix("Article").strip()
        parts = num.split("+")
        unknown = [p for p in parts if p not in known]
        if unknown:
            guess = difflib.get_close_matches(unknown[0].replace(",", "."), known, n=1, cutoff=0.75)
            hint = f"; did you mean {guess[0]}?" if guess else ""
            raise WeightsError(f"weights: {model.id} has no article {key!r}{hint}")
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise WeightsError(f"weights: the weight of {key} must be a number, not {value!r}")
        weight = float(value)
        if not math.isfinite(weight) or weight < 0:
            raise WeightsError(f"weights: the weight of {key} must be finite and zero or more, not {value!r}")
        out[num] = weight
    if known and all(out.get(n, 1.0) == 0 for n in known):
        raise WeightsError("weights: every article of the model weighs 0, so there is nothing to average")
    return out


def _check_alignment(alignment: object) -> None:
    """Refuse an ``alignment=`` that is neither an Alignment nor model number → draft number(s)."""
    if alignment is None or isinstance(alignment, Alignment):
        return
    if not isinstance(alignment, Mapping):
        raise ArgumentTypeError(
            "alignment= takes an Alignment, or a mapping of model article number to draft article "
            f"number(s) or None (e.g. {{'19.11': '8.3', '19.12': None}}), not {type(alignment).__name__}"
        )
    for key, value in alignment.items():
        ok = (
            value is None
            or isinstance(value, str)
            or (isinstance(value, Sequence) and all(isinstance(v, str) for v in value))
        )
        if not isinstance(key, str) or not ok:
            raise ArgumentTypeError(
                f"alignment=: {key!r}: {value!r} is not a model article number mapped to a draft article "
                "number, a list of them, or None"
            )


def _score(
    draft: Agreement,
    model: Agreement,
    weights: Mapping[str, float],
    alignment: Alignment | Mapping[str, str | Sequence[str] | None] | None,
) -> Scorecard:
    used = alignment if isinstance(alignment, Alignment) else align(model, draft, override=alignment)
    model_arts = {a.id: a for a in model.articles}
    draft_arts = {a.id: a for a in draft.articles}
    rows = {"+".join(m.model_nums): _row(m, model_arts, draft_arts, used, weights) for m in used.articles if m.model}
    added, held = _added_rows(draft, used, rows)
    for num, extra in held.items():
        r = rows[num]
        findings = (*r.findings, *extra)
        legal = _legal(findings)
        rows[num] = r.model_copy(
            update={"findings": findings, "legal": legal, "score": _combine(r.similarity or 0.0, legal)}
        )
    scored = [r for r in rows.values() if r.score is not None]
    total = sum(r.weight for r in rows.values())
    covered = sum(r.weight for r in scored)
    overall = round(sum(r.weight * (r.score or 0.0) for r in scored) / covered, 1) if covered else None
    return Scorecard(
        model_id=model.id,
        model_title=model.short_name or model.title,
        draft_id=draft.id,
        draft_title=draft.short_name or draft.title,
        overall=overall,
        coverage=round(covered / total, 4) if total else 0.0,
        rows=tuple(rows.values()),
        added=tuple(added),
        alignment=used,
        weights=dict(weights),
    )


# --------------------------------------------------------------------------- bracketed drafts


def _has_slots(draft: Agreement) -> bool:
    return any(not isinstance(b, Gap) and b.options for a in draft.articles for b in a.walk())


def _score_bracketed(
    draft: Agreement,
    model: Agreement,
    weights: Mapping[str, float],
    alignment: Alignment | Mapping[str, str | Sequence[str] | None] | None,
) -> Scorecard:
    from tradeclauses.read.brackets import resolve, slots  # noqa: PLC0415

    first = resolve(draft, 0)
    card = _score(first, model, weights, alignment)
    found = slots(draft)
    where: dict[str, str] = {}
    for art in draft.articles:
        for b in art.walk():
            if not isinstance(b, Gap):
                for o in b.options:
                    where.setdefault(o.group, art.num or art.id)
    # Each option is scored on the text the other slots leave when their optional words are left out
    # ("omit"), or with their first option where every slot must be filled.
    agreed: dict[str, str | int] = {
        g: ("omit" if any(o.label == "omit" for o in opts) else 0) for g, opts in found.items()
    }
    parent: dict[str, tuple[str, str]] = {}  # nested slot -> (slot, label) of the option holding it
    for group, opts in found.items():
        for o in opts:
            for inner in OPTION_MARK.findall(o.text):
                parent.setdefault(inner.split(".", 1)[0], (group, o.label))
    results: list[OptionScore] = []
    for group, opts in found.items():
        seen: dict[str, OptionScore] = {}
        for o in opts:
            if o.label in seen:
                continue
            context = dict(agreed)
            outer = parent.get(group)
            while outer is not None:  # a nested slot only exists inside the option that holds it
                context[outer[0]] = outer[1]
                outer = parent.get(outer[0])
            reading = resolve(draft, {**context, group: o.label}, default=0)
            draft_num = where[group]
            try:
                sub = _score(reading, model, weights, alignment)
                match = sub.alignment.for_draft(draft_num)
                row = sub.row("+".join(match.model_nums)) if match.model else None
            except (KeyError, AlignmentError):
                row = None
            seen[o.label] = OptionScore(
                slot=group,
                label=o.label,
                proponents=o.proponents,
                text=" / ".join(p.text for p in opts if p.label == o.label),
                draft_num=draft_num,
                model_num=row.model_num if row else None,
                score=row.score if row else None,
                flags=row.flags if row else (),
            )
        best = max((s.score for s in seen.values() if s.score is not None), default=None)
        results += [s.model_copy(update={"best": best is not None and s.score == best}) for s in seen.values()]
    return card.model_copy(update={"options": tuple(results)})


# --------------------------------------------------------------------------- whole agreements, context and gaps


def _overlaps(a: str, b: str) -> bool:
    x, y = normalize(a), normalize(b)
    return bool(x) and bool(y) and (x in y or y in x)


def _rescored(row: Row, findings: Sequence[Finding]) -> Row:
    legal = _legal(findings)
    return row.model_copy(
        update={"findings": tuple(findings), "legal": legal, "score": _combine(row.similarity or 0.0, legal)}
    )


def _not_scored(row: Row, note: str, **also: Any) -> Row:
    """The row without a score, saying why (the draft's text is not available)."""
    cleared = {"similarity": None, "legal": None, "score": None, "findings": (), "note": note}
    return row.model_copy(update={**cleared, **also})


def _in_context(card: Scorecard, whole: Agreement, draft: Agreement, part: Part, model: Agreement) -> Scorecard:
    """The scorecard with the draft's gaps not scored and its agreement-wide context held against its rows."""
    draft_arts = {a.id: a for a in draft.articles}
    items = read_context(whole, part)
    model_part = find_part(model) if len(model.chapters) > 1 else None
    model_items = model_context(model, model_part)
    gap_ids = {i for i, a in draft_arts.items() if article_is_gap(a)}
    placed = {i for m in card.alignment.articles if m.model for i in m.draft}
    unplaced = [draft_arts[i] for i in gap_ids - placed]
    rows: list[Row] = []
    for r in card.rows:
        if r.score is not None and r.draft_ids and all(i in gap_ids for i in r.draft_ids):
            nums = "+".join(r.draft_nums)
            note = f"the draft's text of Article {nums} is not available (a gap in the source)"
            rows.append(_not_scored(r, note, paragraphs=()))
            continue
        if r.score is not None and not r.draft_ids and unplaced:
            names = ", ".join(a.num or a.id for a in unplaced)
            note = (
                f"no counterpart among the draft's texts, but the text of draft Article(s) {names} "
                "is not available: its counterpart may be there"
            )
            rows.append(_not_scored(r, note))
            continue
        if r.score is None or not r.draft_ids:
            rows.append(r)
            continue
        rows.append(_with_context(r, items, model_items))
    added = [_added_in_context(a, items, rows) for a in card.added]
    scored = [r for r in rows if r.score is not None]
    total = sum(r.weight for r in rows)
    covered = sum(r.weight for r in scored)
    overall = round(sum(r.weight * (r.score or 0.0) for r in scored) / covered, 1) if covered else None
    return card.model_copy(
        update={
            "rows": tuple(rows),
            "added": tuple(added),
            "overall": overall,
            "coverage": round(covered / total, 4) if total else 0.0,
            "part": part,
            "context": items,
            "draft_coverage": present_share(draft),
        }
    )


def _with_context(row: Row, items: Sequence[ContextItem], model_items: Sequence[ContextItem]) -> Row:
    """Findings of the context items that reach the row's draft articles."""
    findings = list(row.findings)
    own = set(row.draft_ids)
    model_nums = row.model_num.split("+")
    changed = False
    for item in items:
        if not own & set(item.applies_to):
            continue
        if item.kind == "dispute_settlement_exclusion" and (row.heading or "").lower().startswith("definition"):
            continue  # definitions are not enforced on their own
        in_own = any(item.source_id == i or item.source_id.startswith(i + "/") for i in own)
        if item.kind == "dispute_settlement_exclusion" and in_own:
            # read by the article's own comparison as an added prohibition: it is what it is, an exclusion
            kept = [f for f in findings if not (f.flag is Flag.ADDED and _overlaps(f.draft_evidence, item.quote))]
            changed |= len(kept) != len(findings)
            findings = kept
        elif in_own:
            continue  # the article's own comparison has read it
        if any(
            f"draft Article {item.source_num} " in f.explanation or _overlaps(f.draft_evidence, item.quote)
            for f in findings
            if f.draft_evidence or f.explanation
        ):
            continue
        found = assess(item, model_nums, model_items)
        if found is not None:
            findings.append(found)
            changed = True
    return _rescored(row, findings) if changed else row


def _added_in_context(added: AddedRow, items: Sequence[ContextItem], rows: Sequence[Row]) -> AddedRow:
    """A dispute-settlement exclusion among the draft's unaligned articles: UNENFORCEABLE, not an added prohibition."""
    mine = [i for i in items if i.kind == "dispute_settlement_exclusion" and i.source_id.startswith(added.draft_id)]
    if not mine:
        return added
    findings = [f for f in added.findings if not any(_overlaps(f.draft_evidence, i.quote) for i in mine)]
    reached = {a for i in mine for a in i.applies_to}
    applies = [r.model_num for r in rows if set(r.draft_ids) & reached and r.score is not None]
    findings += [
        Finding(
            flag=Flag.UNENFORCEABLE,
            explanation=f"takes Article(s) {', '.join(i.applies_to_nums)} out of dispute settlement",
            draft_evidence=i.quote,
        )
        for i in mine
        if not i.temporary
    ]
    return added.model_copy(
        update={"findings": tuple(findings), "applies_to": tuple(dict.fromkeys((*added.applies_to, *applies)))}
    )
