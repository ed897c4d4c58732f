"""The report catalogue (``notebooks/reports.yml``): which notebooks to render, with what.

Loading expands every entry into concrete :class:`ReportSpec` objects (one per parameter
set and sweep value) and validates them *before anything executes*: a missing notebook, a
parameter the notebook does not declare, a value whose type differs from the notebook's
default, a secret-looking parameter name or a duplicate output name all stop the run with
one :class:`CatalogueError` that names the entry of each problem.

Catalogue layout::

    defaults:                 # optional: parameters every entry starts from
      data_source: demo
    reports:
      - name: attacks         # output name (slugified); default: the notebook's stem
        notebook: 01_attacks.ipynb   # relative to the catalogue's folder
        title: Attacks        # optional; default: the notebook's first markdown heading
        question: How often ...?  # optional: the question the report answers (index page)
        parameters: {start_date: 2021-08-15}
        parameter_sets:       # optional: one report per set, merged over `parameters`
          - {name: since-2023, start_date: 2023-01-01}
        sweep:                # optional: one report per value (cartesian product)
          provinces: [each]   # `each` = every province of the gazetteer
        enabled: true         # false: listed in the file, skipped unless --only names it
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import difflib
import hashlib
import itertools
import json
import logging
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from helpers._io import atomic_write_json, sha256_file
from helpers.errors import DataError, Problem

#: Parameter names matching this are refused: papermill writes parameters into the output
#: notebook, so credentials must come from environment variables read inside helpers.
SECRET_NAME = re.compile(r"key|token|password|passwd|secret|credential", re.IGNORECASE)

#: Parameters the runner sets itself (widgets do not render in static HTML).
RUNNER_PARAMETERS = {"interactive": False}

#: Output names the runner's own files use.
RESERVED_NAMES = {"index", "manifest", "logs"}

ENTRY_KEYS = {"name", "notebook", "title", "question", "parameters", "parameter_sets", "sweep",
              "enabled"}
EACH = "each"
_UNSET = object()


class CatalogueError(DataError):
    """The catalogue (or a ``--param`` override) is invalid; nothing was executed."""


@dataclass(frozen=True)
class ReportSpec:
    """One report to render: a notebook with one concrete set of parameters."""

    name: str
    entry: str
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    enabled: bool = True
    question: str | None = None


# --------------------------------------------------------------------------- helpers


def slugify(text: str) -> str:
    """Lower-case ASCII slug: letters, digits, ``_`` and single ``-`` separators."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-")
    return re.sub(r"-{2,}", "-", slug)


