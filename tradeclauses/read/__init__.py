"""Readers: turn agreement texts in any supported format into the clause model.

:func:`parse` is the entry point. It accepts a path or the text itself, detects the
format from the content (and the file extension), and dispatches to one reader per
format. Each reader is a function ``(data: bytes, *, path, agreement_id) -> Agreement``
registered in :data:`READERS`; the default of each is public, so callers can wrap it.

No reader ever touches the network.
"""

from __future__ import annotations

import codecs
import importlib
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from tradeclauses.errors import (
    ArgumentTypeError,
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputNotFoundError,
    InputTooLargeError,
    LookalikeTextWarning,
    ReadError,
    UnsupportedFormatError,
)
from tradeclauses.model import Agreement, Article, Gap
from tradeclauses.normalize import lookalikes
from tradeclauses.read.text import read_text

__all__ = [
    "MAX_INPUT_BYTES",
    "READERS",
    "Reader",
    "decode_text",
    "detect_format",
    "flag_lookalikes",
    "looks_like_path",
    "parse",
]

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Inputs larger than this (64 MiB) are refused with :class:`InputTooLargeError`."""


class Reader(Protocol):
    """A reader: raw bytes of one input in, an :class:`Agreement` out."""

    def __call__(self, data: bytes, *, path: str | None, agreement_id: str | None) -> Agreement:
        """Read ``data`` (from ``path``, if a file) into an agreement."""
        ...


def decode_text(data: bytes, path: str | None = None) -> str:
    """Decode text input: UTF-8 (with or without BOM), or UTF-16/32 with a BOM.

    Raises:
        EmptyInputError: no text at all.
        BinaryInputError: NUL bytes or other signs of binary data.
        EncodingError: not valid UTF-8; the message names the line of the first bad byte.

    Examples:
        >>> decode_text("Article 1".encode("utf-16"))
        'Article 1'
    """
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"invalid {enc.upper()} text ({exc.reason})", path=path) from None
            break
    else:
        if b"\x00" in data[:65536]:
            raise BinaryInputError("this looks like binary data, not text (it holds NUL bytes)", path=path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise EncodingError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8, or pass text already decoded",
                path=path,
                line=line,
            ) from None
    if not text.strip():
        raise EmptyInputError("the input is empty", path=path)
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 8 and controls > len(text[:65536]) // 100:
        raise BinaryInputError("this looks like binary data, not text (control characters)", path=path)
    return text


def _read_text_bytes(data: bytes, *, path: str | None, agreement_id: str | None) -> Agreement:
    return read_text(decode_text(data, path), path=path, agreement_id=agreement_id)


READERS: dict[str, Reader] = {
    "text": _read_text_bytes,
    "markdown": _read_text_bytes,
}
"""Format name → reader. Optional formats register here when their module is importable."""

_EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xml": "xml",
    ".akn": "akn",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}

_Sniffer = Callable[[bytes], str | None]
SNIFFERS: list[_Sniffer] = []
"""Content sniffers, tried in order; each returns a format name or ``None``."""


def detect_format(data: bytes, path: str | None = None) -> str:
    """Name the format of ``data``: by content first, then by the file extension.

    Examples:
        >>> detect_format(b"Article 1: Scope")
        'text'
        >>> detect_format(b"%PDF-1.7 ...")
        'pdf'
    """
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<")):
        wide = "utf-32" if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else "utf-16"
        if head[:2] in (b"<\x00", b"\x00<"):
            wide = "utf-16-le" if head[:2] == b"<\x00" else "utf-16-be"
        head = head.decode(wide, errors="ignore").encode("utf-8")  # sniff the text, not its encoding
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    for sniff in SNIFFERS:
        found = sniff(head)
        if found:
            return found
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    if stripped.startswith(b"<"):
        return "xml"
    if path is not None:
        ext = Path(path).suffix.lower()
        if ext in _EXTENSIONS and _EXTENSIONS[ext] not in ("xml", "akn", "html"):
            return _EXTENSIONS[ext]
    return "text"


_PATH_LIMIT = 4096
_PATH_START = re.compile(r"^(?:~|\.{1,2})?[/\\]|^[A-Za-z]:[/\\]")


def looks_like_path(source: str) -> bool:
    """Is this string meant as a path rather than as the text of an agreement?

    A string on one line, not too long, that ends in a file extension (``draft.docx``,
    ``my draft v3.txt``), starts like a path (``/``, ``./``, ``~/``, ``C:\\``), or is a
    single word with no spaces (``draft_v3``, ``drafts/v3``). Text of an agreement has
    spaces, or several lines.

    Examples:
        >>> [looks_like_path(s) for s in ("draft_v3", "no/such/file.txt", "my draft v3.docx", "~/drafts/v3")]
        [True, True, True, True]
        >>> [looks_like_path(s) for s in ("Article 1: Scope", "Each Party shall allow it.", "a\\nb")]
        [False, False, False]
    """
    text = source.strip()
    if not text or "\n" in text or "\r" in text or len(text) > _PATH_LIMIT:
        return False
    if Path(text).suffix.lower() in _EXTENSIONS:
        return True
    return bool(_PATH_START.match(text)) or not any(ch.isspace() for ch in text)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL byte
        return False


def _read_file(p: Path) -> bytes:
    """The bytes of the file at ``p``, or an error that says what is wrong with the path."""
    path = str(p)
    try:
        if p.is_dir():
            raise InputNotFoundError(
                "is a directory (a folder, not a file): read its files with tc.corpus.folder(path) "
                "(or tc.corpus.tota(path) for ToTA)",
                path=path,
            )
        if not p.is_file():
            parent = p.parent
            hint = "" if parent.is_dir() else f" (and there is no folder {str(parent)!r})"
            raise InputNotFoundError(f"no such file{hint}", path=path)
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputTooLargeError(f"the file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}", path=path)
        return p.read_bytes()
    except ReadError:
        raise
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ReadError(f"cannot read the file ({reason})", path=path) from None


def parse(
    source: str | Path | bytes,
    *,
    format: str | None = None,
    agreement_id: str | None = None,
) -> Agreement:
    """Read an agreement from a file path, its text, or its raw bytes.

    A string is a path when it names an existing file, or when it looks like one
    (:func:`looks_like_path`: one line with a file extension, or a single word such as
    ``draft_v3``); a path that names no file is an error that says so, never text to read.

    Args:
        source: a path (``str`` or ``Path``), the text itself, or the bytes of a file.
        format: force a format (one of :data:`READERS`) instead of detecting it.
        agreement_id: the id of the agreement (first segment of every node id).

    Raises:
        ReadError: (and its subclasses) with the path and line where reading failed.
        InputNotFoundError: a path that names no file, or names a directory.
        ArgumentTypeError: ``source`` is not a path, a string or bytes.
        UnsupportedFormatError: an unknown ``format`` name, or a format whose reader is
            not available.

    Examples:
        >>> import tradeclauses as tc
        >>> draft = tc.parse("Article 8.3: Data Flows\\n1. Each Party shall allow the transfer of information.")
        >>> draft["8.3"].paragraphs[0].text
        'Each Party shall allow the transfer of information.'
    """
    path: str | None = None
    given: object = source
    if isinstance(given, bytearray | memoryview):
        source = bytes(given)
    elif not isinstance(given, str | Path | bytes):
        raise ArgumentTypeError(
            f"parse() takes a path, the text itself or the bytes of a file, not {type(given).__name__}"
        )
    options: dict[str, object] = {"format": format, "agreement_id": agreement_id}
    for name, value in options.items():
        if value is not None and not isinstance(value, str):
            raise ArgumentTypeError(f"{name}= takes a str, not {type(value).__name__}")
    if isinstance(source, Path) or (isinstance(source, str) and (_is_file(Path(source)) or looks_like_path(source))):
        p = Path(source.strip() if isinstance(source, str) and not _is_file(Path(source)) else source)
        path = str(p)
        data = _read_file(p)
    else:
        data = source if isinstance(source, bytes) else source.encode("utf-8", errors="surrogatepass")
        if len(data) > MAX_INPUT_BYTES:
            raise InputTooLargeError(f"the input is {len(data):,} bytes; the limit is {MAX_INPUT_BYTES:,}")
    if not data.strip():
        raise EmptyInputError("the input is empty", path=path)
    name = format or detect_format(data, path)
    reader = READERS.get(name)
    if reader is None:
        known = ", ".join(sorted(READERS))
        if format is not None:
            raise UnsupportedFormatError(f"unknown format {format!r}; known formats: {known}", path=path)
        raise UnsupportedFormatError(
            f"detected format {name!r}, which no installed reader handles (known formats: {known})",
            path=path,
        )
    return flag_lookalikes(reader(data, path=path, agreement_id=agreement_id), path=path)


def _article_texts(art: Article) -> Iterator[str]:
    yield art.heading or ""
    for block in art.walk():
        if isinstance(block, Gap):
            continue
        yield from (block.heading or "", block.intro, block.wrap_up, getattr(block, "term", ""))
        yield from (option.text for option in block.options)
    yield from (fn.text for fn in art.footnotes)


def flag_lookalikes(agreement: Agreement, *, path: str | None = None) -> Agreement:
    """Note and warn about characters that print as something else, or not at all.

    Each article whose words hold a look-alike letter of another script (``shаll`` with
    a Cyrillic ``а``), a zero-width character or a bidirectional control gets a note
    naming them, and one :class:`~tradeclauses.errors.LookalikeTextWarning` names the
    articles. The words are kept verbatim; analysis and comparison read them as they
    print (:func:`tradeclauses.normalize.printed_form`).

    Examples:
        >>> import warnings, tradeclauses as tc
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     a = tc.parse("Article 1: Scope\\n1. No Party sh\\u0430ll prohibit transfers.")
        >>> str(caught[0].message)  # doctest: +ELLIPSIS
        "<text>: look-alike or invisible characters in Article 1 (look-alike letter U+0430 CYRILLIC SMALL LETTER A ..."
        >>> a["1"].notes[0][:52]
        'look-alike or invisible characters, read as printed:'
    """
    flagged: list[str] = []
    chapters = []
    for ch in agreement.chapters:
        arts = []
        for art in ch.articles:
            found = [hit for text in _article_texts(art) for hit in lookalikes(text)]
            if found:
                shown = "; ".join(dict.fromkeys(str(hit) for hit in found[:5]))
                more = f"; and {len(found) - 5} more" if len(found) > 5 else ""
                note = f"look-alike or invisible characters, read as printed: {shown}{more}"
                name = f"{art.label} {art.num}" if art.num else art.id
                flagged.append(f"{name} ({found[0]!s}{', ...' if len(found) > 1 else ''})")
                if note not in art.notes:
                    art = art.replace(notes=(*art.notes, note))  # noqa: PLW2901
            arts.append(art)
        chapters.append(ch.replace(articles=tuple(arts)) if arts != list(ch.articles) else ch)
    if not flagged:
        return agreement
    listed = ", ".join(flagged[:10]) + (f" and {len(flagged) - 10} more articles" if len(flagged) > 10 else "")
    warnings.warn(
        f"{path or '<text>'}: look-alike or invisible characters in {listed}; "
        "the text is kept as written and read as it prints",
        LookalikeTextWarning,
        stacklevel=3,
    )
    return agreement.replace(chapters=tuple(chapters))


# --- optional readers ---
# Each reader module is imported when a file of its format is first read (or sniffed), so
# that parsing a text file does not load the XML, Word, PDF and HTML readers. Each module
# imports without its optional dependency; a missing dependency is reported
# (MissingDependencyError) when a file of that format is read.


def _lazy_reader(module: str, name: str) -> Reader:
    """The reader ``name`` of ``tradeclauses.read.<module>``, imported on first call."""

    def read(data: bytes, *, path: str | None, agreement_id: str | None) -> Agreement:
        reader: Reader = getattr(importlib.import_module(f"tradeclauses.read.{module}"), name)
        return reader(data, path=path, agreement_id=agreement_id)

    read.__name__ = read.__qualname__ = name
    read.__doc__ = f"``tradeclauses.read.{module}.{name}``, imported on first use."
    return read


def _lazy_sniffer(module: str, name: str, needle: bytes | None) -> _Sniffer:
    """The sniffer ``name`` of ``tradeclauses.read.<module>``; skipped when ``needle`` is not in the head.

    ``needle`` is a literal every match of that sniffer contains, so skipping is exact.
    """

    def sniff(head: bytes) -> str | None:
        if needle is not None and needle not in head:
            return None
        sniffer: _Sniffer = getattr(importlib.import_module(f"tradeclauses.read.{module}"), name)
        return sniffer(head)

    sniff.__name__ = sniff.__qualname__ = name
    return sniff


READERS["tota"] = _lazy_reader("tota", "read_tota")
SNIFFERS.append(_lazy_sniffer("tota", "looks_like_tota", b"<treaty"))
READERS["akn"] = _lazy_reader("akn", "read_akn")
SNIFFERS.append(_lazy_sniffer("akn", "looks_like_akn", b"<akomaNtoso"))
READERS["bracketed"] = _lazy_reader("brackets", "read_bracketed_bytes")
SNIFFERS.append(_lazy_sniffer("brackets", "sniff_bracketed", None))
READERS["docx"] = _lazy_reader("docx", "read_docx")
READERS["pdf"] = _lazy_reader("pdf", "read_pdf")
READERS["html"] = _lazy_reader("html", "read_html")


def _read_xml(data: bytes, *, path: str | None, agreement_id: str | None) -> Agreement:
    """Any other XML: parsed safely, then read by the reader of its root element."""
    from tradeclauses.read._xml import parse_xml  # noqa: PLC0415 - lxml only for XML input

    root = parse_xml(data, path=path)
    name = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else ""
    by_root = {"treaty": "tota", "akomaNtoso": "akn"}
    if name in by_root:
        return READERS[by_root[name]](data, path=path, agreement_id=agreement_id)
    raise UnsupportedFormatError(
        f"XML with root element <{name}> is not a format tradeclauses reads "
        "(known: <treaty> of ToTA, <akomaNtoso> of Akoma Ntoso 3.0)",
        path=path,
    )


READERS["xml"] = _read_xml
