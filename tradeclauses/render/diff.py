"""Diffs as a terminal redline, Markdown, a standalone HTML redline page and a notebook view.

Insertions and deletions are styled the way lawyers read redlines: inserted words
underlined (blue in HTML, green in a terminal), deleted words struck through in red.
Without colours (a pipe, a file, ``NO_COLOR``), the plain text uses the ``wdiff``
convention: ``[-deleted-]`` and ``{+inserted+}``.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> d = tc.diff(usmca.select(articles=["19.11", "19.12"]), usmca.select(articles=["19.12"]))
    >>> print("\\n".join(summary(d).splitlines()[:4]))
    USMCA → USMCA: 1 change (1 substantive)
      articles: 1 REMOVED
    Substantive changes, by article:
      19.11 → — Cross-Border Transfer of Information by Electronic Means: REMOVED
    >>> "[-No Party shall prohibit or restrict" in to_text(d, colour=False)
    True
    >>> to_html(d).startswith("<!DOCTYPE html>")
    True
"""

from __future__ import annotations

import html
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tradeclauses.diffing import AgreementDiff, Change, Segment

__all__ = ["notebook_html", "summary", "to_html", "to_markdown", "to_text"]

_LEVELS = ("article", "paragraph", "footnote", "alternative")
_PLURAL = {"article": "articles", "paragraph": "paragraphs", "footnote": "footnotes", "alternative": "alternatives"}


def _kinds(change: Change) -> str:
    return ", ".join(k.value for k in change.kinds) or "unchanged"


def _heading(change: Change) -> str:
    heading = change.new_heading or change.old_heading or ""
    return f"{change.title} {heading}".strip()


def _groups(d: AgreementDiff) -> list[tuple[Change, list[Change]]]:
    """Each changed article with its changed paragraphs, footnotes and alternatives."""
    shown = d.changes
    out: list[tuple[Change, list[Change]]] = []
    by_article: dict[str, int] = {}
    for e in d.entries:
        if e.level == "article":
            for i in (*e.old, *e.new):
                by_article[i] = len(out)
            out.append((e, []))
    ids_shown = {id(e) for e in shown}
    for e in d.entries:
        if e.level != "article" and id(e) in ids_shown:
            out[by_article[e.old_article or e.new_article or ""]][1].append(e)
    return [(a, kids) for a, kids in out if id(a) in ids_shown or kids]


def _whole_text(d: AgreementDiff, article: Change) -> list[Change]:
    """The paragraphs of an article added, removed or not comparable as a whole."""
    return [c for c in d.children(article) if c.redline]


def _is_whole(article: Change) -> bool:
    from tradeclauses.diffing import _whole  # noqa: PLC0415 - one definition of "as a whole"

    return _whole(article)


