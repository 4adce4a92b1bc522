"""Agreement-wide context of a commitment, read as a lawyer reads it.

What a data-flow article means depends on provisions outside it: the general
exceptions chapter that incorporates GATT Article XX or GATS Article XIV, the
essential-security article, the prudential carve-out of the financial-services
chapter, "Nothing in this Agreement" clauses, the scope article that says "Articles
12.14 and 12.15 shall not apply to ...", reservations for non-conforming measures, and
the clause that takes the chapter out of dispute settlement. :func:`read_context`
finds them in a whole agreement and says which articles of the scored part each one
reaches, quoting the provision it comes from.

Each :class:`ContextItem` has a ``kind``:

``general_exception``
    GATT XX / GATS XIV incorporated ("mutatis mutandis"), or written out with their
    chapeau ("arbitrary or unjustifiable discrimination ... disguised restriction").
``security_exception``
    essential security; ``self_judging`` for "that it considers necessary" / "it
    determines", ``non_disputable`` for "shall not be disputed".
``prudential``
    measures for prudential reasons.
``nothing_in``
    other "Nothing in this Agreement shall ..." clauses (taxation, balance of payments,
    disclosure of information, personal data "safeguards it deems appropriate").
``scope_carve_out``
    "This Chapter / Articles X and Y shall not apply to ...".
``non_conforming``
    obligations that do not apply to (or are subject to) non-conforming measures.
``dispute_settlement_exclusion``
    "No Party shall have recourse to dispute settlement under ... for any matter
    arising under this Article": the obligations it reaches cannot be enforced.
``privacy``
    personal data and privacy kept out of the commitments ("Nothing in this Agreement
    shall affect the protection of personal data", "safeguards it deems appropriate").
``right_to_regulate``
    a reaffirmed right to regulate: context, not an exception.

Reach: a provision that names chapters or articles reaches those; "this Agreement"
reaches everything (less the chapters it excepts: "except for Chapter 2 ..."); "this
Chapter" / "this Title" / "this Section" reaches the chapter it stands in; "this
Article" its own article. A "Nothing in this Chapter" of another chapter never reaches
the scored part.

:func:`assess` holds a draft's context against the model's (:data:`USMCA_CONTEXT` for
the shipped USMCA text, whose Chapter 32 is not in the shipped text): what the model
has too is listed without cost, what departs from it becomes a finding.

Examples:
    >>> import tradeclauses as tc
    >>> whole = tc.parse('''Chapter 8: Electronic Commerce
    ... Article 8.1: Cross-Border Transfer of Information
    ... 1. Each Party shall allow the cross-border transfer of information by electronic means.
    ... Article 8.2: Dispute Settlement
    ... 1. No Party shall have recourse to dispute settlement under Chapter 20 for any matter arising under
    ... this Chapter.
    ... Chapter 20: Exceptions
    ... Article 20.1: Security Exceptions
    ... 1. Nothing in this Agreement shall be construed to preclude a Party from applying measures that
    ... it considers necessary for the protection of its essential security interests.
    ... Such measures shall not be disputed by other Parties.''')
    >>> from tradeclauses.parts import find_part
    >>> for item in read_context(whole, find_part(whole)):
    ...     print(item.kind, item.source_num, item.applies_to_nums, item.self_judging, item.non_disputable)
    dispute_settlement_exclusion 8.2 ('8.1', '8.2') False False
    security_exception 20.1 ('8.1', '8.2') True True
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Literal, TypeAlias

from tradeclauses._docs import FrozenModel as _Frozen
from tradeclauses.analysis import Finding, Flag
from tradeclauses.lexicon import active_lexicon
from tradeclauses.model import Agreement, Article, Chapter, Gap
from tradeclauses.normalize import normalize
from tradeclauses.parts import Part, _num_value

__all__ = [
    "USMCA_CONTEXT",
    "ContextItem",
    "ContextKind",
    "assess",
    "classify",
    "is_context_article",
    "read_context",
]

ContextKind: TypeAlias = Literal[
    "general_exception",
    "security_exception",
    "prudential",
    "nothing_in",
    "scope_carve_out",
    "non_conforming",
    "dispute_settlement_exclusion",
    "privacy",
    "right_to_regulate",
]




class ContextItem(_Frozen):
    """One provision that limits or conditions commitments beyond its own article."""

    kind: ContextKind
    """What it does (see the module docstring)."""
    source_id: str
    """Id of the provision it comes from (a paragraph, or the article)."""
    source_num: str
    """Number of the article it stands in (``"29.2"``)."""
    source_heading: str | None = None
    """That article's heading."""
    quote: str
    """The provision's words (clipped at 400 characters); empty for :data:`USMCA_CONTEXT`."""
    reach: Literal["agreement", "chapter", "articles", "article"]
    """What it names: the agreement, a chapter (or title, section), articles, its own article."""
    applies_to: tuple[str, ...] = ()
    """Ids of the scored part's articles it reaches."""
    applies_to_nums: tuple[str, ...] = ()
    """Their numbers."""
    incorporates: str = ""
    """The WTO provision it incorporates (``"GATS Article XIV"``), if any."""
    self_judging: bool = False
    """The Party judges for itself ("that it considers necessary", "it deems appropriate")."""
    non_disputable: bool = False
    """Shielded from dispute settlement ("shall not be disputed")."""
    temporary: bool = False
    """A transitional exclusion ("for a period of two years", "with respect to existing measures"):
    listed, not held against the row."""
    note: str = ""
    """Where the item comes from when it is not quoted."""

    def describe(self) -> str:
        """One line: kind, source and reach."""
        bits = [self.kind.replace("_", " ")]
        if self.incorporates:
            bits.append(f"incorporating {self.incorporates}")
        if self.self_judging:
            bits.append("self-judging")
        if self.non_disputable and self.kind != "dispute_settlement_exclusion":
            bits.append("not disputable")
        if self.temporary:
            bits.append("transitional")
        where = f"Article {self.source_num}" + (f" ({self.source_heading})" if self.source_heading else "")
        return f"{', '.join(bits)}: {where}"


