"""Find the part of a whole agreement that corresponds to a model text.

Agreements are published whole: thirty chapters, of which one (or one section of
one) is about electronic commerce. Scoring a whole agreement against USMCA Chapter 19
would hold every "Nothing in this Chapter" of every chapter against the data-flow
article. :func:`find_part` picks the part a reader would compare:

1. **The user's choice**: ``chapter="14"``, ``chapter="FIFTEEN"``, ``chapter=15`` (an
   arabic number finds a chapter printed in words or roman numerals), or words of its
   heading (``chapter="electronic commerce"``).
2. **Headings.** The chapter whose heading names the model's subject: for a model
   chapter on digital trade, "Electronic Commerce", "Digital Trade", "Digital Economy",
   "E-Commerce"; for USMCA Chapter 17 (17.17, 17.18), "Financial Services". When the
   subject is only one of several in a heading ("Trade in Services, Establishment and
   Electronic Commerce"), the **section** of that chapter that the text heads with the
   subject is chosen (a short heading line closing the article before it, or the
   articles' ``section``), up to the next section heading.
3. **Content.** Otherwise the run of articles that speak most of the subject
   ("electronic commerce", "digital products", "cross-border transfer of information",
   "computing facilities" ...), if there is one.
4. Otherwise the whole text, and the reason says so.

A text that holds a single chapter (a draft, a chapter already selected) is its own
part. The articles outside the part are **context** (:mod:`tradeclauses.context`):
general and security exceptions, dispute settlement, reservations.

Examples:
    >>> import tradeclauses as tc
    >>> whole = tc.parse('''Chapter 1: Initial Provisions
    ... Article 1.1: Objectives
    ... 1. The objectives of this Agreement are to liberalise trade.
    ... Chapter 8: Electronic Commerce
    ... Article 8.1: Customs Duties
    ... 1. No Party shall impose customs duties on electronic transmissions.
    ... Chapter 9: Exceptions
    ... Article 9.1: Security Exceptions
    ... 1. Nothing in this Agreement shall be construed to preclude a Party from applying measures
    ... that it considers necessary for the protection of its own essential security interests.''')
    >>> part = find_part(whole)
    >>> part.label, part.article_nums, part.chosen_by
    ('Chapter 8 Electronic Commerce', ('8.1',), 'heading')
    >>> find_part(whole, chapter="exceptions").article_nums
    ('9.1',)
    >>> select_part(whole, part)
    Agreement('text', 1 articles)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

from tradeclauses._docs import FrozenModel as _Frozen
from tradeclauses.errors import ProvisionNotFoundError
from tradeclauses.ids import numeral_value
from tradeclauses.model import Agreement, Article, Chapter

__all__ = ["TOPICS", "Part", "find_chapter", "find_part", "model_topics", "select_part"]

Topic = Literal["digital", "financial"]

TOPICS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "digital": (
        re.compile(
            r"\b(?:electronic\s+commerce|e-?\s?commerce|digital\s+(?:trade|economy|products?)|ecommerce)\b", re.I
        ),
        re.compile(
            r"\b(?:electronic\s+commerce|e-commerce|digital\s+(?:trade|products?|economy)|electronic\s+transmissions?"
            r"|cross-border\s+(?:transfer\s+of\s+information|data\s+flows?|information\s+flows?)|computing\s+facilit"
            r"|electronic\s+(?:authentication|signatures?)|paperless\s+trading|unsolicited\s+commercial"
            r"|intermediary\s+service\s+providers?|information\s+society\s+services?)",
            re.I,
        ),
    ),
    "financial": (
        re.compile(r"\bfinancial\s+services?\b", re.I),
        re.compile(r"\b(?:financial\s+(?:services?|institutions?)|prudential)\b", re.I),
    ),
}
"""Subject → (heading pattern, content pattern) used to find the part of a whole agreement."""

_FRONT = frozenset({"Preamble", "Front matter"})
_SECTION_LINE = re.compile(r"^(?:(?:section|sub-section|part)\s+[A-Z0-9IVX]+\s*[:.\-–—]?\s*)?[A-Z][\w ,’'\-]{2,70}$")




class Part(_Frozen):
    """The part of an agreement compared with a model, and why it was chosen."""

    agreement_id: str
    """Id of the agreement the part is taken from."""
    label: str
    """What the part is, as a reader names it (``"Chapter 14 Electronic Commerce"``)."""
    chapters: tuple[str, ...]
    """Ids of the chapters the part's articles stand in."""
    article_ids: tuple[str, ...]
    """Ids of the part's articles, in document order."""
    article_nums: tuple[str, ...]
    """Their numbers as printed."""
    chosen_by: Literal["user", "heading", "section", "content", "single", "whole"]
    """``user`` (``chapter=``), ``heading``, ``section`` (a section headed with the subject),
    ``content`` (the articles that speak of it), ``single`` (the text holds one chapter), ``whole``
    (nothing better found: the whole text)."""
    reason: str
    """Why this part, in a sentence."""
    of_whole: bool = False
    """True when the part was taken out of a longer agreement (the rest is context)."""

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


