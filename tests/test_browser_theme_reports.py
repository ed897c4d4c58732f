"""The real theme reports (demo data) in headless Chromium: what a reader of reports/ sees.

Renders the project's catalogue with the batch runner into a temporary folder, then opens
the index and every report with every request outside the file refused and recorded:
zero such requests, no script errors, every chart image decoded with a non-zero size,
every map draws the province outlines and its data layer with no tile server, the
synthetic-data banner is visible where events are synthetic, and every link of the index
resolves. Screenshots go to test-artifacts/theme-reports/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from _browser import CHROMIUM, Page, screenshot

from helpers import config
from helpers.reports.catalogue import load_catalogue, select
from helpers.reports.runner import run_reports
from helpers.views import maps

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

THEMES = ["00_overview", "01_attacks", "02_expansion", "03_external_support",
          "04_humanitarian"]
#: Maps each report draws, and controls that must appear in at least one of them.
MAPS = {"02_expansion": 4, "04_humanitarian": 1}
MAP_CONTROLS = {"02_expansion": [".marker-cluster", ".timecontrol-play"]}
#: Province borders are drawn in this grey on every map; the bare outline layer fills
#: provinces in a paler grey, so any other fill is data (choropleth, circles).
OUTLINE = f'path[stroke="{maps.OUTLINE_COLOR}"]'
DATA = (f'path.leaflet-interactive:not([fill="{maps.OUTLINE_FILL}"]), .marker-cluster, '
        '.leaflet-marker-icon')
#: Drawn points (not the outline layer's pale province fills).
POINTS = f'path.leaflet-interactive:not([fill="{maps.OUTLINE_FILL}"])'
#: What a report's HTML may weigh, self-contained (libraries, charts, map data): 1 MB for
#: every report, 02 included (map libraries once, outlines shared by its maps, the time
#: slider's ~1,300 points as a compact table).
SIZE_BUDGET_BYTES: dict[str, float] = {}
DEFAULT_BUDGET_BYTES = 1_000_000


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("theme-reports")
    specs = select(load_catalogue(config.NOTEBOOKS_DIR / "reports.yml"))
    summary = run_reports(specs, out, jobs=2, progress=False, timeout=300)
    assert {r["name"]: r["status"] for r in summary.records} == dict.fromkeys(THEMES, "ok")
    return out


def test_index_links_resolve_and_list_every_theme(rendered, browser):
    view = Page(browser)
    try:
        page = view.open(rendered / "index.html")
        screenshot(page, "theme-reports", "index")
        hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
        local = [h for h in hrefs if h.startswith("file:")]
        for href in local:
            assert Path(unquote(urlparse(href).path)).is_file(), href
        for name in THEMES:
            assert any(h.endswith(f"/{name}.html") for h in local), name
        headlines = page.locator("section.report h3:has-text('Headline findings') + ul li")
        assert headlines.count() >= 6  # computed in the run, on real data
        assert page.locator("details summary").count() == len(THEMES)  # provenance folded
        assert "synthetic" in page.inner_text("body").lower()
        assert view.js_errors == []
        assert view.external == []
    finally:
        view.close()


@pytest.mark.parametrize("name", THEMES)
def test_theme_report_renders_charts_and_maps(rendered, browser, name):
    html = rendered / f"{name}.html"
    assert html.stat().st_size < SIZE_BUDGET_BYTES.get(name, DEFAULT_BUDGET_BYTES)
    view = Page(browser)
    try:
        page = view.open(html)
        page.wait_for_timeout(500)
        body = page.inner_text("body")
        if name in ("03_external_support", "04_humanitarian"):  # no section on the demo set
            assert "Synthetic demo data — patterns are illustrative, not findings" not in body
        else:
            assert "Synthetic demo data — patterns are illustrative, not findings" in body
        assert "Sources" in body
        assert "Traceback" not in body
        sizes = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.naturalWidth, e.naturalHeight])")
        assert sizes, "no chart images"
        assert all(w > 0 and h > 0 for w, h in sizes), sizes
        # every chart says in words what it shows: its title and its finding
        alts = page.eval_on_selector_all("img", "els => els.map(e => e.alt || '')")
        for alt in alts:
            assert len(alt) > 20 and "No description" not in alt, alt
        cells = page.eval_on_selector_all("table td, table th",
                                          "els => els.map(e => e.innerText.trim())")
        assert cells, "no tables"
        bad = [c for c in cells if c in ("NaN", "NaT", "<NA>", "nan", "None")]
        assert not bad, bad
        back = page.eval_on_selector_all("nav.arw-nav a", "els => els.map(e => e.href)")
        assert back == [(rendered / "index.html").as_uri()]
        # reports speak to readers, not to notebook users, and name no code
        for phrase in ("The next cell", "map_tiles", "indicator_source", "data_source",
                       "gazetteer.", "helpers.", ".csv`"):
            assert phrase not in body, phrase
        maps = page.locator(".arw-map")
        assert maps.count() == MAPS.get(name, 0)
        assert not [f for f in page.frames if f != page.main_frame]  # maps inline, no iframes
        for i in range(maps.count()):
            one = maps.nth(i)
            one.scroll_into_view_if_needed()
            one.locator(".leaflet-container").wait_for(timeout=15_000)
            assert one.locator(".leaflet-tile").count() == 0  # no tile server
            assert one.locator(OUTLINE).count() >= 30, f"map {i}: no province outlines"
            data = one.locator(DATA)
            assert data.count() > 0, f"map {i}: no data layer"
            assert one.locator(".arw-legend, .legend").count() > 0, f"map {i}: no legend"
        for selector in MAP_CONTROLS.get(name, []):
            assert page.locator(selector).count() > 0, selector
        if name == "02_expansion":  # the time slider works offline: a step moves the date
            date = page.locator(".timecontrol-date").first
            before = date.inner_text()
            for _ in range(12):
                page.locator(".timecontrol-forward").first.click()
                page.wait_for_timeout(100)
            assert date.inner_text() != before, before
            # the compact table became points, and a point's popup reads as before
            timeline = page.locator(".arw-map").filter(has=page.locator(".timecontrol-date"))
            points = timeline.locator(POINTS)
            assert points.count() > 0
            points.last.click(force=True)
            popup = timeline.locator(".leaflet-popup-content").first
            popup.wait_for(timeout=5_000)
            assert re.match(r"Date: \d{4}-\d\d-\d\d\nSide: ", popup.inner_text())
        screenshot(page, "theme-reports", name)
        assert view.js_errors == [], view.js_errors
        assert view.external == [], view.external
        assert "Make this Notebook Trusted" not in body
    finally:
        view.close()
