"""The ToTA reader: *Texts of Trade Agreements* XML (``<treaty><meta/><body/></treaty>``).

ToTA (Alschner, Seiermann and Skougarevskiy, 2017) holds 450 preferential trade
agreements as XML with a two-level structure, ``chapter`` → ``article``, and metadata
from the WTO RTA database. Article bodies are flat text converted from PDFs (partly by
OCR), with the PDF's line breaks. This reader:

* maps ``<meta>`` to the agreement: ``name`` → ``title``, ``parties`` → ISO codes,
  ``date_signed``, ``date_into_force``, ``language``, ``source`` URLs; the other fields
  (``type``, ``status``, ``wto_rta_id``, ``treaty_identifier``, ...) go to ``metadata``;
  the agreement id is ``tota-<treaty_identifier>`` unless one is given;
* maps chapters (``number="CHAPTER 14"`` → num ``"14"``; ``Preamble``; ``TITLE II`` →
  a ``Part``; ``Conclusion``) and articles (``number="ARTICLE 14.11"`` → num
  ``"14.11"``, ``name`` → heading, kept as ToTA prints it, title-cased);
* recovers paragraphs, subparagraphs and definitions from the flat text with the text
  reader's machinery (:mod:`tradeclauses.read.text`), one chapter at a time;
* lifts out footnotes that the PDF conversion dropped into the running text, often in
  the middle of a sentence or inside the next article (``7 The Parties recognise ...``
  between "disguised restriction" and "on trade; and"), rejoins the sentence, and
  places each footnote where its marker is:

  - a number glued to a word (``covered person1``, ``electronically;2, 3``) becomes a
    ``[^N]`` mark there;
  - a stray marker on a line of its own inside a sentence (``network`` / ``7`` /
    ``management;``) goes at the end of the line that follows it; after a finished
    sentence, at the end of that sentence; as the last line of an article, on the
    heading of the next article (where PDF headings put their markers);
  - a footnote with no visible marker is held on the heading of the article where its
    text stands, with a note saying so.

Everything in an article body ends up in a node, in ``Agreement.removed`` (page
numbers and running heads) or in ``Agreement.unparsed`` (a chapter that could not be
read, with the reason). The body of an article is all the text inside the element,
inline elements included (``shall <b>not</b> prohibit``); XML comments, processing
instructions and XInclude elements are listed in ``unparsed``, as is any text of the
body that stands outside an ``<article>`` (text or unknown elements in a chapter).

Examples:
    >>> xml = b'''<treaty><meta><name>A - B</name><treaty_identifier>7</treaty_identifier>
    ... <parties><partyisocode n="1">AUS</partyisocode><partyisocode n="2">CHL</partyisocode></parties>
    ... <date_signed>2008-07-30</date_signed><language>en</language></meta><body>
    ... <chapter number="CHAPTER 1" name="General"><article number="ARTICLE 1.1" name="Objectives">1. The
    ... objectives of this Agreement1 are:
    ...
    ... (a) to liberalise trade; and
    ...
    ... 1 For greater certainty, this is a footnote.
    ...
    ... (b) to promote co-operation.</article></chapter></body></treaty>'''
    >>> a = read_tota(xml)
    >>> a.id, a.parties, str(a.date_signed)
    ('tota-7', ('AUS', 'CHL'), '2008-07-30')
    >>> art = a["1.1"]
    >>> art.heading, art.paragraphs[0].intro, [c.num for c in art.paragraphs[0].children]
    ('Objectives', 'The objectives of this Agreement[^1] are:', ['(a)', '(b)'])
    >>> art.footnotes[0].text
    'For greater certainty, this is a footnote.'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from tradeclauses import ids
from tradeclauses.errors import ParseError, ReadError, UnsupportedFormatError
from tradeclauses.model import Agreement, Block, Chapter, Definition, Gap, Residue
from tradeclauses.read._xml import gather_text, parse_xml
from tradeclauses.read.text import _Builder, _Ch, _Reader

__all__ = ["looks_like_tota", "read_tota"]

_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)?(?:<!--.*?-->\s*)*<treaty[\s>/]",
    re.DOTALL,
)
_NUM_ATTR = re.compile(r"^(?P<word>[^\W\d_]*)\s*[:\-–.]?\s*(?P<num>.*?)\s*$")
_FN_LINE = re.compile(r"^\s*(?P<num>\d{1,3})\s+(?P<rest>[A-Z“\"‘'(][^\n]{8,})$")
_STRAY = re.compile(r"^\s*(?!\d{1,3}(?:,\d{3})+\s*$)(?P<nums>\d{1,3}(?:\s*,\s*\d{1,3})*)\s*$")
"""A line of footnote markers (``7``, ``2, 3``); not a number with thousands separators (``1,621,249``)."""
_PARA_NUM = re.compile(r"^\s*(?P<num>\d{1,3})\.\s")
_LABEL_START = re.compile(r"^\s*(?:\(\w{1,4}\)|\d{1,3}\.(?:\d+)*\s|[a-z]\)\s)")
_ESCAPE = re.compile(
    r"^\s*(?:(?:chapter|annex|preamble|article|art\.|section|part|foot\s?notes?|notes?|endnotes?)\b|#|\[\[|\[\^)",
    re.IGNORECASE,
)
_LEADING_NUM = re.compile(r"^\s*(?P<num>\d{1,3})(?P<dot>[.)])?\s+\S")
_NOT_HEADING = "\ufdd0"  # a noncharacter, never in a text: marks a line that only looks like a heading
_TERMINAL = frozenset(".;:!?")
_WORD_LABELS = {
    "CHAPTER": "Chapter",
    "CAPÍTULO": "Chapter",
    "CAPITULO": "Chapter",
    "CHAPITRE": "Chapter",
    "TITLE": "Part",
    "TÍTULO": "Part",
    "TITULO": "Part",
    "TITRE": "Part",
    "PART": "Part",
    "PARTE": "Part",
    "PARTIE": "Part",
    "SECTION": "Part",
    "ANNEX": "Annex",
    "ANEXO": "Annex",
    "ANNEXE": "Annex",
}
_META_MAIN = frozenset({"name", "date_signed", "date_into_force", "language", "parties", "source"})


def looks_like_tota(head: bytes) -> str | None:
    """Content sniffer: ``"tota"`` if the document's root element is ``<treaty>``.

    Examples:
        >>> looks_like_tota(b'<?xml version="1.0"?>\\n<treaty><meta>')
        'tota'
        >>> looks_like_tota(b"<akomaNtoso/>") is None
        True
    """
    return "tota" if _ROOT.match(head) else None


# --- the text of one chapter, with footnotes lifted out -----------------------------------


@dataclass
class _ArtSrc:
    """One ``<article>`` of the XML, as lines being cleaned."""

    num: str | None
    label: str
    heading: str | None
    line: int
    lines: list[str]
    heading_marks: list[str] = field(default_factory=list)
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    escaped: bool = False


@functools.lru_cache(maxsize=512)
def _glued(num: str) -> re.Pattern[str]:
    return re.compile(
        r"(?=\d)(?:(?<=[A-Za-z])|(?<=[A-Za-z][.;:,)”’\"])|(?<=\)[.;:,]))" + num + r"(?![\d.]?\d)(?=[\s,;.:)]|$)"
    )


_ANY_GLUED = re.compile(
    r"(?=\d)(?:(?<=[A-Za-z])|(?<=[A-Za-z][.;:,)”’\"])|(?<=\)[.;:,]))(\d{1,3})(?![\d.]?\d)(?=[\s,;.:)]|$)"
)


def _mid_sentence(line: str) -> bool:
    t = line.rstrip().rstrip("”’\"'")
    return bool(t) and t[-1] not in _TERMINAL


def _lift_footnotes(arts: list[_ArtSrc], last_fn: int) -> int:
    """Find footnote texts among the lines, move them to their articles; return the last number."""
    # 1. footnote text lines: "N Text..." in the running sequence of footnote numbers
    found: list[tuple[int, int, str, str]] = []  # (article index, line index, num, text)
    nxt = last_fn + 1
    stray_nums = {
        n.strip() for art in arts for line in art.lines if (m := _STRAY.match(line)) for n in m["nums"].split(",")
    }
    glued: set[str] | None = None
    for ai, art in enumerate(arts):
        last_para = 0
        for li, line in enumerate(art.lines):
            pm = _PARA_NUM.match(line)
            if pm:
                last_para = int(pm["num"])
                continue
            m = _FN_LINE.match(line)
            if not m:
                continue
            n = int(m["num"])
            if n != nxt and not (n == 1 and not found):
                continue
            if glued is None:
                glued = {g for a in arts for x in a.lines if not _FN_LINE.match(x) for g in _ANY_GLUED.findall(x)}
            evidence = m["num"] in stray_nums or m["num"] in glued
            if not evidence and (not found or n == last_para + 1):
                continue  # no marker anywhere, and not in a run of footnotes: text, not a footnote
            found.append((ai, li, m["num"], m["rest"].strip()))
            nxt = n + 1
    if not found:
        return last_fn
    # 2. take the footnote lines (and their continuation lines) out of the text
    holder: dict[str, int] = {}
    texts: dict[str, str] = {}
    by_art: dict[int, list[tuple[int, str]]] = {}
    for ai, li, num, rest in found:
        by_art.setdefault(ai, []).append((li, num))
        texts[num] = rest
        holder[num] = ai
    for ai, items in by_art.items():
        lines = arts[ai].lines
        drop: set[int] = set()
        for li, num in items:
            drop.add(li)
            j = li + 1
            text = texts[num]
            while (
                j < len(lines)
                and lines[j].strip()
                and _mid_sentence(text)
                and not _LABEL_START.match(lines[j])
                and not _FN_LINE.match(lines[j])
                and not _STRAY.match(lines[j])
            ):
                text += " " + lines[j].strip()
                drop.add(j)
                j += 1
            texts[num] = text
        arts[ai].lines = _rejoin(lines, drop)
    # 3. markers: glued digits, stray lines, or none (the heading of the article)
    for num in sorted(texts, key=int):
        owner = _place_marker(arts, num, holder[num])
        arts[owner].footnotes.append((num, texts[num]))
    return int(max(texts, key=int))


def _rejoin(lines: list[str], drop: set[int]) -> list[str]:
    """Remove the lines in ``drop``; where they split a sentence, join its two halves."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i not in drop:
            out.append(lines[i])
            i += 1
            continue
        while i < len(lines) and (i in drop or not lines[i].strip()):
            i += 1
        prev = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
        if prev is not None and i < len(lines) and _mid_sentence(out[prev]) and not _LABEL_START.match(lines[i]):
            del out[prev + 1 :]
            out[prev] = out[prev].rstrip() + " " + lines[i].strip()
            i += 1
        else:
            out.append("")
    return out


