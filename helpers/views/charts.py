"""House-style charts for the workbook: seaborn/matplotlib, one look everywhere.

Every function takes an analysis result (already filtered and aggregated by
``helpers.analysis.attacks`` / ``expansion`` / ``external`` / ``humanitarian``) and only draws it:
reshaping is allowed (``pivot`` raises on duplicates, so it cannot aggregate silently),
grouping and summing are not. Every chart gets a title, axis labels with units, a source
line under it (:func:`source_note`) and, with ``synthetic=True``, a visible "SYNTHETIC DEMO
DATA" watermark and subtitle. Functions return the matplotlib ``Figure``; an empty input
gives a figure that says "No data for this selection" instead of raising.

Colours are fixed per side, target, actor type and relation, so a category keeps its
colour across charts and notebooks (Okabe–Ito colour-blind-safe palette).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from helpers.views import labels

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#999999", "#000000")
SIDE_COLORS = {"resistance": "#009E73", "taliban": "#0072B2", "republic": "#56B4E9",
               "islamic_state": "#D55E00", "al_qaeda": "#CC79A7", "civilians": "#E69F00",
               "other": "#999999", "unknown": "#BBBBBB"}
#: Paul Tol's colour-blind-safe "muted" and "light" schemes: targets take muted, and any
#: other category (operation types, measures, milestone kinds) takes light, so no colour
#: that means a side elsewhere means something else in another chart.
TOL_MUTED = ("#332288", "#117733", "#DDCC77", "#CC6677", "#88CCEE", "#882255", "#44AA99",
             "#999933", "#AA4499")
TOL_LIGHT = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33",
             "#AAAA00", "#DDDDDD")
CATEGORY_PALETTE = TOL_LIGHT
TARGET_COLORS = {"official": "#332288", "military": "#117733", "infrastructure": "#DDCC77",
                 "civilian": "#CC6677", "unknown": "#BBBBBB"}
ACTOR_TYPE_COLORS = {"armed group": "#009E73", "state": "#0072B2", "diaspora": "#E69F00",
                     "firm": "#CC79A7", "legislature": "#56B4E9", "organisation": "#F0E442",
                     "population": "#D55E00", "unknown": "#BBBBBB"}
#: Relations for someone (support, engagement): no reds, so they never read as hostile.
RELATION_COLORS = {"military": "#332288", "logistical": "#E69F00", "political": "#0072B2",
                   "financial": "#009E73", "diplomatic": "#56B4E9", "lobbying": "#DDCC77",
                   "humanitarian aid": "#44AA99", "recognition": "#999933"}
#: Relations against someone (hostility, support ruled out, recognition withheld): reds.
AGAINST_COLORS = {"hostility": "#B2182B", "military": "#D6604D", "recognition": "#67001F"}
#: Arrow heads: a relation for someone ends in an arrow, one against someone in a bar.
ARROWS = {("positive", False): "-|>", ("positive", True): "<|-|>",
          ("negative", False): "-[, widthB=0.9, lengthB=0.35",
          ("negative", True): "]-[, widthA=0.9, lengthA=0.35, widthB=0.9, lengthB=0.35"}
CONFIDENCE_STYLES = {"reported": "solid", "alleged": "dashed", "assessed": "dotted"}
#: Actors drawn side by side: each keeps its side's hue, told apart within a side.
ACTOR_COLORS = {"National Resistance Front": SIDE_COLORS["resistance"],
                "Afghanistan Freedom Front": "#7FC97F",
                "Islamic State Khorasan Province": SIDE_COLORS["islamic_state"],
                "Taliban": SIDE_COLORS["taliban"]}

#: The fixed colours a grouping column uses (others take the Okabe-Ito palette in order).
GROUP_COLORS = {"side1": SIDE_COLORS, "side2": SIDE_COLORS, "target": TARGET_COLORS}

SYNTHETIC_LABEL = "SYNTHETIC DEMO DATA"
SYNTHETIC_SUBTITLE = "Synthetic demo data — patterns are illustrative, not findings"
NO_DATA = "No data for this selection"
#: Readable names for column names used as legend titles.
FIGSIZE = (10, 5)


def set_style() -> None:
    """Apply the house style (seaborn whitegrid, colour-blind palette, readable sizes)."""
    sns.set_theme(style="whitegrid", context="notebook", palette=list(OKABE_ITO))
    plt.rcParams.update({
        "figure.figsize": FIGSIZE, "figure.dpi": 100, "savefig.dpi": 150,
        "axes.titlesize": 13, "axes.titleweight": "bold", "axes.labelsize": 11,
        "legend.fontsize": 9, "legend.frameon": False, "axes.spines.top": False,
        "axes.spines.right": False})


def colors_for(values, mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """A colour per category: the fixed mapping first, then the palette for the rest.

    Ordered as a legend should be: categories of the fixed mapping in its order (so
    "Armed resistance" comes first in every legend), then the others as given.
    """
    mapping = mapping or {}
    given = list(dict.fromkeys(str(v) for v in values))
    # categories without a fixed colour take the category palette from its start, skipping
    # the colours of fixed categories drawn in the same chart
    taken = {mapping[k] for k in given if k in mapping}
    spare = [c for c in CATEGORY_PALETTE if c not in taken] or list(CATEGORY_PALETTE)
    rank = {key: i for i, key in enumerate(mapping)}
    given.sort(key=lambda k: (0, rank[k]) if k in rank else (1, 0))
    out, i = {}, 0
    for value in given:
        key = str(value)
        if key in mapping:
            out[key] = mapping[key]
        else:
            out[key] = spare[i % len(spare)]
            i += 1
    return out


#: Resolution of the chart images reports embed (dots per inch of a 10 x 5 in figure).
PNG_DPI = 120


def png_bytes(fig: Figure, dpi: int = PNG_DPI) -> bytes:
    """The chart as a compact PNG: drawn at ``dpi`` on white, then reduced to a 256-colour
    palette (charts use a handful of colours; about a third of the bytes, no visible loss).
    """
    import io

    from PIL import Image
    from PIL.PngImagePlugin import PngImageFile

    buffer = io.BytesIO()
    # The first PNG is only a hand-over to PIL: stored uncompressed (compressing it took
    # a third of the time); only the palette image is compressed, fully (9 % smaller
    # than zlib's default level, for ~0.03 s a chart).
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white",
                pil_kwargs={"compress_level": 0})
    buffer.seek(0)
    image = PngImageFile(buffer).convert("RGB")  # decoded in memory: no file is read
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                             dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --------------------------------------------------------------------------- annotations
def source_note(fig: Figure, text: str) -> None:
    """Write "Source: ..." under the chart (bottom left, small type)."""
    fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, 0.17))
    fig.text(0.01, 0.01, f"Source: {text}", ha="left", va="bottom", fontsize=8,
             color="#555555", wrap=True)


def mark_synthetic(fig: Figure) -> None:
    """Watermark a chart built on the synthetic demo data, plus a subtitle saying so."""
    fig.text(0.5, 0.5, SYNTHETIC_LABEL, ha="center", va="center", fontsize=40,
             color="#D55E00", alpha=0.18, rotation=25, weight="bold", zorder=0)
    fig.subplots_adjust(top=min(fig.subplotpars.top, 0.85))
    fig.text(0.5, 0.985, SYNTHETIC_SUBTITLE, ha="center", va="top", fontsize=9,
             color="#D55E00", weight="bold")


def _finish(fig: Figure, ax, title: str, xlabel: str, ylabel: str, source: str | None,
            synthetic: bool, subtitle: str | None = None) -> Figure:
    fig.set_label(title)  # the figure's alt text starts with it (helpers.views.cells.show)
    ax.set_title(title, loc="left", pad=20 if subtitle else 6)
    if subtitle:
        ax.text(0, 1.015, subtitle, transform=ax.transAxes, fontsize=9, va="bottom",
                ha="left", color="#333333")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if source:
        source_note(fig, source)
    if synthetic:
        mark_synthetic(fig)
    return fig


def _empty(title: str, xlabel: str, ylabel: str, source: str | None,
           synthetic: bool) -> Figure:
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.text(0.5, 0.5, NO_DATA, ha="center", va="center", transform=ax.transAxes,
            fontsize=14, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


def human_number(value: float, _pos: object = None) -> str:
    """Axis label for large counts and money: 1.2k, 22.9M, 4.4bn (no offset notation)."""
    size = abs(value)
    for factor, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= factor:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.3g}"


def _date_axis(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


# --------------------------------------------------------------------------- time series
def stacked_bars(frame: pd.DataFrame, x: str, group: str, value: str, *, title: str,
                 ylabel: str, xlabel: str = "Month", source: str | None = None,
                 synthetic: bool = False, line: pd.DataFrame | None = None,
                 line_y: str = "rolling_mean", line_label: str = "3-month rolling mean (all)",
                 colors: Mapping[str, str] | None = None, width_days: float = 25) -> Figure:
    """Stacked bars of ``value`` per ``x`` (dates) and ``group``, optional trend line.

    ``frame`` is tidy (e.g. ``attacks.monthly_operations``); ``line`` is a frame with
    ``x`` and ``line_y`` columns (e.g. ``attacks.monthly_total``) drawn over the bars.
    """
    if frame.empty:
        return _empty(title, xlabel, ylabel, source, synthetic)
    wide = frame.pivot(index=x, columns=group, values=value).fillna(0).sort_index()
    palette = colors_for(wide.columns, colors or GROUP_COLORS.get(group))
    wide = wide[sorted(wide.columns, key=lambda c: list(palette).index(str(c)))]
    fig, ax = plt.subplots(figsize=FIGSIZE)
    bottom = np.zeros(len(wide))
    for col in wide.columns:
        ax.bar(wide.index, wide[col].to_numpy(), width=width_days, bottom=bottom,
               label=str(labels.value(group, col)), color=palette[str(col)], align="center")
        bottom += wide[col].to_numpy(dtype="float64")
    if line is not None and not line.empty:
        ax.plot(line[x], line[line_y], color="#000000", linewidth=2, label=line_label)
    _date_axis(ax)
    ax.legend(title=labels.header(group), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


def lines(frame: pd.DataFrame, x: str, y: str, *, title: str, xlabel: str, ylabel: str,
          hue: str | None = None, source: str | None = None, synthetic: bool = False,
          colors: Mapping[str, str] | None = None, percent: bool = False,
          markers: bool = True, reference: tuple[float, str] | None = None) -> Figure:
    """Line chart of ``y`` over ``x`` (one line per ``hue`` value when given).

    ``reference`` = (value, label) draws a dashed horizontal line, e.g. a claimed figure.
    """
    if frame.empty or frame[y].notna().sum() == 0:
        return _empty(title, xlabel, ylabel, source, synthetic)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    palette = colors_for(frame[hue].dropna().unique(), colors or SIDE_COLORS) if hue else None
    if hue:
        palette = {str(labels.value(hue, k)): c for k, c in palette.items()}
        data = frame.assign(**{hue: frame[hue].map(lambda v: str(labels.value(hue, v)))})
    else:
        data = frame
    sns.lineplot(data=data, x=x, y=y, hue=hue, palette=palette, ax=ax,
                 hue_order=list(palette) if hue else None,
                 marker="o" if markers else None, estimator=None, errorbar=None)
    if pd.api.types.is_datetime64_any_dtype(frame[x]):
        _date_axis(ax)
    values = pd.to_numeric(frame[y], errors="coerce")
    if percent:
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    elif values.abs().max() >= 1e4:
        ax.yaxis.set_major_formatter(plt.FuncFormatter(human_number))
    elif (values.dropna() % 1 == 0).all():
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # no "17.5 provinces"
    if values.min() >= 0:
        ax.set_ylim(bottom=0)  # counts and shares start from zero
    if reference is not None:
        ax.axhline(reference[0], color="#D55E00", linestyle="--", linewidth=1.5,
                   label=reference[1])
    if hue or reference is not None:
        ax.legend(title=labels.header(hue) if hue else None)
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


def share_area(frame: pd.DataFrame, x: str, group: str, share: str = "share", *, title: str,
               xlabel: str = "Quarter", ylabel: str = "Share of events (%)",
               source: str | None = None, synthetic: bool = False,
               colors: Mapping[str, str] | None = None) -> Figure:
    """Stacked area of shares per period (e.g. ``attacks.target_shares``)."""
    if frame.empty or frame[share].notna().sum() == 0:
        return _empty(title, xlabel, ylabel, source, synthetic)
    wide = frame.pivot(index=x, columns=group, values=share).sort_index()
    palette = colors_for(wide.columns, colors or TARGET_COLORS)
    wide = wide[sorted(wide.columns, key=lambda c: list(palette).index(str(c)))]
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.stackplot(wide.index, *(wide[c].fillna(0).to_numpy() * 100 for c in wide.columns),
                 labels=[str(labels.value(group, c)) for c in wide.columns],
                 colors=[palette[str(c)] for c in wide.columns], alpha=0.85)
    ax.set_ylim(0, 100)
    _date_axis(ax)
    ax.legend(title=labels.header(group), loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


def band(frame: pd.DataFrame, x: str, center: str, low: str, high: str, *, title: str,
         xlabel: str, ylabel: str, center_label: str = "median",
         band_label: str = "inter-quartile range", source: str | None = None,
         synthetic: bool = False) -> Figure:
    """A line with a shaded band (e.g. median and IQR of distance from Panjshir)."""
    if frame.empty or frame[center].notna().sum() == 0:
        return _empty(title, xlabel, ylabel, source, synthetic)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.fill_between(frame[x], frame[low], frame[high], color="#009E73", alpha=0.25,
                    label=band_label)
    ax.plot(frame[x], frame[center], color="#009E73", marker="o", label=center_label)
    _date_axis(ax)
    ax.set_ylim(bottom=0)  # distances from zero
    ax.legend(loc="upper left")
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


def trend(series: pd.DataFrame, *, title: str, summary: str = "", x: str = "month",
          observed: str = "events", fitted: str = "fitted", xlabel: str = "Month",
          ylabel: str = "Operations per month", source: str | None = None,
          synthetic: bool = False) -> Figure:
    """Observed monthly counts (bars) with a model's fitted curve (e.g. escalation result)."""
    if series.empty:
        return _empty(title, xlabel, ylabel, source, synthetic)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.bar(series[x], series[observed], width=25, color="#009E73", alpha=0.6, label="observed")
    if fitted in series and series[fitted].notna().any():
        ax.plot(series[x], series[fitted], color="#000000", linewidth=2, label="model fit")
    _date_axis(ax)
    ax.legend(loc="upper left")
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic, subtitle=summary or None)


