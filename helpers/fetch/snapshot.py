"""Dated, immutable snapshots of fetched data, each with its provenance record.

A fetch writes into a private ``<out>/<source>/.partial-<id>/`` folder. Only when it is
complete does :meth:`Snapshot.commit` move it, in one rename, to
``<out>/<source>/<YYYY-MM-DD>/`` (``-2``, ``-3`` ... when a snapshot of that day exists:
snapshots are never overwritten), with ``snapshot.json`` recording what was asked (URL and
query, never credentials), when, the HTTP status, row counts, sha256 of every file, the
provider's version and licence. If the files are byte-for-byte those of the newest
snapshot, nothing is written ("no new data"). A fetch that fails or is interrupted leaves
its partial folder renamed ``.failed-<time>`` for inspection: never a current snapshot.

:func:`newest` is what the loaders read as the current snapshot of a source.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

__all__ = ["RECORD", "Snapshot", "newest", "read_record", "snapshots"]

from helpers._io import atomic_write_json, sha256_file
from helpers._snapshots import RECORD, newest, read_record, snapshots

log = logging.getLogger(__name__)

class Snapshot:
    """One fetch's files on their way to becoming a snapshot (a context manager: an
    exception or Ctrl-C inside the block sets the partial folder aside)."""

    def __init__(self, out: Path, source: str, today: date | None = None):
        self.out = Path(out)
        self.source = source
        self.today = today or datetime.now(UTC).date()
        self.partial = self.out / source / f".partial-{uuid.uuid4().hex[:8]}"
        self.files: dict[str, dict[str, Any]] = {}
        self.committed: Path | None = None

    def __enter__(self) -> Snapshot:
        self.partial.mkdir(parents=True, exist_ok=False)
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self.partial.exists():
            if kind is None:
                shutil.rmtree(self.partial)
            else:
                aside = self.partial.with_name(
                    f".failed-{datetime.now(UTC):%Y%m%dT%H%M%S}-{self.partial.name[9:]}")
                os.replace(self.partial, aside)
                log.warning("%s: fetch did not complete; its files are kept aside in %s "
                            "(not a current snapshot)", self.source, aside)

    def write(self, name: str, data: bytes, rows: int | None = None) -> Path:
        """Add one file to the snapshot (``rows``: how many records it holds)."""
        path = self.partial / name
        path.write_bytes(data)
        self.files[name] = {"rows": rows, "sha256": sha256_file(path), "bytes": len(data)}
        return path

    def same_as_newest(self) -> bool:
        """True when every file equals the newest snapshot's (same names and sha256)."""
        current = newest(self.out, self.source)
        if current is None:
            return False
        files = read_record(current).get("files") or {}
        return {k: v.get("sha256") for k, v in files.items()} == {
            k: v["sha256"] for k, v in self.files.items()}

    def commit(self, record: dict[str, Any]) -> Path | None:
        """Make the files the newest snapshot (or nothing, when unchanged upstream)."""
        if not self.files:
            log.info("%s: no data: nothing written", self.source)
            return None
        if self.same_as_newest():
            log.info("%s: nothing changed upstream: nothing written", self.source)
            return None
        day = self.today.isoformat()
        target = self.out / self.source / day
        n = 2
        while target.exists():
            target = self.out / self.source / f"{day}-{n}"
            n += 1
        atomic_write_json(self.partial / RECORD, {
            **record, "source": self.source, "snapshot": target.name,
            "files": self.files})
        os.replace(self.partial, target)
        self.committed = target
        return target
