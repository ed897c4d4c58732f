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
import logging
import math
from collections.abc import Mapping, Sequence

import folium
import pandas as pd
from folium import plugins

from helpers.config import AFG_BBOX
from helpers.data.reference.boundaries import BoundaryMatch
from helpers.views.charts import SIDE_COLORS, SYNTHETIC_SUBTITLE, colors_for

log = logging.getLogger(__name__)

MAX_POINTS = 1000
#: Deepest zoom level the maps allow (Leaflet's usual limit for OpenStreetMap tiles).
MAX_ZOOM = 18
NOTE_CHARS = 300
COORD_DECIMALS = 4
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
#: How FastMarkerCluster draws one point: a plain circle marker. folium's default uses
#: Leaflet.awesome-markers (and Font Awesome) from a CDN, which offline readers lack.
CLUSTER_POINT_JS = """function (row) {
    return L.circleMarker(new L.LatLng(row[0], row[1]),
                          {radius: 4, color: "#0072B2", weight: 1, fillOpacity: 0.7});
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
    """Escaped "Label: value" lines for one record (fields missing or empty are skipped)."""
    lines = []
    for column, label in fields:
        text = escape(record.get(column), NOTE_CHARS if column == "notes" else None)
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
                      control_scale=True, max_zoom=MAX_ZOOM, maxZoom=MAX_ZOOM)
    fmap.fit_bounds(BOUNDS)
    if outlines is not None:
        add_outlines(fmap, outlines)
    return fmap


def add_outlines(fmap: folium.Map, outlines: BoundaryMatch) -> None:
    """Province outlines as a grey, unfilled layer with the province name as tooltip."""
    features = [{"type": "Feature", "geometry": f["geometry"],
                 "properties": {"name": escape(f["properties"].get("name"))}}
                for f in outlines.features.get("features", []) if f.get("geometry")]
    if not features:
        return
    folium.GeoJson({"type": "FeatureCollection", "features": features},
                   name="province outlines", control=False,
                   style_function=lambda _f: {"color": "#7a7a7a", "weight": 1,
                                              "fillColor": "#f4f4f4", "fillOpacity": 0.35},
                   tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(fmap)


def add_caption(fmap: folium.Map, lines: Sequence[str], synthetic: bool = False) -> None:
    """A small fixed box on the map with escaped caption lines (and the synthetic banner)."""
    parts = [escape(line) for line in lines if line]
    if synthetic:
        parts.insert(0, f"<b style='color:#D55E00'>{escape(SYNTHETIC_SUBTITLE)}</b>")
    if not parts:
        return
    box = ("<div class='arw-caption' style='position:fixed;bottom:12px;left:12px;z-index:9999;"
           "background:rgba(255,255,255,0.9);padding:6px 8px;font:12px sans-serif;"
           "border:1px solid #999;max-width:45%'>" + "<br>".join(parts) + "</div>")
    fmap.get_root().html.add_child(folium.Element(box))


def add_legend(fmap: folium.Map, title: str, colors: Mapping[str, str]) -> None:
    """A fixed legend box: one coloured dot per category (labels escaped)."""
    if not colors:
        return
    rows = "".join(f"<div><span style='color:{c}'>&#9679;</span> {escape(k)}</div>"
                   for k, c in colors.items())
    box = ("<div class='arw-legend' style='position:fixed;top:12px;right:12px;z-index:9999;"
           "background:rgba(255,255,255,0.9);padding:6px 8px;font:12px sans-serif;"
           f"border:1px solid #999'><b>{escape(title)}</b>{rows}</div>")
    fmap.get_root().html.add_child(folium.Element(box))


def add_scale_legend(fmap: folium.Map, title: str, ramp: Sequence[str], low: float,
                     high: float) -> None:
    """A fixed legend for a colour scale: a gradient bar with its two ends labelled.

    Plain HTML and CSS (no script, no web font), so it renders offline in any report.
    """
    gradient = ", ".join(ramp)
    box = ("<div class='arw-legend arw-scale' style='position:fixed;top:12px;right:12px;"
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
                    fields: Sequence[tuple[str, str]], with_time: bool = False) -> list[dict]:
    features = []
    for record in frame.to_dict("records"):
        key = str(record.get(color_by)) if color_by in record else "unknown"
        props = {"color": colors.get(key, "#999999")}
        if fields:
            props["popup"] = popup_html(record, fields)
        if with_time:
            when = pd.Timestamp(record["event_date"]).strftime("%Y-%m-%d")
            props.update(time=when, icon="circle",
                         iconstyle={"fillColor": props["color"], "color": props["color"],
                                    "radius": 4})
        features.append({"type": "Feature", "properties": props, "geometry": {
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
        layer = folium.GeoJson(
            {"type": "FeatureCollection",
             "features": _point_features(located, colors, color_by, fields)},
            name="events",
            marker=folium.CircleMarker(radius=5, fill=True, weight=1),
            style_function=lambda f: {"color": f["properties"]["color"], "fillOpacity": 0.7,
                                      "fillColor": f["properties"]["color"]},
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False))
        layer.add_to(fmap)
        add_legend(fmap, color_by.replace("_", " "), colors)
    else:
        points = [[round(float(a), COORD_DECIMALS), round(float(b), COORD_DECIMALS)]
                  for a, b in zip(located["latitude"], located["longitude"], strict=True)]
        if large == "heat":
            plugins.HeatMap(points, name="events (heat)", radius=12).add_to(fmap)
        else:
            plugins.FastMarkerCluster(points, name="events (clustered)",
                                      callback=CLUSTER_POINT_JS).add_to(fmap)
        caption.append(f"more than {max_points:,} events: shown as "
                       f"{'a heat map' if large == 'heat' else 'clusters'}, without popups")
    add_caption(fmap, caption, _is_synthetic(events, synthetic))
    return fmap


def timeline_map(events: pd.DataFrame, tiles: str | None = None, period: str = "P1M",
                 duration: str | None = "P3M", color_by: str = "side1",
                 fields: Sequence[tuple[str, str]] = TIMELINE_FIELDS,
                 popup_limit: int = TIMELINE_POPUP_LIMIT,
                 synthetic: bool | None = None,
                 outlines: BoundaryMatch | None = None) -> folium.Map:
    """Events appearing over time with a slider (``TimestampedGeoJson``).

    ``period`` is the slider step (ISO 8601, monthly by default); ``duration`` how long a
    point stays visible after its date (``None``: it stays to the end). Each point costs
    a few hundred bytes; above ``popup_limit`` points popups are left out (the caption
    says so). Pass one side's events (e.g. resistance only) to keep the map light.
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
        plugins.TimestampedGeoJson(
            {"type": "FeatureCollection",
             "features": _point_features(located, colors, color_by, fields, with_time=True)},
            period=period, duration=duration, add_last_point=False, auto_play=False,
            loop=False, date_options="YYYY-MM-DD", time_slider_drag_update=True).add_to(fmap)
        add_legend(fmap, color_by.replace("_", " "), colors)
    add_caption(fmap, caption, _is_synthetic(events, synthetic))
    return fmap