def model_topics(model: Agreement) -> tuple[str, ...]:
    """The subjects of a model's chapters (``("digital",)`` for USMCA Chapter 19).

    Examples:
        >>> import tradeclauses as tc
        >>> model_topics(tc.load("usmca"))
        ('digital',)
    """
    found: list[str] = []
    for ch in model.chapters:
        heading = ch.heading or ""
        nums = {a.num for a in ch.articles}
        for topic, (head, _) in TOPICS.items():
            if head.search(heading) or (topic == "financial" and nums & {"17.17", "17.18"}):
                found.append(topic)
    return tuple(dict.fromkeys(found)) or ("digital",)


def _num_value(num: str) -> int | None:
    value = numeral_value(num)  # one numeral reader for the package
    return value[1] if value else None


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def find_chapter(agreement: Agreement, chapter: str | int) -> Chapter:
    """The chapter named by number (as printed, arabic for words or roman), id, or words of its heading.

    Raises:
        ProvisionNotFoundError: no chapter, or several chapters' headings, match (the message lists them).

    Examples:
        >>> import tradeclauses as tc
        >>> find_chapter(tc.load("usmca"), "digital trade").num
        '19'
    """
    wanted = str(chapter).strip()
    wanted = re.sub(r"^(?:chapter|chap\.?|title|part)\s+", "", wanted, flags=re.I)
    chapters = [c for c in agreement.chapters if c.articles or c.gaps]
    exact = [c for c in chapters if wanted in (c.num, c.id) or (c.num or "").lower() == wanted.lower()]
    if exact:
        return exact[0]
    value = _num_value(wanted)
    if value is not None:
        same = [c for c in chapters if c.num and _num_value(c.num) == value]
        if len(same) == 1:
            return same[0]
    key = _norm(wanted)
    if key:
        by_heading = [c for c in chapters if c.heading and key == _norm(c.heading)]
        if not by_heading:
            by_heading = [c for c in chapters if c.heading and re.search(rf"\b{re.escape(key)}\b", _norm(c.heading))]
        if len(by_heading) == 1:
            return by_heading[0]
        if len(by_heading) > 1:
            names = [f"{c.num}: {c.heading}" for c in by_heading]
            raise ProvisionNotFoundError(agreement.id, f"Chapter {chapter}", f"several chapters match: {names}")
    known = [f"{c.num or c.label}: {c.heading or ''}".strip() for c in chapters]
    raise ProvisionNotFoundError(agreement.id, f"Chapter {chapter}", f"chapters: {known}")


def _chapter_label(ch: Chapter) -> str:
    label = ch.label if ch.label in ("Chapter", "Annex", "Part") else "Chapter"
    return " ".join(x for x in (label, ch.num or "", ch.heading or "") if x)