def _place_marker(arts: list[_ArtSrc], num: str, holder: int) -> int:
    """Put a ``[^num]`` mark where the footnote's marker is; return the owning article."""
    pat = _glued(num)
    follow = re.compile(r"(?<=\])\s?,\s?" + num + r"(?![\d.]?\d)(?=[\s,;.:)]|$)")
    order = list(range(holder, -1, -1)) + list(range(holder + 1, len(arts)))
    for ai in order:
        lines = arts[ai].lines
        for li in range(len(lines) - 1, -1, -1):
            line = lines[li]
            if num not in line:
                continue
            m = follow.search(line) if "[^" in line else None
            m = m or pat.search(line)
            if m:
                lines[li] = line[: m.start()] + f"[^{num}]" + line[m.end() :]
                return ai
    for ai in order:
        lines = arts[ai].lines
        for li, line in enumerate(lines):
            m = _STRAY.match(line)
            if not m or num not in [n.strip() for n in m["nums"].split(",")]:
                continue
            rest = [n.strip() for n in m["nums"].split(",") if n.strip() != num]
            lines[li] = ", ".join(rest)
            prev = next((k for k in range(li - 1, -1, -1) if lines[k].strip()), None)
            after = next((k for k in range(li + 1, len(lines)) if lines[k].strip()), None)
            if after is None and ai + 1 < len(arts):
                arts[ai + 1].heading_marks.append(num)
                arts[ai + 1].notes.append(f"footnote {num}: marker inferred on the heading (ToTA shows it before it)")
                return ai + 1
            if prev is not None and after is not None and _mid_sentence(lines[prev]):
                if not _LABEL_START.match(lines[after]):
                    lines[prev] = lines[prev].rstrip() + " " + lines[after].strip() + f"[^{num}]"
                    del lines[prev + 1 : after + 1]
                else:
                    lines[prev] = lines[prev].rstrip() + f"[^{num}]"
                return ai
            if prev is not None:
                lines[prev] = lines[prev].rstrip() + f"[^{num}]"
                return ai
            if after is not None:
                lines[after] = lines[after].rstrip() + f"[^{num}]"
                return ai
    arts[holder].heading_marks.append(num)
    arts[holder].notes.append(f"footnote {num}: no marker in the source; held on the heading")
    return holder


