"""The agreements tradeclauses knows by name: shipped reference texts and users' own.

Shipped texts live in ``agreements/`` (inside the installed package as
``tradeclauses.agreements``) in tradeclauses' text format. Users register the official
texts they hold (``register("usmca", "19-Digital-Trade.pdf")``); a registered text is
copied into a per-user data directory and from then on :func:`load` returns it instead of
the shipped one. The directory is ``platformdirs.user_data_dir("tradeclauses")``, or
``$TRADECLAUSES_HOME`` when that is set.

The registry (``models.json`` in that directory) is changed under a lock file, and
written to a temporary file then renamed into place, so processes registering at the
same time lose nothing and never read a half-written registry. An entry must name a
file inside the directory; a registered file that has gone missing is reported, and
the shipped text of that name (if any) is used meanwhile.

Nothing here touches the network.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import platformdirs

from tradeclauses import ids
from tradeclauses.errors import (
    ArgumentTypeError,
    InvalidNameError,
    ReadError,
    TradeClausesWarning,
    UnknownAgreementError,
)
from tradeclauses.model import Agreement
from tradeclauses.read import looks_like_path, parse

__all__ = [
    "CatalogEntry",
    "catalog",
    "load",
    "package_data",
    "register",
    "resolve_agreement",
    "unregister",
    "user_dir",
]

ALIASES = {"cusma": "usmca", "t-mec": "usmca", "tmec": "usmca", "aceum": "usmca"}
"""Other names of shipped agreements."""

_INDEX = "models.json"
_LOCK = "models.lock"


def user_dir() -> Path:
    """The per-user data directory holding registered models (created on demand).

    Examples:
        >>> user_dir().name != ""
        True
    """
    env = os.environ.get("TRADECLAUSES_HOME")
    return Path(env) if env else Path(platformdirs.user_data_dir("tradeclauses", appauthor=False))


def package_data(name: str) -> Path:
    """The folder of shipped data ``name`` (``agreements`` or ``schemas``).

    In an installed wheel it is the package ``tradeclauses.<name>``; in a source checkout
    (the package imported from the working tree) it is the folder at the repository root.
    """
    here = Path(__file__).resolve().parent
    installed = here / name
    return installed if installed.is_dir() else here.parent / name


def _shipped() -> dict[str, Path]:
    root = package_data("agreements")
    return {p.stem: p for p in sorted(root.glob("*.txt"))}


def _registry() -> dict[str, dict[str, str]]:
    """The registry: name → entry (``file``, ``format``, ``original``, ``registered``)."""
    index = user_dir() / _INDEX
    try:
        raw = index.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ReadError(f"the registry of user models is unreadable ({exc})", path=index) from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ReadError(
            f"the registry of user models is damaged ({exc}); remove the file and register the models again",
            path=index,
        ) from None
    if not isinstance(data, dict):
        raise ReadError("the registry of user models is damaged (not a JSON object)", path=index)
    out: dict[str, dict[str, str]] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ReadError(f"the registry entry {name!r} is damaged (no file name)", path=index)
        _inside_registry(entry["file"], name)
        out[str(name)] = {str(k): str(v) for k, v in entry.items()}
    return out


def _inside_registry(file: str, name: str) -> Path:
    """The path of a registered file, which must be a plain file name in :func:`user_dir`."""
    folder = user_dir()
    candidate = folder / file
    if not file or Path(file).name != file or file in (".", "..") or candidate.resolve().parent != folder.resolve():
        raise ReadError(
            f"the registry entry {name!r} names {file!r}, which is not a file of the registry folder; "
            "entries may only name files inside it",
            path=folder / _INDEX,
        )
    return candidate


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Hold the registry lock (a lock file beside the registry) for a read-modify-write."""
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / _LOCK).open("a+b") as fh:
        _lock_file(fh.fileno(), lock=True)
        try:
            yield
        finally:
            _lock_file(fh.fileno(), lock=False)


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _lock_file(fd: int, *, lock: bool) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK if lock else msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(fd: int, *, lock: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX if lock else fcntl.LOCK_UN)


def _replace_file(dest: Path, write: Callable[[Path], object]) -> None:
    """Write ``dest`` through a temporary file in its folder, renamed into place (atomic)."""
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        Path(tmp).replace(dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _save_registry(data: dict[str, dict[str, str]]) -> None:
    index = user_dir() / _INDEX
    index.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, sort_keys=True)
    _replace_file(index, lambda tmp: tmp.write_text(text, "utf-8"))


