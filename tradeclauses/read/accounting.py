"""Character accounting: what became of every letter and digit of an input.

The letters and digits of the input are counted from the raw bytes, with regular
expressions and no XML parser, so the count does not share the readers' code and
catches what a reader drops (text after a comment, inside an inline element, in an
element it does not know). Those of the model are counted from every text field of the
agreement, plus ``removed`` and ``unparsed``. Each side is a multiset of characters;
what the input holds and the model does not is *lost*. Whitespace and punctuation are
not counted, so lines rejoined, words de-hyphenated and numbering read as numbers
(``1.`` is paragraph 1) are not losses.

Examples:
    >>> import tradeclauses as tc
    >>> xml = b'''<treaty><body><chapter number="CHAPTER 1"><article number="ARTICLE 1">1. No Party
    ... shall prohibit <!-- ocr note --> the transfer, except for <b>national</b> security.</article>
    ... </chapter></body></treaty>'''
    >>> sum(lost_chars(raw_xml_chars(xml, "article"), tc.parse(xml), body_only=True).values())
    0
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable

from tradeclauses.model import FOOTNOTE_MARK, Agreement, Gap
from tradeclauses.read._xml import as_utf8

__all__ = ["lost_chars", "model_chars", "raw_text_chars", "raw_xml_chars"]

_MARKUP = re.compile(r"<!--(.*?)-->|<\?(.*?)\?>|<!\[CDATA\[(.*?)\]\]>|<[^>]*>", re.DOTALL)


def _letters(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(ch for ch in text if ch.isalnum())
    return counts


def raw_text_chars(text: str) -> Counter[str]:
    """Letters and digits of a plain-text input.

    Examples:
        >>> raw_text_chars("Article 1: A-b")["A"]
        2
    """
    return _letters([text])


def _unmark(match: re.Match[str]) -> str:
    inner = next((g for g in match.groups() if g is not None), "")
    return f" {inner} "


def raw_xml_chars(data: bytes, element: str) -> Counter[str]:
    """Letters and digits inside every ``<element>`` of an XML document, from the raw bytes.

    Tags are taken out, the text of comments, processing instructions and CDATA sections
    is kept (a reader must place it or report it), and character references are
    decoded. Elements named ``element`` must not nest (ToTA's ``article``, AKN's ``body``).

    Examples:
        >>> raw_xml_chars(b"<a><article n='9'>x<b>y</b><!--z--></article></a>", "article")
        Counter({'x': 1, 'y': 1, 'z': 1})
    """
    text = as_utf8(data).decode("utf-8", errors="replace")
    name = re.escape(element)
    spans = re.finditer(rf"<(?:[\w.-]+:)?{name}(?:\s[^>]*)?(?<!/)>(.*?)</(?:[\w.-]+:)?{name}\s*>", text, re.DOTALL)
    return _letters(html.unescape(_MARKUP.sub(_unmark, m[1])) for m in spans)


def model_chars(agreement: Agreement, *, body_only: bool = False) -> Counter[str]:
    """Letters and digits held by the agreement: every text field, ``removed`` and ``unparsed``.

    Footnote marks keep their digits (``[^5]`` counts as ``5``). With ``body_only``, only
    what comes from the bodies of articles counts (provisions, footnotes, gaps, and the
    residues): not titles, metadata, labels or article headings, which a format such as
    ToTA keeps outside the body; their letters would otherwise hide a loss.

    Examples:
        >>> import tradeclauses as tc
        >>> model_chars(tc.parse("Article 1: Scope\\n1. Applies."))["p"]
        3
    """
    texts: list[str] = []
    if not body_only:
        texts += [agreement.title, agreement.short_name or ""]
        texts += [value for _key, value in agreement.metadata]
    for ch in agreement.chapters:
        texts += [*(g.note for g in ch.gaps)]
        if not body_only:
            texts += [ch.label, ch.num or "", ch.heading or ""]
        for art in ch.articles:
            if not body_only:
                texts += [art.label, art.num or "", art.heading or "", art.section or "", art.heading_gap or ""]
            texts += art.heading_footnotes
            for block in art.walk():
                if isinstance(block, Gap):
                    texts.append(block.note)
                    continue
                texts += [block.num or "", block.heading or "", block.intro, block.wrap_up]
                texts += [getattr(block, "term", "")]
                for option in block.options:
                    texts += [option.label, option.text, option.note or "", *option.proponents, *option.opposed]
            for fn in art.footnotes:
                texts += [fn.num, fn.text, fn.gap or ""]
    texts += [r.text for r in (*agreement.removed, *agreement.unparsed)]
    return _letters(FOOTNOTE_MARK.sub(r" \1 ", t) for t in texts)


def lost_chars(raw: Counter[str], agreement: Agreement, *, body_only: bool = False) -> Counter[str]:
    """The letters and digits of ``raw`` that ``agreement`` holds nowhere (empty: nothing lost).

    ``body_only``: compare with the bodies of articles only (see :func:`model_chars`),
    for a count of article bodies such as :func:`raw_xml_chars` of ToTA's ``article``.

    Examples:
        >>> import tradeclauses as tc
        >>> lost_chars(raw_text_chars("Article 1: Scope\\n1. Applies. zzz"), tc.parse("Article 1: Scope\\n1. Applies."))
        Counter({'z': 3})
    """
    return raw - model_chars(agreement, body_only=body_only)