def add_incidents(ax, incidents: pd.DataFrame, date: str = "event_date",
                  label: str = "description", max_chars: int = 110) -> None:
    """Mark dated incidents on a time axis: a dashed line with a number above the plot,
    and a numbered key under the chart ("1  2024-02-26  NRF fighters ...").

    Labels never sit over the bars nor get cut: the plot carries only numbers, the key
    carries the words (shortened to ``max_chars``).
    """
    if incidents is None or incidents.empty:
        return
    fig = ax.figure
    rows = incidents.sort_values(date, kind="stable")
    keys = []
    for number, (when, text) in enumerate(zip(pd.to_datetime(rows[date]),
                                              rows[label].astype(str), strict=True), start=1):
        ax.axvline(when, color="#555555", linestyle="--", linewidth=1, zorder=1)
        ax.annotate(str(number), (when, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8, fontweight="bold", color="#333333", annotation_clip=False,
                    bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white",
                          "edgecolor": "#555555"})
        short = text if len(text) <= max_chars else text[: max_chars - 1] + "…"
        keys.append(f"{number}  {when:%Y-%m-%d}  {short}")
    bottom = fig.subplotpars.bottom
    fig.subplots_adjust(bottom=bottom + 0.045 * len(keys))
    for i, line in enumerate(keys):
        fig.text(0.01, 0.01 + 0.045 * (len(keys) - i) + 0.02, line, fontsize=8,
                 color="#333333", ha="left", va="bottom")
    ax.set_title(ax.get_title(loc="left"), loc="left", pad=18)


