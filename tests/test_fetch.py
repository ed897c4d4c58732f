"""The fetch clients against a local HTTP server (pytest-httpserver on 127.0.0.1): the
providers' formats, paging, deletions, every failure mode -- and no credential anywhere."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest
from _ingest_fakes import ACLED_COLUMNS, ACLED_DEFAULT, install
from werkzeug import Response

from helpers.data import catalog
from helpers.data.sources import detect_layout
from helpers.fetch import acled, hdx, ucdp
from helpers.fetch.__main__ import main
from helpers.fetch.http import (
    BadResponse,
    Client,
    CredentialsRefused,
    GaveUp,
    QuotaExhausted,
)
from helpers.fetch.snapshot import newest, read_record, snapshots

EMAIL, PASSWORD, TOKEN = "analyst@example.org", "s3cret-Pa55", "tok-abc-123"
ENV = {"ACLED_EMAIL": EMAIL, "ACLED_PASSWORD": PASSWORD}
SECRETS = (PASSWORD, TOKEN, "refresh-xyz", "ucdp-tok-987")


def _event(i: int, **change) -> dict:
    return {**{c: ACLED_DEFAULT.get(c, "") for c in ACLED_COLUMNS},
            "event_id_cnty": f"AFG{i}", "timestamp": str(1_700_000_000 + i), **change}


def _client(server, name="acled") -> Client:
    return Client(server.url_for("/"), name, sleep=lambda s: None, jitter=lambda: 0.0,
                  backoff=0.01)


def _acled_token(server):
    server.expect_request("/oauth/token", method="POST").respond_with_json(
        {"token_type": "Bearer", "expires_in": 86400, "access_token": TOKEN,
         "refresh_token": "refresh-xyz"})


def _no_secrets(root: Path, caplog=None):
    for path in root.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            for secret in SECRETS + (EMAIL,):
                assert secret not in text, (path, secret)
    if caplog is not None:
        for secret in SECRETS:
            assert secret not in caplog.text


@pytest.fixture(autouse=True)
def fakes(monkeypatch):
    install(monkeypatch)


def test_acled_pages_deletions_and_snapshot(httpserver, tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(acled, "PAGE_SIZE", 2)
    _acled_token(httpserver)
    pages = {"1": [_event(1), _event(2)], "2": [_event(3)]}
    httpserver.expect_request("/api/acled/read").respond_with_handler(
        lambda r: Response(json.dumps({"status": 200, "success": True,
                                       "count": len(pages[r.args["page"]]),
                                       "data": pages[r.args["page"]]}),
                           content_type="application/json"))
    httpserver.expect_request("/api/deleted/read").respond_with_json(
        {"status": 200, "success": True, "count": 0, "data": []})
    result = acled.fetch(tmp_path, env=ENV, client=_client(httpserver),
                         today=date(2026, 11, 1))
    assert result["new"] == 3 and result["snapshot"].endswith("acled/2026-11-01")
    # the token request: the password grant, ACLED's client id, credentials in the body
    token_call = next(r for r, _ in httpserver.log if r.path == "/oauth/token")
    assert token_call.form["grant_type"] == "password" and token_call.form["client_id"] == "acled"
    assert token_call.form["username"] == EMAIL
    reads = [r for r, _ in httpserver.log if r.path == "/api/acled/read"]
    assert [r.args["page"] for r in reads] == ["1", "2"]
    assert reads[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert reads[0].args["country"] == "Afghanistan" and reads[0].args["timestamp_where"] == ">="
    folder = newest(tmp_path, "acled")
    record = read_record(folder)
    assert record["files"]["acled_afghanistan.csv"]["rows"] == 3
    assert record["http_status"] == 200 and "acled/read" in record["url"]
    assert "password" not in json.dumps(record["query"]).lower()
    # the snapshot is what data_source="acled" now reads
    assert detect_layout(folder / "acled_afghanistan.csv").name == "acled"
    monkeypatch.setattr("helpers.config.RAW_DIR", tmp_path)
    frame = catalog.events("acled")
    assert sorted(frame["event_id"]) == ["AFG1", "AFG2", "AFG3"]
    _no_secrets(tmp_path, caplog)


def test_acled_increment_revises_adds_deletes_and_unchanged_writes_nothing(
        httpserver, tmp_path, monkeypatch):
    monkeypatch.setattr("helpers.config.RAW_DIR", tmp_path)
    _acled_token(httpserver)
    state = {"events": [_event(1), _event(2)], "deleted": []}
    httpserver.expect_request("/api/acled/read").respond_with_handler(
        lambda r: Response(json.dumps({"status": 200, "data": state["events"]}),
                           content_type="application/json"))
    httpserver.expect_request("/api/deleted/read").respond_with_handler(
        lambda r: Response(json.dumps({"status": 200, "data": state["deleted"]}),
                           content_type="application/json"))
    acled.fetch(tmp_path, env=ENV, client=_client(httpserver), today=date(2026, 11, 1))
    first = newest(tmp_path, "acled")
    since = read_record(first)["fetched_at"]
    # a month later: AFG2 revised (fatalities), AFG3 new, AFG1 deleted by ACLED
    state["events"] = [_event(2, fatalities="7"), _event(3)]
    state["deleted"] = [{"event_id_cnty": "AFG1", "deleted_timestamp": "1700009999"}]
    out = acled.fetch(tmp_path, env=ENV, client=_client(httpserver), today=date(2026, 12, 1))
    assert (out["new"], out["deleted"]) == (2, 1)
    asked = [r for r, _ in httpserver.log if r.path == "/api/acled/read"][-1]
    from datetime import datetime
    assert int(asked.args["timestamp"]) == int(datetime.fromisoformat(since).timestamp())
    frame = catalog.events("acled")
    assert sorted(frame["event_id"]) == ["AFG2", "AFG3"]
    assert int(frame.set_index("event_id").loc["AFG2", "fatalities"]) == 7
    assert (first / "acled_afghanistan.csv").is_file()  # the old snapshot is untouched
    assert catalog.events("acled@2026-11-01")["event_id"].tolist() == ["AFG1", "AFG2"]
    # nothing new upstream: nothing written, the newest snapshot stays current
    state["events"], state["deleted"] = [], []
    again = acled.fetch(tmp_path, env=ENV, client=_client(httpserver), today=date(2026, 12, 2))
    assert again["snapshot"] is None and len(snapshots(tmp_path, "acled")) == 2


def test_missing_credentials_one_line_exit_2_no_request(httpserver, tmp_path, capsys):
    env = {"ACLED_BASE_URL": httpserver.url_for("/")}
    assert main(["acled", "--out", str(tmp_path), "--no-progress"], env=env) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "ACLED_EMAIL" in err and "ACLED_PASSWORD" in err
    assert len(httpserver.log) == 0
    assert main(["ucdp", "--out", str(tmp_path)], env={}) == 2
    assert "UCDP_ACCESS_TOKEN" in capsys.readouterr().err
    assert main(["hdx", "--out", str(tmp_path)], env={}) == 2
    assert "HDX_APP_IDENTIFIER" in capsys.readouterr().err


def test_refused_credentials_say_so(httpserver, tmp_path, capsys):
    httpserver.expect_request("/oauth/token").respond_with_json(
        {"error": "invalid_grant"}, status=401)
    env = {**ENV, "ACLED_BASE_URL": httpserver.url_for("/")}
    assert main(["acled", "--out", str(tmp_path), "--no-progress"], env=env) == 3
    assert "credentials were refused" in capsys.readouterr().err
    assert newest(tmp_path, "acled") is None


def test_429_and_503_are_retried_honouring_retry_after(httpserver):
    waits = []
    client = Client(httpserver.url_for("/"), "t", sleep=waits.append, jitter=lambda: 0.0,
                    backoff=0.5)
    httpserver.expect_ordered_request("/x").respond_with_data("", status=429,
                                                              headers={"Retry-After": "3"})
    httpserver.expect_ordered_request("/x").respond_with_data("", status=503)
    httpserver.expect_ordered_request("/x").respond_with_json({"ok": True})
    assert client.json("GET", "/x") == {"ok": True}
    assert waits == [3.0, 1.0]  # Retry-After, then backoff 0.5 * 2


def test_retries_give_up_and_nothing_partial_becomes_current(httpserver, tmp_path, capsys):
    httpserver.expect_request("/gedevents/25.1").respond_with_data("busy", status=503)
    client = Client(httpserver.url_for("/"), "ucdp", sleep=lambda s: None, attempts=3)
    with pytest.raises(GaveUp, match="gave up after 3 attempts"):
        ucdp.fetch(tmp_path, env={"UCDP_ACCESS_TOKEN": "ucdp-tok-987"}, client=client)
    assert newest(tmp_path, "ucdp") is None
    assert len(httpserver.log) == 3


def test_quota_exhausted_says_when_to_resume(httpserver, tmp_path):
    httpserver.expect_request("/gedevents/25.1").respond_with_data(
        "", status=429, headers={"Retry-After": "7200"})
    with pytest.raises(QuotaExhausted, match="resume after") as info:
        ucdp.fetch(tmp_path, env={"UCDP_ACCESS_TOKEN": "ucdp-tok-987"},
                   client=_client(httpserver, "ucdp"))
    assert info.value.resume_at is not None and len(httpserver.log) == 1


def test_truncated_json_and_repeated_pages_are_clear_errors(httpserver, tmp_path,
                                                            monkeypatch):
    httpserver.expect_request("/gedevents/25.1").respond_with_data(
        '{"TotalCount": 5, "Result": [{"id": 1}, {"id"', content_type="application/json")
    with pytest.raises(BadResponse, match="not complete JSON"):
        ucdp.fetch(tmp_path, env={"UCDP_ACCESS_TOKEN": "x"}, client=_client(httpserver))
    httpserver.clear()
    monkeypatch.setattr(acled, "PAGE_SIZE", 1)
    _acled_token(httpserver)
    httpserver.expect_request("/api/acled/read").respond_with_json(
        {"status": 200, "data": [_event(1)]})  # every page the same: the API is looping
    with pytest.raises(BadResponse, match="repeats page 1"):
        acled.fetch(tmp_path, env=ENV, client=_client(httpserver))
    assert newest(tmp_path, "acled") is None


def _ged_records() -> list[dict]:
    import csv

    path = Path(__file__).parent / "fixtures" / "events" / "ucdp_small.csv"
    with path.open(encoding="utf-8") as handle:
        return [{k: v for k, v in row.items() if k} for row in csv.DictReader(handle)]


def test_ucdp_pages_with_token_into_a_readable_snapshot(httpserver, tmp_path, caplog):
    records = _ged_records()
    base = httpserver.url_for("/")

    def page(request):
        n = int(request.args["page"])
        chunk = records[n * 2:(n + 1) * 2]
        return Response(json.dumps({
            "TotalCount": len(records), "TotalPages": 2,
            "PreviousPageUrl": "", "NextPageUrl": f"{base}gedevents/25.1?page={n + 1}"
            if n == 0 else "", "Result": chunk}), content_type="application/json")

    httpserver.expect_request("/gedevents/25.1").respond_with_handler(page)
    out = ucdp.fetch(tmp_path, env={"UCDP_ACCESS_TOKEN": "ucdp-tok-987"},
                     client=_client(httpserver, "ucdp"), today=date(2026, 11, 1))
    assert out["new"] == len(records)
    calls = [r for r, _ in httpserver.log]
    assert [c.args["page"] for c in calls] == ["0", "1"]
    assert all(c.headers["x-ucdp-access-token"] == "ucdp-tok-987" for c in calls)
    assert calls[0].args["Country"] == "700" and calls[0].args["pagesize"] == "1000"
    folder = newest(tmp_path, "ucdp")
    path = folder / "ged_25_1_afghanistan.json"
    assert detect_layout(path).name == "ucdp_ged_api"
    from helpers.data.sources import ucdp as ged

    assert len(ged.parse_api(path)) == 3  # the fixture's Afghan rows
    _no_secrets(tmp_path, caplog)


def test_hdx_endpoints_as_csv_with_the_app_identifier_in_a_header(httpserver, tmp_path,
                                                                  monkeypatch):
    needs = (Path(__file__).parent / "fixtures" / "hdx" /
             "hdx_hapi_humanitarian_needs_afg.csv").read_text(encoding="utf-8")
    monkeypatch.setattr(hdx, "PAGE_SIZE", 10_000)
    for endpoint, _ in hdx.ENDPOINTS.values():
        body = needs if "humanitarian-needs" in endpoint else "location_code,value\nAFG,1\n"
        httpserver.expect_request(f"/api/v2/{endpoint}").respond_with_data(
            body, content_type="text/csv")
    env = {"HDX_APP_NAME": "workbook", "HDX_EMAIL": EMAIL}
    out = hdx.fetch(tmp_path, env=env, client=_client(httpserver, "hdx"), pause=0,
                    sleep=lambda s: None, today=date(2026, 11, 1))
    assert out["snapshot"]
    calls = [r for r, _ in httpserver.log]
    assert len(calls) == len(hdx.ENDPOINTS)
    assert all("app_identifier" not in c.args for c in calls)
    assert all(c.headers["X-HDX-HAPI-APP-IDENTIFIER"] == hdx.app_identifier(env)
               for c in calls)
    assert calls[-1].args["origin_location_code"] == "AFG"  # returnees
    folder = newest(tmp_path, "hdx")
    assert detect_layout(folder / "hdx_hapi_humanitarian_needs_afg.csv").name == \
        "hapi_humanitarian_needs"
    _no_secrets(tmp_path)


def test_interrupted_fetch_leaves_nothing_current(httpserver, tmp_path, monkeypatch):
    monkeypatch.setattr(acled, "PAGE_SIZE", 1)
    _acled_token(httpserver)
    httpserver.expect_request("/api/acled/read").respond_with_handler(
        lambda r: Response(json.dumps({"status": 200, "data": [_event(int(r.args["page"]))]}),
                           content_type="application/json"))

    def ctrl_c(n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        acled.fetch(tmp_path, env=ENV, client=_client(httpserver), progress=ctrl_c)
    assert newest(tmp_path, "acled") is None


def test_dry_run_sends_nothing_and_help_documents_every_source(httpserver, tmp_path, capsys):
    env = {"ACLED_BASE_URL": httpserver.url_for("/")}
    assert main(["all", "--dry-run", "--out", str(tmp_path)], env=env) == 0
    printed = capsys.readouterr().out
    assert "acled (dry run)" in printed and "ucdp (dry run)" in printed and "hdx" in printed
    assert len(httpserver.log) == 0
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for word in ("acled", "ucdp", "hdx", "all", "ACLED_EMAIL", "ACLED_PASSWORD",
                 "UCDP_ACCESS_TOKEN", "HDX_APP_IDENTIFIER", "HDX_APP_NAME", "HDX_EMAIL",
                 "--since", "--dry-run", "--out"):
        assert word in text, word


def test_all_skips_unconfigured_sources_by_name(tmp_path, capsys):
    assert main(["all", "--out", str(tmp_path), "--no-progress"], env={}) == 0
    err = capsys.readouterr().err
    assert err.count("skipped") == 3 and "ACLED_EMAIL" in err


def test_credentials_refused_mid_run_renews_the_token_once(httpserver, tmp_path):
    _acled_token(httpserver)
    calls = {"n": 0}

    def read(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("expired", status=401)
        return Response(json.dumps({"status": 200, "data": [_event(1)]}),
                        content_type="application/json")

    httpserver.expect_request("/api/acled/read").respond_with_handler(read)
    httpserver.expect_request("/api/deleted/read").respond_with_json({"status": 200,
                                                                       "data": []})
    out = acled.fetch(tmp_path, env=ENV, client=_client(httpserver))
    assert out["new"] == 1
    tokens = [r for r, _ in httpserver.log if r.path == "/oauth/token"]
    assert [t.form["grant_type"] for t in tokens] == ["password", "refresh_token"]
    with pytest.raises(CredentialsRefused):
        httpserver.clear()
        httpserver.expect_request("/oauth/token").respond_with_json({}, status=403)
        acled.fetch(tmp_path, env=ENV, client=_client(httpserver))


@pytest.mark.slow
def test_a_new_snapshot_re_renders_only_the_reports_that_read_it(httpserver, tmp_path,
                                                                 monkeypatch):
    """`make refresh` = fetch, then reports: only reports whose data source got a new
    snapshot run again; the others stay cached."""
    import importlib.util

    from helpers.reports.catalogue import load_catalogue
    from helpers.reports.runner import plan_reports, run_reports

    spec = importlib.util.spec_from_file_location(
        "arw_fixtures", Path(__file__).parent / "fixtures" / "notebooks" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    raw = tmp_path / "raw"
    monkeypatch.setattr("helpers.config.RAW_DIR", raw)
    nbdir = tmp_path / "nb"
    build.build(nbdir, ["hello"])
    catalogue = build.write_catalogue(nbdir, [
        {"name": "demo", "notebook": "hello.ipynb"},
        {"name": "from_acled", "notebook": "hello.ipynb",
         "parameters": {"data_source": "acled"}}])
    _acled_token(httpserver)
    state = {"events": [_event(1)]}
    httpserver.expect_request("/api/acled/read").respond_with_handler(
        lambda r: Response(json.dumps({"status": 200, "data": state["events"]}),
                           content_type="application/json"))
    httpserver.expect_request("/api/deleted/read").respond_with_json({"status": 200,
                                                                       "data": []})
    acled.fetch(raw, env=ENV, client=_client(httpserver), today=date(2026, 11, 1))
    out = tmp_path / "out"
    specs = load_catalogue(catalogue)
    run_reports(specs, out, jobs=1, progress=False, timeout=120)
    decisions = {p.spec.name: p.decision.status for p in plan_reports(specs, out)}
    assert decisions == {"demo": "cached", "from_acled": "cached"}
    # nothing new upstream: still cached
    state["events"] = []
    acled.fetch(raw, env=ENV, client=_client(httpserver), today=date(2026, 12, 1))
    assert {p.spec.name: p.decision.status for p in plan_reports(specs, out)} == decisions
    # a revised event upstream: a new snapshot, and only the report that reads ACLED re-runs
    state["events"] = [_event(1, fatalities="9")]
    acled.fetch(raw, env=ENV, client=_client(httpserver), today=date(2026, 12, 1))
    plans = {p.spec.name: p.decision for p in plan_reports(specs, out)}
    assert plans["demo"].status == "cached"
    assert plans["from_acled"].status == "changed" and "sources" in plans["from_acled"].reason
