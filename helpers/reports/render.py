"""Static outputs: code-free report HTML, the index page and the machine manifest.

Everything here writes atomically (a temporary file in the target folder, then
``os.replace``), so a reader — or an interrupted run — never sees half a file. The index
escapes every value it prints: titles, parameters, paths and error messages may hold
arbitrary text.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import logging
import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from helpers import config
from helpers._io import atomic_write, atomic_write_json
from helpers.reports import assets
from helpers.reports.assets import CSP
from helpers.reports.workdir import RUNNER_FORMAT
from helpers.views import banner, cells, maps
from helpers.views.maps import MAP_MIME

#: Tags of cells the code-free HTML drops entirely: the parameters (the runner's values are
#: listed on the index page) and notes for notebook users ("notebook-only": how to switch
#: on tiles, which parameter to change), which a report's reader cannot act on.
DROPPED_TAGS = {"injected-parameters", "parameters", "notebook-only"}

#: nbconvert's lab template without its CDN scripts (require.js for widgets, MathJax,
#: mermaid): batch reports have no widgets, and a report must open offline without
#: network errors. Images take their alt text from the output's metadata
#: (:func:`helpers.views.cells.show` writes the chart's title and finding there).
#: JupyterLab's own CSS (250 kB of editor styles) gives way to ``templates/report.css``.
REPORT_CSS = (Path(__file__).parent / "templates" / "report.css").read_text(encoding="utf-8")
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block notebook_css %}<style>{% raw %}""" + REPORT_CSS + """{% endraw %}</style>
{% endblock notebook_css %}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
{%- set alt = output | get_metadata('alt', 'image/png') %}
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- if alt %} alt="{{ alt | escape_html }}"{% endif %}
{%- set width = output | get_metadata('width', 'image/png') %}
{%- if width is not none %} width="{{ width | escape_html }}"{% endif %}>
</div>
{%- endblock data_png %}
{% block extra_css %}<style>
.arw-report-error { border: 2px solid #b00020; background: #fdecea; color: #222;
  padding: 0.8em 1em; margin: 1em; font-family: system-ui, sans-serif; }
.arw-report-error pre { white-space: pre-wrap; }
</style>{% endblock extra_css %}
"""

_LOCAL = threading.local()


# --------------------------------------------------------------------------- report HTML


def _exporter():
    exporter = getattr(_LOCAL, "exporter", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True, embed_images=True,
                                raw_template=OFFLINE_TEMPLATE)
        # nbconvert's notes (e.g. missing alt text) go to the report's log, not the terminal.
        exporter.log = logging.getLogger("helpers.reports.execute")
        _LOCAL.exporter = exporter
    return exporter


def error_banner(message: str) -> str:
    """HTML block announcing that the report failed, with the (escaped) message."""
    return ('<div class="arw-report-error"><strong>This report failed.</strong> '
            "The outputs below stop where the error happened."
            f"<pre>{html.escape(message)}</pre></div>")


def code_free(nb: Any, error: str | None = None) -> Any:
    """A copy of an executed notebook ready for code-free HTML.

    Drops the parameter cells, notebook-only notes, text printed to stderr (library
    warnings: the runner writes them to the report's log, see :func:`stderr_notes`) and
    code cells left without outputs (they would render as empty boxes once inputs are
    hidden); adds a visible error banner when ``error`` is given.
    """
    import nbformat

    out = copy.deepcopy(nb)
    kept = []
    for cell in out.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & DROPPED_TAGS:
            continue
        if cell.get("outputs"):
            # warnings printed to stderr are for the log (stderr_notes), not the reader
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        if cell.cell_type == "code" and not cell.get("outputs"):
            continue
        kept.append(cell)
    if error is not None:
        banner = nbformat.v4.new_raw_cell(error_banner(error))
        banner.metadata["format"] = "text/html"
        kept.insert(0, banner)
    out.cells = kept
    return out


def stderr_notes(nb: Any) -> list[str]:
    """Text the notebook printed to stderr (warnings), for the report's log."""
    return ["".join(o.get("text", "")).strip() for o in _outputs(nb)
            if o.get("output_type") == "stream" and o.get("name") == "stderr"]


#: folium's call adding a GeoJSON layer's data, on one line: ``geo_json_<id>_add({...});``
_DATA_CALL = re.compile(r"(_add\()(\{.+\})(\);)$", re.M)
#: Data literals shorter than this are left where they are.
_SHARE_MIN = 2000


#: A map script calling jQuery (``$(...)``, ``$.x``, ``jQuery...``), as folium's Popup does.
_USES_JQUERY = re.compile(r"(?<![\w$.])(?:\$|jQuery)\s*[(.]")


