"""Collections of agreements read from a folder: the ToTA corpus, or your own files.

A :class:`Corpus` is lazy: it lists the files at once but reads each agreement only
when you ask for it (iterating, indexing). :meth:`Corpus.load_all` reads them all,
in parallel processes, with an optional progress bar on stderr.

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
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TextIO, overload

from tradeclauses.errors import InputTypeError, ReadError, UnknownAgreementError
from tradeclauses.model import Agreement
from tradeclauses.read import parse
from tradeclauses.read.tota import read_tota

__all__ = ["Corpus", "Progress", "collect", "folder", "tota"]

_PTA = re.compile(r"^pta_(\d+)$")
_SUPPORTED = frozenset({".txt", ".text", ".md", ".markdown", ".xml", ".akn", ".docx", ".pdf", ".html", ".htm"})


class Progress:
    """A small progress bar written to a stream (stderr by default).

    Examples:
        >>> import io
        >>> out = io.StringIO()
        >>> bar = Progress(2, "tota", stream=out)
        >>> bar.update(); bar.update(); bar.close()
        >>> out.getvalue().splitlines()[-1].startswith("tota 2/2")
        True
    """

    def __init__(self, total: int, label: str = "", *, stream: TextIO | None = None, width: int = 30) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self.width = width
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self._last = 0.0

    def update(self, n: int = 1) -> None:
        """Count ``n`` more items done; redraw at most ten times a second."""
        self.done += n
        now = time.perf_counter()
        if now - self._last >= 0.1 or self.done >= self.total:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        share = self.done / self.total if self.total else 1.0
        filled = int(self.width * share)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} {self.done}/{self.total} [{bar}] {share:4.0%} {now - self.start:5.1f}s")
        self.stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        self._draw(time.perf_counter())
        self.stream.write("\n")
        self.stream.flush()


def _read_tota_file(path: Path) -> Agreement:
    return read_tota(path.read_bytes(), path=str(path))


def _read_any_file(path: Path) -> Agreement:
    return parse(path)


class Corpus(Sequence[Agreement]):
    """Agreements in files, read on demand. Index by position or by key (file id).

    Attributes:
        keys: one key per file: the ToTA treaty identifier (``"449"``) or the file stem.
        paths: the files, in the same order.
    """

    def __init__(self, paths: Sequence[Path], keys: Sequence[str], reader: Callable[[Path], Agreement]) -> None:
        self.paths = tuple(paths)
        self.keys = tuple(keys)
        self._reader = reader
        self._index = {k: i for i, k in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, key: int | str) -> Agreement: ...

    @overload
    def __getitem__(self, key: slice) -> Sequence[Agreement]: ...

    def __getitem__(self, key: int | str | slice) -> Agreement | Sequence[Agreement]:
        """The agreement at position ``key``, or with key ``key`` (``"449"``, ``"tota-449"``, ``"pta_449"``)."""
        if isinstance(key, slice):
            return [self._reader(p) for p in self.paths[key]]
        if isinstance(key, int):
            return self._reader(self.paths[key])
        return self._reader(self.paths[self.position(key)])

    def position(self, key: str) -> int:
        """The position of the file with key ``key``."""
        for candidate in (key, key.removeprefix("tota-"), key.removeprefix("pta_"), Path(key).stem):
            if candidate in self._index:
                return self._index[candidate]
        raise UnknownAgreementError(key, self.keys)

    def __iter__(self) -> Iterator[Agreement]:
        """Read and yield the agreements one by one."""
        for path in self.paths:
            yield self._reader(path)

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
        progress: bool = False,
        workers: int | None = None,
        errors: str = "raise",
    ) -> list[Agreement]:
        """Read every agreement, in parallel processes.

        Args:
            progress: draw a progress bar on stderr.
            workers: number of processes; by default one per CPU (``1`` reads in this process).
            errors: ``"raise"`` to stop at the first file that cannot be read, ``"skip"`` to
                leave it out (it is named on stderr).

        Examples:
            >>> import tempfile, pathlib
            >>> d = pathlib.Path(tempfile.mkdtemp())
            >>> _ = (d / "a.txt").write_text("Article 1: A\\n1. Text.", "utf-8")
            >>> [a.id for a in folder(d).load_all(workers=1)]
            ['a']
        """
        n = len(self.paths)
        workers = max(1, min(workers or os.cpu_count() or 1, n or 1))
        bar = Progress(n, "reading", stream=sys.stderr) if progress else None
        out: list[Agreement] = []
        failed: list[str] = []

        def take(result: Agreement | ReadError, path: Path) -> None:
            if isinstance(result, ReadError):
                if errors == "raise":
                    raise result
                failed.append(f"{path}: {result}")
            else:
                out.append(result)
            if bar is not None:
                bar.update()

        if workers == 1:
            for path in self.paths:
                take(_safe(self._reader, path), path)
        else:
            # largest files first, so that no worker is left with a big one at the end
            order = sorted(range(n), key=lambda i: -_size(self.paths[i]))
            done: dict[int, Agreement] = {}
            with ProcessPoolExecutor(max_workers=workers) as pool:
                paths = [self.paths[i] for i in order]
                for i, result in zip(order, pool.map(_safe, [self._reader] * n, paths), strict=True):
                    take(result, self.paths[i])
                    if not isinstance(result, ReadError):
                        done[i] = out.pop()
            out = [done[i] for i in sorted(done)]
        if bar is not None:
            bar.close()
        for line in failed:
            sys.stderr.write(f"skipped {line}\n")
        return out


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


def tota(path: str | Path) -> Corpus:
    """The ToTA corpus in ``path`` (its ``xml/`` folder, or the folder above it).

    Files are ordered by treaty identifier; the key of ``pta_449.xml`` is ``"449"``.

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
    return Corpus(files, [p.stem.split("_")[1] for p in files], _read_tota_file)


def folder(path: str | Path, *, pattern: str = "*") -> Corpus:
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
    return Corpus(files, [p.stem for p in files], _read_any_file)


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
        f"{what}: expected an agreement, a name, a file or folder path, a Corpus, or a list of them; "
        f"got {type(value).__name__}"
    )
