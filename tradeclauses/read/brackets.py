"""Bracketed negotiating texts: alternatives, proponents, and every reading of a draft.

Negotiating texts put wording that is not agreed in square brackets::

    1. [No Party shall][Parties shall endeavour not to] require a covered person to
       use [or locate] computing facilities in [its/that Party's] territory.
    [US propose: Article X.6: Movement of Information ...]
    6. [Alt 1: ...]
       [Alt 2: ...]

This reader turns each bracket into a *slot* with *options* (:class:`~tradeclauses.model.Option`)
on the provision that holds it, then lets you pick:

* adjacent brackets (``[A][B]``, ``[A] [B]``, ``[Alt 1: ...]`` / ``[Alt 2: ...]`` on
  consecutive lines) are alternatives: one of them is chosen;
* a bracket alone (``[or locate]``, ``[CH propose: ...]``) may be kept or left out:
  its slot has the wording and an empty option labelled ``"omit"``;
* slashes inside a plain bracket (``[Party/Member]``, ``[necessary/required]``) are
  alternatives;
* tags name the option: ``[US: ...]``, ``[JP/US propose: ...]``,
  ``[CH propose; CO oppose: ...]`` (proponents, opponents), ``[Alt 1: ...]`` (label);
* brackets nest (an option's words hold marks of nested slots); a bracket may run over
  several lines, e.g. a chapeau and its subparagraphs (its parts are ``K.1``,
  ``K.2``..., chosen together), or a whole article (``[US propose: Article X.6: ...]``:
  the article's provisions are optional, and a note on the article says who proposes
  it); a bracket left open in the source closes at the end of its paragraph;
* not negotiating brackets: footnote marks ``[^N]``, editorial marks ``[[MISSING: ...]]``
  and ``[[NOTE: ...]]``, and ``[GAP: ...]`` (read as a gap). Brackets on a heading line
  stay in the heading as printed.

The structure (articles, paragraphs, subparagraphs, footnotes) is read by the text
reader. ``tc.parse`` uses this reader when asked (``format="bracketed"``) or when the
start of a text shows negotiating brackets: a proponent tag (``[US propose: ...]``,
``[JP: ...]``), an ``[Alt 1`` label, or adjacent brackets ``][``.

Examples:
    >>> draft = read_bracketed(
    ...     "Article 8: Location of Computing Facilities\\n"
    ...     "1. [No Party shall][Parties shall endeavour not to] require a covered person to use "
    ...     "[or locate] computing facilities in [its/that Party's] territory.")
    >>> para = draft["8"].paragraphs[0]
    >>> para.text[:80]
    '[No Party shall][Parties shall endeavour not to] require a covered person to use'
    >>> para.text[80:]
    " [or locate] computing facilities in [its][that Party's] territory."
    >>> sorted(para.slots)
    ['1', '2', '3']
    >>> para.resolve(0).text
    'No Party shall require a covered person to use or locate computing facilities in its territory.'
    >>> len(list(para.readings()))
    8
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tradeclauses.errors import ProvisionNotFoundError, expect
from tradeclauses.model import (
    OPTION_MARK,
    Agreement,
    Article,
    Block,
    Chapter,
    Definition,
    Gap,
    Option,
    Paragraph,
    Subparagraph,
)
from tradeclauses.read import decode_text
from tradeclauses.read.text import read_text

__all__ = [
    "looks_bracketed",
    "read_bracketed",
    "read_bracketed_bytes",
    "readings",
    "resolve",
    "slots",
    "sniff_bracketed",
]

_PROTECTED = re.compile(r"\[\^[^\]\s]+\]|\[\[(?:MISSING|NOTE):.*?\]\]")
_LITERAL = re.compile(r"\[(?:[A-Z]|[IVX]{1,4}|\d{1,3}|X+|date|\.\.\.|…)\]")
"""Brackets that are not negotiating text: section letters ``[A]``, placeholders ``[X]``, ``[date]``."""
_GAP = re.compile(r"\[GAP:\s*(?P<note>[^\]]*)\]")
_FRONT = re.compile(r"^(?P<key>[A-Za-z][\w -]{0,30}):\s(?P<value>.*)$")
_HEADER = re.compile(r"^#\s*[a-z][a-z-]*:")
_HEADING = re.compile(r"^\s*(?:Article|ARTICLE|Art\.|Chapter|CHAPTER|Section|SECTION|Annex|ANNEX)\s+\S")
_PARA_LINE = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\.?\s")
_LABEL = re.compile(
    r"^(?P<label>\s*(?:\d{1,3}(?:\.\d{1,3})*\.?|\((?:[a-z]{1,4}|[A-Z]{1,3}|\d{1,2})\)|[a-z]\))\s+)(?P<rest>.*)$",
    re.DOTALL,
)
_WHO = r"[A-Z]{2,4}(?:\s*/\s*[A-Z]{2,4})*"
_TAG_PROPOSE = re.compile(
    rf"^\s*(?P<who>{_WHO})\s+(?:propose[sd]?|proposal|support[s]?)\b\s*(?:;\s*(?P<other>[^:\]]*?))?\s*:\s*"
)
_TAG_WHO = re.compile(rf"^\s*(?P<who>{_WHO})\s*:\s+")
_TAG_ALT = re.compile(r"^\s*(?P<label>Alt(?:ernative)?\.?\s*[\dA-Z]{1,3})\s*:?\s*")
_OPPOSE = re.compile(rf"^\s*(?P<who>{_WHO})\s+oppose[sd]?\s*$")
_STRONG = re.compile(
    rf"\[\s*(?:{_WHO})\s*(?:propose|proposal|support|:)|\[\s*Alt(?:ernative)?\.?\s*\d|\]\s?\[(?![\^\[])"
)
_OPEN, _OPEN_SHIFT, _CLOSE, _CLOSE_SHIFT = "\ue000", "\ue003", "\ue002", "\ue004"
_KEY0 = 0xE100
_SPAN = re.compile(
    r"(?:(?P<pre>.)"
    + _OPEN_SHIFT
    + "|"
    + _OPEN
    + r")(?P<key>[\ue100-\uf8ff])(?P<body>.*?)(?:"
    + _CLOSE_SHIFT
    + r"(?P<post>.)|"
    + _CLOSE
    + ")",
    re.DOTALL,
)
_SPACES = re.compile(r"\s+")
_LETTER_NUM = re.compile(r"(?m)^(?P<word>\s*(?:Article|ARTICLE)\s+)(?P<num>[A-Z]{1,2}(?:\.\d+)+)(?=[\s:.]|$)")
_N = TypeVar("_N", Article, Block)


def looks_bracketed(text: str) -> bool:
    """Does ``text`` show negotiating brackets (proponent tags, ``Alt`` labels, ``][``)?

    Examples:
        >>> looks_bracketed("1. [US propose: No Party shall ...]")
        True
        >>> looks_bracketed("1. This Chapter applies.[^1]\\n[[MISSING: Article 2]]")
        False
    """
    return _STRONG.search(_PROTECTED.sub("", text)) is not None


# --- the bracket tree ------------------------------------------------------------------------


@dataclass
class _Br:
    """A bracket: its content (strings and nested brackets) and what its tag says."""

    parts: list[str | _Br] = field(default_factory=list)
    closed: bool = False
    label: str | None = None
    proponents: tuple[str, ...] = ()
    opposed: tuple[str, ...] = ()
    note: str | None = None
    raw: str = ""
    start: int = 0
    end: int = 0

    def plain(self) -> str:
        """The words with every nested bracket read as its first option (for the text reader)."""
        out = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
            else:
                out.append(p.first_plain())
        return "".join(out)

    def first_plain(self) -> str:
        alts = _slash(self)
        return alts[0] if alts else self.plain()

    def multiline(self) -> bool:
        return any("\n" in p if isinstance(p, str) else p.multiline() for p in self.parts)


def _boundary(line: str, level: str) -> bool:
    if not line.strip() or _HEADING.match(line) or line.lstrip().startswith("[[MISSING"):
        return True
    return level != "article" and bool(_PARA_LINE.match(line))


def _closes_before_boundary(text: str, pos: int, depth: int, level: str) -> bool:
    """From ``pos`` (a newline), is the bracket at ``depth`` closed before its paragraph ends?"""
    lines = text[pos + 1 :].split("\n")
    d = depth
    for line in lines:
        if _boundary(line, level):
            return False
        for m in re.finditer(r"\[\^[^\]\s]+\]|\[\[(?:MISSING|NOTE):.*?\]\]|[\[\]]", line):
            tok = m[0]
            if tok == "[":
                d += 1
            elif tok == "]":
                d -= 1
                if d < depth:
                    return True
    return False


def _tree(text: str) -> list[str | _Br]:
    """Parse the brackets of ``text`` into a tree (unbalanced brackets tolerated)."""
    root = _Br()
    stack: list[tuple[_Br, str]] = [(root, "root")]
    i, n = 0, len(text)
    while i < n:
        m = _PROTECTED.match(text, i)
        if m:
            _add(stack[-1][0], m[0])
            i = m.end()
            continue
        c = text[i]
        if c == "[" and not _LITERAL.match(text, i):
            br = _Br(start=i)
            line_end = text.find("\n", i)
            first_line = text[i + 1 : line_end if line_end >= 0 else n]
            tagless = _strip_tag(first_line)
            level = "article" if _HEADING.match(tagless) else ("block" if not tagless.strip() else "para")
            stack[-1][0].parts.append(br)
            stack.append((br, level))
        elif c == "[" and (lit := _LITERAL.match(text, i)):
            _add(stack[-1][0], lit[0])
            i = lit.end()
            continue
        elif c == "]" and len(stack) > 1:
            br, _ = stack.pop()
            br.closed = True
            br.end = i + 1
        elif c == "\n" and len(stack) > 1:
            # close the brackets that the source leaves open at the end of their paragraph
            while len(stack) > 1 and not _closes_before_boundary(text, i, len(stack) - 1, stack[-1][1]):
                nxt = text[i + 1 : text.find("\n", i + 1) if text.find("\n", i + 1) >= 0 else n]
                if not _boundary(nxt, stack[-1][1]):
                    break
                br, _ = stack.pop()
                br.end = i
            _add(stack[-1][0], c)
        else:
            _add(stack[-1][0], c)
        i += 1
    while len(stack) > 1:
        br, _ = stack.pop()
        br.end = n
    _annotate(root, text)
    return root.parts


def _add(br: _Br, s: str) -> None:
    if br.parts and isinstance(br.parts[-1], str):
        br.parts[-1] += s
    else:
        br.parts.append(s)


def _strip_tag(s: str) -> str:
    for pat in (_TAG_PROPOSE, _TAG_ALT, _TAG_WHO):
        m = pat.match(s)
        if m:
            return s[m.end() :]
    return s


def _annotate(br: _Br, text: str) -> None:
    """Read the tag at the start of each bracket (proponents, label), recursively."""
    for p in br.parts:
        if isinstance(p, str):
            continue
        p.raw = text[p.start : p.end]
        head = p.parts[0] if p.parts and isinstance(p.parts[0], str) else ""
        m = _TAG_PROPOSE.match(head)
        if m:
            p.proponents = _who(m["who"])
            other = (m["other"] or "").strip()
            om = _OPPOSE.match(other)
            if om:
                p.opposed = _who(om["who"])
            elif other:
                p.note = other
        else:
            m = _TAG_ALT.match(head)
            if m:
                p.label = _SPACES.sub(" ", m["label"]).replace("Alternative", "Alt").replace("Alt.", "Alt")
            else:
                m = _TAG_WHO.match(head)
                if m and not head[m.end() :].startswith("//"):
                    p.proponents = _who(m["who"])
        if m:
            rest = head[m.end() :]
            if rest:
                p.parts[0] = rest
            else:
                p.parts.pop(0)
        _annotate(p, text)


def _who(s: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in s.split("/") if w.strip())


def _slash(br: _Br) -> list[str]:
    """``[Party/Member]`` → ``["Party", "Member"]``; ``[]`` for any other bracket."""
    if br.label or br.proponents or len(br.parts) != 1 or not isinstance(br.parts[0], str):
        return []
    s = br.parts[0]
    if "/" not in s or "\n" in s or "//" in s:
        return []
    lead, trail = s[: len(s) - len(s.lstrip())], s[len(s.rstrip()) :]
    alts = [a.strip() for a in s.split("/")]
    if not all(re.search(r"[A-Za-z]", a) for a in alts):
        return []
    return [lead + a + trail for a in alts]


def _groups(parts: list[str | _Br]) -> list[str | list[_Br]]:
    """Gather adjacent brackets into groups of alternatives."""
    out: list[str | list[_Br]] = []
    for p in parts:
        if isinstance(p, _Br):
            prev = out[-1] if out else None
            between = out[-2] if len(out) >= 2 and isinstance(prev, str) else None
            if isinstance(prev, list) and _alternatives(prev[-1], p):
                prev.append(p)
                continue
            if (
                isinstance(prev, str)
                and isinstance(between, list)
                and not prev.strip()
                and (("\n" not in prev) or (prev.count("\n") == 1 and bool(between[-1].label and p.label)))
                and _alternatives(between[-1], p)
            ):
                out.pop()
                between.append(p)
                continue
            out.append([p])
        elif out and isinstance(out[-1], str):
            out[-1] += p
        else:
            out.append(p)
    return out


def _alternatives(a: _Br, b: _Br) -> bool:
    """Are two adjacent brackets alternatives (not successive proposals)?"""
    if _HEADING.match(_strip_tag(a.plain())) or _HEADING.match(b.plain()):
        return False
    if a.label and b.label:
        return True
    tail = a.plain().rstrip()
    return not tail.endswith((",", ";")) and not (a.multiline() and not b.label)


# --- slots, options and the text for the text reader -----------------------------------------


@dataclass
class _Slot:
    key: str
    options: list[Option]
    raw: str


class _Emitter:
    """Turns the bracket tree into text for the text reader, and records the options."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.slots: list[_Slot] = []
        self.count = 0
        self.notes: list[str] = []

    def raw(self, group: list[_Br]) -> str:
        """The group as printed in the source."""
        return self.source[group[0].start : group[-1].end]

    def new_key(self) -> str:
        self.count += 1
        return str(self.count)

    def options_of(self, group: list[_Br], key: str) -> list[Option]:
        """The options of one group, their words rendered with marks of nested slots."""
        if len(group) == 1 and _slash(group[0]):
            return [Option(slot=key, label=str(i), text=t) for i, t in enumerate(_slash(group[0]), 1)]
        out = []
        for i, br in enumerate(group, 1):
            label = br.label or str(i)
            out.append(
                Option(
                    slot=key,
                    label=label,
                    text=_SPACES.sub(" ", self.render(br.parts)).strip(),
                    proponents=br.proponents,
                    opposed=br.opposed,
                    note=br.note,
                )
            )
        if len(group) == 1:
            out.append(Option(slot=key, label="omit", text=""))
        return out

    def render(self, parts: list[str | _Br]) -> str:
        """Words with a ``[~K]`` mark for every slot (used for option texts)."""
        out = []
        for g in _groups(parts):
            if isinstance(g, str):
                out.append(g)
                continue
            key = self.new_key()
            self.slots.append(_Slot(key, self.options_of(g, key), self.raw(g)))
            out.append(f"[~{key}]")
        return "".join(out)

    def span(self, key_index: int, body: str) -> str:
        """Wrap ``body`` in sentinels; keep its first and last characters outside them."""
        core = body.strip()
        lead = body[: len(body) - len(body.lstrip())]
        trail = body[len(body.rstrip()) :]
        key = chr(_KEY0 + key_index)
        if len(core) >= 3:
            return f"{lead}{core[0]}{_OPEN_SHIFT}{key}{core[1:-1]}{_CLOSE_SHIFT}{core[-1]}{trail}"
        return f"{lead}{_OPEN}{key}{core}{_CLOSE}{trail}"

    def emit(self, parts: list[str | _Br]) -> str:
        """The text for the text reader: every top-level slot wrapped in sentinels."""
        out: list[str] = []
        for g in _groups(parts):
            if isinstance(g, str):
                out.append(g)
            elif any(b.multiline() for b in g):
                out.append(self.emit_lines(g))
            else:
                out.append(self.emit_inline(g, out))
        return "".join(out)

    def emit_inline(self, group: list[_Br], out: list[str]) -> str:
        line_so_far = "".join(out).rsplit("\n", 1)[-1]
        if _HEADING.match(line_so_far):
            return self.raw(group)  # brackets in a heading stay as printed
        key = self.new_key()
        self.slots.append(_Slot(key, self.options_of(group, key), self.raw(group)))
        return self.span(len(self.slots) - 1, group[0].first_plain())

    def emit_lines(self, group: list[_Br]) -> str:
        """A bracket over several lines: one slot part per line, chosen together."""
        key = self.new_key()
        labels = [b.label or str(i) for i, b in enumerate(group, 1)]
        if len(group) == 1:
            labels.append("omit")
        pieces: list[str] = []
        part = 0
        for b, label in zip(group, labels, strict=False):
            who = b.proponents
            text = self.render(b.parts)
            lines = text.split("\n")
            for li, line in enumerate(lines):
                if li and pieces and not pieces[-1].endswith("\n"):
                    pieces.append("\n")
                if not line.strip():
                    continue
                if _HEADING.match(line):
                    pieces.append(_unmark(line, self.slots))
                    if who:
                        pieces.append(f"\n[[NOTE: proposed by {'/'.join(who)}]]")
                    continue
                m = _LABEL.match(line)
                head, body = (m["label"], m["rest"]) if m else ("", line)
                gaps = "".join(re.findall(r"\s*\[\[(?:MISSING|NOTE):.*?\]\]", body))
                body = re.sub(r"\s*\[\[(?:MISSING|NOTE):.*?\]\]", "", body)
                part += 1
                pkey = f"{key}.{part}"
                opts = [
                    Option(
                        slot=pkey,
                        label=lab,
                        text=_SPACES.sub(" ", body).strip() if lab == label else "",
                        proponents=who if lab == label else other.proponents,
                        opposed=b.opposed if lab == label else other.opposed,
                        note=b.note if lab == label else other.note,
                    )
                    for lab, other in zip(labels, [*group, _Br()], strict=False)
                ]
                self.slots.append(_Slot(pkey, opts, b.raw))
                plain = OPTION_MARK.sub(lambda mm: _first_text(mm[1], self.slots), body)
                pieces.append(head + self.span(len(self.slots) - 1, plain) + gaps)
            if pieces and not pieces[-1].endswith("\n"):
                pieces.append("\n")
        text = "".join(pieces)
        return text[:-1] if text.endswith("\n") else text


