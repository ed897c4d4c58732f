"""folium maps for the expansion notebook: events, time slider, province circles, choropleth.

Presentation only: each function takes the canonical event table or an analysis result
(``expansion.province_aggregates``) and draws it; nothing is filtered here except rows
without coordinates, which cannot be placed and are counted in the map's caption.

Safety and size:

* every text shown in a popup or tooltip is HTML-escaped (event notes are free text, a
  ``<script>`` in them must show as text); ``$`` and backticks are escaped too because
  folium places popup HTML inside JavaScript template literals;
* tiles are optional: ``tiles=None`` gives a map whose data layers render without any
  tile server (tests and offline readers);
* points go into one GeoJSON layer (one JSON blob, not one JavaScript object per
  marker); above ``max_points`` events a ``FastMarkerCluster`` or ``HeatMap`` replaces the
  individual points, and long notes are cut to ``NOTE_CHARS``.
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
from collections.abc import Mapping, Sequence

import folium
import pandas as pd
from folium import plugins
from folium.template import Template

from helpers.config import AFG_BBOX
from helpers.data.reference.boundaries import BoundaryMatch
from helpers.views import labels
from helpers.views.charts import SIDE_COLORS, SYNTHETIC_SUBTITLE, colors_for

log = logging.getLogger(__name__)

MAX_POINTS = 1000
#: Deepest zoom level the maps allow (Leaflet's usual limit for OpenStreetMap tiles).
MAX_ZOOM = 18
NOTE_CHARS = 300
COORD_DECIMALS = 4
#: Decimals kept in province outlines (0.001° is about 100 m: finer than the outlines'
#: own simplification, and a third of the bytes).
OUTLINE_DECIMALS = 3
#: Popup fields for event points: (column, label).
EVENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("event_date", "Date"), ("side1", "Side"), ("actor1", "Actor"),
    ("sub_event_type", "Type"), ("province", "Province"), ("district", "District"),
    ("location", "Location"), ("fatalities", "Fatalities"), ("target", "Target"),
    ("source", "Source"), ("notes", "Notes"))
#: Shorter popups for the time-slider map (its features carry their own styles).
TIMELINE_FIELDS: tuple[tuple[str, str], ...] = (
    ("event_date", "Date"), ("side1", "Side"), ("sub_event_type", "Type"),
    ("province", "Province"), ("location", "Location"))
#: Above this many points the time-slider map drops popups to keep the HTML small.
TIMELINE_POPUP_LIMIT = 1500
#: Above this many bytes of popup text the events map leaves the notes out of its popups,
#: then keeps only date, side, type and place (the caption says so), so that a province
#: report with up to ``MAX_POINTS`` events stays under 1 MB.
POPUP_BUDGET = 200_000
#: How FastMarkerCluster draws one point: a plain circle marker. folium's default uses
#: Leaflet.awesome-markers (and Font Awesome) from a CDN, which offline readers lack.
#: A clustered event (FastMarkerCluster callback); ``%COLOR%`` is its side's colour.
CLUSTER_POINT_JS = """function (row) {
    return L.circleMarker(new L.LatLng(row[0], row[1]),
                          {radius: 4, color: "%COLOR%", weight: 1, fillOpacity: 0.7});
};"""
#: A cluster's icon: a disc in its side's colour with the count (no library stylesheet).
CLUSTER_ICON_JS = """function (cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 26 : (n < 100 ? 32 : 40);
    return L.divIcon({html: '<div style="width:' + size + 'px;height:' + size + 'px;' +
        'line-height:' + size + 'px;border-radius:50%;background:%COLOR%;opacity:0.85;' +
        'color:#fff;font:bold 12px sans-serif;text-align:center;' +
        'border:2px solid rgba(255,255,255,0.8)">' + n + '</div>',
        className: 'marker-cluster arw-cluster', iconSize: L.point(size, size)});
};"""
BOUNDS = [[AFG_BBOX["lat_min"], AFG_BBOX["lon_min"]], [AFG_BBOX["lat_max"], AFG_BBOX["lon_max"]]]
CENTER = [(AFG_BBOX["lat_min"] + AFG_BBOX["lat_max"]) / 2,
          (AFG_BBOX["lon_min"] + AFG_BBOX["lon_max"]) / 2]


def escape(value: object, limit: int | None = None) -> str:
    """Text safe to place in popup HTML: NA -> "", cut to ``limit``, HTML/JS-escaped."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        text = value.strftime("%Y-%m-%d")
    else:
        text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=True).replace("`", "&#96;").replace("$", "&#36;")


