"""Check that a change to the readers leaves what they read unchanged, file by file.

Usage::

    python benchmarks/reader_check.py write SNAPSHOT_FOLDER [TOTA_XML_FOLDER]
    python benchmarks/reader_check.py compare SNAPSHOT_FOLDER [TOTA_XML_FOLDER]

``write`` reads every ToTA file (and the texts shipped in ``agreements/``) in this
process, without the cache, and stores each agreement's model JSON in
``SNAPSHOT_FOLDER`` (outside the repository: ToTA may not be copied into it). Run it
before a change; ``compare``, after it, reads them again and names every file whose
JSON differs (or that now fails, or no longer fails). Prints the reading time (wall and
CPU) of the run, so the same command shows the speed-up beside the check.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "tota" / "xml"
sys.path.insert(0, str(ROOT))  # this checkout


def _json(path: Path) -> str:
    import tradeclauses as tc
    from tradeclauses.errors import ReadError
    from tradeclauses.read.tota import read_tota

    try:
        if path.suffix == ".xml":
            return read_tota(path.read_bytes(), path=str(path)).model_dump_json()
        return tc.parse(path).model_dump_json()
    except ReadError as exc:
        return f"{type(exc).__name__}: {exc}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("mode", choices=["write", "compare"])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.xml")) + sorted((ROOT / "agreements").rglob("*.txt"))
    args.snapshot.mkdir(parents=True, exist_ok=True)
    differ: list[str] = []
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        out = _json(path)
        stored = args.snapshot / f"{path.parent.name}-{path.stem}.json"
        if args.mode == "write":
            stored.write_text(out, "utf-8")
        elif not stored.is_file() or stored.read_text("utf-8") != out:
            differ.append(str(path))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{len(files)} files read in {wall:.1f} s ({cpu:.1f} s CPU), one process")
    if args.mode == "compare":
        for name in differ:
            print(f"differs: {name}")
        print(f"{len(differ)} of {len(files)} differ from {args.snapshot}")
        raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