def _year_colors(years: pd.Series) -> dict[str, str]:
    return colors_for([str(int(y)) for y in sorted(years.dropna().unique())])


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
    group = folium.FeatureGroup(name=f"provinces ({value})").add_to(fmap)
    fields = (("province", "Province"), ("region", "Region"), ("events", "Events"),
              ("fatalities", "Fatalities"), ("first_event", "First activity"))
    for record in aggregates.to_dict("records"):
        amount = record.get(value)
        amount = 0.0 if amount is None or pd.isna(amount) else float(amount)
        year = record.get(color_by)
        has = amount > 0 and top > 0
        color = colors.get(str(int(year)), "#999999") if has and not pd.isna(year) else "#999999"
        folium.CircleMarker(
            location=[round(float(record["latitude"]), COORD_DECIMALS),
                      round(float(record["longitude"]), COORD_DECIMALS)],
            radius=max_radius * math.sqrt(amount / top) + 2 if has else 3,
            color=color, fill=has, fill_color=color, fill_opacity=0.6, weight=1,
            popup=folium.Popup(popup_html(record, fields), max_width=300),
            tooltip=escape(record.get("province"))).add_to(group)
    add_legend(fmap, "first activity", colors)
    add_caption(fmap, [f"circle area proportional to {value.replace('_', ' ')}"], synthetic)
    return fmap


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
        shaded.append({"type": "Feature", "geometry": feature["geometry"], "properties": {
            "label": (f"<b>{escape(names.get(code, code))}</b>: "
                      f"{escape(_amount(amount) if known else 'no data')}"),
            "fill": scale(float(amount)) if known else "#dddddd"}})
    folium.GeoJson(
        {"type": "FeatureCollection", "features": shaded}, name=f"provinces ({value})",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#555555",
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


def _amount(value: float) -> str:
    """A choropleth value as a reader reads it: thousands separated, one decimal below 100."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
