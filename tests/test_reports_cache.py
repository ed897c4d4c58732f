"""Cache keys of the report runner: what invalidates a report, and only that report."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from helpers.data.run_inputs import file_record
from helpers.reports.cachekey import (
    CODE_PARTS,
    CodeState,
    FileHashes,
    decide,
    dependency_versions,
    full_key,
    helpers_digest,
    notebook_digest,
)
from helpers.reports.catalogue import load_catalogue
from helpers.reports.runner import plan_reports, run_reports

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "build.py"
_spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
BUILD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(BUILD)


def _fake_helpers(root: Path) -> Path:
    pkg = root / "fake_helpers"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "sub" / "analysis.py").write_text("X = 1\n", encoding="utf-8")
    return pkg


# ----------------------------------------------------------------- unit: key parts


def test_helpers_digest_sees_every_python_file(tmp_path):
    pkg = _fake_helpers(tmp_path)
    before = helpers_digest(pkg)
    (pkg / "sub" / "analysis.py").write_text("X = 2\n", encoding="utf-8")
    changed = helpers_digest(pkg)
    assert changed != before
    (pkg / "sub" / "new_module.py").write_text("", encoding="utf-8")
    assert helpers_digest(pkg) != changed
    (pkg / "notes.txt").write_text("not code", encoding="utf-8")
    assert helpers_digest(pkg) == helpers_digest(pkg)


def test_notebook_digest_ignores_outputs_but_not_code(tmp_path):
    import nbformat

    path = BUILD.build(tmp_path, ["hello"])["hello"]
    before = notebook_digest(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi")]
    nbformat.write(nb, path)
    assert notebook_digest(path) == before
    nb.cells[2].source += "\nprint('more')"
    nbformat.write(nb, path)
    assert notebook_digest(path) != before


def test_dependency_versions_cover_declared_dependencies():
    versions = dependency_versions()
    assert "python" in versions
    assert versions["papermill"] not in ("", "missing")
    assert "pytest" not in versions  # test extras are not part of the key


def _sidecar(parts, inputs, status="ok"):
    return {"status": status, "key_parts": dict(parts), "inputs": inputs,
            "key": full_key(parts, inputs)}


def test_decide_reasons(tmp_path):
    data = tmp_path / "a.csv"
    data.write_text("x\n1\n", encoding="utf-8")
    parts = {p: f"{p}-hash" for p in CODE_PARTS}
    inputs = [file_record(data)]
    hashes = FileHashes()
    ok = _sidecar(parts, inputs)
    assert decide(ok, parts, hashes, True).status == "cached"
    assert decide(None, parts, hashes, False).status == "new"
    assert decide(ok, parts, hashes, False).reason == "output files missing"
    assert decide(ok, parts, hashes, True, force=True).status == "forced"
    assert decide(_sidecar(parts, inputs, "failed"), parts, hashes, True).status == "failed"
    other = {**parts, "helpers": "edited"}
    assert decide(ok, other, hashes, True).reason == "changed: helpers"
    data.write_text("x\n2\n", encoding="utf-8")
    assert decide(ok, parts, FileHashes(), True).reason == "input changed: a.csv"
    data.unlink()
    assert decide(ok, parts, FileHashes(), True).status == "changed"


# ----------------------------------------------------------------- integration


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Two reports from one notebook, each reading its own data file, rendered once."""
    root = tmp_path_factory.mktemp("cache")
    nbdir = root / "nb"
    BUILD.build(nbdir, ["hello"])
    catalogue = BUILD.write_catalogue(nbdir, [
        {"name": "rep_a", "notebook": "hello.ipynb", "parameters": {"data_file": "data_a.csv"}},
        {"name": "rep_b", "notebook": "hello.ipynb", "parameters": {"data_file": "data_b.csv"}},
    ])
    helpers_root = _fake_helpers(root)
    out = root / "out"
    summary = run_reports(load_catalogue(catalogue), out, jobs=2, progress=False,
                          helpers_root=helpers_root, timeout=60)
    assert [r["run_status"] for r in summary.records] == ["executed", "executed"]
    return {"nbdir": nbdir, "catalogue": catalogue, "helpers": helpers_root, "out": out}


def _statuses(ctx, catalogue=None, overrides=()):
    specs = load_catalogue(catalogue or ctx["catalogue"], overrides)
    plan = plan_reports(specs, ctx["out"], helpers_root=ctx["helpers"])
    return {p.spec.name: (p.decision.status, p.decision.reason) for p in plan}


@pytest.mark.slow
def test_sidecar_stores_key_and_recorded_inputs(rendered):
    side = json.loads((rendered["out"] / "rep_a.report.json").read_text("utf-8"))
    assert set(side["key_parts"]) == set(CODE_PARTS)
    [record] = side["inputs"]
    assert record["path"] == str((rendered["nbdir"] / "data_a.csv").resolve())
    assert record["sha256"] == file_record(rendered["nbdir"] / "data_a.csv")["sha256"]
    assert side["synthetic"] is True
    assert _statuses(rendered) == {"rep_a": ("cached", "unchanged"),
                                   "rep_b": ("cached", "unchanged")}