def summary(d: AgreementDiff) -> str:
    """Counts by kind and level, then the substantive changes listed by article, then what is not comparable."""
    changes = d.changes
    if d.identical:
        return f"{d.old_title} → {d.new_title}: no changes (the same words; layout, case and spelling aside)"
    n_sub = sum(1 for c in changes if c.substantive and c.level == "article")
    lines = [
        f"{d.old_title} → {d.new_title}: {len([c for c in changes if c.level == 'article'])} change"
        f"{'s' if len([c for c in changes if c.level == 'article']) != 1 else ''} ({n_sub} substantive)"
    ]
    if d.substantive_only:
        lines[0] += ", substantive changes only"
    for level in _LEVELS:
        counts = d.counts(level)  # type: ignore[arg-type]
        if counts:
            lines.append(f"  {_PLURAL[level]}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    substantive = [(a, kids) for a, kids in _groups(d) if a.substantive]
    if substantive:
        lines.append("Substantive changes, by article:")
        for art, kids in substantive:
            lines.append(f"  {_heading(art)}: {_kinds(art)}")
            if art.note:
                lines.append(f"    ({art.note})")
            attributed = [f for c in kids for f in c.findings]
            lines += [f"    - {_clip(str(f), 200)}" for f in art.findings if f not in attributed]
            shown = [c for c in kids if c.level != "alternative" and _body_change(c) and not _not_comparable(c)]
            for c in shown:
                words = c.new_text if c.new else c.old_text
                lines.append(f'    {c.title}: {_kinds(c)} "{_clip(words, 80)}"')
                lines += [f"      - {_clip(str(f), 200)}" for f in c.findings]
            unheld = [c for c in kids if _not_comparable(c)]
            if unheld:
                lines.append(f"    ({len(unheld)} provision(s) not comparable: one side does not hold their words)")
    cosmetic = [a for a, _ in _groups(d) if a.cosmetic]
    if cosmetic and not d.substantive_only:
        lines.append(f"Cosmetic only (renumbered or moved): {', '.join(a.title for a in cosmetic)}")
    wording = [a for a, _ in _groups(d) if a.kinds and not a.substantive and not a.cosmetic and not _not_comparable(a)]
    if wording and not d.substantive_only:
        lines.append(f"Words changed without a legal finding (read the redline): {', '.join(a.title for a in wording)}")
    unheld = [a for a, _ in _groups(d) if _not_comparable(a)]
    if unheld and not d.substantive_only:
        lines.append(f"Not comparable (words not held on one side): {', '.join(a.title for a in unheld)}")
    return "\n".join(lines)


def _not_comparable(change: Change) -> bool:
    from tradeclauses.diffing import DiffKind  # noqa: PLC0415

    return change.kinds == (DiffKind.NOT_COMPARABLE,)


def _body_change(change: Change) -> bool:
    return any(not k.cosmetic for k in change.kinds)


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --------------------------------------------------------------------------- text


def _use_colour(colour: bool | None) -> bool:
    if colour is not None:
        return colour
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _segments_text(segments: Sequence[Segment], colour: bool) -> str:
    parts = []
    for s in segments:
        if s.op == "insert":
            parts.append(f"\x1b[4;32m{s.text}\x1b[0m" if colour else f"{{+{s.text}+}}")
        elif s.op == "delete":
            parts.append(f"\x1b[9;31m{s.text}\x1b[0m" if colour else f"[-{s.text}-]")
        else:
            parts.append(s.text)
    return " ".join(parts)


def to_text(d: AgreementDiff, *, colour: bool | None = None) -> str:
    """The summary, then the full redline article by article (ANSI colours on a TTY, else wdiff marks)."""
    use = _use_colour(colour)
    bold: Callable[[str], str] = (lambda s: f"\x1b[1m{s}\x1b[0m") if use else (lambda s: s)
    lines = [summary(d)]
    groups = _groups(d)
    if groups:
        lines += ["", bold("Redline")]
    for art, kids in groups:
        lines += ["", bold(f"{_heading(art)}  [{_kinds(art)}]")]
        if art.note:
            lines.append(f"  ({art.note})")
        items = _whole_text(d, art) if _is_whole(art) else kids
        for c in items:
            if c.level != "article" and not _is_whole(art):
                lines.append(f"  {c.title}  [{_kinds(c)}]")
            if c.redline:
                lines.append("    " + _segments_text(c.redline, use))
            lines += [f"    * {f}" for f in c.findings]
        if not kids and not _is_whole(art):
            lines += [f"  * {f}" for f in art.findings]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- markdown


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("~", "\\~").replace("|", "\\|")


def _segments_md(segments: Sequence[Segment]) -> str:
    parts = []
    for s in segments:
        if s.op == "insert":
            parts.append(f"**{_md_escape(s.text)}**")
        elif s.op == "delete":
            parts.append(f"~~{_md_escape(s.text)}~~")
        else:
            parts.append(_md_escape(s.text))
    return " ".join(parts)


def to_markdown(d: AgreementDiff) -> str:
    """The diff as Markdown: summary, then the redline (inserted words **bold**, deleted ~~struck~~)."""
    out = [f"# {d.old_title} → {d.new_title}", "", "```", summary(d), "```", ""]
    for art, kids in _groups(d):
        out += [f"## {_md_escape(_heading(art))}", "", f"*{_kinds(art)}*" + (f" — {art.note}" if art.note else ""), ""]
        for f in art.findings:
            out.append(f"- **{f.flag.value}**: {_md_escape(f.explanation)}")
        if art.findings:
            out.append("")
        items = _whole_text(d, art) if _is_whole(art) else kids
        for c in items:
            if not _is_whole(art):
                out.append(f"**{_md_escape(c.title)}** ({_kinds(c)})")
                out.append("")
            if c.redline:
                out += [_segments_md(c.redline), ""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- HTML


def _segments_html(segments: Sequence[Segment], side: Literal["both", "old", "new"] = "both") -> str:
    parts = []
    for s in segments:
        text = html.escape(s.text)
        if s.op == "insert":
            if side != "old":
                parts.append(f"<ins>{text}</ins>")
        elif s.op == "delete":
            if side != "new":
                parts.append(f"<del>{text}</del>")
        elif side == "old" and s.old_text is not None:
            parts.append(html.escape(s.old_text))
        elif s.old_text is not None and side == "both":
            parts.append(f'<span title="old: {html.escape(s.old_text, quote=True)}">{text}</span>')
        else:
            parts.append(text)
    return " ".join(parts)


def _anchor(change: Change) -> str:
    ident = (change.old or change.new)[0]
    return "c-" + "".join(ch if ch.isalnum() else "-" for ch in ident)


def _findings_html(change: Change) -> str:
    if not change.findings:
        return ""
    items = []
    for f in change.findings:
        ev = ""
        if f.model_evidence:
            ev += f'<blockquote class="old"><b>old</b>: {html.escape(f.model_evidence)}</blockquote>'
        if f.draft_evidence:
            ev += f'<blockquote class="new"><b>new</b>: {html.escape(f.draft_evidence)}</blockquote>'
        cls = "flag substantive" if f.substantive else "flag"
        items.append(
            f'<li><span class="{cls}">{html.escape(f.flag.value)}</span>: {html.escape(f.explanation)}{ev}</li>'
        )
    return f'<ul class="findings">{"".join(items)}</ul>'


def _css_class(change: Change) -> str:
    """How an article's change is styled: substantive, cosmetic, or changed."""
    return "substantive" if change.substantive else "cosmetic" if change.cosmetic else "changed"


def _body_html(d: AgreementDiff, view: Literal["inline", "side-by-side"]) -> str:
    parts = []
    for art, kids in _groups(d):
        cls = _css_class(art)
        parts.append(
            f'<section id="{_anchor(art)}" class="{cls}"><h2>{html.escape(_heading(art))} '
            f"<small>{html.escape(_kinds(art))}</small></h2>"
        )
        if art.note:
            parts.append(f'<p class="note">{html.escape(art.note)}</p>')
        items = _whole_text(d, art) if _is_whole(art) else kids
        if not (kids and any(c.findings for c in kids)):
            parts.append(_findings_html(art))
        for c in items:
            label = (
                ""
                if _is_whole(art)
                else f'<div class="label">{html.escape(c.title)} <small>{html.escape(_kinds(c))}</small></div>'
            )
            if view == "side-by-side":
                parts.append(
                    f'<div class="provision">{label}<table class="sbs"><tr>'
                    f'<td class="old">{_segments_html(c.redline, "old")}</td>'
                    f'<td class="new">{_segments_html(c.redline, "new")}</td></tr></table>{_findings_html(c)}</div>'
                )
            else:
                parts.append(
                    f'<div class="provision">{label}<p>{_segments_html(c.redline)}</p>{_findings_html(c)}</div>'
                )
        parts.append("</section>")
    return "\n".join(parts)


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 62em; margin: 2em auto; color: #222;
       line-height: 1.5; }
h1, h2, nav, .label, .flag, small, .summary { font-family: -apple-system, 'Segoe UI', sans-serif; }
h2 { font-size: 1.15em; border-bottom: 1px solid #ddd; margin-top: 2em; }
h2 small, .label small { color: #666; font-weight: normal; margin-left: 0.5em; }
ins { color: #0645ad; text-decoration: underline double; background: #eef4ff; }
del { color: #b00020; text-decoration: line-through; background: #fdecee; }
.summary { white-space: pre-wrap; background: #f7f7f7; padding: 0.8em; border: 1px solid #ddd; font-size: 0.9em; }
nav ol { columns: 2; font-size: 0.9em; }
nav a.substantive { color: #b00020; font-weight: bold; }
nav a.cosmetic { color: #888; }
.note { color: #666; font-style: italic; }
.label { font-size: 0.85em; font-weight: bold; margin-top: 0.8em; }
.flag { font-weight: bold; font-size: 0.85em; }
.flag.substantive { color: #b00020; }
blockquote { margin: 0.2em 0 0.4em 1em; padding-left: 0.8em; border-left: 3px solid #bbb; color: #444; }
table.sbs { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.sbs td { vertical-align: top; border: 1px solid #ddd; padding: 0.4em 0.6em; width: 50%; }
"""


def to_html(d: AgreementDiff, *, view: Literal["inline", "side-by-side"] = "inline") -> str:
    """A standalone HTML redline: summary, table of contents by article, then each change.

    ``view="inline"`` shows one text with deletions struck through in red and insertions
    double-underlined in blue; ``view="side-by-side"`` shows the old words (deletions
    marked) beside the new ones (insertions marked).
    """
    esc = html.escape
    toc = []
    for art, _ in _groups(d):
        cls = _css_class(art)
        toc.append(
            f'<li><a class="{cls}" href="#{_anchor(art)}">{esc(_heading(art))}</a> '
            f"<small>{esc(_kinds(art))}</small></li>"
        )
    head = ""
    if view == "side-by-side":
        head = f'<table class="sbs"><tr><th>{esc(d.old_title)} (old)</th><th>{esc(d.new_title)} (new)</th></tr></table>'
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(d.old_title)} → {esc(d.new_title)}: redline</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{esc(d.old_title)} → {esc(d.new_title)}</h1>",
        f'<div class="summary">{esc(summary(d))}</div>',
        "<p><del>deleted words</del> <ins>inserted words</ins></p>",
        f"<nav><h2>Contents</h2><ol>{''.join(toc)}</ol></nav>" if toc else "",
        head,
        _body_html(d, view),
        "<p><small>Produced offline by tradeclauses.</small></p></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def notebook_html(d: AgreementDiff) -> str:
    """What a notebook shows: the summary, then the inline redline (no page chrome)."""
    style = (
        "<style>.tc-diff ins{color:#0645ad;text-decoration:underline double}"
        ".tc-diff del{color:#b00020;text-decoration:line-through}</style>"
    )
    return f'{style}<div class="tc-diff"><pre>{html.escape(summary(d))}</pre>{_body_html(d, "inline")}</div>'
