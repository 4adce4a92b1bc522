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
    Article 19.4", "Article XIV of GATS". The words cited are the edge's ``text``. A
    reference that cannot be resolved in the graph (an article not in the text, another
    treaty) points to a node of kind ``unresolved`` (id ``<agreement>/unresolved/<slug>``)
    that says why; :attr:`ClauseGraph.unresolved` lists them all.
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

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from tradeclauses.errors import GraphError, MissingDependencyError, ProvisionNotFoundError
from tradeclauses.ids import clean_num, slug
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

_ART_NUM = r"(?:\d+(?:[.\-]\d+)*[A-Za-z]?(?:\s?bis|\s?ter)?|[IVXLC]+(?:\.\d+)?(?:\s?bis)?)"
_PARA_NUM = r"(?:\d+(?:\.\d+)?(?:\s?\([a-z0-9]{1,5}\))*)"
_SUB_NUM = r"(?:\([a-z0-9]{1,5}\)(?:\s?\([a-z0-9]{1,5}\))*)"
_ANNEX_NUM = r"(?:[0-9IVX]+(?:[.\-][0-9A-Z]+)*(?:-[A-Z])?|[A-Z](?:-\d+)?)"
_JOIN = r"\s*(?:,|,?\s+and(?:/or)?|,?\s+or|\s+to|\s+through)\s+"


def _list(num: str) -> str:
    return rf"{num}(?:{_JOIN}{num})*"


_EXTERNAL = (
    r"(?:the\s+)?(?P<ext>GATS|GATT(?:\s+19(?:47|94))?|TRIPS(?:\s+Agreement)?|WTO\s+Agreement|"
    r"General\s+Agreement\s+on\s+(?:Tariffs\s+and\s+Trade|Trade\s+in\s+Services)(?:\s+19(?:47|94))?|"
    r"Agreement\s+on\s+[A-Z][\w\-]*(?:\s+(?:[A-Z][\w\-]*|of|and|on|the|to|for))*|"
    r"[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)*\s+(?:Agreement|Convention|Protocol|Understanding))"
)