def _find(slots: list[_Slot], key: str) -> _Slot | None:
    return next((s for s in slots if s.key == key), None)


def _first_text(key: str, slots: list[_Slot]) -> str:
    slot = _find(slots, key)
    if slot is None or not slot.options:
        return ""
    return OPTION_MARK.sub(lambda m: _first_text(m[1], slots), slot.options[0].text)


def _unmark(text: str, slots: list[_Slot]) -> str:
    """``text`` with marks replaced by the brackets as printed."""
    return OPTION_MARK.sub(lambda m: s.raw if (s := _find(slots, m[1])) else "", text)


# --- putting the options on the provisions ------------------------------------------------------


class _Attacher:
    def __init__(self, slots: list[_Slot]) -> None:
        self.slots = slots
        self.by_key = {s.key: s for s in slots}

    def decode(self, text: str) -> tuple[str, list[str]]:
        """Replace sentinel spans with ``[~K]`` marks; return the text and the slots used."""
        used: list[str] = []

        def repl(m: re.Match[str]) -> str:
            slot = self.slots[ord(m["key"]) - _KEY0]
            used.append(slot.key)
            return f"[~{slot.key}]"

        return _SPAN.sub(repl, text), used

    def printed(self, text: str) -> str:
        return _SPAN.sub(lambda m: self.slots[ord(m["key"]) - _KEY0].raw, text)

    def options(self, keys: list[str]) -> tuple[Option, ...]:
        out: list[Option] = []
        todo = list(keys)
        seen: set[str] = set()
        while todo:
            key = todo.pop(0)
            if key in seen or key not in self.by_key:
                continue
            seen.add(key)
            for o in self.by_key[key].options:
                out.append(o)
                todo.extend(OPTION_MARK.findall(o.text))
        return tuple(out)

    def block(self, b: Block) -> Block:
        if isinstance(b, Gap):
            return b
        intro, k1 = self.decode(b.intro)
        wrap, k2 = self.decode(b.wrap_up)
        changes: dict[str, object] = {
            "intro": _SPACES.sub(" ", intro).strip() if k1 else intro,
            "wrap_up": _SPACES.sub(" ", wrap).strip() if k2 else wrap,
            "children": tuple(self.block(c) for c in b.children),
            "options": self.options(k1 + k2),
        }
        if b.heading and _has_span(b.heading):
            changes["heading"] = self.printed(b.heading)
        if isinstance(b, Definition) and _has_span(b.term):
            changes["term"] = self.printed(b.term)
        return b.replace(**changes)

    def article(self, art: Article) -> Article:
        changes: dict[str, object] = {"children": tuple(self.block(c) for c in art.children)}
        if art.heading and _has_span(art.heading):
            changes["heading"] = self.printed(art.heading)
        if any(_has_span(f.text) for f in art.footnotes):
            changes["footnotes"] = tuple(f.replace(text=self.printed(f.text)) for f in art.footnotes)
        return art.replace(**changes)