def popup_html(record: Mapping[str, object],
               fields: Sequence[tuple[str, str]] = EVENT_FIELDS) -> str:
    """Escaped "Label: value" lines for one record (fields missing or empty are skipped);
    coded values (sides, targets) in words."""
    lines = []
    for column, label in fields:
        shown = labels.value(column, record.get(column))  # "Armed resistance", not a code
        text = escape(shown, NOTE_CHARS if column == "notes" else None)
        if text:
            lines.append(f"<b>{html.escape(label)}</b>: {text}")
    return "<br>".join(lines)


def base_map(tiles: str | None = None, attribution: str | None = None,
             outlines: BoundaryMatch | None = None) -> folium.Map:
    """An empty map framed on Afghanistan; ``tiles=None`` uses no tile server at all.

    ``outlines`` (the province boundaries, matched to provinces) are drawn first, in grey
    with each province's name on hover, so a map without tiles still shows the country.
    """
    # maxZoom in the map options: without a tile layer Leaflet has none, and marker
    # clustering refuses to start ("Map has no maxZoom specified").
    fmap = folium.Map(location=CENTER, zoom_start=6, tiles=tiles, attr=attribution,
                      control_scale=True, max_zoom=MAX_ZOOM, maxZoom=MAX_ZOOM,
                      zoom_snap=0.25, zoomSnap=0.25)
    fmap.fit_bounds(BOUNDS)
    if outlines is not None:
        add_outlines(fmap, outlines)
    return fmap


#: Stroke of province borders, on every map (outline layer and choropleth alike).
OUTLINE_COLOR = "#7a7a7a"
OUTLINE_FILL = "#f4f4f4"


def rounded(geometry: dict, decimals: int = OUTLINE_DECIMALS) -> dict:
    """A GeoJSON geometry with its coordinates rounded (repeated points dropped)."""
    def walk(coords):
        if coords and isinstance(coords[0], int | float):
            return [round(float(c), decimals) for c in coords]
        out = [walk(c) for c in coords]
        if out and isinstance(out[0], list) and out[0] and isinstance(out[0][0], float):
            out = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
        return out
    return {**geometry, "coordinates": walk(geometry.get("coordinates", []))}


