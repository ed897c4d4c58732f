"""Curated cited tables: schemas, citations, coverage of the brief, no copying, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from _copy_guard import copied_runs, copied_shingles, load_digests, shingle_digests

from helpers import config
from helpers.config import CURATED_DIR
from helpers.data import curated
from helpers.errors import DataError, SchemaError

ENUMS = {
    "theme": curated.THEMES, "comparator": curated.COMPARATORS,
    "date_precision": curated.DATE_PRECISIONS, "relation": curated.RELATIONS,
    "direction": curated.DIRECTIONS, "confidence": curated.CONFIDENCE,
    "polarity": curated.POLARITY, "from_type": curated.ACTOR_TYPES,
    "to_type": curated.ACTOR_TYPES, "compensation": curated.COMPENSATION,
    "indicator": curated.INDICATORS, "unit": None,
}
ARMED_GROUPS = ("National Resistance Front", "Taliban", "Islamic State Khorasan Province",
                "al-Qaeda", "Afghanistan Freedom Front")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: curated.table(name) for name in curated.TABLE_NAMES}


# --------------------------------------------------------------------------- shipped tables

@pytest.mark.parametrize("name", curated.TABLE_NAMES)
def test_table_passes_schema_and_is_cited(tables, name):
    frame = tables[name]
    assert len(frame) > 0
    assert frame.index.name == "row" and frame.index[0] == 1
    assert frame["source"].notna().all() and frame["source_date"].notna().all()
    assert frame["id"].is_unique
    # the loader's typed view agrees with the schema on the raw text
    curated.validate_text(curated._read_text(CURATED_DIR / f"{name}.csv"), name)


def _allowed(column) -> tuple[str, ...] | None:
    """The values an enum column allows (its ``isin`` check), or None."""
    for check in column.checks:
        if check.name == "isin":
            return tuple(check.statistics["allowed_values"])
    return None


@pytest.mark.parametrize("name", curated.TABLE_NAMES)
def test_dates_parse(tables, name):
    frame = tables[name]
    for col, column in curated.schema(name).columns.items():
        errors = {str(c.error) for c in column.checks}
        if column.metadata["type"] == "date":
            assert str(frame[col].dtype) == "datetime64[ns]", col
            if not column.nullable:
                assert frame[col].notna().all(), col
        elif any("YYYY, YYYY-MM" in e for e in errors):
            for value in frame[col].dropna():
                start, end = curated.partial_date_bounds(value)
                assert start <= end


@pytest.mark.parametrize("name", curated.TABLE_NAMES)
def test_enums_valid(tables, name):
    frame = tables[name]
    enums = 0
    for col, column in curated.schema(name).columns.items():
        allowed = _allowed(column)
        if allowed is not None:
            enums += 1
            assert set(frame[col].dropna()) <= set(allowed), col
            if col in ENUMS and ENUMS[col] is not None:
                assert allowed == ENUMS[col]
    assert enums >= 1


def test_brief_is_cited_consistently(tables):
    for name, frame in tables.items():
        brief_rows = frame[frame["source"].str.contains("000_794789878757a6d8")]
        assert (brief_rows["source"] == curated.SOURCE_BRIEF).all(), name
        assert (brief_rows["source_date"] == curated.BRIEF_DATE).all(), name
        assert brief_rows["source_url"].isna().all(), name  # the brief has no URL
        other = frame.drop(brief_rows.index)
        assert other["source_url"].notna().all(), f"{name}: non-brief rows need a URL"


def _claim(frame: pd.DataFrame, check: str) -> pd.Series:
    hit = frame[frame["check"] == check]
    assert len(hit) == 1, check
    return hit.iloc[0]


def test_required_claims_present(tables):
    c = tables["claims"]
    ops = _claim(c, "resistance_operations(2024-01-01,2024-08-31) > 200")
    assert ops["quantity"] == 200 and ops["theme"] == "attacks"
    assert _claim(c, "resistance_provinces(2021-08-15,2024-10-31) ~ 20")["quantity"] == 20
    assert _claim(c, "events_on(2024-02-26,Kabul,resistance) >= 1")["theme"] == "attacks"
    assert _claim(c, "events_on(2024-10-26,Kunduz,resistance) >= 1")["said_when"] == "2024-10-26"

    def one(quantity: float, unit: str) -> pd.Series:
        hit = c[(c["quantity"] == quantity) & (c["unit"] == unit)]
        assert len(hit) == 1, (quantity, unit)
        return hit.iloc[0]

    members = one(5000, "members")
    assert members["comparator"] == ">" and "Nazary" in members["speaker"]
    assert one(23_000_000, "people")["comparator"] == ">"
    assert one(4_000_000, "people")["comparator"] == "~"
    assert one(3_200_000, "children")["comparator"] == "="
    assert one(90, "percent of population")["comparator"] == ">"
    china = one(49_000_000, "USD")
    assert "Ministry of Foreign Affairs" in china["speaker"] and china["comparator"] == "~"
    camps = one(9, "camps")
    assert "Nazary" in camps["speaker"] and camps["said_when"] == "2024-08"


def test_every_claim_names_a_speaker_and_checks_parse(tables):
    c = tables["claims"]
    assert c["speaker"].str.len().gt(3).all()
    for text in c["check"].dropna():
        parsed = curated.parse_check(text)
        assert parsed.metric in curated.METRICS
    assert c["check"].notna().sum() >= 4


def test_required_key_events_present(tables):
    ke = tables["key_events"]
    got = {(d.strftime("%Y-%m-%d"), p) for d, p in zip(ke["event_date"], ke["date_precision"],
                                                      strict=True)}
    for needed in [("2001-09-09", "day"), ("2021-08-15", "day"), ("2021-08-01", "month"),
                   ("2021-09-01", "month"), ("2022-09-01", "month"), ("2024-02-26", "day"),
                   ("2024-05-01", "month"), ("2024-08-01", "month"), ("2024-08-15", "day"),
                   ("2024-10-26", "day")]:
        assert needed in got, needed
    kabul = ke[ke["event_date"] == pd.Timestamp("2024-02-26")].iloc[0]
    assert kabul["province"] == "Kabul"
    assert ke.loc[ke["event_date"] == pd.Timestamp("2024-10-26"), "province"].item() == "Kunduz"


def test_required_relations_present(tables):
    r = tables["relations"]
    pairs = set(zip(r["from_actor"], r["to_actor"], r["relation"], strict=True))
    nrf, tal = "National Resistance Front", "Taliban"
    for needed in [("Tajikistan", nrf, "logistical"), ("Tajikistan", tal, "hostility"),
                   ("India", nrf, "political"), ("China", tal, "diplomatic"),
                   ("China", tal, "financial"), ("Russia", tal, "political"),
                   ("Pakistan", tal, "hostility"), ("United States", nrf, "military"),
                   ("United States", tal, "recognition"), ("European Union", tal, "recognition"),
                   ("Islamic State Khorasan Province", tal, "hostility"),
                   ("Islamic State Khorasan Province", nrf, "hostility"),
                   ("Sonoran Policy Group", nrf, "lobbying"),
                   ("US Legal Advisors", nrf, "lobbying"),
                   (nrf, "United States Congress", "lobbying"), (tal, "al-Qaeda", "logistical")]:
        assert needed in pairs, needed
    diaspora = r[r["from_type"] == "diaspora"]
    assert set(diaspora["relation"]) == {"political", "financial"}
    assert (r.loc[r["relation"] == "hostility", "polarity"] == "negative").all()


def test_lobbying_has_the_brief_registrations(tables):
    lb = tables["lobbying"].set_index("id")
    sonoran = lb[lb["registrant"].str.startswith("Sonoran")].iloc[0]
    assert sonoran["agreement_date"] == pd.Timestamp("2021-09-01")
    assert sonoran["date_precision"] == "month" and sonoran["compensation"] == "pro bono"
    usla = lb[lb["registrant"].str.startswith("US Legal Advisors")].iloc[0]
    assert usla["registration_date"] == pd.Timestamp("2022-09-12")
    assert usla["compensation"] == "pro bono"


def test_humanitarian_indicators_are_attributed(tables):
    h = tables["humanitarian_indicators"]
    ocha = h[h["original_publisher"].str.contains("OCHA")]
    assert ocha["source_url"].str.startswith("https://").all()
    pin = ocha[ocha["indicator"] == "people_in_need"].set_index("period_start")["value"]
    assert pin[pd.Timestamp("2024-01-01")] == 23_700_000
    assert pin[pd.Timestamp("2025-01-01")] == 22_900_000
    aid = h[h["indicator"] == "aid_reported"].iloc[0]
    assert aid["donor"] == "China" and aid["value"] == 49_000_000
    assert "Foreign Affairs" in aid["original_publisher"]
    brief = h[h["source"] == curated.SOURCE_BRIEF]
    assert brief["note"].str.contains("As reported in the analysis brief").all()
    assert (h.loc[h["unit"] == "percent", "value"] <= 100).all()


# --------------------------------------------------------------------------- no copying

def test_copied_runs_detects_eight_word_runs():
    ref = "The quick brown fox jumps over the lazy dog near the river bank."
    assert copied_runs(["A quick brown fox jumps over the sleeping cat."], ref) == []
    hits = copied_runs(["the QUICK brown fox, jumps over the lazy dog!"], ref)
    assert hits == ["the quick brown fox jumps over the lazy",
                    "quick brown fox jumps over the lazy dog"]


def test_shingle_digests_find_a_copied_run_without_the_text():
    ref = "The quick brown fox jumps over the lazy dog near the river bank."
    digests = shingle_digests(ref)
    assert copied_shingles(["the QUICK brown fox, jumps over the lazy dog!"], digests) == [
        "the quick brown fox jumps over the lazy", "quick brown fox jumps over the lazy dog"]
    assert copied_shingles(["A quick brown fox jumps over the sleeping cat."], digests) == []


def test_no_sentence_of_the_brief_is_copied(tables):
    digests = load_digests()
    assert len(digests) > 1000  # every eight-word run of the brief
    found = {}
    for name, frame in tables.items():
        for col in frame.columns:
            if frame[col].dtype == "str":
                runs = copied_shingles(frame[col].dropna(), digests)
                if runs:
                    found[f"{name}.{col}"] = runs
    for path in [CURATED_DIR / "sources.yml", *sorted(Path(config.NOTEBOOKS_DIR).glob("0*.py"))]:
        runs = copied_shingles([path.read_text(encoding="utf-8")], digests)
        if runs:
            found[path.name] = runs
    assert not found


# --------------------------------------------------------------------------- grammar

@pytest.mark.parametrize("text,metric,args,op,number", [
    ("resistance_operations(2024-01-01,2024-08-31) >= 200", "resistance_operations",
     ("2024-01-01", "2024-08-31"), ">=", 200.0),
    ("events_on(2024-02-26, Kabul ,resistance)>=1", "events_on",
     ("2024-02-26", "Kabul", "resistance"), ">=", 1.0),
    ("fatalities(2024-01-01,2024-12-31,taliban) < 12.5", "fatalities",
     ("2024-01-01", "2024-12-31", "taliban"), "<", 12.5),
])
def test_parse_check_accepts(text, metric, args, op, number):
    got = curated.parse_check(text)
    assert (got.metric, got.args, got.comparator, got.number) == (metric, args, op, number)


@pytest.mark.parametrize("text,message", [
    ("resistance_operations(2024-01-01) >= 2", "takes 2 argument"),
    ("attacks(2024-01-01,2024-02-01) > 1", "unknown metric"),
    ("resistance_operations(2024-02-30,2024-03-01) > 1", "not an ISO date"),
    ("resistance_operations(2024-03-01,2024-02-01) > 1", "after end"),
    ("events_on(2024-02-26,Kabul,rebels) >= 1", "side"),
    ("resistance_operations(2024-01-01,2024-08-31) about 200", "not of the form"),
    ("", "not of the form"),
])
def test_parse_check_rejects(text, message):
    with pytest.raises(ValueError, match=message):
        curated.parse_check(text)


def test_compare_approximately_is_fifteen_percent():
    assert curated.compare(17, "~", 20) and curated.compare(23, "~", 20)
    assert not curated.compare(16.9, "~", 20) and not curated.compare(23.1, "~", 20)
    assert curated.compare(201, ">", 200) and not curated.compare(200, ">", 200)
    assert curated.compare(200, ">=", 200) and curated.compare(3, "=", 3)


def test_partial_date_bounds():
    assert curated.partial_date_bounds("2024-02") == (pd.Timestamp("2024-02-01"),
                                                      pd.Timestamp("2024-02-29"))
    assert curated.partial_date_bounds("2023") == (pd.Timestamp("2023-01-01"),
                                                   pd.Timestamp("2023-12-31"))
    with pytest.raises(ValueError):
        curated.partial_date_bounds("2024-13")


# --------------------------------------------------------------------------- bad input

def _broken_copy(tmp_path: Path, name: str, row: int, column: str, value: str) -> Path:
    """Copy a shipped table into tmp_path with one cell replaced (row is 1-based)."""
    frame = pd.read_csv(CURATED_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    out = tmp_path / f"{name}.csv"
    frame.to_csv(out, index=False)
    return out


@pytest.mark.parametrize("name,row,column,value,rule", [
    ("claims", 3, "theme", "attack", "must be one of"),
    ("claims", 2, "period_start", "2024-02-30", "real ISO date"),
    ("claims", 4, "check", "resistance_ops(2024-01-01,2024-02-01) > 1", "claim-check grammar"),
    ("claims", 5, "source", "", "required but empty"),
    ("claims", 6, "source_date", "Nov 2024", "YYYY-MM"),
    ("key_events", 2, "event_date", "15/08/2021", "real ISO date"),
    ("key_events", 3, "date_precision", "week", "must be one of"),
    ("relations", 1, "confidence", "certain", "must be one of"),
    ("relations", 2, "source_url", "www.example.org", "http(s) URL"),
    ("lobbying", 1, "compensation", "free", "must be one of"),
    ("humanitarian_indicators", 1, "value", "24.4 million", "plain number"),
    ("humanitarian_indicators", 2, "geography", "Afghanistan", "AF-XXX"),
])
def test_malformed_copy_names_file_row_column(tmp_path, name, row, column, value, rule):
    path = _broken_copy(tmp_path, name, row, column, value)
    with pytest.raises(SchemaError) as info:
        curated.table(name, path)
    problems = [p for p in info.value.problems if p.column == column]
    assert [p.row for p in problems] == [row]
    assert rule in problems[0].rule
    message = str(info.value)
    assert f"{name}.csv" in message and f"row {row}" in message and f"column '{column}'" in message


def test_cross_column_rules(tmp_path):
    path = _broken_copy(tmp_path, "claims", 1, "comparator", "")
    with pytest.raises(SchemaError, match="must be given together"):
        curated.claims(path)
    path = _broken_copy(tmp_path, "key_events", 3, "event_date", "2021-08-17")  # month row
    with pytest.raises(SchemaError, match="YYYY-MM-01") as info:
        curated.key_events(path)
    assert info.value.problems[0].row == 3
    path = _broken_copy(tmp_path, "claims", 2, "period_end", "2020-01-01")
    with pytest.raises(SchemaError, match="is before 'period_start'"):
        curated.claims(path)


def test_duplicate_id_and_column_problems(tmp_path):
    path = _broken_copy(tmp_path, "relations", 2, "id", "R01")
    with pytest.raises(SchemaError, match="duplicate id"):
        curated.relations(path)
    frame = pd.read_csv(CURATED_DIR / "lobbying.csv", dtype=str, keep_default_na=False)
    frame = frame.drop(columns=["services"]).assign(extra="x")
    out = tmp_path / "lobbying.csv"
    frame.to_csv(out, index=False)
    with pytest.raises(SchemaError) as info:
        curated.lobbying(out)
    rules = {(p.column, p.rule) for p in info.value.problems}
    assert ("services", "required column is missing") in rules
    assert ("extra", "unexpected column") in rules


def test_unreadable_or_missing_file(tmp_path):
    bad = tmp_path / "claims.csv"
    shutil.copy(CURATED_DIR / "claims.csv", bad)
    bad.write_bytes(bad.read_bytes() + "\nC99,other,caf\xe9".encode("latin-1"))
    with pytest.raises(DataError, match="claims.csv"):
        curated.claims(bad)
    with pytest.raises(DataError, match="does not exist"):
        curated.claims(tmp_path / "nope.csv")
    with pytest.raises(KeyError):
        curated.table("aid")


# --------------------------------------------------------------------------- cross-module

def test_key_event_provinces_resolve(tables):
    gazetteer = pytest.importorskip("helpers.data.reference.gazetteer",
                                    reason="helpers.data.reference.gazetteer not written yet")
    provinces = tables["key_events"]["province"].dropna()
    codes = gazetteer.resolve_provinces(provinces)
    assert list(codes) == ["AF-KAB", "AF-KAB", "AF-KDZ"]
    for text in tables["claims"]["check"].dropna():
        check = curated.parse_check(text)
        if check.metric == "events_on":
            gazetteer.resolve_province(check.args[1])


def test_armed_group_actors_resolve(tables):
    from helpers.data.reference import actors

    r = tables["relations"]
    names = pd.concat([r.loc[r["from_type"] == "armed group", "from_actor"],
                       r.loc[r["to_type"] == "armed group", "to_actor"]]).drop_duplicates()
    assert set(names) == set(ARMED_GROUPS)
    resolved = actors.resolve_actors(names.reset_index(drop=True), None, "any")
    assert resolved.attrs["unknown"] == []
    assert list(resolved["actor"]) == list(names)


# --------------------------------------------------------------------------- audit fixes

def _publisher(source: str) -> str:
    """The publisher a ``source`` cell names: the text before its first colon."""
    return source.split(":", 1)[0].strip()


@pytest.mark.parametrize("name", curated.TABLE_NAMES)
def test_every_cited_producer_is_in_the_provenance_record(tables, name):
    from helpers.data import provenance

    record = provenance.record_for(f"data/curated/{name}.csv")
    producers = " | ".join(record["producers"]).casefold()
    cited = {_publisher(s) for s in tables[name]["source"].dropna()}
    missing = sorted(p for p in cited if p.casefold() not in producers)
    assert missing == [], f"{name}.csv cites producers its record lacks: {missing}"


def test_audit_fixes_are_in_the_tables(tables):
    events = tables["key_events"].set_index("id")
    assert events.loc["E04", "event_date"] == pd.Timestamp("2021-08-30")  # not the 31st
    assert events.loc["E12", "event_date"] == pd.Timestamp("2024-04-14")  # beside E08 (May)
    assert events.loc["E08", "event_date"] == pd.Timestamp("2024-05-01")
    relations = tables["relations"].set_index("id")
    china = relations.loc["R12"]
    assert china["relation"] == "humanitarian aid" and china["to_actor"] != "Taliban"
    ind = tables["humanitarian_indicators"].set_index("id")
    assert ind.loc["H02", "source_date"] == ind.loc["H03", "source_date"] == "2022-01"
    assert "Response Plan 2022" in ind.loc["H03", "source"]
    assert ind.loc["H05", "supersedes"] == "H04"
    brief = ind[ind["source_type"] == "brief"]
    assert brief.loc[["H12", "H13", "H14", "H15"], "period_start"].isna().all()
    assert set(ind["source_type"]) <= set(curated.SOURCE_TYPES)


def test_districts_have_source_dates_and_actors_say_what_was_checked():
    districts = pd.read_csv(CURATED_DIR / "districts.csv", dtype=str, keep_default_na=False)
    assert (districts["source_date"] != "").all()
    actors = pd.read_csv(CURATED_DIR / "actors.csv", dtype=str, keep_default_na=False)
    checked = actors[actors["checked_against"] != ""]
    assert set(checked["alias"]) >= {"NRF", "AFF", "Taleban", "IS", "Government of Afghanistan"}
    assert (actors.loc[actors["system"] == "acled", "checked_against"] == "").all()


def test_a_claim_without_a_check_must_say_what_would_test_it(tmp_path):
    path = _broken_copy(tmp_path, "claims", 2, "would_test", "")
    with pytest.raises(SchemaError, match="what data would test it") as info:
        curated.claims(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "would_test")]


def test_a_partial_check_must_say_what_it_leaves_untested(tmp_path):
    row = int(curated.claims().reset_index().query("id == 'C19'")["row"].iloc[0])
    path = _broken_copy(tmp_path, "claims", row, "untested", "")
    with pytest.raises(SchemaError, match="leaves untested"):
        curated.claims(path)


def test_sourcing_says_how_many_rows_rest_on_the_brief_alone():
    brief = curated.SOURCE_BRIEF
    assert curated.sourcing(pd.DataFrame({"source": [brief, brief]})) == (
        "curated from the analysis brief (all 2 rows cite only it; unverified)")
    assert curated.sourcing(pd.DataFrame({"source": [brief, "OCHA HNO 2024"]})) == (
        "curated, cited per row (1 of 2 rows cite only the analysis brief)")
    assert curated.sourcing(pd.DataFrame({"source": ["UNHCR"]})) == (
        "curated, each row citing its publisher")
