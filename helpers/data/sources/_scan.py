"""Which files of a folder a loader reads, and why it skips the others.

A folder analysts fill by hand holds many things: the export they want, last month's
export, an IPC file meant for another notebook, a PDF of the methodology. Scanning it must
load every file it can and *list* every file it leaves out with the reason, so one stray
file never stops the others and none is dropped without a word. A file named explicitly
(not found by a scan) that cannot be read still raises: the analyst asked for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data.sources import Layout, detect_layout
from helpers.errors import DataError, Problem, UnknownLayoutError

log = logging.getLogger(__name__)

#: Suffixes a scan considers (others are listed as skipped: "not a table").
CONSIDERED = (".csv", ".tsv", ".txt", ".xls", ".xlsx", ".json", ".geojson")

#: Which loader reads each kind of file (said when a file is of another kind).
LOADER = {
    "events": "an event export: catalog.events(...) reads it",
    "indicators": "humanitarian indicators: catalog.indicators(...) reads it",
    "aggregates": ("conflict counts per province and month: "
                   "catalog.conflict_aggregates(...) reads it"),
    "dyad_years": "UCDP battle deaths: catalog.battle_deaths(path) reads it",
    "conflict_years": "UCDP/PRIO armed conflicts: catalog.conflicts(path) reads it",
    "registrations": "FARA registrations: catalog.registrations(path) reads it",
    "boundaries": "province boundaries: pass the file as boundaries_path",
}


@dataclass(frozen=True)
class Skipped:
    """A file a scan left out, and why."""

    path: Path
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"path": str(self.path), "reason": self.reason}


@dataclass
class Scan:
    """The files a loader reads (with their layouts) and the files it skipped."""

    files: list[tuple[Path, Layout]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skipped_dicts(self) -> list[dict[str, str]]:
        return [s.as_dict() for s in self.skipped]


#: Files a data folder keeps for people, not for loaders: never listed as skipped.
NOTES = ("readme", "license", "licence")


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and not p.stem.lower().startswith(NOTES))


def _kind_reason(layout: Layout) -> str:
    return (f"layout {layout.name} ({layout.description}) holds "
            f"{LOADER.get(layout.kind, layout.kind)}")


def scan_folder(folder: Path, kind: str,
                accept: Callable[[Layout], bool] | None = None) -> Scan:
    """Every file of ``folder`` a ``kind`` loader can read; every other file listed with
    the reason it was skipped (another kind, unknown layout, unreadable, not a table).

    ``accept`` narrows further (e.g. only ACLED layouts for ``data_source="acled"``).
    """
    found = Scan()
    for path in _visible(folder):
        if path.suffix.lower() not in CONSIDERED:
            found.skipped.append(Skipped(path, f"not a table the workbook reads "
                                               f"({path.suffix or 'no extension'})"))
            continue
        try:
            layout = detect_layout(path)
        except UnknownLayoutError as exc:
            found.skipped.append(Skipped(path, exc.summary.split(": ", 1)[-1]))
            continue
        except DataError as exc:  # unreadable: encoding, empty, broken spreadsheet ...
            found.skipped.append(Skipped(path, f"could not be read: {exc.summary}"))
            continue
        if layout.kind != kind:
            found.skipped.append(Skipped(path, _kind_reason(layout)))
        elif accept is not None and not accept(layout):
            found.skipped.append(Skipped(path, f"layout {layout.name} was not asked for"))
        else:
            found.files.append((path, layout))
    for item in found.skipped:
        log.warning("%s: skipped: %s", item.path.name, item.reason)
    return found


def expand(source: str | Path | Iterable[str | Path], kind: str) -> Scan:
    """The files ``source`` names for a ``kind`` loader: a file, a folder (scanned), or a
    list of these. A named file of another kind or unknown layout raises; see
    :func:`scan_folder` for folders."""
    items = [source] if isinstance(source, (str, Path)) else list(source)
    found = Scan()
    for item in items:
        path = Path(item)
        if path.is_dir():
            sub = scan_folder(path, kind)
            found.files.extend(sub.files)
            found.skipped.extend(sub.skipped)
        elif path.is_file():
            layout = detect_layout(path)
            if layout.kind != kind:
                raise DataError(f"{path.name}: {_kind_reason(layout)}",
                                [Problem(str(path), None, None, layout.name,
                                         f"not a file of kind {kind!r}")])
            found.files.append((path, layout))
        else:
            raise DataError(f"no such file or folder: {path}",
                            [Problem(str(path), None, None, None, "path does not exist")])
    seen: set[Path] = set()
    unique = []
    for path, layout in found.files:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append((path, layout))
    found.files = unique
    return found