def _value_slug(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "-".join(_value_slug(v) for v in value) or "all"
    return slugify(str(value)) or "none"


def params_slug(params: Mapping[str, Any]) -> str:
    """Slug naming a parameter combination, e.g. ``provinces-panjshir``."""
    return "--".join(f"{slugify(k)}-{_value_slug(v)}" for k, v in params.items())


def province_names() -> list[str]:
    """Every province name from the gazetteer (used by ``sweep: {provinces: [each]}``)."""
    from helpers.data.reference.gazetteer import (
        provinces,  # imported late: the gazetteer is optional here
    )

    return [str(n) for n in provinces()["name"].tolist()]


def parse_overrides(pairs: Iterable[str]) -> dict[str, Any]:
    """Parse ``--param key=value`` strings; values are read as YAML (``[a, b]``, ``true``).

    Type checking against the notebook happens later, in :func:`load_catalogue`.
    """
    out: dict[str, Any] = {}
    problems = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            problems.append(Problem("--param", None, key or None, pair,
                                    "expected key=value with a Python identifier as key"))
            continue
        if key.endswith("_date") and raw.strip() and raw.strip().lower() not in ("null",
                                                                                  "none"):
            try:  # a date typed on the command line: checked here, once
                dt.date.fromisoformat(raw.strip())
            except ValueError:
                problems.append(Problem("--param", None, key, raw,
                                        "not a date: write it as YYYY-MM-DD"))
                continue
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except (yaml.YAMLError, ValueError):  # ValueError: a YAML date like 2024-13-45
            value = raw
        out[key] = _CliValue(raw, value)
    if problems:
        raise CatalogueError("invalid --param", problems)
    return out


@dataclass(frozen=True)
class _CliValue:
    """A value typed on the command line: keeps the raw text for string parameters."""

    raw: str
    parsed: Any


# --------------------------------------------------------------------------- coercion


def _is_iso_date(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _default_value(default_src: str) -> Any:
    try:
        return ast.literal_eval(default_src)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _UNSET


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return parsed
        return [part.strip() for part in text.split(",") if part.strip()]
    raise TypeError


def _json_ok(value: Any) -> Any:
    """Return ``value`` with dates as ISO strings; reject what JSON cannot hold."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_ok(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_ok(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError


def coerce(value: Any, default_src: str) -> Any:
    """Convert ``value`` to the type of the notebook default written as ``default_src``.

    ISO-date defaults accept dates or ISO strings (returned as ``YYYY-MM-DD``); list
    defaults accept lists or comma-separated strings; ``None`` or unparseable defaults
    accept any JSON-like value. Raises ``TypeError``/``ValueError`` with a short reason.
    """
    raw: str | None = None
    if isinstance(value, _CliValue):
        raw, value = value.raw, value.parsed
    default = _default_value(default_src)
    if default is _UNSET or default is None:
        if raw is not None and isinstance(value, str) and value.lower() in {"none", "null"}:
            return None
        try:
            return _json_ok(value)
        except TypeError:
            raise TypeError(f"{type(value).__name__} cannot be passed to a notebook") from None
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise TypeError(f"expected true or false, got {type(value).__name__} {value!r}")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise TypeError(f"expected an integer, got {type(value).__name__} {value!r}")
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise TypeError(f"expected a number, got {type(value).__name__} {value!r}")
    if isinstance(default, str):
        if _is_iso_date(default):
            if isinstance(value, dt.date):
                return _json_ok(value)
            if _is_iso_date(value):
                return dt.date.fromisoformat(value).isoformat()
            raise ValueError(f"expected an ISO date (YYYY-MM-DD), got {value!r}")
        if isinstance(value, str):
            return value
        if raw is not None:  # typed on the command line: the text is the string
            return raw
        if isinstance(value, dt.date):
            return _json_ok(value)
        raise TypeError(f"expected a string, got {type(value).__name__} {value!r}")
    if isinstance(default, list | tuple):
        if raw is not None and isinstance(value, str | int | float) and not isinstance(
                value, bool):
            value = raw
        try:
            return _json_ok(_as_list(value))
        except TypeError:
            raise TypeError(f"expected a list, got {type(value).__name__} {value!r}") from None
    if isinstance(default, dict):
        if isinstance(value, dict):
            return _json_ok(value)
        raise TypeError(f"expected a mapping, got {type(value).__name__} {value!r}")
    return _json_ok(value)


# --------------------------------------------------------------------------- inspection

_INSPECTED: dict[str, dict[str, dict[str, Any]]] = {}


def read_notebook_json(path: Path) -> dict[str, Any]:
    """A notebook as plain JSON (cheaper than nbformat, which validates on import)."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError(f"{path.name} is not a notebook (no 'cells' list)")
    return data


def cell_source(cell: Mapping[str, Any]) -> str:
    """A cell's source as one string (notebook JSON may store a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def notebook_parameters(path: Path, cache_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """The notebook's declared parameters (``papermill.inspect_notebook``).

    Names assigned in the parameters cell that papermill could not parse are added with
    ``unparsed: True``. Results are memoised by the notebook's content hash, in memory and,
    when ``cache_dir`` is given, in ``cache_dir/notebook-parameters.json`` — so a warm run
    does not import papermill at all.
    """
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest in _INSPECTED:
        return _INSPECTED[digest]
    disk = cache_dir / "notebook-parameters.json" if cache_dir else None
    stored: dict[str, Any] = {}
    if disk is not None and disk.is_file():
        try:
            stored = json.loads(disk.read_text("utf-8"))
        except ValueError:
            stored = {}
        if isinstance(stored, dict) and isinstance(stored.get(digest), dict):
            _INSPECTED[digest] = stored[digest]
            return stored[digest]
    import nbformat
    import papermill as pm

    nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    with _quiet("papermill"):
        found = _inspect(pm, nb, path)
    params = {name: dict(info) for name, info in found.items()}
    for name in _assigned_names(nb) - set(params):
        params[name] = {"name": name, "default": None, "unparsed": True}
    _INSPECTED[digest] = params
    return params


def _save_inspected(cache_dir: Path, notebooks: Iterable[Path]) -> None:
    """Persist the inspected parameters of ``notebooks`` (only after a valid load)."""
    wanted = {sha256_file(p) for p in notebooks}
    stored = {d: _INSPECTED[d] for d in wanted if d in _INSPECTED}
    disk = cache_dir / "notebook-parameters.json"
    try:
        if disk.is_file() and json.loads(disk.read_text("utf-8")) == stored:
            return
    except ValueError:
        pass
    atomic_write_json(disk, stored)


def _inspect(pm: Any, nb: Any, path: Path) -> dict[str, Any]:
    import nbformat

    if nb.metadata.get("kernelspec", {}).get("name"):
        return pm.inspect_notebook(str(path))
    # papermill needs a kernel name to inspect; the runner always uses python3.
    copy_nb = nbformat.from_dict(nb)
    copy_nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                      "display_name": "Python 3"}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        nbformat.write(copy_nb, copy)
        return pm.inspect_notebook(str(copy))


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library logger (its warnings become our own, clearer problems)."""
    logger = logging.getLogger(logger_name)
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


def _assigned_names(nb: Any) -> set[str]:
    """Names assigned in the cell tagged ``parameters`` (read with ``ast``)."""
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                return set()
            names = set()
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) else [])
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            return names
    return set()