@pytest.mark.slow
def test_changed_data_file_reruns_only_its_report(rendered):
    data_b = rendered["nbdir"] / "data_b.csv"
    original = data_b.read_text("utf-8")
    data_b.write_text(original + "Kunduz,9\n", encoding="utf-8")
    try:
        assert _statuses(rendered) == {"rep_a": ("cached", "unchanged"),
                                       "rep_b": ("changed", "input changed: data_b.csv")}
        summary = run_reports(load_catalogue(rendered["catalogue"]), rendered["out"], jobs=2,
                              progress=False, helpers_root=rendered["helpers"], timeout=60)
        assert {r["name"]: r["run_status"] for r in summary.records} == {
            "rep_a": "cached", "rep_b": "executed"}
        executed = (rendered["out"] / "rep_b.ipynb").read_text("utf-8")
        assert "rows=4" in executed
        assert _statuses(rendered)["rep_b"] == ("cached", "unchanged")
    finally:
        data_b.write_text(original, encoding="utf-8")


@pytest.mark.slow
def test_changed_helper_module_invalidates_every_report(rendered):
    module = rendered["helpers"] / "sub" / "analysis.py"
    module.write_text("X = 3  # edited\n", encoding="utf-8")
    try:
        statuses = _statuses(rendered)
        assert statuses == {"rep_a": ("changed", "changed: helpers"),
                            "rep_b": ("changed", "changed: helpers")}
    finally:
        module.write_text("X = 1\n", encoding="utf-8")
    assert _statuses(rendered)["rep_a"][0] == "cached"


@pytest.mark.slow
def test_changed_parameter_invalidates_only_that_report(rendered, tmp_path):
    edited = BUILD.write_catalogue(rendered["nbdir"], [
        {"name": "rep_a", "notebook": "hello.ipynb", "parameters": {"data_file": "data_a.csv"}},
        {"name": "rep_b", "notebook": "hello.ipynb",
         "parameters": {"data_file": "data_b.csv", "end_date": "2023-06-30"}},
    ])
    try:
        assert _statuses(rendered, edited) == {"rep_a": ("cached", "unchanged"),
                                               "rep_b": ("changed", "changed: parameters")}
        # A --param override changes both.
        assert {s for s, _ in _statuses(rendered, edited, ["sides=[taliban]"]).values()} == {
            "changed"}
    finally:
        BUILD.write_catalogue(rendered["nbdir"], [
            {"name": "rep_a", "notebook": "hello.ipynb",
             "parameters": {"data_file": "data_a.csv"}},
            {"name": "rep_b", "notebook": "hello.ipynb",
             "parameters": {"data_file": "data_b.csv"}},
        ])


@pytest.mark.slow
def test_changed_dependency_versions_invalidate(rendered, monkeypatch):
    import helpers.reports.cachekey as ck

    real = ck.dependency_versions
    monkeypatch.setattr(ck, "dependency_versions", lambda: {**real(), "pandas": "0.0.1"})
    specs = load_catalogue(rendered["catalogue"])
    state = CodeState.current(rendered["helpers"])
    plan = plan_reports(specs, rendered["out"], state=state)
    assert {p.decision.reason for p in plan} == {"changed: dependencies"}


def test_record_inputs_accumulates_in_the_sidecar(tmp_path, monkeypatch):
    import pandas as pd

    from helpers.data.run_inputs import INPUTS_ENV, read_recorded, record_inputs

    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("x\n1\n", encoding="utf-8")
    b.write_text("y\n2\n", encoding="utf-8")
    # Outside the runner: returns the records, writes nothing.
    monkeypatch.delenv(INPUTS_ENV, raising=False)
    assert record_inputs(a)[0]["sha256"] == file_record(a)["sha256"]
    sidecar = tmp_path / "side" / "inputs.json"
    monkeypatch.setenv(INPUTS_ENV, str(sidecar))
    monkeypatch.chdir(tmp_path)
    record_inputs(["a.csv"], synthetic=False)
    frame = pd.DataFrame({"x": [1]})
    frame.attrs = {"synthetic": True, "inputs": [{"path": str(b), "sha256": "old"}]}
    record_inputs(frame)
    record_inputs([{"path": str(a)}])
    recorded = read_recorded(sidecar)
    assert [Path(r["path"]).name for r in recorded["inputs"]] == ["a.csv", "b.csv"]
    assert recorded["inputs"][1]["sha256"] == file_record(b)["sha256"]  # hashed anew
    assert recorded["synthetic"] is True  # any synthetic input makes the report synthetic
    with pytest.raises(TypeError):
        record_inputs(42)
