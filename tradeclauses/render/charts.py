"""Charts of scorecards and diffs (matplotlib, the ``draw`` extra), and their SVG for the HTML reports.

``Scorecard.plot()`` draws one bar per scored model article: its score (0–100),
coloured by verdict, its weight written beside it; model articles not scored (their
words are not in the model) are listed under the chart instead of drawn as zeros.
``AgreementDiff.plot()`` draws one stacked bar per changed article: how many of its
provisions (the article, its paragraphs, footnotes, alternatives) carry each kind of
change.

Both return the matplotlib ``Axes``; ``ax.figure`` is the figure. :func:`svg` gives
the inline SVG the HTML reports embed (``None`` without matplotlib, and the reports
then leave the chart out).
"""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING, Any

from tradeclauses.errors import MissingDependencyError

if TYPE_CHECKING:
    from tradeclauses.diffing import AgreementDiff
    from tradeclauses.scoring import Scorecard

__all__ = ["KIND_COLOURS", "VERDICT_COLOURS", "diff_chart", "scorecard_chart", "svg"]

VERDICT_COLOURS: dict[str, str] = {
    "identical": "#1a7f37",
    "cosmetic": "#4caf50",
    "reworded": "#8bc34a",
    "strengthened": "#1565c0",
    "changed": "#f9a825",
    "weakened": "#c62828",
    "missing": "#6d0000",
    "not scored": "#bdbdbd",
}
"""Bar colour of each verdict: greens track the model, blue binds more, red binds less."""

KIND_COLOURS: dict[str, str] = {
    "ADDED": "#1565c0",
    "REMOVED": "#c62828",
    "MODIFIED": "#f9a825",
    "MOVED": "#9e9e9e",
    "RENUMBERED": "#bdbdbd",
    "SPLIT": "#6a1b9a",
    "MERGED": "#ad1457",
    "NOT_COMPARABLE": "#e0e0e0",
}
"""Colour of each kind of change."""


def _figure(height_rows: int, *, pyplot: bool) -> Any:
    """A new figure sized for ``height_rows`` bars: through pyplot (notebooks) or standalone (files)."""
    try:
        from matplotlib.figure import Figure  # noqa: PLC0415 - optional extra
    except ImportError as exc:
        raise MissingDependencyError("charts", "draw") from exc
    size = (8.0, 0.9 + 0.3 * max(height_rows, 1))
    if pyplot:
        import matplotlib.pyplot as plt  # noqa: PLC0415

        return plt.figure(figsize=size, layout="constrained")
    return Figure(figsize=size, layout="constrained")


def _legend_patch(colour: str) -> Any:
    from matplotlib.patches import Rectangle  # noqa: PLC0415

    return Rectangle((0, 0), 1, 1, color=colour)


def scorecard_chart(card: Scorecard, *, ax: Any = None) -> Any:
    """Score per scored model article (bars coloured by verdict, ``×weight`` beside each)."""
    rows = [r for r in card.rows if r.score is not None]
    if ax is None:
        ax = _figure(len(rows), pyplot=True).subplots()
    labels = [f"{r.model_num} {(r.heading or '')[:38]}".strip() for r in rows]
    scores = [r.score or 0.0 for r in rows]
    colours = [VERDICT_COLOURS[r.verdict] for r in rows]
    positions = list(range(len(rows)))
    ax.barh(positions, scores, color=colours, height=0.7)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("score (0–100)")
    for y, r in zip(positions, rows, strict=True):
        ax.text((r.score or 0.0) + 1.5, y, f"{r.score:.0f}  ×{r.weight:g}", va="center", fontsize=7)
    overall = "—" if card.overall is None else f"{card.overall:.1f}"
    ax.set_title(f"{card.draft_title} against {card.model_title}: {overall}/100", fontsize=10)
    used = list(dict.fromkeys(r.verdict for r in rows))
    handles = [_legend_patch(VERDICT_COLOURS[v]) for v in used]
    if handles:
        ax.legend(handles, used, fontsize=7, loc="lower right", frameon=False)
    if card.not_scored:
        ax.annotate(
            f"not scored (not in the model text): {', '.join(card.not_scored)}; weights shown as ×w",
            xy=(0, 0),
            xycoords="figure fraction",
            xytext=(4, 2),
            textcoords="offset points",
            fontsize=6,
            color="#666666",
        )
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def diff_counts(d: AgreementDiff) -> list[tuple[str, Counter[str]]]:
    """Per changed article (in reading order): how many provisions carry each kind of change.

    Provisions that cannot be compared (one side does not hold their words) are left
    out: the reports list them in one note.
    """
    from tradeclauses.diffing import DiffKind  # noqa: PLC0415

    owner: dict[str, int] = {}
    out: list[tuple[str, Counter[str]]] = []
    shown = {id(c) for c in d.changes}
    for e in d.entries:
        if e.level == "article":
            for i in (*e.old, *e.new):
                owner[i] = len(out)
            out.append((e.title, Counter()))
    for e in d.entries:
        if id(e) not in shown:
            continue
        k = owner[e.new_article or e.old_article or ""] if e.level != "article" else owner[(e.old or e.new)[0]]
        kinds = [
            k_.value
            for k_ in e.kinds
            if k_ is not DiffKind.NOT_COMPARABLE and not (e.level == "article" and k_ is DiffKind.MODIFIED)
        ]
        out[k][1].update(kinds)
    return [(title, counts) for title, counts in out if counts]


def diff_chart(d: AgreementDiff, *, ax: Any = None) -> Any:
    """Changes by article and kind: one stacked horizontal bar per changed article."""
    data = diff_counts(d)
    if ax is None:
        ax = _figure(len(data), pyplot=True).subplots()
    kinds = [k for k in KIND_COLOURS if any(c[k] for _, c in data)]
    positions = list(range(len(data)))
    left = [0.0] * len(data)
    for kind in kinds:
        values = [float(c[kind]) for _, c in data]
        ax.barh(positions, values, left=left, color=KIND_COLOURS[kind], label=kind, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, [title for title, _ in data], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("provisions changed (article, paragraphs, footnotes, alternatives)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"{d.old_title} → {d.new_title}: changes by article and kind", fontsize=10)
    if kinds:
        ax.legend(fontsize=7, loc="lower right", frameon=False)
    else:
        ax.text(0.5, 0.5, "no changes", transform=ax.transAxes, ha="center")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _bars(subject: Any) -> int:
    from tradeclauses.scoring import Scorecard  # noqa: PLC0415

    if isinstance(subject, Scorecard):
        return sum(1 for r in subject.rows if r.score is not None)
    return len(diff_counts(subject))


def svg(subject: Scorecard | AgreementDiff) -> str | None:
    """The chart of a scorecard or diff as inline SVG text; ``None`` when matplotlib is not installed."""
    from tradeclauses.scoring import Scorecard  # noqa: PLC0415

    try:
        figure = _figure(_bars(subject), pyplot=False)
    except MissingDependencyError:
        return None
    ax = figure.subplots()
    if isinstance(subject, Scorecard):
        scorecard_chart(subject, ax=ax)
    else:
        diff_chart(subject, ax=ax)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else None
