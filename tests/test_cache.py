"""helpers.data.cache: parquet cache keyed by input sha256 + code hash; corruption is rebuilt."""

from __future__ import annotations

import hashlib
import json
import logging

import pandas as pd
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
    parquet = sidecar.with_suffix(".parquet")
    assert meta["parquet_sha256"] == hashlib.sha256(parquet.read_bytes()).hexdigest()
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
    assert len(list(store.glob("export.acled.*.parquet"))) == 1  # stale entry pruned


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


def test_truncated_parquet_is_detected_and_rebuilt(tmp_path, raw, counted, caplog):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    [parquet] = store.glob("export.acled.*.parquet")
    parquet.write_bytes(parquet.read_bytes()[:100])
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


def test_parquet_swapped_for_other_valid_content_is_caught(tmp_path, raw, counted):
    read, calls = counted
    store = tmp_path / "processed"
    cache.load(raw, "acled", read, directory=store)
    [parquet] = store.glob("export.acled.*.parquet")
    pd.DataFrame({"x": [1]}).to_parquet(parquet)
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
    assert list((tmp_path / "elsewhere").glob("export.acled.*.parquet"))
