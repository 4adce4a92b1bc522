"""The plain-text and Markdown reader.

Reads the text of an agreement as people paste it from a PDF or a Word file, or as
written in tradeclauses' own source format (``agreements/README.md``), into the clause
model. It recognises:

* chapter, annex, preamble, section and article headings in the forms agreements use:
  ``Article 19.11: Cross-Border Transfer of Information``, ``ARTICLE 14.13 Location Of
  Computing Facilities``, ``Article 4.3 - Scope``, ``Art. 12``, ``Article DIGIT.6`` (a title's
  letters before the number, as EU agreements number them), a title on the next line;
* numbered paragraphs (``1.``, ``4.1``), lettered, roman and capital subparagraphs at any
  depth (``(a)``, ``(i)``, ``(A)``, ``a)``), definitions (``computing facility means ...``,
  ``(a) "Committee" means ...``), words that close a list (``but does not include ...``);
* footnotes: ``[^5]`` markers or digits glued to words (``covered person.5``), with the
  footnote texts given as ``[^5] text``, after a ``Footnotes:`` line, or as ``5 text``
  lines anywhere in the chapter (as PDFs put them at the foot of a page);
* PDF artefacts: lines wrapped mid-sentence, words hyphenated across lines, page
  headers and footers (``19-1``, ``- 3 -``, ``Page 2 of 9``, running heads);
* editorial marks of tradeclauses' own format: ``[[MISSING: ...]]`` (a gap) and
  ``[[NOTE: ...]]``; a header of ``# key: value`` lines.

Every character of the body ends up in a node (heading, paragraph, footnote), in
``Agreement.removed`` (page furniture) or in ``Agreement.unparsed``; nothing is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from tradeclauses import ids
from tradeclauses.errors import NoArticlesError, ParseError
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
    Residue,
    Subparagraph,
)

__all__ = ["read_text"]

# --- line patterns -------------------------------------------------------------------

_HEADER = re.compile(r"^#\s*(?P<key>[a-z][a-z-]*):\s?(?P<value>.*)$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_EMPH = re.compile(r"(\*\*|__)(?![_*\s])(.+?)(?<![_*\s])\1")  # not a run of blanks: "______"
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?=\(|\d|[a-z]\))")
_SEP = r"\s*(?:[:.\-–—]\s*)?"
_CHAPTER = re.compile(
    r"^(?P<label>CHAPTER|Chapter)\s+(?P<num>\d+[A-Z]?|[IVXLC]+)\b" + _SEP + r"(?P<heading>.*)$"
)
_ANNEX = re.compile(
    r"^(?P<label>ANNEX|Annex)(?:\s+(?P<num>\d+(?:[.-][\dA-Z]+)*|[IVXLC]+|[A-Z]))?\b" + _SEP + r"(?P<heading>.*)$"
)
_PREAMBLE = re.compile(r"^(?P<label>PREAMBLE|Preamble)\s*$")
_ARTICLE = re.compile(
    r"^(?P<label>Article|ARTICLE|Art\.|ART\.)\s*(?P<num>\d+(?:\.\d+)*(?:[.-]?[A-Z](?![A-Za-z]))?|[A-Z]{2,10}\.\d+(?:\.\d+)*"
    r"|[IVXLC]+)\b\.?"
    + _SEP
    + r"(?P<heading>.*)$"
)
_SECTION = re.compile(
    r"^(?P<label>SECTION|Section|PART|Part)\s+(?P<num>[A-Z]|[IVXLC]+|\d+)\b" + _SEP + r"(?P<heading>.*)$"
)
_PARA = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)(?P<dot>\.|\))?(?:\s+|$)(?P<rest>.*)$")
_SUB = re.compile(r"^(?:\((?P<p>[a-z]{1,3}|[A-Z]{1,3}|\d{1,2})\)|(?P<b>[a-z]|[ivx]{1,4})\))\s*(?P<rest>.*)$")
_FN_DEF = re.compile(r"^\[\^(?P<num>[^\]\s]+)\]:?\s*(?P<rest>.*)$")
_FN_PLAIN = re.compile(r"^(?P<num>\d{1,3})\s+(?P<rest>\S.*)$")
_FN_SECTION = re.compile(r"^(?:Foot\s?notes?|Notes?|Endnotes?)\s*:?\s*$", re.IGNORECASE)
_MISSING = re.compile(r"\[\[MISSING:\s*(?P<note>.*?)\]\]")
_NOTE = re.compile(r"\[\[NOTE:\s*(?P<note>.*?)\]\]")
_FURNITURE = re.compile(
    r"^\s*(?:"
    r"\d{1,3}\s*[-–]\s*\d{1,4}"  # 19-1
    r"|[-–]\s*\d{1,4}\s*[-–]"  # - 3 -
    r"|(?:Page|PAGE)\s+\d+(?:\s+of\s+\d+)?"  # Page 2 of 9
    r"|\d{1,4}"  # a bare page number
    r")\s*$"
)
_DEF_CONTEXT = re.compile(r"\bfor the purposes? of this (?:chapter|agreement|article|annex|section|part)\b", re.I)
_DEF_LINE = re.compile(
    r"^(?:[“\"‘'](?P<qterm>[^“”\"‘’']{1,90})[”\"’']|(?P<term>[a-z][^:;,.()]{0,90}?))"
    r"(?P<fn>(?:\[\^[^\]\s]+\])*)\s+(?:means|includes|refers to|shall mean)\b"
)
_DEF_TERM_WORDS = 9
_TERMINAL = frozenset(".;:!?")
_CLOSERS = frozenset("\"”’')]")
_TRAILING_MARK = re.compile(r"(?<=[A-Za-z][.;:,”\"')])\d{1,3}(?:,\s?\d{1,3})*$")
_UNNUMBERED = re.compile(r"p\d+(?:_\d+)?")
_ROMAN = re.compile(r"^[ivxlc]+$")
_UROMAN = re.compile(r"^[IVXLC]+$")
_TERM_MARK = re.compile(r"(\[\^[^\]\s]+\])")
_DEFINITIONS_HEADING = re.compile(r"\bdefinitions?\b", re.I)


def _para(s: str) -> re.Match[str] | None:
    """``_PARA.match(s)``, tried only on a line that starts with a digit."""
    return _PARA.match(s) if s[:1].isdigit() else None


def _sub(s: str) -> re.Match[str] | None:
    """``_SUB.match(s)``, tried only on a line that starts with ``(`` or a lowercase letter."""
    c = s[:1]
    return _SUB.match(s) if c == "(" or "a" <= c <= "z" else None
_COMPOUND_PREFIXES = frozenset(
    {
        "cross",
        "non",
        "self",
        "e",
        "co",
        "well",
        "so",
        "long",
        "short",
        "high",
        "low",
        "multi",
        "inter",
        "intra",
        "anti",
        "pre",
        "post",
        "sub",
        "ex",
        "re",
        "semi",
        "quasi",
        "small",
        "medium",
        "mass",
        "end",
    }
)


# --- parsing state ---------------------------------------------------------------------


@dataclass
class _B:
    """A block under construction."""

    kind: str
    num: str | None
    line: int
    intro: list[str] = field(default_factory=list)
    children: list[_B] = field(default_factory=list)
    wrap: list[str] = field(default_factory=list)
    term: str = ""
    note: str = ""
    heading: str | None = None
    style: str = ""

    def last_text(self) -> list[str]:
        return self.wrap if self.wrap else self.intro


@dataclass
class _FnDef:
    num: str
    line: int
    text: list[str]
    gap: str | None = None


@dataclass
class _Art:
    num: str | None
    heading: str | None
    label: str
    line: int
    section: str | None
    blocks: list[_B] = field(default_factory=list)
    footnotes: list[_FnDef] = field(default_factory=list)
    heading_gap: str | None = None
    notes: list[str] = field(default_factory=list)
    defs_context: bool = False
    heading_marks: tuple[str, ...] = ()
    para_upto: int = 0
    last_para: _B | None = None
    """The last numbered paragraph in ``blocks[:para_upto]`` (blocks are only ever appended)."""

    def last_numbered_paragraph(self) -> _B | None:
        """The last top-level paragraph with a number, found without scanning all the blocks again."""
        for b in self.blocks[self.para_upto :]:
            if b.kind == "paragraph" and b.num:
                self.last_para = b
        self.para_upto = len(self.blocks)
        return self.last_para


@dataclass
class _Ch:
    num: str | None
    heading: str | None
    label: str
    line: int
    articles: list[_Art] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    nums: set[str] = field(default_factory=set)
    """Numbers of the articles read so far, to find a repeated number at once."""
    fn_nums: set[str] = field(default_factory=set)
    """Numbers of the footnotes read so far in this chapter."""
    glued: set[str] = field(default_factory=set)
    """Footnote numbers glued to a word in ``articles[:glued_upto]``."""
    glued_upto: int = 0
    open_art: _Art | None = None
    """The article being read when ``open_glued`` was gathered."""
    open_upto: int = 0
    open_glued: set[str] = field(default_factory=set)
    """Footnote numbers glued to a word in ``open_art.blocks[:open_upto]``."""


def _style(label: str) -> str:
    if label.isdigit():
        return "digit"
    if _ROMAN.match(label):
        return "roman"
    if _UROMAN.match(label):
        return "Roman"
    if label.islower():
        return "alpha" if len(label) == 1 else "alpha2"
    return "Alpha"


def _prev_label(label: str) -> str | None:
    if len(label) == 1 and label.isalpha():
        return chr(ord(label) - 1) if label not in "aA" else None
    return None


class _Reader:
    def __init__(self, path: str | None) -> None:
        self.path = path
        self.chapters: list[_Ch] = []
        self.header: list[tuple[str, str]] = []
        self.removed: list[Residue] = []
        self.unparsed: list[Residue] = []
        self.section: str | None = None
        self.in_fn_section = False
        self.vocab: set[str] = set()
        """Words seen so far (lowercased), to tell ``trans-`` + ``fer`` from ``cross-`` + ``border``."""
        self.vocab_pending: list[list[tuple[int, str]]] = []  # lines not yet counted into ``vocab``
        self.last_line_text = ""  # text of the last content line, to judge continuation
        self.last_target: list[str] | None = None  # list the last text went into
        self.last_was_fn = False
        self.pending_heading_for: _Art | _Ch | None = None
        self.md_headings: set[int] = set()
        self.after_blank = False
        self.chapter_nums: set[str] = set()  # numbers of the chapters read (label "Chapter")

    # -- helpers ------------------------------------------------------------------------

    def err(self, msg: str, line: int, article: str | None = None) -> ParseError:
        return ParseError(msg, path=self.path, line=line, article=article)

    @property
    def chapter(self) -> _Ch:
        if not self.chapters:
            self.chapters.append(_Ch(None, None, "Body", 0))
        return self.chapters[-1]

    @property
    def article(self) -> _Art | None:
        ch = self.chapters[-1] if self.chapters else None
        return ch.articles[-1] if ch and ch.articles else None

    def ensure_article(self, line: int) -> _Art:
        art = self.article
        if art is None:
            art = _Art(None, None, "Text", line, self.section)
            self.chapter.articles.append(art)
        return art

    def open_chain(self) -> list[_B]:
        """The chain of open blocks from the article level down to the deepest."""
        art = self.article
        chain: list[_B] = []
        if art is None or not art.blocks:
            return chain
        node = art.blocks[-1]
        while node.kind != "gap":
            chain.append(node)
            if not node.children or node.wrap:
                break
            node = node.children[-1]
        return chain

    # -- main loop ------------------------------------------------------------------------

    def run(self, text: str) -> None:
        lines = text.split("\n")
        body_start = self.read_header(lines)
        cleaned = []
        clean = self.clean
        for i in range(body_start, len(lines)):
            line = lines[i]
            if "#" in line and _MD_HEADING.match(line):
                self.md_headings.add(i + 1)
            cleaned.append((i + 1, clean(line)))
        # the words of these lines join the vocabulary when it is first needed (dehyphenation)
        self.vocab_pending.append(cleaned)
        repeated = self.running_heads(cleaned)
        for no, line in cleaned:
            stripped = line.strip()
            if not stripped:
                self.after_blank = True
                continue
            if stripped in repeated and repeated[stripped] != no:
                self.removed.append(Residue(line=no, text=stripped, reason="running header/footer"))
                continue
            if _FURNITURE.match(stripped) and not self.bare_number_is_text(stripped):
                self.removed.append(Residue(line=no, text=stripped, reason="page number or footer"))
                continue
            self.line(no, stripped)
            self.after_blank = False

    def read_header(self, lines: list[str]) -> int:
        i = 0
        while i < len(lines):
            m = _HEADER.match(lines[i].strip())
            if not m:
                break
            self.header.append((m["key"], m["value"].strip()))
            i += 1
        return i

    @staticmethod
    def clean(line: str) -> str:
        line = line.replace("\t", " ").replace("\u00a0", " ").replace("\ufeff", "").rstrip()
        # each pattern only where its characters are (most lines have none of them)
        if "#" in line:
            line = _MD_HEADING.sub("", line)
        if "**" in line or "__" in line:
            line = _MD_EMPH.sub(r"\2", line)
        first = line.lstrip()[:1]
        if first and first in "-*+":
            line = _MD_BULLET.sub("", line)
        return line

    def seen(self, word: str) -> bool:
        """Has ``word`` (lowercase) occurred in the text read so far (this line's chapter included)?"""
        while self.vocab_pending:
            # one pass over all lines (a word never spans a line break)
            text = "\n".join(line for _, line in self.vocab_pending.pop(0))
            if text.isascii():
                self.vocab.update(_VOCAB_WORD.findall(text.lower()))
            else:  # lowercasing may turn other letters into ASCII ones (the Kelvin sign): words first
                self.vocab.update(w.lower() for w in _VOCAB_WORD.findall(text))
        return word in self.vocab

    @staticmethod
    def running_heads(cleaned: list[tuple[int, str]]) -> dict[str, int]:
        """Short lines repeated 3+ times: running heads. Maps text to its first line."""
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for no, line in cleaned:
            s = line.strip()
            if s and len(s) <= 80 and not _para(s) and not _sub(s) and not s.startswith("[["):
                counts[s] += 1
                first.setdefault(s, no)
        return {s: first[s] for s, n in counts.items() if n >= 3}

    def bare_number_is_text(self, s: str) -> bool:
        """A bare number is a paragraph label when it continues the paragraph sequence."""
        return False if not s.isdigit() else self.expected_para(s)

    def expected_para(self, num: str) -> bool:
        art = self.article
        last = art.last_numbered_paragraph() if art else None
        if last is None:
            return num in ("1", "1.1") or (art is not None and art.num is not None and num == f"{art.num}.1")
        prev = last.num or ""
        head, _, tail = prev.rpartition(".")
        if not tail.isdigit():
            return False
        nxt = f"{head}.{int(tail) + 1}" if head else str(int(tail) + 1)
        if num == nxt:
            return True
        # "4.1" after "3.2" and the like: a new major number
        if head and "." in num:
            major = num.split(".", maxsplit=1)[0]
            return major.isdigit() and head.split(".")[0].isdigit() and int(major) == int(head.split(".")[0]) + 1
        return False

    def expected_label(self, s: str) -> bool:
        """Is ``s`` labelled with the next number of an open list or paragraph sequence?"""
        m = _sub(s)
        if m:
            label = m["p"] or m["b"]
            prev = _prev_label(label)
            chain = self.open_chain()
            if label in ("a", "A", "i", "I", "1") and chain and not chain[-1].children:
                return True
            return any(
                b.kind in ("subparagraph", "definition") and b.num is not None and b.num.strip("()") == prev
                for b in chain
            )
        m = _para(s)
        return bool(m and m["rest"] and self.expected_para(m["num"]))

    def mid_sentence(self) -> bool:
        """True if the last text line ended without closing punctuation."""
        t = self.last_line_text
        if "[^" in t:
            t = FOOTNOTE_MARK.sub("", t)
        t = t.rstrip()
        if t[-1:].isdigit():  # the pattern ends in a digit
            t = _TRAILING_MARK.sub("", t)
        while t and t[-1] in _CLOSERS and t[-1] != ")":
            t = t[:-1]
        return bool(t) and t[-1] not in _TERMINAL and t[-1] != ","

    # -- one line ---------------------------------------------------------------------------

    def line(self, no: int, s: str) -> None:
        if self.pending_heading_for is not None and self.take_heading(s):
            return
        self.pending_heading_for = None
        c = s[0]  # each pattern below is tried only on lines that start as it does
        if c == "[":
            m = _MISSING.fullmatch(s)
            if m:
                self.gap_line(no, m["note"])
                return
            m = _NOTE.fullmatch(s)
            if m:
                art = self.article
                if art is not None:
                    art.notes.append(m["note"])
                else:
                    self.header.append(("note", m["note"]))
                return
        cont = self.mid_sentence() and not (self.after_blank and s[0].isupper()) and (
            not s[0].isupper() or len(self.last_line_text) >= 65 or self.last_line_text.endswith("-")
        )
        if (not cont or self.last_was_fn) and self.structural(no, s):
            return
        if (c in "FfNnEe" or not c.isascii()) and _FN_SECTION.match(s) and self.article is not None:
            self.in_fn_section = True
            self.removed.append(Residue(line=no, text=s, reason="footnotes heading"))
            return
        m = _FN_DEF.match(s) if c == "[" else None
        if m:
            self.footnote(no, m["num"], m["rest"])
            return
        m = _FN_PLAIN.match(s) if c.isdigit() else None
        if m and (self.in_fn_section or self.glued_marker_seen(m["num"])) and not (
            cont and not self.last_was_fn
        ):
            self.footnote(no, m["num"], m["rest"])
            return
        if cont and not self.expected_label(s):
            self.continue_text(no, s)
            return
        if self.block_line(no, s):
            return
        self.plain(no, s)

    def take_heading(self, s: str) -> bool:
        """A title on the line after a bare ``Article 5`` / ``CHAPTER 19``."""
        target = self.pending_heading_for
        self.pending_heading_for = None
        if target is None or target.heading is not None:
            return False
        if (
            len(s) > 120
            or s[-1] in ".;:,"
            or _para(s)
            or _sub(s)
            or _ARTICLE.match(s)
            or _CHAPTER.match(s)
            or not s[0].isupper()
        ):
            return False
        if _MISSING.fullmatch(s):
            if isinstance(target, _Art):
                target.heading_gap = _MISSING.fullmatch(s)["note"]  # type: ignore[index]
            return True
        target.heading = s
        return True

    def structural(self, no: int, s: str) -> bool:
        c = s[0]  # each heading pattern is tried only on lines that start with its letter
        m = _CHAPTER.match(s) if c == "C" else None
        if m and self.plausible_heading(m["heading"]):
            num = m["num"]
            if num in self.chapter_nums:
                if self.chapters and self.chapters[-1].num == num:
                    self.removed.append(Residue(line=no, text=s, reason="running header/footer"))
                    return True
                raise self.err(f"Chapter {num} appears twice", no)
            heading = m["heading"].strip() or None
            ch = _Ch(num, heading, "Chapter", no)
            self.chapters.append(ch)
            self.chapter_nums.add(num)
            self.section = None
            self.in_fn_section = False
            self.reset_text()
            if heading is None:
                self.pending_heading_for = ch
            return True
        m = _ANNEX.match(s) if c == "A" else None
        if m and self.plausible_heading(m["heading"]) and len(s) <= 100:
            ch = _Ch(m["num"], m["heading"].strip() or None, "Annex", no)
            self.chapters.append(ch)
            self.section = None
            self.in_fn_section = False
            self.reset_text()
            return True
        if c == "P" and _PREAMBLE.match(s):
            ch = _Ch(None, s, "Preamble", no)
            self.chapters.append(ch)
            self.reset_text()
            return True
        m = _ARTICLE.match(s) if c == "A" else None
        if m and self.plausible_heading(m["heading"]):
            self.new_article(no, m["num"], m["heading"], "Article" if m["label"] != "Art." else "Art.")
            return True
        if no in self.md_headings:
            # a Markdown heading that is no chapter or article heading: an unnumbered division
            ch = self.chapter
            art = _Art(None, s, "Article", no, self.section)
            ch.articles.append(art)
            self.in_fn_section = False
            self.reset_text()
            return True
        m = _SECTION.match(s) if c in "SP" else None
        if m and self.plausible_heading(m["heading"]) and len(s) <= 120:
            if self.chapters and self.chapters[-1].label == "Annex":
                self.new_article(no, m["num"], m["heading"], m["label"].capitalize())
            else:
                self.section = s
            return True
        return False

    @staticmethod
    def plausible_heading(heading: str) -> bool:
        h = heading.strip()
        if not h:
            return True
        if h.startswith("[[MISSING"):
            return True
        return h[0] not in "(,;" and not h[0].islower() and len(h) <= 200

    def new_article(self, no: int, num: str, heading: str, label: str) -> None:
        if self.chapters and self.chapters[-1].label == "Preamble":
            self.chapters.append(_Ch(None, None, "Body", no))
        ch = self.chapter
        if num in ch.nums:
            raise self.err(f"{label} {num} appears twice in this chapter", no, num)
        ch.nums.add(num)
        heading = heading.strip()
        heading_marks = tuple(FOOTNOTE_MARK.findall(heading))
        heading = FOOTNOTE_MARK.sub("", heading).strip()
        heading_gap = None
        gm = _MISSING.fullmatch(heading)
        if gm:
            heading_gap, heading = gm["note"], ""
        art = _Art(num, heading or None, label, no, self.section, heading_gap=heading_gap)
        art.heading_marks = heading_marks
        ch.articles.append(art)
        self.in_fn_section = False
        self.reset_text()
        if not heading and heading_gap is None:
            self.pending_heading_for = art

    def reset_text(self) -> None:
        self.last_line_text = ""
        self.last_target = None
        self.last_was_fn = False

    def gap_line(self, no: int, note: str) -> None:
        art = self.article
        if art is None:
            self.chapter.gaps.append(note)
            return
        chain = self.open_chain()
        gap = _B("gap", None, no, note=note)
        if art.footnotes and self.last_was_fn:
            art.notes.append(f"missing: {note}")
        elif chain and self.in_list_context(chain):
            # a gap inside an open list: it sits among the subparagraphs
            chain[-2 if len(chain) > 1 and chain[-1].kind == "subparagraph" else -1].children.append(gap)
        else:
            art.blocks.append(gap)
        self.reset_text()

    @staticmethod
    def in_list_context(chain: list[_B]) -> bool:
        return not chain[-1].wrap and (chain[-1].kind == "subparagraph" or bool(chain[-1].children))

    def glued_marker_seen(self, num: str) -> bool:
        """Is ``num`` glued to a word in the text so far in this chapter, with no text yet?

        Articles before the current one no longer change, so the numbers glued in them
        are gathered once (``_Ch.glued``); only the current article is searched again.
        """
        ch = self.chapters[-1] if self.chapters else None
        if ch is None:
            return False
        if num in ch.fn_nums:
            return False
        while ch.glued_upto < len(ch.articles) - 1:
            ch.glued.update(_glued_in(ch.articles[ch.glued_upto].blocks))
            ch.glued_upto += 1
        if num in ch.glued:
            return True
        if ch.glued_upto >= len(ch.articles):
            return False
        art = ch.articles[ch.glued_upto]
        # the current article: its top-level blocks but the last no longer change either
        if ch.open_art is not art:
            ch.open_art, ch.open_upto, ch.open_glued = art, 0, set()
        while ch.open_upto < len(art.blocks) - 1:
            ch.open_glued.update(_glued_in(art.blocks[ch.open_upto : ch.open_upto + 1]))
            ch.open_upto += 1
        if num in ch.open_glued:
            return True
        pat = _glued(num)
        for b in _walk(art.blocks[ch.open_upto :]):
            for part in (*b.intro, *b.wrap, b.term):
                if num in part and pat.search(part):
                    return True
        return False

    def footnote(self, no: int, num: str, rest: str) -> None:
        art = self.ensure_article(no)
        gap = None
        gm = _MISSING.search(rest)
        if gm:
            gap = gm["note"]
            rest = _MISSING.sub("", rest)
        nm = _NOTE.search(rest)
        if nm:
            art.notes.append(f"footnote {num}: {nm['note']}")
            rest = _NOTE.sub("", rest).rstrip()
        fn = _FnDef(num, no, [rest] if rest else [], gap)
        art.footnotes.append(fn)
        self.chapter.fn_nums.add(num)
        self.last_target = fn.text
        self.last_line_text = rest
        self.last_was_fn = True

    def continue_text(self, no: int, s: str) -> None:
        target = self.last_target
        if target is None:
            self.plain(no, s)
            return
        if target:
            prev = target[-1]
            if prev.endswith("-") and s[:1].islower() and len(prev) > 1 and prev[-2].isalpha():
                target[-1] = self.dehyphenate(prev, s)
            else:
                target.append(s)
        else:
            target.append(s)
        self.last_line_text = s

    def dehyphenate(self, prev: str, nxt: str) -> str:
        """Join a word broken across lines: ``trans-`` + ``fer`` = ``transfer``."""
        head_word = re.findall(r"([A-Za-z]+)-$", prev)
        tail_word = re.match(r"([A-Za-z]+)", nxt)
        if head_word and tail_word:
            h, t = head_word[-1].lower(), tail_word[1].lower()
            joined_seen = self.seen(h + t)
            hyph_seen = self.seen(f"{h}-{t}")
            if (hyph_seen and not joined_seen) or (not joined_seen and h in _COMPOUND_PREFIXES):
                return prev + nxt
        return prev[:-1] + nxt

    def block_line(self, no: int, s: str) -> bool:
        """A numbered paragraph, a subparagraph, or a definition line."""
        m = _sub(s)
        if m:
            label = m["p"] or m["b"]
            bracketed = f"({label})" if m["p"] else f"{label})"
            self.subparagraph(no, label, bracketed, m["rest"])
            return True
        m = _para(s)
        if m and m["rest"] and (m["dot"] or "." in m["num"] or self.expected_para(m["num"])):
            num = m["num"]
            if m["dot"] == ")" and not self.expected_para(num):
                return False
            art = self.ensure_article(no)
            if not self.expected_para(num) and int(num.split(".")[0]) > 60:
                return False
            self.in_fn_section = False
            b = _B("paragraph", num, no)
            art.blocks.append(b)
            self.add_text(b, b.intro, m["rest"], art)
            return True
        return False

    def subparagraph(self, no: int, label: str, printed: str, rest: str) -> None:
        art = self.ensure_article(no)
        style = _style(label)
        chain = self.open_chain()
        # the deepest open item of the same style is a sibling; otherwise nest under the deepest
        parent: _B | None = chain[-1] if chain else None
        for depth in range(len(chain) - 1, -1, -1):
            node = chain[depth]
            if node.kind not in ("subparagraph", "definition") or not node.style:
                continue
            prev = (node.num or "").strip("()")
            as_letter = style == "roman" and node.style == "alpha" and _prev_label(label) == prev
            if node.style == style or as_letter:
                parent = chain[depth - 1] if depth > 0 else None
                if as_letter:
                    style = "alpha"
                break
        b = _B("subparagraph", printed, no, style=style)
        if self.defs_here(art) and parent is None:
            term = _DEF_LINE.match(rest)
            if term:
                b = _B("definition", printed, no, term=(term["qterm"] or term["term"]).strip(), style=style)
        if parent is None:
            if art.blocks and art.blocks[-1].kind != "gap" and style in ("alpha", "roman", "Alpha"):
                parent = art.blocks[-1]
            else:
                art.blocks.append(b)
                self.add_text(b, b.intro, rest, art)
                return
        parent.children.append(b)
        self.add_text(b, b.intro, rest, art)

    def defs_here(self, art: _Art) -> bool:
        return art.defs_context or bool(art.heading and _DEFINITIONS_HEADING.search(art.heading))

    def plain(self, no: int, s: str) -> None:
        """An unlabelled line that starts a new block (or closes a list)."""
        art = self.ensure_article(no)
        chain = self.open_chain()
        if self.defs_here(art):
            m = _DEF_LINE.match(s)
            if m and len((m["qterm"] or m["term"]).split()) <= _DEF_TERM_WORDS:
                d = _B("definition", None, no, term=(m["qterm"] or m["term"]).strip())
                art.blocks.append(d)
                self.add_text(d, d.intro, s, art)
                return
        if s[0].islower() and chain and self.in_list_context(chain):
            # words after a list that complete the sentence: wrap-up of the list's parent
            holder = chain[-2] if chain[-1].kind == "subparagraph" and len(chain) > 1 else chain[0]
            if holder.kind == "subparagraph" and not holder.children:
                holder = chain[0]
            self.add_text(holder, holder.wrap, s, art)
            return
        if s[0].islower() and self.last_target is not None:
            self.continue_text(no, s)
            return
        last = art.blocks[-1] if art.blocks else None
        if (
            last is not None
            and last.kind == "paragraph"
            and last.num
            and last.heading is None
            and len(last.intro) == 1
            and not last.children
            and len(last.intro[0]) <= 90
            and last.intro[0][-1] not in _TERMINAL
            and last.intro is self.last_target
        ):
            # "1.1 Prevention of anti-competitive practices" on its own line: a paragraph heading
            last.heading = last.intro.pop()
            self.add_text(last, last.intro, s, art)
            return
        b = _B("paragraph", None, no)
        art.blocks.append(b)
        self.add_text(b, b.intro, s, art)

    def add_text(self, b: _B, target: list[str], s: str, art: _Art) -> None:
        gm = _MISSING.search(s)
        after = ""
        if gm:
            after = s[gm.end():].strip()
            s = s[: gm.start()].rstrip()
        nm = _NOTE.search(s)
        if nm:
            art.notes.append(nm["note"])
            s = _NOTE.sub("", s).strip()
        if s:
            target.append(s)
        # "urpo": letters that only match themselves, in either case, under re.IGNORECASE
        if not art.defs_context and "urpo" in s.lower() and _DEF_CONTEXT.search(s):
            art.defs_context = True
        self.last_target = target
        self.last_line_text = s
        self.last_was_fn = False
        self.in_fn_section = False
        if gm:
            b.children.append(_B("gap", None, b.line, note=gm["note"]))
            if after:
                b.wrap.append(after)
                self.last_target = b.wrap
                self.last_line_text = after
            else:
                self.reset_text()


def _walk(blocks: Iterable[_B]) -> Iterable[_B]:
    for b in blocks:
        yield b
        yield from _walk(b.children)


_GLUE_CACHE: dict[str, re.Pattern[str]] = {}


def _glued(num: str) -> re.Pattern[str]:
    """Pattern of footnote number ``num`` glued to a word: ``person1``, ``objective.5``, ``;2, 3``."""
    pat = _GLUE_CACHE.get(num)
    if pat is None:
        pat = re.compile(
            r"(?:(?<=[A-Za-z])|(?<=[A-Za-z][.;:,)”’\"])|(?<=\)[.;:,])|(?<=[;,:] )(?<=[a-z][;,:] ))"
            + re.escape(num)
            + r"(?![\d.]\d)(?=[\s,;.:)]|$)"
        )
        _GLUE_CACHE[num] = pat
    return pat


_DIGITS = re.compile(r"\d+")


class _Taken(set[str]):
    """Id segments used under one parent, counting gaps and unnumbered blocks as they are added."""

    def __init__(self) -> None:
        super().__init__()
        self.gaps = 0
        self.unnumbered = 0

    def add(self, segment: str) -> None:
        if segment not in self:
            self.gaps += segment.startswith("gap")
            self.unnumbered += bool(_UNNUMBERED.fullmatch(segment))
        super().add(segment)

    @staticmethod
    def count(taken: set[str], kind: str) -> int:
        """The number the next gap (``kind="gap"``) or unnumbered block (``"p"``) takes."""
        if isinstance(taken, _Taken):
            return (taken.gaps if kind == "gap" else taken.unnumbered) + 1
        if kind == "gap":
            return sum(1 for t in taken if t.startswith("gap")) + 1
        return sum(1 for t in taken if _UNNUMBERED.fullmatch(t)) + 1


def _glued_in(blocks: Iterable[_B]) -> set[str]:
    """Every number glued to a word (as :func:`_glued` finds it) in the text of ``blocks``."""
    found: set[str] = set()
    for b in _walk(blocks):
        for part in (*b.intro, *b.wrap, b.term):
            digits = {n for n in _DIGITS.findall(part) if len(n) <= 3 and n not in found}  # markers: 1-3 digits
            found.update(n for n in digits if _glued(n).search(part))
    return found


# --- assembly ----------------------------------------------------------------------------


_VOCAB_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")


class _Builder:
    def __init__(self, agreement_id: str, reader: _Reader) -> None:
        self.aid = agreement_id
        self.r = reader

    def build(self, meta: dict[str, object]) -> Agreement:
        chapters: list[Chapter] = []
        taken: set[str] = set()
        kept = [c for c in self.r.chapters if c.articles or c.gaps or c.label != "Body"]
        for i, ch in enumerate(kept):
            if i == 0 and ch.label == "Body" and len(kept) > 1 and all(a.num is None for a in ch.articles):
                ch.label = "Front matter"
            chapters.append(self.chapter(ch, taken))
        return Agreement.model_validate(
            {
                "id": self.aid,
                "chapters": tuple(chapters),
                "removed": tuple(self.r.removed),
                "unparsed": tuple(self.r.unparsed),
                **meta,
            }
        )

    def chapter(self, ch: _Ch, taken: set[str]) -> Chapter:
        if ch.label == "Chapter" and ch.num:
            seg = f"ch{ids.clean_num(ch.num)}"
        elif ch.label == "Annex":
            seg = f"annex{ids.clean_num(ch.num or '')}"
        elif ch.label == "Preamble":
            seg = "preamble"
        elif ch.label == "Front matter":
            seg = "front"
        else:
            seg = "body"
        seg = ids.unique(seg, taken)
        ch_id = ids.join(self.aid, seg)
        art_parent = ch_id if ch.label != "Body" else self.aid
        self.resolve_footnotes(ch)
        arts: list[Article] = []
        art_taken: set[str] = set()
        nn = 0
        for art in ch.articles:
            if art.num is None:
                nn += 1
                aseg = f"artnn{nn}"
            else:
                aseg = f"art{ids.clean_num(art.num)}"
            art_id = ids.join(art_parent, ids.unique(aseg, taken if ch.label == "Body" else art_taken))
            arts.append(self.article(art, art_id))
        gaps = tuple(Gap(id=ids.join(ch_id, f"gap{i}"), note=n) for i, n in enumerate(ch.gaps, 1))
        return Chapter(
            id=ch_id, num=ch.num, heading=ch.heading, label=ch.label, articles=tuple(arts), gaps=gaps
        )

    def resolve_footnotes(self, ch: _Ch) -> None:
        """Turn glued footnote digits into ``[^N]`` marks; move each footnote to its article."""
        defs: dict[str, tuple[_Art, _FnDef]] = {}
        for art in ch.articles:
            for fn in art.footnotes:
                defs.setdefault(fn.num, (art, fn))
        if not defs:
            return
        explicit: set[str] = set()
        for art in ch.articles:
            for b in _walk(art.blocks):
                for part in (*b.intro, *b.wrap, b.term):
                    explicit.update(FOOTNOTE_MARK.findall(part))
        owner: dict[str, _Art] = {}
        rank = {num: k for k, num in enumerate(defs)}
        other = {num for num in defs if not num.isdigit() or not num.isascii()}
        for art in ch.articles:
            for num in art.heading_marks:
                owner.setdefault(num, art)
                explicit.add(num)
        for art in ch.articles:
            for b in _walk(art.blocks):
                for lst in (b.intro, b.wrap):
                    for i, part in enumerate(lst):
                        for num in FOOTNOTE_MARK.findall(part):
                            owner.setdefault(num, art)
                        # only numbers that stand in the part can be glued in it (a maximal run of
                        # digits, for numeric footnotes): test those, in the order of ``defs``
                        cands = {*_DIGITS.findall(part), *other} & defs.keys()
                        for num in sorted(cands, key=rank.__getitem__):
                            if num in explicit or num in owner:
                                continue
                            pat = _glued(num)
                            m = pat.search(lst[i])
                            if m:
                                lst[i] = lst[i][: m.start()] + f"[^{num}]" + lst[i][m.end():]
                                owner[num] = art
                m = _TERM_MARK.search(b.term) if "[^" in b.term else None
                if m:
                    owner.setdefault(m[1][2:-1], art)
                elif b.kind == "definition" and b.intro:
                    tm = re.match(re.escape(b.term) + r"(\d{1,3}(?:,\s?\d{1,3})*)\s", b.intro[0].lstrip("“\"‘'"))
                    if tm:
                        nums = [n.strip() for n in tm[1].split(",")]
                        if all(n in defs and n not in owner for n in nums):
                            marks = "".join(f"[^{n}]" for n in nums)
                            b.intro[0] = b.intro[0].replace(b.term + tm[1], b.term + marks, 1)
                            for n in nums:
                                owner[n] = art
        for num, (home, fn) in defs.items():
            target = owner.get(num, home)
            if target is not home:
                home.footnotes.remove(fn)
                target.footnotes.append(fn)

    def article(self, art: _Art, art_id: str) -> Article:
        taken = _Taken()
        children = tuple(self.block(b, art_id, taken, i) for i, b in enumerate(art.blocks))
        seen: set[str] = set()
        fns: list[Footnote] = []
        for fn in art.footnotes:
            fid = ids.join(art_id, ids.unique(f"fn{ids.clean_num(fn.num)}", seen))
            fns.append(Footnote(id=fid, num=fn.num, text=" ".join(fn.text).strip(), gap=fn.gap))
        return Article(
            id=art_id,
            num=art.num,
            heading=art.heading,
            label=art.label,
            section=art.section,
            children=children,
            footnotes=tuple(fns),
            heading_gap=art.heading_gap,
            heading_footnotes=art.heading_marks,
            notes=tuple(art.notes),
        )

    def block(self, b: _B, parent: str, taken: set[str], _pos: int) -> Block:
        if b.kind == "gap":
            seg = ids.unique(f"gap{_Taken.count(taken, 'gap')}", taken)
            return Gap(id=ids.join(parent, seg), note=b.note)
        if b.kind == "definition":
            seg = f"def-{ids.slug(FOOTNOTE_MARK.sub('', b.term))}"
        elif b.num is None:
            seg = f"p{_Taken.count(taken, 'p')}"
        elif b.kind == "paragraph":
            seg = f"para{ids.clean_num(b.num)}"
        else:
            seg = ids.clean_num(b.num)
        node_id = ids.join(parent, ids.unique(seg, taken))
        kid_taken = _Taken()
        kids = tuple(self.block(c, node_id, kid_taken, i) for i, c in enumerate(b.children))
        common: dict[str, Any] = {
            "id": node_id,
            "num": b.num,
            "heading": b.heading,
            "intro": " ".join(b.intro).strip(),
            "children": kids,
            "wrap_up": " ".join(b.wrap).strip(),
        }
        # Built without validation: every value above is already of its field's type (str,
        # str | None, a tuple of blocks built here), and the agreement checks its ids when built.
        if b.kind == "definition":
            common["term"] = FOOTNOTE_MARK.sub("", b.term)
            return _construct(Definition, common)
        if b.kind == "subparagraph":
            return _construct(Subparagraph, common)
        return _construct(Paragraph, common)


_M = TypeVar("_M", bound=BaseModel)
_REQUIRED = object()
_FIELDS: dict[type[BaseModel], tuple[tuple[str, Any], ...]] = {}


def _construct(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls.model_construct(**values)``: the same model, without pydantic's per-field work.

    For values already of their fields' types. The fields not given take their defaults,
    and only the given ones count as set, as with ``model_construct``.
    """
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = tuple(
            (name, _REQUIRED if f.is_required() else f.get_default(call_default_factory=True))
            for name, f in cls.model_fields.items()
        )
        _FIELDS[cls] = fields
    data = {name: values.get(name, default) for name, default in fields}
    if _REQUIRED in data.values():
        missing = [name for name, value in data.items() if value is _REQUIRED]
        raise TypeError(f"{cls.__name__}: no value for {missing}")
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", data)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


# --- metadata ------------------------------------------------------------------------------

_MULTI = {"source", "note"}


def _meta(header: list[tuple[str, str]]) -> dict[str, object]:
    out: dict[str, object] = {}
    sources: list[str] = []
    notes: list[str] = []
    other: list[tuple[str, str]] = []
    for key, value in header:
        if key == "source":
            sources.append(value)
        elif key == "note":
            notes.append(value)
        elif key == "title":
            out["title"] = value
        elif key in ("short-name", "short_name"):
            out["short_name"] = value
        elif key == "parties":
            out["parties"] = tuple(p.strip() for p in re.split(r",|;", value.split("(")[0]) if p.strip())
            other.append((key, value))
        elif key in ("date-signed", "date-in-force"):
            m = re.match(r"(\d{4}-\d{2}-\d{2})", value)
            if m:
                out["date_signed" if key == "date-signed" else "date_in_force"] = date.fromisoformat(m[1])
            other.append((key, value))
        elif key == "id":
            continue
        elif key == "version":
            out["version"] = value
        elif key == "language":
            out["language"] = value
        else:
            other.append((key, value))
    out["sources"] = tuple(sources)
    out["notes"] = tuple(notes)
    out["metadata"] = tuple(other)
    return out


def _default_id(path: str | None, header: list[tuple[str, str]]) -> str:
    for key, value in header:
        if key == "id":
            return ids.slug(value)
    if path:
        return ids.slug(Path(path).stem)
    return "text"


def read_text(
    text: str,
    *,
    path: str | Path | None = None,
    agreement_id: str | None = None,
    title: str | None = None,
    preprocess: Callable[[str], str] | None = None,
) -> Agreement:
    """Read agreement text (plain text or Markdown) into an :class:`Agreement`.

    Args:
        text: the text.
        path: where it came from, for error messages and the default id.
        agreement_id: id of the agreement (first segment of every node id); by default
            the ``# id:`` header, else the file name, else ``"text"``.
        title: title, if the text has no ``# title:`` header.
        preprocess: a function applied to the text before reading.

    Raises:
        NoArticlesError: nothing in the text looks like an article or a numbered paragraph.
        ParseError: the text is ambiguous at a line (e.g. an article number used twice).

    Examples:
        >>> a = read_text("Article 1: Scope\\n1. This Chapter applies.\\n2. It shall not apply to:\\n(a) tax.")
        >>> [b.id for b in a["1"].walk()]
        ['text/art1/para1', 'text/art1/para2', 'text/art1/para2/a']
    """
    path_s = str(path) if path is not None else None
    if preprocess is not None:
        text = preprocess(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = _Reader(path_s)
    reader.run(text)
    n_blocks = sum(len(a.blocks) + len(a.footnotes) for c in reader.chapters for a in c.articles)
    has_heading = any(a.num is not None for c in reader.chapters for a in c.articles)
    if not has_heading and n_blocks == 0:
        raise NoArticlesError(
            "no article heading, numbered paragraph or footnote found "
            "(expected lines such as 'Article 19.11: ...' or '1. ...')",
            path=path_s,
        )
    titled = any(k == "title" for k, _ in reader.header) or bool(reader.md_headings)
    if not has_heading and not titled and not any(
        b.num for c in reader.chapters for a in c.articles for b in a.blocks
    ):
        raise NoArticlesError(
            "no article heading or numbered paragraph found "
            "(expected lines such as 'Article 19.11: ...' or '1. ...')",
            path=path_s,
        )
    aid = ids.slug(agreement_id) if agreement_id else _default_id(path_s, reader.header)
    meta = _meta(reader.header)
    meta.setdefault("title", title or (Path(path_s).stem if path_s else "Untitled text"))
    if path_s and not meta["sources"]:
        meta["sources"] = (path_s,)
    return _Builder(aid, reader).build(meta)