# --------------------------------------------------------------------------- classification

_DS = re.compile(
    r"(?:no\s+(?:party|member)\s+shall\s+have\s+recourse\s+to|(?:shall|may)\s+not\s+have\s+recourse\s+to"
    r"|shall\s+not\s+be\s+subject\s+to|(?:is|are)\s+not\s+subject\s+to|not\s+be\s+subject\s+to)"
    r"[^.;]{0,160}?dispute\s+settlement"
    r"|dispute\s+settlement\)?(?:\s+procedures?)?[^.;]{0,60}?shall\s+not\s+apply\s+to",
    re.IGNORECASE,
)
_GATT = re.compile(
    r"article\s+xx\s+of\s+(?:the\s+)?gatt|article\s+xiv\s+of\s+(?:the\s+)?gats|gatt\s+1994,?\s+article\s+xx"
    r"|gats,?\s+article\s+xiv",
    re.IGNORECASE,
)
_CHAPEAU = re.compile(r"arbitrary\s+or\s+unjustifiable\s+discrimination", re.IGNORECASE)
_SECURITY = re.compile(r"essential\s+security", re.IGNORECASE)
_NON_DISPUTABLE = re.compile(
    r"shall\s+not\s+be\s+(?:disputed|subject\s+to\s+(?:any\s+)?dispute|justiciable)|non-?\s?justiciable", re.IGNORECASE
)
_PRUDENTIAL = re.compile(r"prudential\s+(?:reasons|measures|grounds|purposes)", re.IGNORECASE)
_PERMITS = re.compile(r"\bmay\b|not\s+be\s+prevented|\bnothing\b|shall\s+not\s+prevent|notwithstanding", re.IGNORECASE)
_PRIVACY = re.compile(r"personal\s+(?:data|information)|privacy", re.IGNORECASE)
_TEMPORARY = re.compile(
    r"for\s+a\s+period\s+of|\b(?:years?|months?)\s+(?:after|from|following)\s+the\s+(?:date\s+of\s+)?entry\s+into\s+force"
    r"|with\s+respect\s+to\s+existing\s+measures|transitional",
    re.IGNORECASE,
)
_NOTHING = re.compile(
    r"\bnothing\s+in\s+this\s+(?P<what>agreement|chapter|title|section|part)\b[^.;]{0,80}?\bshall\b"
    r"|notwithstanding\s+any\s+other\s+provisions?\s+of\s+this\s+(?P<what2>agreement|chapter)",
    re.IGNORECASE,
)
_NOT_APPLY = re.compile(r"\b(?:shall|does|do)\s+not\s+apply\s+to\b|\bshall\s+not\s+be\s+applied\s+to\b", re.IGNORECASE)
_NCM = re.compile(r"non-?\s?conforming", re.IGNORECASE)
_RIGHT = re.compile(r"right\s+(?:of\s+the\s+parties\s+)?to\s+regulate", re.IGNORECASE)
_CONTEXT_HEADING = re.compile(
    r"\b(?:exceptions?|dispute\s+settlement|settlement\s+of\s+disputes|non-application\s+of\s+dispute"
    r"|essential\s+security|security|prudential\s+carve-out|right\s+to\s+regulate)\b",
    re.IGNORECASE,
)