def ranking(frame: pd.DataFrame, label: str, value: str, *, title: str, xlabel: str,
            ylabel: str = "", source: str | None = None, synthetic: bool = False,
            color: str = "#009E73") -> Figure:
    """Horizontal bars in the frame's order (e.g. ``attacks.top_places``), largest on top."""
    if frame.empty:
        return _empty(title, xlabel, ylabel, source, synthetic)
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], max(3, 0.4 * len(frame) + 1.5)))
    ax.barh(frame[label].astype(str)[::-1], frame[value].to_numpy()[::-1], color=color)
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


def timeline(frame: pd.DataFrame, date: str = "date", label: str = "description",
             kind: str | None = "kind", *, title: str, source: str | None = None,
             synthetic: bool = False, max_chars: int = 60) -> Figure:
    """Dated milestones on one axis, labels staggered so they do not overlap."""
    xlabel, ylabel = "Date", ""
    if frame.empty:
        return _empty(title, xlabel, ylabel, source, synthetic)
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], max(4, 0.35 * len(frame) + 2)))
    kinds = frame[kind].astype(str) if kind and kind in frame else pd.Series("event",
                                                                              index=frame.index)
    palette = colors_for(sorted(kinds.unique()))
    ys = np.arange(len(frame))[::-1]
    dates = pd.to_datetime(frame[date])
    middle = dates.min() + (dates.max() - dates.min()) / 2
    for y, when, text, k in zip(ys, dates, frame[label].astype(str), kinds, strict=True):
        ax.scatter(when, y, color=palette[k], s=40, zorder=3)
        short = text if len(text) <= max_chars else text[: max_chars - 1] + "…"
        # labels of late milestones run leftwards, so none is cut at the right edge
        if when > middle:
            ax.text(when, y, short + "  ", va="center", ha="right", fontsize=8)
        else:
            ax.text(when, y, "  " + short, va="center", ha="left", fontsize=8)
    ax.set_yticks([])
    _date_axis(ax)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=k)
               for k, c in palette.items()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


