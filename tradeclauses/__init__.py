"""tradeclauses: read, score, diff and search the clauses of trade agreements."""

from __future__ import annotations

from tradeclauses import errors
from tradeclauses.model import Agreement, Article, Chapter, Definition, Footnote, Gap, Paragraph, Subparagraph
from tradeclauses.read import parse

__all__ = [
    "Agreement",
    "Article",
    "Chapter",
    "Definition",
    "Footnote",
    "Gap",
    "Paragraph",
    "Subparagraph",
    "errors",
    "parse",
]
