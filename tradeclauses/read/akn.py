"""Akoma Ntoso 3.0: write an agreement as AKN XML (:func:`to_akn`) and read it back.

The mapping (``parse(to_akn(a)) == a`` for every agreement):

================================  ==========================================================
clause model                      Akoma Ntoso 3.0
================================  ==========================================================
Agreement                         ``<akomaNtoso><act name="treaty">`` with FRBR metadata
                                  (``FRBRWork``/``FRBRExpression``/``FRBRManifestation``:
                                  ``FRBRthis``, ``FRBRuri``, ``FRBRdate``, ``FRBRauthor``,
                                  ``FRBRcountry``, ``FRBRnumber``, ``FRBRname``), parties as
                                  ``TLCOrganization`` references, the title in ``<preface>``
Chapter                           ``<chapter>`` (label "Chapter"), ``<part>`` ("Part"),
                                  otherwise ``<hcontainer name="<label>">``
Article                           ``<article>`` with ``<num>`` and ``<heading>``; a label other
                                  than "Article" in ``class``
Paragraph / Subparagraph          ``<paragraph>`` / ``<point>``
Definition                        ``<hcontainer name="definition">``; the term is marked
                                  ``<def refersTo="#term-...">`` and listed as ``TLCTerm``
words before / after a list       ``<list>`` with ``<intro>`` and ``<wrapUp>``
words of a provision w/o list     ``<content><p>``
Footnote                          ``<authorialNote marker="N" placement="bottom">`` at its
                                  mark (later marks: ``<noteRef>``; a footnote with no mark:
                                  a ``<note>`` under ``<meta><notes>``)
Gap (missing passage)             ``<hcontainer name="gap">`` holding ``<p><omissis>``: AKN's
                                  inline element for omitted text, wrapped so that it can sit
                                  among provisions
bracketed alternatives            ``<placeholder refersTo="#slot-K">`` at the slot mark, and
                                  one ``<hcontainer name="option" class="slot-K">`` per option
                                  (``<num>`` label, ``<content>`` words, ``<party>`` proponents)
anything else (notes, sources,    ``<proprietary source="#tradeclauses">`` in the
residues, article sections...)    ``https://tradeclauses.org/ns/akn`` namespace
================================  ==========================================================

eIds come from :func:`tradeclauses.ids.to_eid` and ids are read back with
:func:`tradeclauses.ids.from_eid`. :data:`AKN_ELEMENTS` lists every AKN element this
module writes (tests check that list against the output).

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> xml = to_akn(usmca)
    >>> b'eId="chp_19__art_19-11__para_1"' in xml
    True
    >>> read_akn(xml) == usmca
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from lxml import etree

from tradeclauses import ids
from tradeclauses.errors import ParseError, UnsupportedFormatError, expect
from tradeclauses.model import (
    FOOTNOTE_MARK,
    Agreement,
    Article,
    Block,
    Chapter,
    Definition,
    Footnote,
    Gap,
    Option,
    Paragraph,
    Residue,
    Subparagraph,
)
from tradeclauses.read._xml import gather_text, parse_xml

__all__ = ["AKN_ELEMENTS", "AKN_NS", "TC_NS", "looks_like_akn", "read_akn", "to_akn"]

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
"""The Akoma Ntoso 3.0 namespace."""
TC_NS = "https://tradeclauses.org/ns/akn"
"""Namespace of tradeclauses' own metadata inside ``<proprietary>``."""

AKN_ELEMENTS = frozenset(
    {
        "akomaNtoso", "act", "meta", "identification", "FRBRWork", "FRBRExpression",
        "FRBRManifestation", "FRBRthis", "FRBRuri", "FRBRalias", "FRBRdate", "FRBRauthor",
        "FRBRcountry", "FRBRnumber", "FRBRname", "FRBRlanguage", "references",
        "TLCOrganization", "TLCTerm", "TLCConcept", "notes", "note", "proprietary", "preface",
        "docTitle", "body", "chapter", "part", "hcontainer", "article", "paragraph", "point",
        "list", "intro", "wrapUp", "content", "num", "heading", "p", "def", "authorialNote",
        "noteRef", "omissis", "placeholder", "party",
    }
)  # fmt: skip
"""Every Akoma Ntoso 3.0 element :func:`to_akn` writes (all are in the AKN 3.0 schema)."""