def _has_span(text: str) -> bool:
    return _OPEN in text or _OPEN_SHIFT in text


def _front_matter(text: str) -> str:
    """``key: value`` lines closed by a ``---`` line become ``# key: value`` header lines."""
    lines = text.split("\n")
    try:
        end = lines.index("---", 0, 60)
    except ValueError:
        return text
    head = [ln for ln in lines[:end] if ln.strip()]
    if not head or not all(_FRONT.match(ln) for ln in head):
        return text
    out = []
    for ln in head:
        m = _FRONT.match(ln)
        assert m is not None  # checked above
        out.append(f"# {m['key'].strip().lower().replace(' ', '-')}: {m['value']}")
    return "\n".join(out + lines[end + 1 :])


def sniff_bracketed(head: bytes) -> str | None:
    """Content sniffer: ``"bracketed"`` for text whose start shows negotiating brackets.

    Examples:
        >>> sniff_bracketed(b"Article 2\\n1. [US propose: No Party may ...]")
        'bracketed'
    """
    if head.lstrip()[:1] in (b"<", b"{", b"%"):
        return None
    return "bracketed" if looks_bracketed(head.decode("utf-8", "replace")) else None


def read_bracketed_bytes(data: bytes, *, path: str | None = None, agreement_id: str | None = None) -> Agreement:
    """The ``"bracketed"`` reader of :data:`tradeclauses.read.READERS` (bytes in)."""
    return read_bracketed(decode_text(data, path), path=path, agreement_id=agreement_id)