def add_outlines(fmap: folium.Map, outlines: BoundaryMatch) -> None:
    """Province outlines as a grey, unfilled layer with the province name as tooltip."""
    features = [{"type": "Feature", "geometry": rounded(f["geometry"]),
                 "properties": {"name": escape(f["properties"].get("name"))}}
                for f in outlines.features.get("features", []) if f.get("geometry")]
    if not features:
        return
    folium.GeoJson({"type": "FeatureCollection", "features": features},
                   name="province outlines", control=False,
                   style_function=lambda _f: {"color": OUTLINE_COLOR, "weight": 1,
                                              "fillColor": OUTLINE_FILL, "fillOpacity": 0.35},
                   tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(fmap)


def add_caption(fmap: folium.Map, lines: Sequence[str], synthetic: bool = False) -> None:
    """A small fixed box on the map with escaped caption lines (and the synthetic banner)."""
    parts = [escape(line) for line in lines if line]
    if synthetic:
        parts.insert(0, f"<b style='color:#D55E00'>{escape(SYNTHETIC_SUBTITLE)}</b>")
    if not parts:
        return
    box = ("<div class='arw-caption' style='position:absolute;bottom:24px;right:12px;z-index:9999;"
           "background:rgba(255,255,255,0.9);padding:6px 8px;font:12px sans-serif;"
           "border:1px solid #999;max-width:45%'>" + "<br>".join(parts) + "</div>")
    fmap.get_root().html.add_child(folium.Element(box))


def add_legend(fmap: folium.Map, title: str, colors: Mapping[str, str]) -> None:
    """A fixed legend box: one coloured dot per category (labels escaped)."""
    if not colors:
        return
    rows = "".join(f"<div><span style='color:{c}'>&#9679;</span> {escape(k)}</div>"
                   for k, c in colors.items())
    box = ("<div class='arw-legend' style='position:absolute;top:12px;right:12px;z-index:9999;"
           "background:rgba(255,255,255,0.9);padding:6px 8px;font:12px sans-serif;"
           f"border:1px solid #999'><b>{escape(title)}</b>{rows}</div>")
    fmap.get_root().html.add_child(folium.Element(box))


def add_scale_legend(fmap: folium.Map, title: str, ramp: Sequence[str], low: float,
                     high: float) -> None:
    """A fixed legend for a colour scale: a gradient bar with its two ends labelled.

    Plain HTML and CSS (no script, no web font), so it renders offline in any report.
    """
    gradient = ", ".join(ramp)
    box = ("<div class='arw-legend arw-scale' style='position:absolute;top:12px;right:12px;"
           "z-index:9999;background:rgba(255,255,255,0.9);padding:6px 8px;"
           "font:12px sans-serif;border:1px solid #999;width:190px'>"
           f"<b>{escape(title)}</b><div style='height:10px;margin:4px 0;"
           f"background:linear-gradient(to right, {gradient})'></div>"
           f"<div style='display:flex;justify-content:space-between'><span>{escape(_amount(low))}"
           f"</span><span>{escape(_amount(high))}</span></div></div>")
    fmap.get_root().html.add_child(folium.Element(box))


def _located(events: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    lon = pd.to_numeric(events["longitude"], errors="coerce")
    keep = (lat.notna() & lon.notna()).to_numpy()
    return events.loc[keep], int((~keep).sum())


def _is_synthetic(events: pd.DataFrame, synthetic: bool | None) -> bool:
    return bool(events.attrs.get("synthetic", False)) if synthetic is None else synthetic


def _point_features(frame: pd.DataFrame, colors: Mapping[str, str], color_by: str,
                    fields: Sequence[tuple[str, str]]) -> list[dict]:
    features = []
    for number, record in enumerate(frame.to_dict("records")):
        key = str(record.get(color_by)) if color_by in record else "unknown"
        props = {"color": colors.get(key, "#999999")}
        if fields:
            props["popup"] = popup_html(record, fields)
        # A short id: folium keys each feature's style by it (else by a unique property,
        # which would be the popup, written out a second time).
        features.append({"type": "Feature", "id": number, "properties": props, "geometry": {
            "type": "Point", "coordinates": [round(float(record["longitude"]), COORD_DECIMALS),
                                             round(float(record["latitude"]), COORD_DECIMALS)]}})
    return features


def events_map(events: pd.DataFrame, tiles: str | None = None, max_points: int = MAX_POINTS,
               large: str = "cluster", color_by: str = "side1",
               fields: Sequence[tuple[str, str]] = EVENT_FIELDS,
               synthetic: bool | None = None,
               outlines: BoundaryMatch | None = None) -> folium.Map:
    """Events as points coloured by ``color_by`` with escaped popups.

    Up to ``max_points`` located events: one GeoJSON layer of circle markers. Above that:
    ``large="cluster"`` (FastMarkerCluster) or ``"heat"`` (HeatMap), without popups.
    ``synthetic`` defaults to ``events.attrs["synthetic"]``.
    """
    if large not in ("cluster", "heat"):
        raise ValueError("large must be 'cluster' or 'heat'")
    fmap = base_map(tiles, outlines=outlines)
    located, missing = _located(events)
    caption = [f"{len(located):,} events mapped"
               + (f"; {missing:,} without coordinates not shown" if missing else "")]
    if located.empty:
        caption = ["No events with coordinates for this selection"]
    elif len(located) <= max_points:
        colors = colors_for(sorted(located[color_by].dropna().astype(str).unique()),
                            SIDE_COLORS) if color_by in located else {}
        features = _point_features(located, colors, color_by, fields)
        lighter = None
        for shorter, note in _lighter_popups(fields):
            if _popup_bytes(features) <= POPUP_BUDGET:
                break
            features, lighter = _point_features(located, colors, color_by, shorter), note
        if lighter:
            caption.append(lighter)  # the last step taken says all
        layer = folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name="events",
            marker=folium.CircleMarker(radius=5, fill=True, weight=1),
            style_function=lambda f: {"color": f["properties"]["color"], "fillOpacity": 0.7,
                                      "fillColor": f["properties"]["color"]},
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False))
        layer.add_to(fmap)
        add_legend(fmap, labels.header(color_by),
                   {str(labels.value(color_by, k)): c for k, c in colors.items()})
    else:
        if large == "heat":
            plugins.HeatMap(_points(located), name="events (heat)", radius=12).add_to(fmap)
            caption.append(f"more than {max_points:,} events: shown as a heat map of all "
                           "sides, without popups")
        else:
            groups = (located[color_by].astype("string").fillna("unknown")
                      if color_by in located else pd.Series("events", index=located.index))
            colors = colors_for(sorted(groups.unique()), SIDE_COLORS)
            for key, color in colors.items():
                plugins.FastMarkerCluster(
                    _points(located[groups == key]), name=str(labels.value(color_by, key)),
                    callback=CLUSTER_POINT_JS.replace("%COLOR%", color),
                    icon_create_function=CLUSTER_ICON_JS.replace("%COLOR%", color)).add_to(fmap)
            if color_by in located:
                add_legend(fmap, labels.header(color_by),
                           {str(labels.value(color_by, k)): c for k, c in colors.items()})
            caption.append(f"more than {max_points:,} events: clustered separately for each "
                           f"{labels.header(color_by).lower()}, without popups")
    add_caption(fmap, caption, _is_synthetic(events, synthetic))
    return fmap