def embed_maps(nb: Any) -> list[str]:
    """Replace each map output by the map itself, inline; return the libraries it links.

    A map shown with :func:`helpers.views.cells.show` carries its parts under
    :data:`~helpers.views.maps.MAP_MIME`; a folium map displayed directly carries them in
    its notebook frame (an ``<iframe srcdoc>`` that loads from CDNs), which is unpacked the
    same way. The map's markup, style and script go where the map was displayed (no
    "Make this Notebook Trusted" hint); the libraries are returned (URLs, in order of first
    use) for :func:`self_contained` to embed once — jQuery only when a map calls it. A
    GeoJSON layer several maps draw (the province outlines) is written once, before the
    first map, and shared.
    """
    found: list[tuple[Any, dict]] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            bundle = data.get(MAP_MIME)
            if not bundle and isinstance(data.get("text/html"), (str, list)):
                text = data["text/html"]
                bundle = maps.bundle_from_notebook_html(
                    "".join(text) if isinstance(text, list) else text)
            if bundle:
                found.append((output, dict(bundle)))
    counts: dict[str, int] = {}
    for _output, bundle in found:
        for literal in {m.group(2) for m in _DATA_CALL.finditer(bundle["script"])}:
            if len(literal) >= _SHARE_MIN:
                counts[literal] = counts.get(literal, 0) + 1
    shared = {literal: f"arw_shared_{i}" for i, literal in
              enumerate(k for k, n in counts.items() if n > 1)}
    urls: list[str] = []
    jquery = any(_USES_JQUERY.search(bundle["script"]) for _output, bundle in found)
    for position, (output, bundle) in enumerate(found):
        urls += [u for u in bundle["assets"] if u not in urls]
        script = _DATA_CALL.sub(
            lambda m: m.group(1) + shared.get(m.group(2), m.group(2)) + m.group(3),
            bundle["script"])
        # Inline, a "</script" inside the map's data (a popup's text) would end the
        # script block; "<\/script" is the same string to JavaScript.
        script = re.sub(r"</(script)", r"<\\/\1", script, flags=re.I)
        prelude = ""
        if position == 0 and shared:
            prelude = "<script>" + "".join(
                f"var {name} = " + re.sub(r"</(script)", r"<\\/\1", literal, flags=re.I)
                + ";\n" for literal, name in shared.items()) + "</script>"
        output["data"] = {"text/html": (
            f'{prelude}<div class="arw-map" role="region" aria-label="Interactive map" '
            f'style="position:relative;width:100%;height:{int(bundle["height"])}px">'
            f'<style>{bundle["style"]}</style>{bundle["html"]}'
            f'<script>{script}</script></div>')}
    if not jquery:  # folium links jQuery with every map; only its Popup objects use it
        urls = [u for u in urls if "jquery" not in u.lower()]
    return urls


def self_contained(page: str, urls: list[str]) -> str:
    """``page`` with a Content-Security-Policy that forbids every remote load, and the map
    libraries ``urls`` need embedded once in its head (see :mod:`helpers.reports.assets`)."""
    csp = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    block = csp + ("\n" + assets.head(urls) if urls else "")
    return page.replace("<head>", "<head>\n" + block, 1)


#: The bar at the top of every report, back to the index page beside it.
NAV = ('<nav class="arw-nav" style="font:14px system-ui,sans-serif;padding:8px 16px;'
       'border-bottom:1px solid #ddd;background:#fafafa">'
       '<a href="index.html">&larr; All reports</a></nav>')


def notebook_html(nb: Any, title: str | None = None, error: str | None = None,
                  nav: bool = True) -> str:
    """Render an executed notebook as one self-contained, code-free HTML page (with a
    link back to the index page unless ``nav`` is False)."""
    prepared = code_free(nb, error)
    urls = embed_maps(prepared)
    resources = {"metadata": {"name": title or "Report"}}
    body, _ = _exporter().from_notebook_node(prepared, resources=resources)
    page = self_contained(body, urls)
    if nav:
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + NAV, page, count=1)
    return page


def _outputs(nb: Any):
    for cell in nb.cells:
        yield from cell.get("outputs", [])


