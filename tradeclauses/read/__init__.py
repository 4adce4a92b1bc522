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
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from tradeclauses.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputTooLargeError,
    ReadError,
    UnsupportedFormatError,
)
from tradeclauses.model import Agreement
from tradeclauses.read.text import read_text

__all__ = ["MAX_INPUT_BYTES", "READERS", "Reader", "decode_text", "detect_format", "parse"]

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


def _looks_like_path(source: str) -> bool:
    return "\n" not in source and len(source) < 1024 and (
        Path(source).suffix.lower() in _EXTENSIONS or "/" in source or "\\" in source
    )


def parse(
    source: str | Path | bytes,
    *,
    format: str | None = None,
    agreement_id: str | None = None,
) -> Agreement:
    """Read an agreement from a file path, its text, or its raw bytes.

    Args:
        source: a path (``str`` or ``Path``), the text itself, or the bytes of a file.
        format: force a format (one of :data:`READERS`) instead of detecting it.
        agreement_id: the id of the agreement (first segment of every node id).

    Raises:
        ReadError: (and its subclasses) with the path and line where reading failed.
        UnsupportedFormatError: an unknown ``format`` name, or a format whose reader is
            not available.

    Examples:
        >>> import tradeclauses as tc
        >>> draft = tc.parse("Article 8.3: Data Flows\\n1. Each Party shall allow the transfer of information.")
        >>> draft["8.3"].paragraphs[0].text
        'Each Party shall allow the transfer of information.'
    """
    path: str | None = None
    data = b""
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        path = str(source)
        p = Path(path)
        if p.is_dir():
            raise ReadError(
                "this is a folder, not a file: read its files with tc.corpus.folder(path) "
                "(or tc.corpus.tota(path) for ToTA)",
                path=path,
            )
        if not p.is_file():
            if isinstance(source, Path) or not p.parent.exists() or p.suffix:
                raise ReadError("no such file", path=path)
        else:
            size = p.stat().st_size
            if size > MAX_INPUT_BYTES:
                raise InputTooLargeError(
                    f"the file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}", path=path
                )
            data = p.read_bytes()
    if path is None or not Path(path).is_file():
        path = None
        data = source if isinstance(source, bytes) else str(source).encode("utf-8")
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
    return reader(data, path=path, agreement_id=agreement_id)


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
