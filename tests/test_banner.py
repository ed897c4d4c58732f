"""Provenance banner, no-data message, notebook setup and finding sentences."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
from _analysis_events import empty_events, make_events

from helpers.views import banner
from helpers.views import cells as notebook


def _events(synthetic: bool):
    ev = make_events([
        {"event_date": "2024-01-05", "source": "synthetic-demo" if synthetic else "acled"},
        {"event_date": "2024-03-15", "source": "synthetic-demo" if synthetic else "ucdp",
         "province_code": "AF-KAB"},
    ])
    ev.attrs.update(synthetic=synthetic, dropped={"outside_afghanistan": 3},
                    inputs=[{"path": "/data/raw/<evil>.csv", "sha256": "ab" * 32,
                             "layout": "acled", "rows": 2}])
    return ev


def test_banner_real_data():
    page = banner.data_banner(_events(False)).data
    assert "real event data" in page and banner.SYNTHETIC_WARNING not in page
    assert "2024-01-05 to 2024-03-15" in page
    assert "ACLED (1 rows)" in page and "UCDP GED (1 rows)" in page
    assert "provinces:</b> 2" in page
    assert "outside_afghanistan: 3" in page
    assert "abababababab…" in page and "ab" * 32 in page  # short and full checksum
    assert "&lt;evil&gt;.csv" in page and "<evil>" not in page


def test_banner_synthetic_is_visible():
    page = banner.data_banner(_events(True)).data
    assert banner.SYNTHETIC_WARNING in page and "arw-synthetic" in page
    assert "synthetic demo data" in page
    # flagged even when the loader attrs are missing, from the rows' source
    ev = _events(True)
    ev.attrs.clear()
    assert banner.is_synthetic(ev)


def test_banner_empty():
    page = banner.data_banner(empty_events()).data
    assert "no events loaded" in page
    facts = banner.banner_facts(empty_events())
    assert facts["rows"] == 0 and facts["first_date"] is None


def test_no_data_message_escapes_selection():
    msg = banner.no_data_message({"provinces": ["<b>Kabul</b>"], "sides": [],
                                  "months": "2024-01 to 2024-02"}).data
    assert banner.NO_EVENTS in msg
    assert "&lt;b&gt;Kabul&lt;/b&gt;" in msg and "sides" not in msg
    assert banner.NO_EVENTS in banner.no_data_message().data
    assert "&lt;x&gt;" in banner.notice("<x>").data


def test_setup_is_deterministic():
    settings = notebook.setup(seed=5)
    a = (random.random(), np.random.rand())
    notebook.setup(seed=5)
    assert (random.random(), np.random.rand()) == a
    assert settings["seed"] == 5 and pd.get_option("display.max_columns") == 40


def test_finding_formats_numbers():
    text = notebook.finding_text(
        "{n} operations in {prov} provinces ({share:.0%} urban), IRR {irr}, from {d}; "
        "missing {m}; {name}",
        n=1234, prov=np.int64(19), share=0.256, irr=1.4567, d=pd.Timestamp("2024-02-26"),
        m=math.nan, name="<NRF>")
    assert text == ("1,234 operations in 19 provinces (26% urban), IRR 1.46, from 2024-02-26;"
                    " missing n/a; &lt;NRF&gt;")
    assert notebook.finding("{x}", x=2.0).data == "2"
    assert notebook.finding_text("{x}", x=pd.NA) == "n/a"
    assert notebook.pct(1, 4) == 25.0 and math.isnan(notebook.pct(1, 0))


def test_banner_lists_files_a_scan_left_out_escaped():
    ev = _events(False)
    ev.attrs["skipped"] = [{"path": "/raw/<i>x.csv", "reason": "not a table (.pdf)"}]
    page = banner.data_banner(ev).data
    assert "Files left out" in page and "&lt;i&gt;x.csv" in page
    assert "not a table (.pdf)" in page
