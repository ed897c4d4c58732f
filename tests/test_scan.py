"""Folder scans: every readable file loads, every other file is listed with its reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _ingest_fakes import install, write_acled

from helpers.data import catalog
from helpers.data.sources._scan import scan_folder
from helpers.errors import DataError, UnknownLayoutError

HDX = Path(__file__).parent / "fixtures" / "hdx"


@pytest.fixture
def mixed(tmp_path, monkeypatch):
    install(monkeypatch)
    folder = tmp_path / "raw"
    folder.mkdir()
    write_acled(folder / "acled_2024.csv", [{"event_id_cnty": "AFG1"}])
    shutil.copy(HDX / "hdx_hapi_humanitarian_needs_afg.csv", folder)
    shutil.copy(HDX / "fts_requirements_funding_afg.csv", folder)
    (folder / "mystery.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    (folder / "methodology.pdf").write_bytes(b"%PDF-1.4 not a table")
    (folder / "latin1.csv").write_bytes("d\xe9partement,notes\nA,b\n".encode("latin-1"))
    (folder / ".hidden.csv").write_text("x\n", encoding="utf-8")
    return folder


def _reasons(skipped):
    return {Path(s["path"]).name: s["reason"] for s in skipped}


def test_events_from_a_mixed_folder_load_and_list_every_skipped_file(mixed):
    frame = catalog.events(mixed)
    assert len(frame) == 1
    reasons = _reasons(frame.attrs["skipped"])
    assert set(reasons) == {"hdx_hapi_humanitarian_needs_afg.csv",
                            "fts_requirements_funding_afg.csv", "mystery.csv",
                            "methodology.pdf", "latin1.csv"}  # hidden files are not listed
    assert "catalog.indicators" in reasons["hdx_hapi_humanitarian_needs_afg.csv"]
    assert "2 column(s): foo, bar" in reasons["mystery.csv"]
    assert "not a table" in reasons["methodology.pdf"]
    assert reasons["latin1.csv"].startswith("could not be read")


def test_indicators_from_the_same_folder_skip_the_events_and_the_unknown(mixed):
    frame = catalog.indicators(mixed)
    layouts = {i["layout"] for i in frame.attrs["inputs"]}
    assert layouts == {"hapi_humanitarian_needs", "fts_requirements_funding"}
    reasons = _reasons(frame.attrs["skipped"])
    assert "catalog.events" in reasons["acled_2024.csv"]
    assert {"mystery.csv", "methodology.pdf", "latin1.csv"} <= set(reasons)


def test_a_folder_with_nothing_readable_says_why_for_each_file(tmp_path):
    (tmp_path / "mystery.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        catalog.events(tmp_path)
    assert "mystery.csv" in str(info.value) and "foo, bar" in str(info.value)


def test_a_named_file_still_raises(mixed):
    with pytest.raises(UnknownLayoutError):
        catalog.events(mixed / "mystery.csv")


def test_excel_and_json_files_are_considered_not_ignored(tmp_path):
    (tmp_path / "export.json").write_text('{"a": 1}', encoding="utf-8")
    (tmp_path / "boundaries.geojson").write_text('{"type": "FeatureCollection"}',
                                                 encoding="utf-8")
    found = scan_folder(tmp_path, "indicators")
    assert found.files == []
    reasons = {s.path.name: s.reason for s in found.skipped}
    assert set(reasons) == {"export.json", "boundaries.geojson"}
    assert all("not a table" not in r for r in reasons.values())


def test_a_boundaries_file_is_pointed_to_its_place(tmp_path, monkeypatch):
    import json

    install(monkeypatch)
    (tmp_path / "provinces.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
            "shapeName": "Kabul"}, "geometry": {"type": "Polygon", "coordinates": [[
                [69, 34], [69.5, 34], [69.5, 34.5], [69, 34]]]}}]}), encoding="utf-8")
    found = scan_folder(tmp_path, "events")
    [skipped] = found.skipped
    assert "boundaries_path" in skipped.reason
