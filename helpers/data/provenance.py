"""Provenance records of every shipped data file (``data/curated/sources.yml``).

Each curated table and each shipped file (the synthetic demo set included) has one record:
path, title, what it holds, who compiled it, the original producers or speakers, a
citation, a URL where one exists, publication and compilation dates, licence and the
file's sha256 (the Our World in Data ``meta.origin`` habit). ``sources.schema.json`` makes
the key fields required; :func:`validate_records` checks the schema *and* the checksums,
so a file edited without updating its record is caught.

Notebooks show :func:`sources_markdown` as their "Sources" section; the report index uses
:func:`inputs_table`. After editing a data file, refresh the checksums with::

    python -m helpers.data.provenance --update-checksums
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml

from helpers._io import atomic_write, sha256_file
from helpers._snapshots import RECORD, read_record
from helpers.config import CURATED_DIR, PROJ_ROOT
from helpers.errors import DataError, Problem

log = logging.getLogger(__name__)

SOURCES_FILE = CURATED_DIR / "sources.yml"
SCHEMA_FILE = CURATED_DIR / "sources.schema.json"
#: Folders (relative to the project root) whose shipped files each need a record.
SHIPPED_GLOBS = ("data/curated/*.csv", "data/demo/*.csv", "data/open/*.csv", "data/open/*.xlsx",
                 "data/open/*.geojson")

_UPDATE_HINT = ("run `python -m helpers.data.provenance --update-checksums` if the change "
                "is intended")


# --------------------------------------------------------------------------- basics

def _plain(value: object) -> object:
    """YAML turns 2026-11-25 into a date object; records keep dates as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _load(sources_file: Path) -> dict:
    try:
        data = yaml.safe_load(sources_file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataError("provenance file not found",
                        [Problem(str(sources_file), None, None, None, "file does not exist")]
                        ) from exc
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataError("provenance file is not valid YAML",
                        [Problem(str(sources_file), None, None,
                                 None if line is None else f"line {line + 1}",
                                 str(getattr(exc, "problem", exc)))]) from exc
    if not isinstance(data, dict):
        raise DataError("provenance file must be a mapping with a 'records' list",
                        [Problem(str(sources_file), None, None, None, "not a mapping")])
    return _plain(data)


def records(sources_file: str | Path | None = None) -> list[dict]:
    """Every provenance record, in file order (dates as ISO strings)."""
    data = _load(Path(sources_file) if sources_file else SOURCES_FILE)
    recs = data.get("records") or []
    return [r for r in recs if isinstance(r, dict)]


def _key(path: str | Path, root: Path) -> str:
    """A record key: the path relative to ``root`` with forward slashes."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(root.resolve())
        except ValueError:
            return p.as_posix()
    return p.as_posix().removeprefix("./")


def record_for(path: str | Path, *, sources_file: str | Path | None = None,
               root: str | Path | None = None) -> dict:
    """The record of one file (absolute, or relative to the project root).

    Raises :class:`DataError` naming the file when it has no record.
    """
    base = Path(root) if root else PROJ_ROOT
    key = _key(path, base)
    for rec in records(sources_file):
        if rec.get("path") == key:
            return rec
    raise DataError("no provenance record",
                    [Problem(str(path), None, None, None,
                             "has no record in data/curated/sources.yml")])


# --------------------------------------------------------------------------- validation

def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def validate_records(sources_file: str | Path | None = None, *,
                     root: str | Path | None = None,
                     require_all_shipped: bool = True) -> list[dict]:
    """Check every record against the JSON Schema and every recorded sha256 against its file.

    Also reports duplicate paths, missing files and (with ``require_all_shipped``) shipped
    files under ``data/curated/`` or ``data/demo/`` that have no record. Raises one
    :class:`DataError` listing every problem; returns the records when all is well.
    """
    src = Path(sources_file) if sources_file else SOURCES_FILE
    base = Path(root) if root else PROJ_ROOT
    data = _load(src)
    problems: list[Problem] = []

    # Imported here: jsonschema's format checkers take ~1.7 s to import (rfc3987-syntax
    # builds a grammar), and only this check needs it — not every report kernel.
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = list(err.absolute_path)
        row = where[1] + 1 if len(where) >= 2 and where[0] == "records" else None
        column = ".".join(str(p) for p in where[2:]) or (str(where[0]) if where else None)
        if err.validator == "required" and row is not None:
            missing = [f for f in err.validator_value if f not in err.instance]
            column = ", ".join(missing) or column
        problems.append(Problem(str(src), row, column,
                                None if err.validator == "required" else err.instance,
                                err.message if err.validator != "anyOf"
                                else "has the wrong type or format"))

    recs = [r for r in (data.get("records") or []) if isinstance(r, dict)]
    seen: dict[str, int] = {}
    for number, rec in enumerate(recs, start=1):
        path = rec.get("path")
        if not isinstance(path, str):
            continue
        if path in seen:
            problems.append(Problem(str(src), number, "path", path,
                                    f"duplicate of record {seen[path]}"))
            continue
        seen[path] = number
        file = base / path
        if not file.is_file():
            problems.append(Problem(path, None, None, None,
                                    f"listed in {src.name} (record {number}) but missing"))
            continue
        recorded, actual = rec.get("sha256"), sha256_file(file)
        if recorded is None:
            problems.append(Problem(path, None, "sha256", None,
                                    f"no checksum recorded; {_UPDATE_HINT}"))
        elif recorded != actual:
            problems.append(Problem(path, None, "sha256", recorded,
                                    f"checksum mismatch: the file's sha256 is {actual[:12]}…;"
                                    f" {_UPDATE_HINT}"))

    if require_all_shipped:
        for pattern in SHIPPED_GLOBS:
            for file in sorted(base.glob(pattern)):
                key = _key(file, base)
                if key not in seen:
                    problems.append(Problem(key, None, None, None,
                                            f"shipped file has no record in {src.name}"))
    if problems:
        raise DataError(f"provenance records in {src.name} are not valid", problems)
    return recs


# --------------------------------------------------------------------------- checksums

_RECORD_START = re.compile(r"^- path:\s*(\S+)\s*$")
_SHA_LINE = re.compile(r"^(\s+sha256:\s*)(\S*)\s*$")


def update_checksums(sources_file: str | Path | None = None, *,
                     root: str | Path | None = None) -> list[str]:
    """Rewrite each record's ``sha256`` line with the file's current checksum.

    Edits the YAML as text so comments and layout survive. Records whose file is missing
    are left alone (and logged). Returns the paths whose checksum changed.
    """
    src = Path(sources_file) if sources_file else SOURCES_FILE
    base = Path(root) if root else PROJ_ROOT
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    current: str | None = None
    changed: list[str] = []
    for i, line in enumerate(lines):
        start = _RECORD_START.match(line)
        if start:
            current = start.group(1).strip("'\"")
            continue
        sha = _SHA_LINE.match(line)
        if sha and current is not None:
            file = base / current
            if not file.is_file():
                log.warning("provenance: %s is missing; sha256 left unchanged", current)
                continue
            digest = sha256_file(file)
            if sha.group(2) != digest:
                changed.append(current)
                lines[i] = f"{sha.group(1)}{digest}\n"
    atomic_write(src, "".join(lines))
    return changed


# --------------------------------------------------------------------------- presentation

def _md(text: object) -> str:
    """Escape the characters that would turn record text into markdown markup."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(str(text).split()))


def sources_markdown(paths: Iterable[str | Path] | None = None, *,
                     sources_file: str | Path | None = None,
                     root: str | Path | None = None, heading: bool = True) -> str:
    """A markdown "Sources" section for the given files (all records when ``paths`` is None).

    Files without a record are listed as such, so nothing used goes uncredited silently.
    ``heading=False`` leaves out the "### Sources" line (for a page that has its own).
    """
    base = Path(root) if root else PROJ_ROOT
    recs = records(sources_file)
    by_path = {r.get("path"): r for r in recs}
    keys = [r.get("path") for r in recs] if paths is None else [_key(p, base) for p in paths]
    out = ["### Sources", ""] if heading else []
    for key in keys:
        rec = by_path.get(key)
        if rec is None:
            out.append(_snapshot_line(key, base) or f"- `{key}` — no provenance record")
            continue
        producers = "; ".join(_md(p) for p in rec.get("producers") or [])
        parts = [f"- **{_md(rec.get('title', key))}** (`{key}`)"]
        if rec.get("synthetic"):
            parts.append("— **SYNTHETIC demo data, not real events**")
        parts.append(f"— {_md(rec.get('citation', ''))} Producers: {producers}.")
        parts.append(f"Published {rec.get('date_published', 'n.d.')}, "
                     f"compiled {rec.get('date_compiled', 'n.d.')}.")
        parts.append(f"Licence: {_md(rec.get('licence', 'unknown'))}.")
        if rec.get("url"):
            parts.append(f"<{rec['url']}>")
        if rec.get("sha256"):
            parts.append(f"sha256 `{rec['sha256'][:12]}…`")
        out.append(" ".join(parts))
    return "\n".join(out) + "\n"


def _snapshot_line(key: str, base: Path) -> str | None:
    """A Sources line for a file of a fetched snapshot (``python -m helpers.fetch``), from
    its folder's ``snapshot.json``; None for any other file."""
    path = Path(key) if Path(key).is_absolute() else base / key
    folder = path.parent
    if not (folder / RECORD).is_file():
        return None
    try:
        rec = read_record(folder)
    except (OSError, ValueError):
        return None
    info = (rec.get("files") or {}).get(path.name) or {}
    parts = [f"- **{_md(rec.get('citation') or rec.get('source', 'fetched data'))}** "
             f"(`{key}`) — fetched {rec.get('fetched_at', '?')} from {rec.get('url', '?')}"]
    if rec.get("version"):
        parts.append(f"({_md(rec['version'])}).")
    parts.append(f"Snapshot {rec.get('snapshot', folder.name)}.")
    parts.append(f"Licence: {_md(rec.get('licence', 'unknown'))}.")
    if info.get("sha256"):
        parts.append(f"sha256 `{info['sha256'][:12]}…`")
    return " ".join(parts)


def inputs_table(paths: Iterable[str | Path], *, sources_file: str | Path | None = None,
                 root: str | Path | None = None) -> pd.DataFrame:
    """One row per input file: path, title, sha256, licence — for report indexes.

    ``sha256`` is the checksum of the file as it is now (the recorded one if the file is
    absent); title and licence are missing (NA) for files without a record, e.g. a raw
    ACLED export dropped into ``data/raw/``.
    """
    base = Path(root) if root else PROJ_ROOT
    by_path = {r.get("path"): r for r in records(sources_file)}
    rows = []
    for path in paths:
        key = _key(path, base)
        rec = by_path.get(key, {})
        file = Path(path) if Path(path).is_absolute() else base / key
        digest = sha256_file(file) if file.is_file() else rec.get("sha256")
        rows.append({"path": key, "title": rec.get("title"), "sha256": digest,
                     "licence": rec.get("licence")})
    frame = pd.DataFrame(rows, columns=["path", "title", "sha256", "licence"])
    return frame.astype("string")


# --------------------------------------------------------------------------- CLI

def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.data.provenance [--update-checksums] [--markdown]``; default: check."""
    parser = argparse.ArgumentParser(prog="python -m helpers.data.provenance",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--update-checksums", action="store_true",
                        help="recompute the sha256 of every record and rewrite sources.yml")
    parser.add_argument("--markdown", action="store_true",
                        help="print the Sources section for every record")
    parser.add_argument("--sources", type=Path, default=None, help="alternative sources.yml")
    parser.add_argument("--root", type=Path, default=None,
                        help="folder the record paths are relative to (default: project root)")
    args = parser.parse_args(argv)
    if args.update_checksums:
        changed = update_checksums(args.sources, root=args.root)
        sys.stdout.write(f"updated {len(changed)} checksum(s)"
                         + (": " + ", ".join(changed) if changed else "") + "\n")
    if args.markdown:
        sys.stdout.write(sources_markdown(sources_file=args.sources, root=args.root))
        return 0
    try:
        recs = validate_records(args.sources, root=args.root)
    except DataError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    sys.stdout.write(f"{len(recs)} provenance record(s) valid, checksums match\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
