"""The clause graph: how provisions relate, inside one agreement and across several.

:func:`graph` builds a :class:`ClauseGraph`, a thin wrapper over a
``networkx.MultiDiGraph`` (``G.nx``). Nodes are keyed by the model's stable ids and
carry scalar attributes only (``kind``, ``num``, ``heading``, ``agreement``,
``article``, ``text``...), so the graph exports to GraphML and GEXF as it is; the model
node is looked up by id (``G.node(id)``), never stored in the graph. Every edge has a
key and a ``rel`` attribute naming its type:

``contains``
    agreement → chapter → article → paragraph → subparagraph (and footnotes, gaps).
``refers_to``
    a provision → what it cites: "paragraph 2", "subparagraph (a)", "this Article",
    "Article 14.1 (Definitions)", "Chapter 17 (Financial Services)", "paragraph 1 of
    Article 19.4", "Article XIV of GATS". The words cited are the edge's ``text``; a list
    or a range ("Articles 3 to 5", "subparagraphs (a) through (c)", "paragraphs 3(a) and
    (b)") has one edge per provision. A number matches however the text prints it (``8``
    and ``08``, "Chapter Sixteen" and ``SIXTEEN``; an arabic number for a roman one only
    when the cited title names the chapter); a pinpoint narrows the target ("Article
    6(2)", "Article 20.13.1"); "of Chapter 3", "of Title IV", "Article 17, paragraph 2"
    and "of this Chapter" say where to look. A reference that cannot be resolved in the
    graph points to a node of kind ``unresolved`` (id ``<agreement>/unresolved/<slug>``)
    that says why: a provision, annex or protocol not in the text; another instrument
    ("of the GATT 1994", "of the Harmonized System", a tariff chapter); a number several
    chapters share with nothing to choose between them. :attr:`ClauseGraph.unresolved`
    lists them all.
``defines`` / ``uses_term``
    a definition → its term node (kind ``term``, id ``<agreement>/term/<slug>``); a
    provision using the term (plurals too) → the term node. A term whose definition is
    known to be missing from the text (a gap that names it) has a term node with
    ``defined=False``.
``footnote_of``
    a footnote → the provision that carries its mark.
``excepts``
    an exception → the obligation it limits: "inconsistent with paragraph 1",
    "Notwithstanding paragraph 2", "Paragraph 3 shall not apply"; "Nothing in this
    Article shall prevent" and "This Article does not prevent" → every obligation of
    the article.
``aligned_with``
    across agreements: an article or paragraph → its counterpart, with ``similarity``
    (0–100), from :func:`tradeclauses.alignment.align` (:meth:`ClauseGraph.add_alignment`).

Queries are functions that take the graph first (a ``ClauseGraph`` or the
``MultiDiGraph`` itself, e.g. read back from GraphML) and never change it:
:func:`depends_on`, :func:`dependents`, :func:`without_counterpart`. The lineage of an
article across agreements is :func:`tradeclauses.precedent.lineage`.

Examples:
    >>> import tradeclauses as tc
    >>> G = graph(tc.load("usmca"))
    >>> G.nx.nodes["usmca/ch19/art19.11/para2"]["kind"]
    'paragraph'
    >>> [v for _, v, rel in G.nx.out_edges("usmca/ch19/art19.11/para2", data="rel") if rel == "excepts"]
    ['usmca/ch19/art19.11/para1']
    >>> "usmca/unresolved/article-17-1" in depends_on(G, "usmca/ch19/art19.12")
    True
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx

from tradeclauses._progress import progress_bar
from tradeclauses.corpus import Agreements, collect
from tradeclauses.errors import GraphError, MissingDependencyError, ProvisionNotFoundError
from tradeclauses.ids import clean_num, numeral_value, roman, slug
from tradeclauses.ids import roman_value as _roman
from tradeclauses.model import (
    FOOTNOTE_MARK,
    Agreement,
    Article,
    Block,
    Chapter,
    Definition,
    Footnote,
    Gap,
    Paragraph,
    Subparagraph,
    strip_marks,
)
from tradeclauses.normalize import singular

if TYPE_CHECKING:
    from tradeclauses.alignment import Alignment

__all__ = [
    "DEPENDENCY_RELS",
    "ClauseGraph",
    "Reference",
    "dependents",
    "depends_on",
    "graph",
    "without_counterpart",
]

DEPENDENCY_RELS = frozenset({"refers_to", "uses_term", "excepts"})
"""Edge types along which a provision depends on another (footnotes and definitions are added)."""

_TEXT_ATTR_WIDTH = 200

# ---------------------------------------------------------------- references

# Numbers as treaties print them. A number ends where a word would go on (``Chapter C`` is not
# the start of ``Chapter Coordinator``); after a digit anything may follow (``Article 8except``),
# and "of" may be glued to it (``Article XXof GATT``). OCR reads the I of a roman numeral as l
# or i (``Article Xl``): such a numeral is read as roman.
_END = r"(?:(?<=[\d)])|(?![A-Za-z0-9])|(?=of\s))"
_LABEL = r"\((?:\d{1,3}|[a-z]{1,5}|[A-Z])\)"
_ART_NUM = (
    r"(?:[A-Z]{1,2}-\d+(?:\.\d+)?"
    r"|\d+(?:[.\-]\d+)*(?:\s?(?:bis|ter|quater)\b|[A-Za-z](?![A-Za-z]))?"
    r"|[IVXLC][IVXLCli]*(?:\.\d+)?(?:\s?bis\b)?)"
)
# a pinpoint written onto an article number: "Article 6(2)", "Article XXIV:8", "Article 84, paragraph 2, of"
_PIN = rf"(?:\s?{_LABEL})*(?::\s?\d+(?:\s?{_LABEL})*)?(?:,\s+paragraph\s+\d+(?:\s?{_LABEL})*,(?=\s+of\s))?"
_UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty")


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(form for w in sorted(words, key=len, reverse=True) for form in (w.capitalize(), w.upper()))


_WORD_NUM = rf"(?:(?:{_alternatives(_TENS)})(?:[\s\-]?(?:{_alternatives(_UNITS[:9])}))?|{_alternatives(_UNITS)})"
_CH_NUM = rf"(?:\d+(?:\.\d+)?|{_WORD_NUM}|[IVXLC][IVXLCli]*(?:\.\d+)?|[A-Z])"
_ANNEX_NUM = r"(?:(?:\d+|[IVXLC][IVXLCl]*)[A-Za-z]?(?:[.\-][0-9A-Z]+)*|[A-Z]{1,2}(?:[.\-]\d+)*)"
_PARA_NUM = rf"(?:\d+(?:\.\d+)?(?:\s?{_LABEL})*)"
_SUB_NUM = rf"(?:{_LABEL}(?:\s?{_LABEL})*)"
# a title in brackets after a number ("Article 3 (Definitions)"); one that cites a provision
# itself is not taken for a title, so that what it cites is read as references of its own
_TITLE_TEXT = r"[A-Z](?:(?!(?:Articles?|Annex(?:es)?|Chapters?|[Pp]aragraphs?)\s+[\dIVX])[^()]){1,150}"
_ITEM_TITLE = rf"(?:\s*\({_TITLE_TEXT}\))"
_JOIN = r"\s*(?:,?\s+and(?:/or)?|,?\s+or|,|\s+to|\s+through)\s+"
# a number followed by a unit is a quantity, not the next number of a list ("Article 12.16 or 90 days")
_NOT_QUANTITY = r"(?!\s*(?:(?:days?|weeks?|months?|years?|per\s*cent|percent)\b|%))"
_RANGE_JOIN = re.compile(r"^\s*(?:to|through)\s*$")
_OCR_ROMAN = re.compile(r"^[IVXLC]+[li][IVXLCli]*(?:\.|$)")

# the grammar of one cited number, by kind; ``num`` and ``pin`` are read back from it
_ITEM = {
    "article": rf"(?P<num>{_ART_NUM})(?P<pin>{_PIN}){_END}(?:\s*\((?P<title>{_TITLE_TEXT})\))?",
    "paragraph": rf"(?P<num>{_PARA_NUM}|{_SUB_NUM}){_END}",
    "subparagraph": rf"(?P<num>{_SUB_NUM}|{_PARA_NUM}){_END}",
    "chapter": rf"(?P<num>{_CH_NUM}){_END}(?:\s*\((?P<title>{_TITLE_TEXT})\))?",
    "annex": rf"(?P<num>{_ANNEX_NUM}){_END}(?:\s*\((?P<title>{_TITLE_TEXT})\))?",
}
_ITEM_RE = {kind: re.compile(rf"{item}(?P<sep>{_JOIN})?") for kind, item in _ITEM.items()}


def _bare(item: str) -> str:
    """An item pattern without its named groups (to repeat it in a list)."""
    return re.sub(r"\(\?P<\w+>", "(?:", item)


def _list(kind: str, first: str | None = None) -> str:
    item = _bare(_ITEM[kind])
    return rf"{_bare(first) if first else item}(?:{_JOIN}{item}{_NOT_QUANTITY})*"


# What a reference says it is "of": another instrument, or this one under another name.
_REF_WORDS = (
    r"(?:Articles?|Chapters?|Annex(?:es)?|Annexe|[Pp]aragraphs?|[Ss]ub-?paragraphs?|Sections?|Parts?|Titles?"
    r"|Protocols?|Appendix|Appendices|Schedules?|This|The)"
)
_NAME = rf"(?!{_REF_WORDS}\b)[A-Z][\w\-’']*"
_CONNECT = r"(?:of|and|on|the|to|for|in|de|la|del|des|du|y|et|between|establishing|concerning|amending)"
_LEAD = r"(?:of|on|between|establishing|concerning|relating\s+to|for|amending|de|No\.?)"
_INSTRUMENT = (
    r"(?:Agreements?|Treaty|Convention|Protocol|Understanding|Declaration|Charter|Statutes?|Constitution"
    r"|Constituci[oó]n|Code|Rules|Act|Regulations?|Directive|Decision|Nomenclature|Arrangement|Covenant"
    r"|Recommendation|Guidelines|Principles|Decree|Law)"
)
_EXTERNAL = (
    r"(?:the\s+)?(?P<ext>"
    r"GATS|GATT(?:\s+19(?:47|94))?|TRIPS(?:\s+Agreement)?|WTO\s+Agreement(?!\s+(?:on|of)\b)"
    r"|General\s+Agreement\s+on\s+(?:Tariffs\s+and\s+Trade|Trade\s+in\s+Services)(?:\s+19(?:47|94))?"
    r"|Harmoni[sz]ed\s+(?:Commodity\s+Descriptions?\s+and\s+Coding\s+)?[Ss]ystem|[Cc]ombined\s+[Nn]omenclature"
    rf"|Articles\s+of\s+(?:the\s+)?Agreement(?:\s+(?:{_CONNECT}\s+)*{_NAME})*"
    r"|(?:(?:Council|Commission)\s+)?(?:Regulation|Directive|Decision)\s+(?:\([A-Za-z]+\)\s+)?No\.?\s*\d[\d/]*"
    rf"|(?:{_NAME}\s+)*{_INSTRUMENT}\s+(?:{_LEAD}\s+(?:the\s+|an?\s+)?(?:{_NAME}|\d[\d/]*)|(?:the\s+)?{_NAME})"
    rf"(?:\s+(?:{_CONNECT}\s+)*(?:{_NAME}|\d{{4}}))*"
    rf"|{_NAME}(?:\s+{_NAME})*\s+{_INSTRUMENT}\b(?:\s+(?:19|20)\d\d)?"
    r"|(?!THIS\b|THE\b)[A-Z]{2,}[A-Za-z\-]*\b(?:\s+(?:19|20)\d\d)?"
    r")"
)
_SELF = (
    r"(?:this|the\s+present)\s+(?P<of_this>(?i:agreement|treaty|convention|protocol|chapter|article|section|part"
    r"|title|annex|appendix|schedule))\b"
)
_SAID = (
    r"the\s+said\s+(?P<of_said>(?:[A-Z][\w\-]*\s+)*(?:Agreement|Treaty|Convention|Protocol|Regulation|Decision|Act))\b"
)
_BARE_NAME = (
    r"(?:the\s+)?(?P<of_bare>Agreement|Treaty|Convention|Protocol)\b"
    r"(?![\s\-]+(?:[A-Z]|on\b|of\b|between\b|establishing\b|for\b|concerning\b|relating\b))"
)
# "of" ties a reference to what holds it; "to" only after an annex ("Annex 1A to the WTO
# Agreement", "Article 8 of Annex III to the Agreement"): "Article 7.1 to Chapter 11" is two references
_OF = r"(?:(?:\s+|(?<=[\dIVXLC)]))of(?:\s+|(?=the\s|Article)))"
_TO = r"(?:\s+to\s+)"

_REFERENCE = re.compile(
    rf"""
    (?P<this>\b(?:[Tt]his|[Tt]he\s+present)\s+
      (?P<this_kind>Agreement|Treaty|Convention|Chapter|Section|Article|paragraph|[Ss]ub-?paragraph|Annex)\b)
    | \b(?:
          (?P<k_article>Articles?)(?:\s+|(?=\d))(?P<n_article>{_list("article")})
        | (?P<k_paragraph>[Pp]aragraphs?)\s+(?P<n_paragraph>{_list("paragraph", _PARA_NUM + _END)})
        | (?P<k_subparagraph>[Ss]ub-?paragraphs?)\s+(?P<n_subparagraph>{_list("subparagraph")})
        | (?P<k_chapter>Chapters?)\s+(?P<n_chapter>{_list("chapter")})
        | (?P<k_annex>Annex(?:es|e)?)\s+(?P<n_annex>{_list("annex")})
      )(?![\w.]*\d)
      (?:{_OF}[Pp]aragraph\s+(?P<of_para>{_PARA_NUM}){_END})?
      (?:{_OF}(?:the\s+)?Article(?:\s+|(?=\d))(?P<of_art>{_ART_NUM})(?P<of_pin>{_PIN}){_END}{_ITEM_TITLE}?)?
      (?:(?:{_OF}|(?(k_annex){_TO}|(?!)))
         (?P<of_kind>Chapter|Title|Part|Section|(?P<annexlike>Annex|Appendix|Protocol|Schedule))\s+(?:No\.?\s*)?
         (?P<of_num>{_ANNEX_NUM}|{_CH_NUM}){_END}{_ITEM_TITLE}?)?
      (?:(?:{_OF}|(?(k_annex){_TO}|(?(annexlike){_TO}|(?!)))|\s+(?=(?:GATT|GATS)\b))
         (?:{_SELF}|{_SAID}|{_EXTERNAL}|{_BARE_NAME}))?
    """,
    re.VERBOSE,
)
_KINDS = ("article", "paragraph", "subparagraph", "chapter", "annex")
# the words a reference can start with: the only places worth trying the pattern above
_REFERENCE_START = re.compile(r"[Tt]his|[Tt]he\s+present|Article|[Pp]aragraph|[Ss]ub-?paragraph|Chapter|Annex")


def _references_in(text: str) -> Iterator[re.Match[str]]:
    """``_REFERENCE.finditer(text)``, the pattern tried only where a reference can start."""
    pos = 0
    while (start := _REFERENCE_START.search(text, pos)) is not None:
        m = _REFERENCE.match(text, start.start())
        if m is None:
            pos = start.start() + 1
        else:
            yield m
            pos = max(m.end(), start.start() + 1)
# "Article 3 and Article 4.2 of the Agreement on Safeguards": both articles are that agreement's
_SHARED_OUTSIDE = re.compile(
    rf"(?:,?\s+(?:and|or)\s+Articles?\s+{_list('article')})+(?:{_OF}|\s+(?=(?:GATT|GATS)\b)){_EXTERNAL}", re.VERBOSE
)
# "Article 17, paragraphs 1 and 2": the paragraphs are Article 17's
_ARTICLE_BEFORE = re.compile(rf"\bArticle\s+(?P<num>{_ART_NUM}){_END}\s*,?\s*$")
# "Title II, Chapter 2": the chapter of Title II
_TITLE_BEFORE = re.compile(rf"\b(?:Title|Part)\s+(?P<num>{_CH_NUM}){_END}\s*,?\s*$")
_TITLE = re.compile(r"\s*\([A-Z][^()]{1,150}\)")
_SELF_NAMES = re.compile(r"\b[Tt]his\s+(Agreement|Treaty|Convention|Protocol)\b")
_TARIFF = re.compile(
    r"Harmoni[sz]ed|\bHS\b|\b(?:sub-?)?headings?\b|[Nn]omenclature"
    r"|\btariff\s+(?:items?|lines?|headings?|provisions?|classification)\b"
)
_SENTENCE_END = re.compile(r"[.;:](?:\s|$)")
_STOP_WORDS = frozenset({"the", "of", "and", "on", "to", "for", "in", "a", "an", "between", "de", "la", "del", "y"})

# ---------------------------------------------------------------- exceptions

_INCONSISTENT = re.compile(r"\binconsistent\s+with\s+(?P<rest>[^;:]{0,160})", re.IGNORECASE)
_NOTWITHSTANDING = re.compile(r"\b[Nn]otwithstanding\s+(?P<rest>[^;:,]{0,120})")
_SHALL_NOT_APPLY = re.compile(
    r"^(?P<rest>(?:[Pp]aragraphs?|[Ss]ubparagraphs?|Articles?)\s[^;:]{0,80}?)\s(?:shall|does|do)\s+not\s+apply"
)
_NOTHING_PREVENTS = re.compile(
    r"\b(?:[Nn]othing\s+in\s+this\s+(?P<a>Article|Chapter|Section|Agreement)\s+shall\s+(?:be\s+construed\s+to\s+)?"
    r"(?:prevent|preclude|prohibit)"
    r"|[Tt]his\s+(?P<b>Article|Chapter|Section)\s+(?:does|shall)\s+not\s+(?:prevent|preclude|prohibit))\b"
)
_CUES_BUT_FIRST = (_NOTWITHSTANDING, _SHALL_NOT_APPLY)
_OBLIGATION = re.compile(r"\b(?:shall|must)\b(?!\s+not\s+(?:prevent|preclude|be\s+construed|apply))")

_DEFINITION_GAP = re.compile(r"definitions?\s+of\s+[\"“]([^\"”]{2,60})[\"”]")
_SCOPE = re.compile(r"purposes\s+of\s+this\s+(Agreement|Chapter|Section|Annex|Article)", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A cross-reference the graph could not resolve, and why."""

    source: str
    """Id of the provision that makes the reference."""
    text: str
    """The reference as written (``"Article 17.1 (Definitions)"``)."""
    target: str
    """Id of the ``unresolved`` node standing for what it cites."""
    reason: str
    """Why it is unresolved (``"Chapter 17 is not in this text"``)."""

    def __str__(self) -> str:
        return f"{self.source}: {self.text!r} ({self.reason})"


