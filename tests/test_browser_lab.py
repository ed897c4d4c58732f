"""End to end in JupyterLab: open 01_attacks, run all cells, turn the date-range widget.

Starts JupyterLab on a free loopback port with a random token, in a temporary folder that
holds a copy of the notebook (the committed one is never touched, and JupyterLab's
settings, workspaces and runtime files go to the temporary folder too). Headless
Chromium (Debian package, Playwright with ``executable_path``) runs every cell from the
Run menu, then moves the explorer's month slider with the keyboard and checks that the
explorer's chart is redrawn, that no cell shows an error and that the page raised no
script error. Screenshots go to test-artifacts/lab/.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from _browser import CHROMIUM, CHROMIUM_ARGS, Page, screenshot

from helpers import config

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

NOTEBOOK = "01_attacks.ipynb"
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
EXPLORER_IMAGE = ".widget-output img"
SLIDER_UPPER = ".widget-slider .noUi-handle-upper"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    shutil.copy(config.NOTEBOOKS_DIR / NOTEBOOK, tmp_path / NOTEBOOK)
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / ".config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / ".runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / ".workspaces"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / ".settings")}
    args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
            f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={tmp_path}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(tmp_path / 'lab.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start within 90 s")
                time.sleep(0.5)
        yield base, token, tmp_path
    finally:
        try:  # shut the server down through its API so its kernels stop with it
            request = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(request, timeout=10)
            proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _run_all_cells(page) -> None:
    """Run > Run All Cells, once the kernel is connected; retried if nothing started.

    The execution indicator reads "idle" a moment before the kernel connection is ready,
    and a click in that window is lost: so wait for the status bar to name the kernel as
    idle, and check that a cell entered the queue.
    """
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_function("() => /\\| Idle/.test(document.body.innerText)", timeout=90_000)
    for _ in range(3):
        page.click("div.lm-MenuBar-itemLabel:text-is('Run')")
        item = page.locator("li.lm-Menu-item:has-text('Run All Cells')").first
        item.wait_for(state="visible", timeout=10_000)
        item.click()
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
                ".some(p => /\\[(\\*|\\d+)\\]/.test(p.innerText))", timeout=15_000)
            return
        except sync_api.TimeoutError:
            page.keyboard.press("Escape")
    pytest.fail("Run All Cells did not start any cell")


def test_attacks_notebook_runs_and_its_date_widget_redraws_the_chart(lab):
    base, token, root = lab
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        view = Page(browser, allow=(base,), viewport=(1400, 1000))
        page = view.page
        try:
            page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={token}")
            page.wait_for_selector(".jp-NotebookPanel", timeout=90_000)
            _run_all_cells(page)
            image = page.locator(EXPLORER_IMAGE).first
            image.wait_for(timeout=240_000)
            page.wait_for_selector(IDLE, timeout=240_000)
            prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            assert prompts and all(p.strip() not in ("[ ]:", "[*]:") for p in prompts), prompts
            assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0
            readout = page.locator(".widget-slider .widget-readout").first
            first_range = readout.inner_text()
            before = image.get_attribute("src")
            assert before and before.startswith("data:image/png")
            screenshot(page, "lab", "before-widget-change")

            handle = page.locator(SLIDER_UPPER).first
            handle.scroll_into_view_if_needed()
            handle.focus()
            for _ in range(12):  # one month per key press: end the range a year earlier
                page.keyboard.press("ArrowLeft")
            page.wait_for_function(
                "([sel, old]) => { const i = document.querySelector(sel);"
                " return i && i.getAttribute('src') !== old; }",
                arg=[EXPLORER_IMAGE, before], timeout=120_000)
            page.wait_for_selector(IDLE, timeout=120_000)
            after = page.locator(EXPLORER_IMAGE).first.get_attribute("src")
            assert after != before
            assert readout.inner_text() != first_range
            assert page.locator("[data-mime-type='application/vnd.jupyter.error']").count() == 0
            screenshot(page, "lab", "after-widget-change")
            assert view.js_errors == [], view.js_errors
        finally:
            view.close()
            browser.close()
    # the committed notebook is untouched: JupyterLab only ever saw the copy
    assert (root / NOTEBOOK).is_file()
