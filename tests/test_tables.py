"""The house table style: what a reader sees in every report table."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.views import labels, tables


@pytest.fixture
def frame():
    return pd.DataFrame({
        "side1": ["resistance", "islamic_state", None],
        "events": pd.array([1234567, 12, pd.NA], dtype="Int64"),
        "share": [0.379, 0.5, np.nan],
        "coverage_pct": [38.2, np.nan, 100.0],
        "event_date": pd.to_datetime(["2024-02-26", None, "2021-08-15"]),
        "description": ["<b>bold</b> & co", "x" * 300, None],
        "source_url": ["https://www.rev.com/transcript?a=1&b=2", None, "not a url"],
        "ratio": [0.165, 93.3, 2.0],
    })


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def test_values_read_as_a_publication(frame):
    html = tables.table(frame, percent=["coverage_pct"], fraction=["share"]).to_html()
    cells = _cells(html)
    assert cells[:8] == ["Armed resistance", "1,234,567", "38\u00a0%", "38\u00a0%",
                         "2024-02-26", "&lt;b&gt;bold&lt;/b&gt; &amp; co", "rev.com", "0.165"]
    row3 = cells[16:24]
    assert row3[0] == "—" and row3[1] == "—" and row3[2] == "—" and row3[5] == "—"
    assert "Islamic State (ISKP)" in cells
    for bad in ("NaN", "NaT", "&lt;NA&gt;", "<NA>", "None", "nan"):
        assert bad not in cells, bad


def test_no_index_human_headers_and_alignment(frame):
    html = tables.table(frame[["side1", "events", "description"]]).to_html()
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>",
                                                                      html, re.S)]
    assert headers == ["Side", "Events", "What happened"]  # no index column
    assert "text-align: right" in html and "text-align: left" in html
    assert "white-space: normal" in html  # long text wraps


def test_links_are_clickable_and_escaped(frame):
    html = tables.table(frame[["source_url"]]).to_html()
    assert '<a href="https://www.rev.com/transcript?a=1&amp;b=2" rel="noopener noreferrer">' \
        'rev.com</a>' in html
    assert "not a url" in html and 'href="not a url"' not in html


def test_hostile_text_is_escaped():
    hostile = pd.DataFrame({"note": ['<script>alert(1)</script>', '" onmouseover="x']})
    html = tables.table(hostile).to_html()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_columns_choose_order_and_rename_and_max_rows_says_what_was_cut(frame):
    html = tables.table(frame, {"events": None, "side1": "Who"}, max_rows=2).to_html()
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>",
                                                                      html, re.S)]
    assert headers == ["Events", "Who"]
    assert "first 2 of 3 rows" in html
    assert len(_cells(html)) == 4


def test_labels_name_values_once():
    assert labels.header("side1") == "Side"
    assert labels.header("some_new_col") == "Some new col"
    assert labels.value("side1", "islamic_state") == "Islamic State (ISKP)"
    assert labels.value("side1", "martians") == "martians"
    assert labels.relation("military", "negative") == "rules out military support"
    assert labels.relation("military", "positive") == "military support"
    assert labels.relation("recognition", "negative") == "withholds recognition"


def test_a_text_column_can_link_to_its_address_column():
    rows = pd.DataFrame({"source": ["Rev <transcript>", "No link", None],
                         "source_url": ["https://www.rev.com/x?a=1&b=2", None,
                                        "https://example.org/"]})
    html = tables.table(rows, ["source"], links={"source": "source_url"}).to_html()
    assert ('<a href="https://www.rev.com/x?a=1&amp;b=2" rel="noopener noreferrer">'
            "Rev &lt;transcript&gt;</a>") in html
    assert "No link" in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">example.org</a>' in html
    assert "source_url" not in html and "Link" not in html


def test_ledger_table_says_each_thing_once():
    rows = pd.DataFrame({"id": ["C1", "C2"], "statement": ["X rose", "Y fell"],
                         "speaker": ["Analyst A", ""], "said_when": ["2024-11", ""],
                         "verdict": ["supported", "not testable with these data"],
                         "reason": ["The data show what the claim says.", "No dataset."],
                         "computed": ["UCDP: 5 to 9", ""], "evidence": ["brd.csv, row 3", ""]})
    html = tables.ledger(rows).to_html()
    cells = _cells(html)
    assert cells[:6] == ["C1", "X rose — Analyst A, 2024-11", "supported",
                         "The data show what the claim says.", "UCDP: 5 to 9", "brd.csv, row 3"]
    assert cells[6:] == ["C2", "Y fell", "not testable with these data", "No dataset.", "—", "—"]
    assert "color:#1a7f37" in html.replace(" ", "")


def test_support_table_words_negative_relations_and_links_sources():
    rows = pd.DataFrame({
        "from_actor": ["United States", "Tajikistan"], "to_actor": ["NRF", "NRF"],
        "relation": ["military", "logistical"], "polarity": ["negative", "positive"],
        "direction": ["one-way", "mutual"], "start": [None, "2021-09"], "end": [None, None],
        "confidence": ["reported", "assessed"], "evidence": ["Ruled it out.", "Hub."],
        "source": ["State Dept", "Brief"], "source_url": ["https://state.gov/x", None]})
    cells = _cells(tables.support(rows).to_html())
    assert cells[:9] == ["United States", "NRF", "rules out military support", "one way",
                         "—", "—", "reported", "Ruled it out.", "State Dept"]
    assert cells[9:12] == ["Tajikistan", "NRF", "logistical support"]
    assert "both ways" in cells


def test_years_and_identifiers_have_no_thousands_separator():
    rows = pd.DataFrame({"year": [2024, 2021], "registration_number": [7030, 6399],
                         "first_year": pd.array([2022, pd.NA], dtype="Int64"),
                         "events": [12345, 2]})
    assert _cells(tables.table(rows).to_html()) == ["2024", "7030", "2022", "12,345",
                                                    "2021", "6399", "—", "2"]


def test_dates_keep_the_precision_their_source_gives():
    rows = pd.DataFrame({"date": pd.to_datetime(["2021-08-01", "2021-08-15", "2024-01-01"]),
                         "date_precision": ["month", "day", "year"], "what": ["a", "b", "c"]})
    assert _cells(tables.table(rows, ["date", "what"]).to_html()) == [
        "2021-08", "a", "2021-08-15", "b", "2024", "c"]