_BINDING = re.compile(
    r"\b(?:no\s+party|neither\s+party|each\s+party|a\s+party|the\s+parties|no\s+member|each\s+member)\s+"
    r"(?:shall|must|agrees?\s+to|undertakes?\s+to)\b(?!\s+not\s+be\s+construed|\s+be\s+construed)",
    re.IGNORECASE,
)
_SELF_REF = re.compile(r"\bthis\s+(agreement|chapter|title|section|part|article|sub-section)\b", re.IGNORECASE)
_CH_LIST = re.compile(
    r"\bchapters?\s+(?P<list>(?:[A-Za-z0-9\-]+(?:\s*\([^()]{1,120}\))?)"
    r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+through\s+|\s+to\s+)"
    r"(?:chapter\s+)?[A-Za-z0-9\-]+(?:\s*\([^()]{1,120}\))?)*)",
    re.IGNORECASE,
)
_ART_LIST = re.compile(
    r"\barticles?\s+(?P<list>[A-Z]{0,8}\.?\d+(?:\.\d+)*(?:\s*\([^()]{1,120}\))?"
    r"(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+through\s+|\s+to\s+)(?:article\s+)?"
    r"[A-Z]{0,8}\.?\d+(?:\.\d+)*(?:\s*\([^()]{1,120}\))?)*)",
    re.IGNORECASE,
)
_EXCEPT = re.compile(
    r"\bexcept(?:\s+for)?\b(?P<span>.*?)(?:,\s+(?:a|each|no|the|any|nothing)\s+(?:party|parties|member)\b|[.;](?:\s|$)|$)",
    re.IGNORECASE | re.DOTALL,
)
_BASELINE_CARVE = re.compile(
    r"government\s+procurement|information\s+held\s+or\s+processed\s+by\s+or\s+on\s+behalf\s+of\s+a\s+party"
    r"|measures\s+related\s+to\s+such\s+information|including\s+measures\s+related\s+to\s+its\s+collection"
    r"|subsidies\s+or\s+grants",
    re.IGNORECASE,
)


def _self_judging(text: str) -> bool:
    """The invoking Party's own judgment decides (the lexicon's self-judging markers, as the clause reading uses)."""
    norm = normalize(text)
    return bool(active_lexicon().self_judging_markers.search(norm) or _CONSIDERS_NECESSARY.search(norm))


_CONSIDERS_NECESSARY = re.compile(r"\bconsiders? (?:to be )?necessary\b|\bdeems? appropriate\b")
"""'which it considers necessary' also reads as self-judging when the subject is a noun ('the Party concerned')."""


