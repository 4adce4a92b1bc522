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
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tradeclauses.analysis import Finding
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


_SUBLABEL = re.compile(r"^\((?:[a-z]{1,3}|[ivxlc]+|[A-Z]|\d{1,2})\)$")
_BEFORE_LIST = re.compile(r"(?:[:;,]|\b(?:and|or))$")


def _segments_html(segments: Sequence[Segment], side: Literal["both", "old", "new"] = "both") -> str:
    """The redline as HTML; a subparagraph label ("(a)") after ":", ";", "and", "or" starts a new line."""
    parts: list[str] = []
    previous = ""
    for s in segments:
        if s.op == "insert" and side == "old":
            continue
        if s.op == "delete" and side == "new":
            continue
        shown = s.old_text if side == "old" and s.op == "equal" and s.old_text is not None else s.text
        words = shown.split(" ")
        pieces: list[str] = []
        for k, word in enumerate(words):
            before = words[k - 1] if k else previous
            if _SUBLABEL.match(word) and _BEFORE_LIST.search(before):
                pieces.append('<br class="sub">')
            pieces.append(html.escape(word))
        text = " ".join(pieces).replace(' <br class="sub"> ', '<br class="sub">')
        if s.op == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif s.op == "delete":
            parts.append(f"<del>{text}</del>")
        elif s.old_text is not None and side == "both":
            parts.append(f'<span title="old: {html.escape(s.old_text, quote=True)}">{text}</span>')
        else:
            parts.append(text)
        previous = words[-1] if words else previous
    return " ".join(parts).replace(' <br class="sub">', '<br class="sub">')


def _anchor(change: Change) -> str:
    ident = (change.old or change.new)[0]
    return "c-" + "".join(ch if ch.isalnum() else "-" for ch in ident)


def _finding_html(f: Finding) -> str:
    ev = ""
    if f.model_evidence:
        ev += f'<blockquote class="old"><b>old</b>: {html.escape(f.model_evidence)}</blockquote>'
    if f.draft_evidence:
        ev += f'<blockquote class="new"><b>new</b>: {html.escape(f.draft_evidence)}</blockquote>'
    cls = "flag substantive" if f.substantive else "flag"
    return f'<li><span class="{cls}">{html.escape(f.flag.value)}</span>: {html.escape(f.explanation)}{ev}</li>'


def _findings_html(findings: Sequence[Finding], shown: list[Finding]) -> str:
    """The findings not shown yet (each finding is shown once in a report)."""
    fresh = [f for f in findings if not any(f is g or f == g for g in shown)]
    shown += fresh
    if not fresh:
        return ""
    return f'<ul class="findings">{"".join(_finding_html(f) for f in fresh)}</ul>'


def _css_class(change: Change) -> str:
    """How an article's change is styled: substantive, cosmetic, or changed."""
    return "substantive" if change.substantive else "cosmetic" if change.cosmetic else "changed"


def _moved_note(art: Change) -> str:
    from tradeclauses.diffing import DiffKind  # noqa: PLC0415

    bits = []
    if DiffKind.MOVED in art.kinds:
        where = f"article {art.old_pos + 1}" if art.old_pos is not None else "elsewhere"
        bits.append(f"moved: it stood at {where} of the old version, now {(art.new_pos or 0) + 1}")
    if DiffKind.RENUMBERED in art.kinds:
        bits.append(f"renumbered from {'+'.join(art.old_nums)}")
    return "; ".join(bits)


def _body_html(d: AgreementDiff, view: Literal["inline", "side-by-side"], *, gather: bool = True) -> str:
    """Each changed article in reading order (the new version's, removed ones after their old neighbour)."""
    parts = []
    shown: list[Finding] = []
    for art, kids in _groups(d):
        if gather and _not_comparable(art):
            continue
        cls = _css_class(art)
        badges = "".join(
            f'<span class="badge {k.value.lower()}">{html.escape(k.value.replace("_", " ").lower())}</span>'
            for k in art.kinds
        )
        parts.append(f'<section id="{_anchor(art)}" class="{cls}"><h2>{html.escape(_heading(art))} {badges}</h2>')
        moved = _moved_note(art)
        if moved:
            parts.append(f'<p class="note">{html.escape(moved)}</p>')
        if art.note:
            parts.append(f'<p class="note">{html.escape(art.note)}</p>')
        items = _whole_text(d, art) if _is_whole(art) else kids
        attributed = [f for c in items for f in c.findings]
        parts.append(_findings_html([f for f in art.findings if f not in attributed], shown))
        for c in items:
            if gather and _not_comparable(c):
                continue
            label = (
                ""
                if _is_whole(art)
                else f'<div class="label">{html.escape(c.title)} <small>{html.escape(_kinds(c))}</small></div>'
            )
            if view == "side-by-side":
                parts.append(
                    f'<div class="provision">{label}<table class="sbs"><tr>'
                    f'<td class="old">{_segments_html(c.redline, "old")}</td>'
                    f'<td class="new">{_segments_html(c.redline, "new")}</td></tr></table>'
                    f"{_findings_html(c.findings, shown)}</div>"
                )
            else:
                parts.append(
                    f'<div class="provision">{label}<p>{_segments_html(c.redline)}</p>'
                    f"{_findings_html(c.findings, shown)}</div>"
                )
        unheld = [c for c in kids if _not_comparable(c)] if gather else []
        if unheld:
            parts.append(
                f'<p class="note">{len(unheld)} provision(s) not comparable (one side does not hold their words): '
                f"{html.escape(', '.join(c.title for c in unheld))}</p>"
            )
        parts.append("</section>")
    return "\n".join(parts)


