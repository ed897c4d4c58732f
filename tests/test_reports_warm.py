"""Warm kernel starts (helpers/reports/zygote.py): kernels forked from a process with the
libraries imported must behave exactly like kernels started from scratch, and no report
may see anything a report before it did."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from helpers.reports import zygote
from helpers.reports.catalogue import load_catalogue
from helpers.reports.runner import run_reports

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks" / "build.py"
_spec = importlib.util.spec_from_file_location("arw_report_fixtures", FIXTURES)
BUILD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(BUILD)

#: Reads, then changes, state a kernel could carry over: a helpers module attribute, a
#: pandas option, a matplotlib setting, a global name, the working folder, sys.path and
#: the environment. A report that saw a change made by an earlier one would print it.
PROBE = '''import json, os, sys
import matplotlib
import pandas as pd
import helpers.config as cfg
seen = {"leak": getattr(cfg, "_probe_leak", None),
        "global": globals().get("_probe_global"),
        "max_rows": pd.get_option("display.max_rows"),
        "linewidth": matplotlib.rcParams["lines.linewidth"],
        "cwd": os.path.basename(os.getcwd()),
        "path_has_cwd": "" in sys.path or os.getcwd() in sys.path,
        "env": os.environ.get("ARW_PROBE"),
        "backend": matplotlib.get_backend(),
        "helpers_file": cfg.__file__}
cfg._probe_leak = label
_probe_global = label
pd.set_option("display.max_rows", 7)
matplotlib.rcParams["lines.linewidth"] = 9
os.environ["ARW_PROBE"] = label
print("SEEN=" + json.dumps(seen, sort_keys=True))
'''


#: A figure shown the plain pyplot way must reach the notebook as an image.
FIGURE = '''import matplotlib.pyplot as plt
plt.plot([1, 2, 3])
plt.show()
'''


def _probe_notebook() -> nbformat.NotebookNode:
    return BUILD._nb("Probe report", BUILD.STANDARD + 'label = "x"\n', PROBE, FIGURE)


def _images(out: Path, name: str) -> int:
    nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def _seen(out: Path, name: str) -> dict:
    nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            if text.startswith("SEEN="):
                return json.loads(text[5:])
    raise AssertionError(f"{name}: the probe printed nothing")


@pytest.fixture(scope="module")
def probe_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("warm")
    nbdir = root / "nb"
    nbdir.mkdir()
    nbformat.write(_probe_notebook(), nbdir / "probe.ipynb")
    return root, nbdir


def _run(root: Path, nbdir: Path, labels: list[str], out: str, *, warm: bool):
    catalogue = BUILD.write_catalogue(nbdir, [
        {"name": f"probe_{label}", "notebook": "probe.ipynb", "parameters": {"label": label}}
        for label in labels])
    summary = run_reports(load_catalogue(catalogue), root / out, jobs=1, progress=False,
                          force=True, warm=warm)
    assert summary.exit_code == 0, summary.records
    return {label: _seen(root / out, f"probe_{label}") for label in labels}


def _forked(out: Path, name: str) -> bool:
    return "forked from the warm zygote" in (out / "logs" / f"{name}.log").read_text("utf-8")


def test_no_report_sees_what_the_report_before_it_did(probe_dir):
    root, nbdir = probe_dir
    forward = _run(root, nbdir, ["a", "b"], "forward", warm=True)
    backward = _run(root, nbdir, ["b", "a"], "backward", warm=True)
    assert _forked(root / "forward", "probe_b")  # the test is about forked kernels
    assert forward["a"] == forward["b"] == backward["a"] == backward["b"]
    fresh = forward["a"]
    assert fresh["leak"] is None and fresh["global"] is None and fresh["env"] is None
    assert fresh["max_rows"] != 7 and fresh["linewidth"] != 9


def test_a_warm_kernel_is_the_kernel_a_cold_start_gives(probe_dir):
    root, nbdir = probe_dir
    warm = _run(root, nbdir, ["w"], "warm", warm=True)["w"]
    cold = _run(root, nbdir, ["w"], "cold", warm=False)["w"]
    assert _forked(root / "warm", "probe_w") and not _forked(root / "cold", "probe_w")
    assert warm == cold
    assert _images(root / "warm", "probe_w") == _images(root / "cold", "probe_w") == 1
    assert warm["cwd"] == "nb" and warm["path_has_cwd"]
    assert "inline" in warm["backend"]


def test_the_zygote_is_gone_after_the_run(probe_dir):
    root, nbdir = probe_dir
    _run(root, nbdir, ["z"], "gone", warm=True)
    assert not zygote._ZYGOTES


def test_a_broken_zygote_falls_back_to_cold_starts(probe_dir, monkeypatch, caplog):
    root, nbdir = probe_dir

    def broken(*args, **kwargs):
        raise RuntimeError("simulated start failure")

    monkeypatch.setattr(zygote, "Zygote", broken)
    with caplog.at_level(logging.WARNING, logger="helpers.reports.zygote"):
        seen = _run(root, nbdir, ["f"], "fallback", warm=True)["f"]
    assert seen["leak"] is None
    assert not _forked(root / "fallback", "probe_f")
    assert "warm kernel starts are off" in caplog.text


@pytest.mark.parametrize("cmd, expected", [
    ([sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json",
      "--HistoryManager.hist_file=:memory:"], [sys.executable, "-Xfrozen_modules=off"]),
    (["python3", "-m", "ipykernel_launcher", "-f", "c.json"], [sys.executable]),
    (["/usr/bin/other-python", "-m", "ipykernel_launcher", "-f", "c.json"], None),
    ([sys.executable, "-m", "ipykernel", "-f", "c.json"], None),
    ([sys.executable, "-m", "ipykernel_launcher"], None),
    ([sys.executable, "-E", "-m", "ipykernel_launcher", "-f", "c.json"], None),
    (["R", "--slave", "-e", "IRkernel::main()", "--args", "c.json"], None),
])
def test_only_kernelspecs_a_fork_can_stand_for_are_warmed(cmd, expected, monkeypatch):
    monkeypatch.delenv(zygote.COLD_ENV, raising=False)
    assert zygote.warm_prefix(cmd) == expected


def test_the_environment_switch_turns_warm_starts_off(monkeypatch):
    monkeypatch.setenv(zygote.COLD_ENV, "1")
    assert zygote.warm_prefix([sys.executable, "-m", "ipykernel_launcher", "-f", "c"]) is None


def test_a_malformed_request_is_refused_and_the_zygote_keeps_serving():
    import socket

    z = zygote.Zygote([sys.executable])
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(z.socket_path)
            conn.sendall(b"not json\n")
            answer = json.loads(conn.makefile("r").readline())
        assert "error" in answer
        assert z.alive()
    finally:
        z.close()
    assert not z.alive()


def test_zygotes_are_shared_only_by_kernels_a_fork_can_stand_for():
    prefix = [sys.executable]
    env = {"PATH": "/usr/bin", "OPENBLAS_NUM_THREADS": "2"}
    key = zygote.zygote_key(prefix, "/nb", env)
    # per-report entries do not matter ...
    assert zygote.zygote_key(prefix, "/nb", {**env, "ARW_REPORT_INPUTS": "/tmp/x.json",
                                             "JPY_SESSION_NAME": "y"}) == key
    # ... anything a library may read on import does, and so does the folder
    assert zygote.zygote_key(prefix, "/nb", {**env, "OPENBLAS_NUM_THREADS": "1"}) != key
    assert zygote.zygote_key(prefix, "/nb", {**env, "TZ": "Asia/Kabul"}) != key
    assert zygote.zygote_key(prefix, "/other", env) != key


def test_a_kernel_that_cannot_start_in_its_folder_starts_cold(tmp_path, caplog, monkeypatch):
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", str(tmp_path / "c.json")]
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # where the zygote's folder goes
    try:
        with caplog.at_level(logging.WARNING, logger="helpers.reports.zygote"):
            handle = zygote.spawn_kernel(cmd, cwd=str(tmp_path / "missing"),
                                         env=dict(os.environ), log=None)
        assert handle is None  # the caller starts it the normal way
        assert "warm kernel" in caplog.text
        assert not list(private.iterdir())  # no folder left behind
    finally:
        zygote.shutdown()


def test_the_zygote_refuses_a_request_it_cannot_serve_before_forking(tmp_path):
    z = zygote.Zygote([sys.executable])
    try:
        with pytest.raises(RuntimeError, match="no such folder"):
            z.spawn(["-f", str(tmp_path / "c.json")], cwd=str(tmp_path / "missing"),
                    env={}, log=None)
        assert z.alive()
    finally:
        z.close()


def test_a_handle_never_mistakes_another_process_for_its_kernel():
    gone = zygote.ForkedKernel(2 ** 22 + 12345)  # no such process
    assert gone.poll() == 0 and gone.wait(0.1) == 0
    gone.kill()  # a no-op, never an error


def test_a_warm_kernel_runs_exit_handlers_when_it_ends(tmp_path):
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    marker = tmp_path / "exit-handler-ran"
    nb = BUILD._nb("Exit report", BUILD.STANDARD + f'marker = "{marker}"\n',
                   "import atexit, pathlib\n"
                   "atexit.register(pathlib.Path(marker).write_text, 'ran')")
    nbformat.write(nb, nbdir / "exit.ipynb")
    catalogue = BUILD.write_catalogue(nbdir, [{"name": "exit", "notebook": "exit.ipynb"}])
    summary = run_reports(load_catalogue(catalogue), tmp_path / "out", jobs=1,
                          progress=False, warm=True)
    assert summary.exit_code == 0
    assert _forked(tmp_path / "out", "exit")
    assert marker.read_text() == "ran"