@lru_cache(maxsize=16384)
def classify(text: str) -> ContextKind | None:
    """What kind of context a provision is, if it is one (``None``: an ordinary provision).

    Examples:
        >>> classify("No Party shall have recourse to dispute settlement under Chapter 19 for any matter "
        ...          "arising under this Article.")
        'dispute_settlement_exclusion'
        >>> classify("Article XIV of GATS is incorporated into and made part of this Agreement, mutatis mutandis.")
        'general_exception'
        >>> classify("Articles 12.14 and 12.15 shall not apply to measures adopted under Chapter 8.")
        'scope_carve_out'
        >>> classify("No Party shall require a covered person to use computing facilities.") is None
        True
    """
    if _DS.search(text):
        return "dispute_settlement_exclusion"
    if _GATT.search(text) or (_CHAPEAU.search(text) and re.search(r"\bnothing\b|\bnot\s+be\s+construed", text, re.I)):
        return "general_exception"
    if _SECURITY.search(text) and re.search(r"\bnothing\b|\bnot\s+be\s+construed|\bmay\b|preclude|prevent", text, re.I):
        return "security_exception"
    if _PRUDENTIAL.search(text) and _PERMITS.search(text):
        return "prudential"
    if _PRIVACY.search(text) and (
        re.search(r"nothing\s+in\s+this\s+(?:agreement|chapter)[^.;]{0,60}\b(?:affect|prevent|preclude)", text, re.I)
        or re.search(
            r"\bmay\s+adopt\s+(?:and|or)\s+maintain\b[^.;]{0,80}(?:it|they)\s+(?:deems?|considers?)", text, re.I
        )
    ):
        return "privacy"
    if _NCM.search(text) and (_NOT_APPLY.search(text) or re.search(r"subject\s+to", text, re.I)):
        return "non_conforming"
    if _NOT_APPLY.search(text) and (
        re.search(r"\bthis\s+(?:chapter|section|title)\b", text, re.I) or _ART_LIST.search(text)
    ):
        return "scope_carve_out"
    if _NOTHING.search(text):
        return "nothing_in"
    if _RIGHT.search(text):
        return "right_to_regulate"
    return None


def _provisions(art: Article) -> list[tuple[str, str]]:
    """``(id, text)`` of the article's top-level provisions (the article itself when it has none)."""
    out = [(b.id, b.text) for b in art.children if not isinstance(b, Gap) and b.text]
    return out or ([(art.id, art.text)] if art.text else [])


_CONTEXT_ARTICLE: weakref.WeakKeyDictionary[Article, bool] = weakref.WeakKeyDictionary()


def is_context_article(art: Article) -> bool:
    """True for an article that only limits other provisions (exceptions, dispute settlement, carve-outs).

    Such an article is never the counterpart of a commitment. An article counts when all its
    provisions are context, or when its heading names exceptions or dispute settlement and
    none of its provisions binds by itself.

    Examples:
        >>> import tradeclauses as tc
        >>> a = tc.parse("Article 7: Exceptions\\n1. Nothing in this Chapter shall be construed to prevent a "
        ...              "Party from adopting measures necessary to protect public morals.")
        >>> is_context_article(a["7"])
        True
    """
    known = _CONTEXT_ARTICLE.get(art)
    if known is None:
        known = _CONTEXT_ARTICLE[art] = _is_context_article(art)
    return known


def _is_context_article(art: Article) -> bool:
    provisions = _provisions(art)
    if not provisions:
        return False
    kinds = [classify(t) for _, t in provisions]
    if art.heading and _CONTEXT_HEADING.search(art.heading) and any(k is not None for k in kinds):
        return True
    sentences = [x for _, t in provisions for x in re.split(r"(?<=[.;:])\s+(?=[A-Z(])", t) if x.strip()]
    if any(_BINDING.search(x) and classify(x) is None for x in sentences):
        return False  # it commits a Party to something of its own
    return all(k is not None for k in kinds) or bool(art.heading and _CONTEXT_HEADING.search(art.heading))


def heading_is_context(heading: str) -> bool:
    """True when a heading names exceptions, dispute settlement, security or a carve-out."""
    return bool(_CONTEXT_HEADING.search(heading))


# --------------------------------------------------------------------------- reach


def _split_list(text: str) -> list[str]:
    text = re.sub(r"\([^()]*\)", " ", text)
    items = re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+(?=through\s|to\s)", text)
    return [i.strip() for i in items if i.strip()]


def _chapters_named(text: str, agreement: Agreement) -> list[Chapter]:
    chapters = [c for c in agreement.chapters if c.num]
    found: list[Chapter] = []
    for m in _CH_LIST.finditer(text):
        raw = re.sub(r"\bchapter\s+", "", m["list"], flags=re.I)
        items = _split_list(raw)
        values: list[int] = []
        for item in items:
            word = re.sub(r"^(?:through|to)\s+", "", item, flags=re.I)
            v = _num_value(word)
            if v is None:
                continue
            if re.match(r"(?:through|to)\s", item, re.I) and values:
                values += list(range(values[-1] + 1, v + 1))
            else:
                values.append(v)
        for v in values:
            found += [c for c in chapters if _num_value(c.num or "") == v]
    for c in chapters:  # "..., Fourteen (Telecommunications), including ..., or Fifteen (Electronic Commerce)"
        if c.heading and c not in found:
            titled = re.search(r"\b([\w\-]+)\s*\(\s*" + re.escape(c.heading) + r"\s*\)", text, re.I)
            if titled is not None and "." not in titled[1] and _num_value(titled[1]) == _num_value(c.num or ""):
                found.append(c)
    return list(dict.fromkeys(found))