def _canonical(name: str) -> str:
    if not isinstance(name, str):
        raise ArgumentTypeError(f"an agreement name is a str (e.g. 'usmca'), not {type(name).__name__}")
    key = name.strip().lower()
    return ALIASES.get(key, key)


@lru_cache(maxsize=64)
def _parse_cached(path: str, mtime_ns: int, agreement_id: str, fmt: str | None) -> Agreement:
    del mtime_ns  # part of the cache key only
    return parse(Path(path), agreement_id=agreement_id, format=fmt)


def _parse_file(path: Path, agreement_id: str, fmt: str | None = None) -> Agreement:
    return _parse_cached(str(path), path.stat().st_mtime_ns, agreement_id, fmt)


def load(name: str, *, source: str | Path | None = None, format: str | None = None) -> Agreement:
    """Load an agreement by name: a user-registered text if there is one, else the shipped one.

    Args:
        name: ``"usmca"`` (aliases ``cusma``, ``t-mec``), a shipped WTO text, or a name
            given to :func:`register`.
        source: use this file as the text of ``name`` for this call only (any format
            :func:`tradeclauses.parse` reads); node ids still start with ``name``.
        format: force the format of ``source``.

    Raises:
        UnknownAgreementError: no such name; the error lists the available ones.

    Examples:
        >>> import tradeclauses as tc
        >>> usmca = tc.load("usmca")
        >>> usmca["19.11"].heading
        'Cross-Border Transfer of Information by Electronic Means'
        >>> usmca.coverage.missing[:3]
        ('19.2', '19.3', '19.5')
    """
    key = _canonical(name)
    if source is not None:
        if not isinstance(source, str | Path):
            raise ArgumentTypeError(f"source= takes a path, not {type(source).__name__}")
        return parse(Path(source), agreement_id=ids.slug(key), format=format)
    registry = _registry()
    shipped = _shipped()
    if key in registry:
        entry = registry[key]
        path = _inside_registry(entry["file"], key)
        if path.is_file():
            return _parse_file(path, key, entry.get("format") or None)
        missing = f"the file registered as {key!r} is gone ({path})"
        if key not in shipped:
            raise ReadError(f"{missing}; register it again, or remove it with tc.unregister({key!r})", path=path)
        warnings.warn(f"{missing}; using the shipped text meanwhile", TradeClausesWarning, stacklevel=2)
    if key in shipped:
        return _parse_file(shipped[key], key)
    raise UnknownAgreementError(name, sorted({*shipped, *registry}))


def resolve_agreement(value: Agreement | str | Path) -> Agreement:
    """An agreement as a user names it: itself, a file to read, text to parse, or a name to load.

    A :class:`~pathlib.Path`, a string naming an existing file, a string of several
    lines, or a string that looks like a path (a file extension or a folder in it,
    e.g. ``"drafts/v3.txt"``) is read with :func:`tradeclauses.parse`, so a path to a
    missing file says so; any other string is a name for :func:`load`.

    Raises:
        UnknownAgreementError: a name that is neither shipped nor registered.
        InputNotFoundError: a path that names no file.
        ArgumentTypeError: neither an agreement, a path nor a string.

    Examples:
        >>> resolve_agreement("cusma").id
        'usmca'
        >>> resolve_agreement("Article 1: Scope\\n1. This applies.").articles[0].num
        '1'
    """
    given: object = value
    if isinstance(given, Agreement):
        return given
    if not isinstance(given, str | Path):
        raise ArgumentTypeError(
            f"expected an Agreement, a path, the text or the name of an agreement, not {type(given).__name__}"
        )
    if "\n" not in str(given) and _is_dir(given):
        raise ReadError(
            "this is a folder, not a file: read its files with tc.corpus.folder(path) "
            "(or tc.corpus.tota(path) for ToTA)",
            path=str(given),
        )
    if isinstance(given, Path) or "\n" in given:
        return parse(given)
    if _canonical(given) in {*_registry(), *_shipped()}:
        return load(given)
    if _exists(given) or (looks_like_path(given) and ("/" in given or "\\" in given or Path(given).suffix)):
        return parse(given)
    return load(given)


def _is_dir(name: str | Path) -> bool:
    try:
        return Path(name).is_dir()
    except (OSError, ValueError):
        return False


def _exists(name: str) -> bool:
    try:
        return Path(name).is_file()
    except (OSError, ValueError):
        return False