def _lighter_popups(fields: Sequence[tuple[str, str]]
                    ) -> list[tuple[tuple[tuple[str, str], ...], str]]:
    """Ever shorter popup field lists for a heavy events map, each with its caption note:
    without the notes, then only what the time-slider popups show."""
    tiers = []
    if any(column == "notes" for column, _ in fields):
        tiers.append((tuple(f for f in fields if f[0] != "notes"),
                      "notes left out of the popups to keep the page light"))
    short = tuple(f for f in fields if f[0] in dict(TIMELINE_FIELDS))
    if len(short) < len(fields):
        tiers.append((short, "popups shortened to date, side, type and place"))
    return tiers


def _popup_bytes(features: list[dict]) -> int:
    """Roughly what the features' popups add to the page (folium writes each ``<`` and
    ``>`` of their markup as a six-character escape)."""
    text = "".join(str(f["properties"].get("popup", "")) for f in features)
    return len(text.encode("utf-8")) + 5 * (text.count("<") + text.count(">"))


def _points(located: pd.DataFrame) -> list[list[float]]:
    return [[round(float(a), COORD_DECIMALS), round(float(b), COORD_DECIMALS)]
            for a, b in zip(located["latitude"], located["longitude"], strict=True)]


#: Rebuilds the time slider's GeoJSON in the browser from the compact table
#: :func:`timeline_table` writes (a few dozen bytes a point instead of ~400): each row is
#: ``[time index, lon, lat, colour index, one value index per popup field (-1: none)]``.
#: Values and labels arrive HTML-escaped; the popup is the same HTML popup_html gives.
TIMELINE_JS = """(function (t) {
    var features = [];
    t.points.forEach(function (p) {
        var lines = [];
        t.fields.forEach(function (field, i) {
            if (p[4 + i] >= 0) { lines.push("<b>" + field[0] + "</b>: " + field[1][p[4 + i]]); }
        });
        var color = t.colors[p[3]];
        var props = {time: t.times[p[0]], icon: "circle", color: color,
                     iconstyle: {fillColor: color, color: color, radius: t.radius}};
        if (lines.length) { props.popup = lines.join("<br>"); }
        features.push({type: "Feature", properties: props,
                       geometry: {type: "Point", coordinates: [p[1], p[2]]}});
    });
    return {type: "FeatureCollection", features: features};
})(%DATA%)"""


