"""Rendered reports in a real browser: headless Chromium (Debian package) via Playwright.

Renders the runner's fixture notebooks (a matplotlib chart, a folium map with tiles=None
and markers, a failing notebook), then opens index.html and every report: no JavaScript
errors, every image decoded, map layers drawn, every index link resolves. Screenshots go
to test-artifacts/reports/ (git-ignored).

The browser answers nothing from the network: reports are self-contained (the map
libraries are embedded), so every page must make zero requests outside its own file, and
uncaught exceptions and console errors of scripts fail the test.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from _browser import CHROMIUM, Page, screenshot

from helpers.reports.catalogue import load_catalogue
from helpers.reports.runner import run_reports

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "build.py"
_spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
BUILD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(BUILD)

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    nbdir = root / "nb"
    BUILD.build(nbdir, ["hello", "chart", "map", "fail"])
    catalogue = BUILD.write_catalogue(nbdir, [
        {"name": "hello", "notebook": "hello.ipynb"},
        {"name": "chart", "notebook": "chart.ipynb"},
        {"name": "map", "notebook": "map.ipynb"},
        {"name": "fail", "notebook": "fail.ipynb"},
    ])
    out = root / "out"
    summary = run_reports(load_catalogue(catalogue), out, jobs=2, progress=False, timeout=120)
    assert {r["name"]: r["status"] for r in summary.records} == {
        "hello": "ok", "chart": "ok", "map": "ok", "fail": "failed"}
    return out


def _screenshot(page, name: str) -> None:
    screenshot(page, "reports", name)


def test_index_loads_and_every_link_resolves(rendered, browser):
    view = Page(browser)
    try:
        page = view.open(rendered / "index.html")
        _screenshot(page, "index")
        hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
        assert len(hrefs) >= 4 * 3  # report, notebook and log for each
        for href in hrefs:
            target = Path(unquote(urlparse(href).path))
            assert target.is_file(), href
            assert target.parent == rendered or target.parent == rendered / "logs"
        for href in {h for h in hrefs if h.endswith(".html")}:
            view.open(Path(unquote(urlparse(href).path)))
            assert page.title()
            back = page.eval_on_selector_all("nav.arw-nav a", "els => els.map(e => e.href)")
            assert back == [(rendered / "index.html").as_uri()]  # every report links back
        assert page.locator("section.status-failed").count() == 0  # last page opened is a report
        view.open(rendered / "index.html")
        assert page.locator("section.status-failed").count() == 1
        assert "synthetic demo data" in page.inner_text("body")
        assert view.js_errors == []
        assert view.external == []
    finally:
        view.close()


@pytest.mark.parametrize("name", ["hello", "chart", "map", "fail"])
def test_report_pages_render_without_script_errors(rendered, browser, name):
    view = Page(browser)
    try:
        page = view.open(rendered / f"{name}.html")
        page.wait_for_timeout(300)
        sizes = page.eval_on_selector_all(
            "img", "els => els.map(e => [e.naturalWidth, e.naturalHeight, e.complete])")
        assert all(w > 0 and h > 0 for w, h, _ in sizes), sizes
        if name == "chart":
            assert len(sizes) >= 1
        if name == "fail":
            assert "This report failed" in page.inner_text("body")
        _screenshot(page, name)
        assert view.js_errors == []
        assert view.external == []
    finally:
        view.close()


def test_folium_map_is_embedded_and_draws_its_layers_offline(rendered, browser):
    html = (rendered / "map.html").read_text(encoding="utf-8")
    assert "Make this Notebook Trusted" not in html
    assert "<iframe" not in html and "cdn.jsdelivr" not in html.split("</head>", 1)[1]
    assert 'http-equiv="Content-Security-Policy"' in html
    view = Page(browser)
    try:
        page = view.open(rendered / "map.html")
        page.wait_for_selector(".arw-map .leaflet-marker-icon", timeout=10_000)
        assert page.locator(".leaflet-marker-icon").count() == 1
        assert page.locator("path.leaflet-interactive").count() == 1  # the CircleMarker
        assert page.locator(".leaflet-tile").count() == 0  # tiles=None: no tile layer
        sizes = page.eval_on_selector_all(".leaflet-marker-icon",
                                          "els => els.map(e => e.naturalWidth)")
        assert all(s > 0 for s in sizes)
        _screenshot(page, "map-layers")
        assert view.js_errors == []
        assert view.external == []
    finally:
        view.close()