_REFERENCE = re.compile(
    rf"""
    (?P<this>\b[Tt]his\s+(?P<this_kind>Agreement|Chapter|Section|Article|paragraph|subparagraph|Annex)\b)
    | \b(?P<kind>Articles?|[Pp]aragraphs?|[Ss]ubparagraphs?|Chapters?|Annex(?:es)?)\s+
      (?P<nums>
          (?<=rticle\s)(?:{_list(_ART_NUM)})
        | (?<=rticles\s)(?:{_list(_ART_NUM)})
        | (?<=aragraph\s)(?:{_list(_PARA_NUM)})
        | (?<=aragraphs\s)(?:{_list(_PARA_NUM)})
        | (?<=ubparagraph\s)(?:{_list(_SUB_NUM + "|" + _PARA_NUM)})
        | (?<=ubparagraphs\s)(?:{_list(_SUB_NUM + "|" + _PARA_NUM)})
        | (?<=hapter\s)(?:{_list(_ART_NUM)})
        | (?<=hapters\s)(?:{_list(_ART_NUM)})
        | (?<=nnex\s)(?:{_list(_ANNEX_NUM)})
        | (?<=nnexes\s)(?:{_list(_ANNEX_NUM)})
      )(?![\w.]*\d)
      (?:\s*\((?P<title>[A-Z][^()]{{0,80}})\))?
      (?:\s+of\s+[Pp]aragraph\s+(?P<of_para>{_PARA_NUM}))?
      (?:\s+of\s+(?:
          [Tt]his\s+(?P<of_this>Agreement|Chapter|Article)
        | (?P<of_kind>Article|Chapter|Annex)\s+(?P<of_num>{_ART_NUM}|{_ANNEX_NUM})
        | {_EXTERNAL}
      ))?
    """,
    re.VERBOSE,
)
_SPLIT = re.compile(_JOIN)
_TITLE = re.compile(r"\s*\([A-Z][^()]*\)")
_RANGE = re.compile(r"^(\d+)\s*(?:to|through)\s*(\d+)$")

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

    def __init__(self, *agreements: Agreement) -> None:
        self.nx: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.agreements: dict[str, Agreement] = {}
        for agreement in agreements:
            self.add(agreement)

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
    """Adds one agreement to a graph: nodes, then every kind of edge."""

    def __init__(self, G: nx.MultiDiGraph[str], agreement: Agreement) -> None:
        self.G = G
        self.agreement = agreement
        self.parent: dict[str, str] = {}
        self.article_of: dict[str, Article] = {}
        self.chapter_of: dict[str, Chapter] = {}
        self.blocks: list[Block] = []

    # nodes ----------------------------------------------------------

    def build(self) -> None:
        a = self.agreement
        self.G.add_node(
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
        self._terms()
        for block in self.blocks:
            self._references(block)
            self._exceptions(block)
        self._footnotes()

    def _node(self, node_id: str, parent: str, **attrs: Any) -> None:
        self.G.add_node(node_id, agreement=self.agreement.id, **attrs)
        self.G.add_edge(parent, node_id, key="contains", rel="contains")
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
        for child in block.children:
            self._block(child, block.id, art)

    # terms ----------------------------------------------------------

    def _term_node(self, term: str, **attrs: Any) -> str:
        node_id = f"{self.agreement.id}/term/{slug(term)}"
        if node_id not in self.G:
            self.G.add_node(node_id, kind="term", agreement=self.agreement.id, label=term, term=term, **attrs)
        else:
            self.G.nodes[node_id].update(attrs)
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
                self.G.add_edge(block.id, term_id, key="defines", rel="defines", scope=scope)
                scopes.setdefault(term_id, []).append(scope)
        for art in self.agreement.articles:
            for gap in art.gaps:
                for term in _DEFINITION_GAP.findall(gap.note):
                    term_id = self._term_node(term.strip().lower())
                    if term_id not in scopes:
                        self.G.nodes[term_id].update(defined=False, note=_clip(gap.note))
                        scopes[term_id] = [self._scope(art)]
        if not scopes:
            return
        by_form = {self.G.nodes[t]["term"]: t for t in scopes}
        pattern = re.compile(
            r"\b(?:" + "|".join(_term_pattern(t) for t in sorted(by_form, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )
        keys = {_term_key(form): t for form, t in by_form.items()}
        for block in self.blocks:
            own = _own_text(block)
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
                self.G.add_edge(block.id, term_id, key="uses_term", rel="uses_term", text=m.group(0))

    def _in_scope(self, block_id: str, scopes: list[str]) -> bool:
        node = block_id
        while node in self.parent:
            if node in scopes:
                return True
            node = self.parent[node]
        return node in scopes

    # references -----------------------------------------------------

    def _references(self, block: Block) -> None:
        own = _own_text(block)
        for ref in _REFERENCE.finditer(own):
            for text, target, reason in self._resolve(block, ref):
                node = target if target is not None else self._unresolved(block, text, reason)
                self.G.add_edge(
                    block.id, node, key=f"refers_to:{ref.start()}:{node}", rel="refers_to",
                    text=text, resolved=target is not None,
                )

    def _unresolved(self, block: Block, text: str, reason: str) -> str:
        """The node standing for an unresolved target (one per target, whoever cites it)."""
        label = _TITLE.sub("", _head(text))
        if re.match(r"(?i)(?:sub)?paragraph", label) and " of " not in label:
            label = f"Article {self.article_of[block.id].num} {label}"
        node_id = f"{self.agreement.id}/unresolved/{slug(re.sub(r'[.()]', '-', label))}"
        if node_id not in self.G:
            self.G.add_node(node_id, kind="unresolved", agreement=self.agreement.id, label=label, reason=reason)
        return node_id

    def _resolve(self, block: Block, m: re.Match[str]) -> Iterator[tuple[str, str | None, str]]:
        """(text, target id or None, reason) for each target of one reference."""
        art = self.article_of[block.id]
        text = m.group(0).strip()
        if m.group("this"):
            kind = m.group("this_kind").lower()
            target = self._enclosing(block.id, kind)
            yield text, target, "" if target else f"no enclosing {kind}"
            return
        kind = m.group("kind").lower().rstrip("s").replace("annexe", "annex")
        nums = _numbers(m.group("nums"))
        title = f" ({m.group('title')})" if m.group("title") else ""
        ext = m.group("ext")
        if ext:
            for num in nums:
                label = f"{m.group('kind').rstrip('s')} {num} of {ext}"
                yield label, None, f"outside this agreement ({ext})"
            return
        context_art = art
        if m.group("of_kind") == "Article":
            of_num = m.group("of_num")
            found = self._article(of_num, art)
            if found is None:
                of_para = f" of paragraph {m.group('of_para')}" if m.group("of_para") else ""
                for num in nums:
                    label = f"{m.group('kind').rstrip('s')} {num}{of_para} of Article {of_num}"
                    yield label, None, self._missing_article_reason(of_num)
                return
            context_art = found
        for num in nums:
            label = f"{m.group('kind').rstrip('s')} {num}{title}" if len(nums) > 1 else text
            if kind == "article":
                found = self._article(num, art)
                yield label, found.id if found else None, "" if found else self._missing_article_reason(num)
            elif kind == "chapter":
                ch = next((c for c in self.agreement.chapters if c.num == num and c.label == "Chapter"), None)
                yield label, ch.id if ch else None, "" if ch else f"Chapter {num} is not in this text"
            elif kind == "annex":
                ch = next((c for c in self.agreement.chapters if c.label == "Annex" and c.num == num), None)
                yield label, ch.id if ch else None, "" if ch else f"Annex {num} is not in this text"
            elif kind == "paragraph":
                target = _paragraph(context_art, num)
                reason = "" if target else f"Article {context_art.num} has no paragraph {num} in this text"
                if target is None and context_art.status != "complete":
                    reason += f"; the article is {context_art.status} here"
                yield label, target, reason
            elif m.group("of_para"):
                target = _paragraph(context_art, m.group("of_para") + num)
                reason = "" if target else f"no {label} in this text"
                yield label, target, reason
            else:
                target = _subparagraph(block, context_art, num, self.parent)
                reason = "" if target else f"no subparagraph {num} in Article {context_art.num} in this text"
                yield label, target, reason

    def _enclosing(self, block_id: str, kind: str) -> str | None:
        wanted = {"article": "article", "chapter": "chapter", "annex": "chapter", "section": "chapter",
                  "agreement": "agreement", "paragraph": "paragraph", "subparagraph": "subparagraph"}[kind]
        node: str | None = block_id
        while node is not None:
            if self.G.nodes[node].get("kind") == wanted:
                return node
            node = self.parent.get(node)
        return None

    def _article(self, num: str, near: Article) -> Article | None:
        found = [a for a in self.agreement.articles if a.num == num]
        if not found:
            return None
        same_chapter = [a for a in found if self.chapter_of.get(a.id) is self.chapter_of.get(near.id)]
        return (same_chapter or found)[0]

    def _missing_article_reason(self, num: str) -> str:
        head = num.split(".", 1)[0] if "." in num else None
        if head and not any(c.num == head for c in self.agreement.chapters):
            return f"Chapter {head} is not in this text"
        return f"Article {num} is not in this text"

    # exceptions -----------------------------------------------------

    def _exceptions(self, block: Block) -> None:
        if isinstance(block, Definition):
            return
        own = _own_text(block)
        specific: list[str] = []
        for cue in (_INCONSISTENT, _NOTWITHSTANDING, _SHALL_NOT_APPLY):
            for m in cue.finditer(own):
                rest = m.group("rest")
                for ref in _REFERENCE.finditer(rest):
                    if ref.group("this"):
                        continue
                    for _, target, _ in self._resolve(block, ref):
                        if target and target != block.id:
                            specific.append(target)
        for target in dict.fromkeys(specific):
            self.G.add_edge(block.id, target, key=f"excepts:{target}", rel="excepts", cue="specific")
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
                    self.G.add_edge(block.id, para.id, key=f"excepts:{para.id}", rel="excepts", cue="this Article")
        else:
            target = self._enclosing(block.id, scope)
            if target:
                self.G.add_edge(block.id, target, key=f"excepts:{target}", rel="excepts", cue=f"this {scope}")

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
                self.G.add_edge(fn.id, holders.get(fn.num, art.id), key="footnote_of", rel="footnote_of")


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


def _numbers(nums: str) -> list[str]:
    out: list[str] = []
    pieces = _SPLIT.split(nums.strip())
    whole = _RANGE.match(nums.strip())
    if whole:
        lo, hi = int(whole.group(1)), int(whole.group(2))
        if 0 < hi - lo < 50:
            return [str(n) for n in range(lo, hi + 1)]
    out.extend(p.strip() for p in pieces if p.strip())
    return out


def _paragraph(art: Article, num: str) -> str | None:
    m = re.match(r"^(\d+(?:\.\d+)?)\s*((?:\([a-z0-9]+\)\s*)*)$", num)
    if not m:
        return None
    head, subs = m.group(1), re.findall(r"\(([a-z0-9]+)\)", m.group(2))
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


def _subparagraph(block: Block, art: Article, num: str, parent: Mapping[str, str]) -> str | None:
    labels = re.findall(r"\(([a-z0-9]+)\)", num)
    lead = re.match(r"^(\d+)", num)
    if lead:
        return _paragraph(art, num)
    if not labels:
        return None
    # look among the siblings first, then the children, then anywhere in the article
    scopes: list[Paragraph | Subparagraph | Definition] = []
    up = parent.get(block.id)
    holder = next((b for b in art.walk() if b.id == up), None) if up else None
    if holder is not None and not isinstance(holder, Gap):
        scopes.append(holder)
    if not isinstance(block, Gap):
        scopes.append(block)
    for scope in scopes:
        node: Paragraph | Subparagraph | Definition | None = scope
        for label in labels:
            if node is None:
                break
            node = next(
                (c for c in node.children if not isinstance(c, Gap) and c.num and clean_num(c.num) == label), None
            )
            if node is None:
                break
        if node is not None:
            return node.id
    matches = [
        b.id for b in art.walk() if isinstance(b, Subparagraph) and b.num and clean_num(b.num) == labels[-1]
    ]
    return matches[0] if len(matches) == 1 else None


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


def graph(*agreements: Agreement, align: bool | Iterable[tuple[str, str]] = False) -> ClauseGraph:
    """The clause graph of one or more agreements (see the module notes for its edges).

    Args:
        agreements: the agreements, each with its own id.
        align: ``True`` to align every later agreement with the first (``aligned_with``
            edges), or pairs of agreement ids ``(model, draft)`` to align.

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
    G = ClauseGraph(*agreements)
    if align is True:
        pairs: list[tuple[str, str]] = [(agreements[0].id, a.id) for a in agreements[1:]]
    elif align is False:
        pairs = []
    else:
        pairs = list(align)
    for model, draft in pairs:
        G.add_alignment(model=model, draft=draft)
    return G
