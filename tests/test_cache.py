"""helpers.data.cache: Arrow cache keyed by input sha256 + code hash; corruption is rebuilt."""

from __future__ import annotations

import hashlib
import json
import logging
import os

import pandas as pd
import pyarrow as pa
import pytest
from _ingest_fakes import install, write_acled

from helpers.data import cache
from helpers.data.sources import acled


@pytest.fixture(autouse=True)
def fakes(monkeypatch):
    install(monkeypatch)


@pytest.fixture
def counted(monkeypatch):
    """acled.parse wrapped so a test can see how often the real parse ran."""
    calls = []

    def read(path):
        calls.append(path)
        return acled.parse(path)

    return read, calls


@pytest.fixture
def raw(tmp_path):
    return write_acled(tmp_path / "export.csv",
                       [{}, {"fatalities": "5"}, {"country": "Pakistan"}])


def test_first_load_builds_second_load_hits(tmp_path, raw, counted):
    read, calls = counted
    store = tmp_path / "processed"
    first, info1 = cache.load(raw, "acled", read, directory=store)
    second, info2 = cache.load(raw, "acled", read, directory=store)
    assert (info1["cache"], info2["cache"]) == ("built", "hit")
    assert len(calls) == 1
    assert info1["sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert info2["rows"] == 2 and info2["layout"] == "acled"
    pd.testing.assert_frame_equal(first, second)
    assert second.index.name == "row" and list(second.index) == [1, 2]
    assert second.attrs["dropped"] == {"outside_afghanistan": 1}
    assert str(second["event_date"].dtype) == "datetime64[ns]"
    assert second["fatalities"].dtype == "Int64"


def test_sidecar_records_checksum_rows_layout_and_attrs(tmp_path, raw, counted):
    read, _ = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    [sidecar] = store.glob("export.acled.*.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    table = sidecar.with_suffix(".arrow")
    assert meta["sha256"] == hashlib.sha256(table.read_bytes()).hexdigest()
    assert meta["stamp"] == [table.stat().st_size, table.stat().st_mtime_ns]
    assert meta["rows"] == 2
    assert meta["layout"] == "acled"
    assert meta["attrs"]["dropped"] == {"outside_afghanistan": 1}
    assert meta["input_sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert not [p for p in store.iterdir() if p.name.endswith(".tmp")]  # atomic writes


def test_changed_input_rebuilds_and_replaces_the_old_entry(tmp_path, raw, counted):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    write_acled(raw, [{}, {"fatalities": "6"}])
    frame, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "built" and len(calls) == 2
    assert list(frame["fatalities"]) == [0, 6]
    assert len(list(store.glob("export.acled.*.arrow"))) == 1  # stale entry pruned


def test_code_change_invalidates(tmp_path, raw, counted, monkeypatch):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    monkeypatch.setattr(cache, "code_hash", lambda module: "f" * 64)
    _, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "built" and len(calls) == 2


def test_code_hash_covers_what_the_reader_imports_and_nothing_else(tmp_path, monkeypatch):
    pkg = tmp_path / "helpers"
    (pkg / "data").mkdir(parents=True)
    (pkg / "views").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "data" / "__init__.py").write_text("")
    (pkg / "views" / "__init__.py").write_text("")
    (pkg / "data" / "reader.py").write_text(
        "from helpers.data import shared\n\ndef read(p):\n    from . import late\n")
    (pkg / "data" / "shared.py").write_text("X = 1\n")
    (pkg / "data" / "late.py").write_text("Y = 1\n")
    (pkg / "views" / "chart.py").write_text("from helpers.data import reader\n")
    monkeypatch.setattr(cache.config, "HELPERS_DIR", pkg)
    monkeypatch.setattr(cache.config, "CURATED_DIR", tmp_path / "none")
    names = {p.relative_to(pkg).as_posix() for p in cache.code_files("helpers.data.reader")}
    assert names == {"__init__.py", "data/__init__.py", "data/reader.py", "data/shared.py",
                     "data/late.py"}
    before = cache.code_hash("helpers.data.reader")
    (pkg / "views" / "chart.py").write_text("from helpers.data import reader  # edited\n")
    assert cache.code_hash("helpers.data.reader") == before  # a view edit re-parses nothing
    (pkg / "data" / "late.py").write_text("Y = 2\n")
    assert cache.code_hash("helpers.data.reader") != before


def test_the_real_acled_reader_key_covers_schema_and_registries_not_views():
    files = {p.relative_to(cache.config.PROJ_ROOT).as_posix()
             for p in cache.code_files("helpers.data.sources.acled")}
    assert {"helpers/data/sources/_canonical.py", "helpers/data/schemas.py",
            "helpers/data/reference/gazetteer.py", "helpers/data/reference/actors.py",
            "helpers/data/reference/targets.py"} <= files
    assert not any(f.startswith(("helpers/views", "helpers/analysis", "helpers/reports"))
                   for f in files)


def test_truncated_table_is_detected_and_rebuilt(tmp_path, raw, counted, caplog):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    [table] = store.glob("export.acled.*.arrow")
    table.write_bytes(table.read_bytes()[:100])
    with caplog.at_level(logging.WARNING):
        frame, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "built" and len(calls) == 2
    assert "checksum mismatch" in caplog.text
    assert len(frame) == 2
    _, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "hit"


def test_corrupt_sidecar_is_rebuilt(tmp_path, raw, counted, caplog):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    [sidecar] = store.glob("export.acled.*.json")
    sidecar.write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        _, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "built" and len(calls) == 2
    assert "unreadable" in caplog.text


def test_table_swapped_for_other_valid_content_is_caught(tmp_path, raw, counted):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    [table] = store.glob("export.acled.*.arrow")
    cache._write_table(pd.DataFrame({"x": [1]}), table)
    frame, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "built"
    assert "event_id" in frame.columns


def test_input_hash_memo_follows_file_changes(tmp_path, raw):
    store = tmp_path / "processed"
    first = cache.input_sha256(raw, store)
    assert first == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert cache.input_sha256(raw, store) == first
    write_acled(raw, [{"fatalities": "9"}])
    assert cache.input_sha256(raw, store) == hashlib.sha256(raw.read_bytes()).hexdigest() != first


def test_raw_input_is_never_modified(tmp_path, raw, counted):
    read, _ = counted
    before = raw.read_bytes()
    mtime = raw.stat().st_mtime_ns
    cache.load(raw, "acled", read, directory=tmp_path / "processed")
    cache.load(raw, "acled", read, directory=tmp_path / "processed")
    assert raw.read_bytes() == before and raw.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in raw.parent.iterdir()) == ["export.csv", "processed"]


def test_default_directory_is_config_processed_dir(tmp_path, raw, counted, monkeypatch):
    read, _ = counted
    monkeypatch.setattr(cache.config, "PROCESSED_DIR", tmp_path / "elsewhere")
    cache.load(raw, "acled", read)
    assert list((tmp_path / "elsewhere").glob("export.acled.*.arrow"))


def test_a_reload_maps_the_file_instead_of_copying_it(tmp_path, counted):
    read, _ = counted
    notes = "SYNTHETIC TEST NOTE " * 50  # 1,000 bytes a row
    raw = write_acled(tmp_path / "wide.csv", [{"notes": f"{i} {notes}"} for i in range(3000)])
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    before = pa.total_allocated_bytes()
    frame, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "hit"
    text_bytes = int(frame["notes"].str.len().sum())
    assert text_bytes > 3_000_000
    # the notes point into the mapped file: Arrow allocated a fraction of their size
    assert pa.total_allocated_bytes() - before < text_bytes // 10
    assert frame.loc[3000, "notes"].startswith("2999 SYNTHETIC")
    frame.loc[1, "latitude"] = 35.0  # a mapped frame can still be edited (pandas copies)
    assert frame.loc[1, "latitude"] == 35.0


def test_a_touched_but_unchanged_table_is_still_a_hit(tmp_path, raw, counted):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    [table] = store.glob("export.acled.*.arrow")
    os.utime(table, ns=(table.stat().st_atime_ns, table.stat().st_mtime_ns + 10**9))
    _, info = cache.load(raw, "acled", read, directory=store)
    assert info["cache"] == "hit" and len(calls) == 1  # sha256 re-checked, and equal


def test_entries_of_the_earlier_parquet_format_are_pruned(tmp_path, raw, counted):
    read, _ = counted
    store = tmp_path / "processed"
    store.mkdir()
    old = "export.acled.0123456789abcdef.fedcba9876543210"
    for suffix in (".parquet", ".json"):
        (store / f"{old}{suffix}").write_text("old", encoding="utf-8")
    other = store / "other.acled.0123456789abcdef.fedcba9876543210.parquet"
    other.write_text("another input's entry", encoding="utf-8")
    cache.load(raw, "acled", read, directory=store)
    names = sorted(p.name.rsplit(".", 1)[1] for p in store.glob("export.acled.*"))
    assert names == ["arrow", "json"]
    assert other.exists()


def _imports_by_full_parse(path, name: str) -> set[str]:
    """The slow, sure answer: every import node of the whole module's syntax tree."""
    import ast

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "helpers" or m.startswith("helpers.")}


