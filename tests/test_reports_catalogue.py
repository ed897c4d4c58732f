"""Catalogue loading and validation for the report runner (no kernel is started)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from helpers.reports import catalogue as cat
from helpers.reports.catalogue import CatalogueError, coerce, load_catalogue, select, slugify

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "build.py"


def _build_module():
    spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()


@pytest.fixture()
def nbdir(tmp_path: Path) -> Path:
    BUILD.build(tmp_path, ["hello", "chart"])
    return tmp_path


def _catalogue(nbdir: Path, entries: list[dict], defaults: dict | None = None) -> Path:
    return BUILD.write_catalogue(nbdir, entries, defaults)


def _error(path: Path, overrides=()) -> str:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path, overrides)
    return str(info.value)


def test_valid_catalogue_expands_and_types_values(nbdir):
    path = nbdir / "reports.yml"
    path.write_text(
        "defaults:\n  data_source: demo\n"
        "reports:\n"
        "  - name: Hello World\n    notebook: hello.ipynb\n"
        "    parameters:\n      start_date: 2022-03-01\n      provinces: Panjshir, Baghlan\n"
        "  - notebook: chart.ipynb\n", encoding="utf-8")
    specs = load_catalogue(path)
    assert [s.name for s in specs] == ["hello-world", "chart"]
    hello = specs[0]
    # YAML reads 2022-03-01 as a date: it reaches the notebook as an ISO string.
    assert hello.parameters["start_date"] == "2022-03-01"
    assert hello.parameters["provinces"] == ["Panjshir", "Baghlan"]
    assert hello.parameters["data_source"] == "demo"
    # The runner always injects interactive=False (widgets do not render in HTML).
    assert hello.parameters["interactive"] is False
    assert hello.notebook == (nbdir / "hello.ipynb").resolve()
    assert specs[1].parameters == {"interactive": False, "data_source": "demo"}


def test_unknown_notebook_names_the_entry(nbdir):
    path = _catalogue(nbdir, [{"name": "ok", "notebook": "hello.ipynb"},
                              {"name": "ghost", "notebook": "09_missing.ipynb"}])
    message = _error(path)
    assert "entry 'ghost'" in message and "unknown notebook" in message
    assert "row 2" in message  # the entry's position in the catalogue


def test_unknown_parameter_suggests_the_close_name(nbdir):
    path = _catalogue(nbdir, [{"name": "typo", "notebook": "hello.ipynb",
                               "parameters": {"start_dat": "2022-01-01"}}])
    message = _error(path)
    assert "entry 'typo'" in message and "unknown parameter" in message
    assert "did you mean 'start_date'" in message


@pytest.mark.parametrize(("name", "value", "needle"), [
    ("start_date", "01/02/2022", "ISO date"),
    ("start_date", 2022, "ISO date"),
    ("provinces", 5, "expected a list"),
    ("data_source", ["demo"], "expected a string"),
])
def test_wrong_types_are_refused(nbdir, name, value, needle):
    path = _catalogue(nbdir, [{"name": "bad", "notebook": "hello.ipynb",
                               "parameters": {name: value}}])
    message = _error(path)
    assert "entry 'bad'" in message and f"parameters.{name}" in message and needle in message


def test_interactive_is_owned_by_the_runner(nbdir):
    path = _catalogue(nbdir, [{"notebook": "hello.ipynb", "parameters": {"interactive": True}}])
    assert "always sets interactive=False" in _error(path)


@pytest.mark.parametrize("name", ["api_key", "ACLED_TOKEN", "password", "client_secret"])
def test_secret_looking_names_are_refused(nbdir, name):
    path = _catalogue(nbdir, [{"name": "leaky", "notebook": "hello.ipynb",
                               "parameters": {name: "hunter2"}}])
    message = _error(path)
    assert "secret-looking" in message and "entry 'leaky'" in message
    assert "hunter2" not in message  # the value itself is never echoed


def test_every_problem_is_listed_at_once(nbdir):
    path = _catalogue(nbdir, [{"name": "a", "notebook": "hello.ipynb",
                               "parameters": {"end_date": "soon", "sidez": []}},
                              {"name": "b", "notebook": "nope.ipynb"}])
    message = _error(path)
    assert "3 problem(s)" in message


def test_param_overrides_are_typed_from_the_command_line(nbdir):
    path = _catalogue(nbdir, [{"notebook": "hello.ipynb"}])
    [spec] = load_catalogue(path, ["provinces=Panjshir,Baghlan", "start_date=2023-01-01",
                                   "data_source=123", "boundaries_path=none",
                                   "sides=[resistance, taliban]"])
    assert spec.parameters["provinces"] == ["Panjshir", "Baghlan"]
    assert spec.parameters["start_date"] == "2023-01-01"
    assert spec.parameters["data_source"] == "123"
    assert spec.parameters["boundaries_path"] is None
    assert spec.parameters["sides"] == ["resistance", "taliban"]


def test_bad_override_syntax_and_unknown_override(nbdir):
    path = _catalogue(nbdir, [{"notebook": "hello.ipynb"}])
    assert "expected key=value" in _error(path, ["provinces"])
    assert "unknown parameter" in _error(path, ["colour=red"])


def test_province_sweep_makes_one_slugified_report_each(nbdir, monkeypatch):
    monkeypatch.setattr(cat, "province_names", lambda: ["Panjshir", "Nangarhār"])
    path = _catalogue(nbdir, [{"name": "hello", "notebook": "hello.ipynb"},
                              {"name": "by province", "notebook": "hello.ipynb",
                               "enabled": False, "sweep": {"provinces": ["each"]}}])
    specs = load_catalogue(path)
    assert [s.name for s in specs] == ["hello", "by-province--provinces-panjshir",
                                       "by-province--provinces-nangarhar"]
    assert specs[2].parameters["provinces"] == ["Nangarhār"]
    # Disabled by default; --only picks it (globs allowed, entry names too).
    assert [s.name for s in select(specs)] == ["hello"]
    assert len(select(specs, ["by-province--*"])) == 2
    assert len(select(specs, ["by province"])) == 2
    with pytest.raises(CatalogueError, match="matched no report"):
        select(specs, ["nothing-like-this"])


def test_parameter_sets_and_explicit_sweeps(nbdir):
    path = _catalogue(nbdir, [{"name": "h", "notebook": "hello.ipynb",
                               "parameter_sets": [{"name": "early", "end_date": "2022-12-31"},
                                                  {"start_date": "2023-01-01"}],
                               "sweep": {"sides": ["resistance", "taliban"]}}])
    names = [s.name for s in load_catalogue(path)]
    assert names == ["h--early--sides-resistance", "h--early--sides-taliban",
                     "h--start_date-2023-01-01--sides-resistance",
                     "h--start_date-2023-01-01--sides-taliban"]


def test_duplicate_and_reserved_names(nbdir):
    path = _catalogue(nbdir, [{"name": "x", "notebook": "hello.ipynb"},
                              {"name": "x", "notebook": "chart.ipynb"},
                              {"name": "index", "notebook": "chart.ipynb"}])
    message = _error(path)
    assert "duplicate output name" in message and "reserved" in message


def test_unparseable_parameter_line_gets_a_hint(nbdir):
    import nbformat

    nb = nbformat.read(nbdir / "hello.ipynb", as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace(
        "sides = []", "sides = []  # one of: a = b")
    nbformat.write(nb, nbdir / "hello.ipynb")
    path = _catalogue(nbdir, [{"notebook": "hello.ipynb", "parameters": {"sides": ["x"]}}])
    assert "papermill cannot parse the line" in _error(path)


def test_unknown_entry_keys_and_bad_yaml(nbdir):
    path = _catalogue(nbdir, [{"notebook": "hello.ipynb", "params": {}}])
    assert "unknown entry key" in _error(path)
    path.write_text("reports: [", encoding="utf-8")
    assert "not valid YAML" in _error(path)
    path.write_text("something: else\n", encoding="utf-8")
    assert "top-level 'reports:' list" in _error(path)


def test_cli_refuses_a_bad_catalogue_before_running_anything(nbdir, tmp_path, capsys):
    from helpers.reports.__main__ import main

    path = _catalogue(nbdir, [{"name": "bad", "notebook": "hello.ipynb",
                               "parameters": {"api_token": "x"}}])
    out = tmp_path / "out"
    assert main(["--catalogue", str(path), "--out", str(out)]) == 2
    assert "entry 'bad'" in capsys.readouterr().err
    assert not out.exists()


def test_coerce_rules():
    assert coerce("2022-01-05", "'2021-08-15'") == "2022-01-05"
    assert coerce([], "[]") == []
    assert coerce("a, b", "['x']") == ["a", "b"]
    assert coerce(3, "1.5") == 3.0
    assert coerce("shapes/afg.geojson", "None") == "shapes/afg.geojson"
    with pytest.raises(TypeError):
        coerce(1, "True")
    with pytest.raises(TypeError):
        coerce(True, "3")
    with pytest.raises(TypeError):
        coerce(object(), "None")


def test_slugify():
    assert slugify("Nangarhār / Jalalabad") == "nangarhar-jalalabad"
    assert slugify("  --A__b--  ") == "a__b"


def test_project_catalogue_validates_when_theme_notebooks_exist():
    from helpers import config

    path = config.NOTEBOOKS_DIR / "reports.yml"
    names = ["00_overview", "01_attacks", "02_expansion", "03_external_support",
             "04_humanitarian"]
    if not all((config.NOTEBOOKS_DIR / f"{n}.ipynb").exists() for n in names):
        pytest.skip("theme notebooks not written yet")
    specs = load_catalogue(path)
    assert {s.notebook.stem for s in select(specs)} == set(names)