def _join_wraps(lines: list[str]) -> list[str]:
    """Join lines that the PDF wrapped: a line runs on into the line right below it.

    In ToTA, blocks are separated by blank lines; a line directly below another that
    ends mid-sentence (or in a comma, when the line below starts in lowercase) is the
    same sentence. The text reader alone would take a short line followed by a
    capitalised one for a paragraph title, and a lowercase line after a comma for words
    closing a list (``but does not include ...``).
    """
    out: list[str] = []
    for line in lines:
        prev = out[-1].rstrip() if out else ""
        if (
            prev
            and line.strip()
            and not _LABEL_START.match(line)
            and not _STRAY.match(line)
            and not _STRAY.match(prev)
            and not _FN_LINE.match(line)
            and (_mid_sentence(prev) if not prev.endswith(",") else line.lstrip()[:1].islower())
        ):
            out[-1] = prev + " " + line.strip()
        else:
            out.append(line)
    return out


def _chapter_text(arts: list[_ArtSrc]) -> tuple[str, list[int]]:
    """The text fed to the reader, and the XML line of each of its lines."""
    out: list[str] = []
    where: list[int] = []
    for k, art in enumerate(arts, 1):
        marks = "".join(f"[^{n}]" for n in art.heading_marks)
        out += ["", f"Article {k}: X{marks}"]
        where += [art.line, art.line]
        if not any(line.strip() for line in art.lines):
            out.append("[[MISSING: ToTA holds no text for this article]]")
            where.append(art.line)
        last_para = 0
        art.lines = _join_wraps(art.lines)
        for i, line in enumerate(art.lines):
            lead = _LEADING_NUM.match(line)
            if lead is not None:
                n = int(lead["num"])
                if lead["dot"] or n == last_para + 1:
                    last_para = n
                else:
                    # "90 days after ...": a wrapped line, not a paragraph or a footnote
                    art.escaped = True
                    line = _NOT_HEADING + line  # noqa: PLW2901
            elif _ESCAPE.match(line):
                art.escaped = True
                line = _NOT_HEADING + line  # noqa: PLW2901 - a line that would read as a heading
            out.append(line)
            where.append(art.line + i)
        for num, text in art.footnotes:
            out.append(f"[^{num}] {text}")
            where.append(art.line)
    return "\n".join(out), where


