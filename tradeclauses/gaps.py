"""Gaps in a text: provisions whose words the source does not hold.

Readers turn editorial marks of missing text into :class:`~tradeclauses.model.Gap`
nodes (``[[MISSING: ...]]``). Transcriptions found in the wild mark a gap in words
instead: ``[...]``, ``…``, ``[text not available]``, ``(text not yet available)``,
``[GAP: ...]``. A provision whose whole text is such a mark holds no treaty words: it
is a gap, never an empty commitment. Scoring treats a draft article that is a gap like
a model article that is not in the model: **not scored**, neither 0 nor counted in the
overall score.

Examples:
    >>> is_gap_text("[...]"), is_gap_text("[text not available]"), is_gap_text("No Party shall ...")
    (True, True, False)
    >>> import tradeclauses as tc
    >>> draft = tc.parse("Article 3: Cross-Border Data Flows\\n[Text not available]\\n"
    ...                  "Article 4: Cybersecurity\\n1. The Parties recognise the importance of cybersecurity.")
    >>> article_is_gap(draft["3"]), article_is_gap(draft["4"])
    (True, False)
    >>> present_share(draft)
    0.5
"""

from __future__ import annotations

import re

from tradeclauses.model import Agreement, Article, Gap

__all__ = ["GAP_TEXT", "article_is_gap", "block_is_gap", "is_gap_text", "present_share", "stops_at_gap"]

GAP_TEXT = re.compile(
    r"""^[\s"'“”‘’]*(?:
        [\[(]\s*(?:\.\s*){3}\s*[\])]          # [...]  (...)
      | [\[(]\s*…\s*[\])]                     # […]
      | (?:\.\s*){3} | …                      # ... or … alone
      | \[+\s*(?:gap|missing|omitted)\s*(?::[^\]]*)?\]+   # [GAP: ...]  [[MISSING: ...]]
      | [\[(]?\s*(?:the\s+)?(?:text|wording|provision|article)\s+(?:is\s+)?
        (?:not\s+(?:yet\s+)?(?:available|provided|published|reproduced)|unavailable|omitted|withheld)
        [^\])]*[\])]?
      | [\[(]\s*to\s+be\s+(?:completed|determined|inserted)\s*[\])]
    )[\s.;:"'“”‘’]*$""",
    re.IGNORECASE | re.VERBOSE,
)
"""A provision whose whole text marks missing words (``[...]``, ``[text not available]``).

"[Reserved]" is not a gap: in a published treaty it marks an article the Parties left
without content on purpose, so the commitment is missing, not unknown."""


def stops_at_gap(block: object) -> bool:
    """True for a provision whose words stop at a gap inside it ("... or an [[MISSING: the rest]]")."""
    walk = getattr(block, "walk", None)
    return walk is not None and not isinstance(block, Gap) and any(isinstance(x, Gap) for x in walk())


def is_gap_text(text: str) -> bool:
    """True when ``text`` is only a mark of missing words (see :data:`GAP_TEXT`)."""
    return bool(text.strip()) and GAP_TEXT.match(text) is not None


def block_is_gap(block: object) -> bool:
    """True for a :class:`~tradeclauses.model.Gap` node or a provision whose text is a gap mark."""
    if isinstance(block, Gap):
        return True
    text = getattr(block, "text", "")
    return isinstance(text, str) and is_gap_text(text)


def article_is_gap(art: Article) -> bool:
    """True when the article holds no treaty words: only gap nodes or gap marks (or nothing but a heading
    that a source marks as missing)."""
    if art.status == "missing":
        return True
    if not art.children:
        return False
    return all(block_is_gap(b) for b in art.children)


def present_share(agreement: Agreement) -> float:
    """Share (0–1) of the agreement's provisions whose words are present (not gaps).

    Each article counts its top-level provisions (paragraphs, definitions, gaps); an
    article with none counts once, as present.
    """
    total = 0
    present = 0
    for art in agreement.articles:
        blocks = art.children
        if not blocks:
            total += 1
            present += 1
            continue
        total += len(blocks)
        present += sum(1 for b in blocks if not block_is_gap(b))
    return round(present / total, 4) if total else 1.0
