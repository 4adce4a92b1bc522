"""Every test and doctest writes the parsed-corpus cache to a folder of its own, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("tc-cache")
    monkeypatch.setenv("TRADECLAUSES_CACHE_DIR", str(folder))
    monkeypatch.delenv("TRADECLAUSES_NO_CACHE", raising=False)
    return folder
