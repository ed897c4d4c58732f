"""The runner accepts any concurrent.futures executor, including a Dask cluster's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from helpers.reports.catalogue import load_catalogue
from helpers.reports.runner import run_reports

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "build.py"
_spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
BUILD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(BUILD)


@pytest.mark.slow
def test_reports_run_on_a_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    nbdir = tmp_path / "nb"
    BUILD.build(nbdir, ["hello"])
    catalogue = BUILD.write_catalogue(nbdir, [
        {"name": "a", "notebook": "hello.ipynb", "parameters": {"data_file": "data_a.csv"}},
        {"name": "b", "notebook": "hello.ipynb", "parameters": {"data_file": "data_b.csv"}},
    ])
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        summary = run_reports(load_catalogue(catalogue), out, executor=client.get_executor(),
                              progress=False, timeout=60)
        # The command line's --scheduler path connects its own client to the cluster.
        from helpers.reports.__main__ import main

        code = main(["--catalogue", str(catalogue), "--out", str(out), "--only", "a",
                     "--force", "--no-progress", "--scheduler", cluster.scheduler_address])
        assert code == 0
    assert [r["run_status"] for r in summary.records] == ["executed", "executed"]
    assert "rows=3" in (out / "b.ipynb").read_text("utf-8")
    assert (out / "index.html").is_file()


def test_scheduler_without_the_cluster_extra_says_how_to_install_it(monkeypatch, capsys):
    import sys

    from helpers.reports.__main__ import main

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were absent
    assert main(["--scheduler", "tcp://127.0.0.1:1", "--only", "00_overview",
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "pip install -e '.[cluster]'" in err
    assert "Traceback" not in err