def notebook_title(path: Path) -> str | None:
    """The first markdown heading of a notebook (without the ``#``), or ``None``."""
    for cell in read_notebook_json(path)["cells"]:
        if cell.get("cell_type") != "markdown":
            continue
        for line in cell_source(cell).splitlines():
            match = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1).strip()
    return None


# --------------------------------------------------------------------------- loading


class _Collector:
    def __init__(self, file: Path):
        self.file = str(file)
        self.problems: list[Problem] = []

    def add(self, index: int | None, entry: str, column: str | None, value: Any,
            rule: str) -> None:
        label = f"entry '{entry}': {rule}" if entry else rule
        self.problems.append(Problem(self.file, index, column, value, label))


def _sweep_values(name: str, values: Any, index: int, entry: str,
                  bad: _Collector) -> list[Any] | None:
    if values == EACH or values == [EACH]:
        if name != "provinces":
            bad.add(index, entry, f"sweep.{name}", values,
                    "'each' is only defined for provinces; list the values instead")
            return None
        try:
            names = province_names()
        except (ImportError, AttributeError, KeyError) as exc:
            bad.add(index, entry, f"sweep.{name}", values,
                    f"cannot list provinces from helpers.data.reference.gazetteer ({exc})")
            return None
        return [[n] for n in names]
    if not isinstance(values, list) or not values:
        bad.add(index, entry, f"sweep.{name}", values, "a sweep needs a non-empty list")
        return None
    return list(values)