def _codes(values: Sequence[str]) -> tuple[list[int], list[str]]:
    """Dictionary-encode texts: (index per value, the distinct texts in first-seen order);
    an empty text gets -1."""
    table: dict[str, int] = {}
    codes = []
    for text in values:
        if not text:
            codes.append(-1)
            continue
        codes.append(table.setdefault(text, len(table)))
    return codes, list(table)


def timeline_table(located: pd.DataFrame, colors: Mapping[str, str], color_by: str,
                   fields: Sequence[tuple[str, str]], radius: int = 4) -> dict:
    """The compact form of the time slider's points that :data:`TIMELINE_JS` expands.

    Distinct dates, colours and popup values are listed once and referred to by index;
    popup texts are escaped here exactly as :func:`popup_html` escapes them.
    """
    records = located.to_dict("records")
    times, time_table = _codes([pd.Timestamp(r["event_date"]).strftime("%Y-%m-%d")
                                for r in records])
    keys = [str(r.get(color_by)) if color_by in r else "unknown" for r in records]
    color_codes, color_table = _codes([colors.get(k, "#999999") for k in keys])
    columns = []
    field_tables = []
    for column, label in fields:
        texts = [escape(labels.value(column, r.get(column)),
                        NOTE_CHARS if column == "notes" else None) for r in records]
        codes, table = _codes(texts)
        columns.append(codes)
        field_tables.append([html.escape(label), table])
    points = []
    for i, record in enumerate(records):
        points.append([times[i], round(float(record["longitude"]), COORD_DECIMALS),
                       round(float(record["latitude"]), COORD_DECIMALS), color_codes[i],
                       *(codes[i] for codes in columns)])
    return {"times": time_table, "colors": color_table, "radius": radius,
            "fields": field_tables, "points": points}


class _CompactTimeline(plugins.TimestampedGeoJson):
    """folium's TimestampedGeoJson fed by :data:`TIMELINE_JS` and a compact table.

    Its template is folium's with two changes: the slider shows dates as YYYY-MM-DD
    without moment.js, and jQuery / jQuery UI are not linked — Leaflet.TimeDimension uses
    neither (100 kB less per report).
    """

    default_js = [(name, url) for name, url in plugins.TimestampedGeoJson.default_js
                  if not name.startswith(("jquery", "moment"))]
    _template = Template("""
        {% macro script(this, kwargs) %}
            L.Control.TimeDimensionCustom = L.Control.TimeDimension.extend({
                _getDisplayDateFormat: function (date) {
                    return new Date(date).toISOString().slice(0, 10);
                }
            });
            {{this._parent.get_name()}}.timeDimension = L.timeDimension(
                {period: {{ this.period|tojson }}});
            var timeDimensionControl = new L.Control.TimeDimensionCustom(
                {{ this.options|tojavascript }});
            {{this._parent.get_name()}}.addControl(this.timeDimensionControl);
            var geoJsonLayer = L.geoJson({{this.data}}, {
                pointToLayer: function (feature, latLng) {
                    return new L.circleMarker(latLng, feature.properties.iconstyle);
                },
                onEachFeature: function (feature, layer) {
                    if (feature.properties.popup) {
                        layer.bindPopup(feature.properties.popup);
                    }
                }
            });
            var {{this.get_name()}} = L.timeDimension.layer.geoJson(geoJsonLayer, {
                updateTimeDimension: true,
                addlastPoint: {{ this.add_last_point|tojson }},
                duration: {{ this.duration }},
            }).addTo({{this._parent.get_name()}});
        {% endmacro %}
        """)

    def __init__(self, table: dict, **options: object) -> None:
        super().__init__({"type": "FeatureCollection", "features": []}, **options)
        text = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
        self.data = TIMELINE_JS.replace("%DATA%", text.replace("</", "<\\/"))
        self.embed = False
        self._table = table

    def _get_self_bounds(self) -> list[list[float]]:
        points = self._table["points"]
        if not points:
            return [[None, None], [None, None]]
        lons = [p[1] for p in points]
        lats = [p[2] for p in points]
        return [[min(lats), min(lons)], [max(lats), max(lons)]]