def read_bracketed(
    text: str,
    *,
    path: str | Path | None = None,
    agreement_id: str | None = None,
    title: str | None = None,
) -> Agreement:
    """Read a bracketed negotiating text: the text reader's structure, with alternatives.

    Args:
        text: the draft (plain text or Markdown, as for :func:`~tradeclauses.read.text.read_text`).
        path: where it came from.
        agreement_id: id of the agreement.
        title: title, if the text has no ``# title:`` header.

    Examples:
        >>> a = read_bracketed("Article 1: Scope\\n1. [JP/US propose: Each Party shall allow transfers.]")
        >>> [(o.label, o.proponents) for o in a["1"].paragraphs[0].options]
        [('1', ('JP', 'US')), ('omit', ())]
    """
    text = _front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    n_header = 0
    while n_header < len(lines) and _HEADER.match(lines[n_header].strip()):
        n_header += 1
    header = "\n".join(lines[:n_header])
    body = _GAP.sub(lambda m: f"[[MISSING: {m['note'].strip()}]]", "\n".join(lines[n_header:]))
    emitter = _Emitter(body)
    emitted = emitter.emit(_tree(body))
    # numbers such as "X.6" (placeholders of drafts) are read by the text reader as
    # roman "X": stand in a number it reads for each, and put the real one back after
    stand_ins: dict[str, str] = {}

    def stand_in(m: re.Match[str]) -> str:
        key = str(90000 + len(stand_ins))
        stand_ins[key] = m["num"]
        return f"{m['word']}{key}"

    emitted = _LETTER_NUM.sub(stand_in, emitted)
    agreement = read_text(
        (header + "\n" if header else "") + emitted, path=path, agreement_id=agreement_id, title=title
    )
    attach = _Attacher(emitter.slots)
    chapters = tuple(
        ch.replace(articles=tuple(_restore(attach.article(a), stand_ins) for a in ch.articles))
        for ch in agreement.chapters
    )
    return agreement.replace(chapters=chapters)