def _expand_entry(raw: Mapping[str, Any], index: int, base_dir: Path,
                  defaults: Mapping[str, Any], overrides: Mapping[str, Any],
                  bad: _Collector, cache_dir: Path | None = None) -> list[ReportSpec]:
    nb_field = raw.get("notebook")
    entry = str(raw.get("name") or (Path(str(nb_field)).stem if nb_field else f"#{index}"))
    unknown_keys = sorted(set(raw) - ENTRY_KEYS)
    for key in unknown_keys:
        bad.add(index, entry, key, raw[key],
                f"unknown entry key (allowed: {', '.join(sorted(ENTRY_KEYS))})")
    if not isinstance(nb_field, str) or not nb_field:
        bad.add(index, entry, "notebook", nb_field, "every entry needs a notebook path")
        return []
    notebook = (base_dir / nb_field).resolve()
    if notebook.suffix != ".ipynb" or not notebook.is_file():
        bad.add(index, entry, "notebook", nb_field, f"unknown notebook (no file {notebook})")
        return []
    try:
        declared = notebook_parameters(notebook, cache_dir)
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a named problem
        bad.add(index, entry, "notebook", nb_field, f"cannot inspect notebook: {exc}")
        return []

    base = dict(defaults)
    params = raw.get("parameters") or {}
    if not isinstance(params, dict):
        bad.add(index, entry, "parameters", params, "parameters must be a mapping")
        return []
    base.update(params)
    sets = raw.get("parameter_sets") or [{}]
    if not isinstance(sets, list) or not all(isinstance(s, dict) for s in sets):
        bad.add(index, entry, "parameter_sets", sets, "parameter_sets must be a list of mappings")
        return []
    sweep = raw.get("sweep") or {}
    if not isinstance(sweep, dict):
        bad.add(index, entry, "sweep", sweep, "sweep must be a mapping of parameter: values")
        return []
    sweep_lists: list[list[tuple[str, Any]]] = []
    for name, values in sweep.items():
        expanded = _sweep_values(str(name), values, index, entry, bad)
        if expanded is None:
            return []
        sweep_lists.append([(str(name), v) for v in expanded])

    title = raw.get("title")
    question = raw.get("question")
    if question is not None and not isinstance(question, str):
        bad.add(index, entry, "question", question, "question must be text")
        question = None
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        bad.add(index, entry, "enabled", enabled, "enabled must be true or false")
    slug_entry = slugify(entry)
    if not slug_entry:
        bad.add(index, entry, "name", entry, "the name has no letters or digits")
        return []

    specs: list[ReportSpec] = []
    many = len(sets) > 1 or bool(sweep_lists)
    for pset in sets:
        pset = dict(pset)
        set_name = pset.pop("name", None)
        for combo in itertools.product(*sweep_lists) if sweep_lists else [()]:
            merged: dict[str, Any] = {**base, **pset, **dict(combo), **overrides}
            final = _check_parameters(merged, declared, index, entry, bad)
            if final is None:
                continue
            distinguishing = {**pset, **dict(combo)}
            if not many:
                name = slug_entry
            elif set_name is not None:
                suffix = slugify(str(set_name))
                name = f"{slug_entry}--{suffix}"
                if combo:
                    name += "--" + params_slug({k: final[k] for k, _ in combo})
            else:
                shown = {k: final.get(k, v) for k, v in distinguishing.items()}
                name = f"{slug_entry}--{params_slug(shown)}" if shown else slug_entry
            specs.append(ReportSpec(name=name, entry=entry, notebook=notebook,
                                    parameters=final, title=title if title else None,
                                    enabled=bool(enabled), question=question or None))
    return specs