def timeline_map(events: pd.DataFrame, tiles: str | None = None, period: str = "P1M",
                 duration: str | None = "P3M", color_by: str = "side1",
                 fields: Sequence[tuple[str, str]] = TIMELINE_FIELDS,
                 popup_limit: int = TIMELINE_POPUP_LIMIT,
                 synthetic: bool | None = None,
                 outlines: BoundaryMatch | None = None) -> folium.Map:
    """Events appearing over time with a slider (``TimestampedGeoJson``).

    ``period`` is the slider step (ISO 8601, monthly by default); ``duration`` how long a
    point stays visible after its date (``None``: it stays to the end). Points travel as
    a compact table (:func:`timeline_table`, a few dozen bytes each) that the page expands;
    above ``popup_limit`` points popups are left out (the caption says so). Pass one side's
    events (e.g. resistance only) to keep the map light.
    """
    fmap = base_map(tiles, outlines=outlines)
    located, missing = _located(events)
    caption = [f"{len(located):,} events on the time slider"
               + (f"; {missing:,} without coordinates not shown" if missing else "")]
    if located.empty:
        caption = ["No events with coordinates for this selection"]
    else:
        located = located.sort_values("event_date", kind="stable")
        colors = colors_for(sorted(located[color_by].dropna().astype(str).unique()),
                            SIDE_COLORS) if color_by in located else {}
        if len(located) > popup_limit:
            fields = ()
            caption.append(f"more than {popup_limit:,} points: popups left out")
        _CompactTimeline(
            timeline_table(located, colors, color_by, fields),
            period=period, duration=duration, add_last_point=False, auto_play=False,
            loop=False, time_slider_drag_update=True).add_to(fmap)
        add_legend(fmap, labels.header(color_by),
                   {str(labels.value(color_by, k)): c for k, c in colors.items()})
    add_caption(fmap, caption, _is_synthetic(events, synthetic))
    return fmap


#: Years are ordered, so they take a sequential ramp (light = early, dark = late) in a hue
#: no side uses, never the side colours of the other charts.
NO_ACTIVITY = "#999999"
YEAR_RAMP = ("#b99ad0", "#9a72bb", "#7b4ca6", "#5f2d91", "#45137f", "#2d004b")


def _year_colors(years: pd.Series) -> dict[str, str]:
    keys = [str(int(y)) for y in sorted(years.dropna().unique())]
    if len(keys) <= 1:
        return dict.fromkeys(keys, YEAR_RAMP[-2])
    step = (len(YEAR_RAMP) - 1) / (len(keys) - 1)
    return {k: YEAR_RAMP[round(i * step)] for i, k in enumerate(keys)}


def province_circles(aggregates: pd.DataFrame, value: str = "events",
                     color_by: str = "first_year", tiles: str | None = None,
                     max_radius: float = 30.0, synthetic: bool = False,
                     outlines: BoundaryMatch | None = None) -> folium.Map:
    """Proportional circles at province centroids (area ∝ ``value``), coloured by onset year.

    ``aggregates`` is ``expansion.province_aggregates``: provinces with ``value`` 0 are
    drawn as small hollow grey circles so "no activity" is visible too.
    """
    fmap = base_map(tiles, outlines=outlines)
    top = float(aggregates[value].max()) if len(aggregates) else 0.0
    colors = _year_colors(aggregates[color_by]) if color_by in aggregates else {}
    fields = (("province", "Province"), ("region", "Region"), ("events", "Events"),
              ("fatalities", "Fatalities"), ("first_event", "First activity"))
    features = []
    for record in aggregates.to_dict("records"):
        amount = record.get(value)
        amount = 0.0 if amount is None or pd.isna(amount) else float(amount)
        year = record.get(color_by)
        has = amount > 0 and top > 0
        color = colors.get(str(int(year)), NO_ACTIVITY) if has and not pd.isna(year) \
            else NO_ACTIVITY
        radius = round(max_radius * math.sqrt(amount / top) + 2, 1) if has else 3
        point = [round(float(record["longitude"]), COORD_DECIMALS),
                 round(float(record["latitude"]), COORD_DECIMALS)]
        features.append({
            "type": "Feature", "id": len(features),
            "geometry": {"type": "Point", "coordinates": point},
            "properties": {
                "popup": popup_html(record, fields), "name": escape(record.get("province")),
                "style": {"radius": radius, "color": color, "fill": has, "fillColor": color,
                          "fillOpacity": 0.45, "weight": 1.5}}})
    # One GeoJSON layer (not one marker object per province): lighter, and its popups
    # need no jQuery.
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name=f"provinces ({value})",
        marker=folium.CircleMarker(radius=3, weight=1.5),
        style_function=lambda f: f["properties"]["style"],
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=300),
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(fmap)
    add_legend(fmap, "First activity (year)",
               {**colors, **({"no activity": NO_ACTIVITY} if (aggregates[value] <= 0).any()
                             else {})})
    if top > 0:
        add_size_legend(fmap, labels.header(value), top, max_radius)
    add_caption(fmap, [f"circle area proportional to {labels.header(value).lower()}"],
                synthetic)
    return fmap


