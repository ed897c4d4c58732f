"""ACLED events for Afghanistan, through ACLED's API (OAuth, 2025 onwards).

* **Authentication** — OAuth password grant: ``POST <base>/oauth/token`` with the
  account's e-mail (``username``), ``password``, ``grant_type=password`` and
  ``client_id=acled``; the access token (24 h) goes in ``Authorization: Bearer``, and is
  renewed with the refresh token (``grant_type=refresh_token``) when it expires or is
  refused. The older e-mail + key access was retired in 2025. Credentials come only from
  ``ACLED_EMAIL`` and ``ACLED_PASSWORD``; tokens live in memory, never on disk or in logs.
* **Events** — ``GET <base>/api/acled/read?_format=json&country=Afghanistan`` with
  ``timestamp=<unix>&timestamp_where=>=`` (every event added *or revised* since the last
  snapshot), ``limit`` / ``page`` (pages of 5,000 until a short page).
* **Deletions** — ``GET <base>/api/deleted/read?_format=json&deleted_timestamp=<unix>
  &deleted_timestamp_where=>=``: ids ACLED removed, applied to the local copy.

Each snapshot holds the whole Afghanistan history as ACLED has it now (the previous
snapshot, updated with revised events, new events and deletions), as
``acled_afghanistan.csv`` in ACLED's export layout. ACLED's terms apply: raw ACLED data
stays in ``data/raw/`` (git-ignored) and reports cite ACLED as its attribution policy asks.
"""

from __future__ import annotations

import csv
import io
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from helpers.fetch.http import BadResponse, Client, CredentialsRefused, MissingCredentials
from helpers.fetch.snapshot import Snapshot, newest, read_record

SOURCE = "acled"
BASE_URL = "https://acleddata.com"
VARIABLES = ("ACLED_EMAIL", "ACLED_PASSWORD")
PAGE_SIZE = 5000
COUNTRY = "Afghanistan"
FILE = "acled_afghanistan.csv"
LICENCE = ("ACLED Terms of Use and attribution policy (acleddata.com); raw data may not be "
           "redistributed: it stays in data/raw/")


class Token:
    """The OAuth token, kept in memory only."""

    def __init__(self, client: Client, email: str, password: str):
        self.client, self.email, self.password = client, email, password
        self.access: str | None = None
        self.refresh: str | None = None
        self.expires = 0.0

    def _grant(self, form: dict[str, str]) -> None:
        answer = self.client.json("POST", "/oauth/token", data={**form, "client_id": "acled"})
        if not isinstance(answer, dict) or not answer.get("access_token"):
            raise BadResponse("acled: the token endpoint answered without an access_token")
        self.access = answer["access_token"]
        self.refresh = answer.get("refresh_token")
        self.expires = time.monotonic() + float(answer.get("expires_in") or 3600) - 60

    def header(self, renew: bool = False) -> dict[str, str]:
        """``Authorization`` for the next request (renewing the token when due)."""
        if self.access is None:
            self._grant({"grant_type": "password", "username": self.email,
                         "password": self.password})
        elif renew or time.monotonic() >= self.expires:
            if self.refresh:
                try:
                    self._grant({"grant_type": "refresh_token",
                                 "refresh_token": self.refresh})
                except CredentialsRefused:
                    self._grant({"grant_type": "password", "username": self.email,
                                 "password": self.password})
            else:
                self._grant({"grant_type": "password", "username": self.email,
                             "password": self.password})
        return {"Authorization": f"Bearer {self.access}"}


def credentials(env: dict[str, str] | None = None) -> tuple[str, str]:
    """(e-mail, password) from the environment, or :class:`MissingCredentials`."""
    env = dict(os.environ if env is None else env)
    missing = [v for v in VARIABLES if not env.get(v)]
    if missing:
        raise MissingCredentials(f"acled: set {' and '.join(missing)} (your ACLED account's "
                                 "e-mail and password) to fetch ACLED events")
    return env["ACLED_EMAIL"], env["ACLED_PASSWORD"]


