"""Where fetched snapshots live: ``<root>/<source>/<YYYY-MM-DD>[-n]/`` with a
``snapshot.json`` record. Shared by the fetch clients (which write them) and the loaders
(which read the newest as current), so the convention is defined once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

RECORD = "snapshot.json"
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-(\d+))?$")


def snapshots(out: Path, source: str) -> list[Path]:
    """Committed snapshots of ``source``, oldest first."""
    folder = Path(out) / source
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _DATED.match(path.name)
        if path.is_dir() and match and (path / RECORD).is_file():
            found.append((match.group(1), int(match.group(2) or 1), path))
    return [p for *_, p in sorted(found)]


def newest(out: Path, source: str) -> Path | None:
    """The current snapshot of ``source`` (the newest committed one), or None."""
    found = snapshots(out, source)
    return found[-1] if found else None


def read_record(folder: Path) -> dict[str, Any]:
    """The provenance record of a snapshot folder."""
    return json.loads((Path(folder) / RECORD).read_text(encoding="utf-8"))