def _articles_named(text: str, agreement: Agreement) -> list[Article]:
    by_num: dict[str, list[Article]] = {}
    for a in agreement.articles:
        if a.num:
            by_num.setdefault(a.num, []).append(a)
    found: list[Article] = []
    for m in _ART_LIST.finditer(text):
        for item in _split_list(m["list"]):
            num = re.sub(r"^(?:through|to|article)\s+", "", item, flags=re.I).strip()
            found += by_num.get(num, [])[:1]
    return list(dict.fromkeys(found))


def _reach(
    text: str, art: Article, chapter: Chapter, agreement: Agreement
) -> tuple[Literal["agreement", "chapter", "articles", "article"], set[str]]:
    """What a provision reaches, as a set of article ids of ``agreement``."""
    excepted: set[str] = set()
    for m in _EXCEPT.finditer(text):
        excepted |= {c.id for c in _chapters_named(m["span"], agreement)}
    chapters = [c for c in _chapters_named(text, agreement) if c.id not in excepted]
    articles = [a for a in _articles_named(text, agreement) if a.id != art.id]
    selves = {s.lower() for s in _SELF_REF.findall(text)}
    nothing = _NOTHING.search(text)
    if nothing and not chapters and not articles:
        what = (nothing["what"] or nothing["what2"] or "").lower()
        tail = text[nothing.start() : nothing.end() + 60]
        if what == "agreement" or re.search(
            r"this\s+chapter\s+(?:and|or\s+any\s+other\s+provisions?\s+of)\s+(?:this\s+)?agreement", tail, re.I
        ):
            return "agreement", {a.id for c in agreement.chapters if c.id not in excepted for a in c.articles}
        return "chapter", {a.id for a in chapter.articles}
    if not selves and not chapters and not articles and re.search(r"\b(?:sub)?paragraphs?\s+(?:\d|\()", text, re.I):
        return "article", {art.id}
    if articles and (_NOT_APPLY.search(text) or _NCM.search(text) or _DS.search(text)):
        return "articles", {a.id for a in articles}
    if chapters and not (_NOT_APPLY.search(text) and "chapter" in selves):
        ids = {a.id for c in chapters for a in c.articles}
        if "chapter" in selves and not _GATT.search(text):
            ids |= {a.id for a in chapter.articles}
        return "chapter", ids
    if "agreement" in selves and not ({"chapter", "title", "section", "part"} & selves and _DS.search(text)):
        return "agreement", {a.id for c in agreement.chapters if c.id not in excepted for a in c.articles}
    if {"chapter", "title", "section", "part", "sub-section"} & selves:
        return "chapter", {a.id for a in chapter.articles}
    if "article" in selves or articles:
        return ("articles", {a.id for a in articles}) if articles else ("article", {art.id})
    if chapter.label in ("Body",) or len(agreement.chapters) == 1:
        return "agreement", {a.id for a in agreement.articles}
    return "chapter", {a.id for a in chapter.articles}


_READ: weakref.WeakKeyDictionary[Agreement, dict[tuple[str, ...] | None, tuple[ContextItem, ...]]] = (
    weakref.WeakKeyDictionary()
)
"""Context already read, per agreement (agreements are immutable) and part."""


def read_context(agreement: Agreement, part: Part | None = None) -> tuple[ContextItem, ...]:
    """Every context provision of ``agreement`` that reaches an article of ``part`` (read once per agreement and part).

    Args:
        agreement: the whole agreement (or the part itself: then only its own context).
        part: the part being scored (:func:`tradeclauses.parts.find_part`); ``None``: all articles.

    Returns:
        The items in document order, each naming the part's articles it reaches.
    """
    key = tuple(part.article_ids) if part is not None else None
    done = _READ.setdefault(agreement, {})
    if key not in done:
        done[key] = _read_context(agreement, part)
    return done[key]