def test_import_lines_give_what_a_full_parse_gives_for_every_helpers_module():
    root = cache.config.HELPERS_DIR
    for path in sorted(root.rglob("*.py")):
        parts = ("helpers", *path.relative_to(root).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        # a superset: an import shown in a docstring may be counted, never one missed
        assert cache._parse_imports(path, name) >= _imports_by_full_parse(path, name), path


def test_import_lines_in_awkward_shapes(tmp_path):
    source = (
        '"""Docs.\n\nimport the file, then from there import nothing.\n"""\n'
        "from helpers.data import (\n    schemas,\n    cache as c,\n)\n"
        "import helpers.data.reference.actors, \\\n    helpers.data.reference.targets\n"
        "def f():\n    from ..reference import gazetteer\n"
        "    if True:\n        import helpers.errors\n"
    )
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    got = cache._parse_imports(path, "helpers.data.sources.mod")
    assert got == _imports_by_full_parse(path, "helpers.data.sources.mod") == {
        "helpers.data", "helpers.data.schemas", "helpers.data.cache",
        "helpers.data.reference.actors", "helpers.data.reference.targets",
        "helpers.data.reference", "helpers.data.reference.gazetteer", "helpers.errors"}


def test_the_suite_keeps_its_cache_out_of_the_project():
    # conftest's session fixture: nothing a test parses lands in the user's data/processed
    assert not cache.config.PROCESSED_DIR.is_relative_to(cache.config.PROJ_ROOT)
    assert os.environ["ARW_PROCESSED_DIR"] == str(cache.config.PROCESSED_DIR)


def test_import_shapes_the_line_scan_cannot_read_fall_back_to_a_full_parse(tmp_path):
    # found by review: a bracket in a comment inside an import, and an import after
    # "if x:" on one line; both were silently missed, so an edit to those modules would
    # not have invalidated the cache
    source = ("from helpers.data.reference import (\n"
              "    actors,  # registry (see docs)\n    targets,\n)\n"
              "if True: import helpers.errors\n")
    path = tmp_path / "mod.py"
    path.write_text(source, encoding="utf-8")
    got = cache._parse_imports(path, "helpers.data.sources.mod")
    assert got == _imports_by_full_parse(path, "helpers.data.sources.mod")
    assert {"helpers.data.reference.actors", "helpers.data.reference.targets",
            "helpers.errors"} <= got


def test_an_entry_that_cannot_be_written_still_gives_the_parsed_frame(tmp_path, raw, counted,
                                                                        monkeypatch, caplog):
    # e.g. Windows refusing to replace an entry another kernel has mapped, or a full disk
    read, calls = counted

    def refuse(target, data):
        raise PermissionError(13, "file in use", str(target))

    monkeypatch.setattr(cache, "atomic_write", refuse)
    with caplog.at_level(logging.WARNING):
        frame, info = cache.load(raw, "acled", read, directory=tmp_path / "processed")
    assert info["cache"] == "not written" and len(frame) == 2 and len(calls) == 1
    assert "not written" in caplog.text
