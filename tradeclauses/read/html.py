"""The HTML reader: the main content of a web page, as text for the text reader.

Web pages of treaty texts (government sites, legal databases) wrap the text in
navigation, banners and scripts. This reader, with the hardened parser of
:mod:`tradeclauses.read._xml`:

* keeps the main content: ``<main>``, else ``<article>`` or an element with
  ``role="main"``, else ``<body>``; drops ``script``, ``style``, ``nav``, ``header``,
  ``footer``, ``aside``, ``form``, ``noscript``, ``template`` and ``button``; the
  words of the page furniture among them (navigation, headers, footers, asides, forms)
  are kept in ``Agreement.removed``, so nothing shown on the page goes unaccounted;
* writes every block element (``p``, ``div``, ``h1``-``h6``, ``li``, ``tr``, ...) on
  its own line, so headings such as ``<h2>Article 19.11: ...</h2>`` are seen as such;
* gives ``<ol>`` items the number the browser shows (``start``, ``type`` ``1 a A i I``,
  ``value``, ``reversed`` is not supported): ``1.`` at the top level, ``(a)`` for
  letters and ``(i)`` for roman numerals;
* turns footnote references (a link to ``#id`` whose text is a number, often in
  ``<sup>``) into ``[^N]`` marks, and the elements they point to into footnote texts
  (their back-links dropped).

Examples:
    >>> a = read_html(b"<html><body><nav>Menu</nav><h2>Article 1: Scope</h2>"
    ...               b"<ol><li>This applies.<sup><a href='#f1'>1</a></sup></li></ol>"
    ...               b"<ol class='notes'><li id='f1'>A note. <a href='#r1'>&#8617;</a></li></ol></body></html>")
    >>> a["1"].paragraphs[0].intro, a["1"].footnotes[0].text
    ('This applies.[^1]', 'A note.')
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from tradeclauses.errors import InputTooLargeError
from tradeclauses.model import Agreement, Residue
from tradeclauses.read._xml import parse_html
from tradeclauses.read.docx import format_number
from tradeclauses.read.text import read_text

__all__ = ["html_lines", "read_html"]

_DROP = frozenset({"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "button",
                   "iframe", "svg", "select", "head"})  # fmt: skip
_FURNITURE = frozenset({"nav", "header", "footer", "aside", "form", "noscript", "button", "select"})
"""Dropped elements whose words a reader of the page sees: kept in ``removed``."""
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "dd", "dt",
                    "section", "article", "main", "table", "ol", "ul", "dl", "pre", "br", "hr", "td", "th",
                    "figure", "figcaption", "address", "center"})  # fmt: skip
_BACKLINK = re.compile(r"^\s*(?:↩|↑|\^|back|return)\s*\S?\s*$", re.IGNORECASE)
_STRUCTURE = re.compile(r"^(?:Article|ARTICLE|Chapter|CHAPTER|Annex|ANNEX|Section|SECTION|Part|PART)\s+\S")
_TYPES = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def _main(root: etree._Element) -> etree._Element:
    for xpath in ("//main", "//*[@role='main']", "//article"):
        found = root.xpath(xpath)
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            return found[0]
    body = root.find("body")
    return body if body is not None else root


def _note_ref(el: etree._Element) -> str | None:
    """The footnote number if ``el`` is a reference to a footnote (``<a href='#fn5'>5</a>``)."""
    if el.tag == "a":
        href = el.get("href", "")
        text = "".join(el.itertext()).strip().strip("[]")
        if href.startswith("#") and text.isdigit():
            return text
    if el.tag == "sup":
        links = list(el.iter("a"))
        text = "".join(el.itertext()).strip().strip("[]")
        if links and text.isdigit() and links[0].get("href", "").startswith("#"):
            return text
    return None


class _Walker:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.targets: dict[str, str] = {}
        self.notes: list[tuple[str, etree._Element]] = []
        self.skip: set[etree._Element] = set()

    def find_notes(self, main: etree._Element) -> None:
        ids = {el.get("id"): el for el in self.root.iter() if isinstance(el.tag, str) and el.get("id")}
        for el in main.iter():
            if not isinstance(el.tag, str):
                continue
            num = _note_ref(el)
            if num is None:
                continue
            links = [el] if el.tag == "a" else list(el.iter("a"))
            target = ids.get(links[0].get("href", "")[1:]) if links else None
            if target is not None and target not in self.skip and not any(a is target for a in el.iterancestors()):
                self.notes.append((num, target))
                self.skip.add(target)

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", "".join(self.buf)).strip()
        self.buf.clear()
        if text:
            self.lines.extend(part.strip() for part in text.split("\n") if part.strip())

    def walk(self, el: etree._Element, depth: int = 0) -> None:
        if not isinstance(el.tag, str) or el.tag in _DROP or el in self.skip:
            self.tail(el)
            return
        num = _note_ref(el)
        if num is not None:
            self.buf.append(f"[^{num}]")
            self.tail(el)
            return
        block = el.tag in _BLOCK
        if block:
            self.flush()
        if el.tag == "br":
            self.buf.append("\n")
        if el.tag == "ol":
            self.ordered(el, depth)
        else:
            self.buf.append(el.text or "")
            for child in el:
                self.walk(child, depth)
        if block:
            self.flush()
        self.tail(el)

    def tail(self, el: etree._Element) -> None:
        if el.tail:
            self.buf.append(el.tail)

    def ordered(self, ol: etree._Element, depth: int) -> None:
        kind = ol.get("type", "1")
        fmt = _TYPES.get(kind, "decimal")
        try:
            n = int(ol.get("start", "1")) - 1
        except ValueError:
            n = 0
        self.buf.append(ol.text or "")
        for li in ol:
            if not isinstance(li.tag, str) or li.tag != "li" or li in self.skip:
                self.walk(li, depth)
                continue
            value = li.get("value")
            n = int(value) if value and value.isdigit() else n + 1
            label = format_number(n, fmt)
            self.flush()
            self.buf.append(f"{label}. " if fmt == "decimal" and depth == 0 else f"({label}) ")
            self.buf.append(li.text or "")
            for child in li:
                self.walk(child, depth + 1)
            self.flush()
            self.tail(li)
        self.flush()

    def footnotes(self) -> list[str]:
        return [f"[^{num}] {_note_text(target)}" for num, target in self.notes]


def _note_text(target: etree._Element) -> str:
    """The words of a footnote element, without its back-links and leading number."""
    parts: list[str] = [target.text or ""]
    for child in target:
        if (
            isinstance(child.tag, str)
            and child.tag == "a"
            and (_BACKLINK.match("".join(child.itertext())) or child.get("href", "").startswith("#"))
        ):
            parts.append(child.tail or "")
            continue
        parts.append("".join(child.itertext()) if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    return re.sub(r"^\[?\d{1,3}\]?[.)]?\s+", "", text)


def html_lines(data: bytes, *, path: str | None = None) -> tuple[list[str], str | None]:
    """The lines of the main content of an HTML page (blank lines between blocks), and its title.

    The title is the page's first ``<h1>`` (taken out of the text unless it is an article
    or chapter heading), else its ``<title>``.

    Examples:
        >>> html_lines(b"<html><head><title>T</title></head><body><p>A</p><script>x</script><p>B</p></body></html>")
        (['A', '', 'B'], 'T')
    """
    lines, title, _removed = _read(data, path)
    return lines, title


def _read(data: bytes, path: str | None) -> tuple[list[str], str | None, list[Residue]]:
    root = parse_html(data, path=path)
    main = _main(root)
    h1 = next((h for h in main.iter("h1")), None)
    title_text = " ".join("".join(h1.itertext()).split()) if h1 is not None else ""
    if h1 is not None and title_text and not _STRUCTURE.match(title_text):
        h1.drop_tree() if hasattr(h1, "drop_tree") else None
    else:
        title_text = " ".join((root.findtext(".//title") or "").split())
    walker = _Walker(root)
    walker.find_notes(main)
    try:
        walker.walk(main)
    except InputTooLargeError as exc:  # a list label too long (see tradeclauses.read.docx.MAX_LABEL_CHARS)
        raise InputTooLargeError(exc.message, path=path) from None
    walker.flush()
    lines: list[str] = []
    for line in [*walker.lines, *walker.footnotes()]:
        lines.extend(["", line] if lines else [line])
    removed: list[Residue] = []
    for el in root.iter(*_FURNITURE):  # in document order: navigation, headers, footers, asides
        if el in walker.skip or any(isinstance(a.tag, str) and a.tag in _FURNITURE for a in el.iterancestors()):
            continue
        words = " ".join("".join(el.itertext()).split())
        if words:
            removed.append(Residue(line=el.sourceline, text=words, reason=f"web page <{el.tag!s}>"))
    return lines, title_text or None, removed


def read_html(data: bytes, *, path: str | None = None, agreement_id: str | None = None) -> Agreement:
    """Read an HTML page into an :class:`Agreement`.

    Raises:
        UnsafeInputError: entity declarations in the page; InputTooLargeError when too
            large or too deeply nested.
        NoArticlesError: no article heading or numbered paragraph in the main content.
    """
    lines, title, removed = _read(data, path)
    title = title or (Path(path).stem if path else None)
    agreement = read_text("\n".join(lines), path=path, agreement_id=agreement_id, title=title)
    return agreement.replace(removed=(*removed, *agreement.removed)) if removed else agreement