# --- metadata and numbers -----------------------------------------------------------------


def _num_attr(value: str | None) -> tuple[str, str | None]:
    """Split ``"CHAPTER 14"`` into ``("CHAPTER", "14")``; ``"10.14"`` into ``("", "10.14")``."""
    if not value or not value.strip():
        return "", None
    m = _NUM_ATTR.match(value.strip())
    if m is None:  # pragma: no cover - the pattern matches any string
        return "", value.strip()
    num = m["num"].strip(" :.-–") or None
    return m["word"], num


def _article_label(word: str) -> str:
    up = word.upper()
    if up.startswith("ARTÍ") or up.startswith("ARTICULO"):
        return "Artículo"
    if not up or up.startswith("ART"):
        return "Article"
    return word.capitalize()


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _meta(meta: etree._Element | None, path: str | None) -> tuple[dict[str, object], str | None]:
    out: dict[str, object] = {}
    other: list[tuple[str, str]] = []
    sources: list[str] = []
    treaty_id: str | None = None
    if meta is None:
        return {"title": "Untitled ToTA agreement"}, None
    for el in meta:
        if not isinstance(el.tag, str):
            continue
        tag = el.tag
        text = gather_text(el, [], path=path).strip() if tag not in ("parties", "parties_original") else ""
        if tag == "treaty_identifier":
            treaty_id = text or None
        if tag in ("parties", "parties_original"):
            found = (gather_text(p, [], path=path).strip() for p in el if isinstance(p.tag, str))
            codes = tuple(c for c in found if c)
            if tag == "parties":
                out["parties"] = codes
            else:
                other.append((tag, " ".join(codes)))
            continue
        if tag == "name":
            out["title"] = text or "Untitled ToTA agreement"
        elif tag == "date_signed":
            out["date_signed"] = _date(text)
        elif tag == "date_into_force":
            out["date_in_force"] = _date(text)
        elif tag == "language":
            out["language"] = text or None
        elif tag == "source":
            if text:
                sources.append(text.rstrip("'"))
                other.append((f"source ({el.get('lang', '?')}, {el.get('type', '?')})", text.rstrip("'")))
            continue
        if tag not in _META_MAIN and text:
            other.append((tag, text))
        if tag in ("date_signed", "date_into_force", "language") and text:
            other.append((tag, text))
    out.setdefault("title", "Untitled ToTA agreement")
    out["sources"] = tuple(sources)
    out["metadata"] = (("corpus", "ToTA (Texts of Trade Agreements)"), *other)
    return out, treaty_id