def labelled_scatter(frame: pd.DataFrame, x: str, y: str, label: str, *, title: str,
                     xlabel: str, ylabel: str, source: str | None = None,
                     synthetic: bool = False) -> Figure:
    """One point per row, labelled (e.g. people in need vs conflict events by province)."""
    if frame.empty:
        return _empty(title, xlabel, ylabel, source, synthetic)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.scatter(frame[x], frame[y], color="#0072B2", s=40)
    for xv, yv, text in zip(frame[x], frame[y], frame[label].astype(str), strict=True):
        ax.annotate(text, (xv, yv), textcoords="offset points", xytext=(4, 4), fontsize=8)
    return _finish(fig, ax, title, xlabel, ylabel, source, synthetic)


# --------------------------------------------------------------------------- network
def network(graph, *, title: str, focus: str | None = None, seed: int = 7,
            source: str | None = None, synthetic: bool = False) -> Figure:
    """Draw a relations graph (``external.relations_graph``) in the house style.

    What the data say, never more: a relation *for* someone (support, engagement) is drawn
    in its type's colour and ends in an arrow; a relation *against* someone (hostility,
    support ruled out, recognition withheld: ``polarity == "negative"``) is drawn in red
    and ends in a bar, so "rules out military support" never looks like military support.
    Line style gives the confidence (solid reported, dashed alleged, dotted assessed).
    Nodes are coloured by actor type; ``focus`` enlarges one actor. Four separate legends:
    actor types, relations for, relations against, confidence. The spring layout is
    seeded, so the picture is the same on every run.
    """
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return _empty(title, "", "", source, synthetic)
    fig, ax = plt.subplots(figsize=(12, 8.5))
    pos = nx.spring_layout(nx.Graph(graph), seed=seed, k=1.6 / np.sqrt(graph.number_of_nodes()))
    types = {n: d.get("type") or "unknown" for n, d in graph.nodes(data=True)}
    node_colors = colors_for(sorted(set(types.values())), ACTOR_TYPE_COLORS)
    sizes = [900 if n == focus else 450 for n in graph.nodes]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=[node_colors[types[n]] for n in
                                                          graph.nodes],
                           node_size=sizes, edgecolors="#333333")
    label_pos = {n: (x, y - 0.07) for n, (x, y) in pos.items()}
    names = {n: "\n".join(textwrap.wrap(str(n), 24)) for n in graph.nodes}
    nx.draw_networkx_labels(graph, label_pos, labels=names, ax=ax, font_size=8,
                            verticalalignment="top",
                            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8,
                                  "pad": 1})
    edges = [(u, v, d, "negative" if d.get("polarity") == "negative" else "positive",
              d.get("relation") or "unknown") for u, v, d in graph.edges(data=True)]
    for_colors = colors_for(sorted({r for *_, p, r in edges if p == "positive"}),
                            RELATION_COLORS)
    against_colors = colors_for(sorted({r for *_, p, r in edges if p == "negative"}),
                                AGAINST_COLORS)
    seen: dict[tuple, int] = {}
    for u, v, d, polarity, relation in edges:
        pair = tuple(sorted((str(u), str(v))))
        rad = 0.12 * seen.get(pair, 0)
        seen[pair] = seen.get(pair, 0) + 1
        colors = against_colors if polarity == "negative" else for_colors
        nx.draw_networkx_edges(
            graph, pos, edgelist=[(u, v)], ax=ax, node_size=450, edge_color=colors[relation],
            style=CONFIDENCE_STYLES.get(d.get("confidence"), "solid"), width=1.8, arrows=True,
            arrowstyle=ARROWS[(polarity, d.get("direction") == "mutual")], arrowsize=14,
            connectionstyle=f"arc3,rad={rad}")
    legends = [
        ("Actor type", [Line2D([], [], marker="o", linestyle="", color=c,
                               markeredgecolor="#333333", label=labels.value("actor_type", k))
                        for k, c in node_colors.items()]),
        ("For (arrow)", [Line2D([], [], color=c, linewidth=2,
                                label=labels.relation(k, "positive"))
                         for k, c in for_colors.items()]),
        ("Against (bar)", [Line2D([], [], color=c, linewidth=2,
                                  label=labels.relation(k, "negative"))
                           for k, c in against_colors.items()]),
        ("Confidence", [Line2D([], [], color="#333333", linestyle=s, label=k)
                        for k, s in CONFIDENCE_STYLES.items()]),
    ]
    # Figure legends (not axes artists, which the axes would clip), stacked top to bottom
    # in the right-hand margin.
    fig.subplots_adjust(left=0.02, right=0.72)
    top = 0.9
    for heading, handles in legends:
        if not handles:
            continue
        fig.legend(handles=handles, title=heading, loc="upper left",
                   bbox_to_anchor=(0.74, top), fontsize=8, title_fontsize=9,
                   alignment="left", frameon=False)
        top -= 0.027 * (len(handles) + 2.2)
    ax.margins(0.18)
    ax.axis("off")
    return _finish(fig, ax, title, "", "", source, synthetic)


