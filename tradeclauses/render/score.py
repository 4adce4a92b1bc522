"""Scorecards as text, Markdown and HTML (a notebook table and a standalone report page).

Colours follow what a reader expects: green kept (identical or cosmetic), amber changed
or strengthened, red weakened or missing, grey not scored.

Examples:
    >>> import tradeclauses as tc
    >>> card = tc.score(tc.load("usmca"))
    >>> print(to_markdown(card).splitlines()[0])
    # USMCA against USMCA
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradeclauses.scoring import Row, Scorecard

__all__ = ["table_html", "to_html", "to_markdown", "to_text"]

_COLOURS = {
    "identical": "#d9f2d9",
    "cosmetic": "#d9f2d9",
    "reworded": "#eaf4d3",
    "strengthened": "#fff2cc",
    "changed": "#fff2cc",
    "weakened": "#f8cbcb",
    "missing": "#f8cbcb",
    "not scored": "#eeeeee",
}


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _draft(row: Row) -> str:
    return "+".join(row.draft_nums) or "—"


def _compared(card: Scorecard) -> str | None:
    """Which part of the draft was compared, and why (``None`` when the draft is one part already)."""
    if card.part is None or not card.part.of_whole:
        return None
    return f"Compared: {card.part.label} of the draft ({card.part.reason}); the rest of the agreement is context."


def _context_lines(card: Scorecard) -> list[str]:
    """One line per context provision: what it is, where it comes from, which rows it reaches."""
    out = []
    for item in card.context:
        rows = [r.model_num for r in card.rows if set(r.draft_ids) & set(item.applies_to)]
        reach = f"reaches {', '.join(rows)}" if rows else f"reaches draft Article(s) {', '.join(item.applies_to_nums)}"
        out.append(f"{item.describe()}; {reach}: \"{item.quote[:160]}\"")
    return out


def _not_scored_lines(card: Scorecard) -> list[str]:
    return [f"{num}: {why}" for num, why in card.not_scored_why().items()]


def to_text(card: Scorecard) -> str:
    """The scorecard for a terminal: headline, one line per article, then the findings."""
    lines = [card.summary(), ""]
    compared = _compared(card)
    if compared:
        lines[1:1] = [compared]
    lines.append(f"{'model':<8} {'draft':<10} {'weight':>6} {'similar':>8} {'legal':>6} {'score':>6}  verdict")
    for r in card.rows:
        lines.append(
            f"{r.model_num:<8} {_draft(r):<10} {r.weight:>6.0f} {_num(r.similarity):>8} {_num(r.legal, 0):>6} "
            f"{_num(r.score):>6}  {r.verdict}" + (f"  [{', '.join(f.value for f in r.flags)}]" if r.flags else "")
        )
    for a in card.added:
        lines.append(f"{'—':<8} {a.draft_num:<10} {'':>6} {'':>8} {'':>6} {'':>6}  added: {a.summary}")
    detail = [r for r in card.rows if r.findings]
    if detail:
        lines += ["", "Findings"]
        for r in detail:
            lines.append(f"  {r.model_num} {r.heading or ''} -> {_draft(r)}".rstrip())
            lines += [f"    - {f}" for f in r.findings]
    if card.added:
        lines += ["", "Draft articles without a counterpart in the model"]
        for a in card.added:
            lines.append(f"  {a.draft_num} {a.heading or ''}: {a.summary}".rstrip())
            lines += [f"    - {f}" for f in a.findings]
            if a.applies_to:
                lines.append(f"    limits model article(s) {', '.join(a.applies_to)}")
    if card.options:
        lines += ["", "Alternatives of the bracketed text"]
        for o in card.options:
            who = f" ({'/'.join(o.proponents)})" if o.proponents else ""
            mark = "*" if o.best else " "
            lines.append(
                f"  {mark} slot {o.slot} option {o.label}{who} in {o.draft_num} vs {o.model_num or '—'}: "
                f"{_num(o.score)} {', '.join(f.value for f in o.flags)}  {o.text[:70]!r}"
            )
    if card.context:
        lines += ["", "Context (provisions outside the compared articles that limit them)"]
        lines += [f"  - {c}" for c in _context_lines(card)]
    if card.not_scored:
        lines += ["", "Not scored"]
        lines += [f"  {x}" for x in _not_scored_lines(card)]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(card: Scorecard) -> str:
    """The scorecard as Markdown: headline, table, findings with quotes, added articles."""
    out = [f"# {card.draft_title} against {card.model_title}", "", card.summary(), ""]
    compared = _compared(card)
    if compared:
        out += [compared, ""]
    out += ["| Model | Heading | Draft | Weight | Similarity | Legal | Score | Verdict | Flags |", "|---" * 9 + "|"]
    for r in card.rows:
        flags = ", ".join(f.value for f in r.flags)
        out.append(
            f"| {r.model_num} | {_md(r.heading or '')} | {_draft(r)} | {r.weight:.0f} | {_num(r.similarity)} | "
            f"{_num(r.legal, 0)} | {_num(r.score)} | {r.verdict} | {flags} |"
        )
    for r in card.rows:
        if not r.findings and r.verdict != "cosmetic":
            continue
        out += ["", f"## {r.model_num} {r.heading or ''} → {_draft(r)}".rstrip(), ""]
        if r.verdict == "cosmetic":
            out.append("Only cosmetic differences (layout, numbering, spelling, punctuation).")
        for f in r.findings:
            out.append(f"- **{f.flag.value}**: {_md(f.explanation)}")
            if f.model_evidence:
                out.append(f"  - model: > {_md(f.model_evidence)}")
            if f.draft_evidence:
                out.append(f"  - draft: > {_md(f.draft_evidence)}")
    if card.added:
        out += ["", "## Draft articles without a counterpart in the model", ""]
        for a in card.added:
            limits = f" Limits model article(s) {', '.join(a.applies_to)}." if a.applies_to else ""
            out.append(f"- **{a.draft_num}** {_md(a.heading or '')}: {_md(a.summary)}.{limits}")
            out += [f"  - {f.flag.value}: {_md(f.explanation)}" for f in a.findings]
    if card.options:
        out += ["", "## Alternatives", "", "| Slot | Option | Proponents | Article | Score | Flags | Best |"]
        out.append("|---" * 7 + "|")
        for o in card.options:
            out.append(
                f"| {o.slot} | {_md(o.label)}: {_md(o.text[:80])} | {'/'.join(o.proponents)} | "
                f"{o.draft_num} → {o.model_num or '—'} | {_num(o.score)} | {', '.join(f.value for f in o.flags)} | "
                f"{'✓' if o.best else ''} |"
            )
    if card.context:
        out += ["", "## Context", ""]
        out += [f"- {_md(c)}" for c in _context_lines(card)]
    if card.not_scored:
        out += ["", "## Not scored", ""]
        out += [f"- {_md(x)}" for x in _not_scored_lines(card)]
    return "\n".join(out) + "\n"


def table_html(card: Scorecard) -> str:
    """The rows as a colour-coded HTML table (what a notebook shows)."""
    head = (
        "<tr><th>Model</th><th>Heading</th><th>Draft</th><th>Weight</th><th>Similarity</th>"
        "<th>Legal</th><th>Score</th><th>Verdict</th><th>Flags</th></tr>"
    )
    body = []
    for r in card.rows:
        colour = _COLOURS[r.verdict]
        title = html.escape("\n".join(str(f) for f in r.findings), quote=True)
        body.append(
            f'<tr style="background:{colour}" title="{title}"><td>{html.escape(r.model_num)}</td>'
            f"<td>{html.escape(r.heading or '')}</td><td>{html.escape(_draft(r))}</td><td>{r.weight:.0f}</td>"
            f"<td>{_num(r.similarity)}</td><td>{_num(r.legal, 0)}</td><td><b>{_num(r.score)}</b></td>"
            f"<td>{r.verdict}</td><td>{html.escape(', '.join(f.value for f in r.flags))}</td></tr>"
        )
    for a in card.added:
        body.append(
            f"<tr><td>—</td><td>{html.escape(a.heading or '')}</td><td>{html.escape(a.draft_num)}</td>"
            f"<td></td><td></td><td></td><td></td><td>added</td>"
            f"<td>{html.escape(', '.join(f.value for f in a.flags))}</td></tr>"
        )
    return f'<table class="tradeclauses-score">{head}{"".join(body)}</table>'


_CSS = """
body { font-family: Georgia, serif; max-width: 60em; margin: 2em auto; color: #222; }
figure.chart { margin: 1.5em 0; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-family: sans-serif; font-size: 0.8em; color: #666; }
@media print { body { max-width: none; margin: 0; } table, figure, li { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
table { border-collapse: collapse; width: 100%; font-family: sans-serif; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
blockquote { margin: 0.2em 0 0.6em 1em; padding-left: 0.8em; border-left: 3px solid #bbb; color: #444; }
.flag { font-family: sans-serif; font-weight: bold; }
.legend span { padding: 0.1em 0.5em; margin-right: 0.5em; font-family: sans-serif; font-size: 0.85em; }
"""


def to_html(card: Scorecard) -> str:
    """A standalone HTML report: headline, legend, colour-coded table, findings with quotes."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(card.draft_title)} against {esc(card.model_title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(card.draft_title)} against {esc(card.model_title)}</h1>",
        f"<p>{esc(card.summary())}</p>",
        *([f"<p>{esc(c)}</p>"] if (c := _compared(card)) else []),
        '<p class="legend">'
        + "".join(f'<span style="background:{_COLOURS[v]}">{v}</span>' for v in ("identical", "changed", "weakened"))
        + '<span style="background:#eeeeee">not scored</span></p>',
        table_html(card),
    ]
    from tradeclauses.render.charts import svg  # noqa: PLC0415 - matplotlib only when installed

    chart = svg(card)
    if chart is not None:
        parts.append(f'<figure class="chart">{chart}<figcaption>Score per model article, coloured by verdict; '
                     "×w: the article's weight in the overall score.</figcaption></figure>")
    for r in card.rows:
        if not r.findings:
            continue
        parts.append(f"<h2>{esc(r.model_num)} {esc(r.heading or '')} → {esc(_draft(r))}</h2><ul>")
        for f in r.findings:
            parts.append(f'<li><span class="flag">{esc(f.flag.value)}</span>: {esc(f.explanation)}')
            if f.model_evidence:
                parts.append(f"<blockquote><b>model</b>: {esc(f.model_evidence)}</blockquote>")
            if f.draft_evidence:
                parts.append(f"<blockquote><b>draft</b>: {esc(f.draft_evidence)}</blockquote>")
            parts.append("</li>")
        parts.append("</ul>")
    if card.added:
        parts.append("<h2>Draft articles without a counterpart in the model</h2><ul>")
        for a in card.added:
            parts.append(f"<li><b>{esc(a.draft_num)}</b> {esc(a.heading or '')}: {esc(a.summary)}</li>")
        parts.append("</ul>")
    if card.options:
        parts.append("<h2>Alternatives</h2><table><tr><th>Slot</th><th>Option</th><th>Proponents</th>")
        parts.append("<th>Article</th><th>Score</th><th>Flags</th></tr>")
        for o in card.options:
            style = ' style="background:#d9f2d9"' if o.best else ""
            parts.append(
                f"<tr{style}><td>{esc(o.slot)}</td><td>{esc(o.label)}: {esc(o.text)}</td>"
                f"<td>{esc('/'.join(o.proponents))}</td><td>{esc(o.draft_num)} → {esc(o.model_num or '—')}</td>"
                f"<td>{_num(o.score)}</td><td>{esc(', '.join(f.value for f in o.flags))}</td></tr>"
            )
        parts.append("</table>")
    if card.context:
        parts.append("<h2>Context</h2><ul>")
        parts += [f"<li>{esc(c)}</li>" for c in _context_lines(card)]
        parts.append("</ul>")
    if card.not_scored:
        parts.append("<h2>Not scored</h2><ul>")
        parts += [f"<li>{esc(x)}</li>" for x in _not_scored_lines(card)]
        parts.append("</ul>")
    parts.append("<p><small>Score = legal (100 minus the penalty of each finding) minus up to 3 points for")
    parts.append(" wording (3 × (100 − textual similarity) / 100); overall = weighted mean of the scored articles.")
    parts.append(" Produced offline by tradeclauses.")
    parts.append("</small></p></body></html>")
    return "\n".join(parts) + "\n"
