"""tradeclauses: read, score, diff and search the clauses of trade agreements.

Works offline: the library never touches the network. Drafts stay on your machine.

``import tradeclauses`` is quick: each public name is imported on first use, so that
numpy, scipy, networkx and the readers load only when a job needs them.

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> usmca["19.11"].paragraphs[0].text[:47]
    'No Party shall prohibit or restrict the cross-b'
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib import metadata as _metadata
from typing import TYPE_CHECKING, Any

from tradeclauses import errors

if TYPE_CHECKING:
    from tradeclauses import cache, corpus
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

# public name -> the module that defines it (imported on first use, see ``__getattr__``)
_LAZY: dict[str, str] = {
    "cache": "tradeclauses.cache",
    "corpus": "tradeclauses.corpus",
    **dict.fromkeys(["Alignment", "align"], "tradeclauses.alignment"),
    **dict.fromkeys(["Features", "Finding", "Flag", "Modality", "analyse", "compare_texts"], "tradeclauses.analysis"),
    **dict.fromkeys(["Lexicon", "lexicon", "load_lexicon", "using_lexicon"], "tradeclauses.lexicon"),
    **dict.fromkeys(["catalog", "load", "register", "unregister"], "tradeclauses.catalog"),
    **dict.fromkeys(["ClauseGraph", "graph"], "tradeclauses.clausegraph"),
    **dict.fromkeys(["AgreementDiff", "DiffKind", "diff"], "tradeclauses.diffing"),
    **dict.fromkeys(
        ["Agreement", "Article", "Chapter", "Definition", "Footnote", "Gap", "Option", "Paragraph", "Subparagraph"],
        "tradeclauses.model",
    ),
    **dict.fromkeys(["SearchIndex", "lineage", "search"], "tradeclauses.precedent"),
    "parse": "tradeclauses.read",
    "to_akn": "tradeclauses.read.akn",
    **dict.fromkeys(["readings", "resolve", "slots"], "tradeclauses.read.brackets"),
    **dict.fromkeys(["Scorecard", "score"], "tradeclauses.scoring"),
}

_MODULES = frozenset({"cache", "corpus"})

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
    "cache",
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


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and keep the name here."""
    module_name = _LAZY.get(name)
    if module_name is None:
        msg = f"module 'tradeclauses' has no attribute {name!r}"
        raise AttributeError(msg)
    module = importlib.import_module(module_name)
    value = module if name in _MODULES else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)


class _Package(types.ModuleType):
    """The package module: ``tradeclauses.catalog`` and ``tradeclauses.lexicon`` stay the functions
    when their modules are imported.

    Importing a submodule sets it as an attribute of its package; for ``catalog`` and
    ``lexicon`` (functions named like their modules) the function is the public name.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("catalog", "lexicon") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
