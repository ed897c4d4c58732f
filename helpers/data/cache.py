"""Cache of parsed inputs, so a large export is parsed once, not on every run.

A cached table lives in ``config.PROCESSED_DIR`` as ``<stem>.<layout>.<input>.<code>.arrow``
plus a JSON sidecar. The key joins the input file's sha256 with a hash of the code that
produced it: the reader's module and every ``helpers`` module it imports, directly or
not (found by reading their import statements, :func:`code_files`), the curated registry
tables the readers consult (actors, provinces, aliases, districts), and the pandas /
pyarrow versions. A change to a reader, the schema or a registry rebuilds the cache
(ploomber's and OWID's blind spot was helper code outside the hashed step); a change to a
chart or an analysis function does not re-parse every export.

The table is an uncompressed Arrow IPC file (Feather v2), memory-mapped on reload: the
frame's columns point into the file's pages instead of being decoded into fresh memory,
so a reload costs milliseconds whatever the size (a 1M-row parquet took 0.3-0.5 s, most
of it decoding the notes). The price is disk: about the table's size in memory, roughly
the size of the CSV's kept columns. The sidecar records the file's sha256, size,
modification time, row count, layout and attrs; a missing, stale or corrupted entry
(truncated file, other content, unreadable JSON) is logged and rebuilt: the sha256 is
re-checked whenever the size or modification time differ from those written. Writes are
atomic (a new file replaces the old, which a frame still mapping it keeps intact), so
parallel report runs never see half a file. Inputs are only read.
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from helpers import config
from helpers._io import atomic_write, sha256_file

log = logging.getLogger(__name__)

_KEY_LEN = 16
_code_hash_memo: dict[tuple, str] = {}


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
    sha = sha256_file(path)
    memo[key] = {"stamp": stamp, "sha256": sha}
    try:
        atomic_write(memo_path, json.dumps(memo, indent=1))
    except OSError as exc:  # a read-only cache folder only costs speed
        log.debug("cannot write %s: %s", memo_path, exc)
    return sha


#: Curated tables the readers consult (gazetteer and actor registry): part of the code key.
REGISTRY_TABLES = ("actors.csv", "provinces.csv", "province_aliases.csv", "districts.csv")


def _module_path(name: str) -> Path | None:
    """The source file of ``helpers...`` module ``name``, or None if it is not a module."""
    parts = name.split(".")
    if parts[0] != "helpers":
        return None
    base = config.HELPERS_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


_IMPORTS_MEMO: dict[tuple[str, str, int, int], frozenset[str]] = {}


def _imported(path: Path, name: str) -> set[str]:
    """Every ``helpers`` module name an import statement in ``path`` may refer to.

    Memoised per process on the file's (path, size, mtime): parsing the package's sources
    took ~0.15 s, and every cached load asks again.
    """
    st = path.stat()
    key = (str(path), name, st.st_size, st.st_mtime_ns)
    memo = _IMPORTS_MEMO.get(key)
    if memo is None:
        memo = _IMPORTS_MEMO[key] = frozenset(_parse_imports(path, name))
    return set(memo)


#: The start of an import statement at the beginning of a line (any indentation).
_IMPORT_START = re.compile(r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import\b|import[ \t]+\w)",
                           re.MULTILINE)


#: A line that may import a helpers module (absolute or relative import).
_MAY_IMPORT = re.compile(r"\bimport\b.*\bhelpers\b|\bhelpers\b.*\bimport\b|\bfrom\s+\.")


def _import_statements(source: str) -> list[ast.stmt]:
    """The import statements of ``source``.

    Only the lines that start an import are parsed (with their parenthesised or
    backslash-continued rest), not the whole module: a full parse of the reader's 17
    modules took 0.12 s in each new process. A line inside a string that merely looks
    like an import is parsed too, which can only add a file to the hash, never drop one.
    Should any other line mention an import of ``helpers`` (``if x: import helpers.y``, a
    bracket in a comment inside an import, prose), the whole module is parsed instead.
    """
    found: list[ast.stmt] = []
    covered: set[int] = set()
    for match in _IMPORT_START.finditer(source):
        end = source.find("\n", match.end())
        end = len(source) if end == -1 else end
        text = source[match.start():end]
        if "(" in text and ")" not in text:
            close = source.find(")", end)
            end = len(source) if close == -1 else close + 1
        else:
            while text.rstrip().endswith("\\") and end < len(source):
                nxt = source.find("\n", end + 1)
                end = len(source) if nxt == -1 else nxt
                text = source[match.start():end]
        snippet = source[match.start():end]
        try:
            found.extend(ast.parse(textwrap.dedent(snippet)).body)
        except SyntaxError:  # prose that starts like an import, or an odd shape
            continue
        first = source.count("\n", 0, match.start())
        covered.update(range(first, first + snippet.count("\n") + 1))
    for number, line in enumerate(source.splitlines()):
        if number not in covered and _MAY_IMPORT.search(line):
            return [node for node in ast.walk(ast.parse(source))
                    if isinstance(node, (ast.Import, ast.ImportFrom))]
    return found


def _parse_imports(path: Path, name: str) -> set[str]:
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _import_statements(path.read_text(encoding="utf-8")):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "helpers" or m.startswith("helpers.")}


def code_files(module: str) -> list[Path]:
    """Source files of ``module`` and of every helpers module it imports, transitively.

    Read statically from the import statements (also those inside functions), plus the
    ``__init__`` of every package on the way, since importing a module runs them.
    """
    todo, seen, files = [module], set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _module_path(name)
        if path is None:
            continue
        files.add(path)
        parent = name.rpartition(".")[0]
        if parent:
            todo.append(parent)
        todo.extend(_imported(path, name))
    return sorted(files)


def code_hash(module: str = "helpers.data.sources") -> str:
    """Hash of the code behind ``module`` (see :func:`code_files`), the curated registry
    tables and the pandas / pyarrow versions.

    Memoised per process on the files' (path, size, mtime) so repeated loads stay cheap.
    """
    registries = [config.CURATED_DIR / n for n in REGISTRY_TABLES
                  if (config.CURATED_DIR / n).is_file()]
    files = code_files(module) + registries
    stamp = (module, *((str(p), st.st_size, st.st_mtime_ns) for p in files
                       if (st := p.stat())))
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
    _code_hash_memo[stamp] = value
    return value


#: File name ending of a cached table (Arrow IPC file format).
SUFFIX = ".arrow"


def cache_paths(path: str | Path, layout: str, input_sha: str, code: str,
                directory: str | Path | None = None) -> tuple[Path, Path]:
    """The (table, sidecar) paths for one input file, layout and code version."""
    directory = Path(directory) if directory is not None else config.PROCESSED_DIR
    stem = Path(path).stem
    base = f"{stem}.{layout}.{input_sha[:_KEY_LEN]}.{code[:_KEY_LEN]}"
    return directory / f"{base}{SUFFIX}", directory / f"{base}.json"


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _write_table(frame: pd.DataFrame, target: Path) -> None:
    """``frame`` (index and pandas dtypes kept in the schema) as an Arrow IPC file."""
    table = pa.Table.from_pandas(frame, preserve_index=True)
    with pa.OSFile(str(target), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _map_table(path: Path) -> pd.DataFrame:
    """The frame in an Arrow IPC file, its columns pointing into the memory-mapped file."""
    with pa.memory_map(str(path)) as source:  # the mapping outlives this: buffers hold it
        table = pa.ipc.open_file(source).read_all()
    return table.to_pandas()


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def _try_read(data: Path, sidecar: Path) -> tuple[pd.DataFrame, dict] | None:
    """The cached frame and its sidecar, or None (logged) when missing, stale or corrupt."""
    if not data.exists() or not sidecar.exists():
        return None
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if _stamp(data) != meta["stamp"] and sha256_file(data) != meta["sha256"]:
            log.warning("cache %s: checksum mismatch (file changed or truncated); rebuilding",
                        data.name)
            return None
        frame = _map_table(data)
        if len(frame) != meta["rows"]:
            log.warning("cache %s: %d rows, sidecar says %d; rebuilding", data.name,
                        len(frame), meta["rows"])
            return None
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        log.warning("cache %s unreadable (%s); rebuilding", data.name, exc)
        return None
    frame.attrs = dict(meta.get("attrs", {}))
    return frame, meta


def _prune(data: Path, keep: set[Path]) -> None:
    """Remove older entries for the same input and layout (other input or code versions,
    and parquet files of the cache's earlier format)."""
    stem_layout = ".".join(data.name.split(".")[:-3])
    for old in data.parent.glob(f"{stem_layout}.*.*.*"):
        if old in keep or old.name.count(".") != data.name.count("."):
            continue
        if old.suffix not in (SUFFIX, ".json", ".parquet"):
            continue
        try:
            old.unlink()
        except OSError:  # e.g. still mapped by a running kernel on Windows
            continue


def load(path: str | Path, layout: str, read: Callable[[Path], pd.DataFrame], *,
         directory: str | Path | None = None) -> tuple[pd.DataFrame, dict]:
    """``read(path)``, from cache when the input and the code are unchanged.

    Returns the frame (attrs restored) and an info dict: ``path``, ``sha256`` (input),
    ``layout``, ``rows``, ``cache`` (``"hit"``, ``"built"``, or ``"not written"`` when
    the entry could not be written: the parsed frame is returned all the same).

    A reloaded frame maps its file: our writes replace entries, never rewrite them, but a
    tool that rewrites a cache file in place (``cp`` over it, an in-place sync) changes
    what frames already loaded see, and truncating one stops the process that maps it.
    Delete entries (``make clean-cache``) rather than overwrite them.
    """
    path = Path(path)
    input_sha = input_sha256(path, directory)
    code = code_hash(getattr(read, "__module__", None) or "helpers.data.sources")
    data, sidecar = cache_paths(path, layout, input_sha, code, directory)
    info = {"path": str(path), "sha256": input_sha, "layout": layout}
    cached = _try_read(data, sidecar)
    if cached is not None:
        frame, meta = cached
        log.debug("cache hit %s", data.name)
        return frame, {**info, "rows": meta["rows"], "cache": "hit"}

    frame = read(path)
    attrs = _jsonable(dict(frame.attrs))
    table = frame.copy(deep=False)
    table.attrs = {}
    try:
        atomic_write(data, lambda tmp: _write_table(table, tmp))
        meta = {"input": str(path), "input_sha256": input_sha, "code_hash": code,
                "layout": layout, "rows": len(frame), "sha256": sha256_file(data),
                "stamp": _stamp(data), "attrs": attrs}
        atomic_write(sidecar, json.dumps(meta, indent=1, ensure_ascii=False))
    except OSError as exc:
        # A read-only folder, a full disk, or (Windows) the same entry still mapped by
        # another kernel that loaded it meanwhile: the cache only costs speed.
        log.warning("cache %s not written (%s); using the parsed table", data.name, exc)
        return frame, {**info, "rows": len(frame), "cache": "not written"}
    _prune(data, {data, sidecar})
    log.info("cached %s (%d rows) as %s", path.name, len(frame), data.name)
    return frame, {**info, "rows": len(frame), "cache": "built"}
