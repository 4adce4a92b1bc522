"""The Word reader (``.docx``): text, automatic numbering, footnotes, tracked changes.

The parts of the Word file are read directly with the hardened XML parser of
:mod:`tradeclauses.read._xml` (no extra dependency; the container is checked for zip
bombs before anything is inflated). The text is then read by the text reader.

* **Automatic numbering.** Word does not store list numbers in the text: a paragraph
  says which list (``w:numPr``: ``numId``, ``ilvl``, directly or through its style) it
  belongs to. The number is computed from ``numbering.xml`` as Word does: counters per
  abstract list, ``w:start``, ``w:startOverride``, lower levels restarting when a
  higher one moves on, ``w:numFmt`` (decimal, lowerLetter, upperLetter, lowerRoman,
  upperRoman...) and ``w:lvlText`` (``%1.``, ``(%2)``, ``%1.%2``). Bullets give no number.
* **Footnotes.** ``w:footnoteReference`` becomes a ``[^N]`` mark, numbered in order of
  reference as Word numbers them (or with the custom mark, when the run gives one);
  the footnote's text comes from ``footnotes.xml``.
* **Containers.** Paragraphs are found inside every container Word puts around them
  (``w:sdt``/``w:sdtContent``, ``w:customXml``, ``w:smartTag``, ``w:ins``,
  ``w:moveTo``, ``w:hyperlink``, ``w:fldSimple``, ``w:bdo``, ``w:dir``, tables, and
  ``mc:AlternateContent``, whose first choice is read); inside a paragraph every run
  at any depth is read, and the fallback of an ``mc:AlternateContent`` is skipped
  when a choice is there (it repeats the same words). An element the reader does not
  know that holds text is listed in ``unparsed``, never dropped.
* **Limits.** A list number whose label would be longer than :data:`MAX_LABEL_CHARS`
  characters (``w:start`` of 2,000,000,000 in ``lowerLetter`` is a label of 77
  million letters) raises :class:`~tradeclauses.errors.InputTooLargeError`.
* **Tracked changes.** The text is read *as if all changes were accepted*: insertions
  (``w:ins``, ``w:moveTo``) are kept, deletions (``w:del``, ``w:moveFrom``) left out;
  ``revisions="reject"`` reads the text as it was before them (:func:`resolve_revisions`).
  When a document holds tracked changes, a :class:`~tradeclauses.errors.TradeClausesWarning`
  says how many, and the agreement's ``notes`` record it.

Examples:
    >>> from tradeclauses.read.docx import format_number
    >>> format_number(4, "lowerLetter"), format_number(9, "upperRoman"), format_number(3, "decimal")
    ('d', 'IX', '3')
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from tradeclauses.errors import InputTooLargeError, OptionError, ParseError, TradeClausesWarning
from tradeclauses.ids import roman
from tradeclauses.model import Agreement, Residue
from tradeclauses.read._xml import parse_xml, read_zip
from tradeclauses.read.text import read_text

__all__ = ["MAX_LABEL_CHARS", "format_number", "read_docx", "resolve_revisions"]

MAX_LABEL_CHARS = 256
"""Longest list label accepted (``lowerLetter`` repeats its letter: 2,000 is 77 "x")."""

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_CONTAINERS = frozenset(
    _W + name
    for name in ("customXml", "sdtContent", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple", "bdo", "dir")
)
"""Elements that can hold paragraphs (at body level) and are walked through."""
_DELETED = frozenset(_W + name for name in ("del", "moveFrom"))
_PARTS = ("word/document.xml", "word/numbering.xml", "word/footnotes.xml", "word/styles.xml", "docProps/core.xml")


def format_number(n: int, fmt: str) -> str:
    """Format counter ``n`` as Word's ``w:numFmt`` ``fmt`` does.

    Examples:
        >>> [format_number(n, "lowerRoman") for n in (1, 4, 14)]
        ['i', 'iv', 'xiv']
        >>> format_number(28, "lowerLetter")
        'bb'
        >>> format_number(2_000_000_000, "lowerLetter")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tradeclauses.errors.InputTooLargeError: <text>: list number 2,000,000,000 in lowerLetter would be a label ...
    """
    length = _label_length(n, fmt)
    if length > MAX_LABEL_CHARS:
        raise InputTooLargeError(
            f"list number {n:,} in {fmt} would be a label of {length:,} characters (limit {MAX_LABEL_CHARS})"
        )
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        return roman(n, lower=fmt == "lowerRoman")
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _label_length(n: int, fmt: str) -> int:
    """Length of the label of ``n`` in ``fmt``, computed without building it."""
    if fmt in ("lowerLetter", "upperLetter"):
        return (n - 1) // 26 + 1 if n > 0 else 0
    if fmt in ("lowerRoman", "upperRoman"):
        return n // 1000 + 15  # every thousand is one "M"; the rest is at most 15 letters
    return len(str(abs(n))) + 1 if abs(n) < 10**MAX_LABEL_CHARS else MAX_LABEL_CHARS + 1


def _int(value: str | None, default: int) -> int:
    """An integer attribute of the Word XML; ``default`` when missing or not a number."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class _Numbering:
    """``numbering.xml``: list definitions and the running counters."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, root: etree._Element | None) -> _Numbering:
        out = cls()
        if root is None:
            return out
        for an in root.iter(_W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in an.iter(_W + "lvl"):
                ilvl = _int(lvl.get(_W + "ilvl"), 0)
                start = lvl.find(_W + "start")
                fmt = lvl.find(_W + "numFmt")
                text = lvl.find(_W + "lvlText")
                levels[ilvl] = _Level(
                    start=_int(start.get(_W + "val"), 1) if start is not None else 1,
                    fmt=fmt.get(_W + "val", "decimal") if fmt is not None else "decimal",
                    text=text.get(_W + "val", "") if text is not None else "",
                )
            out.abstract[an.get(_W + "abstractNumId", "")] = levels
        for num in root.iter(_W + "num"):
            num_id = num.get(_W + "numId", "")
            ref = num.find(_W + "abstractNumId")
            out.nums[num_id] = ref.get(_W + "val", "") if ref is not None else ""
            for ov in num.iter(_W + "lvlOverride"):
                so = ov.find(_W + "startOverride")
                if so is not None:
                    out.overrides.setdefault(num_id, {})[_int(ov.get(_W + "ilvl"), 0)] = _int(so.get(_W + "val"), 1)
        return out

    def label(self, num_id: str, ilvl: int) -> str:
        """The number Word shows for the next paragraph of list ``num_id`` at level ``ilvl``."""
        abstract_id = self.nums.get(num_id)
        if abstract_id is None or num_id == "0":
            return ""
        levels = self.abstract.get(abstract_id, {})
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for lvl, start in self.overrides.get(num_id, {}).items():
                counters[lvl] = start - 1
                for deeper in [k for k in counters if k > lvl]:
                    del counters[deeper]
        level = levels.get(ilvl, _Level())
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return ""

        def repl(m: re.Match[str]) -> str:
            k = int(m[1]) - 1
            lv = levels.get(k, _Level())
            return format_number(counters.get(k, lv.start), lv.fmt)

        return re.sub(r"%(\d)", repl, level.text).strip()


def _style_numbering(styles: etree._Element | None) -> dict[str, tuple[str, int]]:
    """Style id → (numId, ilvl) for styles that number their paragraphs (following basedOn)."""
    if styles is None:
        return {}
    direct: dict[str, tuple[str | None, int]] = {}
    based: dict[str, str] = {}
    for st in styles.iter(_W + "style"):
        sid = st.get(_W + "styleId", "")
        num = st.find(f"{_W}pPr/{_W}numPr")
        if num is not None:
            nid = num.find(_W + "numId")
            lvl = num.find(_W + "ilvl")
            direct[sid] = (
                nid.get(_W + "val") if nid is not None else None,
                _int(lvl.get(_W + "val"), 0) if lvl is not None else 0,
            )
        b = st.find(_W + "basedOn")
        if b is not None:
            based[sid] = b.get(_W + "val", "")
    out: dict[str, tuple[str, int]] = {}
    for sid in {*direct, *based}:
        seen: set[str] = set()
        cur: str | None = sid
        while cur is not None and cur not in seen:
            seen.add(cur)
            if cur in direct and direct[cur][0] is not None:
                out[sid] = (direct[cur][0] or "", direct[cur][1])
                break
            cur = based.get(cur)
    return out


class _Doc:
    def __init__(self, parts: dict[str, etree._Element], path: str | None) -> None:
        self.path = path
        self.numbering = _Numbering.parse(parts.get("word/numbering.xml"))
        self.style_num = _style_numbering(parts.get("word/styles.xml"))
        self.footnote_text = self._footnotes(parts.get("word/footnotes.xml"))
        self.footnote_num: dict[str, str] = {}
        self.insertions = 0
        self.deletions = 0
        self.title: str | None = None
        self.unparsed: list[Residue] = []

    def _footnotes(self, root: etree._Element | None) -> dict[str, str]:
        out: dict[str, str] = {}
        if root is None:
            return out
        for fn in root.iter(_W + "footnote"):
            if fn.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            paras = [self.run_text(p, footnote=True) for p in fn.iter(_W + "p")]
            out[fn.get(_W + "id", "")] = " ".join(t.strip() for t in paras if t.strip())
        return out

    def run_text(self, p: etree._Element, *, footnote: bool = False) -> str:
        """The words of a paragraph, changes accepted, footnote references as marks."""
        out: list[str] = []
        skip: set[etree._Element] = set()
        for el in p.iter():
            tag = el.tag
            if not isinstance(tag, str) or el in skip:
                continue
            if tag == _MC + "AlternateContent" and el.find(_MC + "Choice") is not None:
                for fallback in el.iterfind(_MC + "Fallback"):
                    skip.update(fallback.iter())  # the same words again, for older readers
                continue
            if tag == _W + "t" and not _inside(el, p, ("del", "moveFrom")):
                out.append(el.text or "")
            elif tag == _W + "delText":
                continue
            elif tag in (_W + "tab", _W + "noBreakHyphen"):
                out.append(" " if tag == _W + "tab" else "-")
            elif tag in (_W + "br", _W + "cr"):
                out.append("\n")
            elif tag == _W + "footnoteReference" and not footnote and not _inside(el, p, ("del", "moveFrom")):
                fid = el.get(_W + "id", "")
                if fid not in self.footnote_num:
                    run = el.getparent()
                    custom = el.get(_W + "customMarkFollows") in ("1", "true", "on")
                    mark = None
                    if custom and run is not None:
                        t = run.find(_W + "t")
                        mark = (t.text or "").strip() if t is not None else None
                    self.footnote_num[fid] = mark or str(sum(1 for v in self.footnote_num.values() if v.isdigit()) + 1)
                run = el.getparent()
                if el.get(_W + "customMarkFollows") in ("1", "true", "on") and run is not None:
                    skip.update(run.iter(_W + "t"))  # the custom mark is the run's text
                out.append(f"[^{self.footnote_num[fid]}]")
            elif tag in (_W + "ins", _W + "moveTo") and not footnote:
                self.insertions += 1
            elif tag in (_W + "del", _W + "moveFrom") and not footnote:
                self.deletions += 1
        return "".join(out)

    def paragraph(self, p: etree._Element) -> list[str]:
        """The lines of one paragraph: its number and words, then any footnote texts."""
        before = len(self.footnote_num)
        text = self.run_text(p)
        ppr = p.find(_W + "pPr")
        num_id: str | None = None
        ilvl = 0
        style = None
        if ppr is not None:
            ps = ppr.find(_W + "pStyle")
            style = ps.get(_W + "val") if ps is not None else None
            if style in self.style_num:
                num_id, ilvl = self.style_num[style]
            numpr = ppr.find(_W + "numPr")
            if numpr is not None:
                nid = numpr.find(_W + "numId")
                lvl = numpr.find(_W + "ilvl")
                if nid is not None:
                    num_id = nid.get(_W + "val")
                if lvl is not None:
                    ilvl = _int(lvl.get(_W + "val"), 0)
        if style == "Title" and text.strip():
            self.title = self.title or text.strip()
            return [""]
        label = self.numbering.label(num_id, ilvl) if num_id and text.strip() else ""
        # a blank line after every Word paragraph: paragraphs are real breaks, not PDF wraps
        lines = ["", f"{label} {text.strip()}" if label else text]
        for fid, num in list(self.footnote_num.items())[before:]:
            lines.append(f"[^{num}] {self.footnote_text.get(fid, '')}")
        return lines

    def lines(self, body: etree._Element) -> list[str]:
        """The lines of every paragraph in ``body``, through every container that can hold one."""
        out: list[str] = []
        for el in body:
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if tag == _W + "p":
                out.extend(self.paragraph(el))
            elif tag == _W + "tbl":
                for p in el.iter(_W + "p"):
                    if not _inside(p, el, ("del", "moveFrom")):
                        out.extend(self.paragraph(p))
            elif tag == _W + "sdt":
                content = el.find(_W + "sdtContent")
                if content is not None:
                    out.extend(self.lines(content))
            elif tag in _CONTAINERS:
                if tag in (_W + "ins", _W + "moveTo"):
                    self.insertions += 1
                out.extend(self.lines(el))
            elif tag in _DELETED:
                self.deletions += 1  # a deleted paragraph: changes are read as accepted
            elif tag == _MC + "AlternateContent":
                chosen = el.find(_MC + "Choice")
                chosen = chosen if chosen is not None else el.find(_MC + "Fallback")
                if chosen is not None:
                    out.extend(self.lines(chosen))
            else:
                self.unknown(el)
        return out

    def unknown(self, el: etree._Element) -> None:
        """Report the text of an element of the body that the reader does not read."""
        words = " ".join(t.text for t in el.iter(_W + "t") if t.text and t.text.strip())
        name = etree.QName(el).localname
        if words:
            self.unparsed.append(Residue(line=None, text=words, reason=f"<w:{name}> in the Word body is not read"))
        elif el.tag == _W + "altChunk":
            self.unparsed.append(
                Residue(line=None, text=el.get(_R + "id", ""), reason="<w:altChunk> (imported content) is not read")
            )


def _inside(el: etree._Element, stop: etree._Element, names: tuple[str, ...]) -> bool:
    for anc in el.iterancestors():
        if anc is stop:
            return False
        if isinstance(anc.tag, str) and anc.tag.startswith(_W) and anc.tag[len(_W) :] in names:
            return True
    return False


Revisions = Literal["accept", "reject"]


def resolve_revisions(root: etree._Element, revisions: Revisions) -> tuple[int, int]:
    """Apply or undo every tracked change of a part in place; return (insertions, deletions) found.

    ``"accept"`` keeps inserted words (``w:ins``, ``w:moveTo``) and drops deleted ones
    (``w:del``, ``w:moveFrom``); ``"reject"`` does the opposite and turns deleted text
    (``w:delText``) back into text. A paragraph whose mark is deleted (accepting) or
    inserted (rejecting) is joined to the next paragraph, as in Word. Formatting
    changes (``w:rPrChange``, ``w:pPrChange``) leave the words alone and are dropped.

    Examples:
        >>> from lxml import etree
        >>> p = etree.fromstring(f'<w:p xmlns:w="{W_NS}"><w:r><w:t>No Party </w:t></w:r>'
        ...     '<w:del w:id="1"><w:r><w:delText>may </w:delText></w:r></w:del>'
        ...     '<w:ins w:id="2"><w:r><w:t>shall </w:t></w:r></w:ins></w:p>')
        >>> resolve_revisions(p, "reject"), "".join(p.itertext())
        ((1, 1), 'No Party may ')
    """
    removed = ("del", "moveFrom") if revisions == "accept" else ("ins", "moveTo")
    insertions = deletions = 0
    join: list[etree._Element] = []
    for el in list(root.iter(*(_W + n for n in ("ins", "del", "moveTo", "moveFrom")))):
        name = str(el.tag)[len(_W) :]
        if name in ("ins", "moveTo"):
            insertions += 1
        else:
            deletions += 1
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag == _W + "rPr":  # a tracked paragraph mark (or run property): no words of its own
            ppr = parent.getparent()
            if name in removed and ppr is not None and ppr.tag == _W + "pPr":
                paragraph = ppr.getparent()
                if paragraph is not None and paragraph.tag == _W + "p":
                    join.append(paragraph)
            parent.remove(el)
        elif name in removed:
            parent.remove(el)
        else:
            index = parent.index(el)
            for k, child in enumerate(list(el)):
                parent.insert(index + k, child)
            parent.remove(el)
    if revisions == "reject":
        for t in list(root.iter(_W + "delText", _W + "delInstrText")):
            t.tag = _W + ("t" if t.tag == _W + "delText" else "instrText")
    for change in list(root.iter(_W + "rPrChange", _W + "pPrChange")):
        parent = change.getparent()
        if parent is not None:
            parent.remove(change)
    for paragraph in join:
        following = paragraph.getnext()
        parent = paragraph.getparent()
        if following is None or following.tag != _W + "p" or parent is None:
            continue
        ppr = following.find(_W + "pPr")
        at = 0 if ppr is None else following.index(ppr) + 1
        for k, child in enumerate(c for c in list(paragraph) if c.tag != _W + "pPr"):
            following.insert(at + k, child)
        parent.remove(paragraph)
    return insertions, deletions


def read_docx(
    data: bytes,
    *,
    path: str | None = None,
    agreement_id: str | None = None,
    revisions: Revisions = "accept",
) -> Agreement:
    """Read a Word (``.docx``) file into an :class:`Agreement`.

    Args:
        data: the file's bytes.
        path: where it came from (for messages).
        agreement_id: the id of the agreement.
        revisions: ``"accept"`` every tracked change (the default: the text as it will
            be) or ``"reject"`` every one (the text as it was before them).

    Raises:
        UnsafeInputError: the container looks like a zip bomb, or its XML declares entities.
        ParseError: not a Word file (no ``word/document.xml``).

    Warns:
        TradeClausesWarning: the document holds tracked changes (read as accepted or rejected).
    """
    if revisions not in ("accept", "reject"):
        raise OptionError(f"revisions must be 'accept' or 'reject', not {revisions!r}")
    members = read_zip(data, path=path, want=lambda name: name in _PARTS)
    if "word/document.xml" not in members:
        raise ParseError("not a Word document: the file has no word/document.xml", path=path)
    parts = {name: parse_xml(content, path=f"{path or '<docx>'}:{name}") for name, content in members.items()}
    inserted, deleted = resolve_revisions(parts["word/document.xml"], revisions)
    if "word/footnotes.xml" in parts:
        resolve_revisions(parts["word/footnotes.xml"], revisions)
    doc = _Doc(parts, path)
    doc.insertions += inserted
    doc.deletions += deleted
    body = parts["word/document.xml"].find(f"{_W}body")
    if body is None:
        raise ParseError("the Word document has no body", path=path)
    try:
        lines = doc.lines(body)
    except InputTooLargeError as exc:
        raise InputTooLargeError(exc.message, path=path) from None
    core = parts.get("docProps/core.xml")
    title = doc.title or (core.findtext(f"{_DC}title") if core is not None else None) or None
    if title is None and path:
        title = Path(path).stem
    agreement = read_text("\n".join(lines), path=path, agreement_id=agreement_id, title=title)
    if doc.insertions or doc.deletions:
        note = (
            f"the Word file holds tracked changes ({doc.insertions} insertions, {doc.deletions} deletions); "
            f"they were read as {revisions}ed"
        )
        warnings.warn(f"{path or '<docx>'}: {note}", TradeClausesWarning, stacklevel=2)
        agreement = agreement.replace(notes=(*agreement.notes, note))
    if doc.unparsed:
        agreement = agreement.replace(unparsed=(*agreement.unparsed, *doc.unparsed))
    return agreement
