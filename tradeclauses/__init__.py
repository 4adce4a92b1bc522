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
from typing import TYPE_CHECKING, Any

from tradeclauses import errors

if TYPE_CHECKING:
    from tradeclauses import cache, corpus
    from tradeclauses.alignment import Alignment, align
    from tradeclauses.analysis import Features, Finding, Flag, Modality, analyse
    from tradeclauses.catalog import catalog, load, register, unregister
    from tradeclauses.clausegraph import ClauseGraph, graph
    from tradeclauses.diffing import AgreementDiff, DiffKind, diff
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
    **dict.fromkeys(["Features", "Finding", "Flag", "Modality", "analyse"], "tradeclauses.analysis"),
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
    "Modality",
    "Option",
    "Paragraph",
    "Scorecard",
    "SearchIndex",
    "Subparagraph",
    "align",
    "analyse",
    "cache",
    "catalog",
    "corpus",
    "diff",
    "errors",
    "graph",
    "lineage",
    "load",
    "parse",
    "readings",
    "register",
    "resolve",
    "score",
    "search",
    "slots",
    "to_akn",
    "unregister",
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
    """The package module: ``tradeclauses.catalog`` stays the function when its module is imported.

    Importing a submodule sets it as an attribute of its package; for ``catalog`` (a
    function named like its module) the function is the public name.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "catalog" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