def _restore(art: Article, stand_ins: Mapping[str, str]) -> Article:
    """Give an article its printed number back (and its ids) after a stand-in number."""
    real = stand_ins.get((art.num or "").split(".", 1)[0])
    if real is None or art.num is None:
        return art
    num = real + art.num[len(art.num.split(".", 1)[0]) :] if "." not in real else real
    old_id = art.id
    new_id = old_id[: old_id.rfind("/art") + 4] + num
    return _rebase(art, old_id, new_id).replace(num=num)


def _rebase(node: _N, old: str, new: str) -> _N:
    """A copy of ``node`` with the id prefix ``old`` replaced by ``new`` throughout."""
    changes: dict[str, object] = {"id": new + node.id[len(old) :]}
    if isinstance(node, Article):
        changes["children"] = tuple(_rebase(c, old, new) for c in node.children)
        changes["footnotes"] = tuple(f.replace(id=new + f.id[len(old) :]) for f in node.footnotes)
    elif not isinstance(node, Gap):
        changes["children"] = tuple(_rebase(c, old, new) for c in node.children)
    return node.replace(**changes)


# --- choosing --------------------------------------------------------------------------------


def _blocks(node: Agreement | Article | Block) -> Iterator[Block]:
    expect(node, (Agreement, Article, Paragraph, Subparagraph, Definition, Gap), "an agreement, article or provision")
    if isinstance(node, Agreement):
        for art in node.articles:
            yield from art.walk()
    elif isinstance(node, Gap):
        yield node
    else:
        yield from node.walk()