class ClauseGraph:
    """Provisions of one or more agreements and how they relate (see the module notes).

    ``nx`` is the underlying ``networkx.MultiDiGraph``; the model nodes stay in the
    agreements (``G.node(id)``).

    Examples:
        >>> import tradeclauses as tc
        >>> G = graph(tc.load("usmca"))
        >>> G
        ClauseGraph(1 agreements, ... nodes, ... edges)
        >>> G.node("usmca/ch19/art19.11")
        Article('19.11', 'Cross-Border Transfer of Information by Electronic Means', 2 paragraphs)
    """

    def __init__(self, *agreements: Agreement, progress: bool | None = False) -> None:
        self.nx: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.agreements: dict[str, Agreement] = {}
        bar = progress_bar(len(agreements), "graph", progress) if len(agreements) > 1 else None
        for agreement in agreements:
            self.add(agreement)
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()

    def __repr__(self) -> str:
        return (
            f"ClauseGraph({len(self.agreements)} agreements, {self.nx.number_of_nodes()} nodes, "
            f"{self.nx.number_of_edges()} edges)"
        )

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.nx

    # ------------------------------------------------------------ building

    def add(self, agreement: Agreement) -> ClauseGraph:
        """Add an agreement's provisions and their relations (in place; returns the graph).

        Raises:
            GraphError: an agreement with the same id is already in the graph.
        """
        if agreement.id in self.agreements:
            msg = f"the graph already holds an agreement with id {agreement.id!r}"
            raise GraphError(msg)
        self.agreements[agreement.id] = agreement
        _Builder(self.nx, agreement).build()
        return self

    def add_alignment(self, alignment: Alignment | None = None, /, *, model: str = "", draft: str = "") -> ClauseGraph:
        """Add ``aligned_with`` edges (model provision → draft provision, with ``similarity``).

        Pass an alignment from :func:`tradeclauses.align`, or the ids of two agreements in
        the graph to align them here (in place; returns the graph).

        Raises:
            GraphError: an agreement named is not in the graph.

        Examples:
            >>> import tradeclauses as tc
            >>> draft = tc.parse("Article 8: Source Code\\n1. No Party shall require the transfer of, or "
            ...     "access to, a source code of software owned by a person of another Party as a condition for "
            ...     "the import, distribution, sale or use of that software in its territory.", agreement_id="draft")
            >>> G = graph(tc.load("usmca"), draft).add_alignment(model="usmca", draft="draft")
            >>> [(v, round(s)) for _, v, s in G.nx.out_edges("usmca/ch19/art19.16/para1", data="similarity") if s]
            [('draft/art8/para1', 82)]
        """
        if alignment is None:
            for name in (model, draft):
                if name not in self.agreements:
                    msg = f"no agreement {name!r} in the graph; it holds {sorted(self.agreements)}"
                    raise GraphError(msg)
            # alignment sits above the graph in the layers: import it only when asked to align
            from tradeclauses.alignment import align  # noqa: PLC0415

            alignment = align(self.agreements[model], self.agreements[draft])
        for match in (*alignment.articles, *alignment.paragraphs):
            for m in match.model:
                for d in match.draft:
                    if m in self.nx and d in self.nx:
                        self.nx.add_edge(
                            m, d, key="aligned_with", rel="aligned_with",
                            similarity=float(match.similarity), match=match.kind,
                        )
        return self

    # ------------------------------------------------------------ lookups

    def node(self, node_id: str) -> Agreement | Chapter | Article | Block | Footnote:
        """The model node with id ``node_id``.

        Raises:
            ProvisionNotFoundError: no such node in any agreement of the graph (unresolved
                and term nodes have no model node).
        """
        agreement = self.agreements.get(node_id.split("/", 1)[0])
        if agreement is None:
            raise ProvisionNotFoundError("the graph", node_id, f"agreements: {sorted(self.agreements)}")
        if node_id == agreement.id:
            return agreement
        return agreement.node(node_id)

    @property
    def unresolved(self) -> tuple[Reference, ...]:
        """Every reference that could not be resolved, in document order.

        Examples:
            >>> import tradeclauses as tc
            >>> for ref in graph(tc.load("usmca")).unresolved[:2]:
            ...     print(ref)
            usmca/ch19/art19.1/def-covered-person: 'Article 17.1 (Definitions)' (Chapter 17 is not in this text)
            usmca/ch19/art19.1/def-covered-person/a: 'Article 1.5 (General Definitions)' (Chapter 1 is not in this text)
        """
        out: list[Reference] = []
        for u, v, data in self.nx.edges(data=True):
            if data.get("rel") == "refers_to" and not data.get("resolved", True):
                out.append(Reference(str(u), str(data["text"]), str(v), str(self.nx.nodes[v].get("reason", ""))))
        return tuple(out)

    def depends_on(self, node_id: str) -> set[str]:
        """See :func:`depends_on`."""
        return depends_on(self, node_id)

    def dependents(self, term_or_id: str, *, agreement: str | None = None) -> set[str]:
        """See :func:`dependents`."""
        return dependents(self, term_or_id, agreement=agreement)

    def without_counterpart(self, a: str, b: str, *, kind: str = "article") -> list[str]:
        """See :func:`without_counterpart`."""
        return without_counterpart(self, a, b, kind=kind)

    # ------------------------------------------------------------ export

    def to_graphml(self, path: str | Path) -> None:
        """Write the graph as GraphML (node and edge attributes included).

        Examples:
            >>> import tradeclauses as tc, tempfile, pathlib, networkx as nx
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "usmca.graphml"
            >>> graph(tc.load("usmca")).to_graphml(path)
            >>> nx.read_graphml(path).nodes["usmca/ch19/art19.11"]["heading"]
            'Cross-Border Transfer of Information by Electronic Means'
        """
        nx.write_graphml(self.nx, str(path))

    def to_gexf(self, path: str | Path) -> None:
        """Write the graph as GEXF (for Gephi).

        Examples:
            >>> import tradeclauses as tc, tempfile, pathlib
            >>> path = pathlib.Path(tempfile.mkdtemp()) / "usmca.gexf"
            >>> graph(tc.load("usmca")).to_gexf(path)
            >>> path.read_text("utf-8").count("<node ") > 50
            True
        """
        nx.write_gexf(self.nx, str(path))

    def neighbourhood(self, node_id: str, *, radius: int = 1) -> nx.MultiDiGraph[str]:
        """The nodes within ``radius`` edges of ``node_id`` (either direction), as a new graph.

        Examples:
            >>> import tradeclauses as tc
            >>> sorted(graph(tc.load("usmca")).neighbourhood("usmca/ch19/art19.11/fn5"))
            ['usmca/ch19/art19.11', 'usmca/ch19/art19.11/fn5', 'usmca/ch19/art19.11/para2/b']
        """
        _check_node(self.nx, node_id)
        near = nx.ego_graph(self.nx, node_id, radius=radius, undirected=True)
        return nx.MultiDiGraph(near)

    def draw(self, node_id: str, *, radius: int = 1, ax: Any = None) -> Any:
        """Draw the neighbourhood of ``node_id`` with matplotlib (for notebooks); returns the axes.

        Edges are coloured by type and labelled; unresolved nodes are drawn in red.

        Raises:
            MissingDependencyError: matplotlib is not installed (``pip install 'tradeclauses[draw]'``).

        Examples:
            >>> import tradeclauses as tc
            >>> G = graph(tc.load("usmca"))
            >>> ax = G.draw("usmca/ch19/art19.11/para2")  # doctest: +SKIP
        """
        try:
            import matplotlib.pyplot as plt  # noqa: PLC0415 - optional dependency
        except ImportError:
            raise MissingDependencyError("drawing the clause graph", "draw") from None
        sub = self.neighbourhood(node_id, radius=radius)
        if ax is None:
            _, ax = plt.subplots(figsize=(10, 7))
        pos = nx.spring_layout(sub, seed=7)
        colours = {
            "contains": "#bbbbbb", "refers_to": "#1f77b4", "uses_term": "#2ca02c", "defines": "#17becf",
            "footnote_of": "#9467bd", "excepts": "#d62728", "aligned_with": "#ff7f0e",
        }
        kinds: dict[str, str] = {str(n): str(sub.nodes[n].get("kind", "")) for n in sub.nodes}
        node_colours = [
            "#d62728" if k == "unresolved" else "#2ca02c" if k == "term" else "#ffdd88" if n == node_id else "#dddddd"
            for n, k in kinds.items()
        ]
        labels = {n: _short_label(n, sub.nodes[n]) for n in kinds}
        nx.draw_networkx_nodes(sub, pos, ax=ax, node_color=node_colours, node_size=500)
        nx.draw_networkx_labels(sub, pos, labels=labels, ax=ax, font_size=7)
        from matplotlib.lines import Line2D  # noqa: PLC0415 - optional dependency

        handles = []
        for rel, colour in colours.items():
            edges = [(u, v) for u in kinds for v, r in _out(sub, u) if r == rel]
            if edges:
                nx.draw_networkx_edges(sub, pos, edgelist=edges, ax=ax, edge_color=colour, arrows=True)
                handles.append(Line2D([0], [0], color=colour, label=rel))
        if handles:
            ax.legend(handles=handles, loc="best", fontsize=7)
        ax.set_axis_off()
        return ax