def add_size_legend(fmap: folium.Map, title: str, top: float, max_radius: float) -> None:
    """A legend of circle sizes: the largest value and two fractions of it, to scale."""
    steps = [top] + [_nice(top / k) for k in (4, 16) if _nice(top / k) < top] \
        if top >= 16 else [top]
    steps = list(dict.fromkeys(steps))
    rows = []
    for amount in steps:
        radius = max_radius * math.sqrt(amount / top) + 2
        size = 2 * radius
        rows.append("<div style='display:flex;align-items:center;margin:2px 0'>"
                    f"<span style='display:inline-block;width:{2 * max_radius + 4:.0f}px;"
                    "text-align:center'><span style='display:inline-block;"
                    f"width:{size:.0f}px;height:{size:.0f}px;border-radius:50%;"
                    "border:1px solid #555;background:rgba(120,120,120,0.25)'></span></span>"
                    f"<span>&nbsp;{escape(_amount(amount))}</span></div>")
    box = ("<div class='arw-legend arw-size' style='position:absolute;top:150px;right:12px;"
           "z-index:9999;background:rgba(255,255,255,0.9);padding:6px 8px;"
           f"font:12px sans-serif;border:1px solid #999'><b>{escape(title)}</b>"
           + "".join(rows) + "</div>")
    fmap.get_root().html.add_child(folium.Element(box))


def province_choropleth(aggregates: pd.DataFrame, boundaries: BoundaryMatch, value: str = "events",
                        tiles: str | None = None, synthetic: bool = False,
                        label: str | None = None) -> folium.Map:
    """Provinces shaded by ``value`` on a boundaries file.

    ``boundaries`` is a :class:`~helpers.data.reference.boundaries.BoundaryMatch` (from
    ``boundaries.match_boundaries(path)``): its ``features`` is a FeatureCollection whose
    features carry ``properties.iso_code``. Provinces the file lacks and features no
    province matched are listed in the caption.
    """
    import branca.colormap as cm

    collection = boundaries.features
    values = aggregates.set_index("province_code")[value]
    names = aggregates.set_index("province_code")["province"]
    top = float(values.max()) if len(values) and values.notna().any() else 0.0
    ramp = ["#f7fcf5", "#74c476", "#00441b"]
    scale = cm.LinearColormap(ramp, vmin=0, vmax=max(top, 1.0))
    fmap = base_map(tiles)
    shaded, drawn = [], set()
    for feature in collection.get("features", []):
        code = (feature.get("properties") or {}).get("iso_code")
        if code is None or feature.get("geometry") is None:
            continue
        drawn.add(code)
        amount = values.get(code)
        known = amount is not None and not pd.isna(amount)
        shaded.append({"type": "Feature", "geometry": rounded(feature["geometry"]), "properties": {
            "label": (f"<b>{escape(names.get(code, code))}</b>: "
                      f"{escape(_amount(amount) if known else 'no data')}"),
            "fill": scale(float(amount)) if known else "#dddddd"}})
    folium.GeoJson(
        {"type": "FeatureCollection", "features": shaded}, name=f"provinces ({value})",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": OUTLINE_COLOR,
                                  "weight": 1, "fillOpacity": 0.75},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False)).add_to(fmap)
    add_scale_legend(fmap, label or value.replace("_", " "), ramp, 0, max(top, 1.0))
    missing = sorted(set(values.index) - drawn)
    unmatched = list(getattr(boundaries, "unmatched", []) or [])
    caption = []
    if missing:
        caption.append(f"not in the boundaries file: {', '.join(missing)}")
    if unmatched:
        caption.append(f"boundary features not matched to a province: {len(unmatched)}")
        log.warning("choropleth: %d boundary feature(s) not matched", len(unmatched))
    add_caption(fmap, caption, synthetic)
    return fmap