def slots(node: Agreement | Article | Block) -> dict[str, tuple[Option, ...]]:
    """Every slot of alternatives in ``node``: slot → its options (all parts).

    Examples:
        >>> a = read_bracketed("Article 1: A\\n1. Each [Party/Member] shall act.")
        >>> {k: [o.text for o in v] for k, v in slots(a).items()}
        {'1': ['Party', 'Member']}
    """
    out: dict[str, list[Option]] = {}
    for b in _blocks(node):
        if not isinstance(b, Gap):
            for o in b.options:
                out.setdefault(o.group, []).append(o)
    return {k: tuple(v) for k, v in out.items()}


def _mapping(
    found: Mapping[str, tuple[Option, ...]],
    choice: str | int | Mapping[str, str | int],
    default: str | int | None,
) -> dict[str, str]:
    out: dict[str, str] = {}
    for group, options in found.items():
        labels = list(dict.fromkeys(o.label for o in options))
        tries: list[str | int | Mapping[str, str | int]] = [choice]
        if default is not None:
            tries.append(default)
        for attempt in tries:
            pick = _pick_label(labels, options, attempt, group)
            if pick is not None:
                out[group] = pick
                break
        else:
            raise ProvisionNotFoundError(
                f"slot {group}", str(choice), f"options: {labels}; pass default= for slots the choice does not name"
            )
    return out


