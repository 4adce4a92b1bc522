"""``python -m tradeclauses``."""

from __future__ import annotations

from tradeclauses.cli import entrypoint

entrypoint()