_A = f"{{{AKN_NS}}}"
_T = f"{{{TC_NS}}}"
_NSMAP = {None: AKN_NS, "tc": TC_NS}
_SNIFF = re.compile(rb"<akomaNtoso\b[^>]*" + re.escape(AKN_NS.encode()))
_MARK = re.compile(r"\[\^([^\]\s]+)\]|\[~([^\]\s]+)\]")
_STRUCTURAL = frozenset(
    {"akomaNtoso", "act", "meta", "identification", "FRBRWork", "FRBRExpression", "FRBRManifestation",
     "references", "notes", "proprietary", "preface", "body", "chapter", "part", "hcontainer", "article",
     "paragraph", "point", "list", "intro", "wrapUp", "content", "note"}
)  # fmt: skip
_DIVISIONS = frozenset({"chapter", "part", "hcontainer", "section", "title", "book", "division", "subpart"})
"""Children of ``<body>`` read as chapters (others are reported as unparsed)."""
_CHAPTER_PARTS = frozenset({"num", "heading", "article", "hcontainer"})
_ARTICLE_PARTS = frozenset({"num", "heading", "paragraph", "point", "hcontainer"})
_BLOCK_PARTS = frozenset({"num", "heading", "list", "content", "hcontainer"})
_LIST_PARTS = frozenset({"intro", "wrapUp", "paragraph", "point", "hcontainer"})
_LANG3 = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "zh": "zho", "ja": "jpn", "ko": "kor"}


def looks_like_akn(head: bytes) -> str | None:
    """Content sniffer: ``"akn"`` for an ``<akomaNtoso>`` document in the AKN 3.0 namespace.

    Examples:
        >>> looks_like_akn(b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">')
        'akn'
    """
    return "akn" if _SNIFF.search(head) else None


