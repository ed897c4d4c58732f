"""UCDP GED events for Afghanistan (Gleditsch-Ward country code 700), from the UCDP API.

``GET <base>/gedevents/<version>?pagesize=1000&page=<n>&Country=700`` pages through the
events of one GED version: the yearly release (``25.1``) or a monthly candidate release
(``26.0.7`` ...). The answer is ``{"TotalCount", "TotalPages", "PreviousPageUrl",
"NextPageUrl", "Result": [...]}``. The API asks for an access token in the
``x-ucdp-access-token`` header (``UCDP_ACCESS_TOKEN``; UCDP sends one on request) and
allows 5,000 requests a day, errors included: a quota answer stops the fetch and says when
to resume.

A snapshot holds each version's pages as the API gave them
(``ged_<version>_afghanistan.json``), which the ``ucdp_ged_api`` reader loads. UCDP data
are CC BY 4.0: cite the UCDP GED codebook's reference.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from helpers.fetch.http import BadResponse, Client, MissingCredentials, QuotaExhausted
from helpers.fetch.snapshot import Snapshot

SOURCE = "ucdp"
BASE_URL = "https://ucdpapi.pcr.uu.se/api"
VARIABLES = ("UCDP_ACCESS_TOKEN",)
COUNTRY = 700
PAGE_SIZE = 1000
#: The GED release fetched unless ``--ucdp-version`` names others (yearly, then candidate).
VERSIONS = ("25.1",)
LICENCE = "CC BY 4.0 (Uppsala Conflict Data Program)"


def token(env: dict[str, str] | None = None) -> str:
    """The API token from the environment, or :class:`MissingCredentials`."""
    env = dict(os.environ if env is None else env)
    if not env.get("UCDP_ACCESS_TOKEN"):
        raise MissingCredentials("ucdp: set UCDP_ACCESS_TOKEN (the token UCDP sends on "
                                 "request: see ucdp.uu.se/apidocs) to fetch UCDP GED events")
    return env["UCDP_ACCESS_TOKEN"]


def _version_pages(client: Client, version: str, since: date | None,
                   progress: Callable[[int], None]) -> list[dict]:
    pages: list[dict] = []
    previous = None
    page = 0
    while True:
        params: dict[str, Any] = {"pagesize": PAGE_SIZE, "page": page, "Country": COUNTRY}
        if since is not None:
            params["StartDate"] = since.isoformat()
        answer = client.json("GET", f"/gedevents/{version}", params=params)
        if isinstance(answer, dict) and "quota" in str(answer.get("message", "")).lower():
            tomorrow = datetime.now(UTC).date() + timedelta(days=1)
            raise QuotaExhausted(f"ucdp: daily request quota used up; resume after "
                                 f"{tomorrow} 00:00 UTC",
                                 datetime(tomorrow.year, tomorrow.month, tomorrow.day,
                                          tzinfo=UTC))
        if not isinstance(answer, dict) or not isinstance(answer.get("Result"), list):
            raise BadResponse(f"ucdp: page {page} of GED {version} has no 'Result' list")
        ids = [r.get("id") for r in answer["Result"]]
        if ids and ids == previous:
            raise BadResponse(f"ucdp: page {page} repeats page {page - 1}; stopping rather "
                              "than looping")
        previous = ids
        pages.append(answer)
        progress(len(ids))
        total = int(answer.get("TotalPages") or 0)
        if not answer.get("NextPageUrl") or page + 1 >= total or not ids:
            return pages
        page += 1


def fetch(out: Path, *, since: date | None = None, dry_run: bool = False,
          env: dict[str, str] | None = None, base_url: str | None = None,
          client: Client | None = None, versions: Sequence[str] = VERSIONS,
          progress: Callable[[int], None] = lambda n: None,
          today: date | None = None) -> dict[str, Any]:
    """Fetch every page of each GED ``version`` for Afghanistan into one snapshot."""
    base = base_url or (os.environ if env is None else env).get("UCDP_BASE_URL", BASE_URL)
    if dry_run:
        return {"source": SOURCE, "dry_run": True, "requests": [
            f"GET {base}/gedevents/{v} pagesize={PAGE_SIZE} Country={COUNTRY}"
            + (f" StartDate={since}" if since else "") + " (header x-ucdp-access-token)"
            for v in versions]}
    secret = token(env)
    client = client or Client(base, "ucdp")
    client.headers["x-ucdp-access-token"] = secret
    started = datetime.now(UTC)
    found = {v: _version_pages(client, v, since, progress) for v in versions}
    rows = {v: sum(len(p["Result"]) for p in pages) for v, pages in found.items()}
    if not any(rows.values()):
        return {"source": SOURCE, "new": 0, "snapshot": None, "message": "no new data"}
    with Snapshot(out, SOURCE, today) as snap:
        for version, pages in found.items():
            snap.write(f"ged_{version.replace('.', '_')}_afghanistan.json",
                       json.dumps(pages, ensure_ascii=False).encode("utf-8"),
                       rows=rows[version])
        where = snap.commit({
            "url": f"{base}/gedevents/<version>",
            "query": {"Country": COUNTRY, "pagesize": PAGE_SIZE,
                      **({"StartDate": since.isoformat()} if since else {})},
            "versions": list(versions), "fetched_at": started.isoformat(timespec="seconds"),
            "http_status": 200, "requests": client.requests_sent, "rows": rows,
            "version": "UCDP GED " + ", ".join(versions), "licence": LICENCE,
            "citation": "Uppsala Conflict Data Program, Georeferenced Event Dataset"})
    return {"source": SOURCE, "new": sum(rows.values()), "snapshot": str(where) if where
            else None, "message": "written" if where else "no new data"}
