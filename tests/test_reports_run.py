"""End-to-end behaviour of the report runner on tiny fixture notebooks (starts kernels)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import psutil
import pytest

from helpers.reports.catalogue import load_catalogue
from helpers.reports.runner import run_reports

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "build.py"
_spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
BUILD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(BUILD)

FAKE_KEY = "FAKE-acled-key-4d1c9e0b7a"


def kernel_processes() -> list[psutil.Process]:
    """Kernel processes (started, or forked by the warm zygote) below this test process."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if any("ipykernel" in part or "helpers.reports.zygote" in part
                   for part in proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("run")
    nbdir = root / "nb"
    BUILD.build(nbdir, ["hello", "chart", "map", "fail", "hang"])
    catalogue = BUILD.write_catalogue(nbdir, [
        {"name": "hello", "notebook": "hello.ipynb",
         "parameters": {"provinces": ["Panjshir"], "start_date": "2022-01-01"}},
        {"name": "chart", "notebook": "chart.ipynb"},
        {"name": "map", "notebook": "map.ipynb", "title": "Map <of> \"points\""},
        {"name": "fail", "notebook": "fail.ipynb"},
        {"name": "hang", "notebook": "hang.ipynb"},
    ])
    before = kernel_processes()
    cwd = os.getcwd()
    out = root / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACLED_API_KEY", FAKE_KEY)
        summary = run_reports(load_catalogue(catalogue), out, jobs=2, timeout=3,
                              progress=False)
    return {"summary": summary, "out": out, "nbdir": nbdir, "before": before,
            "after": kernel_processes(), "cwd_after": os.getcwd(), "cwd": cwd,
            "catalogue": catalogue,
            "records": {r["name"]: r for r in summary.records}}


def test_failures_fail_alone_and_exit_nonzero(run):
    records = run["records"]
    assert {n: r["run_status"] for n, r in records.items()} == {
        "hello": "executed", "chart": "executed", "map": "executed",
        "fail": "failed", "hang": "failed"}
    assert run["summary"].exit_code == 1
    assert "ValueError" in records["fail"]["error"] and "boom" in records["fail"]["error"]
    assert records["hang"]["error"].startswith("timeout")


def test_every_report_has_notebook_html_log_and_sidecar(run):
    out = run["out"]
    for name in run["records"]:
        for suffix in (".ipynb", ".html", ".report.json"):
            assert (out / f"{name}{suffix}").is_file(), f"{name}{suffix}"
        assert (out / "logs" / f"{name}.log").is_file()
    assert "rows=2" in (out / "logs" / "hello.log").read_text("utf-8")
    # nothing half-written is left behind
    assert not (out / ".partial").exists()
    assert not list(out.rglob("*.tmp"))


def test_failed_report_html_shows_the_error(run):
    page = (run["out"] / "fail.html").read_text("utf-8")
    assert "This report failed" in page
    assert "&lt;b&gt;boom&lt;/b&gt;" in page  # escaped in the banner
    assert "<script>alert(1)</script>" not in page
    hang = (run["out"] / "hang.html").read_text("utf-8")
    assert "timeout" in hang


def test_html_is_code_free(run):
    page = (run["out"] / "hello.html").read_text("utf-8")
    assert "rows=1 provinces=[&#39;Panjshir&#39;]" in page or "rows=2" in page
    assert "record_inputs(" not in page  # cell inputs are excluded
    assert "injected-parameters" not in page and "interactive = False" not in page
    assert "cdnjs.cloudflare.com" not in page  # no CDN require.js / MathJax
    chart = (run["out"] / "chart.html").read_text("utf-8")
    assert "data:image/png;base64" in chart


def test_parameters_reach_the_notebook(run):
    nb = json.loads((run["out"] / "hello.ipynb").read_text("utf-8"))
    assert nb["metadata"]["papermill"]["parameters"] == {
        "provinces": ["Panjshir"], "start_date": "2022-01-01", "interactive": False}
    text = json.dumps(nb)
    assert "provinces=['Panjshir']" in text


def test_index_and_manifest_list_everything_escaped(run):
    out = run["out"]
    sha_a = hashlib.sha256((run["nbdir"] / "data_a.csv").read_bytes()).hexdigest()
    index = (out / "index.html").read_text("utf-8")
    for name in run["records"]:
        assert f'href="{name}.html"' in index
    assert sha_a in index
    assert "synthetic demo data" in index
    assert "Map &lt;of&gt; &#34;points&#34;" in index  # markupsafe escapes quotes as &#34;
    assert "Hello report" in index  # title from the notebook's first heading
    assert "<script>alert(1)</script>" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    by_name = {r["name"]: r for r in manifest["reports"]}
    assert set(by_name) == set(run["records"])
    assert by_name["hello"]["inputs"][0]["sha256"] == sha_a
    assert by_name["hello"]["synthetic"] is True
    assert by_name["fail"]["status"] == "failed"
    for rec in by_name.values():
        assert rec["finished_at"] and rec["duration_s"] >= 0


def test_no_orphan_kernels_and_cwd_untouched(run):
    assert len(run["after"]) == len(run["before"]) == 0
    assert run["cwd_after"] == run["cwd"]


def test_kernels_listen_on_loopback_only(run):
    text = (run["out"] / "hello.ipynb").read_text("utf-8")
    line = next(x for x in text.split("\\n") if "LISTEN_IPS=" in x and "json" not in x)
    ips = json.loads(line.split("LISTEN_IPS=", 1)[1].replace('\\"', '"'))
    assert ips == ["127.0.0.1"]


def test_credentials_appear_in_no_output_file(run):
    for path in run["out"].rglob("*"):
        if path.is_file():
            assert FAKE_KEY.encode() not in path.read_bytes(), path


def test_second_run_uses_the_cache_and_cli_lists_why(run, capsys):
    from helpers.reports.__main__ import main

    args = ["--catalogue", str(run["catalogue"]), "--out", str(run["out"]), "--timeout", "3"]
    assert main([*args, "--list"]) == 0
    listing = capsys.readouterr().out
    assert "hello" in listing and "cached" in listing and "last run failed" in listing
    before = (run["out"] / "hello.html").stat().st_mtime_ns
    code = main([*args, "--only", "hello,chart", "--no-progress"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "0 rendered, 2 cached, 0 failed" in printed
    assert (run["out"] / "hello.html").stat().st_mtime_ns == before
    # the index still lists the reports that were not selected
    assert 'href="fail.html"' in (run["out"] / "index.html").read_text("utf-8")
