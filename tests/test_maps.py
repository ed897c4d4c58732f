"""folium maps: escaped popups, tiles=None, data layers present, large sets, choropleth."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from _analysis_events import PROVINCES, empty_events, make_events

from helpers.analysis import expansion
from helpers.data.reference import boundaries
from helpers.views import maps

EVIL = "<script>alert('x')</script> ${alert(2)} `tick` & more"


def _render(fmap) -> str:
    return fmap.get_root().render()


def _no_live_script(page: str) -> None:
    """The evil note must never appear as a tag or as live template-literal code."""
    assert "<script>alert" not in page
    assert "\\u003cscript\\u003ealert" not in page  # JSON-escaped but still a tag
    assert "${alert(2)}" not in page


@pytest.fixture
def events():
    ev = make_events([
        {"event_date": "2024-01-05", "notes": EVIL, "latitude": 35.31, "longitude": 69.51},
        {"event_date": "2024-02-26", "side1": "taliban", "latitude": 34.56,
         "longitude": 69.21, "province": "Kabul", "province_code": "AF-KAB"},
        {"event_date": "2024-03-01", "latitude": None, "longitude": None},
    ])
    ev.attrs["synthetic"] = True
    return ev


def test_escape_helper():
    out = maps.escape(EVIL)
    assert "<" not in out and "$" not in out and "`" not in out
    assert out.startswith("&lt;script&gt;")
    assert maps.escape(pd.NA) == "" and maps.escape(None) == ""
    assert maps.escape("x" * 500, 10) == "x" * 9 + "…"
    html = maps.popup_html({"notes": EVIL, "event_date": pd.Timestamp("2024-01-05"),
                            "district": None})
    assert "<b>Date</b>: 2024-01-05" in html and "District" not in html
    assert "&lt;script&gt;" in html
    assert "<b>Side</b>: Islamic State (ISKP)" in maps.popup_html({"side1": "islamic_state"})


def test_events_map_escapes_and_renders_without_tiles(events):
    fmap = maps.events_map(events, tiles=None)
    page = _render(fmap)
    _no_live_script(page)
    assert "tile.openstreetmap" not in page and "L.tileLayer" not in page
    assert "L.geoJson" in page or "geoJson" in page
    # the popup text travels escaped inside the GeoJSON data
    assert "&lt;script&gt;" in page or "\\u0026lt;script\\u0026gt;" in page
    assert "69.51" in page and "35.31" in page
    assert "1 without coordinates not shown" in page
    assert "Synthetic demo data" in page


def test_events_map_with_tiles_has_tile_layer(events):
    page = _render(maps.events_map(events, tiles="OpenStreetMap"))
    assert "L.tileLayer" in page


def test_large_sets_use_cluster_or_heat():
    rows = [{"event_date": "2024-01-01", "latitude": 34 + i / 1000, "longitude": 69.0}
            for i in range(30)]
    rows.append({"event_date": "2024-01-01", "latitude": None, "longitude": None})
    ev = make_events(rows)
    cluster = _render(maps.events_map(ev, max_points=10))
    assert "FastMarkerCluster" in cluster or "markerClusterGroup" in cluster
    heat = _render(maps.events_map(ev, max_points=10, large="heat"))
    assert "heatLayer" in heat and "NaN" not in heat.split("heatLayer", 1)[1][:3000]
    with pytest.raises(ValueError):
        maps.events_map(ev, large="pins")


def test_timeline_map_has_times_and_escaped_popups(events):
    page = _render(maps.timeline_map(events, tiles=None))
    _no_live_script(page)
    assert "timeDimension" in page or "TimestampedGeoJson" in page or "timedimension" in page
    assert "2024-01-05" in page and "2024-02-26" in page


def test_empty_maps_still_render():
    page = _render(maps.events_map(empty_events()))
    assert "No events with coordinates" in page
    assert "No events with coordinates" in _render(maps.timeline_map(empty_events()))


def test_province_circles(events):
    agg = expansion.province_aggregates(events, PROVINCES)
    page = _render(maps.province_circles(agg, tiles=None))
    assert page.count('"type": "Point"') == len(PROVINCES)  # one feature per province
    assert "First activity (year)" in page and "2024" in page
    assert "$(`" not in page  # popups without jQuery
    # the largest province gets the largest radius
    radii = [float(r) for r in re.findall(r'"radius": ([0-9.]+)', page)]
    assert max(radii) == pytest.approx(32.0)


def test_choropleth_from_boundaries_file(tmp_path, events):
    square = {"type": "Polygon", "coordinates": [[[69, 35], [70, 35], [70, 36], [69, 36],
                                                  [69, 35]]]}
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"shapeISO": "AF-PAN", "shapeName": "<b>P</b>"},
         "geometry": square},
        {"type": "Feature", "properties": {"shapeName": "Atlantis"}, "geometry": square}]}
    path = tmp_path / "adm1.geojson"
    path.write_text(json.dumps(geo), encoding="utf-8")
    agg = expansion.province_aggregates(events, PROVINCES)
    fmap = maps.province_choropleth(agg, boundaries.match_boundaries(path), tiles=None)
    page = _render(fmap)
    assert "Panjshir" in page
    assert "not in the boundaries file" in page
    assert "not matched to a province: 1" in page


def test_choropleth_from_match_result(events):
    class Match:
        features = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"iso_code": "AF-KAB"},
             "geometry": {"type": "Point", "coordinates": [69.2, 34.5]}}]}
        unmatched: list = []
        missing: list = []

    agg = expansion.province_aggregates(events, PROVINCES, side=None)
    agg.loc[agg["province_code"] == "AF-KAB", "province"] = "<i>Kabul</i>"
    page = _render(maps.province_choropleth(agg, Match(), tiles=None))
    assert "&lt;i&gt;Kabul" in page or "\\u0026lt;i\\u0026gt;Kabul" in page
    assert "<i>Kabul" not in page


def test_html_size_stays_small():
    rows = [{"event_date": "2024-01-01", "latitude": 34 + i / 1000, "longitude": 69.0,
             "notes": "n" * 1000} for i in range(200)]
    size = len(_render(maps.events_map(make_events(rows))).encode("utf-8"))
    assert size < 200_000  # notes are cut, one GeoJSON blob


def test_timeline_map_drops_popups_above_limit(events):
    page = _render(maps.timeline_map(events, popup_limit=1))
    assert "popups left out" in page
    assert '"popup"' not in page and "alert" not in page


LEAFLET_DIR = "/usr/share/javascript/leaflet"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.browser
def test_popup_shows_script_as_text_in_chromium(tmp_path):
    """Open the map offline (Leaflet served from the Debian package), click the point."""
    from pathlib import Path

    if not Path("/usr/bin/chromium").exists() or not Path(LEAFLET_DIR, "leaflet.js").exists():
        pytest.skip("needs /usr/bin/chromium and Debian's libjs-leaflet")
    sync_api = pytest.importorskip("playwright.sync_api")
    ev = make_events([{"event_date": "2024-01-05", "notes": EVIL, "latitude": 35.31,
                       "longitude": 69.51}])
    path = tmp_path / "map.html"
    maps.events_map(ev, tiles=None).save(str(path))
    local = {"/leaflet.js": ("leaflet.js", "application/javascript"),
             "/leaflet.css": ("leaflet.css", "text/css")}

    def route(r):
        url = r.request.url
        if url.startswith("file://"):
            return r.continue_()
        for suffix, (name, kind) in local.items():
            if url.endswith(suffix):
                return r.fulfill(body=Path(LEAFLET_DIR, name).read_text(), content_type=kind)
        return r.abort()  # no network: every other CDN asset is refused

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.route("**/*", route)
            page.goto(path.as_uri())
            point = page.locator("path.leaflet-interactive")
            point.first.wait_for(timeout=15_000)
            assert point.count() == 1  # the data layer rendered without any tile server
            content = page.locator(".leaflet-popup-content")
            for _ in range(5):  # the map may still be settling its bounds: click again
                point.first.click()
                try:
                    content.first.wait_for(timeout=3000)
                    break
                except sync_api.TimeoutError:
                    page.wait_for_timeout(500)
            content.first.wait_for(timeout=5000)
            text = content.first.inner_text()
            assert "<script>alert('x')</script>" in text and "${alert(2)}" in text
            assert page.locator(".leaflet-popup-content script").count() == 0
            assert dialogs == []
        finally:
            browser.close()


def test_size_legend_keys_are_round_numbers():
    assert [maps._nice(v) for v in (57.5, 14.4, 1234, 230)] == [60, 10, 1000, 200]
    fmap = maps.base_map()
    maps.add_size_legend(fmap, "Events", 230, 30)
    page = fmap.get_root().render()
    assert "&nbsp;230<" in page and "&nbsp;60<" in page and "&nbsp;10<" in page
    assert "57.5" not in page


def _expand(table: dict) -> list[dict]:
    """What TIMELINE_JS does in the browser, in Python."""
    features = []
    for p in table["points"]:
        lines = [f"<b>{label}</b>: {values[p[4 + i]]}"
                 for i, (label, values) in enumerate(table["fields"]) if p[4 + i] >= 0]
        features.append({"time": table["times"][p[0]], "lon": p[1], "lat": p[2],
                         "color": table["colors"][p[3]], "popup": "<br>".join(lines)})
    return features


def test_timeline_table_rebuilds_each_point_and_its_popup_exactly(events):
    located = events.dropna(subset=["latitude"])
    colors = {"resistance": "#009E73", "taliban": "#333333"}
    table = maps.timeline_table(located, colors, "side1", maps.TIMELINE_FIELDS)
    rebuilt = _expand(table)
    assert len(rebuilt) == len(located) == 2
    for feature, (_, record) in zip(rebuilt, located.iterrows(), strict=True):
        assert feature["popup"] == maps.popup_html(record.to_dict(), maps.TIMELINE_FIELDS)
        assert feature["time"] == record["event_date"].strftime("%Y-%m-%d")
        assert (feature["lat"], feature["lon"]) == (round(record["latitude"], 4),
                                                    round(record["longitude"], 4))
        assert feature["color"] == colors[record["side1"]]
    assert len(table["colors"]) == 2


def test_timeline_values_are_listed_once_and_escaped(events):
    many = pd.concat([events.iloc[[0]]] * 50, ignore_index=True)
    many["location"] = "<i>Anaba</i>"
    table = maps.timeline_table(many, {}, "side1", maps.TIMELINE_FIELDS)
    locations = dict(table["fields"])["Location"]
    assert locations == ["&lt;i&gt;Anaba&lt;/i&gt;"]
    assert len(table["times"]) == 1 and len(table["points"]) == 50
    page = _render(maps.timeline_map(many, tiles=None))
    assert "<i>Anaba" not in page and page.count("&lt;i&gt;Anaba&lt;/i&gt;") == 1


def test_the_timeline_page_cannot_be_closed_by_a_value(events):
    evil = events.copy()
    evil["location"] = "</script><script>alert(3)</script>"
    page = _render(maps.timeline_map(evil, tiles=None))
    assert "alert(3)</script>" not in page


def test_each_popup_is_written_once(events):
    four = pd.concat([events.dropna(subset=["latitude"]).iloc[[1]]] * 4, ignore_index=True)
    four["location"] = ["Here", "There", "Elsewhere", "Nowhere"]
    four["side1"] = ["taliban", "resistance", "taliban", "resistance"]  # two styles
    page = _render(maps.events_map(four, tiles=None))
    # folium keys styles by feature id, not by a unique property such as the popup
    assert page.count("\\u003cb\\u003eLocation\\u003c/b\\u003e: There") == 1


def test_notes_leave_the_popups_when_they_would_make_the_page_heavy(events):
    many = pd.concat([events.dropna(subset=["latitude"]).iloc[[1]]] * 400, ignore_index=True)
    many["event_id"] = [f"E{i}" for i in range(len(many))]
    many["notes"] = "n" * 290
    page = _render(maps.events_map(many, tiles=None))
    assert "notes left out of the popups" in page and "popups shortened" not in page
    assert "nnnnnnnnnn" not in page
    assert len(page) < 600_000
    few = _render(maps.events_map(many.iloc[:20], tiles=None))
    assert "nnnnnnnnnn" in few and "notes left out" not in few
    many = pd.concat([many] * 2, ignore_index=True)
    many["notes"] = ""
    many["actor1"] = "a" * 200  # still heavy without notes: only date, side, type, place
    page = _render(maps.events_map(many, tiles=None))
    assert "popups shortened" in page and "aaaaaaaaaa" not in page
    assert "notes left out" not in page  # one caption line: the step taken
    assert "\\u003cb\\u003eDate\\u003c/b\\u003e" in page
