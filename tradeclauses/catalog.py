"""The agreements tradeclauses knows by name: shipped reference texts and users' own.

Shipped texts live in ``agreements/`` (inside the installed package as
``tradeclauses.agreements``) in tradeclauses' text format. Users register the official
texts they hold (``register("usmca", "19-Digital-Trade.pdf")``); a registered text is
copied into a per-user data directory and from then on :func:`load` returns it instead of
the shipped one. The directory is ``platformdirs.user_data_dir("tradeclauses")``, or
``$TRADECLAUSES_HOME`` when that is set.

Nothing here touches the network.
"""

from __future__ import annotations

import html
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import platformdirs

from tradeclauses import ids
from tradeclauses.errors import InputTypeError, ReadError, UnknownAgreementError
from tradeclauses.model import Agreement
from tradeclauses.read import parse

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
    index = user_dir() / _INDEX
    if not index.is_file():
        return {}
    try:
        data = json.loads(index.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ReadError(f"the registry of user models is unreadable ({exc})", path=index) from None
    return {str(k): dict(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _save_registry(data: dict[str, dict[str, str]]) -> None:
    index = user_dir() / _INDEX
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text(json.dumps(data, indent=2, sort_keys=True), "utf-8")


def _canonical(name: str) -> str:
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
        return _parse_file(Path(source), ids.slug(key), format)
    registry = _registry()
    if key in registry:
        entry = registry[key]
        return _parse_file(user_dir() / entry["file"], key, entry.get("format") or None)
    shipped = _shipped()
    if key in shipped:
        return _parse_file(shipped[key], key)
    raise UnknownAgreementError(name, sorted({*shipped, *registry}))


def resolve_agreement(value: Agreement | str | Path) -> Agreement:
    """An agreement as a user names it: itself, a file to read, text to parse, or a name to load.

    A :class:`~pathlib.Path`, a string naming an existing file, or a string of several
    lines is read with :func:`tradeclauses.parse`; any other string is a name for
    :func:`load`.

    Raises:
        UnknownAgreementError: a name that is neither shipped nor registered.

    Examples:
        >>> resolve_agreement("cusma").id
        'usmca'
        >>> resolve_agreement("Article 1: Scope\\n1. This applies.").articles[0].num
        '1'
    """
    if isinstance(value, Agreement):
        return value
    if not isinstance(value, str | Path):
        raise InputTypeError(
            f"expected an agreement, a name, a file path or the text itself, not {type(value).__name__}"
        )
    if "\n" not in str(value) and Path(value).is_dir():
        raise ReadError(
            "this is a folder, not a file: read its files with tc.corpus.folder(path) "
            "(or tc.corpus.tota(path) for ToTA)",
            path=str(value),
        )
    if isinstance(value, Path) or "\n" in value or Path(value).is_file():
        return parse(value)
    return load(value)


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
        raise ValueError(f"model names use lowercase letters, digits and '-': {name!r}")
    src = Path(path)
    agreement = parse(src, agreement_id=key, format=format)
    dest_dir = user_dir()
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{key}{src.suffix.lower() or '.txt'}"
    shutil.copyfile(src, dest)
    registry = _registry()
    registry[key] = {
        "file": dest.name,
        "format": format or "",
        "original": str(src.resolve()),
        "registered": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _save_registry(registry)
    return agreement


def unregister(name: str) -> None:
    """Forget a registered text; a shipped text of that name is used again.

    Raises:
        UnknownAgreementError: nothing is registered under ``name``.
    """
    key = _canonical(name)
    registry = _registry()
    if key not in registry:
        raise UnknownAgreementError(name, sorted(registry))
    entry = registry.pop(key)
    (user_dir() / entry["file"]).unlink(missing_ok=True)
    _save_registry(registry)


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
