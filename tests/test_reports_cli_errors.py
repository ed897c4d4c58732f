"""The runner's command line refuses bad options once, clearly, before anything runs."""

from __future__ import annotations

import pytest

from helpers import config
from helpers.reports.__main__ import main


def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["--out", str(blocker / "reports"), "--list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write reports to") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_bad_date_parameter_is_refused_once(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--param", "end_date=2024-13-45", "--list"]) == 2
    err = capsys.readouterr().err
    assert "not a date: write it as YYYY-MM-DD" in err and "Traceback" not in err
    assert err.count("2024-13-45") == 1


def test_a_parameter_for_one_report_is_checked_only_against_it(tmp_path, capsys):
    # map_tiles exists only in 02 and 04: with --only 02 it is fine ...
    assert main(["--out", str(tmp_path), "--only", "02_expansion", "--param",
                 "map_tiles=OpenStreetMap", "--list"]) == 0
    capsys.readouterr()
    # ... and for every enabled report the complaint comes once, naming the entries,
    # never for the disabled 34-province sweep
    assert main(["--out", str(tmp_path), "--param", "map_tiles=OpenStreetMap", "--list"]) == 2
    err = capsys.readouterr().err
    assert err.count("unknown parameter") == 1 and "01_attacks_by_province" not in err


def test_acled_without_an_acled_file_says_so_before_running(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "README.md").write_text("notes", encoding="utf-8")
    monkeypatch.setattr(config, "RAW_DIR", raw)
    assert main(["--out", str(tmp_path / "out"), "--only", "01_attacks", "--param",
                 "data_source=acled"]) == 2
    err = capsys.readouterr().err
    assert "holds no ACLED export" in err and "01_attacks" in err
    assert not (tmp_path / "out" / "01_attacks.html").exists()


@pytest.mark.parametrize("pair", ["novalue", "1bad=2"])
def test_malformed_param_pairs(tmp_path, capsys, pair):
    assert main(["--out", str(tmp_path), "--param", pair, "--list"]) == 2
    assert "invalid --param" in capsys.readouterr().err