def _check_parameters(merged: Mapping[str, Any], declared: Mapping[str, dict[str, Any]],
                      index: int, entry: str, bad: _Collector) -> dict[str, Any] | None:
    final: dict[str, Any] = {}
    ok = True
    for name, value in merged.items():
        shown = value.raw if isinstance(value, _CliValue) else value
        if SECRET_NAME.search(name):
            bad.add(index, entry, f"parameters.{name}", None,
                    "secret-looking parameter names are refused: papermill writes parameters "
                    "into the output notebook; read credentials from environment variables")
            ok = False
            continue
        if name in RUNNER_PARAMETERS:
            bad.add(index, entry, f"parameters.{name}", shown,
                    f"the runner always sets {name}={RUNNER_PARAMETERS[name]!r} itself")
            ok = False
            continue
        if name not in declared:
            close = difflib.get_close_matches(name, list(declared), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(sorted(declared)) or "none"
            bad.add(index, entry, f"parameters.{name}", shown,
                    f"unknown parameter (the notebook declares: {known}){hint}")
            ok = False
            continue
        if declared[name].get("unparsed"):
            bad.add(index, entry, f"parameters.{name}", shown,
                    "papermill cannot parse the line declaring this parameter in the "
                    "notebook's parameters cell (often an '=' inside its comment); fix that "
                    "line so the value can be injected")
            ok = False
            continue
        try:
            final[name] = coerce(value, declared[name]["default"])
        except (TypeError, ValueError) as exc:
            bad.add(index, entry, f"parameters.{name}", shown,
                    f"wrong type for default {declared[name]['default']}: {exc}")
            ok = False
    for name, value in RUNNER_PARAMETERS.items():
        if name in declared:
            final[name] = value
    return final if ok else None


def _chosen(entry: str, enabled: bool, only: Sequence[str]) -> bool:
    """Whether ``--param`` overrides concern an entry: the entries ``--only`` names (an
    entry name, its reports' names or a pattern of them), else the enabled ones."""
    import fnmatch

    if not only:
        return enabled
    return any(fnmatch.fnmatchcase(entry, p) or fnmatch.fnmatchcase(p, entry + "*")
               for p in only)


def _one_per_problem(problems: list[Problem]) -> list[Problem]:
    """The same complaint about the same value in several entries, said once (listing the
    entries) instead of once per entry and per swept report."""
    grouped: dict[tuple, list[str]] = {}
    first: dict[tuple, Problem] = {}
    for p in problems:
        entry, _, rule = p.rule.partition("': ")
        key = (p.column, repr(p.value), rule if entry.startswith("entry '") else p.rule)
        name = entry.removeprefix("entry '") if entry.startswith("entry '") else ""
        grouped.setdefault(key, [])
        if name and name not in grouped[key]:
            grouped[key].append(name)
        first.setdefault(key, p)
    out = []
    for key, p in first.items():
        names = grouped[key]
        if len(names) > 1:
            shown = ", ".join(f"'{n}'" for n in names[:5])
            more = f" and {len(names) - 5} more" if len(names) > 5 else ""
            out.append(Problem(p.file, None, p.column, p.value,
                               f"entries {shown}{more}: {key[2]}"))
        else:
            out.append(p)
    return out


def load_catalogue(path: str | Path, overrides: Mapping[str, Any] | Sequence[str] = (),
                   *, defaults: Mapping[str, Any] | None = None,
                   cache_dir: str | Path | None = None,
                   only: Sequence[str] = ()) -> list[ReportSpec]:
    """Read, expand and validate a catalogue; return every report it defines.

    ``overrides`` (from ``--param``) apply to the reports that will run -- the entries
    ``only`` names, else the enabled ones -- after the catalogue's own values, so a
    parameter meant for one report is neither applied to nor checked against the others.
    Raises :class:`CatalogueError` listing every problem found, each naming its
    entry (``row`` is the entry's 1-based position in ``reports:``). ``cache_dir`` keeps
    the notebooks' inspected parameters between runs (the command line uses
    ``<out>/.cache``).
    """
    path = Path(path)
    if not isinstance(overrides, Mapping):
        overrides = parse_overrides(overrides)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"cannot read catalogue {path}: {exc.strerror or exc}") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"catalogue {path} is not valid YAML: {exc}") from None
    bad = _Collector(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("reports"), list):
        raise CatalogueError(f"catalogue {path} needs a top-level 'reports:' list")
    file_defaults = {**(doc.get("defaults") or {}), **(defaults or {})}
    specs: list[ReportSpec] = []
    for index, raw in enumerate(doc["reports"], start=1):
        if not isinstance(raw, dict):
            bad.add(index, "", None, raw, "each report entry must be a mapping")
            continue
        entry_name = str(raw.get("name") or Path(str(raw.get("notebook") or "")).stem)
        applies = _chosen(entry_name, raw.get("enabled", True) is not False, only)
        specs.extend(_expand_entry(raw, index, path.parent, file_defaults,
                                   overrides if applies else {}, bad,
                                   Path(cache_dir) if cache_dir else None))
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.name in RESERVED_NAMES:
            bad.add(None, spec.entry, "name", spec.name, "this output name is reserved")
        elif spec.name in seen:
            bad.add(None, spec.entry, "name", spec.name,
                    f"duplicate output name (also made by entry '{seen[spec.name]}')")
        seen.setdefault(spec.name, spec.entry)
    if bad.problems:
        raise CatalogueError(f"invalid report catalogue {path.name}; nothing was run",
                             _one_per_problem(bad.problems))
    if cache_dir is not None:
        _save_inspected(Path(cache_dir), {s.notebook for s in specs})
    return specs


def select(specs: Sequence[ReportSpec], only: Sequence[str] = ()) -> list[ReportSpec]:
    """Reports to run: the enabled ones, or those whose name or entry matches ``only``.

    ``only`` items may be exact names, entry names or shell patterns (``attacks--*``);
    naming a disabled report runs it. Unknown names raise :class:`CatalogueError`.
    """
    import fnmatch

    if not only:
        return [s for s in specs if s.enabled]
    chosen: list[ReportSpec] = []
    missing = []
    for pattern in only:
        hits = [s for s in specs if fnmatch.fnmatchcase(s.name, pattern)
                or fnmatch.fnmatchcase(s.entry, pattern)]
        if not hits:
            missing.append(pattern)
        chosen.extend(h for h in hits if h not in chosen)
    if missing:
        names = ", ".join(s.name for s in specs[:30])
        raise CatalogueError(f"--only matched no report: {', '.join(missing)} "
                             f"(reports: {names})")
    return chosen
