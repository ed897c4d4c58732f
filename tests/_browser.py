"""Shared pieces of the browser tests: Debian's Chromium driven by Playwright, offline.

The machine has no network: every request that is not to a local file or to the test's own
loopback server is either answered from a local copy of the CDN asset (Debian's
``libjs-leaflet`` / ``libjs-jquery``, and the Leaflet plugins that ``make js-assets``
installs from npm into ``tests/js/node_modules``) or refused. Refused loads are network
errors, listed apart; uncaught exceptions and console errors of scripts fail the tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from helpers import config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DEBIAN_JS = Path("/usr/share/javascript")
NODE_MODULES = Path(__file__).parent / "js" / "node_modules"
ARTIFACTS = config.PROJ_ROOT / "test-artifacts"

#: CDN path fragment -> (npm package, folder inside it or None to keep the CDN's file name).
_NPM_ASSETS = (
    ("leaflet.markercluster", "leaflet.markercluster", "dist"),
    ("leaflet-timedimension", "leaflet-timedimension", "dist"),
    ("iso8601-js-period", "iso8601-js-period", "iso8601.js"),
    ("moment", "moment", "min/moment.min.js"),
    ("jqueryui", "jquery-ui-dist", "jquery-ui.min.js"),
)


def local_asset(url: str) -> Path | None:
    """A local copy for a CDN URL folium loads (Leaflet, its plugins, jQuery), if installed."""
    path = urlparse(url).path
    name = path.rsplit("/", 1)[-1]
    for fragment, package, inner in _NPM_ASSETS:
        if fragment in path:
            target = NODE_MODULES / package / inner
            candidate = target / name if target.suffix == "" else target
            return candidate if candidate.is_file() else None
    if "leaflet" in path and "/dist/" in path:
        candidate = DEBIAN_JS / "leaflet" / path.split("/dist/", 1)[1]
    elif re.fullmatch(r"jquery(-[\d.]+)?(\.min)?\.js", name):
        candidate = DEBIAN_JS / "jquery" / "jquery.min.js"
    else:
        return None
    return candidate if candidate.is_file() else None


def map_assets_missing() -> list[str]:
    """CDN assets the theme reports' maps need that have no local copy (empty when ready)."""
    needed = [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "https://code.jquery.com/jquery-3.7.1.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/"
        "leaflet.markercluster.js",
        "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/"
        "leaflet.timedimension.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js",
        "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js",
    ]
    return [url for url in needed if local_asset(url) is None]


class Page:
    """A page with its script errors and refused network loads recorded.

    ``allow`` lists URL prefixes passed through untouched (a test's own loopback server).
    """

    def __init__(self, browser, allow: tuple[str, ...] = (),
                 viewport: tuple[int, int] = (1200, 900)):
        self.allow = allow
        self.context = browser.new_context(viewport={"width": viewport[0],
                                                     "height": viewport[1]})
        self.js_errors: list[str] = []
        self.refused: list[str] = []
        self.context.route("http*://**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.js_errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)

    def _route(self, route):
        url = route.request.url
        if self.allow and url.startswith(self.allow):
            route.continue_()
            return
        asset = local_asset(url)
        if asset is not None:
            route.fulfill(path=str(asset))
        else:
            self.refused.append(url)
            route.abort()

    def _console(self, msg):
        if msg.type != "error":
            return
        if msg.text.startswith("Failed to load resource"):
            return  # a refused network load (listed in self.refused), not a script error
        self.js_errors.append(f"console: {msg.text}")

    def open(self, path: Path):
        response = self.page.goto(path.as_uri(), wait_until="load")
        assert response is None or response.ok, path
        return self.page

    def close(self):
        self.context.close()


def screenshot(page, folder: str, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/<folder>/ and return its path."""
    target = ARTIFACTS / folder / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target
