"""The five theme notebooks: committed clean, and executed with papermill on small inputs.

Structural tests read the committed files (no outputs, one ``parameters`` cell, kernel
``python3``, the common parameters, each .ipynb in step with its jupytext .py source).
Execution tests run each notebook with ``interactive=False`` (as the batch runner does) on
a province subset, an empty selection and real-format input, and check the outputs of the
tagged cells: charts are PNG images, tables are HTML, maps are Leaflet documents, the
banner says whether the data are synthetic, and no cell raised.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers import config

NOTEBOOKS = ["00_overview", "01_attacks", "02_expansion", "03_external_support",
             "04_humanitarian"]
COMMON_PARAMETERS = {"start_date", "end_date", "provinces", "sides", "data_source",
                     "boundaries_path", "interactive"}
FIXTURES = Path(__file__).parent / "fixtures"
ACLED_FIXTURE = FIXTURES / "events" / "acled_small.csv"
SYNTHETIC = "Synthetic demo data — patterns are illustrative, not findings"

#: Tagged cells every default run must fill, and the kind of output each must have.
EXPECTED = {
    "00_overview": {"banner": "html", "table-key-figures": "html", "fig-attacks": "png",
                    "fig-expansion": "png", "fig-external": "png", "fig-humanitarian": "png",
                    "fig-timeline": "png", "table-claims": "html", "sources": "markdown"},
    "01_attacks": {"banner": "html", "fig-battle-deaths": "png", "table-active": "html",
                   "table-escalation-claim": "html", "fig-monthly-side": "png",
                   "fig-monthly-type": "png", "fig-fatalities": "png", "fig-targets": "png",
                   "fig-urban": "png", "fig-places": "png", "table-incidents": "html",
                   "fig-escalation": "png", "table-claims": "html", "explorer": "html",
                   "sources": "markdown"},
    "02_expansion": {"banner": "html", "fig-spread": "png", "table-onset": "html",
                     "fig-distance": "png", "fig-regions": "png", "map-timeline": "map",
                     "map-provinces": "map", "map-events": "map", "map-choropleth": "map",
                     "sources": "markdown"},
    "03_external_support": {"banner": "html", "fig-network": "png", "fig-ego": "png",
                            "fig-milestones": "png", "table-support": "html",
                            "table-lobbying": "html", "table-aid": "html",
                            "sources": "markdown"},
    "04_humanitarian": {"banner": "html", "fig-funding": "png", "fig-needs": "png",
                        "fig-pin-provinces": "map", "fig-returns": "png",
                        "table-malnutrition": "html", "fig-provinces": "html",
                        "sources": "markdown"},
}

#: Sections that stand on real, shipped data, and sections that stand on the loaded events
#: (synthetic in a default run): each says so at its head.
REAL_SECTIONS = {
    "00_overview": ["table-key-figures", "fig-attacks", "fig-external", "fig-humanitarian",
                    "fig-timeline", "table-claims"],
    "01_attacks": ["fig-battle-deaths", "table-active", "table-escalation-claim"],
    "02_expansion": [],
    "03_external_support": ["fig-network", "fig-ego", "fig-milestones", "table-support",
                            "table-lobbying", "table-aid"],
    "04_humanitarian": ["fig-funding", "fig-needs", "fig-pin-provinces", "fig-returns",
                        "table-malnutrition"],
}
EVENT_SECTIONS = {
    "00_overview": ["fig-expansion"],
    "01_attacks": ["fig-monthly-side", "fig-monthly-type", "fig-fatalities", "fig-targets",
                   "fig-urban", "fig-places", "fig-escalation"],
    "02_expansion": ["fig-spread", "table-onset", "fig-distance", "fig-regions",
                     "map-timeline", "map-provinces", "map-events", "map-choropleth"],
    "03_external_support": [],
    # 04's one event section draws nothing on the synthetic set (it says so instead)
    "04_humanitarian": [],
}


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(config.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)


def _parameters_cell(nb: nbformat.NotebookNode) -> list:
    return [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]


# --------------------------------------------------------------------------- committed files
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_is_clean_and_parameterised(name):
    nb = _read(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "outputs committed"
    params = _parameters_cell(nb)
    assert len(params) == 1
    assigned = {line.split("=")[0].strip() for line in params[0].source.splitlines()
                if "=" in line and not line.lstrip().startswith("#")}
    assert COMMON_PARAMETERS <= assigned
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def _out_of_step(py: Path, ipynb: Path) -> bool:
    """True when the .ipynb does not hold the cells (type, source, tags) of its .py."""
    import jupytext

    def cells(nb):
        return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", [])))
                for c in nb.cells]
    return cells(jupytext.read(py)) != cells(nbformat.read(ipynb, as_version=4))


def test_every_notebook_is_a_jupytext_pair_in_sync():
    """The .py (percent format) is the source; its .ipynb must hold the same cells."""
    stale = [name for name in NOTEBOOKS
             if _out_of_step(config.NOTEBOOKS_DIR / f"{name}.py",
                             config.NOTEBOOKS_DIR / f"{name}.ipynb")]
    assert not stale, (f"{stale}: the .ipynb differs from its .py; run `make notebooks` "
                       "(jupytext --sync notebooks/*.py) and commit both")
    config_text = (config.NOTEBOOKS_DIR / "jupytext.toml").read_text()
    assert 'formats = "ipynb,py:percent"' in config_text


def test_the_pair_check_catches_an_edit_and_a_retag(tmp_path):
    ipynb = config.NOTEBOOKS_DIR / "01_attacks.ipynb"
    text = (config.NOTEBOOKS_DIR / "01_attacks.py").read_text(encoding="utf-8")
    edited = tmp_path / "edited.py"
    assert "## Where: top provinces and districts" in text
    edited.write_text(text.replace("## Where: top provinces and districts", "## Where, edited"),
                      encoding="utf-8")
    retagged = tmp_path / "retagged.py"
    retagged.write_text(text.replace('tags=["fig-urban"]', 'tags=["fig-city"]'),
                        encoding="utf-8")
    assert not _out_of_step(config.NOTEBOOKS_DIR / "01_attacks.py", ipynb)
    assert _out_of_step(edited, ipynb) and _out_of_step(retagged, ipynb)


def test_defaults_of_every_notebook_are_plain_json_values():
    import papermill as pm

    for name in NOTEBOOKS:
        found = pm.inspect_notebook(str(config.NOTEBOOKS_DIR / f"{name}.ipynb"))
        assert COMMON_PARAMETERS <= set(found)
        for param in found.values():
            json.loads(param["default"].replace("None", "null").replace("True", "true")
                       .replace("False", "false"))


# --------------------------------------------------------------------------- execution
def _execute(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp_path / f"{name}.ipynb"
    params = {"interactive": False, **parameters}
    try:
        pm.execute_notebook(str(config.NOTEBOOKS_DIR / f"{name}.ipynb"), str(out),
                            parameters=params, kernel_name="python3",
                            cwd=str(config.NOTEBOOKS_DIR), progress_bar=False,
                            execution_timeout=300)
    except pm.PapermillExecutionError as exc:
        pytest.fail(f"{name} raised in cell {exc.cell_index}: {exc.ename}: {exc.evalue}")
    return nbformat.read(out, as_version=4)


def _outputs(nb: nbformat.NotebookNode, tag: str) -> list:
    cells = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    assert cells, f"no cell tagged {tag}"
    return [o for c in cells for o in c.get("outputs", [])]


def _kinds(outputs: list) -> set[str]:
    kinds = set()
    for out in outputs:
        data = out.get("data", {})
        if "image/png" in data:
            kinds.add("png")
        if "text/markdown" in data:
            kinds.add("markdown")
        html = data.get("text/html", "")
        if html:
            kinds.add("map" if "leaflet" in html.lower() else "html")
    return kinds


def _text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            for key in ("text/html", "text/markdown", "text/plain"):
                value = out.get("data", {}).get(key, "")
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def _html(nb: nbformat.NotebookNode, tag: str) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in _outputs(nb, tag))


def _banner(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in _outputs(nb, "banner"))


def _assert_clean(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", out.get("evalue")
            if out.output_type == "stream" and out.name == "stderr":
                assert "Traceback" not in out.text, out.text



@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_on_a_province_subset(name, tmp_path):
    nb = _execute(name, tmp_path, provinces=["Panjshir", "Kabul"], start_date="2023-01-01",
                  end_date="2024-12-31")
    _assert_clean(nb)
    for tag, kind in EXPECTED[name].items():
        assert kind in _kinds(_outputs(nb, tag)), f"{name}: cell {tag} has no {kind} output"
    banner = _banner(nb)
    text = _text(nb)
    if EVENT_SECTIONS[name]:
        assert SYNTHETIC in banner and "synthetic demo data" in banner
        assert "No events for this selection" not in banner
        assert "SYNTHETIC demo data, not real events" in text  # the Sources section says so
    else:  # a report that uses no events says every section stands on real data
        assert SYNTHETIC not in banner and "stand behind every section" in banner
    if "explorer" in EXPECTED[name]:
        assert "Interactive explorer skipped in this static report" in text
    for tag in REAL_SECTIONS[name]:
        html = _html(nb, tag)
        assert "arw-data-real" in html and "arw-synthetic" not in html, tag
    for tag in EVENT_SECTIONS[name]:
        assert "arw-synthetic" in _html(nb, tag), tag


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_on_an_empty_selection_says_so(name, tmp_path):
    nb = _execute(name, tmp_path, provinces=["Nimroz"], start_date="2024-01-01",
                  end_date="2024-01-31")
    _assert_clean(nb)
    if not EVENT_SECTIONS[name]:
        return  # 03 uses no events: an empty selection changes nothing in it
    banner = _banner(nb)
    assert "No events for this selection" in banner
    assert "no events loaded" in banner
    assert "provinces: Nimroz" in banner


@pytest.mark.slow
@pytest.mark.parametrize("name", ["00_overview", "01_attacks", "02_expansion"])
def test_notebook_on_a_real_format_acled_export(name, tmp_path):
    nb = _execute(name, tmp_path, data_source=str(ACLED_FIXTURE), start_date="2019-01-01")
    _assert_clean(nb)
    banner = _banner(nb)
    assert "real event data" in banner
    assert SYNTHETIC not in banner
    assert "acled_small.csv" in banner
    assert "acled_small.csv" in _text(nb)  # cited in the Sources section
    for tag in EVENT_SECTIONS[name] + REAL_SECTIONS[name]:  # real events: no banner anywhere
        assert "arw-synthetic" not in _html(nb, tag), tag


@pytest.mark.slow
def test_expansion_draws_a_choropleth_from_a_boundaries_file(tmp_path):
    nb = _execute("02_expansion", tmp_path,
                  boundaries_path=str(FIXTURES / "boundaries" / "ocha_cod_adm1.geojson"))
    _assert_clean(nb)
    outputs = _outputs(nb, "map-choropleth")
    assert "map" in _kinds(outputs)
    assert "ocha_cod_adm1.geojson" in _text(nb)  # the given boundaries are cited


@pytest.mark.slow
def test_humanitarian_reads_hdx_files_and_shows_the_province_view(tmp_path):
    nb = _execute("04_humanitarian", tmp_path, indicator_source=str(
        FIXTURES / "hdx" / "hdx_hapi_humanitarian_needs_afg.csv"),
        boundaries_path=str(FIXTURES / "boundaries" / "ocha_cod_adm1.geojson"))
    _assert_clean(nb)
    assert "hdx_hapi_humanitarian_needs_afg.csv" in _text(nb)
    # the events are the synthetic demo set: they are never set beside real needs
    assert "png" not in _kinds(_outputs(nb, "fig-provinces"))
    assert "never set beside real needs" in _html(nb, "fig-provinces")


@pytest.mark.slow
def test_humanitarian_on_a_folder_of_published_layouts_shows_fts_funding(tmp_path):
    """04 on a folder holding every humanitarian layout the readers know, plus an unknown
    file: the funding section stands on the loaded FTS files (plan level only)."""
    import shutil

    folder = tmp_path / "downloads"
    folder.mkdir()
    for sub in ("hdx", "ipc", "hno", "fts"):
        for path in (FIXTURES / sub).glob("*.csv"):
            shutil.copy(path, folder)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    nb = _execute("04_humanitarian", tmp_path, indicator_source=str(folder))
    _assert_clean(nb)
    text = _text(nb)
    assert "fts_requirements_funding_afg.csv" in text  # the section names the loaded file
    funding = _html(nb, "fig-funding")
    assert "US$0.00 billion" in funding or "2024" in funding
    # the plan's 3,000,000 / 1,500,000, not tripled by the cluster and flow files
    assert "3,000,000" in funding and "1,500,000" in funding