# --- the reader -------------------------------------------------------------------------------


def _reset(reader: _Reader) -> None:
    reader.section = None
    reader.in_fn_section = False
    reader.pending_heading_for = None
    reader.md_headings = set()
    reader.after_blank = False
    reader.reset_text()


def read_tota(
    data: bytes,
    *,
    path: str | None = None,
    agreement_id: str | None = None,
) -> Agreement:
    """Read one ToTA XML file into an :class:`Agreement`.

    Args:
        data: the XML.
        path: where it came from (errors, ``sources``).
        agreement_id: the agreement id; by default ``tota-<treaty_identifier>``.

    Raises:
        UnsupportedFormatError: the root element is not ``<treaty>``.
        UnsafeInputError: entities or DTDs in the XML; InputTooLargeError for oversized input.
        ParseError: malformed XML.

    Examples:
        >>> a = read_tota(b"<treaty><meta><name>X</name><treaty_identifier>9</treaty_identifier></meta><body>"
        ...               b"<chapter name='Preamble'><article>The Parties agree.</article></chapter></body></treaty>")
        >>> a.chapters[0].label, a.articles[0].text
        ('Preamble', 'The Parties agree.')
    """
    root = parse_xml(data, path=path, keep_pis=True)
    if root.tag != "treaty":
        found = etree.QName(root).localname
        raise UnsupportedFormatError(f"not a ToTA document: the root element is <{found}>, not <treaty>", path=path)
    meta, treaty_id = _meta(root.find("meta"), path)
    if agreement_id:
        aid = ids.slug(agreement_id)
    elif treaty_id:
        aid = f"tota-{ids.slug(treaty_id)}"
    elif path:
        aid = ids.slug(Path(path).stem)
    else:
        aid = "tota"
    if path:
        meta["sources"] = (*meta.get("sources", ()), path)  # type: ignore[misc]
    reader = _Reader(path)
    relabel: list[str] = []
    escaped: list[set[int]] = []
    last_fn = 0
    body = root.find("body")
    set_aside: list[Residue] = []
    chapters = [] if body is None else [c for c in body if isinstance(c.tag, str) and c.tag == "chapter"]
    if body is not None:
        _outside(body, "chapter", set_aside, path)
    _outside(root, ("meta", "body"), set_aside, path)
    for chapter in chapters:
        word, num = _num_attr(chapter.get("number"))
        name = (chapter.get("name") or "").strip() or None
        label = _WORD_LABELS.get(word.upper(), word.capitalize() or "Chapter")
        if num is None and name and name.lower() in ("preamble", "conclusion", "conclusions"):
            label = "Preamble" if name.lower() == "preamble" else "Conclusion"
        heading = None if label in ("Preamble", "Conclusion") else name
        arts: list[_ArtSrc] = []
        _outside(chapter, "article", set_aside, path)
        for el in chapter:
            if not isinstance(el.tag, str) or el.tag != "article":
                continue
            aword, anum = _num_attr(el.get("number"))
            text = gather_text(el, set_aside, path=path).replace("\r\n", "\n").replace("\r", "\n")
            arts.append(
                _ArtSrc(
                    num=anum,
                    label=_article_label(aword),
                    heading=(el.get("name") or "").strip() or None,
                    line=el.sourceline or 0,
                    lines=text.split("\n"),
                )
            )
        last_fn = _lift_footnotes(arts, last_fn)
        text, where = _chapter_text(arts)
        build_label = "Annex" if label == "Annex" else "Chapter"
        ch = _Ch(num, heading, build_label, chapter.sourceline or 0)
        reader.chapters.append(ch)
        first_removed = len(reader.removed)
        _reset(reader)
        try:
            reader.run(text)
        except ReadError as exc:
            del reader.chapters[reader.chapters.index(ch) :]
            reader.unparsed.append(
                Residue(line=chapter.sourceline, text=text, reason=f"chapter could not be read: {exc.message}")
            )
            continue
        if reader.chapters[-1] is not ch or len(ch.articles) != len(arts):  # pragma: no cover - escaped above
            msg = f"the text of chapter {num or name} was read as {len(ch.articles)} articles, not {len(arts)}"
            raise ParseError(msg, path=path, line=chapter.sourceline)
        ch.label = label if label in ("Preamble", "Annex") else "Chapter"
        for art, src in zip(ch.articles, arts, strict=True):
            art.num = src.num
            art.heading = src.heading
            art.label = src.label
            art.notes.extend(src.notes)
            art.heading_gap = None
        reader.removed[first_removed:] = [
            r.replace(line=where[r.line - 1] if r.line and r.line <= len(where) else r.line)
            for r in reader.removed[first_removed:]
        ]
        relabel.append(label)
        escaped.append({k for k, src in enumerate(arts) if src.escaped})
    reader.unparsed.extend(sorted(set_aside, key=lambda r: r.line or 0))
    agreement = _Builder(aid, reader).build(meta)
    return _finish(agreement, relabel, escaped)


