"""Amending protocols: put the articles they insert or replace in force under their own numbers.

A protocol does not restate the agreement; it instructs: "Article 8.81 of the
Agreement shall be replaced by the following: 'Article 8.81 Cross-border data flows
1. ...'", "The following Article shall be inserted after Article 8.80: 'Article
8.80a ...'". Read as written, the replacement is a few paragraphs of the protocol's
own "Article 1". :func:`in_force` reads the quoted text as the article(s) it puts in
force, numbered as the agreement numbers them, in place of the instruction; the
instruction is kept as a note on each article it puts in force. Articles of the
protocol that amend nothing (entry into force, authentic texts) are left as they are.

Examples:
    >>> import tradeclauses as tc
    >>> protocol = tc.parse('''Article 1
    ... Article 8.81 of the Agreement shall be replaced by the following:
    ... "Article 8.81
    ... Cross-border data flows
    ... 1. A Party shall not restrict cross-border data flows by requiring the localisation of data in its territory."
    ... Article 2
    ... This Protocol shall enter into force on the first day of the second month after notification.''')
    >>> [(a.num, a.heading) for a in in_force(protocol).articles]
    [('8.81', 'Cross-border data flows'), ('2', None)]
    >>> in_force(protocol)["8.81"].notes[0]
    'put in force by Article 1: Article 8.81 of the Agreement shall be replaced by the following:'
"""

from __future__ import annotations

import re
from typing import Any

from tradeclauses.errors import ReadError
from tradeclauses.model import Agreement, Article
from tradeclauses.render.text import article_text

__all__ = ["AMENDMENT", "in_force"]

AMENDMENT = re.compile(
    r"(?:\bArticles?\s+[\w.\-]+(?:\s+(?:and|to)\s+[\w.\-]+)?\s+of\s+(?:the|this)\s+(?:Agreement|Chapter|Annex)"
    r"[^.:]{0,80}?\b(?:shall\s+be|is|are)\s+(?:replaced|amended|deleted\s+and\s+replaced)\b[^:]{0,60}:"
    r"|\bthe\s+following\s+(?:new\s+)?Articles?\s+(?:shall\s+be|is|are)\s+(?:inserted|added)\b[^:]{0,80}:)",
    re.IGNORECASE,
)
"""An amending instruction that introduces quoted replacement text."""

_OPEN = "\"“‘'«"
_CLOSE = "\"”’'»"


def _retag(value: Any, old: str, new: str) -> Any:
    if isinstance(value, dict):
        return {
            k: (new + v[len(old) :] if k == "id" and isinstance(v, str) and v.startswith(old) else _retag(v, old, new))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_retag(v, old, new) for v in value]
    return value


def _replacements(art: Article, parent: str) -> list[Article] | None:
    """The articles an amending article puts in force, or ``None`` if it amends nothing."""
    from tradeclauses.read.text import read_text  # noqa: PLC0415 - the reader depends on the model only

    text = article_text(art, marks=False)
    m = AMENDMENT.search(text)
    if not m:
        return None
    quoted = text[m.end() :].strip()
    if not quoted or quoted[0] not in _OPEN:
        return None
    lines = [ln.strip() for ln in quoted.splitlines()]
    lines = [ln for ln in lines if ln]
    lines[0] = lines[0].lstrip(_OPEN)
    lines[-1] = lines[-1].rstrip(_CLOSE + " ").rstrip()
    lines[-1] = re.sub(r"[" + re.escape(_CLOSE) + r"]\s*\.?$", "", lines[-1])
    body = "\n".join(
        ln.lstrip(_OPEN) if re.match(r"^[" + re.escape(_OPEN) + r"]\s*Article\b", ln) else ln for ln in lines
    )
    if not re.match(r"^Article\b", body):
        return None
    try:
        read = read_text(body, agreement_id="inforce")
    except ReadError:
        return None
    instruction = text[: m.end()].split("\n", 1)[-1].strip()  # without the protocol article's own heading line
    out: list[Article] = []
    for new in read.articles:
        if new.num is None:
            return None
        data = _retag(new.model_dump(), "inforce/", f"{parent}/")
        data["notes"] = (f"put in force by Article {art.num}: {' '.join(instruction.split())}", *new.notes)
        out.append(Article.model_validate(data))
    return out or None


def in_force(agreement: Agreement) -> Agreement:
    """The agreement with the articles its amending instructions put in force in their place.

    An agreement without amending instructions is returned as it is.
    """
    if not any(AMENDMENT.search(a.text) for a in agreement.articles):
        return agreement
    chapters = []
    changed = False
    for ch in agreement.chapters:
        arts: list[Article] = []
        for art in ch.articles:
            parent = art.id.rsplit("/", 1)[0]
            new = _replacements(art, parent) if AMENDMENT.search(art.text) else None
            if new is None:
                arts.append(art)
            else:
                arts += new
                changed = True
        chapters.append(ch.replace(articles=tuple(arts)))
    if not changed:
        return agreement
    try:
        return agreement.replace(chapters=tuple(chapters))
    except ValueError:  # a replacement numbered like an article already there: keep the text as written
        return agreement
