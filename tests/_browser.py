"""Shared pieces of the browser tests: Debian's Chromium driven by Playwright, offline.

Reports are self-contained: every library a map needs is embedded in the page. So the
browser here answers NOTHING from the network: every request that is not for a local file
(or for a test's own loopback server, when it passes ``allow``) is refused and recorded in
:attr:`Page.external`, and the tests assert that list is empty. Uncaught exceptions and
console errors of scripts are recorded in :attr:`Page.js_errors`.
"""

from __future__ import annotations

from pathlib import Path

from helpers import config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = config.PROJ_ROOT / "test-artifacts"


class Page:
    """A page with its script errors and every request outside local files recorded.

    ``allow`` lists URL prefixes passed through untouched (a test's own loopback server).
    """

    def __init__(self, browser, allow: tuple[str, ...] = (),
                 viewport: tuple[int, int] = (1200, 900)):
        self.allow = allow
        self.context = browser.new_context(viewport={"width": viewport[0],
                                                     "height": viewport[1]})
        self.js_errors: list[str] = []
        self.external: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.js_errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")) or (self.allow and url.startswith(self.allow)):
            route.continue_()
            return
        self.external.append(url)
        route.abort()

    def _console(self, msg):
        if msg.type != "error":
            return
        if msg.text.startswith("Failed to load resource"):
            return  # a refused load (listed in self.external), not a script error
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