def _part(
    agreement: Agreement,
    arts: Sequence[tuple[Chapter, Article]],
    label: str,
    chosen_by: Literal["user", "heading", "section", "content", "single", "whole"],
    reason: str,
) -> Part:
    total = sum(1 for ch in agreement.chapters if ch.label not in _FRONT for _ in ch.articles)
    return Part(
        agreement_id=agreement.id,
        label=label,
        chapters=tuple(dict.fromkeys(ch.id for ch, _ in arts)),
        article_ids=tuple(a.id for _, a in arts),
        article_nums=tuple(a.num or a.id for _, a in arts),
        chosen_by=chosen_by,
        reason=reason,
        of_whole=len(arts) < total,
    )


def _section_heading(art: Article) -> str | None:
    """A short unnumbered last line of an article that heads the next section ("Electronic commerce")."""
    if not art.children:
        return None
    last = art.children[-1]
    text = getattr(last, "text", "")
    short = getattr(last, "num", None) is None and text and len(text.split()) <= 8 and text[-1] not in ".;:,"
    return text if short and _SECTION_LINE.match(text) else None


def _section_run(ch: Chapter, head: re.Pattern[str], content: re.Pattern[str]) -> tuple[list[Article], str] | None:
    """The articles of the section of ``ch`` headed with the subject, if the chapter marks its sections.

    A section starts after a marker that names the subject (the articles' ``section``, or a
    short heading line closing the article before) and runs to the next marker of another
    subject, unless that marker heads a sub-section ("Sub-section 2 ...") or the article after
    it still speaks of the subject.
    """
    arts = list(ch.articles)
    start: int | None = None
    name = ""
    for i, art in enumerate(arts):
        marker = art.section if art.section and (i == 0 or arts[i - 1].section != art.section) else None
        opened = marker or (_section_heading(arts[i - 1]) if i else None)
        if not opened:
            continue
        if start is None:
            if head.search(opened):
                start, name = i, opened
        elif not head.search(opened):
            if re.match(r"sub-?\s?section\b", opened, re.I) or _content_hits(art, content):
                continue
            return arts[start:i], name
    if start is None:
        return None
    return arts[start:], name


def _content_hits(art: Article, pattern: re.Pattern[str]) -> int:
    return len(pattern.findall(f"{art.heading or ''} {art.text}"))