# --------------------------------------------------------------------------- annual data
def _year_axis(ax, years: list[int]) -> None:
    """Whole years as ticks (annual data never get fractional-year ticks)."""
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years])
    ax.set_xlim(min(years) - 0.5, max(years) + 0.5)


def yearly_ranges(frame: pd.DataFrame, year: str, value: str, low: str, high: str, hue: str,
                  *, title: str, ylabel: str, source: str | None = None,
                  subtitle: str | None = None, colors: Mapping[str, str] | None = None,
                  years: list[int] | None = None, synthetic: bool = False) -> Figure:
    """Annual values with their low-high range, one series per ``hue``.

    A year a series has no row for is a gap, not a line drawn through it; the y axis
    starts at zero; ticks are whole years (``years``, or those in the data).
    """
    if frame.empty:
        return _empty(title, "Year", ylabel, source, synthetic)
    years = years or sorted(int(y) for y in frame[year].unique())
    palette = colors_for(frame[hue].unique(), colors or ACTOR_COLORS)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    groups = list(frame.groupby(hue, sort=False))
    width = 0.07 * (len(groups) - 1)
    for k, (name, rows) in enumerate(groups):
        rows = rows.set_index(rows[year].astype(int)).reindex(years)
        offset = (k * 0.07 - width / 2) if len(groups) > 1 else 0.0
        x = np.array(years, dtype=float) + offset
        color = palette[str(name)]
        y = rows[value].astype("float64").to_numpy()
        lo = y - rows[low].astype("float64").to_numpy()
        hi = rows[high].astype("float64").to_numpy() - y
        ax.errorbar(x, y, yerr=[lo, hi], color=color, marker="o", linestyle="-",
                    capsize=3, label=str(labels.value(hue, name)), linewidth=1.8)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(human_number))
    _year_axis(ax, years)
    ax.legend(title=labels.header(hue), loc="upper right")
    return _finish(fig, ax, title, "Year", ylabel, source, synthetic, subtitle)