def _pick_label(
    labels: list[str], options: tuple[Option, ...], choice: str | int | Mapping[str, str | int], group: str
) -> str | None:
    if isinstance(choice, Mapping):
        if group not in choice:
            return None
        choice = choice[group]
    if isinstance(choice, int):
        return labels[choice] if 0 <= choice < len(labels) else None
    if choice in labels:
        return choice
    for o in options:
        if choice in o.proponents:
            return o.label
    return "omit" if "omit" in labels else None


def _resolve_article(art: Article, chosen: Mapping[str, str]) -> Article | None:
    kids = [
        kept
        for child in art.children
        if (kept := _prune(child, child.resolve(chosen) if not isinstance(child, Gap) and child.slots else child))
        is not None
    ]
    if any(not isinstance(c, Gap) for c in art.children) and all(isinstance(k, Gap) for k in kids):
        return None  # the whole article was a proposal, and it is left out
    return art.replace(children=tuple(kids))


def _prune(orig: Block, settled: Block) -> Block | None:
    """``settled`` without the provisions that had words before and have none now."""
    if isinstance(orig, Gap) or isinstance(settled, Gap):
        return settled
    if orig.text and not settled.text:
        return None
    kids = tuple(k for o, s in zip(orig.children, settled.children, strict=True) if (k := _prune(o, s)) is not None)
    return settled.replace(children=kids) if len(kids) != len(settled.children) else settled


