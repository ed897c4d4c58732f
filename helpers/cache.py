"""Parquet cache of parsed inputs, so a large export is parsed once, not on every run.

A cached table lives in ``config.PROCESSED_DIR`` as ``<stem>.<layout>.<input>.<code>.parquet``
plus a JSON sidecar. The key joins the input file's sha256 with a hash of the code that
produced it — the source of the *whole* ``helpers`` package and the curated tables the
readers consult (actor registry, gazetteer), plus the pandas / pyarrow versions — so any
change to a helper or a registry rebuilds the cache (ploomber's and OWID's blind spot was
helper code outside the hashed step). The sidecar records the parquet's own sha256, row
count, layout and attrs; a missing, stale or corrupted entry (truncated parquet, checksum
mismatch, unreadable JSON) is logged and rebuilt. Writes are atomic (temp file +
``os.replace``), so parallel report runs never see half a file. Inputs are only read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from helpers import config

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_KEY_LEN = 16
_code_hash_memo: dict[tuple, str] = {}
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


HASH_MEMO = "input-hashes.json"


def input_sha256(path: str | Path, directory: str | Path | None = None) -> str:
    """sha256 of an input file, memoised on its (size, mtime_ns, inode) like git's index.

    Hashing a 500 MB export costs ~0.3 s; the memo (``input-hashes.json`` in the cache
    folder) skips it while the file's size, modification time and inode are unchanged.
    Any change to those re-hashes the file.
    """
    path = Path(path)
    directory = Path(directory) if directory is not None else config.PROCESSED_DIR
    st = path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
    memo_path = directory / HASH_MEMO
    key = str(path.resolve())
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
        if not isinstance(memo, dict):
            memo = {}
    except (OSError, ValueError):
        memo = {}
    entry = memo.get(key)
    if isinstance(entry, dict) and entry.get("stamp") == stamp and entry.get("sha256"):
        return str(entry["sha256"])
    sha = file_sha256(path)
    memo[key] = {"stamp": stamp, "sha256": sha}
    try:
        _atomic_write(memo_path, lambda tmp: tmp.write_text(json.dumps(memo, indent=1),
                                                            encoding="utf-8"))
    except OSError as exc:  # a read-only cache folder only costs speed
        log.debug("cannot write %s: %s", memo_path, exc)
    return sha


def _code_files() -> list[Path]:
    files = sorted(p for p in config.HELPERS_DIR.rglob("*.py") if "__pycache__" not in p.parts)
    curated = config.CURATED_DIR
    if curated.is_dir():
        files += sorted(p for p in curated.rglob("*")
                        if p.is_file() and p.suffix in {".csv", ".yml", ".yaml", ".json"})
    return files


def code_hash() -> str:
    """Hash of the helpers package source, the curated registries and library versions.

    Memoised per process on the files' (path, size, mtime) so repeated loads stay cheap.
    """
    files = _code_files()
    stamp = tuple((str(p), st.st_size, st.st_mtime_ns) for p in files if (st := p.stat()))
    memo = _code_hash_memo.get(stamp)
    if memo is not None:
        return memo
    digest = hashlib.sha256()
    digest.update(f"pandas={pd.__version__};pyarrow={pa.__version__}".encode())
    for path in files:
        rel = path.relative_to(config.PROJ_ROOT) if path.is_relative_to(config.PROJ_ROOT) \
            else path
        digest.update(str(rel).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    value = digest.hexdigest()
    _code_hash_memo.clear()
    _code_hash_memo[stamp] = value
    return value


def cache_paths(path: str | Path, layout: str, input_sha: str, code: str,
                directory: str | Path | None = None) -> tuple[Path, Path]:
    """The (parquet, sidecar) paths for one input file, layout and code version."""
    directory = Path(directory) if directory is not None else config.PROCESSED_DIR
    stem = Path(path).stem
    base = f"{stem}.{layout}.{input_sha[:_KEY_LEN]}.{code[:_KEY_LEN]}"
    return directory / f"{base}.parquet", directory / f"{base}.json"


def _atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; cache files are ordinary files
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def _try_read(parquet: Path, sidecar: Path) -> tuple[pd.DataFrame, dict] | None:
    """The cached frame and its sidecar, or None (logged) when missing, stale or corrupt."""
    if not parquet.exists() or not sidecar.exists():
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        actual = file_sha256(parquet)
        if actual != meta["parquet_sha256"]:
            log.warning("cache %s: checksum mismatch (file changed or truncated); rebuilding",
                        parquet.name)
            return None
        frame = pd.read_parquet(parquet, engine="pyarrow")
        if len(frame) != meta["rows"]:
            log.warning("cache %s: %d rows, sidecar says %d; rebuilding", parquet.name,
                        len(frame), meta["rows"])
            return None
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        log.warning("cache %s unreadable (%s); rebuilding", parquet.name, exc)
        return None
    frame.attrs = dict(meta.get("attrs", {}))
    return frame, meta


def _prune(parquet: Path, keep: set[Path]) -> None:
    """Remove older entries for the same input and layout (other input or code versions)."""
    stem_layout = ".".join(parquet.name.split(".")[:-3])
    for old in parquet.parent.glob(f"{stem_layout}.*.*.*"):
        if old in keep or old.name.count(".") != parquet.name.count("."):
            continue
        try:
            old.unlink()
        except OSError:
            continue


def load(path: str | Path, layout: str, read: Callable[[Path], pd.DataFrame], *,
         directory: str | Path | None = None) -> tuple[pd.DataFrame, dict]:
    """``read(path)``, from cache when the input and the code are unchanged.

    Returns the frame (attrs restored) and an info dict: ``path``, ``sha256`` (input),
    ``layout``, ``rows``, ``cache`` (``"hit"`` or ``"built"``).
    """
    path = Path(path)
    input_sha = input_sha256(path, directory)
    code = code_hash()
    parquet, sidecar = cache_paths(path, layout, input_sha, code, directory)
    info = {"path": str(path), "sha256": input_sha, "layout": layout}
    cached = _try_read(parquet, sidecar)
    if cached is not None:
        frame, meta = cached
        log.debug("cache hit %s", parquet.name)
        return frame, {**info, "rows": meta["rows"], "cache": "hit"}

    frame = read(path)
    attrs = _jsonable(dict(frame.attrs))
    table = frame.copy(deep=False)
    table.attrs = {}
    _atomic_write(parquet, lambda tmp: table.to_parquet(tmp, engine="pyarrow", index=True))
    meta = {"input": str(path), "input_sha256": input_sha, "code_hash": code,
            "layout": layout, "rows": len(frame), "parquet_sha256": file_sha256(parquet),
            "attrs": attrs}
    _atomic_write(sidecar, lambda tmp: tmp.write_text(json.dumps(meta, indent=1,
                                                                 ensure_ascii=False),
                                                      encoding="utf-8"))
    _prune(parquet, {parquet, sidecar})
    log.info("cached %s (%d rows) as %s", path.name, len(frame), parquet.name)
    return frame, {**info, "rows": len(frame), "cache": "built"}
