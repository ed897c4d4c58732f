"""Self-contained reports: map libraries from pinned npm copies, never a CDN."""

from __future__ import annotations

import json
import re

import folium
import nbformat
import pytest

from helpers import config
from helpers.reports import assets, render
from helpers.views import maps

LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
REMOTE_LOAD = re.compile(r"<(?:script|img|iframe)[^>]+src=[\"']?(?:https?:)?//|"
                         r"<link[^>]+href=[\"']?(?:https?:)?//", re.I)


def test_every_library_is_pinned_to_an_exact_version_with_a_lock():
    manifest = json.loads((config.PROJ_ROOT / "assets" / "package.json").read_text("utf-8"))
    lock = json.loads((config.PROJ_ROOT / "assets" / "package-lock.json").read_text("utf-8"))
    for _fragment, asset in assets.ASSETS:
        pinned = manifest["dependencies"][asset.package]
        assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), (asset.package, pinned)
        locked = lock["packages"][f"node_modules/{asset.package}"]
        assert locked["version"] == pinned
        assert locked["integrity"].startswith("sha512-")
        assert asset.licence


def test_folium_links_resolve_to_installed_files_or_are_dropped():
    fmap = maps.base_map()
    urls = maps.map_bundle(fmap)["assets"]
    assert urls, "folium links no library any more?"
    kept = [assets.resolve(u) for u in urls]
    assert any(a is not None and a.package == "leaflet" for a in kept)
    assert assets.resolve("https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/b.css") is None


def test_an_unknown_library_stops_the_render_naming_it():
    with pytest.raises(assets.AssetError, match="unpkg.com/leaflet-draw"):
        assets.resolve("https://unpkg.com/leaflet-draw/dist/leaflet.draw.js")


def test_a_missing_install_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(assets, "NODE_MODULES", tmp_path)
    with pytest.raises(assets.AssetError, match="make setup"):
        assets.resolve(LEAFLET_CDN)


def test_stylesheets_inline_their_images_and_drop_remote_fonts():
    css = [a for _f, a in assets.ASSETS if a.kind == "css"]
    for asset in css:
        body = assets.text(asset)
        for target in re.findall(r"url\(([^)]*)\)", body):
            assert target.strip("'\"").startswith("data:"), (asset.package, target[:60])
        assert not re.search(r"@font-face[^}]*//", body)
    timecontrol = next(a for a in css if a.package == "leaflet-timedimension")
    assert "\\25B6" in assets.text(timecontrol)  # play button drawn without a web font


def test_leaflet_default_marker_uses_embedded_images():
    leaflet = assets.resolve(LEAFLET_CDN)
    assert "data:image/png;base64," in assets.text(leaflet)


def test_head_embeds_each_library_once_with_version_and_licence():
    urls = [LEAFLET_CDN, LEAFLET_CDN.replace("cdn.jsdelivr.net/npm", "unpkg.com"),
            "https://code.jquery.com/jquery-3.7.1.min.js",
            "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js"]
    block = assets.head(urls)
    assert block.count("/* leaflet 1.9.3 (BSD-2-Clause)") == 1
    assert block.count("/* jquery 3.7.1 (MIT)") == 1
    assert "</script" not in block.replace("</script>\n", "").replace("</script>", "")
    assert assets.licences(urls) == [("jquery", "3.7.1", "MIT"),
                                     ("leaflet", "1.9.3", "BSD-2-Clause")]


def _notebook_with(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()")
    cell.outputs = [nbformat.v4.new_output("display_data", data=d) for d in outputs]
    nb.cells = [cell]
    return nb


@pytest.mark.parametrize("how", ["mapview", "raw folium"])
def test_maps_are_embedded_inline_and_the_page_loads_nothing_remote(how):
    fmap = maps.base_map()
    folium.CircleMarker([34.5, 69.2], radius=5,
                        popup="<script>alert('x')</script>").add_to(fmap)
    data = (maps.MapView(fmap)._repr_mimebundle_() if how == "mapview"
            else {"text/html": fmap._repr_html_()})
    nb = _notebook_with(data, {"text/plain": "a table"})
    urls = render.embed_maps(nb)
    out = nb.cells[0].outputs[0]["data"]
    assert list(out) == ["text/html"]
    inline = out["text/html"]
    assert 'class="arw-map"' in inline and "<iframe" not in inline
    assert "Make this Notebook Trusted" not in inline
    assert f"L.map(\n                \"{fmap.get_name()}\"" in inline or fmap.get_name() in inline
    assert nb.cells[0].outputs[1]["data"] == {"text/plain": "a table"}
    page = render.self_contained(f"<html><head></head><body>{inline}</body></html>", urls)
    assert f'content="{assets.CSP}"' in page
    assert "default-src 'none'" in assets.CSP
    assert not REMOTE_LOAD.search(page), REMOTE_LOAD.search(page)
    assert "alert('x')</script>" not in page  # cannot close the map script early
    assert "alert('x')<\\/script>" in page


def test_a_page_without_maps_gets_the_policy_and_no_libraries():
    page = render.self_contained("<html><head></head><body>x</body></html>", [])
    assert "Content-Security-Policy" in page and "<script" not in page


def test_stderr_warnings_go_to_the_log_not_the_report():
    nb = _notebook_with({"text/plain": "a table"})
    nb.cells[0].outputs.append(nbformat.v4.new_output(
        "stream", name="stderr", text="UserWarning: 3 feature(s) disagree\n"))
    nb.cells[0].outputs.append(nbformat.v4.new_output("stream", name="stdout", text="kept\n"))
    assert render.stderr_notes(nb) == ["UserWarning: 3 feature(s) disagree"]
    cleaned = render.code_free(nb)
    kinds = [(o["output_type"], o.get("name")) for o in cleaned.cells[0].outputs]
    assert kinds == [("display_data", None), ("stream", "stdout")]


def test_outlines_drawn_by_several_maps_are_written_once():
    from helpers.data import catalog

    outlines = catalog.outlines(None)
    first, second = (maps.MapView(maps.base_map(outlines=outlines))._repr_mimebundle_()
                     for _ in range(2))
    alone = maps.MapView(maps.base_map())._repr_mimebundle_()
    nb = _notebook_with(first, alone, second)
    render.embed_maps(nb)
    pages = [o["data"]["text/html"] for o in nb.cells[0].outputs]
    assert pages[0].count("var arw_shared_0 = ") == 1 and "arw_shared_1" not in pages[0]
    assert "_add(arw_shared_0);" in pages[0] and "_add(arw_shared_0);" in pages[2]
    assert "arw_shared" not in pages[1]
    literal = pages[0].split("var arw_shared_0 = ", 1)[1].split(";\n", 1)[0]
    assert len(literal) > 20_000 and literal not in pages[2]  # the outlines, not repeated