def find_part(
    agreement: Agreement,
    model: Agreement | None = None,
    *,
    chapter: str | int | Sequence[str | int] | None = None,
) -> Part:
    """The part of ``agreement`` to compare with ``model`` (by default the USMCA model), and why.

    Args:
        agreement: the agreement (whole, or already one chapter).
        model: the model text; its chapters' headings give the subject(s) looked for
            (:func:`model_topics`). ``None``: digital trade.
        chapter: the user's choice: a chapter number, id, or words of its heading (or
            several, for a model of several chapters). Overrides the search.

    Raises:
        ProvisionNotFoundError: ``chapter`` names no chapter.
    """
    if chapter is not None:
        wanted = [chapter] if isinstance(chapter, str | int) else list(chapter)
        chosen = [find_chapter(agreement, c) for c in wanted]
        arts = [(ch, a) for ch in chosen for a in ch.articles]
        label = "; ".join(_chapter_label(ch) for ch in chosen)
        return _part(agreement, arts, label, "user", "chosen with chapter=")
    body = [ch for ch in agreement.chapters if ch.articles and ch.label not in _FRONT]
    everything = [(ch, a) for ch in agreement.chapters for a in ch.articles]
    if len(body) <= 1:
        label = _chapter_label(body[0]) if body and body[0].label != "Body" else "the whole text"
        return _part(agreement, everything, label, "single", "the text holds a single chapter")
    topics = model_topics(model) if model is not None else ("digital",)
    pieces: list[tuple[list[tuple[Chapter, Article]], str, str, str]] = []
    for topic in topics:
        head, content = TOPICS[topic]
        named = [ch for ch in body if ch.heading and head.search(ch.heading)]
        only = [ch for ch in named if _only_subject(ch.heading or "", head)]
        found: tuple[list[tuple[Chapter, Article]], str, str, str] | None = None
        if len(only) == 1:
            ch = only[0]
            found = (
                [(ch, a) for a in ch.articles],
                _chapter_label(ch),
                "heading",
                f"its heading names the {topic} subject",
            )
        for ch in named if found is None else ():
            run = _section_run(ch, head, content)
            if run:
                section, name = run
                label = f"section {name!r} of {_chapter_label(ch)}"
                found = ([(ch, a) for a in section], label, "section", f"the section headed {name!r}")
                break
        if found is None:
            found = _by_content(named, content, topic)
        if found is None and len(named) == 1:
            ch = named[0]
            found = (
                [(ch, a) for a in ch.articles],
                _chapter_label(ch),
                "heading",
                f"its heading names the {topic} subject",
            )
        if found is None:
            found = _by_content(body, content, topic)
        if found is not None:
            pieces.append(found)
    if not pieces:
        return _part(
            agreement,
            everything,
            "the whole text",
            "whole",
            f"no chapter, section or run of articles on {' or '.join(topics)} found; the whole text is compared",
        )
    arts = [x for p in pieces for x in p[0]]
    chosen_by = pieces[0][2]
    return _part(
        agreement,
        arts,
        "; ".join(p[1] for p in pieces),
        chosen_by,  # type: ignore[arg-type]
        "; ".join(p[3] for p in pieces),
    )


def _only_subject(heading: str, head: re.Pattern[str]) -> bool:
    """True when the heading is about the subject alone (not "Services, Establishment and E-Commerce")."""
    rest = head.sub(" ", heading)
    return not re.search(
        r"[A-Za-z]{4,}", re.sub(r"\b(?:and|chapter|on|the|of|trade|provisions?)\b", " ", rest, flags=re.I)
    )


def _by_content(
    body: Iterable[Chapter], content: re.Pattern[str], topic: str
) -> tuple[list[tuple[Chapter, Article]], str, str, str] | None:
    """The contiguous run of articles (in one chapter) that mention the subject most."""
    best: tuple[int, Chapter, int, int] | None = None
    for ch in body:
        hits = [_content_hits(a, content) for a in ch.articles]
        i = 0
        while i < len(hits):
            if hits[i] == 0:
                i += 1
                continue
            j = i
            while j + 1 < len(hits) and (hits[j + 1] or (j + 2 < len(hits) and hits[j + 2])):
                j += 1
            total = sum(hits[i : j + 1])
            if best is None or total > best[0]:
                best = (total, ch, i, j)
            i = j + 1
    if best is None or best[0] < 4:
        return None
    total, ch, i, j = best
    hits = [_content_hits(a, content) for a in ch.articles]
    while i < j and hits[i] < 2:  # a passing mention before the run is the end of the section before
        i += 1
    arts = ch.articles[i : j + 1]
    nums = f"Articles {arts[0].num}-{arts[-1].num}" if len(arts) > 1 else f"Article {arts[0].num}"
    return (
        [(ch, a) for a in arts],
        f"{nums} of {_chapter_label(ch)}",
        "content",
        f"these articles speak most of the {topic} subject ({total} mentions)",
    )


def select_part(agreement: Agreement, part: Part) -> Agreement:
    """The agreement holding only the part's articles (ids unchanged)."""
    keep = set(part.article_ids)
    chapters = tuple(
        ch.replace(articles=tuple(a for a in ch.articles if a.id in keep))
        for ch in agreement.chapters
        if any(a.id in keep for a in ch.articles)
    )
    return agreement.replace(chapters=chapters)