# --- writing ---------------------------------------------------------------------------------


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el: etree._Element = etree.SubElement(parent, _A + tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _tc(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el: etree._Element = etree.SubElement(parent, _T + tag, attrs)
    if text is not None:
        el.text = text
    return el


class _Writer:
    def __init__(self, agreement: Agreement) -> None:
        self.a = agreement
        self.terms: dict[str, str] = {}
        self.term_ids: set[str] = set()
        self.loose_notes: list[tuple[Article, Footnote]] = []
        self.extras: list[tuple[str, Article]] = []

    def write(self) -> bytes:
        a = self.a
        root = etree.Element(_A + "akomaNtoso", nsmap=_NSMAP)
        act = _el(root, "act", name="treaty")
        meta = _el(act, "meta")
        self.identification(meta)
        refs = _el(meta, "references", source="#tradeclauses")
        preface = _el(act, "preface")
        _el(_el(preface, "p"), "docTitle", a.title)
        body = _el(act, "body")
        for ch in a.chapters:
            self.chapter(body, ch)
        _el(refs, "TLCOrganization", eId="tradeclauses", href="/ontology/organization/tradeclauses",
            showAs="tradeclauses")  # fmt: skip
        for i, party in enumerate(a.parties, 1):
            _el(refs, "TLCOrganization", eId=f"party-{i}", href=f"/ontology/organization/{ids.slug(party)}",
                showAs=party)  # fmt: skip
        for term, eid in self.terms.items():
            _el(refs, "TLCTerm", eId=eid, href=f"/ontology/term/{eid.removeprefix('term-')}", showAs=term)
        if self.loose_notes:
            notes = _el(meta, "notes", source="#tradeclauses")
            for _art, fn in self.loose_notes:
                note = _el(notes, "note", eId=ids.to_eid(fn.id), marker=fn.num)
                self.footnote_body(note, fn)
        self.proprietary(_el(meta, "proprietary", source="#tradeclauses"))
        _indent(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def identification(self, meta: etree._Element) -> None:
        a = self.a
        ident = _el(meta, "identification", source="#tradeclauses")
        when = a.date_signed.isoformat() if a.date_signed else "9999-12-31"
        lang = _LANG3.get((a.language or "").lower(), (a.language or "und").lower())
        work_uri = f"/akn/int/act/treaty/{when}/{a.id}"
        work = _el(ident, "FRBRWork")
        _el(work, "FRBRthis", value=f"{work_uri}/!main")
        _el(work, "FRBRuri", value=work_uri)
        if a.short_name:
            _el(work, "FRBRalias", value=a.short_name, name="short")
        _el(work, "FRBRdate", date=when, name="signature" if a.date_signed else "unknown")
        for i, _party in enumerate(a.parties, 1):
            _el(work, "FRBRauthor", href=f"#party-{i}", as_="#signatory")
        if not a.parties:
            _el(work, "FRBRauthor", href="#tradeclauses")
        _el(work, "FRBRcountry", value="int")
        _el(work, "FRBRnumber", value=a.id)
        _el(work, "FRBRname", value=a.title)
        expr = _el(ident, "FRBRExpression")
        _el(expr, "FRBRthis", value=f"{work_uri}/{lang}@/!main")
        _el(expr, "FRBRuri", value=f"{work_uri}/{lang}@")
        _el(expr, "FRBRdate", date=when, name="version")
        _el(expr, "FRBRauthor", href="#tradeclauses")
        _el(expr, "FRBRlanguage", language=lang)
        manif = _el(ident, "FRBRManifestation")
        _el(manif, "FRBRthis", value=f"{work_uri}/{lang}@/!main.xml")
        _el(manif, "FRBRuri", value=f"{work_uri}/{lang}@.akn")
        _el(manif, "FRBRdate", date=when, name="generation")
        _el(manif, "FRBRauthor", href="#tradeclauses")

    def chapter(self, body: etree._Element, ch: Chapter) -> None:
        eid = ids.to_eid(ch.id)
        if ch.label == "Chapter":
            el = _el(body, "chapter", eId=eid)
        elif ch.label == "Part":
            el = _el(body, "part", eId=eid)
        else:
            el = _el(body, "hcontainer", name=ch.label, eId=eid)
        if ch.num is not None:
            _el(el, "num", ch.num)
        if ch.heading is not None:
            _el(el, "heading", ch.heading)
        for art in ch.articles:
            self.article(el, art)
        for gap in ch.gaps:
            self.gap(el, gap)

    def article(self, parent: etree._Element, art: Article) -> None:
        el = _el(parent, "article", eId=ids.to_eid(art.id))
        if art.label != "Article":
            el.set("class", art.label)
        placed: set[str] = set()
        notes = {f.num: f for f in art.footnotes}
        if art.num is not None:
            _el(el, "num", art.num)
        if art.heading is not None or art.heading_footnotes:
            heading = _el(el, "heading")
            self.inline(heading, (art.heading or "") + "".join(f"[^{n}]" for n in art.heading_footnotes),
                        notes, placed, art)  # fmt: skip
            if art.heading is None:
                heading.set("class", "marks-only")
        for child in art.children:
            self.block(el, child, notes, placed, art)
        for fn in art.footnotes:
            if fn.num not in placed:
                self.loose_notes.append((art, fn))
        if art.section is not None or art.heading_gap is not None or art.notes or self._order_differs(art, placed):
            self.extras.append((ids.to_eid(art.id), art))

    @staticmethod
    def _order_differs(art: Article, placed: set[str]) -> bool:
        seen: list[str] = list(dict.fromkeys([*art.heading_footnotes, *(r for b in art.children
                                if not isinstance(b, Gap) for r in _refs(b))]))  # fmt: skip
        order = [n for n in seen if n in {f.num for f in art.footnotes}]
        order += [f.num for f in art.footnotes if f.num not in placed]
        nums = [f.num for f in art.footnotes]
        return order != nums or len(set(nums)) != len(nums)

    def block(
        self, parent: etree._Element, b: Block, notes: dict[str, Footnote], placed: set[str], art: Article
    ) -> None:
        if isinstance(b, Gap):
            self.gap(parent, b)
            return
        eid = ids.to_eid(b.id)
        if isinstance(b, Paragraph):
            el = _el(parent, "paragraph", eId=eid)
        elif isinstance(b, Subparagraph):
            el = _el(parent, "point", eId=eid)
        else:
            el = _el(parent, "hcontainer", name="definition", eId=eid)
        if b.num is not None:
            _el(el, "num", b.num)
        if b.heading is not None:
            _el(el, "heading", b.heading)
        term = b.term if isinstance(b, Definition) else None
        if b.children or b.wrap_up:
            lst = _el(el, "list", eId=f"{eid}__list_1")
            if b.intro or term is not None:
                self.inline(_el(_el(lst, "intro"), "p"), b.intro, notes, placed, art, term=term)
            for child in b.children:
                self.block(lst, child, notes, placed, art)
            if b.wrap_up:
                self.inline(_el(_el(lst, "wrapUp"), "p"), b.wrap_up, notes, placed, art)
        else:
            self.inline(_el(_el(el, "content"), "p"), b.intro, notes, placed, art, term=term)
        for option in b.options:
            opt = _el(el, "hcontainer", name="option", class_=f"slot-{option.slot}")
            _el(opt, "num", option.label)
            content = _el(opt, "content")
            self.inline(_el(content, "p"), option.text, notes, placed, art)
            for cls, who in (("proponents", option.proponents), ("opposed", option.opposed)):
                if who:
                    p = _el(content, "p", class_=cls)
                    for party in who:
                        _el(p, "party", party, refersTo=f"#{ids.slug(party)}")
            if option.note is not None:
                _el(content, "p", option.note, class_="note")

    def gap(self, parent: etree._Element, gap: Gap) -> None:
        el = _el(parent, "hcontainer", name="gap", eId=ids.to_eid(gap.id))
        _el(_el(_el(el, "content"), "p"), "omissis", gap.note)

    def inline(
        self,
        p: etree._Element,
        text: str,
        notes: dict[str, Footnote],
        placed: set[str],
        art: Article,
        *,
        term: str | None = None,
    ) -> None:
        """Write ``text`` into ``p``, turning marks into notes and placeholders."""
        if term is not None:
            self._with_term(p, text, term, notes=notes, placed=placed, art=art)
            return
        last: etree._Element | None = None
        pos = 0
        for m in _MARK.finditer(text):
            _append_text(p, last, text[pos : m.start()])
            if m[1] is not None:
                num = m[1]
                fn = notes.get(num)
                if fn is None:
                    last = _el(p, "noteRef", href=f"#{ids.to_eid(art.id)}__fn_missing", marker=num, class_="dangling")
                elif num in placed:
                    last = _el(p, "noteRef", href=f"#{ids.to_eid(fn.id)}", marker=num)
                else:
                    placed.add(num)
                    last = _el(p, "authorialNote", eId=ids.to_eid(fn.id), marker=num, placement="bottom")
                    self.footnote_body(last, fn)
            else:
                last = _el(p, "placeholder", f"[~{m[2]}]", refersTo=f"#slot-{m[2]}")
            last.tail = None
            pos = m.end()
        _append_text(p, last, text[pos:])

    def _with_term(
        self, p: etree._Element, text: str, term: str, *, notes: dict[str, Footnote], placed: set[str], art: Article
    ) -> None:
        eid = self.terms.get(term) or ids.unique(f"term-{ids.slug(term)}", self.term_ids)
        self.terms[term] = eid
        plain = FOOTNOTE_MARK.sub("", text)
        at = text.find(term)
        if at < 0 or term == "" or plain.find(term) < 0:
            # the term is not printed as such in the text: an empty <def> before it
            _el(p, "def", refersTo=f"#{eid}", class_="unprinted")
            tmp = etree.Element(_A + "p")
            self.inline(tmp, text, notes, placed, art)
            _move_inline(tmp, p)
            return
        before = etree.Element(_A + "p")
        self.inline(before, text[:at], notes, placed, art)
        _move_inline(before, p)
        d = _el(p, "def", term, refersTo=f"#{eid}")
        rest = etree.Element(_A + "p")
        self.inline(rest, text[at + len(term) :], notes, placed, art)
        d.tail = rest.text
        rest.text = None
        for child in list(rest):
            p.append(child)

    def footnote_body(self, note: etree._Element, fn: Footnote) -> None:
        p = _el(note, "p")
        p.text = fn.text
        if fn.gap is not None:
            _el(p, "omissis", fn.gap)

    def proprietary(self, prop: etree._Element) -> None:
        a = self.a
        root = _tc(prop, "agreement", id=a.id)
        if a.version is not None:
            _tc(root, "version", a.version)
        if a.language is not None:
            _tc(root, "language", a.language)
        if a.date_in_force is not None:
            _tc(root, "dateInForce", a.date_in_force.isoformat())
        for source in a.sources:
            _tc(root, "source", source)
        for note in a.notes:
            _tc(root, "note", note)
        for key, value in a.metadata:
            _tc(root, "meta", value, key=key)
        for eid, art in self.extras:
            el = _tc(root, "article", ref=eid)
            if art.section is not None:
                el.set("section", art.section)
            if art.heading_gap is not None:
                el.set("headingGap", art.heading_gap)
            for note in art.notes:
                _tc(el, "note", note)
            _tc(el, "footnoteOrder", " ".join(ids.to_eid(f.id) for f in art.footnotes))
        for kind, residues in (("removed", a.removed), ("unparsed", a.unparsed)):
            for r in residues:
                el = _tc(root, kind, r.text, reason=r.reason)
                if r.line is not None:
                    el.set("line", str(r.line))


def _refs(b: Paragraph | Subparagraph | Definition) -> Iterator[str]:
    yield from FOOTNOTE_MARK.findall(b.intro)
    for option in b.options:
        yield from FOOTNOTE_MARK.findall(option.text)
    for child in b.children:
        if not isinstance(child, Gap):
            yield from _refs(child)
    yield from FOOTNOTE_MARK.findall(b.wrap_up)


def _append_text(p: etree._Element, last: etree._Element | None, text: str) -> None:
    if not text:
        return
    if last is None:
        p.text = (p.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _move_inline(src: etree._Element, dst: etree._Element) -> None:
    """Append the content of ``src`` (text and children) to the end of ``dst``."""
    last = dst[-1] if len(dst) else None
    _append_text(dst, last, src.text or "")
    for child in list(src):
        dst.append(child)


def _indent(el: etree._Element, level: int = 0) -> None:
    """Indent structural elements only, so no whitespace ever enters the words."""
    name = etree.QName(el).localname
    if name not in _STRUCTURAL or not len(el) or (el.text and el.text.strip()):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        _indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


def to_akn(agreement: Agreement) -> bytes:
    """Write ``agreement`` as an Akoma Ntoso 3.0 XML document (UTF-8 bytes).

    Examples:
        >>> import tradeclauses as tc
        >>> to_akn(tc.load("usmca")).splitlines()[1][:40]
        b'<akomaNtoso xmlns="http://docs.oasis-ope'
    """
    expect(agreement, Agreement, "an Agreement (tc.load, tc.parse); to read Akoma Ntoso, use tc.parse")
    return _Writer(agreement).write()


# --- reading ------------------------------------------------------------------------------------


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el: etree._Element, *names: str) -> Iterator[etree._Element]:
    for child in el:
        if isinstance(child.tag, str) and child.tag.startswith(_A) and (not names or _local(child) in names):
            yield child


def _first(el: etree._Element, name: str) -> etree._Element | None:
    return next(_kids(el, name), None)


class _Reader:
    def __init__(self, root: etree._Element, path: str | None, agreement_id: str | None) -> None:
        self.root = root
        self.path = path
        act = _first(root, "act")
        if act is None:
            act = next(_kids(root), None)
        if act is None:
            raise ParseError("the AKN document holds no document element (act)", path=path)
        self.act = act
        meta = _first(act, "meta")
        self.meta = meta if meta is not None else etree.Element(_A + "meta")
        number = self.meta.find(f"{_A}identification/{_A}FRBRWork/{_A}FRBRnumber")
        self.source_id = number.get("value", "akn") if number is not None else "akn"
        self.aid = ids.slug(agreement_id) if agreement_id else self.source_id
        self.terms = {t.get("eId", ""): t.get("showAs", "") for t in self.meta.iter(_A + "TLCTerm")}
        self.footnotes: dict[str, list[Footnote]] = {}
        self.order: dict[str, list[str]] = {}
        prop = self.meta.find(f"{_A}proprietary/{_T}agreement")
        self.prop = prop if prop is not None else etree.Element(_T + "agreement")
        self.extras = {e.get("ref", ""): e for e in self.prop.iter(_T + "article")}
        self.found: list[Residue] = []  # comments, unknown elements, stray text: the unparsed report

    def text(self, el: etree._Element | None) -> str:
        """All the text inside ``el`` (comments and instructions reported); ``""`` for ``None``."""
        return "" if el is None else gather_text(el, self.found, path=self.path)

    def opt_text(self, el: etree._Element | None) -> str | None:
        return None if el is None else self.text(el)

    def leftover(self, el: etree._Element, known: frozenset[str]) -> None:
        """Report what ``el`` holds besides the children read: stray text, other elements, comments."""
        where = _local(el)
        stray = [(el.sourceline, el.text)]
        for child in el:
            stray.append((child.sourceline, child.tail))
            if isinstance(child.tag, str) and child.tag.startswith(_A) and _local(child) in known:
                continue
            found: list[Residue] = []
            text = gather_text(child, found, path=self.path)
            if isinstance(child.tag, str) and text.strip():
                reason = f"<{etree.QName(child).localname}> in <{where}> is not part of the structure read"
                self.found.append(Residue(line=child.sourceline, text=text.strip(), reason=reason))
            self.found.extend(found)
        for line, loose in stray:
            if loose and loose.strip():
                self.found.append(Residue(line=line, text=loose.strip(), reason=f"text in <{where}> outside its parts"))

    def node_id(self, el: etree._Element) -> str:
        eid = el.get("eId")
        if eid is None:
            raise ParseError(f"<{_local(el)}> has no eId", path=self.path, line=el.sourceline)
        return ids.from_eid(self.aid, eid)

    def read(self) -> Agreement:
        work = self.meta.find(f"{_A}identification/{_A}FRBRWork")
        title = "Untitled AKN document"
        date_signed: date | None = None
        if work is not None:
            name = _first(work, "FRBRname")
            if name is not None:
                title = name.get("value", title)
            for d in _kids(work, "FRBRdate"):
                if d.get("name") == "signature":
                    date_signed = date.fromisoformat(d.get("date", ""))
        short = work.find(f"{_A}FRBRalias[@name='short']") if work is not None else None
        parties = tuple(
            o.get("showAs", "") for o in self.meta.iter(_A + "TLCOrganization") if o.get("eId", "").startswith("party-")
        )
        body = _first(self.act, "body")
        chapters = tuple(self.chapter(c) for c in (_kids(body) if body is not None else ()) if _local(c) in _DIVISIONS)
        if body is not None:
            self.leftover(body, _DIVISIONS)
        self.leftover(self.act, frozenset({"meta", "preface", "body"}))  # a preamble, conclusions, attachments
        for note in self.meta.iter(_A + "note"):
            self.add_footnote(note)
        chapters = tuple(self.attach_footnotes(ch) for ch in chapters)
        p = self.prop
        in_force = p.findtext(_T + "dateInForce")
        return Agreement(
            id=self.aid,
            title=title,
            short_name=short.get("value") if short is not None else None,
            parties=parties,
            date_signed=date_signed,
            date_in_force=date.fromisoformat(in_force) if in_force else None,
            version=p.findtext(_T + "version"),
            language=p.findtext(_T + "language"),
            sources=tuple(self.text(e) for e in p.iterfind(_T + "source")),
            notes=tuple(self.text(e) for e in p.iterfind(_T + "note")),
            metadata=tuple((e.get("key", ""), self.text(e)) for e in p.iterfind(_T + "meta")),
            chapters=chapters,
            removed=self.residues("removed"),
            unparsed=(*self.residues("unparsed"), *sorted(self.found, key=lambda r: r.line or 0)),
        )

    def residues(self, kind: str) -> tuple[Residue, ...]:
        return tuple(
            Residue(
                line=int(e.get("line", "0")) if e.get("line") else None,
                text=self.text(e),
                reason=e.get("reason", ""),
            )
            for e in self.prop.iterfind(_T + kind)
        )

    def chapter(self, el: etree._Element) -> Chapter:
        name = _local(el)
        label = {"chapter": "Chapter", "part": "Part"}.get(name) or el.get("name", "Chapter")
        num = _first(el, "num")
        heading = _first(el, "heading")
        articles: list[Article] = []
        gaps: list[Gap] = []
        for child in _kids(el):
            kind = _local(child)
            if kind == "article":
                articles.append(self.article(child))
            elif kind == "hcontainer" and child.get("name") == "gap":
                gaps.append(self.gap(child))
        self.leftover(el, _CHAPTER_PARTS)
        return Chapter(
            id=self.node_id(el),
            num=self.opt_text(num),
            heading=self.opt_text(heading),
            label=label,
            articles=tuple(articles),
            gaps=tuple(gaps),
        )

    def article(self, el: etree._Element) -> Article:
        art_id = self.node_id(el)
        num = _first(el, "num")
        heading_el = _first(el, "heading")
        heading: str | None = None
        heading_marks: tuple[str, ...] = ()
        if heading_el is not None:
            text = self.inline(heading_el)
            heading_marks = tuple(FOOTNOTE_MARK.findall(text))
            stripped = FOOTNOTE_MARK.sub("", text)
            heading = None if heading_el.get("class") == "marks-only" else stripped
        children = tuple(self.block(c) for c in _kids(el) if _local(c) in ("paragraph", "point", "hcontainer"))
        self.leftover(el, _ARTICLE_PARTS)
        extra = self.extras.get(el.get("eId", ""))
        if extra is not None:
            order = (extra.findtext(_T + "footnoteOrder") or "").split()
            self.order[art_id] = [ids.from_eid(self.aid, e) for e in order]
        return Article(
            id=art_id,
            num=self.opt_text(num),
            heading=heading,
            label=el.get("class", "Article"),
            section=extra.get("section") if extra is not None else None,
            children=children,
            heading_gap=extra.get("headingGap") if extra is not None else None,
            heading_footnotes=heading_marks,
            notes=tuple(self.text(n) for n in extra.iterfind(_T + "note")) if extra is not None else (),
        )

    def block(self, el: etree._Element) -> Block:
        kind = _local(el)
        if kind == "hcontainer" and el.get("name") == "gap":
            return self.gap(el)
        node_id = self.node_id(el)
        num = _first(el, "num")
        heading = _first(el, "heading")
        intro = wrap = ""
        children: list[Block] = []
        term: str | None = None
        lst = _first(el, "list")
        content = _first(el, "content")
        if lst is not None:
            intro_el = _first(lst, "intro")
            if intro_el is not None:
                intro, term = self.paras(intro_el)
            wrap_el = _first(lst, "wrapUp")
            if wrap_el is not None:
                wrap = self.paras(wrap_el)[0]
            children = [self.block(c) for c in _kids(lst, "paragraph", "point", "hcontainer")]
            self.leftover(lst, _LIST_PARTS)
            if content is not None:
                self.leftover(content, frozenset())  # a block holds a list or a content, not both
        elif content is not None:
            intro, term = self.paras(content)
        self.leftover(el, _BLOCK_PARTS)
        options = tuple(self.option(o) for o in _kids(el, "hcontainer") if o.get("name") == "option")
        common: dict[str, object] = {
            "id": node_id,
            "num": self.opt_text(num),
            "heading": self.opt_text(heading),
            "intro": intro,
            "children": tuple(children),
            "wrap_up": wrap,
            "options": options,
        }
        if kind == "hcontainer":
            return Definition.model_validate({**common, "term": term or ""})
        if kind == "point":
            return Subparagraph.model_validate(common)
        return Paragraph.model_validate(common)

    def option(self, el: etree._Element) -> Option:
        num = _first(el, "num")
        content = _first(el, "content")
        text = ""
        who: dict[str, tuple[str, ...]] = {"proponents": (), "opposed": ()}
        note: str | None = None
        for p in _kids(content, "p") if content is not None else ():
            cls = p.get("class")
            if cls in who:
                who[cls] = tuple(self.text(x) for x in _kids(p, "party"))
                self.leftover(p, frozenset({"party"}))
            elif cls == "note":
                note = self.text(p)
            else:
                text = " ".join(t for t in (text, self.inline(p)) if t)
        if content is not None:
            self.leftover(content, frozenset({"p"}))
        self.leftover(el, frozenset({"num", "content"}))
        return Option(
            slot=(el.get("class") or "slot-1").removeprefix("slot-"),
            label=self.text(num),
            text=text,
            proponents=who["proponents"],
            opposed=who["opposed"],
            note=note,
        )

    def gap(self, el: etree._Element) -> Gap:
        om = el.find(f"{_A}content/{_A}p/{_A}omissis")
        return Gap(id=self.node_id(el), note=self.text(om))

    def paras(self, container: etree._Element) -> tuple[str, str | None]:
        """The words of every ``<p>`` of an ``<intro>``, ``<wrapUp>`` or ``<content>``, and the defined term."""
        texts: list[str] = []
        term: str | None = None
        for p in _kids(container, "p"):
            text, found = self.inline_with_term(p)
            texts.append(text)
            term = term if term is not None else found
        self.leftover(container, frozenset({"p"}))
        return " ".join(t for t in texts if t), term

    def inline_with_term(self, p: etree._Element) -> tuple[str, str | None]:
        d = next((x for x in p.iter(_A + "def")), None)
        term = self.terms.get((d.get("refersTo") or "").lstrip("#")) if d is not None else None
        return self.inline(p), term

    def inline(self, p: etree._Element) -> str:
        parts = [p.text or ""]
        for child in p:
            name = _local(child)
            if name == "authorialNote":
                parts.append(f"[^{child.get('marker', '')}]")
                self.add_footnote(child)
            elif name == "noteRef":
                parts.append(f"[^{child.get('marker', '')}]")
            else:
                parts.append(self.text(child))  # inline markup keeps its words; comments are reported
            parts.append(child.tail or "")
        return "".join(parts)

    def add_footnote(self, note: etree._Element) -> None:
        fn_id = self.node_id(note)
        words: list[str] = []
        gap: str | None = None
        for p in _kids(note, "p"):
            gap_el = p.find(_A + "omissis")
            if gap_el is not None:
                gap = self.text(gap_el)
            parts = [p.text or ""]
            for child in p:
                if child is not gap_el:
                    parts.append(self.text(child))
                parts.append(child.tail or "")
            words.append("".join(parts))
        self.leftover(note, frozenset({"p"}))
        fn = Footnote(id=fn_id, num=note.get("marker", ""), text=" ".join(w for w in words if w), gap=gap)
        self.footnotes.setdefault(fn_id.rsplit("/", 1)[0], []).append(fn)

    def attach_footnotes(self, ch: Chapter) -> Chapter:
        arts = []
        for art in ch.articles:
            fns = self.footnotes.get(art.id, [])
            order = self.order.get(art.id)
            if order:
                by_id = {f.id: f for f in fns}
                fns = [by_id[i] for i in order if i in by_id]
            arts.append(art.replace(footnotes=tuple(fns)) if fns else art)
        return ch.replace(articles=tuple(arts))


def read_akn(data: bytes, *, path: str | None = None, agreement_id: str | None = None) -> Agreement:
    """Read an Akoma Ntoso 3.0 document (as written by :func:`to_akn`) into an agreement.

    Documents from other tools are read as far as they follow the same mapping: an
    ``<act>`` whose ``<body>`` holds chapters and articles with eIds.

    Raises:
        UnsupportedFormatError: the root is not ``<akomaNtoso>`` in the AKN 3.0 namespace.
        UnsafeInputError, InputTooLargeError: see :mod:`tradeclauses.read._xml`.
        ParseError: malformed XML, or an element without the eId it needs.

    Examples:
        >>> import tradeclauses as tc
        >>> a = tc.parse("Article 1: Scope\\n1. This Chapter applies.[^1]\\n[^1] A footnote.", agreement_id="x")
        >>> read_akn(to_akn(a)) == a
        True
    """
    root = parse_xml(data, path=path, keep_pis=True)
    if root.tag != _A + "akomaNtoso":
        raise UnsupportedFormatError(
            f"not an Akoma Ntoso 3.0 document: the root element is {root.tag!r}, "
            f"expected <akomaNtoso> in the namespace {AKN_NS}",
            path=path,
        )
    return _Reader(root, path, agreement_id).read()
