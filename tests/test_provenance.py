"""Provenance records: JSON Schema, checksums, tamper detection, Sources section, CLI."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml

from helpers._io import sha256_file
from helpers.config import CURATED_DIR, PROJ_ROOT
from helpers.data import curated, provenance
from helpers.errors import DataError

RECORD = textwrap.dedent("""\
    - path: {path}
      title: {title}
      description: A tiny table for tests.
      compiled_by: tests
      producers:
        - Test Producer
      citation: Test citation.
      url: {url}
      date_published: 2024-11
      date_compiled: 2026-11-25
      licence: MIT
      sha256: {sha}
    """)


def _make_root(tmp_path: Path, files: dict[str, bytes], *, sha: dict[str, str] | None = None,
               extra: str = "") -> Path:
    """A fake project root with data files and a sources.yml describing them."""
    root = tmp_path / "root"
    body = ["# keep this comment\n", "schema_version: 1\n", "records:\n"]
    for i, (rel, content) in enumerate(files.items()):
        file = root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)
        digest = (sha or {}).get(rel, hashlib.sha256(content).hexdigest())
        body.append(RECORD.format(path=rel, title=f"Table {i}", sha=digest,
                                  url="https://example.org/t" if i == 0 else "null"))
    body.append(extra)
    (root / "data" / "curated").mkdir(parents=True, exist_ok=True)
    (root / "data" / "curated" / "sources.yml").write_text("".join(body), encoding="utf-8")
    return root


def _sources(root: Path) -> Path:
    return root / "data" / "curated" / "sources.yml"


# --------------------------------------------------------------------------- shipped records

def test_schema_file_is_a_valid_json_schema():
    schema = json.loads(provenance.SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    required = set(schema["$defs"]["record"]["required"])
    assert {"path", "title", "producers", "citation", "licence", "sha256",
            "date_published", "date_compiled", "compiled_by", "description"} <= required


def test_shipped_records_are_valid_and_checksums_match():
    """Fails after a data file is edited: `python -m helpers.data.provenance --update-checksums`."""
    recs = provenance.validate_records()
    paths = {r["path"] for r in recs}
    for name in curated.TABLE_NAMES:
        assert f"data/curated/{name}.csv" in paths
    for rec in recs:
        assert rec["sha256"] == sha256_file(PROJ_ROOT / rec["path"])


def test_every_shipped_file_has_a_record():
    paths = {r["path"] for r in provenance.records()}
    for pattern in provenance.SHIPPED_GLOBS:
        for file in PROJ_ROOT.glob(pattern):
            assert file.relative_to(PROJ_ROOT).as_posix() in paths


def test_demo_record_is_marked_synthetic():
    rec = provenance.record_for("data/demo/acled_demo_events.csv")
    assert rec["synthetic"] is True and "SYNTHETIC" in rec["title"]


# --------------------------------------------------------------------------- basics

def test_sha256_file_known_value(tmp_path):
    f = tmp_path / "abc.txt"
    f.write_bytes(b"abc")
    assert sha256_file(f) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_record_for_relative_absolute_and_unknown():
    rel = provenance.record_for("data/curated/claims.csv")
    absolute = provenance.record_for(CURATED_DIR / "claims.csv")
    assert rel == absolute and rel["date_compiled"] == "2026-11-25"  # YAML date -> text
    with pytest.raises(DataError, match="nope.csv"):
        provenance.record_for("data/curated/nope.csv")


# --------------------------------------------------------------------------- validation

def test_valid_fake_root_passes(tmp_path):
    root = _make_root(tmp_path, {"data/curated/t.csv": b"a,b\n1,2\n"})
    recs = provenance.validate_records(_sources(root), root=root)
    assert [r["path"] for r in recs] == ["data/curated/t.csv"]


def test_tampered_copy_fails_naming_the_file(tmp_path):
    root = _make_root(tmp_path, {"data/curated/claims.csv":
                                 (CURATED_DIR / "claims.csv").read_bytes()})
    provenance.validate_records(_sources(root), root=root)
    target = root / "data" / "curated" / "claims.csv"
    target.write_bytes(target.read_bytes().replace(b"5000", b"6000", 1))
    with pytest.raises(DataError) as info:
        provenance.validate_records(_sources(root), root=root)
    assert "claims.csv" in str(info.value) and "checksum mismatch" in str(info.value)
    (problem,) = info.value.problems
    assert problem.column == "sha256" and problem.file == "data/curated/claims.csv"


def test_every_problem_is_listed(tmp_path):
    root = _make_root(tmp_path, {"data/curated/a.csv": b"x\n", "data/demo/b.csv": b"y\n"},
                      sha={"data/demo/b.csv": "0" * 64})
    (root / "data" / "curated" / "unlisted.csv").write_text("z\n")
    (root / "data" / "curated" / "a.csv").unlink()
    text = _sources(root).read_text()
    text = text.replace("  licence: MIT\n", "", 1).replace("date_published: 2024-11",
                                                          "date_published: last year", 1)
    _sources(root).write_text(text + RECORD.format(path="data/demo/b.csv", title="dup",
                                                   sha="0" * 64, url="null"))
    with pytest.raises(DataError) as info:
        provenance.validate_records(_sources(root), root=root)
    got = {(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in info.value.problems}
    assert ("sources.yml", 1, "licence") in got            # required field missing
    assert ("sources.yml", 1, "date_published") in got     # bad date format
    assert ("sources.yml", 3, "path") in got               # duplicate record
    assert ("a.csv", None, None) in got                    # listed but missing
    assert ("b.csv", None, "sha256") in got                # checksum mismatch
    assert ("unlisted.csv", None, None) in got             # shipped without a record
    message = str(info.value)
    assert "row 1" in message and "column 'licence'" in message


def test_null_checksum_and_bad_yaml(tmp_path):
    root = _make_root(tmp_path, {"data/curated/t.csv": b"1\n"})
    src = _sources(root)
    src.write_text(src.read_text().replace(
        f"sha256: {hashlib.sha256(b'1' + bytes([10])).hexdigest()}", "sha256: null"))
    with pytest.raises(DataError, match="no checksum recorded"):
        provenance.validate_records(src, root=root)
    src.write_text("records: [unclosed\n")
    with pytest.raises(DataError, match="not valid YAML"):
        provenance.records(src)


def test_update_checksums_keeps_comments_and_is_idempotent(tmp_path):
    root = _make_root(tmp_path, {"data/curated/t.csv": b"old\n", "data/demo/d.csv": b"d\n"},
                      sha={"data/curated/t.csv": "f" * 64})
    (root / "data" / "curated" / "t.csv").write_bytes(b"new\n")
    changed = provenance.update_checksums(_sources(root), root=root)
    assert changed == ["data/curated/t.csv"]
    text = _sources(root).read_text()
    assert text.startswith("# keep this comment")
    assert hashlib.sha256(b"new\n").hexdigest() in text
    provenance.validate_records(_sources(root), root=root)
    assert provenance.update_checksums(_sources(root), root=root) == []


def test_cli_check_and_update(tmp_path, capsys):
    root = _make_root(tmp_path, {"data/curated/t.csv": b"1\n"},
                      sha={"data/curated/t.csv": "a" * 64})
    args = ["--sources", str(_sources(root)), "--root", str(root)]
    assert provenance.main(args) == 1
    assert "t.csv" in capsys.readouterr().err
    assert provenance.main(["--update-checksums", *args]) == 0
    assert "updated 1 checksum" in capsys.readouterr().out


# --------------------------------------------------------------------------- presentation

def test_sources_markdown(tmp_path):
    root = _make_root(tmp_path, {"data/curated/t.csv": b"1\n", "data/demo/d.csv": b"2\n"})
    src = _sources(root)
    data = yaml.safe_load(src.read_text())
    data["records"][1]["synthetic"] = True
    data["records"][0]["title"] = "Table *bold* <b>"
    src.write_text(yaml.safe_dump(data, sort_keys=False))
    md = provenance.sources_markdown(sources_file=src, root=root)
    assert md.startswith("### Sources")
    assert "Table \\*bold\\* \\<b\\>" in md
    assert "SYNTHETIC" in md.split("\n")[3] and "SYNTHETIC" not in md.split("\n")[2]
    assert "<https://example.org/t>" in md
    only = provenance.sources_markdown(["data/demo/d.csv", "data/raw/x.csv"],
                                       sources_file=src, root=root)
    assert "Table 1" in only and "Table \\*bold" not in only
    assert "`data/raw/x.csv` — no provenance record" in only


def test_sources_markdown_for_real_records():
    md = provenance.sources_markdown([CURATED_DIR / "claims.csv"])
    assert "claims.csv" in md and "Nazary" in md


def test_inputs_table(tmp_path):
    root = _make_root(tmp_path, {"data/curated/t.csv": b"1\n"})
    raw = root / "data" / "raw" / "export.csv"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(b"abc")
    table = provenance.inputs_table(["data/curated/t.csv", raw, "data/raw/missing.csv"],
                                    sources_file=_sources(root), root=root)
    assert list(table.columns) == ["path", "title", "sha256", "licence"]
    assert table["path"].tolist() == ["data/curated/t.csv", "data/raw/export.csv",
                                      "data/raw/missing.csv"]
    assert table.loc[0, "title"] == "Table 0" and table.loc[0, "licence"] == "MIT"
    assert table.loc[1, "sha256"] == hashlib.sha256(b"abc").hexdigest()
    assert pd.isna(table.loc[1, "title"]) and pd.isna(table.loc[2, "sha256"])