def _summary_tables(d: AgreementDiff) -> str:
    """Changes by kind and level, then substantive findings by flag (with the articles that carry them)."""
    from tradeclauses.diffing import DiffKind  # noqa: PLC0415

    esc = html.escape
    counts = {level: d.counts(level) for level in _LEVELS}  # type: ignore[arg-type]
    levels = [lv for lv in _LEVELS if counts[lv]]
    rows = []
    for kind in DiffKind:
        if any(counts[lv].get(kind.value) for lv in levels):
            cells = "".join(f'<td class="n">{counts[lv].get(kind.value, 0) or ""}</td>' for lv in levels)
            rows.append(f"<tr><th>{esc(kind.value)}</th><td><small>{esc(kind.description)}</small></td>{cells}</tr>")
    head = "".join(f'<th class="n">{_PLURAL[lv]}</th>' for lv in levels)
    kinds = (
        f'<table class="counts"><caption>Changes by kind</caption><tr><th>kind</th><th></th>{head}</tr>'
        f"{''.join(rows)}</table>"
        if rows
        else "<p>No changes.</p>"
    )
    by_flag: dict[str, list[str]] = {}
    for e in d.entries:
        if e.level != "article":
            continue
        for f in e.findings:
            if f.substantive:
                by_flag.setdefault(f.flag.value, []).append(e.title)
    flag_rows = "".join(
        f'<tr><th>{esc(flag)}</th><td class="n">{len(arts)}</td><td>'
        + ", ".join(f'<a href="#{_anchor(e)}">{esc(t)}</a>' for t in dict.fromkeys(arts) for e in _by_title(d, t))
        + "</td></tr>"
        for flag, arts in sorted(by_flag.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    flags = (
        f'<table class="counts"><caption>Substantive findings by flag</caption>'
        f"<tr><th>flag</th><th class=\"n\">findings</th><th>articles</th></tr>{flag_rows}</table>"
        if flag_rows
        else "<p>No substantive finding.</p>"
    )
    return f'<div class="tables">{kinds}{flags}</div>'


def _by_title(d: AgreementDiff, title: str) -> list[Change]:
    return [e for e in d.entries if e.level == "article" and e.title == title][:1]


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 62em; margin: 2em auto; color: #222;
       line-height: 1.5; padding: 0 1em; }
h1, h2, nav, .label, .flag, small, header, table.counts, .badge, figcaption { font-family: -apple-system,
       'Segoe UI', Helvetica, Arial, sans-serif; }
header { border-bottom: 2px solid #333; margin-bottom: 1em; }
header h1 { margin-bottom: 0.2em; }
header p { margin: 0.2em 0; color: #444; font-size: 0.9em; }
h2 { font-size: 1.15em; border-bottom: 1px solid #ddd; margin-top: 2em; }
h2 small, .label small { color: #666; font-weight: normal; margin-left: 0.5em; }
ins { color: #0645ad; text-decoration: underline double; background: #eef4ff; }
del { color: #b00020; text-decoration: line-through; background: #fdecee; }
br.sub + * { margin-left: 0; }
.provision p { margin: 0.3em 0 0.6em 0; }
.tables { display: flex; flex-wrap: wrap; gap: 2em; align-items: flex-start; }
table.counts { border-collapse: collapse; font-size: 0.85em; }
table.counts caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
table.counts th, table.counts td { border-bottom: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left;
       vertical-align: top; }
table.counts .n { text-align: right; }
.badge { font-size: 0.65em; font-weight: normal; padding: 0.1em 0.45em; border-radius: 0.6em; margin-left: 0.4em;
       background: #eee; color: #333; vertical-align: middle; }
.badge.added { background: #e3ecff; color: #0645ad; } .badge.removed { background: #fdecee; color: #b00020; }
.badge.modified { background: #fff4d6; color: #7a5200; } .badge.moved { background: #ececec; color: #444; }
nav ol { columns: 2; font-size: 0.9em; }
nav a.substantive { color: #b00020; font-weight: bold; }
nav a.cosmetic { color: #888; }
.note { color: #666; font-style: italic; }
.unheld { border: 1px solid #ddd; background: #fafafa; padding: 0.6em 0.9em; font-size: 0.9em; color: #555; }
.label { font-size: 0.85em; font-weight: bold; margin-top: 0.8em; }
.flag { font-weight: bold; font-size: 0.85em; }
.flag.substantive { color: #b00020; }
blockquote { margin: 0.2em 0 0.4em 1em; padding-left: 0.8em; border-left: 3px solid #bbb; color: #444; }
table.sbs { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.sbs td { vertical-align: top; border: 1px solid #ddd; padding: 0.4em 0.6em; width: 50%; }
figure.chart { margin: 1.5em 0; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.8em; color: #666; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  nav, .legend-screen { display: none; }
  .provision, .findings li, table.counts, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def to_html(
    d: AgreementDiff,
    *,
    view: Literal["inline", "side-by-side"] = "inline",
    when: datetime | None = None,
) -> str:
    """A standalone HTML comparison document.

    A header says what was compared with what, and when; then the summary tables
    (changes by kind, substantive findings by flag), the chart of changes by article
    (when matplotlib is installed), a table of contents, and each changed article in
    the new version's order, moves and renumbering marked, subparagraphs on their own
    lines, each finding once. Articles that cannot be compared are gathered in one note.
    ``view="inline"`` shows one text with deletions struck through in red and insertions
    double-underlined in blue; ``view="side-by-side"`` shows the old words beside the
    new ones. The page prints cleanly (no navigation, colours kept).
    """
    from tradeclauses import __version__  # noqa: PLC0415
    from tradeclauses.render.charts import svg  # noqa: PLC0415 - matplotlib only when installed

    esc = html.escape
    stamp = (when or datetime.now(UTC)).astimezone(UTC)
    groups = [(a, k) for a, k in _groups(d) if not _not_comparable(a)]
    unheld = [a for a, _ in _groups(d) if _not_comparable(a)]
    toc = []
    for art, _ in groups:
        toc.append(
            f'<li><a class="{_css_class(art)}" href="#{_anchor(art)}">{esc(_heading(art))}</a> '
            f"<small>{esc(_kinds(art))}</small></li>"
        )
    head = ""
    if view == "side-by-side":
        head = f'<table class="sbs"><tr><th>{esc(d.old_title)} (old)</th><th>{esc(d.new_title)} (new)</th></tr></table>'
    n_articles = len([c for c in d.changes if c.level == "article"])
    n_sub = sum(1 for c in d.changes if c.level == "article" and c.substantive)
    chart = svg(d) if groups else None
    note = ""
    if unheld:
        note = (
            '<p class="unheld"><b>Not comparable</b> (one version does not hold the words of these articles, '
            f"e.g. the partial shipped USMCA text): {esc(', '.join(a.title for a in unheld))}.</p>"
        )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(d.old_title)} → {esc(d.new_title)}: comparison</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header>",
        f"<h1>{esc(d.old_title)} → {esc(d.new_title)}</h1>",
        f"<p>Comparison of <b>{esc(d.new_title)}</b> (<code>{esc(d.new_id)}</code>, the new version) with "
        f"<b>{esc(d.old_title)}</b> (<code>{esc(d.old_id)}</code>, the old version), "
        f"made {stamp:%d %B %Y, %H:%M} UTC by tradeclauses {esc(__version__)}, offline.</p>",
        f"<p>{n_articles} article(s) changed, {n_sub} substantively"
        + (" — substantive changes only" if d.substantive_only else "")
        + '. <del>deleted words</del> <ins>inserted words</ins></p>',
        "</header>",
        _summary_tables(d),
        f'<figure class="chart">{chart}<figcaption>Provisions changed in each article, by kind.</figcaption></figure>'
        if chart
        else "",
        note,
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
    body = _body_html(d, "inline", gather=False)
    return f'{style}<div class="tc-diff"><pre>{html.escape(summary(d))}</pre>{body}</div>'
