"""One HTTP client for every provider: retries with backoff, honest errors, no secrets logged.

* 429 and 5xx (and dropped connections) are retried with exponential backoff and jitter,
  honouring ``Retry-After``; after the last attempt :class:`GaveUp` says what failed. A
  ``Retry-After`` longer than :attr:`Client.max_wait` (a quota reset hours away) stops at
  once with :class:`QuotaExhausted`, saying when to resume.
* 401 and 403 raise :class:`CredentialsRefused`: retrying will not help.
* A body that is not the JSON (or CSV) it claims to be raises :class:`BadResponse`.

Nothing secret is ever logged: requests are logged as method, URL path and the query
parameters, and credentials travel only in POST bodies and headers, never in a query.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

log = logging.getLogger(__name__)

#: Statuses worth another try (rate limit, server trouble).
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A fetch that cannot complete; ``exit_code`` is what the command returns."""

    exit_code = 1


class MissingCredentials(FetchError):
    """Environment variables a source needs are not set (no request was sent)."""

    exit_code = 2


class CredentialsRefused(FetchError):
    """The provider refused the credentials (HTTP 401 / 403)."""

    exit_code = 3


class QuotaExhausted(FetchError):
    """The provider's request quota is used up; ``resume_at`` says when to try again."""

    exit_code = 4

    def __init__(self, message: str, resume_at: datetime | None = None):
        super().__init__(message)
        self.resume_at = resume_at


class GaveUp(FetchError):
    """Retries exhausted on 429 / 5xx / connection errors."""

    exit_code = 5


class BadResponse(FetchError):
    """The provider answered with something the workbook cannot use (truncated or
    malformed JSON / CSV, a page repeating the previous one, an unexpected status)."""

    exit_code = 6


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class Client:
    """HTTP with retries against one provider (``base_url``); ``sleep`` and ``jitter`` are
    injectable so tests never wait."""

    base_url: str
    name: str
    attempts: int = 5
    backoff: float = 1.0
    max_wait: float = 120.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    headers: dict[str, str] = field(default_factory=dict)
    session: Any = None
    requests_sent: int = 0

    def __post_init__(self) -> None:
        if self.session is None:
            import requests

            self.session = requests.Session()
            self.session.headers["User-Agent"] = "afghan-resistance-workbook (research)"

    def url(self, path: str) -> str:
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None,
                headers: Mapping[str, str] | None = None):
        """Send one request, retrying as the module docstring says; return the response."""
        import requests

        url = path if path.startswith("http") else self.url(path)
        shown = urlsplit(url).path
        last = "no answer"
        for attempt in range(1, self.attempts + 1):
            self.requests_sent += 1
            log.info("%s %s %s %s", self.name, method, shown, dict(params or {}))
            try:
                response = self.session.request(method, url, params=params, data=data,
                                                headers={**self.headers, **(headers or {})},
                                                timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = f"connection failed ({type(exc).__name__})"
                wait = None
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return response
                if status in (401, 403):
                    raise CredentialsRefused(
                        f"{self.name}: the credentials were refused (HTTP {status})")
                if status not in RETRY_STATUSES:
                    raise BadResponse(f"{self.name}: HTTP {status} for {shown}: "
                                      f"{_snippet(response.text)}")
                last = f"HTTP {status}"
                wait = retry_after(response.headers.get("Retry-After"))
                if status == 429 and wait is not None and wait > self.max_wait:
                    resume = datetime.now(UTC) + timedelta(seconds=wait)
                    raise QuotaExhausted(
                        f"{self.name}: request quota used up; resume after "
                        f"{resume:%Y-%m-%d %H:%M} UTC", resume)
            if attempt == self.attempts:
                break
            delay = wait if wait is not None else self.backoff * 2 ** (attempt - 1)
            delay = min(delay, self.max_wait) + self.jitter() * self.backoff
            log.warning("%s: %s; retry %d of %d in %.1f s", self.name, last, attempt,
                        self.attempts - 1, delay)
            self.sleep(delay)
        if last == "HTTP 429":
            raise QuotaExhausted(f"{self.name}: still rate-limited after {self.attempts} "
                                 "attempts; try again later")
        raise GaveUp(f"{self.name}: gave up after {self.attempts} attempts ({last})")

    def json(self, method: str, path: str, **kw: Any) -> Any:
        """:meth:`request`, then the body as JSON (a clear error when it is not)."""
        response = self.request(method, path, **kw)
        try:
            return json.loads(response.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadResponse(f"{self.name}: the answer to {urlsplit(response.url).path} is "
                              f"not complete JSON ({exc}); the download was probably cut off"
                              ) from None


def _snippet(text: str, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    return text[:limit] + ("…" if len(text) > limit else "")