def resolve(
    node: Agreement,
    choice: str | int | Mapping[str, str | int],
    *,
    default: str | int | None = None,
) -> Agreement:
    """One reading of a negotiating text: every slot settled, left-out provisions dropped.

    Args:
        node: the agreement read from a bracketed text.
        choice: a label or proponent for every slot (``"US"``: what the US proposes,
            leaving out single brackets it does not propose), a position (``0``: every
            first option), or a mapping of slot to label or position.
        default: what to pick in slots that ``choice`` does not settle (e.g. ``0``).

    Raises:
        ProvisionNotFoundError: a slot that neither ``choice`` nor ``default`` settles.

    Examples:
        >>> draft = read_bracketed("Article 1: A\\n1. [US: No Party shall][EU: A Party may] require X.\\n"
        ...                        "2. [EU propose: Each Party may regulate.]")
        >>> [p.text for p in resolve(draft, "US").articles[0].paragraphs]
        ['No Party shall require X.']
        >>> [p.text for p in resolve(draft, "EU").articles[0].paragraphs]
        ['A Party may require X.', 'Each Party may regulate.']
    """
    chosen = _mapping(slots(node), choice, default)
    chapters: list[Chapter] = []
    for ch in node.chapters:
        arts = [a for art in ch.articles if (a := _resolve_article(art, chosen)) is not None]
        chapters.append(ch.replace(articles=tuple(arts)))
    return node.replace(chapters=tuple(chapters))


def readings(node: Agreement, *, limit: int | None = 10_000) -> Iterator[tuple[dict[str, str], Agreement]]:
    """Every fully settled reading of a negotiating text, with the choices that give it.

    Nested slots are only chosen for where the option that holds them is chosen. The
    number of readings grows fast (two slots of two options each: four readings);
    ``limit`` caps it (``None`` for no cap).

    Examples:
        >>> draft = read_bracketed("Article 1: A\\n1. Each [Party/Member] shall [endeavour to] act.")
        >>> [r.articles[0].text for _, r in readings(draft)]  # doctest: +NORMALIZE_WHITESPACE
        ['Each Party shall endeavour to act.', 'Each Party shall act.',
         'Each Member shall endeavour to act.', 'Each Member shall act.']
    """
    expect(node, Agreement, "an Agreement (tc.parse of a bracketed draft)")
    found = slots(node)
    wrapper = Paragraph(
        id=f"{node.id}/readings",
        intro=" ".join(
            f"[~{m}]"
            for b in _blocks(node)
            if not isinstance(b, Gap)
            for m in OPTION_MARK.findall(b.intro + " " + b.wrap_up)
        ),
        options=tuple(o for opts in found.values() for o in opts),
    )
    combos = wrapper.choices()
    for chosen in itertools.islice(combos, limit):
        full = {g: chosen.get(g, found[g][0].label) for g in found}
        yield chosen, resolve(node, full)
