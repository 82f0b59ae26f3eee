"""The Xero Accounting API over httpx: paced, retried where that is safe, and every call audited.

Only idempotent requests are retried: GETs, and PUT/POST carrying an `Idempotency-Key`. 429 waits `Retry-After`;
5xx answers and dropped connections back off. Amounts go out as exact JSON numbers and come back as `Decimal`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import httpx

from app.sync.http import HTTP_TIMEOUT, Answer, ApiClient, ApiError, dumps_exact, read_body
from app.sync.provider import Recorder
from app.sync.ratelimit import RateLimiter

_MS_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


class XeroError(ApiError):
    """A whole Xero call failed; the sentence says why in the user's terms."""


def parse_ms_date(value: str | None) -> datetime | None:
    """`/Date(1552262400000+0000)/` (or ISO text) as an aware UTC instant."""
    if not value:
        return None
    found = _MS_DATE.fullmatch(value.strip())
    if found:
        return datetime.fromtimestamp(int(found.group(1)) / 1000, UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_day(value: str | None) -> date | None:
    moment = parse_ms_date(value)
    return moment.date() if moment else None


class XeroClient(ApiClient[Answer]):
    """`auth` signs requests (bearer + xero-tenant-id); `transport` and `api_url` are injectable for tests."""

    error = XeroError
    unreachable = "Xero could not be reached, or the connection dropped before it answered."

    def __init__(self, api_url: str, auth: httpx.Auth, limiter: RateLimiter, recorder: Recorder, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = HTTP_TIMEOUT) -> None:
        super().__init__(auth, limiter, recorder, transport=transport, timeout=timeout)
        self._api_url = api_url.rstrip("/")

    def get(self, path: str, params: Mapping[str, str] | None = None, *, since: datetime | None = None,
            cancelled: Callable[[], bool] | None = None) -> Answer:
        headers = {"If-Modified-Since": _http_date(since)} if since else {}
        return self.request("GET", path, params=params, headers=headers, cancelled=cancelled)

    def request(self, method: str, path: str, *, params: Mapping[str, str] | None = None, body: Any = None,
                headers: Mapping[str, str] | None = None, idempotency_key: str = "", transformed: str = "",
                remote_ids: Callable[[Any], tuple[str, ...]] | None = None,
                cancelled: Callable[[], bool] | None = None, file: bytes | None = None) -> Answer:
        """One logical call; returns the final answer (2xx, 304 or 4xx other than 429) or raises `XeroError`.
        `file` is sent as the raw body (attachments), instead of `body` as JSON."""
        send_headers = dict(headers or {})
        if idempotency_key:
            send_headers["Idempotency-Key"] = idempotency_key
        content = file
        if file is not None:
            send_headers["Content-Type"] = "application/octet-stream"
        elif body is not None:
            content = dumps_exact(body)
            send_headers["Content-Type"] = "application/json"
        return self._send(method, f"{self._api_url}/{path.lstrip('/')}", path, params=params, content=content,
                          headers=send_headers, key=idempotency_key, transformed=transformed, remote_ids=remote_ids,
                          cancelled=cancelled, turn=lambda: self._limiter.slot(cancelled))

    def _answer(self, response: httpx.Response) -> Answer:
        return Answer(response.status_code, read_body(response, lambda text: {"Message": text}), response.headers)

    def _problem(self, answer: Answer) -> str:
        return "" if 200 <= answer.status < 300 else _summary(answer)

    def _observe(self, headers: Mapping[str, str]) -> None:
        """Xero says how many calls are left this minute; none left stops every thread until the window moves."""
        self._limiter.observe(headers)

    def _checked(self, answer: Answer) -> Answer:
        status = answer.status
        if status == 401:
            raise XeroError("Xero refused the stored sign-in. Reconnect Xero in Preferences → Accounts, or run "
                            "'timetally accounts connect xero'.", status)
        if status == 403:
            raise XeroError(f"Xero does not allow this: {_summary(answer) or 'forbidden'}. Reconnect Xero to grant "
                            "the invoices, contacts and settings permissions, or pick another organisation.", status)
        if status == 404:
            raise XeroError(f"Xero has no such record ({_summary(answer) or 'not found'}).", status)
        if status == 429:
            problem = answer.headers.get("X-Rate-Limit-Problem", "minute")
            raise XeroError(f"Xero's {problem} limit is used up; try again later.", status, retryable=True)
        if status >= 500:
            raise XeroError(f"Xero had a problem (HTTP {status}); nothing was lost, send again later.", status,
                            retryable=True)
        return answer


def validation_messages(body: Any) -> list[str]:
    """Xero's own sentences from a ValidationException, a problem JSON, or a document's ValidationErrors."""
    if not isinstance(body, dict):
        return []
    found = [str(e.get("Message")) for e in body.get("ValidationErrors") or [] if e.get("Message")]
    for element in body.get("Elements") or []:
        found += validation_messages(element)
    if not found:
        found = [str(body[k]) for k in ("Message", "Detail", "Title") if body.get(k)][:1]
    return found


def _summary(answer: Answer) -> str:
    return "; ".join(validation_messages(answer.body))[:500] or (f"HTTP {answer.status}" if answer.status else "")


def _http_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