def register(name: str, path: str | Path, *, format: str | None = None) -> Agreement:
    """Register a text (e.g. the official USMCA PDF) under ``name``, for this user, for good.

    The file is parsed first (so a bad file is refused with its error), then copied into
    :func:`user_dir`. From then on ``load(name)`` returns it. Registering a shipped name
    (``"usmca"``) replaces the shipped partial text for this user.

    Returns:
        The agreement as parsed.

    Examples:
        >>> import tradeclauses as tc, tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "model.txt").write_text("Article 1: Data Flows\\n1. Each Party shall allow transfers.")
        >>> tc.register("my-model", d / "model.txt")["1"].heading
        'Data Flows'
        >>> tc.unregister("my-model")
    """
    key = _canonical(name)
    if not key or ids.slug(key) != key:
        raise InvalidNameError(
            f"model names use lowercase letters, digits and '-' (e.g. {ids.slug(name)!r}), not {name!r}"
        )
    if not isinstance(path, str | Path):
        raise ArgumentTypeError(f"register() takes the path of a file, not {type(path).__name__}")
    src = Path(path)
    agreement = parse(src, agreement_id=key, format=format)
    with _locked():
        dest = user_dir() / f"{key}{src.suffix.lower() or '.txt'}"
        _replace_file(dest, lambda tmp: shutil.copyfile(src, tmp))
        registry = _registry()
        old = registry.get(key)
        registry[key] = {
            "file": dest.name,
            "format": format or "",
            "original": str(src.resolve()),
            "registered": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        _save_registry(registry)
        if old is not None and old["file"] != dest.name:
            (user_dir() / old["file"]).unlink(missing_ok=True)
    return agreement


def unregister(name: str) -> None:
    """Forget a registered text; a shipped text of that name is used again.

    Raises:
        UnknownAgreementError: nothing is registered under ``name``.
    """
    key = _canonical(name)
    with _locked():
        registry = _registry()
        if key not in registry:
            raise UnknownAgreementError(name, sorted(registry))
        entry = registry.pop(key)
        _save_registry(registry)
        _inside_registry(entry["file"], key).unlink(missing_ok=True)


@dataclass(frozen=True)
class CatalogEntry:
    """One loadable agreement, with where it comes from and how much of it is there."""

    name: str
    title: str
    origin: str
    """``"shipped"`` or ``"user"`` (a user text replaces a shipped one of the same name)."""
    path: str
    articles: int
    complete: int
    partial: int
    missing: int

    @property
    def coverage(self) -> str:
        """``"3 complete, 5 partial, 10 missing"``."""
        return f"{self.complete} complete, {self.partial} partial, {self.missing} missing"


class Catalog(tuple[CatalogEntry, ...]):
    """The list :func:`catalog` returns; prints as a table, shows as HTML in notebooks."""

    __slots__ = ()

    def __str__(self) -> str:
        rows = [("name", "origin", "articles", "coverage", "title")]
        rows += [(e.name, e.origin, str(e.articles), e.coverage, e.title[:60]) for e in self]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        return "\n".join(
            "  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows
        )

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{html.escape(e.name)}</td><td>{e.origin}</td><td>{e.articles}</td>"
            f"<td>{e.coverage}</td><td>{html.escape(e.title)}</td></tr>"
            for e in self
        )
        return (
            "<table><tr><th>name</th><th>origin</th><th>articles</th><th>coverage</th>"
            f"<th>title</th></tr>{body}</table>"
        )


def catalog() -> Catalog:
    """List every agreement :func:`load` can return, with its coverage.

    Examples:
        >>> import tradeclauses as tc
        >>> [e.name for e in tc.catalog()][:2]
        ['usmca', 'wto-ecommerce-declaration-1998']
    """
    registry = _registry()
    names = sorted({*_shipped(), *registry}, key=lambda n: (n != "usmca", n))
    out: list[CatalogEntry] = []
    for name in names:
        agreement = load(name)
        cov = agreement.coverage
        path = str(user_dir() / registry[name]["file"]) if name in registry else str(_shipped()[name])
        out.append(
            CatalogEntry(
                name=name,
                title=agreement.title,
                origin="user" if name in registry else "shipped",
                path=path,
                articles=len(agreement.articles),
                complete=len(cov.complete),
                partial=len(cov.partial),
                missing=len(cov.missing),
            )
        )
    return Catalog(out)