def _outside(parent: etree._Element, child: str | tuple[str, ...], out: list[Residue], path: str | None) -> None:
    """Report what ``parent`` holds besides its ``<child>`` elements: stray text, other elements."""
    known = (child,) if isinstance(child, str) else child
    where = etree.QName(parent).localname
    stray = [(parent.sourceline, parent.text)]
    for el in parent:
        if isinstance(el.tag, str) and el.tag in known:
            stray.append((el.sourceline, el.tail))
            continue
        found: list[Residue] = []
        words = gather_text(el, found, path=path)  # a comment or instruction goes to ``found``
        if isinstance(el.tag, str) and words.strip():
            name = etree.QName(el).localname
            out.append(Residue(line=el.sourceline, text=words.strip(), reason=f"<{name}> in <{where}> is not read"))
        out.extend(found)
        stray.append((el.sourceline, el.tail))
    for line, loose in stray:
        if loose and loose.strip():
            out.append(Residue(line=line, text=loose.strip(), reason=f"text in <{where}> outside any <{known[-1]}>"))


def _finish(agreement: Agreement, labels: list[str], escaped: list[set[int]]) -> Agreement:
    """Give chapters their ToTA labels; take out the escape characters used while reading."""
    chapters: list[Chapter] = []
    for ch, label, marked in zip(agreement.chapters, labels, escaped, strict=True):
        changes: dict[str, object] = {}
        if marked:
            changes["articles"] = tuple(
                a.replace(children=tuple(_scrub(c) for c in a.children)) if k in marked else a
                for k, a in enumerate(ch.articles)
            )
        if ch.label != label:
            changes["label"] = label
        chapters.append(ch.replace(**changes) if changes else ch)
    if all(new is old for new, old in zip(chapters, agreement.chapters, strict=True)):
        return agreement  # nothing to change: no second validation of the whole agreement
    return agreement.replace(chapters=tuple(chapters))


def _scrub(node: Block) -> Block:
    """A copy of ``node`` without the marks that escaped heading-like lines."""
    if isinstance(node, Gap):
        return node
    changes: dict[str, object] = {
        name: value.replace(_NOT_HEADING, "")
        for name in ("intro", "wrap_up", "heading")
        if isinstance(value := getattr(node, name), str) and _NOT_HEADING in value
    }
    if isinstance(node, Definition) and _NOT_HEADING in node.term:
        changes["term"] = node.term.replace(_NOT_HEADING, "")
    if node.children:
        changes["children"] = tuple(_scrub(c) for c in node.children)
    return node.replace(**changes) if changes else node
