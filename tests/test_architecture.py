"""The package's shape: imports run one way, no cycles, each layer keeps to its job.

The import-linter contracts live in ``pyproject.toml`` ([tool.importlinter]); this module
runs them, proves they bite (a copy of the package with one wrong import fails), and checks
what import-linter cannot: no import cycle anywhere, views and analysis never open files.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest

from helpers import config

ROOT = config.PROJ_ROOT
HELPERS = config.HELPERS_DIR

#: Calls that open or read a data file; views and analysis must not make them.
FILE_READS = {"open", "read_csv", "read_excel", "read_parquet", "read_json", "read_text",
              "read_bytes", "load", "loads_file", "match_boundaries"}


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))"],
        cwd=cwd, capture_output=True, text=True, env={"PYTHONPATH": str(cwd), "PATH": ""},
        timeout=120)


def test_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_reader_importing_a_view_breaks_the_contract(tmp_path):
    shutil.copytree(HELPERS, tmp_path / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    reader = tmp_path / "helpers" / "data" / "sources" / "ucdp.py"
    reader.write_text(reader.read_text(encoding="utf-8")
                      + "\nfrom helpers.views import charts  # noqa\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "helpers.data.sources.ucdp -> helpers.views.charts" in result.stdout


def test_no_import_cycles():
    graph = grimp.build_graph("helpers", include_external_packages=False, cache_dir=None)
    edges = nx.DiGraph()
    for module in graph.modules:
        edges.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    cycles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    assert cycles == []


def _calls(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute)
                      else getattr(func, "id", ""))
    return names


@pytest.mark.parametrize("layer", ["views", "analysis"])
def test_views_and_analysis_never_open_data_files(layer):
    offenders = {p.relative_to(HELPERS).as_posix(): sorted(_calls(p) & FILE_READS)
                 for p in (HELPERS / layer).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_analysis_never_draws():
    drawing = ("matplotlib", "seaborn", "folium", "ipywidgets", "IPython")
    found = {}
    for path in (HELPERS / "analysis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad = [n for n in names if n.split(".")[0] in drawing]
            if bad:
                found[path.name] = bad
    assert found == {}