def report_facts(nb: Any) -> dict[str, Any]:
    """What the index page tells about an executed report, read from its outputs.

    ``headlines``: the sentences the notebook marked as headline findings (plain text
    with ``**bold**``, computed in the run); ``scope``: the real and synthetic parts it
    stands on (:func:`helpers.views.banner.report_scope`); ``events``: whether its event
    data are synthetic, and the dates they cover (:func:`helpers.views.banner.data_banner`).
    """
    headlines: list[str] = []
    scope: dict[str, Any] | None = None
    events: dict[str, Any] | None = None
    for output in _outputs(nb):
        meta = output.get("metadata") or {}
        markdown = meta.get("text/markdown") or {}
        if markdown.get(cells.HEADLINE_KEY):
            text = output.get("data", {}).get("text/markdown", "")
            headlines.append(html.unescape("".join(text) if isinstance(text, list) else text))
        page = meta.get("text/html") or {}
        scope = scope or page.get(banner.SCOPE_KEY)
        events = events or page.get(banner.EVENTS_KEY)
    return {"headlines": headlines, "scope": dict(scope) if scope else None,
            "events": dict(events) if events else None}


# --------------------------------------------------------------------------- index


def _display_path(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(config.PROJ_ROOT).as_posix()
    except ValueError:
        return path


def _href(target: str | None, out_dir: Path) -> str | None:
    """A link to ``target`` (relative to the index) when the file exists."""
    if not target or not (out_dir / target).exists():
        return None
    return quote(target)


@lru_cache(maxsize=1)
def _templates():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False)


def index_html(records: Sequence[Mapping[str, Any]], out_dir: str | Path,
               generated_at: str | None = None) -> str:
    """The index page a reader starts from: for each report its title, the question it
    answers, its headline findings (computed in the run), the data it stands on (real or
    synthetic, with the dates its events cover), status, when it was built, and the
    provenance (files and sha256) folded away.

    Rendered from ``templates/index.html.j2`` with autoescaping: titles, parameters, paths,
    findings and error messages may hold arbitrary text.
    """
    out_dir = Path(out_dir)
    generated_at = generated_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    reports = []
    for rec in records:
        files = rec.get("files") or {}
        status = str(rec.get("status", "unknown"))
        run_status = rec.get("run_status")
        duration = rec.get("duration_s")
        links = {label: href for label, key in (("report", "html"), ("notebook", "notebook"),
                                                ("log", "log"))
                 if (href := _href(files.get(key), out_dir))}
        scope = rec.get("scope") or {}
        reports.append({
            "name": str(rec.get("name")),
            "title": str(rec.get("title") or rec.get("name")),
            "question": str(rec["question"]) if rec.get("question") else None,
            "headlines": [_strong(h) for h in rec.get("headlines") or []],
            "real_parts": [str(p) for p in scope.get("real") or []],
            "synthetic_parts": [str(p) for p in scope.get("synthetic") or []],
            "events": rec.get("events") or None,
            "status": status,
            "status_text": status + (f" ({run_status})" if run_status and run_status != status
                                     else ""),
            "error": str(rec["error"]) if rec.get("error") else None,
            "parameters": [(str(k), json.dumps(v)) for k, v in
                           (rec.get("parameters") or {}).items()],
            "synthetic": rec.get("synthetic"),
            "inputs": [{"path": _display_path(str(i.get("path", ""))),
                        "sha256": str(i.get("sha256", ""))} for i in rec.get("inputs") or []],
            "duration": f"{duration:.1f} s" if isinstance(duration, int | float) else "",
            "finished_at": _when(rec.get("finished_at")),
            "links": links,
        })
    failed = sum(1 for r in records if r.get("status") != "ok")
    generated_at = _when(generated_at)
    return _templates().get_template("index.html.j2").render(
        reports=reports, failed=failed, generated_at=generated_at, csp=CSP)


def _when(stamp: object) -> str:
    """An ISO timestamp as a reader reads it: "2026-12-02 00:33 UTC" ("" when unknown)."""
    if not stamp:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _strong(text: str) -> Any:
    """A headline as safe HTML: all text escaped, then ``**bold**`` as ``<strong>``."""
    import markupsafe

    escaped = str(markupsafe.escape(text))
    return markupsafe.Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped))


def manifest(records: Sequence[Mapping[str, Any]], generated_at: str | None = None
             ) -> dict[str, Any]:
    """The machine-readable twin of the index."""
    return {"format": RUNNER_FORMAT,
            "generated_at": generated_at or dt.datetime.now(dt.UTC).isoformat(
                timespec="seconds"),
            "reports": [dict(r) for r in records]}


def write_index(records: Sequence[Mapping[str, Any]], out_dir: str | Path) -> None:
    """Write ``index.html`` and ``manifest.json`` into ``out_dir`` (atomically)."""
    out_dir = Path(out_dir)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    atomic_write_json(out_dir / "manifest.json", manifest(records, stamp))
    atomic_write(out_dir / "index.html", index_html(records, out_dir, stamp))
