"""The real theme reports (demo data) in headless Chromium: what a reader of reports/ sees.

Renders the project's catalogue with the batch runner into a temporary folder, then opens
the index and every report with no network: no script errors, every chart image decoded
with a non-zero size, every folium map draws its data layers with no tile server, the
synthetic-data banner is visible, and every link of the index resolves. Screenshots go to
test-artifacts/theme-reports/.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from _browser import CHROMIUM, Page, map_assets_missing, screenshot

from helpers import config
from helpers.reports.catalogue import load_catalogue, select
from helpers.reports.runner import run_reports

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

THEMES = ["00_overview", "01_attacks", "02_expansion", "03_external_support",
          "04_humanitarian"]
#: Map layers each report must draw (CSS selector inside the map's iframe -> at least n).
MAP_LAYERS = {
    "02_expansion": [".leaflet-interactive", ".marker-cluster", ".timecontrol-play"],
}
#: What a report's HTML may weigh: folium copies every map into its page.
SIZE_BUDGET_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    missing = map_assets_missing()
    if missing:
        pytest.skip("local copies of folium's CDN assets are missing (apt-get install "
                    f"libjs-leaflet libjs-jquery; make js-assets): {missing}")
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
        assert "synthetic" in page.inner_text("body").lower()
        assert view.js_errors == []
    finally:
        view.close()


@pytest.mark.parametrize("name", THEMES)
def test_theme_report_renders_charts_and_maps(rendered, browser, name):
    html = rendered / f"{name}.html"
    assert html.stat().st_size < SIZE_BUDGET_BYTES
    view = Page(browser)
    try:
        page = view.open(html)
        page.wait_for_timeout(500)
        body = page.inner_text("body")
        if name != "03_external_support":  # 03 stands on curated tables and FARA only
            assert "Synthetic demo data — patterns are illustrative, not findings" in body
        assert "Sources" in body
        assert "Traceback" not in body
        sizes = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.naturalWidth, e.naturalHeight])")
        assert sizes, "no chart images"
        assert all(w > 0 and h > 0 for w, h in sizes), sizes
        frames = [f for f in page.frames if f != page.main_frame]
        for frame in frames:
            frame.wait_for_selector(".leaflet-container", timeout=15_000)
            assert frame.locator(".leaflet-tile").count() == 0  # no tile server
        if name == "02_expansion":
            assert len(frames) >= 3
            for selector in MAP_LAYERS[name]:
                assert any(f.locator(selector).count() > 0 for f in frames), selector
        screenshot(page, "theme-reports", name)
        assert view.js_errors == [], view.js_errors
    finally:
        view.close()