def _short_label(node_id: str, data: Mapping[str, Any]) -> str:
    if data.get("kind") in ("term", "unresolved"):
        return str(data.get("label", node_id))
    return node_id.split("/", 1)[-1]


# ---------------------------------------------------------------- building


class _Builder:
    """Adds one agreement to a graph: nodes, then every kind of edge.

    The nodes and edges are prepared first (``nodes``: id → attributes, in the order they
    are made; ``edges``: ``(u, v, key, attributes)`` tuples) and added to the graph at the
    end, the nodes with one ``add_nodes_from``: the graph gets the same nodes, edges and
    order as when they are added one by one while they are made.
    """

    def __init__(self, G: nx.MultiDiGraph[str], agreement: Agreement) -> None:
        self.G = G
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: list[tuple[str, str, str, dict[str, Any]]] = []
        self.agreement = agreement
        self.parent: dict[str, str] = {}
        self.article_of: dict[str, Article] = {}
        self.chapter_of: dict[str, Chapter] = {}
        self.blocks: list[Block] = []
        self.block_by_id: dict[str, Paragraph | Subparagraph | Definition] = {}
        self.own: dict[str, str] = {}
        self.by_num: dict[str, list[Article]] = {}
        self.by_key: dict[str, list[Article]] = {}
        self.run_of: dict[str, int] = {}
        self.title_of_run: dict[int, int] = {}
        self.deep_numbers = False
        self.self_names: frozenset[str] = frozenset()

    # nodes ----------------------------------------------------------

    def build(self) -> None:
        self.prepare()
        self.G.add_nodes_from(self.nodes.items())
        add_edge = self.G.add_edge  # one by one: add_edges_from does the same, and more slowly
        for u, v, key, attrs in self.edges:
            add_edge(u, v, key, **attrs)

    def prepare(self) -> None:
        """Make every node and edge of the agreement (without touching the graph)."""
        a = self.agreement
        self._add_node(
            a.id, kind="agreement", agreement=a.id, label=a.short_name or a.title, title=a.title,
            date=a.date_signed.isoformat() if a.date_signed else "",
        )
        for ch in a.chapters:
            self._node(ch.id, a.id, kind="chapter", num=ch.num or "", heading=ch.heading or "", label=ch.label)
            for gap in ch.gaps:
                self._node(gap.id, ch.id, kind="gap", note=gap.note)
            for art in ch.articles:
                self.chapter_of[art.id] = ch
                self.article_of[art.id] = art
                self._node(
                    art.id, ch.id, kind="article", num=art.num or "", heading=art.heading or "",
                    label=art.label, status=art.status, article=art.id,
                )
                for child in art.children:
                    self._block(child, art.id, art)
                for fn in art.footnotes:
                    self._node(fn.id, art.id, kind="footnote", num=fn.num, text=_clip(fn.text), article=art.id)
        self.own = {block.id: _own_text(block) for block in self.blocks}
        self._index()
        self._terms()
        for block in self.blocks:
            self._references(block)
            self._exceptions(block)
        self._footnotes()

    def _add_node(self, node_id: str, **attrs: Any) -> None:
        """As ``G.add_node``: a new node, or new attributes for one already made."""
        found = self.nodes.get(node_id)
        if found is None:
            self.nodes[node_id] = attrs
        else:
            found.update(attrs)

    def _has_node(self, node_id: str) -> bool:
        return node_id in self.nodes or node_id in self.G

    def _attrs(self, node_id: str) -> dict[str, Any]:
        """The attributes of a node made here, else of one already in the graph."""
        found = self.nodes.get(node_id)
        if found is not None:
            return found
        return dict(self.G.nodes[node_id])

    def _add_edge(self, u: str, v: str, key: str, **attrs: Any) -> None:
        self.edges.append((u, v, key, attrs))

    def _node(self, node_id: str, parent: str, **attrs: Any) -> None:
        self._add_node(node_id, agreement=self.agreement.id, **attrs)
        self._add_edge(parent, node_id, key="contains", rel="contains")
        self.parent[node_id] = parent

    def _block(self, block: Block, parent: str, art: Article) -> None:
        self.article_of[block.id] = art
        if isinstance(block, Gap):
            self._node(block.id, parent, kind="gap", note=block.note, article=art.id)
            return
        attrs: dict[str, Any] = {"kind": block.kind, "num": block.num or "", "text": _clip(block.text)}
        if isinstance(block, Definition):
            attrs["term"] = block.term
        self._node(block.id, parent, article=art.id, **attrs)
        self.blocks.append(block)
        self.block_by_id[block.id] = block
        for child in block.children:
            self._block(child, block.id, art)

    # terms ----------------------------------------------------------

    def _term_node(self, term: str, **attrs: Any) -> str:
        node_id = f"{self.agreement.id}/term/{slug(term)}"
        if not self._has_node(node_id):
            self._add_node(node_id, kind="term", agreement=self.agreement.id, label=term, term=term, **attrs)
        else:
            self._add_node(node_id, **attrs)
        return node_id

    def _scope(self, art: Article) -> str:
        """The id of what the definitions of ``art`` apply to: its chapter, or the agreement."""
        ch = self.chapter_of.get(art.id)
        m = _SCOPE.search(art.text[:300])
        if m and m.group(1).lower() == "agreement":
            return self.agreement.id
        if m and m.group(1).lower() == "article":
            return art.id
        if ch is None or ch.label == "Body" or "general definitions" in (art.heading or "").lower():
            return self.agreement.id
        return ch.id

    def _terms(self) -> None:
        # term -> list of (scope id, term node)
        scopes: dict[str, list[str]] = {}
        for block in self.blocks:
            if isinstance(block, Definition) and block.term.strip():
                art = self.article_of[block.id]
                scope = self._scope(art)
                term_id = self._term_node(block.term.strip().lower(), defined=True)
                self._add_edge(block.id, term_id, key="defines", rel="defines", scope=scope)
                scopes.setdefault(term_id, []).append(scope)
        for art in self.agreement.articles:
            for gap in art.gaps:
                for term in _DEFINITION_GAP.findall(gap.note):
                    term_id = self._term_node(term.strip().lower())
                    if term_id not in scopes:
                        self._add_node(term_id, defined=False, note=_clip(gap.note))
                        scopes[term_id] = [self._scope(art)]
        if not scopes:
            return
        by_form = {self._attrs(t)["term"]: t for t in scopes}
        pattern = re.compile(
            r"\b(?:" + "|".join(_term_pattern(t) for t in sorted(by_form, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )
        keys = {_term_key(form): t for form, t in by_form.items()}
        for block in self.blocks:
            own = self.own[block.id]
            if not own:
                continue
            seen: set[str] = set()
            for m in pattern.finditer(own):
                found = keys.get(_term_key(m.group(0)))
                if found is None or found in seen:
                    continue
                term_id = found
                if isinstance(block, Definition) and slug(block.term.strip().lower()) == term_id.rsplit("/", 1)[-1]:
                    continue
                if not self._in_scope(block.id, scopes[term_id]):
                    continue
                seen.add(term_id)
                self._add_edge(block.id, term_id, key="uses_term", rel="uses_term", text=m.group(0))

    def _in_scope(self, block_id: str, scopes: list[str]) -> bool:
        node = block_id
        while node in self.parent:
            if node in scopes:
                return True
            node = self.parent[node]
        return node in scopes

    # references -----------------------------------------------------

    def _index(self) -> None:
        """Lookups the resolver needs: articles by number, chapter numbering runs, self names."""
        for art in self.agreement.articles:
            if art.num:
                self.by_num.setdefault(art.num, []).append(art)
                self.by_key.setdefault(_num_key(art.num), []).append(art)
                self.deep_numbers = self.deep_numbers or art.num.count(".") > 1
        # chapters numbered afresh in each title: a run of rising numbers is one title's chapters
        run, last = 0, None
        parts: list[tuple[int, tuple[str, int]]] = []
        for ch in self.agreement.chapters:
            value = numeral_value(ch.num) if ch.label == "Chapter" and ch.num else None
            if value is None or last is None or value[0] != last[0] or value[1] <= last[1]:
                run += 1
            if value is not None:
                self.run_of[ch.id] = run
            elif ch.label == "Part" and ch.num and (part := numeral_value(ch.num)) is not None:
                parts.append((run, part))
            last = value
        # a title the text holds only through its chapters has no heading of its own here; when
        # the runs between two titles that are there are as many as the numbers missing
        # between them, they are those titles, in order
        for (lo_run, lo), (hi_run, hi) in itertools.pairwise(parts):
            runs = sorted({r for r in self.run_of.values() if lo_run < r < hi_run})
            if lo[0] == hi[0] and runs and len(runs) == hi[1] - lo[1] - 1:
                self.title_of_run.update((r, lo[1] + 1 + i) for i, r in enumerate(runs))
        names: set[str] = set()
        for block in self.blocks:
            names.update(_SELF_NAMES.findall(self.own[block.id]))
        if not names:
            names.add("Agreement")
        title = f"{self.agreement.title} {self.agreement.short_name or ''}"
        names.update(n for n in ("Agreement", "Treaty", "Convention", "Protocol") if n.lower() in title.lower())
        self.self_names = frozenset(names)

    def _references(self, block: Block) -> None:
        own = self.own[block.id]
        for ref in _references_in(own):
            for hit in self._resolve(block, ref):
                node = hit.target if hit.target is not None else self._unresolved(hit.key, hit.reason)
                self._add_edge(
                    block.id, node, key=f"refers_to:{ref.start()}:{node}", rel="refers_to",
                    text=hit.text, resolved=hit.target is not None,
                )

    def _unresolved(self, key: str, reason: str) -> str:
        """The node standing for an unresolved target (one per target, whoever cites it)."""
        label = _TITLE.sub("", _head(key))
        node_id = f"{self.agreement.id}/unresolved/{slug(re.sub(r'[.()]', '-', label))}"
        if not self._has_node(node_id):
            self._add_node(node_id, kind="unresolved", agreement=self.agreement.id, label=label, reason=reason)
        return node_id

    def _art_key(self, art: Article) -> str:
        """How an article is named in the key of an unresolved node (its id path when its number is shared)."""
        if art.num and len(self.by_num.get(art.num, ())) == 1:
            return f"{art.label} {art.num}"
        return art.id.split("/", 1)[-1]

    def _resolve(self, block: Block, m: re.Match[str]) -> Iterator[_Hit]:
        """One hit (text, target id or None, reason, key) for each target of one reference."""
        art = self.article_of[block.id]
        text = _head(m.group(0))
        if m.group("this"):
            kind = m.group("this_kind").lower().replace("-", "")
            target, reason = self._this(block.id, kind)
            yield _Hit(text, target, reason, f"{self._art_key(art)} {text}")
            return
        kind = next(k for k in _KINDS if m.group(f"n_{k}") is not None)
        word = _singular_word(m.group(f"k_{kind}"))
        items = _items(kind, m, f"n_{kind}")
        chain = _head(m.string[m.end(f"n_{kind}") : m.end()])
        path = [
            f"{label} {m.group(group)}"
            for label, group in (("paragraph", "of_para"), ("Article", "of_art"), (m.group("of_kind"), "of_num"))
            if m.group(group)
        ]

        def label(item: _Item) -> str:
            return text if len(items) == 1 else _head(f"{word} {item.shown} {chain}")

        outside = self._outside(m)
        if outside:
            for item in items:
                key = " of ".join([f"{word} {item.num}{item.pin}", *path, outside])
                yield _Hit(label(item), None, f"outside this agreement ({outside})", key)
            return
        scope, scope_reason = self._confine(m, block)
        if scope_reason and kind in ("chapter", "annex") and m.group("of_kind") in ("Chapter", "Annex"):
            scope, scope_reason = None, ""  # chapters and annexes are numbered across the agreement
        if scope_reason:
            where = " of ".join(path) or f"this {m.group('of_this')}"
            for item in items:
                yield _Hit(label(item), None, scope_reason, f"{word} {item.num}{item.pin} of {where}")
            return
        titled = m.group("of_kind") in ("Title", "Part", "Section")
        if kind == "article":
            for item in items:
                target, reason = self._article_target(item, block, scope)
                if target is None and scope is not None and (m.group("of_this") or "").lower() == "chapter":
                    # the text may hold this chapter's articles elsewhere (an annex read into a chapter)
                    target, reason = self._article_target(item, block, None)
                where = f" of {' of '.join(path)}" if scope is not None and path else ""
                yield _Hit(label(item), target, reason, f"Article {item.num}{where}")
        elif kind in ("chapter", "annex"):
            tariff = kind == "chapter" and not m.group("of_this") and _tariff(m)
            for item in items:
                if tariff and not item.title:
                    reason = "a chapter of the tariff nomenclature (Harmonized System), not of this agreement"
                    yield _Hit(label(item), None, reason, f"HS Chapter {item.num}")
                    continue
                part = m.group("of_num") if titled else None
                before = _TITLE_BEFORE.search(m.string, max(0, m.start() - 30), m.start())
                if part is None and before is not None and not m.group("of_this"):
                    part = before.group("num")
                ch, reason = self._chapter(item.num, item.title, block, word, part=part)
                yield _Hit(label(item), ch.id if ch else None, reason, f"{word} {item.num}")
        else:
            context, reason, lead, fallback = self._context(m, block, scope, path, subparagraph=kind != "paragraph")
            for item in items:
                if context is None:
                    yield _Hit(label(item), None, reason, " of ".join([f"{word} {item.num}", *path]))
                    continue
                of_para, text = m.group("of_para"), label(item)
                hit = self._within(kind, block, context, lead + item.num, word=word, of_para=of_para, text=text)
                if hit.target is None and fallback is not None:
                    other = self._within(kind, block, fallback, item.num, word=word, of_para=of_para, text=text)
                    hit = other if other.target is not None else hit
                yield hit

    def _within(
        self, kind: str, block: Block, context: Article, num: str, *, word: str, of_para: str | None, text: str
    ) -> _Hit:
        """A paragraph or subparagraph ``num`` of ``context`` (of paragraph ``of_para``), resolved or not."""
        where = self._art_key(context)
        if kind == "paragraph":
            target = _paragraph(context, num)
            key = f"{where} paragraph {num}"
            why = f"{_art_label(context)} has no paragraph {num} in this text"
        elif of_para:
            target = _paragraph(context, of_para + num)
            key = f"{where} paragraph {of_para}{num}"
            why = f"no {word} {num} of paragraph {of_para} in {_art_label(context)}"
        else:
            target = self._subparagraph(block, context, num)
            key = f"{where} subparagraph {num}"
            why = f"no subparagraph {num} in {_art_label(context)} in this text"
        if target is None and context.status != "complete":
            why += f"; the article is {context.status} here"
        return _Hit(text, target, "" if target else why, key)

    def _outside(self, m: re.Match[str]) -> str | None:
        """The other instrument a reference cites (``"GATT 1994"``), or None if it is this agreement."""
        ext = m.group("ext")
        if ext is None and m.group("k_article") and m.end() == m.end("n_article"):
            shared = _SHARED_OUTSIDE.match(m.string, m.end())
            ext = shared.group("ext") if shared else None
        if ext:
            ext = _head(ext)
            return None if self._names_self(ext) else ext
        said = m.group("of_said")
        if said:
            return f"the said {_head(said)}"
        bare = m.group("of_bare")
        if bare and bare not in self.self_names:
            return f"the {bare}"
        return None

    def _names_self(self, name: str) -> bool:
        """Whether an instrument's name is this agreement's own (its title or acronym)."""
        title = f"{self.agreement.title} {self.agreement.short_name or ''}"
        if name.isupper():
            return re.search(rf"\b{re.escape(name)}\b", title) is not None
        words = {w.rstrip("s") for w in re.findall(r"[a-z]+", name.lower())} - _STOP_WORDS
        have = {w.rstrip("s") for w in re.findall(r"[a-z]+", title.lower())}
        return bool(words) and words <= have

    def _confine(self, m: re.Match[str], block: Block) -> tuple[Chapter | None, str]:
        """The chapter or annex a reference is confined to ("of Chapter 3", "of this Annex"), or why it is missing."""
        kind, num = m.group("of_kind"), m.group("of_num")
        if kind == "Chapter" and not any(c.label == "Chapter" and c.num for c in self.agreement.chapters):
            return None, ""  # the text does not number its chapters: the chapter cannot be checked
        if kind in ("Chapter", "Annex", "Appendix", "Protocol", "Schedule"):
            return self._chapter(num, None, block, kind)
        this = (m.group("of_this") or "").lower()
        if this in ("chapter", "annex", "appendix", "protocol", "schedule") and not (
            this == "protocol" and "Protocol" in self.self_names
        ):
            ch = self.chapter_of.get(self.article_of[block.id].id)
            if ch is None:
                return None, f"no enclosing {this} in this text"
            if this != "chapter" and ch.label.lower() != this:
                return None, f"the {this} holding this text is not marked in it"
            return ch, ""
        return None, ""

    def _context(
        self, m: re.Match[str], block: Block, scope: Chapter | None, path: list[str], *, subparagraph: bool
    ) -> tuple[Article | None, str, str, Article | None]:
        """(article, reason, lead, fallback): where a paragraph or subparagraph reference points.

        ``lead`` is a paragraph number the article number carried ("subparagraph (b) of
        Article 18.10.27" is in paragraph 27 of Article 18.10). After "Article 17," the
        paragraphs cited are Article 17's if it has them, else the citing article's
        (``fallback``): the comma may end a clause instead.
        """
        here = self.article_of[block.id]
        of_art = m.group("of_art")
        if of_art:
            found, reason = self._article(of_art, block, scope, None)
            head, _, tail = of_art.rpartition(".")
            if found is None and subparagraph and not self.deep_numbers and head.count(".") and tail.isdigit():
                parent, _ = self._article(head, block, scope, None)
                if parent is not None:
                    return parent, "", tail, None
            return found, reason, "", None
        if scope is not None and m.group("of_kind"):
            if len(scope.articles) == 1:
                return scope.articles[0], "", "", None
            return None, f"{' of '.join(path)}: the text does not say which article", "", None
        if scope is not None and scope is not self.chapter_of.get(here.id):
            return None, f"the text does not say which article of {scope.label} {scope.num}", "", None
        before = _ARTICLE_BEFORE.search(m.string, max(0, m.start() - 40), m.start())
        if before and not m.group("of_this"):
            found, reason = self._article(_head(before.group("num")), block, scope, None)
            if found is not None and found is not here:
                return found, "", "", here
        return here, "", "", None

    def _this(self, block_id: str, kind: str) -> tuple[str | None, str]:
        if kind in ("agreement", "treaty", "convention"):
            return self.agreement.id, ""
        target = self._enclosing(block_id, kind)
        if kind == "annex" and target is not None and self._attrs(target).get("label") != "Annex":
            return None, "no enclosing annex in this text (the annex is not marked in it)"
        return target, "" if target else f"no enclosing {kind}"

    def _enclosing(self, block_id: str, kind: str) -> str | None:
        wanted = {"article": "article", "chapter": "chapter", "annex": "chapter", "section": "chapter",
                  "agreement": "agreement", "paragraph": "paragraph", "subparagraph": "subparagraph"}[kind]
        node: str | None = block_id
        while node is not None:
            if self._attrs(node).get("kind") == wanted:
                return node
            node = self.parent.get(node)
        return None

    def _article_target(
        self, item: _Item, block: Block, scope: Chapter | None
    ) -> tuple[str | None, str]:
        """(target id or None, reason) of one cited article, with its pinpoint.

        A pinpoint narrows the target as far as the text goes (``Article 6(2)`` is
        paragraph 2 of Article 6, or Article 6 if the text has no paragraph 2).
        ``Article 20.13.1`` is paragraph 1 of Article 20.13 when the agreement numbers its
        articles with two levels only, the text has no Article 20.13.1 and a cited title,
        if any, is Article 20.13's heading; if Article 20.13 has no paragraph 1 here, the
        reference is unresolved.
        """
        found, reason = self._article(item.num, block, scope, item.title)
        if found is not None:
            return (_pinpoint(found, item.pin) if item.pin else found.id), ""
        head, _, tail = item.num.rpartition(".")
        if not self.deep_numbers and head.count(".") and tail.isdigit():
            parent, _ = self._article(head, block, scope, None)
            if parent is not None and (not item.title or not parent.heading or _same_title(item.title, parent.heading)):
                if _paragraph(parent, tail) is None:
                    why = f"{_art_label(parent)} has no paragraph {tail} in this text"
                    return None, why + ("" if parent.status == "complete" else f"; the article is {parent.status} here")
                return _pinpoint(parent, f"({tail}){item.pin}"), ""
        return None, reason

    def _article(
        self, num: str, block: Block, scope: Chapter | None, title: str | None
    ) -> tuple[Article | None, str]:
        """(article, reason): the article numbered ``num`` as the citing provision means it.

        The same number in several chapters is the one in the citing chapter, else the one
        whose heading the cited title names, else ambiguous.
        """
        found = self.by_num.get(num) or self.by_key.get(_num_key(num), [])
        if scope is not None:
            found = [a for a in found if self.chapter_of.get(a.id) is scope]
        if not found:
            return None, self._missing_article_reason(num, scope)
        if len(found) == 1:
            return found[0], ""
        here = self.chapter_of.get(self.article_of[block.id].id)
        chosen = [a for a in found if self.chapter_of.get(a.id) is here]
        if not chosen and title:
            chosen = [a for a in found if _same_title(title, a.heading)]
        if chosen or scope is not None:
            return (chosen or found)[0], ""
        chapters = ", ".join(sorted({f"{c.label} {c.num}" for a in found if (c := self.chapter_of.get(a.id))}))
        reason = f"Article {num} is in several chapters of this text ({chapters}); the reference does not say which"
        return None, reason

    def _chapter(
        self, num: str, title: str | None, block: Block, label: str, *, part: str | None = None
    ) -> tuple[Chapter | None, str]:
        """The chapter (or annex, protocol...: ``label``) numbered ``num``, or why there is none.

        A number printed another way is the same number (``8`` and ``08``, ``16`` and
        ``SIXTEEN``); a number in another numeral system (``2`` and ``II``) only when the
        cited title matches the chapter's heading. Where chapters are numbered afresh in
        each title, ``Chapter II`` is the one of the citing title, or of the title
        ``part`` names ("Chapter II of Title IV").
        """
        pool = [c for c in self.agreement.chapters if c.label == label and c.num]
        found = [c for c in pool if c.num == num] or [c for c in pool if clean_num(c.num or "").upper() == num.upper()]
        value = numeral_value(num)
        if not found and value is not None:
            found = [c for c in pool if numeral_value(c.num or "") == value]
            if not found and title:
                found = [
                    c
                    for c in pool
                    if (v := numeral_value(c.num or "")) and v[1] == value[1] and _same_title(title, c.heading)
                ]
        if not found:
            return None, f"{label} {num} is not in this text"
        if len(found) > 1 and title:
            found = [c for c in found if _same_title(title, c.heading)] or found
        if len(found) > 1 and part is not None:
            wanted = numeral_value(part)
            found = [
                c for c in found if wanted is not None and self.title_of_run.get(self.run_of.get(c.id, 0)) == wanted[1]
            ] or found
        elif len(found) > 1:
            here = self.chapter_of.get(self.article_of[block.id].id)
            run = self.run_of.get(here.id) if here is not None else None
            found = [c for c in found if run is not None and self.run_of.get(c.id) == run] or found
        if len(found) > 1:
            return None, f"{len(found)} chapters are numbered {num} in this text; the reference does not say which"
        return found[0], ""

    def _missing_article_reason(self, num: str, scope: Chapter | None = None) -> str:
        if scope is not None:
            return f"{scope.label} {scope.num} has no Article {num} in this text"
        head = num.split(".", 1)[0] if "." in num else None
        if head:
            value = numeral_value(head)
            chapters = [c for c in self.agreement.chapters if c.num]
            if not any(c.num == head or (value is not None and numeral_value(c.num or "") == value) for c in chapters):
                return f"Chapter {head} is not in this text"
        return f"Article {num} is not in this text"

    def _subparagraph(self, block: Block, art: Article, num: str) -> str | None:
        """The subparagraph ``num`` (``(b)``, ``(a)(ii)``, ``3(a)``) as seen from ``block``.

        Looked for among the citing provision's siblings, then its own children, then
        under each enclosing provision in turn (when ``art`` holds the citing provision),
        then anywhere in the article if only one subparagraph has that path of labels and
        it is not in another numbered paragraph than the citing provision.
        """
        if re.match(r"^\d", num):
            return _paragraph(art, num)
        labels = re.findall(r"\(([A-Za-z0-9]+)\)", num)
        if not labels:
            return None
        scopes: list[str] = []
        up: str | None = self.parent.get(block.id)
        if self.article_of.get(block.id) is not art:
            up = None
        else:
            scopes.extend(s for s in (up, block.id) if s is not None)
        while up is not None and up != art.id:
            up = self.parent.get(up)
            if up is not None:
                scopes.append(up)
        for scope in scopes:
            node: Paragraph | Subparagraph | Definition | Article | None = self.block_by_id.get(scope)
            if node is None and scope == art.id:
                node = art
            for label in labels:
                if node is None:
                    break
                node = next(
                    (c for c in node.children if not isinstance(c, Gap) and c.num and clean_num(c.num) == label), None
                )
            if node is not None and not isinstance(node, Article):
                return node.id
        found = _under(art, labels)
        if found is not None and self.article_of.get(block.id) is art:
            mine, theirs = self._top(block.id, art), self._top(found, art)
            if mine != theirs and all(self._numbered(t) for t in (mine, theirs)):
                return None
        return found

    def _top(self, block_id: str, art: Article) -> str:
        """The paragraph of ``art`` (a child of the article) that holds ``block_id``."""
        node = block_id
        while self.parent.get(node, art.id) != art.id:
            node = self.parent[node]
        return node

    def _numbered(self, block_id: str) -> bool:
        block = self.block_by_id.get(block_id)
        return isinstance(block, Paragraph) and bool(block.num)

    # exceptions -----------------------------------------------------

    def _exceptions(self, block: Block) -> None:
        if isinstance(block, Definition):
            return
        own = self.own[block.id]
        specific: list[str] = []
        # "ncon": letters that only match themselves, in either case, under re.IGNORECASE
        cues = (_INCONSISTENT, _NOTWITHSTANDING, _SHALL_NOT_APPLY) if "ncon" in own.lower() else _CUES_BUT_FIRST
        for cue in cues:
            for m in cue.finditer(own):
                rest = m.group("rest")
                for ref in _references_in(rest):
                    if ref.group("this"):
                        continue
                    for hit in self._resolve(block, ref):
                        if hit.target and hit.target != block.id:
                            specific.append(hit.target)
        for target in dict.fromkeys(specific):
            self._add_edge(block.id, target, key=f"excepts:{target}", rel="excepts", cue="specific")
        if specific:
            return
        general = _NOTHING_PREVENTS.search(own)
        if general is None:
            return
        scope = (general.group("a") or general.group("b")).lower()
        art = self.article_of[block.id]
        if scope == "article":
            for para in art.children:
                if isinstance(para, Gap) or para.id == block.id or isinstance(para, Definition):
                    continue
                text = para.text
                if _OBLIGATION.search(text) and not _NOTHING_PREVENTS.search(text) and not _INCONSISTENT.search(text):
                    self._add_edge(block.id, para.id, key=f"excepts:{para.id}", rel="excepts", cue="this Article")
        else:
            enclosing = self._enclosing(block.id, scope)
            if enclosing:
                self._add_edge(block.id, enclosing, key=f"excepts:{enclosing}", rel="excepts", cue=f"this {scope}")

    # footnotes ------------------------------------------------------

    def _footnotes(self) -> None:
        for art in self.agreement.articles:
            if not art.footnotes:
                continue
            holders: dict[str, str] = {}
            for num in art.heading_footnotes:
                holders.setdefault(num, art.id)
            for block in art.walk():
                if isinstance(block, Gap):
                    continue
                for num in FOOTNOTE_MARK.findall(_own_text(block, marks=True)):
                    holders.setdefault(num, block.id)
            for fn in art.footnotes:
                self._add_edge(fn.id, holders.get(fn.num, art.id), key="footnote_of", rel="footnote_of")


def _clip(text: str) -> str:
    text = strip_marks(text)
    return text if len(text) <= _TEXT_ATTR_WIDTH else text[: _TEXT_ATTR_WIDTH - 1] + "…"


def _own_text(block: Block, *, marks: bool = False) -> str:
    """A provision's own words (not its children's), with its options."""
    if isinstance(block, Gap):
        return ""
    parts = [block.intro, *(o.text for o in block.options), block.wrap_up]
    text = " ".join(p for p in parts if p)
    return text if marks else strip_marks(text)


def _head(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _paragraph(art: Article, num: str) -> str | None:
    m = re.match(r"^(\d+(?:\.\d+)?)\s*((?:\([A-Za-z0-9]+\)\s*)*)$", num)
    if not m:
        return None
    head, subs = m.group(1), re.findall(r"\(([A-Za-z0-9]+)\)", m.group(2))
    para = next(
        (p for p in art.children if isinstance(p, Paragraph) and p.num and clean_num(p.num) == head), None
    )
    if para is None:
        return None
    node: Paragraph | Subparagraph | Definition = para
    for sub in subs:
        child = next((c for c in node.children if not isinstance(c, Gap) and c.num and clean_num(c.num) == sub), None)
        if child is None:
            return None
        node = child
    return node.id


def _under(art: Article, labels: list[str]) -> str | None:
    """The one subparagraph of ``art`` reached by the labels ``["b", "ii"]``, if only one is."""
    hits: list[str] = []
    for block in art.walk():
        if not isinstance(block, Subparagraph) or not block.num or clean_num(block.num) != labels[0]:
            continue
        node: Paragraph | Subparagraph | Definition | None = block
        for label in labels[1:]:
            if node is None:
                break
            node = next(
                (c for c in node.children if not isinstance(c, Gap) and c.num and clean_num(c.num) == label), None
            )
        if node is not None:
            hits.append(node.id)
    return hits[0] if len(hits) == 1 else None


def _pinpoint(art: Article, pin: str) -> str:
    """The provision a pinpoint names inside an article (``(2)``, ``:8``, ``(3)(b)``); else the article."""
    labels = [a or b or c for a, b, c in re.findall(r"\(([A-Za-z0-9]+)\)|:\s?(\d+)|paragraph\s+(\d+)", pin)]
    while labels:
        if labels[0].isdigit():
            target = _paragraph(art, labels[0] + "".join(f"({x})" for x in labels[1:]))
        else:
            target = _under(art, labels)
        if target:
            return target
        labels = labels[:-1]
    return art.id


class _Hit(NamedTuple):
    """One target of a reference, resolved or not."""

    text: str
    """The words cited for this target."""
    target: str | None
    """The node cited, or None."""
    reason: str
    """Why it is unresolved (empty when resolved)."""
    key: str
    """What an unresolved target is called: the same missing provision has the same key."""


@dataclass(frozen=True)
class _Item:
    """One number of a reference: ``Articles 3 (Scope) and 4.2(b)`` has two."""

    num: str
    pin: str = ""
    title: str | None = None

    @property
    def shown(self) -> str:
        return f"{self.num}{self.pin}" + (f" ({self.title})" if self.title else "")


def _art_label(art: Article) -> str:
    """``Article 19.11``; an unnumbered article by its place (``unnumbered Article body/artnn1``)."""
    return f"{art.label} {art.num}" if art.num else f"unnumbered {art.label} {art.id.split('/', 1)[-1]}"


def _singular_word(word: str) -> str:
    """``Articles`` → ``Article``, ``Annexes`` → ``Annex``, ``sub-paragraphs`` → ``sub-paragraph``."""
    if word.lower().startswith("annex"):
        return "Annex"
    return word[:-1] if word.endswith("s") else word


def _items(kind: str, m: re.Match[str], group: str) -> list[_Item]:
    """The numbers a reference cites, lists and ranges spelled out.

    ``paragraphs 3(a) and (b)`` cites 3(a) and 3(b); ``subparagraphs (a) through (c)``
    cites (a), (b) and (c); ``Articles 16.3 to 16.5`` three articles; ``Articles III to V``
    three.
    """
    item_re = _ITEM_RE[kind]
    text, pos, end = m.string, m.start(group), m.end(group)
    out: list[_Item] = []
    ranged = False
    while pos < end:
        im = item_re.match(text, pos)
        if im is None or im.end("num") > end:
            break
        num = re.sub(r"\s+", "", im.group("num")) if kind in ("paragraph", "subparagraph") else _head(im.group("num"))
        if kind in ("article", "chapter", "annex") and _OCR_ROMAN.match(num):
            num = num.replace("l", "I").replace("i", "I")
        pin = re.sub(r"\s+(?=\()|(?<=:)\s+", "", _head(im.groupdict().get("pin") or ""))
        title = im.groupdict().get("title")
        if kind in ("paragraph", "subparagraph") and num.startswith("(") and out:
            num = _inherit(out[-1].num, num)
        item = _Item(num, pin, _head(title) if title else None)
        if ranged and out and not out[-1].pin and not pin:
            out.extend(_Item(n) for n in _between(kind, out[-1].num, num))
        out.append(item)
        sep = im.group("sep")
        if sep is None or im.end() > end:
            break
        ranged = _RANGE_JOIN.match(sep) is not None
        pos = im.end()
    return out


def _label_kinds(label: str) -> set[str]:
    if label.isdigit():
        return {"digit"}
    if label.isupper():
        return {"upper"}
    kinds = {"roman"} if re.fullmatch(r"[ivxl]+", label) else set()
    if len(label) == 1 or (len(set(label)) == 1 and label not in ("ii", "iii", "xx", "xxx")):
        kinds.add("letter")
    return kinds


def _inherit(prev: str, new: str) -> str:
    """``(b)`` after ``3(a)`` is ``3(b)``; ``(ii)`` after ``(a)(i)`` is ``(a)(ii)``."""
    lead = re.match(r"^\d+(?:\.\d+)?", prev)
    labels = re.findall(r"\(([A-Za-z0-9]+)\)", prev)
    added = re.findall(r"\(([A-Za-z0-9]+)\)", new)
    if not added:
        return new
    for i in range(len(labels) - 1, -1, -1):
        if _label_kinds(labels[i]) & _label_kinds(added[0]):
            return (lead.group(0) if lead else "") + "".join(f"({x})" for x in [*labels[:i], *added])
    return new


def _between(kind: str, lo: str, hi: str) -> list[str]:
    """The numbers strictly between the ends of a range, if it is one the graph can spell out."""
    head_lo, last_lo = _split_last(lo)
    head_hi, last_hi = _split_last(hi)
    if head_lo != head_hi or kind == "annex":
        return []
    if last_lo.isdigit() and last_hi.isdigit():
        a, b = int(last_lo), int(last_hi)
        forms = [str(n) for n in range(a + 1, b)]
    elif (va := _roman(last_lo.upper())) and (vb := _roman(last_hi.upper())):
        a, b = va, vb
        forms = [roman(n, lower=last_lo.islower()) for n in range(a + 1, b)]
    elif len(last_lo) == 1 and len(last_hi) == 1 and last_lo.isalpha() and last_hi.isalpha():
        a, b = ord(last_lo), ord(last_hi)
        forms = [chr(n) for n in range(a + 1, b)]
    else:
        return []
    if not 0 < b - a < 50:
        return []
    bracketed = lo.endswith(")")
    return [f"{head_lo}({f})" if bracketed else f"{head_lo}{f}" for f in forms]


def _split_last(num: str) -> tuple[str, str]:
    """``3(a)`` → (``3``, ``a``); ``16.3`` → (``16.``, ``3``); ``XIV`` → (``""``, ``XIV``)."""
    m = re.match(r"^(.*)\(([A-Za-z0-9]+)\)$", num)
    if m:
        return m.group(1), m.group(2)
    head, dot, last = num.rpartition(".")
    return (head + dot, last) if dot else ("", num)


def _num_key(num: str) -> str:
    """An article number with its printing variants folded: ``3.04`` and ``3-4`` are ``3.4``."""
    parts = re.split(r"[.\-]", clean_num(num).lower())
    return ".".join(str(int(p)) if p.isdigit() else p for p in parts)


def _same_title(title: str, heading: str | None) -> bool:
    """Whether a cited title names a heading (``Trade in Services`` / ``Cross-Border Trade in Services``)."""
    if not heading:
        return False
    cited = set(re.findall(r"[a-z]+", title.lower())) - _STOP_WORDS
    held = set(re.findall(r"[a-z]+", heading.lower())) - _STOP_WORDS
    return bool(cited) and bool(held) and (cited <= held or held <= cited)


def _tariff(m: re.Match[str]) -> bool:
    """Whether the sentence around a chapter reference speaks of tariff classification."""
    text = m.string
    start = max(0, m.start() - 200)
    left = text[start : m.start()]
    ends = list(_SENTENCE_END.finditer(left))
    if ends:
        left = left[ends[-1].end() :]
    right = text[m.end() : m.end() + 200]
    stop = _SENTENCE_END.search(right)
    if stop:
        right = right[: stop.start()]
    return _TARIFF.search(f"{left} {m.group(0)} {right}") is not None


def _term_key(words: str) -> str:
    words = re.sub(r"[\s\-]+", " ", words.lower()).strip()
    last = words.rsplit(" ", 1)
    tail = singular(last[-1])
    return (last[0] + " " + tail) if len(last) == 2 else tail


def _term_pattern(term: str) -> str:
    words = term.split()
    *head, tail = words
    if tail.endswith("y") and len(tail) > 2 and tail[-2] not in "aeiou":
        tail_re = re.escape(tail[:-1]) + "(?:y|ies)"
    elif tail.endswith(("s", "x", "ch", "sh")):
        tail_re = re.escape(tail) + "(?:es)?"
    else:
        tail_re = re.escape(tail) + "s?"
    return r"[\s\-]+".join([*(re.escape(w) for w in head), tail_re])


# ---------------------------------------------------------------- queries


def _out(G: nx.MultiDiGraph[str], node: str) -> Iterator[tuple[str, str]]:
    """(target, rel) of every edge out of ``node``."""
    edge: tuple[Any, Any, Any]
    for edge in G.out_edges(node, data="rel"):
        yield str(edge[1]), str(edge[2])


def _in(G: nx.MultiDiGraph[str], node: str) -> Iterator[tuple[str, str]]:
    """(source, rel) of every edge into ``node``."""
    edge: tuple[Any, Any, Any]
    for edge in G.in_edges(node, data="rel"):
        yield str(edge[0]), str(edge[2])


def _raw(G: ClauseGraph | nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    if isinstance(G, ClauseGraph):
        return G.nx
    if isinstance(G, nx.MultiDiGraph):
        return G
    msg = f"expected a ClauseGraph or a networkx MultiDiGraph, not {type(G).__name__}"  # type: ignore[unreachable]
    raise GraphError(msg)


def _check_node(G: nx.MultiDiGraph[str], node_id: str) -> None:
    if node_id not in G:
        msg = f"no node {node_id!r} in the graph"
        raise GraphError(msg)


def _descendants(G: nx.MultiDiGraph[str], node_id: str) -> Iterator[str]:
    stack = [node_id]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(v for v, rel in _out(G, node) if rel == "contains")


def _ancestors(G: nx.MultiDiGraph[str], node_id: str) -> set[str]:
    out: set[str] = set()
    node = node_id
    while True:
        parents = [u for u, rel in _in(G, node) if rel == "contains"]
        if not parents:
            return out
        node = parents[0]
        out.add(node)


def depends_on(G: ClauseGraph | nx.MultiDiGraph[str], node_id: str) -> set[str]:
    """Everything a provision depends on, transitively: definitions and references.

    Starting from the provision and everything it contains, follows ``refers_to`` (but
    not "this Article"-style references to what already contains it), ``uses_term``
    (to the term and on to its definitions in scope), ``excepts`` and footnotes. A
    referenced article or paragraph brings in its contents too; a referenced chapter
    or agreement is included without its contents. Unresolved targets are included
    (their nodes say why).

    Raises:
        GraphError: no such node.

    Examples:
        >>> import tradeclauses as tc
        >>> G = graph(tc.load("usmca"))
        >>> deps = depends_on(G, "usmca/ch19/art19.11")
        >>> sorted(d for d in deps if "covered-person" in d or "17-1" in d)  # doctest: +NORMALIZE_WHITESPACE
        ['usmca/ch19/art19.1/def-covered-person', 'usmca/ch19/art19.1/def-covered-person/a',
         'usmca/ch19/art19.1/def-covered-person/b', 'usmca/ch19/art19.1/def-covered-person/c',
         'usmca/term/covered-person', 'usmca/unresolved/article-17-1']
    """
    g = _raw(G)
    _check_node(g, node_id)
    start = set(_descendants(g, node_id))
    seen: set[str] = set(start)
    queue = list(start)
    found: set[str] = set()

    def reach(target: str) -> None:
        if target in seen:
            return
        found.add(target)
        seen.add(target)
        kind = g.nodes[target].get("kind")
        expand = [target] if kind in ("chapter", "agreement") else list(_descendants(g, target))
        for node in expand:
            if node not in seen or node == target:
                seen.add(node)
                found.add(node)
                queue.append(node)

    while queue:
        node = queue.pop()
        ancestors = _ancestors(g, node)
        for target, rel in _out(g, node):
            if rel in DEPENDENCY_RELS and target not in ancestors:
                reach(target)
        for source, rel in _in(g, node):
            if rel == "footnote_of":
                reach(source)
            elif rel == "defines" and g.nodes[node].get("kind") == "term":
                reach(source)  # the term's definitions (each has its scope on the edge)
    found.discard(node_id)
    return found - start


def dependents(
    G: ClauseGraph | nx.MultiDiGraph[str], term_or_id: str, *, agreement: str | None = None
) -> set[str]:
    """Every provision that depends on a definition, a term or a provision, transitively.

    The reverse of :func:`depends_on`: provisions using the term (or citing the
    provision, or an article holding it), then whatever depends on those. A
    ``term_or_id`` that is not a node id is looked up as a term (``"covered person"``)
    in every agreement, or in ``agreement``.

    Raises:
        GraphError: no such node or term.

    Examples:
        >>> import tradeclauses as tc
        >>> G = graph(tc.load("usmca"))
        >>> touched = dependents(G, "covered person")
        >>> sorted({G.nx.nodes[n]["article"] for n in touched if "article" in G.nx.nodes[n]})
        ['usmca/ch19/art19.11', 'usmca/ch19/art19.12']
        >>> sorted(dependents(G, "personal information"))
        ['usmca/ch19/art19.11/para1', 'usmca/ch19/art19.11/para2', 'usmca/ch19/art19.8/para6']
    """
    g = _raw(G)
    if term_or_id in g:
        start = [term_or_id]
    else:
        key = slug(term_or_id.strip().lower())
        start = [
            n
            for n, d in g.nodes(data=True)
            if d.get("kind") == "term"
            and n.rsplit("/", 1)[-1] == key
            and (agreement is None or d["agreement"] == agreement)
        ]
        if not start:
            msg = f"no node or defined term {term_or_id!r} in the graph"
            raise GraphError(msg)
    found: set[str] = set()
    queue = list(start)
    seen = set(start)
    while queue:
        node = queue.pop()
        kind = g.nodes[node].get("kind")
        affected = [node]
        if kind == "definition":
            affected += [t for t, rel in _out(g, node) if rel == "defines"]
        elif kind not in ("term", "chapter", "agreement", "unresolved"):
            # a change to a provision changes the article (and paragraphs) holding it
            affected += [a for a in _ancestors(g, node) if g.nodes[a].get("kind") not in ("chapter", "agreement")]
        for target in affected:
            for source, rel in _in(g, target):
                if rel in DEPENDENCY_RELS and source not in seen and target not in _ancestors(g, source):
                    seen.add(source)
                    found.add(source)
                    queue.append(source)
    return found - set(start)


def without_counterpart(
    G: ClauseGraph | nx.MultiDiGraph[str], a: str, b: str, *, kind: str = "article"
) -> list[str]:
    """Provisions of agreement ``a`` with no ``aligned_with`` edge to agreement ``b``, in order.

    Only provisions that have words count (not articles missing from the text).

    Raises:
        GraphError: an agreement is not in the graph.

    Examples:
        >>> import tradeclauses as tc
        >>> draft = tc.parse("Article 1: Source Code\\n1. No Party shall require the transfer of, or access "
        ...     "to, a source code of software owned by a person of another Party as a condition for the "
        ...     "import, distribution, sale or use of that software in its territory.", agreement_id="draft")
        >>> G = graph(tc.load("usmca"), draft).add_alignment(model="usmca", draft="draft")
        >>> without_counterpart(G, "usmca", "draft")[:3]
        ['usmca/ch19/art19.1', 'usmca/ch19/art19.4', 'usmca/ch19/art19.8']
        >>> without_counterpart(G, "draft", "usmca")
        []
    """
    g = _raw(G)
    for name in (a, b):
        _check_node(g, name)
    out = []
    for node in _descendants_ordered(g, a):
        data = g.nodes[node]
        if data.get("kind") != kind or data.get("status") == "missing":
            continue
        linked = any(
            rel == "aligned_with" and g.nodes[other].get("agreement") == b
            for other, rel in (*_out(g, node), *_in(g, node))
        )
        if not linked:
            out.append(node)
    return out


def _descendants_ordered(G: nx.MultiDiGraph[str], node_id: str) -> Iterator[str]:
    yield node_id
    for child, rel in _out(G, node_id):
        if rel == "contains":
            yield from _descendants_ordered(G, child)


def graph(
    *agreements: Agreements, align: bool | Iterable[tuple[str, str]] = False, progress: bool | None = None
) -> ClauseGraph:
    """The clause graph of one or more agreements (see the module notes for its edges).

    Args:
        agreements: the agreements, each with its own id: agreements, names, files,
            folders or corpora (what :func:`tradeclauses.corpus.collect` takes).
        align: ``True`` to align every later agreement with the first (``aligned_with``
            edges), or pairs of agreement ids ``(model, draft)`` to align.
        progress: a progress bar on stderr for several agreements; by default only when
            stderr is a terminal.

    Raises:
        GraphError: two agreements share an id.

    Examples:
        >>> import tradeclauses as tc
        >>> G = graph(tc.load("usmca"))
        >>> sorted(v for _, v, rel in G.nx.out_edges("usmca/ch19/art19.12/p1", data="rel") if rel == "uses_term")
        ['usmca/term/computing-facility', 'usmca/term/covered-person']
        >>> [(r.source, r.text) for r in G.unresolved if "19.17" in r.source]
        [('usmca/ch19/art19.17/para2', 'paragraph 4')]
    """
    read = [a for value in agreements for a in collect(value, what="graph")]
    G = ClauseGraph(*read, progress=progress)
    if align is True:
        pairs: list[tuple[str, str]] = [(read[0].id, a.id) for a in read[1:]]
    elif align is False:
        pairs = []
    else:
        pairs = list(align)
    for model, draft in pairs:
        G.add_alignment(model=model, draft=draft)
    return G
