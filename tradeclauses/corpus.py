"""Collections of agreements read from a folder: the ToTA corpus, or your own files.

A :class:`Corpus` is lazy: it lists the files at once but reads each agreement only
when you ask for it (iterating, indexing). :meth:`Corpus.load_all` reads them all,
in parallel processes, with a progress bar on stderr when it is a terminal.
Agreements read once are kept in the parsed-corpus cache (:mod:`tradeclauses.cache`),
so the next run reads only the files that changed.

Examples:
    >>> import tempfile, pathlib
    >>> folder_path = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder_path / "draft.txt").write_text("Article 1: Scope\\n1. This applies.", "utf-8")
    >>> mine = folder(folder_path)
    >>> len(mine), mine.keys
    (1, ('draft',))
    >>> mine["draft"]["1"].paragraphs[0].text
    'This applies.'
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import overload

from tradeclauses import cache as _cache
from tradeclauses._progress import progress_bar
from tradeclauses.errors import InputTypeError, ReadError, UnknownAgreementError
from tradeclauses.model import Agreement
from tradeclauses.read import parse

__all__ = ["Corpus", "collect", "folder", "progress_bar", "tota"]

_PTA = re.compile(r"^pta_(\d+)$")
_SUPPORTED = frozenset({".txt", ".text", ".md", ".markdown", ".xml", ".akn", ".docx", ".pdf", ".html", ".htm"})


def _read_tota_file(path: Path) -> Agreement:
    from tradeclauses.read.tota import read_tota  # noqa: PLC0415 - lxml only when a ToTA file is read

    return read_tota(path.read_bytes(), path=str(path))


def _read_any_file(path: Path) -> Agreement:
    return parse(path)


def _read_cached(reader: Callable[[Path], Agreement], path: Path) -> Agreement:
    """``reader(path)``, from the parsed-corpus cache when the file has not changed."""
    try:
        data = path.read_bytes()
    except OSError:
        return reader(path)  # the reader names the problem
    entry = _cache.key(data, path, reader)
    found = _cache.get(entry)
    if found is not None:
        return found
    agreement = reader(path)
    _cache.put(entry, agreement)
    return agreement


class Corpus(Sequence[Agreement]):
    """Agreements in files, read on demand. Index by position or by key (file id).

    Attributes:
        keys: one key per file: the ToTA treaty identifier (``"449"``) or the file stem.
        paths: the files, in the same order.
    """

    def __init__(
        self,
        paths: Sequence[Path],
        keys: Sequence[str],
        reader: Callable[[Path], Agreement],
        *,
        cache: bool | None = None,
    ) -> None:
        self.paths = tuple(paths)
        self.keys = tuple(keys)
        self._reader = reader
        self.cache = cache
        """Use the parsed-corpus cache (:mod:`tradeclauses.cache`); ``None``: unless ``$TRADECLAUSES_NO_CACHE``."""
        self._index = {k: i for i, k in enumerate(self.keys)}

    def _read(self, path: Path, cache: bool | None = None) -> Agreement:
        if _cache.enabled(self.cache if cache is None else cache):
            return _read_cached(self._reader, path)
        return self._reader(path)

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, key: int | str) -> Agreement: ...

    @overload
    def __getitem__(self, key: slice) -> Sequence[Agreement]: ...

    def __getitem__(self, key: int | str | slice) -> Agreement | Sequence[Agreement]:
        """The agreement at position ``key``, or with key ``key`` (``"449"``, ``"tota-449"``, ``"pta_449"``)."""
        if isinstance(key, slice):
            return [self._read(p) for p in self.paths[key]]
        if isinstance(key, int):
            return self._read(self.paths[key])
        return self._read(self.paths[self.position(key)])

    def position(self, key: str) -> int:
        """The position of the file with key ``key``."""
        for candidate in (key, key.removeprefix("tota-"), key.removeprefix("pta_"), Path(key).stem):
            if candidate in self._index:
                return self._index[candidate]
        raise UnknownAgreementError(key, self.keys)

    def __iter__(self) -> Iterator[Agreement]:
        """Read and yield the agreements one by one."""
        for path in self.paths:
            yield self._read(path)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            try:
                self.position(key)
            except UnknownAgreementError:
                return False
            return True
        return super().__contains__(key)

    def __repr__(self) -> str:
        return f"Corpus({len(self)} files)"

    def load_all(
        self,
        *,
        progress: bool | None = None,
        workers: int | None = None,
        errors: str = "raise",
        cache: bool | None = None,
    ) -> list[Agreement]:
        """Read every agreement: from the parsed-corpus cache where it can, the rest in parallel processes.

        Args:
            progress: a progress bar on stderr; by default only when stderr is a terminal.
            workers: number of processes for the files not in the cache; by default one per
                CPU (``1`` reads in this process).
            errors: ``"raise"`` to stop at the first file that cannot be read, ``"skip"`` to
                leave it out (it is named on stderr).
            cache: use the cache (:mod:`tradeclauses.cache`); by default the corpus's setting.

        Examples:
            >>> import tempfile, pathlib
            >>> d = pathlib.Path(tempfile.mkdtemp())
            >>> _ = (d / "a.txt").write_text("Article 1: A\\n1. Text.", "utf-8")
            >>> [a.id for a in folder(d).load_all(workers=1)]
            ['a']
        """
        n = len(self.paths)
        use_cache = _cache.enabled(self.cache if cache is None else cache)
        bar = progress_bar(n, "reading", progress)
        done: dict[int, Agreement] = {}
        failed: list[str] = []
        todo: list[int] = []
        entries: dict[int, str] = {}
        for i, path in enumerate(self.paths):
            if use_cache:
                try:
                    entries[i] = _cache.key(path.read_bytes(), path, self._reader)
                except OSError:
                    pass
                else:
                    found = _cache.get(entries[i])
                    if found is not None:
                        done[i] = found
                        if bar is not None:
                            bar.update()
                        continue
            todo.append(i)

        def take(i: int, result: Agreement | ReadError) -> None:
            if isinstance(result, ReadError):
                if errors == "raise":
                    if bar is not None:
                        bar.close()
                    raise result
                failed.append(f"{self.paths[i]}: {result}")
            else:
                done[i] = result
                if i in entries:
                    _cache.put(entries[i], result)
            if bar is not None:
                bar.update()

        workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
        if workers == 1:
            for i in todo:
                take(i, _safe(self._reader, self.paths[i]))
        elif todo:
            # largest files first, so that no worker is left with a big one at the end
            order = sorted(todo, key=lambda i: -_size(self.paths[i]))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                paths = [self.paths[i] for i in order]
                for i, result in zip(order, pool.map(_safe, [self._reader] * len(order), paths), strict=True):
                    take(i, result)
        if bar is not None:
            bar.close()
        for line in failed:
            sys.stderr.write(f"skipped {line}\n")
        return [done[i] for i in sorted(done)]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _safe(reader: Callable[[Path], Agreement], path: Path) -> Agreement | ReadError:
    try:
        return reader(path)
    except ReadError as exc:
        return exc


def tota(path: str | Path, *, cache: bool | None = None) -> Corpus:
    """The ToTA corpus in ``path`` (its ``xml/`` folder, or the folder above it).

    Files are ordered by treaty identifier; the key of ``pta_449.xml`` is ``"449"``.
    Agreements read once are kept in the parsed-corpus cache (:mod:`tradeclauses.cache`);
    ``cache=False`` reads every file each time.

    Raises:
        ReadError: no ``pta_*.xml`` files in the folder.

    Examples:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "pta_3.xml").write_bytes(b"<treaty><meta><name>X</name>"
        ...     b"<treaty_identifier>3</treaty_identifier></meta><body/></treaty>")
        >>> corpus = tota(d)
        >>> corpus, corpus["3"].title
        (Corpus(1 files), 'X')
    """
    root = Path(path)
    if (root / "xml").is_dir():
        root = root / "xml"
    files = [p for p in root.glob("pta_*.xml") if _PTA.match(p.stem)]
    if not files:
        raise ReadError("no ToTA files (pta_*.xml) in this folder", path=str(root))
    files.sort(key=lambda p: int(p.stem.split("_")[1]))
    return Corpus(files, [p.stem.split("_")[1] for p in files], _read_tota_file, cache=cache)


def folder(path: str | Path, *, pattern: str = "*", cache: bool | None = None) -> Corpus:
    """Your own folder of agreement files (text, Markdown, XML, Word, PDF, HTML).

    Files are read with :func:`tradeclauses.parse`, which detects each one's format;
    the key of each is its file name without extension.

    Raises:
        ReadError: the folder holds no supported file.
    """
    root = Path(path)
    files = sorted(p for p in root.glob(pattern) if p.is_file() and p.suffix.lower() in _SUPPORTED)
    if not files:
        raise ReadError(f"no supported files ({', '.join(sorted(_SUPPORTED))}) in this folder", path=str(root))
    return Corpus(files, [p.stem for p in files], _read_any_file, cache=cache)


Agreements = Agreement | str | Path | Corpus | Iterable[Agreement | str | Path]
"""What a function that reads several agreements takes (see :func:`collect`)."""


def collect(value: Agreements, *, what: str = "corpus") -> Corpus | list[Agreement]:
    """Agreements as a user names them: what ``tc.search``, ``tc.lineage`` and ``tc.graph`` take.

    * an :class:`~tradeclauses.model.Agreement`, a name (``"usmca"``), a file, or the
      text itself (as :func:`tradeclauses.score` and :func:`tradeclauses.diff` take
      them): that one agreement;
    * a folder: its ToTA files (``pta_*.xml``, in it or in its ``xml/``) as
      :func:`tota`, else its agreement files as :func:`folder`;
    * a :class:`Corpus`, or a list of any of the above: those.

    Args:
        value: what to read.
        what: how the caller names the argument, for error messages.

    Raises:
        InputTypeError: ``value`` is none of these.
        UnknownAgreementError: a name that is neither a file nor a known agreement.
        ReadError: a file or folder that cannot be read.

    Examples:
        >>> [a.id for a in collect("usmca")]
        ['usmca']
        >>> collect(3)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        tradeclauses.errors.InputTypeError: corpus: expected an agreement, a name, ... got int
    """
    from tradeclauses.catalog import resolve_agreement  # noqa: PLC0415 - catalog imports the readers

    if isinstance(value, Corpus | Agreement):
        return value if isinstance(value, Corpus) else [value]
    if isinstance(value, str | Path):
        path = Path(value)
        if (isinstance(value, Path) or "\n" not in value) and path.is_dir():
            xml = path / "xml" if (path / "xml").is_dir() else path
            if any(p for p in xml.glob("pta_*.xml") if _PTA.match(p.stem)):
                return tota(path)
            return folder(path)
        return [resolve_agreement(value)]
    given: object = value  # callers pass anything: check it as it comes
    if isinstance(given, Iterable) and not isinstance(given, bytes | Mapping):
        out: list[Agreement] = []
        for item in given:
            if isinstance(item, Agreement):
                out.append(item)
            elif isinstance(item, str | Path | Corpus) or (isinstance(item, Iterable) and not isinstance(item, bytes)):
                out.extend(collect(item, what=what))
            else:
                raise InputTypeError(f"{what}: a list of agreements cannot hold a {type(item).__name__}")
        return out
    raise InputTypeError(
        f"{what}: expected an agreement, a name, a file or folder path, a Corpus, or a list of agreements; "
        f"got {type(value).__name__}"
    )
