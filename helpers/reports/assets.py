"""The map libraries a report embeds, resolved from pinned local copies — never a CDN.

folium writes CDN links (jsdelivr, cdnjs, code.jquery.com) into every map. A static report
must open offline and tell no third-party host who reads it, so the renderer swaps each
link for the same library installed from the npm registry at set-up time (``assets/``,
``npm ci``; versions pinned in ``assets/package-lock.json``) and embeds it once per
report. Libraries folium adds but our maps never use (Bootstrap, Font Awesome,
awesome-markers, highlight.js) are dropped; a link this module does not know stops the
render with a message naming it, so nothing remote can slip through.

Stylesheets are embedded with their images as ``data:`` URIs, so the report's Content
Security Policy can forbid every remote load (:data:`CSP`).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers import config

#: Where ``npm ci --prefix assets`` installs the pinned libraries.
NODE_MODULES = config.PROJ_ROOT / "assets" / "node_modules"

#: A report may load nothing from anywhere: scripts and styles are inline, images are
#: ``data:`` URIs (charts, Leaflet's control images).
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:; connect-src 'none'; frame-src 'none'; "
       "base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class Asset:
    """One library file: the npm package it comes from, its path there, its licence."""

    package: str
    file: str
    kind: str  # "js" or "css"
    licence: str

    @property
    def path(self) -> Path:
        return NODE_MODULES / self.package / self.file


#: URL fragment folium writes -> the local file that replaces it (checked in order).
ASSETS: tuple[tuple[str, Asset], ...] = (
    ("leaflet@1.9.3/dist/leaflet.js", Asset("leaflet", "dist/leaflet.js", "js",
                                            "BSD-2-Clause")),
    ("leaflet@1.9.3/dist/leaflet.css", Asset("leaflet", "dist/leaflet.css", "css",
                                             "BSD-2-Clause")),
    ("jquery-3.7.1.min.js", Asset("jquery", "dist/jquery.min.js", "js", "MIT")),
    ("jquery/3.7.1/jquery.min.js", Asset("jquery", "dist/jquery.min.js", "js", "MIT")),
    ("iso8601-js-period@0.2.1/iso8601.min.js", Asset("iso8601-js-period", "iso8601.js",
                                                     "js", "Apache-2.0")),
    ("leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js",
     Asset("leaflet-timedimension", "dist/leaflet.timedimension.min.js", "js", "MIT")),
    ("leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css",
     Asset("leaflet-timedimension", "dist/leaflet.timedimension.control.min.css", "css",
           "MIT")),
    ("moment.js/2.18.1/moment.min.js", Asset("moment", "min/moment.min.js", "js", "MIT")),
    ("leaflet.markercluster/1.1.0/leaflet.markercluster.js",
     Asset("leaflet.markercluster", "dist/leaflet.markercluster.js", "js", "MIT")),
    ("leaflet.markercluster/1.1.0/MarkerCluster.css",
     Asset("leaflet.markercluster", "dist/MarkerCluster.css", "css", "MIT")),
    ("leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
     Asset("leaflet.markercluster", "dist/MarkerCluster.Default.css", "css", "MIT")),
    ("folium/templates/leaflet_heat.min.js", Asset("leaflet.heat", "dist/leaflet-heat.js",
                                                   "js", "BSD-2-Clause")),
)

#: CSS appended to a library's stylesheet. The time-slider control draws its buttons with
#: the Glyphicons web font from a CDN; plain Unicode characters replace them (no font).
CSS_OVERRIDES = {
    "leaflet-timedimension": """
.leaflet-bar-timecontrol .leaflet-control-timecontrol:before {
  font-family: "DejaVu Sans", Arial, sans-serif; }
