"""Shared fixtures: where the shared corpus is, and an isolated user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("TRADECLAUSES_SHARED", Path(__file__).resolve().parents[2] / "shared"))
"""The shared corpus folder (../shared beside the repository); tests that need it skip without it."""
TEXTS = SHARED / "corpus" / "texts"
TOTA = SHARED / "corpus" / "tota" / "xml"
EVAL = SHARED / "eval"

needs_shared = pytest.mark.skipif(
    not TEXTS.is_dir(), reason=f"the shared corpus is not at {SHARED} (set TRADECLAUSES_SHARED)"
)
needs_tota = pytest.mark.skipif(
    not TOTA.is_dir(), reason=f"the ToTA corpus is not at {TOTA} (set TRADECLAUSES_SHARED)"
)


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user data directory (registered models)."""
    home = tmp_path_factory.mktemp("tc-home")
    monkeypatch.setenv("TRADECLAUSES_HOME", str(home))
    return home
