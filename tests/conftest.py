"""Fixtures shared by several test modules."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module."""
    from _browser import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True, scope="session")
def processed_cache_outside_the_project(tmp_path_factory):
    """Tests never write the project's ``data/processed``: the parse cache goes to a temp
    folder, in this process and in the kernels and subprocesses tests start (through
    ``ARW_PROCESSED_DIR``). Tests that need their own folder still set it themselves."""
    from helpers import config

    folder = tmp_path_factory.mktemp("processed")
    patch = pytest.MonkeyPatch()
    patch.setenv("ARW_PROCESSED_DIR", str(folder))
    patch.setattr(config, "PROCESSED_DIR", folder)
    yield folder
    patch.undo()
