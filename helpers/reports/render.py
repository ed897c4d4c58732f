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
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from helpers import config
from helpers._io import atomic_write, atomic_write_json
from helpers.reports.workdir import RUNNER_FORMAT

#: Tags of cells the code-free HTML drops entirely (the runner's injected values are
#: listed in the index instead).
DROPPED_TAGS = {"injected-parameters", "parameters"}

#: nbconvert's lab template without its CDN scripts (require.js for widgets, MathJax,
#: mermaid):
#: batch reports have no widgets, and a report must open offline without network errors.
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
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

    Drops the parameter cells and code cells without outputs (they would render as empty
    boxes once inputs are hidden); adds a visible error banner when ``error`` is given.
    """
    import nbformat

    out = copy.deepcopy(nb)
    kept = []
    for cell in out.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & DROPPED_TAGS:
            continue
        if cell.cell_type == "code" and not cell.get("outputs"):
            continue
        kept.append(cell)
    if error is not None:
        banner = nbformat.v4.new_raw_cell(error_banner(error))
        banner.metadata["format"] = "text/html"
        kept.insert(0, banner)
    out.cells = kept
    return out


def notebook_html(nb: Any, title: str | None = None, error: str | None = None) -> str:
    """Render an executed notebook as code-free HTML (nbconvert, ``exclude_input=True``)."""
    prepared = code_free(nb, error)
    resources = {"metadata": {"name": title or "Report"}}
    body, _ = _exporter().from_notebook_node(prepared, resources=resources)
    return body


# --------------------------------------------------------------------------- index


def _display_path(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(config.PROJ_ROOT).as_posix()
    except ValueError:
        return path


def _params_html(params: Mapping[str, Any]) -> str:
    if not params:
        return "<em>defaults</em>"
    rows = "".join(f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(json.dumps(v))}</dd>"
                   for k, v in params.items())
    return f"<dl>{rows}</dl>"


def _inputs_html(record: Mapping[str, Any]) -> str:
    synthetic = record.get("synthetic")
    if synthetic is True:
        badge = '<span class="badge synthetic">synthetic demo data</span>'
    elif synthetic is False:
        badge = '<span class="badge real">real data</span>'
    else:
        badge = '<span class="badge unknown">data origin not recorded</span>'
    items = []
    for item in record.get("inputs") or []:
        path = html.escape(_display_path(str(item.get("path", ""))))
        sha = html.escape(str(item.get("sha256", "")))
        items.append(f'<li><code>{path}</code><br><code class="sha" title="sha256">'
                     f"sha256 {sha}</code></li>")
    listing = f"<ul>{''.join(items)}</ul>" if items else "<p><em>no inputs recorded</em></p>"
    return badge + listing


def _link(label: str, target: str | None, out_dir: Path) -> str:
    if not target or not (out_dir / target).exists():
        return ""
    return f'<a href="{html.escape(quote(target))}">{html.escape(label)}</a>'


def index_html(records: Sequence[Mapping[str, Any]], out_dir: str | Path,
               generated_at: str | None = None) -> str:
    """The index page listing every report's title, parameters, data, status and links."""
    out_dir = Path(out_dir)
    generated_at = generated_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    rows = []
    for rec in records:
        files = rec.get("files") or {}
        status = str(rec.get("status", "unknown"))
        run_status = rec.get("run_status")
        status_text = status + (f" ({run_status})" if run_status and run_status != status
                                else "")
        error = rec.get("error")
        error_html = (f'<pre class="error">{html.escape(str(error))}</pre>' if error else "")
        duration = rec.get("duration_s")
        duration_text = f"{duration:.1f} s" if isinstance(duration, int | float) else ""
        links = " · ".join(x for x in (
            _link("report", files.get("html"), out_dir),
            _link("notebook", files.get("notebook"), out_dir),
            _link("log", files.get("log"), out_dir)) if x)
        title = rec.get("title") or rec.get("name")
        main_link = _link(str(title), files.get("html"), out_dir) or html.escape(str(title))
        rows.append(
            f'<tr class="status-{html.escape(status)}" id="{html.escape(str(rec.get("name")))}">'
            f"<td>{main_link}<br><small><code>{html.escape(str(rec.get('name')))}</code>"
            f"</small></td>"
            f'<td><span class="status">{html.escape(status_text)}</span>{error_html}</td>'
            f"<td>{_params_html(rec.get('parameters') or {})}</td>"
            f"<td>{_inputs_html(rec)}</td>"
            f"<td>{html.escape(duration_text)}</td>"
            f"<td>{html.escape(str(rec.get('finished_at') or ''))}</td>"
            f"<td>{links}</td></tr>")
    failed = sum(1 for r in records if r.get("status") != "ok")
    summary = f"{len(records)} report(s), {failed} failed"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Afghan Resistance Workbook — reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: 0.4em 0.6em; vertical-align: top; text-align: left; }}
th {{ background: #f2f2f2; }}
tr.status-failed {{ background: #fdecea; }}
pre.error {{ white-space: pre-wrap; color: #b00020; max-width: 40em; }}
code.sha {{ font-size: 0.8em; word-break: break-all; }}
dl {{ margin: 0; }} dt {{ font-weight: bold; }} dd {{ margin: 0 0 0.3em 1em; }}
ul {{ margin: 0.3em 0; padding-left: 1.2em; }}
.badge {{ font-size: 0.8em; padding: 0.1em 0.4em; border-radius: 0.3em; }}
.synthetic {{ background: #fff3cd; border: 1px solid #d39e00; }}
.real {{ background: #e6f4ea; border: 1px solid #2e7d32; }}
.unknown {{ background: #eee; border: 1px solid #999; }}
</style></head>
<body>
<h1>Afghan Resistance Workbook — reports</h1>
<p>{html.escape(summary)}; index written {html.escape(generated_at)}.
Reports marked <em>synthetic demo data</em> are built on the labelled synthetic demo set:
their numbers are not findings.</p>
<table>
<thead><tr><th>Report</th><th>Status</th><th>Parameters</th><th>Data sources (sha256)</th>
<th>Duration</th><th>Finished at (UTC)</th><th>Links</th></tr></thead>
<tbody>
{''.join(rows)}
</tbody></table>
<p><a href="manifest.json">manifest.json</a> holds the same facts for machines.</p>
</body></html>
"""


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
