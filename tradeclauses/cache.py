"""The parsed-corpus cache: agreements read from files, kept as their own JSON.

Reading a corpus (:func:`tradeclauses.corpus.tota`, :func:`tradeclauses.corpus.folder`)
stores each agreement it reads, and the next run reads the stored copy instead of the
file: the whole ToTA corpus comes back in a fraction of the time it takes to read it.

- **Where**: ``platformdirs.user_cache_dir("tradeclauses")``, or ``$TRADECLAUSES_CACHE_DIR``.
- **What**: one file per agreement, the model's own JSON (``model_dump_json``), read back
  with ``model_validate_json`` and validated like any other input (only the check that its
  ids are unique, made when it was stored, is not repeated). It is data only: nothing in
  the cache is ever executed (no pickle).
- **When it is used**: the key of an entry is the SHA-256 of the file's bytes, its path,
  the reader, the library version and a fingerprint of the reader and model code. A file
  that changed, or a new version of tradeclauses, misses the cache and is read again, so
  entries never need to be invalidated by hand; entries of other versions are deleted
  when this one first stores an agreement.
- **Turning it off**: ``cache=False`` (on :func:`~tradeclauses.corpus.tota`,
  :func:`~tradeclauses.corpus.folder`, :meth:`~tradeclauses.corpus.Corpus.load_all`), or
  ``TRADECLAUSES_NO_CACHE=1`` in the environment.
- **Clearing it**: :func:`clear`, or ``tradeclauses cache clear``; :func:`info` (``tradeclauses
  cache info``) says where it is and how big.

Examples:
    >>> import os, pathlib, tempfile
    >>> os.environ["TRADECLAUSES_CACHE_DIR"] = tempfile.mkdtemp()
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("Article 1: A\\n1. Text.", "utf-8")
    >>> from tradeclauses import corpus
    >>> first = corpus.folder(d).load_all(workers=1)   # read, and stored
    >>> info().files
    1
    >>> corpus.folder(d).load_all(workers=1) == first   # from the cache
    True
    >>> clear()
    1
    >>> del os.environ["TRADECLAUSES_CACHE_DIR"]
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradeclauses.model import Agreement

__all__ = ["CacheInfo", "clear", "directory", "enabled", "info"]

_FORMAT = "1"
"""Bumped when the layout of the cache changes."""
_SUFFIX = ".agreement.json"
_CODE = ("model.py", "ids.py", "read")
"""Files and folders of the package whose code decides what a reader produces."""


def directory() -> Path:
    """The cache folder: ``$TRADECLAUSES_CACHE_DIR``, or the platform's user cache folder.

    Examples:
        >>> import os
        >>> os.environ["TRADECLAUSES_CACHE_DIR"] = "/tmp/tc-cache"
        >>> str(directory())
        '/tmp/tc-cache'
        >>> del os.environ["TRADECLAUSES_CACHE_DIR"]
    """
    env = os.environ.get("TRADECLAUSES_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs  # noqa: PLC0415 - only when the cache is used

    return Path(platformdirs.user_cache_dir("tradeclauses", appauthor=False)) / "corpus"


def enabled(cache: bool | None = None) -> bool:
    """Whether to use the cache: ``cache`` if given, else not when ``TRADECLAUSES_NO_CACHE`` is set.

    Examples:
        >>> enabled(False), enabled(True)
        (False, True)
    """
    if cache is not None:
        return cache
    return os.environ.get("TRADECLAUSES_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


@dataclass(frozen=True)
class CacheInfo:
    """Where the cache is and what it holds."""

    directory: Path
    """The cache folder."""
    files: int
    """Stored agreements."""
    bytes: int
    """Their total size."""

    def __str__(self) -> str:
        return f"{self.directory}: {self.files} agreement(s), {self.bytes / 1e6:.1f} MB"


def info() -> CacheInfo:
    """What the cache holds."""
    root = directory()
    entries = list(root.glob(f"*/*{_SUFFIX}")) if root.is_dir() else []
    return CacheInfo(root, len(entries), sum(_size(p) for p in entries))


def clear() -> int:
    """Delete every stored agreement; return how many were deleted."""
    root = directory()
    removed = 0
    if root.is_dir():
        for entry in root.glob(f"*/*{_SUFFIX}"):
            try:
                entry.unlink()
            except FileNotFoundError:  # another process cleared it first
                continue
            removed += 1
        for folder in root.iterdir():
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return removed


def _current() -> Path:
    """This build's folder of the cache: entries of other versions are in other folders."""
    return directory() / _fingerprint()[:16]


@cache
def _prune(root: Path, keep: str) -> None:
    """Delete the entries of other builds (once per process): they can never be used again."""
    try:
        folders = [f for f in root.iterdir() if f.is_dir() and f.name != keep and len(f.name) == 16]
    except OSError:
        return
    for folder in folders:
        for entry in folder.glob(f"*{_SUFFIX}"):
            entry.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@cache
def _fingerprint() -> str:
    """The library version and a hash of the code that reads files into models."""
    try:
        version = metadata.version("tradeclauses")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "unknown"
    digest = hashlib.sha256(f"{_FORMAT}\0{version}".encode())
    package = Path(__file__).resolve().parent
    for name in _CODE:
        target = package / name
        for source in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def key(data: bytes, path: Path, reader: Callable[..., object]) -> str:
    """The cache key of reading ``data`` (the bytes of ``path``) with ``reader``."""
    digest = hashlib.sha256(_fingerprint().encode())
    digest.update(f"\0{reader.__module__}.{reader.__qualname__}\0{path}\0".encode())
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def get(entry_key: str) -> Agreement | None:
    """The stored agreement under ``entry_key``, or ``None`` (missing or unreadable entries miss)."""
    from pydantic import ValidationError  # noqa: PLC0415

    from tradeclauses.model import IDS_CHECKED, Agreement  # noqa: PLC0415

    entry = _current() / f"{entry_key}{_SUFFIX}"
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    try:
        return Agreement.model_validate_json(raw, context={IDS_CHECKED: True})
    except (ValidationError, ValueError):
        entry.unlink(missing_ok=True)  # damaged or from an incompatible build: read the file again
        return None


def put(entry_key: str, agreement: Agreement) -> None:
    """Store ``agreement`` under ``entry_key`` (atomically; a cache that cannot be written is skipped)."""
    root = _current()
    _prune(root.parent, root.name)
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(agreement.model_dump_json().encode("utf-8"))
        Path(tmp).replace(root / f"{entry_key}{_SUFFIX}")
    except OSError:
        Path(tmp).unlink(missing_ok=True)