def yearly_lines(frame: pd.DataFrame, year: str, value: str, hue: str, *, title: str,
                 ylabel: str, source: str | None = None, subtitle: str | None = None,
                 colors: Mapping[str, str] | None = None, years: list[int] | None = None,
                 synthetic: bool = False) -> Figure:
    """Annual values as lines, one per ``hue``: whole-year ticks, y axis from zero, and a
    year a series has no figure for left as a gap (never a line drawn across it)."""
    if frame.empty:
        return _empty(title, "Year", ylabel, source, synthetic)
    data = frame.assign(_year=pd.to_numeric(frame[year]).astype(int))
    years = years or list(range(int(data["_year"].min()), int(data["_year"].max()) + 1))
    palette = colors_for(data[hue].dropna().unique(), colors or {})
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for name, color in palette.items():
        rows = data[data[hue].astype(str) == name].groupby("_year")[value].last()
        y = rows.reindex(years).astype("float64").to_numpy()
        ax.plot(years, y, color=color, marker="o", linewidth=1.8,
                label=str(labels.value(hue, name)))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(human_number))
    _year_axis(ax, years)
    ax.legend(title=labels.header(hue), loc="lower left")
    return _finish(fig, ax, title, "Year", ylabel, source, synthetic, subtitle)


def yearly_bars(frame: pd.DataFrame, year: str, values: Mapping[str, str], *, title: str,
                ylabel: str, source: str | None = None, subtitle: str | None = None,
                colors: Mapping[str, str] | None = None, labels: str | None = None,
                synthetic: bool = False) -> Figure:
    """Side-by-side bars per year for each column of ``values`` ({column: legend label}).

    ``labels`` names a text column printed above each year's group (e.g. "52%"). The y
    axis starts at zero with readable large numbers (1.2k, 3.1bn).
    """
    if frame.empty:
        return _empty(title, "Year", ylabel, source, synthetic)
    years = [int(y) for y in frame[year]]
    fig, ax = plt.subplots(figsize=FIGSIZE)
    n = len(values)
    width = 0.8 / n
    palette = colors_for(list(values.values()), colors or {})
    for k, (column, label) in enumerate(values.items()):
        x = np.array(years, dtype=float) + (k - (n - 1) / 2) * width
        ax.bar(x, frame[column].astype("float64"), width=width, label=label,
               color=palette[label])
    if labels is not None:
        top = frame[list(values)].astype("float64").max(axis=1)
        for x, height, text in zip(years, top, frame[labels], strict=True):
            if pd.notna(text) and pd.notna(height):
                ax.annotate(str(text), (x, height), xytext=(0, 3), textcoords="offset points",
                            ha="center", va="bottom", fontsize=8, color="#333333")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(human_number))
    _year_axis(ax, years)
    ax.legend(loc="upper left")
    return _finish(fig, ax, title, "Year", ylabel, source, synthetic, subtitle)