.timecontrol-play:before { content: "\\25B6"; }
.timecontrol-play.pause:before { content: "\\275A\\275A"; }
a.timecontrol-play.loading:before, .timecontrol-date.loading:before,
.timecontrol-loop:before { content: "\\21BB"; }
.timecontrol-speed:before { content: ""; }
.timecontrol-stop:before { content: "\\25A0"; }
.timecontrol-forward:before { content: "\\00BB"; }
.timecontrol-backward:before { content: "\\00AB"; }
""",
}

#: Leaflet finds its default marker images next to its stylesheet's URL; embedded, there
#: is none, so the default icon is given its images as ``data:`` URIs (name -> file).
_LEAFLET_ICONS = {"icon": "marker-icon.png", "icon-2x": "marker-icon-2x.png",
                  "shadow": "marker-shadow.png"}


def _leaflet_icons(asset: Asset) -> str:
    images = asset.path.parent / "images"
    uris = {name: "data:image/png;base64," + base64.b64encode(
        (images / file).read_bytes()).decode("ascii") for name, file in _LEAFLET_ICONS.items()}
    return ("\nL.Icon.Default.include({_getIconUrl: function (name) {"
            f" var uris = {json.dumps(uris)};"
            " return (L.Browser.retina && name === 'icon') ? uris['icon-2x'] : uris[name];"
            " }});\n")


#: Libraries folium links by default that no map of the workbook uses: dropped. (jQuery UI
#: comes with folium's time slider, but Leaflet.TimeDimension 1.1.1 draws its own slider
#: and never calls it: 250 kB saved per report; the browser tests move the slider.)
UNUSED = ("bootstrap", "glyphicons", "fontawesome", "awesome-markers", "awesome.rotate",
          "highlight.js", "jqueryui", "jquery-ui")


class AssetError(RuntimeError):
    """A map needs a library the workbook cannot embed (not installed, or unknown)."""


def resolve(url: str) -> Asset | None:
    """The local library replacing ``url``; None for a library our maps never use.

    Raises :class:`AssetError` for a URL this module does not know (so a new folium
    plugin cannot make a report load from the web) or for a library not installed.
    """
    for fragment, asset in ASSETS:
        if fragment in url:
            if not asset.path.is_file():
                raise AssetError(
                    f"map library {asset.package}/{asset.file} is not installed: run "
                    "`make setup` (it runs `npm ci --prefix assets`)")
            return asset
    if any(word in url.lower() for word in UNUSED):
        return None
    raise AssetError(f"a map links {url}, which the workbook cannot embed: add its pinned "
                     "npm package to assets/package.json and to helpers/reports/assets.py")


_CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")
#: ``@font-face`` rules that load a font from the web (dropped: reports load nothing).
_REMOTE_FONT = re.compile(r"@font-face\s*{[^}]*(?:https?:)?//[^}]*}", re.S)
_MIME = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml"}


@lru_cache(maxsize=64)
def text(asset: Asset) -> str:
    """The library's text; a stylesheet with its local images inlined as ``data:`` URIs."""
    body = asset.path.read_text(encoding="utf-8")
    if asset.kind != "css":
        return body + (_leaflet_icons(asset) if asset.package == "leaflet" else "")
    body = _REMOTE_FONT.sub("", body) + CSS_OVERRIDES.get(asset.package, "")

    def inline(match: re.Match) -> str:
        target = (asset.path.parent / match.group(2)).resolve()
        if match.group(2).startswith("data:") or not target.is_file():
            return "none" if not match.group(2).startswith("data:") else match.group(0)
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{_MIME.get(target.suffix, 'application/octet-stream')};base64,{data})"
    return _CSS_URL.sub(inline, body)


def version(asset: Asset) -> str:
    """The installed version of the asset's npm package."""
    manifest = json.loads((NODE_MODULES / asset.package / "package.json").read_text("utf-8"))
    return str(manifest.get("version", "?"))


def head(urls: list[str]) -> str:
    """``<style>`` and ``<script>`` blocks embedding, once each, the libraries ``urls`` need.

    Order: folium's (the first map's order, then what later maps add); duplicates, which
    folium sometimes links from two CDNs, are embedded once. Each block opens with a
    comment naming the package, its version and licence.
    """
    seen: set[Path] = set()
    css, js = [], []
    for url in urls:
        asset = resolve(url)
        if asset is None or asset.path in seen:
            continue
        seen.add(asset.path)
        note = f"{asset.package} {version(asset)} ({asset.licence}), embedded from npm"
        if asset.kind == "css":
            css.append(f"<style>/* {note} */\n{text(asset)}\n</style>")
        else:
            body = text(asset).replace("</script", "<\\/script")
            js.append(f"<script>/* {note} */\n{body}\n</script>")
    return "\n".join(css + js)


def licences(urls: list[str]) -> list[tuple[str, str, str]]:
    """(package, version, licence) of every library embedded for ``urls``."""
    found = {}
    for url in urls:
        asset = resolve(url)
        if asset is not None:
            found[asset.package] = (asset.package, version(asset), asset.licence)
    return sorted(found.values())