def _nice(value: float) -> float:
    """A round number near ``value`` for a legend key: 57.5 -> 60, 14.4 -> 10, 1234 -> 1000."""
    if value <= 0:
        return value
    magnitude = 10 ** math.floor(math.log10(value))
    return float(round(value / magnitude) * magnitude)


def _amount(value: float) -> str:
    """A legend value as a reader reads it: thousands separated, one decimal below 100
    unless it is whole (60, not 60.0)."""
    whole = abs(value - round(value)) < 1e-9
    return f"{value:,.0f}" if abs(value) >= 100 or whole else f"{value:,.1f}"


# --------------------------------------------------------------------------- report output

#: MIME type of a map's parts in a notebook output, for the report renderer.
MAP_MIME = "application/vnd.arw.leaflet+json"
#: Height of a map embedded in a report (px).
MAP_HEIGHT = 520
_LINKS = re.compile(r'<script src="([^"]+)"></script>|<link rel="stylesheet" href="([^"]+)"/>')
_STYLES = re.compile(r"<style>(.*?)</style>", re.S)
_SCRIPTS = re.compile(r"<script>(.*?)</script>", re.S)
_PARTS = re.compile(r"<head>(?P<head>.*?)</head>\s*<body>(?P<body>.*?)</body>\s*"
                    r"<script>(?P<script>.*)</script>\s*</html>\s*$", re.S)
_MAP_ID = re.compile(r'class="folium-map" id="(map_[0-9a-f]+)"')
#: folium's wrapper around a map in a notebook: an ``<iframe srcdoc=...>`` of the page.
_SRCDOC = re.compile(r'<iframe srcdoc="([^"]*)"', re.S)


def bundle_from_document(document: str, height: int = MAP_HEIGHT) -> dict | None:
    """The parts of a folium map page (``Figure.render()``) a report embeds inline:
    the libraries it links (URLs, in folium's order), its own style, markup and script.

    folium's page-wide rules (``html, body`` sizing, a generic ``#map``) are left out:
    embedded in a report they would restyle the whole page. None if ``document`` is not
    a folium map page.
    """
    parts = _PARTS.search(document)
    found = _MAP_ID.search(document)
    if parts is None or found is None:
        return None
    map_id = found.group(1)
    header = parts.group("head")
    urls = [js or css for js, css in _LINKS.findall(header)]
    styles = [s for s in _STYLES.findall(header) if f"#{map_id}" in s]
    inline = _SCRIPTS.findall(header)
    return {"id": map_id, "assets": urls, "style": "\n".join(styles),
            "html": parts.group("body").strip(),
            "script": "\n".join([*inline, parts.group("script")]), "height": int(height)}


def bundle_from_notebook_html(text: str, height: int = MAP_HEIGHT) -> dict | None:
    """:func:`bundle_from_document` for folium's notebook output (the iframe it shows
    when a map is displayed directly); None for any other HTML."""
    found = _SRCDOC.search(text)
    if found is None:
        return None
    return bundle_from_document(html.unescape(found.group(1)), height)


def map_bundle(fmap: folium.Map, height: int = MAP_HEIGHT) -> dict:
    """A map's parts for a self-contained report (see :func:`bundle_from_document`)."""
    bundle = bundle_from_document(fmap.get_root().render(), height)
    if bundle is None:  # pragma: no cover - folium changed its page template
        raise RuntimeError("folium's page template changed: cannot embed the map offline")
    return bundle


class MapView:
    """A folium map as a notebook output: the usual interactive frame for JupyterLab, and
    its parts (:func:`map_bundle`) for the batch renderer, which embeds them offline."""

    def __init__(self, fmap: folium.Map, height: int = MAP_HEIGHT) -> None:
        self.fmap = fmap
        self.height = height

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.fmap._repr_html_(),
                MAP_MIME: map_bundle(self.fmap, self.height)}
