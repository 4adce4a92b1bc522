"""The built wheel carries the shipped texts and schemas, and loads them outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_PIP_WHEEL = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q")


@pytest.mark.slow
def test_wheel_holds_agreements_and_schemas(tmp_path: Path) -> None:
    build = subprocess.run(
        [*_PIP_WHEEL, "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-200:]}")
    wheel = next(tmp_path.glob("tradeclauses-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tradeclauses/agreements/usmca.txt" in names
    assert "tradeclauses/schemas/agreement.schema.json" in names
    # unpack it and load USMCA from there, far from the checkout
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    out = subprocess.run(
        [sys.executable, "-c", "import tradeclauses as tc; print(tc.load('usmca')['19.12'].status, tc.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "TRADECLAUSES_HOME": str(tmp_path / "home")},
    )
    status, location = out.stdout.split()
    assert status == "complete"
    assert location.startswith(str(site))