def _read_context(agreement: Agreement, part: Part | None) -> tuple[ContextItem, ...]:
    in_part = set(part.article_ids) if part is not None else {a.id for a in agreement.articles}
    nums = {a.id: a.num or a.id for a in agreement.articles}
    out: list[ContextItem] = []
    for ch in agreement.chapters:
        for art in ch.articles:
            provisions = _provisions(art)
            kinds = [classify(t) for _, t in provisions]
            # "Such measures shall not be disputed" may stand as a sentence of its own after the exception
            shielded = any(k is None and _NON_DISPUTABLE.search(t) for (_, t), k in zip(provisions, kinds, strict=True))
            for (pid, text), kind in zip(provisions, kinds, strict=True):
                if kind is None:
                    continue
                reach, ids = _reach(text, art, ch, agreement)
                if kind in ("scope_carve_out", "non_conforming") and reach == "agreement":
                    continue  # "shall not apply to" of another subject, not a carve-out of the scored part
                hits = tuple(a for a in nums if a in ids and a in in_part)
                if not hits:
                    continue
                gatt = _GATT.search(text)
                incorporates = ""
                if gatt:
                    incorporates = "GATS Article XIV" if "xiv" in gatt.group(0).lower() else "GATT 1994 Article XX"
                quote = " ".join(text.split())
                out.append(
                    ContextItem(
                        kind=kind,
                        source_id=pid,
                        source_num=art.num or art.id,
                        source_heading=art.heading,
                        quote=quote if len(quote) <= 400 else quote[:399] + "…",
                        reach=reach,
                        applies_to=hits,
                        applies_to_nums=tuple(nums[a] for a in hits),
                        incorporates=incorporates,
                        self_judging=_self_judging(text),
                        non_disputable=bool(_NON_DISPUTABLE.search(text))
                        or (shielded and kind in ("security_exception", "general_exception")),
                        temporary=kind == "dispute_settlement_exclusion" and bool(_TEMPORARY.search(text)),
                    )
                )
    return tuple(out)


# --------------------------------------------------------------------------- the model's context

_USMCA_CORE = ("19.4", "19.11", "19.12", "19.16")

USMCA_CONTEXT: tuple[ContextItem, ...] = (
    ContextItem(
        kind="general_exception",
        source_id="usmca/ch32/art32.1",
        source_num="32.1",
        source_heading="General Exceptions",
        quote="",
        reach="chapter",
        incorporates="GATS Article XIV",
        note="USMCA Article 32.1 incorporates GATS Article XIV for Chapter 19 (not in the shipped text)",
    ),
    ContextItem(
        kind="security_exception",
        source_id="usmca/ch32/art32.2",
        source_num="32.2",
        source_heading="Essential Security",
        quote="",
        reach="agreement",
        self_judging=True,
        note="USMCA Article 32.2, self-judging essential security (not in the shipped text)",
    ),
    ContextItem(
        kind="prudential",
        source_id="usmca/ch17/art17.11",
        source_num="17.11",
        source_heading="Exceptions",
        quote="",
        reach="agreement",
        note="USMCA Article 17.11, measures for prudential reasons (not in the shipped text)",
    ),
    ContextItem(
        kind="nothing_in",
        source_id="usmca/ch32",
        source_num="32",
        source_heading="Exceptions and General Provisions",
        quote="",
        reach="agreement",
        self_judging=True,
        note="USMCA Chapter 32: taxation, balance of payments, disclosure of information, indigenous peoples "
        "(a measure 'it deems necessary', Article 32.5) (not in the shipped text)",
    ),
    ContextItem(
        kind="scope_carve_out",
        source_id="usmca/ch19/art19.2",
        source_num="19.2",
        source_heading="Scope and General Provisions",
        quote="",
        reach="chapter",
        note="USMCA Article 19.2: government procurement; information held or processed by or on behalf of a Party",
    ),
    ContextItem(
        kind="non_conforming",
        source_id="usmca/ch19/art19.2",
        source_num="19.2",
        source_heading="Scope and General Provisions",
        quote="",
        reach="articles",
        applies_to_nums=_USMCA_CORE,
        note="USMCA Article 19.2: 19.4, 19.11, 19.12 and 19.16 are subject to the non-conforming measures "
        "of Chapters 14, 15 and 17",
    ),
)
"""The context of the shipped USMCA Chapter 19 that its text does not hold (USMCA Chapter 32, Article
17.11 and Article 19.2), described, not quoted. A draft's context of the same kind and no broader costs
nothing; ``applies_to_nums`` empty means every article of Chapter 19. Supply the whole official text
(``tc.register("usmca", PATH)``) and its own context is read instead."""


