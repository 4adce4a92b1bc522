"""tradeclauses: read, score, diff and search the clauses of trade agreements.

Works offline: the library never touches the network. Drafts stay on your machine.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> usmca["19.11"].paragraphs[0].text[:47]
    'No Party shall prohibit or restrict the cross-b'
"""

from __future__ import annotations

from importlib import metadata as _metadata

from tradeclauses import corpus, errors
from tradeclauses.alignment import Alignment, align
from tradeclauses.analysis import Features, Finding, Flag, Modality, analyse, compare_texts
from tradeclauses.catalog import catalog, load, register, unregister
from tradeclauses.clausegraph import ClauseGraph, graph
from tradeclauses.diffing import AgreementDiff, DiffKind, diff
from tradeclauses.lexicon import Lexicon, lexicon, load_lexicon, using_lexicon
from tradeclauses.model import (
    Agreement,
    Article,
    Chapter,
    Definition,
    Footnote,
    Gap,
    Option,
    Paragraph,
    Subparagraph,
)
from tradeclauses.precedent import SearchIndex, lineage, search
from tradeclauses.read import parse
from tradeclauses.read.akn import to_akn
from tradeclauses.read.brackets import readings, resolve, slots
from tradeclauses.scoring import Scorecard, score

try:
    __version__: str = _metadata.version("tradeclauses")
    """The installed version (``"0+unknown"`` when run from a source tree that is not installed)."""
except _metadata.PackageNotFoundError:  # pragma: no cover - only from an uninstalled checkout
    __version__ = "0+unknown"

__all__ = [
    "Agreement",
    "AgreementDiff",
    "Alignment",
    "Article",
    "Chapter",
    "ClauseGraph",
    "Definition",
    "DiffKind",
    "Features",
    "Finding",
    "Flag",
    "Footnote",
    "Gap",
    "Lexicon",
    "Modality",
    "Option",
    "Paragraph",
    "Scorecard",
    "SearchIndex",
    "Subparagraph",
    "__version__",
    "align",
    "analyse",
    "catalog",
    "compare_texts",
    "corpus",
    "diff",
    "errors",
    "graph",
    "lexicon",
    "lineage",
    "load",
    "load_lexicon",
    "parse",
    "readings",
    "register",
    "resolve",
    "score",
    "search",
    "slots",
    "to_akn",
    "unregister",
    "using_lexicon",
]


def __dir__() -> list[str]:
    return list(__all__)
