"""Actor registry: every alias resolves, the UCDP takeover switch, unknown / NA names."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import config
from helpers.data.reference import actors
from helpers.errors import DataError

CONTRACT_SIDES = ("resistance", "taliban", "republic", "islamic_state", "al_qaeda", "civilians",
                  "other")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return actors.aliases()


def _one(name: str, date: str | None, system: str) -> tuple[object, object]:
    dates = None if date is None else pd.Series(pd.to_datetime([date]))
    out = actors.resolve_actors(pd.Series([name]), dates, system)
    return out["actor"].iat[0], out["side"].iat[0]


# ------------------------------------------------------------------ the curated file


def test_every_row_has_source_and_valid_side(table):
    assert table["source"].notna().all()
    assert table["source"].str.strip().str.len().gt(0).all()
    assert set(table["side"]) <= set(CONTRACT_SIDES)
    assert set(table["system"]) <= {"acled", "ucdp", "any"}


def test_source_urls_look_like_urls(table):
    for urls in table["source_url"].dropna():
        for url in urls.split(" | "):
            assert re.match(r"^https?://\S+$", url), url


def test_sides_match_schema_when_it_exists():
    schema = pytest.importorskip("helpers.data.schemas")
    assert tuple(schema.SIDES) == CONTRACT_SIDES
    assert tuple(actors.SIDES) == CONTRACT_SIDES


def test_required_actors_are_covered(table):
    got = set(zip(table["alias"], table["system"], strict=True))
    for alias, system in [
        ("NRF: National Resistance Front", "acled"), ("AFF: Afghanistan Freedom Front", "acled"),
        ("Taliban", "any"), ("Military Forces of Afghanistan (2021-)", "acled"),
        ("Police Forces of Afghanistan (2021-)", "acled"),
        ("Military Forces of Afghanistan (2014-2021)", "acled"),
        ("Islamic State (Afghanistan)", "acled"), ("ISKP", "any"), ("IS-K", "any"),
        ("TTP: Tehreek-i-Taliban Pakistan", "acled"), ("Civilians (Afghanistan)", "acled"),
        ("Unidentified Armed Group (Afghanistan)", "acled"), ("Government of Afghanistan", "ucdp"),
        ("Taleban", "ucdp"), ("IS", "ucdp"), ("NRF", "ucdp"), ("Civilians", "ucdp"),
    ]:
        assert (alias, system) in got, alias


def test_nrf_leader_is_cited(table):
    nrf = table[table["actor"] == "National Resistance Front"]
    assert (nrf["leader"] == "Ahmad Massoud").all()
    assert nrf["source"].str.contains("Analysis brief").any()


def test_every_alias_resolves_to_its_actor_and_side(table):
    for row, rec in table.iterrows():
        if pd.notna(rec.valid_from):
            date = rec.valid_from
        elif pd.notna(rec.valid_to):
            date = rec.valid_to
        else:
            date = pd.Timestamp("2023-06-01")
        system = "acled" if rec.system == "any" else rec.system
        name = f"  {rec.alias.upper()}  "  # case and outer whitespace must not matter
        actor, side = _one(name, str(date.date()), system)
        assert (actor, side) == (rec.actor, rec.side), f"row {row}: {rec.alias}"


def test_registry_groups_aliases_per_actor_and_period():
    reg = actors.registry()
    nrf = reg[reg["actor"] == "National Resistance Front"]
    assert len(nrf) == 1
    assert "NRF: National Resistance Front" in nrf["aliases"].iat[0]
    gov = reg[reg["aliases"].str.contains("Government of Afghanistan", regex=False)]
    assert set(gov["side"]) == {"republic", "taliban"}
    assert reg["source"].notna().all()


# ------------------------------------------------------------------ date switch


def test_ucdp_government_switches_on_takeover_date():
    day_before = (pd.Timestamp(config.TAKEOVER_DATE) - pd.Timedelta(days=1)).date()
    assert str(day_before) == "2021-08-14"
    names = pd.Series(["Government of Afghanistan"] * 2, index=[10, 11])
    dates = pd.Series(pd.to_datetime(["2021-08-14", "2021-08-15"]), index=[10, 11])
    out = actors.resolve_actors(names, dates, "ucdp")
    assert out.loc[10, "side"] == "republic"
    assert out.loc[11, "side"] == "taliban"
    assert out.attrs["unknown"] == []


def test_government_of_afghanistan_is_ucdp_only():
    actor, side = _one("Government of Afghanistan", "2022-01-01", "acled")
    assert (actor, side) == ("Government of Afghanistan", "other")


def test_dates_as_strings_and_ns_and_us_units_agree():
    names = pd.Series(["Government of Afghanistan"] * 2)
    as_text = actors.resolve_actors(names, pd.Series(["2021-08-14", "2021-08-15"]), "ucdp")
    as_us = actors.resolve_actors(
        names, pd.Series(pd.to_datetime(["2021-08-14", "2021-08-15"])).dt.as_unit("s"), "ucdp")
    assert as_text["side"].tolist() == as_us["side"].tolist() == ["republic", "taliban"]


def test_date_bounded_alias_before_its_period_stays_unknown():
    actor, side = _one("Junbish-i Milli-yi Islami", "2020-01-01", "ucdp")
    assert (actor, side) == ("Junbish-i Milli-yi Islami", "other")
    actor, side = _one("Junbish-i Milli-yi Islami", "2022-01-01", "ucdp")
    assert side == "resistance"


def test_missing_date_matches_only_undated_aliases():
    names = pd.Series(["Government of Afghanistan", "Taleban"])
    out = actors.resolve_actors(names, pd.Series([pd.NaT, pd.NaT]), "ucdp")
    assert out["side"].tolist() == ["other", "taliban"]
    assert out.attrs["unknown"] == ["Government of Afghanistan"]
    out = actors.resolve_actors(names, None, "ucdp")
    assert out["side"].tolist() == ["other", "taliban"]


# ------------------------------------------------------------------ unknown / NA


def test_unknown_names_kept_raw_with_side_other():
    names = pd.Series(["Mystery  Brigade ", "Taliban", "Mystery Brigade", "Zeta"],
                      index=list("abcd"))
    dates = pd.Series(pd.to_datetime(["2023-01-01"] * 4), index=list("abcd"))
    out = actors.resolve_actors(names, dates, "acled")
    assert out.index.tolist() == list("abcd")
    assert out.loc["a", "actor"] == "Mystery Brigade"
    assert out.loc["a", "side"] == "other"
    assert out.loc["b", "side"] == "taliban"
    assert out.attrs["unknown"] == ["Mystery Brigade", "Zeta"]


def test_no_fuzzy_matching():
    for near_miss in ("NRF National Resistance Front", "Talib", "Talibans", "ISKP fighters"):
        actor, side = _one(near_miss, "2023-01-01", "acled")
        assert (actor, side) == (near_miss, "other")


def test_missing_names_give_na_actor_and_side():
    names = pd.Series([None, pd.NA, "", "   ", "Taliban"], dtype=object)
    dates = pd.Series(pd.to_datetime(["2023-01-01"] * 5))
    out = actors.resolve_actors(names, dates, "acled")
    assert out["actor"].isna().tolist() == [True, True, True, True, False]
    assert out["side"].isna().tolist() == [True, True, True, True, False]
    assert out.attrs["unknown"] == []
    assert str(out["actor"].dtype) == "string"


def test_system_specific_row_beats_any_and_any_mode_searches_all():
    # "IS" exists only for UCDP: with system "any" it still resolves (one meaning).
    assert _one("IS", "2023-01-01", "any")[1] == "islamic_state"
    assert _one("IS", "2023-01-01", "acled") == ("IS", "other")
    assert _one("Taleban", "2023-01-01", "any") == ("Taliban", "taliban")


def test_bad_system_and_misaligned_dates_raise():
    with pytest.raises(ValueError, match="system"):
        actors.resolve_actors(pd.Series(["x"]), None, "gdelt")
    with pytest.raises(ValueError, match="length"):
        actors.resolve_actors(pd.Series(["x", "y"]), pd.Series(["2023-01-01"]), "acled")


def test_large_input_maps_unique_pairs_back_correctly():
    rng = np.random.default_rng(1)
    pool = np.array(["Government of Afghanistan", "Taleban", "Nobody", None], dtype=object)
    n = 50_000
    names = pd.Series(pool[rng.integers(0, 4, n)])
    dates = pd.Series(pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 400, n), "D"))
    out = actors.resolve_actors(names, dates, "ucdp")
    gov = names == "Government of Afghanistan"
    after = dates >= pd.Timestamp(config.TAKEOVER_DATE)
    assert (out.loc[gov & after, "side"] == "taliban").all()
    assert (out.loc[gov & ~after, "side"] == "republic").all()
    assert (out.loc[names == "Nobody", "actor"] == "Nobody").all()
    assert out.loc[names.isna(), "side"].isna().all()


# ------------------------------------------------------------------ warnings


def test_warn_unknown_issues_exactly_one_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        actors.warn_unknown(["B", "A", "A"], source="x.csv")
        actors.warn_unknown([])
    assert len(caught) == 1
    assert issubclass(caught[0].category, actors.UnknownActorWarning)
    assert issubclass(actors.UnknownActorWarning, UserWarning)
    assert "'A', 'B'" in str(caught[0].message) and "x.csv" in str(caught[0].message)


# ------------------------------------------------------------------ bad registry files

HEADER = ",".join(actors.COLUMNS)


def _write(tmp_path, *rows: str):
    path = tmp_path / "actors.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = "Taliban,Taliban,any,taliban,,,,,ACLED,2024,https://acleddata.com,"


def test_custom_registry_path_works(tmp_path):
    path = _write(tmp_path, GOOD)
    out = actors.resolve_actors(pd.Series(["taliban"]), None, "acled", path=path)
    assert out["side"].iat[0] == "taliban"


@pytest.mark.parametrize(("row", "column"), [
    ("Taliban,Taliban,any,rebels,,,,,ACLED,2024,,", "side"),
    ("Taliban,Taliban,gdelt,taliban,,,,,ACLED,2024,,", "system"),
    ("Taliban,Taliban,any,taliban,,,,,,n.d.,,", "source"),
    ("Taliban,Taliban,any,taliban,,,2021-13-01,,ACLED,2024,,", "valid_from"),
    ("Taliban,Taliban,any,taliban,,,2022-01-01,2021-01-01,ACLED,2024,,", "valid_to"),
    ("Taliban,Taliban,any,taliban,,,,,ACLED,last year,,", "source_date"),
])
def test_bad_rows_name_file_row_and_column(tmp_path, row, column):
    path = _write(tmp_path, GOOD.replace("Taliban,Taliban", "Other,Other"), row)
    with pytest.raises(DataError) as err:
        actors.aliases(path)
    problems = err.value.problems
    assert any(p.row == 2 and p.column == column for p in problems), problems
    assert "actors.csv" in str(err.value) and "row 2" in str(err.value)


def test_overlapping_periods_for_same_alias_rejected(tmp_path):
    path = _write(tmp_path,
                  "A,Gov,ucdp,republic,,,,2021-08-15,S,n.d.,,",
                  "B,gov,ucdp,taliban,,,2021-08-15,,S,n.d.,,")
    with pytest.raises(DataError, match="already valid"):
        actors.aliases(path)


def test_missing_column_and_missing_file(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("actor,alias\nA,B\n", encoding="utf-8")
    with pytest.raises(DataError, match="lacks columns"):
        actors.aliases(path)
    with pytest.raises(DataError, match="not found"):
        actors.resolve_actors(pd.Series(["x"]), None, "acled", path=tmp_path / "nope.csv")