def model_context(model: Agreement, part: Part | None = None) -> tuple[ContextItem, ...]:
    """The model's context: read from the model when it holds any, else :data:`USMCA_CONTEXT` for USMCA."""
    found = read_context(model, part)
    if found:
        return found
    return USMCA_CONTEXT if model.id == "usmca" else ()


# --------------------------------------------------------------------------- assessment


def _model_has(kind: ContextKind, model_nums: Sequence[str], model_items: Iterable[ContextItem]) -> ContextItem | None:
    for item in model_items:
        if item.kind != kind:
            continue
        if item.applies_to_nums and not set(model_nums) & set(item.applies_to_nums):
            continue
        return item
    return None


def _carves_more_than_model(text: str) -> bool:
    """A scope carve-out that takes out more than government procurement and government-held information."""
    rest = _BASELINE_CARVE.sub(" ", text)
    after = _NOT_APPLY.split(rest, maxsplit=1)
    tail = after[1] if len(after) > 1 else rest
    return bool(re.search(r"[a-z]{4,}", re.sub(r"\b(?:or|and|the|to|any|of|a|an|measures?)\b", " ", tail, flags=re.I)))


def assess(item: ContextItem, model_nums: Sequence[str], model_items: Sequence[ContextItem]) -> Finding | None:
    """The finding a draft's context item makes on the row of ``model_nums`` (``None``: the model has the same).

    Dispute-settlement exclusions are ``UNENFORCEABLE``; exceptions the model does not have are
    ``NEW_EXCEPTION``; exceptions broader than the model's (self-judging where the model's is
    reviewable, or shielded from dispute settlement) ``BROADENED_EXCEPTION``; carve-outs of the
    scope the model does not make ``NARROWED_SCOPE``.

    Examples:
        >>> ds = ContextItem(kind="dispute_settlement_exclusion", source_id="d/art8.2", source_num="8.2",
        ...                  quote="No Party shall have recourse to dispute settlement ...", reach="chapter")
        >>> assess(ds, ["19.11"], USMCA_CONTEXT).flag.value
        'UNENFORCEABLE'
    """
    where = f"draft Article {item.source_num}" + (f" ({item.source_heading})" if item.source_heading else "")
    base = _model_has(item.kind, model_nums, model_items)
    if item.kind == "dispute_settlement_exclusion":
        if base is not None or item.temporary:
            return None
        return Finding(
            flag=Flag.UNENFORCEABLE,
            explanation=f"{where} takes this commitment out of dispute settlement: no panel can enforce it",
            draft_evidence=item.quote,
        )
    if item.kind == "right_to_regulate":
        return None
    if item.kind in ("scope_carve_out", "non_conforming"):
        if base is not None and (item.kind == "non_conforming" or not _carves_more_than_model(item.quote)):
            return None
        return Finding(
            flag=Flag.NARROWED_SCOPE,
            explanation=f"{where} carves out of this commitment what the model does not",
            draft_evidence=item.quote,
        )
    if base is None:
        label = item.kind.replace("_", " ")
        return Finding(
            flag=Flag.NEW_EXCEPTION,
            explanation=f"{where} adds a {label}"
            + (" (self-judging)" if item.self_judging else "")
            + " that the model does not have",
            model_evidence="",
            draft_evidence=item.quote,
        )
    broader: list[str] = []
    if item.self_judging and not base.self_judging:
        broader.append("self-judging where the model's is reviewable")
    if item.non_disputable and not base.non_disputable:
        broader.append("shielded from dispute settlement")
    if broader:
        return Finding(
            flag=Flag.BROADENED_EXCEPTION,
            explanation=f"{where}: its {item.kind.replace('_', ' ')} is broader than the model's "
            f"({'; '.join(broader)})",
            model_evidence=base.quote or base.note,
            draft_evidence=item.quote,
        )
    return None