def _pages(client: Client, token: Token, path: str, params: dict[str, Any],
           progress: Callable[[int], None]) -> Iterator[list[dict]]:
    page = 1
    previous: list | None = None
    while True:
        query = {**params, "limit": PAGE_SIZE, "page": page}
        try:
            answer = client.json("GET", path, params=query, headers=token.header())
        except CredentialsRefused:  # an expired token: renew once, then give up
            answer = client.json("GET", path, params=query, headers=token.header(renew=True))
        if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
            raise BadResponse(f"acled: page {page} of {path} has no 'data' list")
        if answer.get("success") is False or answer.get("status") not in (None, 200, "200"):
            raise BadResponse(f"acled: {path} answered {answer.get('status')}: "
                              f"{answer.get('messages') or answer.get('error')}")
        rows = answer["data"]
        ids = [r.get("event_id_cnty") for r in rows]
        if rows and previous is not None and ids == previous:
            raise BadResponse(f"acled: page {page} repeats page {page - 1}; stopping rather "
                              "than looping")
        previous = ids
        progress(len(rows))
        yield rows
        if len(rows) < PAGE_SIZE:
            return
        page += 1


def _since(out: Path, since: date | None) -> tuple[int, dict[str, dict], list[str]]:
    """(unix timestamp to ask from, the previous snapshot's events by id, its columns)."""
    current = newest(out, SOURCE)
    rows: dict[str, dict] = {}
    columns: list[str] = []
    if current is not None and (current / FILE).is_file():
        with (current / FILE).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            rows = {r["event_id_cnty"]: r for r in reader}
    if since is not None:
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
    elif current is not None:
        start = datetime.fromisoformat(read_record(current)["fetched_at"])
    else:
        start = datetime(1997, 1, 1, tzinfo=UTC)  # ACLED's first year: everything
    return int(start.timestamp()), rows, columns


def fetch(out: Path, *, since: date | None = None, dry_run: bool = False,
          env: dict[str, str] | None = None, base_url: str | None = None,
          client: Client | None = None, progress: Callable[[int], None] = lambda n: None,
          today: date | None = None) -> dict[str, Any]:
    """Fetch what changed since the last snapshot; return a summary (see :func:`run`)."""
    out = Path(out)
    stamp, previous, columns = _since(out, since)
    events = {"_format": "json", "country": COUNTRY, "timestamp": stamp,
              "timestamp_where": ">="}
    deletions = {"_format": "json", "deleted_timestamp": stamp,
                 "deleted_timestamp_where": ">="}
    base = base_url or (os.environ if env is None else env).get("ACLED_BASE_URL", BASE_URL)
    if dry_run:
        return {"source": SOURCE, "dry_run": True, "requests": [
            f"POST {base}/oauth/token (password grant; ACLED_EMAIL, ACLED_PASSWORD)",
            f"GET {base}/api/acled/read {events} (pages of {PAGE_SIZE})",
            f"GET {base}/api/deleted/read {deletions}"]}
    email, password = credentials(env)
    client = client or Client(base, "acled")
    token = Token(client, email, password)
    started = datetime.now(UTC)
    fresh = [r for page in _pages(client, token, "/api/acled/read", events, progress)
             for r in page]
    removed = [r.get("event_id_cnty") for page in
               _pages(client, token, "/api/deleted/read", deletions, progress) for r in page]
    if not fresh and not [i for i in removed if i in previous]:
        return {"source": SOURCE, "new": 0, "deleted": 0, "snapshot": None,
                "message": "no new data"}
    merged = dict(previous)
    for row in fresh:
        merged[str(row.get("event_id_cnty"))] = {k: "" if v is None else str(v)
                                                 for k, v in row.items()}
    gone = [i for i in removed if i in merged]
    for event_id in gone:
        del merged[event_id]
    names = list(dict.fromkeys(columns + [k for r in fresh for k in r]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for event_id in sorted(merged):
        writer.writerow(merged[event_id])
    with Snapshot(out, SOURCE, today) as snap:
        snap.write(FILE, buffer.getvalue().encode("utf-8"), rows=len(merged))
        where = snap.commit({
            "url": f"{base}/api/acled/read", "query": events,
            "deletions_url": f"{base}/api/deleted/read", "deletions_query": deletions,
            "fetched_at": started.isoformat(timespec="seconds"), "http_status": 200,
            "requests": client.requests_sent, "new_or_revised": len(fresh),
            "deleted": len(gone), "version": f"ACLED API, events up to "
            f"{max((r.get('event_date') or '' for r in merged.values()), default='?')}",
            "licence": LICENCE, "citation": "Armed Conflict Location & Event Data (ACLED), "
            "acleddata.com"})
    return {"source": SOURCE, "new": len(fresh), "deleted": len(gone),
            "snapshot": str(where) if where else None,
            "message": "written" if where else "no new data"}
