"""The PDF reader: text with its layout undone, then the text reader.

Extraction uses `pdfminer.six` (optional extra ``pdf``). It was chosen over pypdf and
pdfplumber because it gives every text line with its position on the page (pypdf's
layout mode gives a character grid, not lines with coordinates) and it is pure Python
with no dependency of its own (pdfplumber is built on it and adds Pillow and
pypdfium2). From those positions this module:

* drops running headers and footers: lines in the top or bottom band of the page that
  repeat on other pages (digits ignored, so ``19-1``, ``19-2`` repeat) or are a bare
  page number; they are kept in ``Agreement.removed``;
* reads two-column pages column by column: it looks for a vertical gutter that no line
  crosses, and reads the left column, then the right, band by band (a line across the
  whole page, such as a title, closes a band);
* marks a blank line where the gap between lines is larger than the usual line spacing.

Work and memory are bounded: before pdfminer sees the file, every compressed stream
is inflated in chunks, without keeping the output, and a stream that inflates past
:data:`MAX_STREAM_BYTES` (or past :data:`MAX_SMALL_STREAM_BYTES` at more than
:data:`MAX_STREAM_RATIO` times its compressed size), or streams that inflate past
:data:`MAX_INFLATED_BYTES` in all, raise :class:`~tradeclauses.errors.InputTooLargeError`;
so do more than :data:`MAX_PAGES` pages, :data:`MAX_PAGE_CHARS` characters on a page
or :data:`MAX_CHARS` in all, counted while pdfminer lays the characters out. A PDF
whose pages hold no text at all (a scan) raises
:class:`~tradeclauses.errors.NoTextLayerError`.

Words hyphenated at the end of a line, lines wrapped mid-sentence, footnote numbers
glued to words and footnote texts at the foot of a page are then handled by the text
reader (:mod:`tradeclauses.read.text`).

Examples:
    >>> from tradeclauses.read.pdf import _Line, order_lines
    >>> lines = [_Line(300, 700, 500, 710, "right top"), _Line(50, 700, 250, 710, "left top"),
    ...          _Line(50, 680, 250, 690, "left next"), _Line(300, 680, 500, 690, "right next")]
    >>> [ln.text for ln in order_lines(lines, 600)]
    ['left top', 'left next', 'right top', 'right next']
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tradeclauses.errors import InputTooLargeError, MissingDependencyError, NoTextLayerError, ParseError
from tradeclauses.model import Agreement, Residue
from tradeclauses.read.text import read_text

__all__ = [
    "MAX_CHARS",
    "MAX_INFLATED_BYTES",
    "MAX_PAGES",
    "MAX_PAGE_CHARS",
    "MAX_SMALL_STREAM_BYTES",
    "MAX_STREAM_BYTES",
    "MAX_STREAM_RATIO",
    "check_streams",
    "join_wrapped",
    "mark_footnotes",
    "order_lines",
    "pdf_lines",
    "read_pdf",
]

MAX_PAGES = 5_000
"""Most pages read from one PDF (a whole agreement with its annexes has a few thousand)."""
MAX_PAGE_CHARS = 200_000
"""Most characters on one page (a dense treaty page has about 5,000)."""
MAX_CHARS = 20_000_000
"""Most characters in one PDF, all pages together."""
MAX_STREAM_BYTES = 256 * 1024 * 1024
"""Most bytes one compressed stream of the PDF may inflate to (256 MiB)."""
MAX_SMALL_STREAM_BYTES = 16 * 1024 * 1024
"""A stream inflating past this (16 MiB) may do so at most :data:`MAX_STREAM_RATIO` times its size."""
MAX_STREAM_RATIO = 100
"""Highest inflated/compressed ratio of a large stream (text streams compress 3-10 times; bombs, 1,000)."""
MAX_INFLATED_BYTES = 1024 * 1024 * 1024
"""Most bytes all the compressed streams of a PDF may inflate to together (1 GiB)."""
_STREAM = re.compile(rb"stream\r?\n")
_INFLATE_CHUNK = 1 << 20

_BAND = 0.08
"""Share of the page height, at top and bottom, where running heads and page numbers sit."""
_PAGE_NUM = re.compile(
    r"^\s*(?:[-–]\s*)?(?:Page\s+)?(?:\d{1,3}\s*[-–]\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*[-–])?\s*$", re.I
)


@dataclass
class _Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def order_lines(lines: list[_Line], width: float) -> list[_Line]:
    """Put the lines of one page in reading order, column by column.

    Examples:
        >>> [ln.text for ln in order_lines([_Line(50, 600, 500, 610, "b"), _Line(50, 700, 500, 710, "a")], 600)]
        ['a', 'b']
    """
    if not lines:
        return []
    lines = sorted(lines, key=lambda ln: (-ln.y1, ln.x0))
    gutter = _gutter(lines, width)
    if gutter is None:
        return lines
    out: list[_Line] = []
    band: list[_Line] = []

    def flush() -> None:
        out.extend(ln for ln in band if ln.x1 <= gutter)
        out.extend(ln for ln in band if ln.x1 > gutter)
        band.clear()

    for ln in lines:
        if ln.x0 < gutter < ln.x1:
            flush()
            out.append(ln)
        else:
            band.append(ln)
    flush()
    return out


def _gutter(lines: list[_Line], width: float) -> float | None:
    """An x position that (almost) no line crosses, with text on both sides, or ``None``."""
    best: tuple[int, float] | None = None
    for step in range(30, 71):
        x = width * step / 100
        crossing = sum(1 for ln in lines if ln.x0 < x < ln.x1)
        left = sum(1 for ln in lines if ln.x1 <= x)
        right = sum(1 for ln in lines if ln.x0 >= x)
        if left < 0.2 * len(lines) or right < 0.2 * len(lines):
            continue
        if best is None or crossing < best[0]:
            best = (crossing, x)
    if best is None or best[0] > 0.1 * len(lines):
        return None
    return best[1]


def check_streams(data: bytes, *, path: str | None = None) -> int:
    """Inflate every zlib stream of a PDF in bounded chunks; return the bytes they inflate to.

    Nothing inflated is kept, and the work stops as soon as a limit is passed.

    Raises:
        InputTooLargeError: a stream, or all of them, inflate past the limits above.

    Examples:
        >>> check_streams(b"1 0 obj <</Length 12>> stream\\n" + zlib.compress(bytes(1000)) + b"\\nendstream")
        1000
    """
    total = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        if data[start : start + 1] != b"\x78":  # not a zlib stream (images, fonts, plain text)
            continue
        end = data.find(b"endstream", start)
        packed = memoryview(data)[start : end if end != -1 else len(data)]
        inflater = zlib.decompressobj()
        size = 0
        limit = MAX_STREAM_BYTES
        pending = bytes(packed)
        try:
            while pending and not inflater.eof:
                size += len(inflater.decompress(pending, _INFLATE_CHUNK))
                pending = inflater.unconsumed_tail
                if size > MAX_SMALL_STREAM_BYTES and size > MAX_STREAM_RATIO * len(packed):
                    limit = size - 1
                if size > limit or total + size > MAX_INFLATED_BYTES:
                    raise InputTooLargeError(
                        f"a compressed stream at byte {start:,} inflates to more than {size:,} bytes from "
                        f"{len(packed):,} (limits: {MAX_STREAM_BYTES:,} bytes a stream, {MAX_STREAM_RATIO} times "
                        f"its size past {MAX_SMALL_STREAM_BYTES:,}, {MAX_INFLATED_BYTES:,} in all): "
                        "refused as a decompression bomb",
                        path=path,
                    )
        except zlib.error:
            pass  # damaged: pdfminer reports it, or recovers what it can
        total += size
    return total


def pdf_lines(data: bytes, *, path: str | None = None) -> tuple[list[str], list[Residue]]:
    """The lines of a PDF in reading order, and the page furniture taken out.

    Raises:
        MissingDependencyError: pdfminer.six is not installed.
        ParseError: the file cannot be read as a PDF.
        InputTooLargeError: past a limit on streams, pages or characters.
        NoTextLayerError: the pages hold no text at all.
    """
    try:
        from pdfminer.converter import PDFPageAggregator  # noqa: PLC0415 - optional dependency
        from pdfminer.layout import LAParams, LTTextContainer, LTTextLine  # noqa: PLC0415
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager  # noqa: PLC0415
        from pdfminer.pdfpage import PDFPage  # noqa: PLC0415
    except ImportError:
        raise MissingDependencyError("reading PDF files", "pdf") from None
    check_streams(data, path=path)

    class _Counted(PDFPageAggregator):
        """Lays pages out as pdfminer does, counting characters as they come."""

        total = 0
        page = 0
        on_page = 0

        def begin_page(self, *args: Any, **kwargs: Any) -> None:
            self.page += 1
            self.on_page = 0
            if self.page > MAX_PAGES:
                raise InputTooLargeError(f"the PDF has more than {MAX_PAGES:,} pages", path=path)
            super().begin_page(*args, **kwargs)

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            self.total += 1
            self.on_page += 1
            if self.on_page > MAX_PAGE_CHARS:
                raise InputTooLargeError(
                    f"page {self.page} of the PDF has more than {MAX_PAGE_CHARS:,} characters", path=path
                )
            if self.total > MAX_CHARS:
                raise InputTooLargeError(f"the PDF has more than {MAX_CHARS:,} characters", path=path)
            width: float = super().render_char(*args, **kwargs)
            return width

    def extract_pages(fp: io.BytesIO, laparams: LAParams) -> Iterator[Any]:
        manager = PDFResourceManager(caching=True)
        device = _Counted(manager, laparams=laparams)
        interpreter = PDFPageInterpreter(manager, device)
        for pdf_page in PDFPage.get_pages(fp, caching=True):
            interpreter.process_page(pdf_page)
            yield device.get_result()

    pages: list[tuple[float, float, list[_Line]]] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams(line_margin=0.3, char_margin=2.0)):
            found: list[_Line] = []
            for box in page:
                if isinstance(box, LTTextContainer):
                    for line in box:
                        if isinstance(line, LTTextLine):
                            text = line.get_text().rstrip("\n")
                            if text.strip():
                                found.append(_Line(line.x0, line.y0, line.x1, line.y1, text))
            pages.append((page.width, page.height, found))
    except InputTooLargeError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on broken files
        raise ParseError(f"not readable as PDF ({type(exc).__name__}: {exc})", path=path) from None
    if pages and not any(found for _w, _h, found in pages):
        raise NoTextLayerError(
            f"this PDF has no text layer: {'its page holds' if len(pages) == 1 else f'its {len(pages):,} pages hold'} "
            "no text, only images (a scan?); run it through OCR first, or supply the text in another format",
            path=path,
        )
    return _assemble(pages)


def _assemble(pages: list[tuple[float, float, list[_Line]]]) -> tuple[list[str], list[Residue]]:
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text.strip().lower())

    banded: Counter[str] = Counter()
    for _w, h, lines in pages:
        for k in {key(ln.text) for ln in lines if ln.y0 > h * (1 - _BAND) or ln.y1 < h * _BAND}:
            banded[k] += 1
    removed: list[Residue] = []
    out: list[str] = []
    for _page_no, (w, h, lines) in enumerate(pages, 1):
        body: list[_Line] = []
        for ln in lines:
            in_band = ln.y0 > h * (1 - _BAND) or ln.y1 < h * _BAND
            if in_band and (_PAGE_NUM.match(ln.text) or (len(pages) > 1 and banded[key(ln.text)] > 1)):
                removed.append(Residue(line=None, text=ln.text.strip(), reason="page header/footer"))
            else:
                body.append(ln)
        ordered = order_lines(body, w)
        heights = sorted(ln.y1 - ln.y0 for ln in ordered) or [10.0]
        usual = heights[len(heights) // 2]
        gutter = _gutter(body, w)
        right = (
            {side: max((ln.x1 for ln in body if (ln.x1 <= gutter) == side), default=w) for side in (True, False)}
            if gutter is not None
            else {True: max((ln.x1 for ln in body), default=w)}
        )
        prev: _Line | None = None
        for ln in ordered:
            same_column = prev is not None and ln.y1 <= prev.y1
            if prev is not None and same_column and prev.y0 - ln.y1 > usual * 0.9:
                out.append("")  # a gap in the column; a new column or page goes on the same block
            elif prev is not None and same_column and _wrapped_sentence(prev, ln, right, gutter):
                out[-1] = out[-1].rstrip() + " " + ln.text.strip()
                prev = ln
                continue
            out.append(ln.text)
            prev = ln
    return out, removed


def _wrapped_sentence(prev: _Line, ln: _Line, right: dict[bool, float], gutter: float | None) -> bool:
    """Did a sentence end on ``prev`` and the next one go on below only because the line was full?"""
    text = prev.text.rstrip()
    if not text or text[-1] != "." or _LABEL.match(ln.text) or _HEADING.match(ln.text):
        return False
    edge = right[prev.x1 <= gutter] if gutter is not None else right[True]
    char = (prev.x1 - prev.x0) / max(len(text), 1)
    first = ln.text.strip().split(" ", 1)[0]
    return edge - prev.x1 < char * (len(first) + 1.5)


_HEADING = re.compile(r"^\s*(?:Article|ARTICLE|Chapter|CHAPTER|Annex|ANNEX|Section|SECTION)\s+\S+\s*[:.\-–]?\s*\S")
_HEADING_TITLE = re.compile(
    r"^\s*(?:Article|ARTICLE|Chapter|CHAPTER|Annex|ANNEX)\s+[\dA-Z][\w.\-]*\s*[:.\-–]?\s*(?P<title>.*)$"
)
_LABEL = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?\s|\(\w{1,4}\)\s|[a-z]\)\s|\[\^)")
_MARKER_END = re.compile(r"(?<=[A-Za-z.;:,)”’\"])\d{1,3}(?:,\s?\d{1,3})*$")
_SMALL = frozenset({"of", "and", "the", "to", "by", "for", "in", "on", "or", "a", "an", "with", "at", "its"})


def _title_case(line: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    return any(w[0].isupper() for w in words) and all(w[0].isupper() or w in _SMALL for w in words)


def join_wrapped(lines: list[str]) -> list[str]:
    """Join lines that the page layout wrapped: a line ending mid-sentence and the line below.

    A line ending in a hyphen, a comma or a stop is left for the text reader (it knows
    when a hyphen belongs to the word, and when a comma closes a list); a heading goes on
    to the next line only when that line is a title-case continuation of its title.

    Examples:
        >>> join_wrapped(["Article 19.4: Non-Discriminatory", "Treatment of Digital Products", "1. No Party shall",
        ...               "accord less favorable treatment.", "2. Next."])  # doctest: +NORMALIZE_WHITESPACE
        ['Article 19.4: Non-Discriminatory Treatment of Digital Products',
         '1. No Party shall accord less favorable treatment.', '2. Next.']
    """
    out: list[str] = []
    for line in lines:
        head = _HEADING_TITLE.match(line)
        if head and out and out[-1].strip() and (not head["title"] or _title_case(head["title"])):
            out.append("")  # a heading starts a new block, even after a line cut short
        prev = out[-1].rstrip() if out else ""
        if prev and line.strip() and not _LABEL.match(line) and not _HEADING.match(line):
            ends = _MARKER_END.sub("", prev)[-1:]
            if _HEADING.match(prev):
                join = ends not in ".;:," and len(line) < 80 and _title_case(line)
            else:
                join = ends not in ".;:,-!?" and not prev.endswith("]")
            if join:
                out[-1] = prev + " " + line.strip()
                continue
        out.append(line)
    return out


_GLUED = re.compile(r"(?=\d)(?:(?<=[A-Za-z])|(?<=[A-Za-z][.;:,)”’\"]))(\d{1,3})(?![\d.]?\d)(?=[\s,;.:)]|$)")
_FN_LINE = re.compile(r"^\s*(?P<num>\d{1,3})\s+(?P<rest>[A-Z“\"‘(].*)$")


def mark_footnotes(lines: list[str]) -> list[str]:
    """Make footnote lines explicit: ``8 For greater ...`` → ``[^8] For greater ...``.

    Only a number already seen glued to a word above (``information.8``) counts, so
    numbered paragraphs are left alone. A footnote starts a new block.

    Examples:
        >>> mark_footnotes(["the information.8", "8 For greater certainty, a Party may comply."])
        ['the information.8', '', '[^8] For greater certainty, a Party may comply.']
    """
    seen: set[str] = set()
    out: list[str] = []
    for line in lines:
        m = _FN_LINE.match(line)
        if m and m["num"] in seen:
            seen.discard(m["num"])
            if out and out[-1].strip():
                out.append("")
            out.append(f"[^{m['num']}] {m['rest']}")
            continue
        seen.update(_GLUED.findall(line))
        out.append(line)
    return out


def read_pdf(data: bytes, *, path: str | None = None, agreement_id: str | None = None) -> Agreement:
    """Read a PDF file into an :class:`Agreement` (needs ``pip install 'tradeclauses[pdf]'``).

    Raises:
        MissingDependencyError: pdfminer.six is not installed.
        ParseError: the file cannot be read as a PDF.
        NoTextLayerError: the pages hold no text at all (a scan without OCR).
        NoArticlesError: no article or numbered paragraph in its text.
        InputTooLargeError: past a limit on streams, pages or characters.
    """
    lines, removed = pdf_lines(data, path=path)
    lines = mark_footnotes(join_wrapped(lines))
    title = Path(path).stem if path else None
    agreement = read_text("\n".join(lines), path=path, agreement_id=agreement_id, title=title)
    return agreement.replace(removed=(*removed, *agreement.removed))
