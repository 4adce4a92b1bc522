"""Progress bars for long corpus jobs (reading, indexing, graphs): ``tqdm.auto``, or none."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm

__all__ = ["progress_bar"]


def progress_bar(total: int, desc: str, progress: bool | None = None) -> tqdm[Any] | None:
    """A progress bar for a long corpus job, or ``None`` when none should be shown.

    ``progress=None`` shows one only when stderr is a terminal, so that logs, pipes and
    saved notebooks stay clean; ``True`` always shows one (``tqdm.auto``: a widget in a
    notebook, a line of text in a terminal, redrawn in place); ``False`` never.

    Examples:
        >>> progress_bar(10, "reading", progress=False) is None
        True
    """
    if progress is None:
        progress = sys.stderr is not None and sys.stderr.isatty()
    if not progress:
        return None
    from tqdm.auto import tqdm  # noqa: PLC0415 - loaded only when a bar is shown

    bar: tqdm[Any] = tqdm(total=total, desc=desc, unit="file" if desc == "reading" else "it", file=sys.stderr)
    return bar
