"""Afghanistan's humanitarian data from HDX HAPI (v2): needs, food security, funding,
population and returnees, as CSV in the layouts the ``hapi_*`` readers know.

``GET <base>/api/v2/<endpoint>?location_code=AFG&output_format=csv&limit=10000&offset=<n>``
(returnees: ``origin_location_code=AFG``), with the ``app_identifier`` HAPI asks of every
caller -- base64 of ``"<application name>:<e-mail>"`` (``HDX_APP_IDENTIFIER``, or
``HDX_APP_NAME`` and ``HDX_EMAIL`` from which it is made) -- sent in the
``X-HDX-HAPI-APP-IDENTIFIER`` header so it never appears in a logged URL. Pages are joined under one
header; HAPI's terms ask for at most one request a second, which the client keeps. Each
dataset keeps its own licence (listed in the snapshot record).
"""

from __future__ import annotations

import base64
import csv
import io
import os
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from helpers.fetch.http import BadResponse, Client, MissingCredentials
from helpers.fetch.snapshot import Snapshot

SOURCE = "hdx"
BASE_URL = "https://hapi.humdata.org"
VARIABLES = ("HDX_APP_IDENTIFIER", "HDX_APP_NAME", "HDX_EMAIL")
PAGE_SIZE = 10000
#: file name -> (HAPI v2 endpoint, location parameter)
ENDPOINTS = {
    "hdx_hapi_humanitarian_needs_afg.csv": ("affected-people/humanitarian-needs",
                                            "location_code"),
    "hdx_hapi_food_security_afg.csv": ("food-security-nutrition-poverty/food-security",
                                       "location_code"),
    "hdx_hapi_funding_afg.csv": ("coordination-context/funding", "location_code"),
    "hdx_hapi_baseline_population_afg.csv": ("geography-infrastructure/baseline-population",
                                             "location_code"),
    "hdx_hapi_returnees_afg.csv": ("affected-people/returnees", "origin_location_code"),
}
LICENCE = "HDX Terms of Service; each dataset's own licence (see its HDX page)"


def app_identifier(env: dict[str, str] | None = None) -> str:
    """HAPI's ``app_identifier``, or :class:`MissingCredentials` naming what to set."""
    env = dict(os.environ if env is None else env)
    if env.get("HDX_APP_IDENTIFIER"):
        return env["HDX_APP_IDENTIFIER"]
    if env.get("HDX_APP_NAME") and env.get("HDX_EMAIL"):
        raw = f"{env['HDX_APP_NAME']}:{env['HDX_EMAIL']}".encode()
        return base64.b64encode(raw).decode("ascii")
    raise MissingCredentials("hdx: set HDX_APP_IDENTIFIER, or HDX_APP_NAME and HDX_EMAIL "
                             "(HDX HAPI asks every caller to name its application)")


def _csv_pages(client: Client, endpoint: str, params: dict[str, Any], pause: float,
               sleep: Callable[[float], None], progress: Callable[[int], None]
               ) -> tuple[str, int]:
    header: list[str] | None = None
    rows: list[list[str]] = []
    offset = 0
    previous = None
    while True:
        response = client.request("GET", f"/api/v2/{endpoint}",
                                  params={**params, "limit": PAGE_SIZE, "offset": offset})
        text = response.content.decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        if not table:
            raise BadResponse(f"hdx: {endpoint} answered an empty body (no CSV header)")
        page_header, body = table[0], [r for r in table[1:] if r]
        if header is None:
            header = page_header
        elif page_header != header:
            raise BadResponse(f"hdx: {endpoint} changed its columns between pages")
        if any(len(r) != len(header) for r in body):
            raise BadResponse(f"hdx: {endpoint} page at offset {offset} has rows with the "
                              "wrong number of fields (a truncated download?)")
        if body and body == previous:
            raise BadResponse(f"hdx: {endpoint} returned the same page twice")
        previous = body
        rows.extend(body)
        progress(len(body))
        if len(body) < PAGE_SIZE:
            break
        offset += PAGE_SIZE
        sleep(pause)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue(), len(rows)


def fetch(out: Path, *, since: date | None = None, dry_run: bool = False,
          env: dict[str, str] | None = None, base_url: str | None = None,
          client: Client | None = None, progress: Callable[[int], None] = lambda n: None,
          pause: float = 1.0, sleep: Callable[[float], None] = time.sleep,
          today: date | None = None) -> dict[str, Any]:
    """Fetch every endpoint for Afghanistan into one snapshot (``since`` is not used: HAPI
    serves each dataset whole, and an unchanged dataset writes nothing)."""
    base = base_url or (os.environ if env is None else env).get("HDX_BASE_URL", BASE_URL)
    if dry_run:
        return {"source": SOURCE, "dry_run": True, "requests": [
            f"GET {base}/api/v2/{endpoint} {where}=AFG output_format=csv "
            f"(header X-HDX-HAPI-APP-IDENTIFIER)" for endpoint, where in ENDPOINTS.values()]}
    identifier = app_identifier(env)
    client = client or Client(base, "hdx")
    # a header, not a query parameter: it carries the user's e-mail (base64), which must
    # not land in logs or in the snapshot record's query
    client.headers["X-HDX-HAPI-APP-IDENTIFIER"] = identifier
    started = datetime.now(UTC)
    tables = {}
    for name, (endpoint, where) in ENDPOINTS.items():
        params = {where: "AFG", "output_format": "csv"}
        tables[name] = _csv_pages(client, endpoint, params, pause, sleep, progress)
        sleep(pause)
    with Snapshot(out, SOURCE, today) as snap:
        for name, (text, rows) in tables.items():
            snap.write(name, text.encode("utf-8"), rows=rows)
        where_to = snap.commit({
            "url": f"{base}/api/v2/", "query": {name: {"endpoint": e, w: "AFG",
                                                      "output_format": "csv"}
                                               for name, (e, w) in ENDPOINTS.items()},
            "fetched_at": started.isoformat(timespec="seconds"), "http_status": 200,
            "requests": client.requests_sent, "version": "HDX HAPI v2",
            "licence": LICENCE, "citation": "OCHA Centre for Humanitarian Data, HDX HAPI"})
    return {"source": SOURCE, "new": sum(r for _, r in tables.values()),
            "snapshot": str(where_to) if where_to else None,
            "message": "written" if where_to else "no new data"}
