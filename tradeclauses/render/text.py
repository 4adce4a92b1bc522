"""The clause model back to text, in tradeclauses' own format (``agreements/README.md``).

``read_text(to_text(a))`` gives back ``a``: the same ids and the same words.
"""

from __future__ import annotations

import re

from tradeclauses.model import Agreement, Article, Block, Definition, Gap

__all__ = ["article_text", "to_text"]


def _block_lines(block: Block) -> list[str]:
    if isinstance(block, Gap):
        return [f"[[MISSING: {block.note}]]"]
    lines: list[str] = []
    label = block.num or ""
    if block.kind == "paragraph" and label and not label.endswith((".", ")")):
        label += "."
    if block.heading:
        lines.append(f"{label} {block.heading}".strip())
        lines.append(block.intro)
    else:
        first = f"{label} {block.intro}".strip() if label else block.intro
        if isinstance(block, Definition) and not block.intro:
            first = label
        lines.append(first)
    for i, child in enumerate(block.children):
        if isinstance(child, Gap) and i == 0 and lines:
            lines[-1] = f"{lines[-1]} [[MISSING: {child.note}]]"
            continue
        lines.extend(_block_lines(child))
    if block.wrap_up:
        lines.append(block.wrap_up)
    return [line for line in lines if line]


def article_text(article: Article, *, marks: bool = True) -> str:
    """One article as text: heading line, blocks, then its footnotes.

    Args:
        article: the article.
        marks: keep ``[^N]`` footnote marks (``False`` shows them as superscript-like ``⁽N⁾``).

    Examples:
        >>> import tradeclauses as tc
        >>> print(article_text(tc.load("usmca")["19.11"]).splitlines()[0])
        Article 19.11: Cross-Border Transfer of Information by Electronic Means
    """
    heading = article.heading or (f"[[MISSING: {article.heading_gap}]]" if article.heading_gap else "")
    heading += "".join(f"[^{n}]" for n in article.heading_footnotes)
    num = f" {article.num}" if article.num else ""
    lines = [f"{article.label}{num}: {heading}".rstrip(": ") if article.num else f"## {heading}".rstrip()]
    if not article.num and not heading:
        lines = []
    previous: Block | None = None
    for block in article.children:
        if block.kind == "paragraph" and block.num is None and previous is not None and previous.kind == "paragraph":
            lines.append("")  # unnumbered paragraphs: a blank line keeps them apart
        lines.extend(_block_lines(block))
        previous = block
    for note in article.notes:
        lines.append(f"[[NOTE: {note}]]")
    for fn in article.footnotes:
        gap = f"[[MISSING: {fn.gap}]]" if fn.gap else ""
        lines.append(f"[^{fn.num}] {fn.text}{gap}")
    out = "\n".join(lines)
    if not marks:
        out = re.sub(r"\[\^([^\]\s]+)\]", r"⁽\1⁾", out)
    return out


def to_text(agreement: Agreement) -> str:
    """The whole agreement as text, with a ``# key: value`` header.

    Examples:
        >>> import tradeclauses as tc
        >>> from tradeclauses.read.text import read_text
        >>> usmca = tc.load("usmca")
        >>> read_text(to_text(usmca)) == usmca
        True
    """
    head = [f"# id: {agreement.id}", f"# title: {agreement.title}"]
    if agreement.short_name:
        head.append(f"# short-name: {agreement.short_name}")
    keys = {k for k, _ in agreement.metadata}
    if agreement.parties and "parties" not in keys:
        head.append(f"# parties: {', '.join(agreement.parties)}")
    head += [f"# {key}: {value}" for key, value in agreement.metadata]
    if agreement.version:
        head.append(f"# version: {agreement.version}")
    if agreement.language:
        head.append(f"# language: {agreement.language}")
    head += [f"# source: {s}" for s in agreement.sources]
    head += [f"# note: {n}" for n in agreement.notes]
    parts = ["\n".join(head)]
    for ch in agreement.chapters:
        if ch.label == "Chapter":
            parts.append(f"CHAPTER {ch.num} {ch.heading or ''}".rstrip())
        elif ch.label == "Annex":
            parts.append(f"ANNEX {ch.num or ''} {ch.heading or ''}".strip())
        elif ch.label == "Preamble":
            parts.append(ch.heading or "PREAMBLE")
        section = None
        for art in ch.articles:
            if art.section and art.section != section:
                parts.append(art.section)
                section = art.section
            parts.append(article_text(art))
        parts.extend(f"[[MISSING: {g.note}]]" for g in ch.gaps)
    return "\n\n".join(parts) + "\n"
