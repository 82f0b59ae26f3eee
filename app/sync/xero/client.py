"""The Xero Accounting API over httpx: paced, retried where that is safe, and every call audited.

Only idempotent requests are retried: GETs, and PUT/POST carrying an `Idempotency-Key`. 429 waits `Retry-After`;
5xx answers and dropped connections back off. Amounts go out as exact JSON numbers and come back as `Decimal`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx

from app.domain.errors import TimeTallyError
from app.sync.audit import limit_headers
from app.sync.provider import Exchange, Recorder
from app.sync.ratelimit import RateLimiter

HTTP_TIMEOUT = 60.0
_DECIMAL_MARK = "\u0000dec:"
_MS_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


class XeroError(TimeTallyError):
    """A whole Xero call failed; the sentence says why in the user's terms."""

    def __init__(self, message: str, status: int = 0, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


def dumps_exact(body: Any) -> bytes:
    """JSON with every `Decimal` written as the very digits it holds (never through a binary float)."""

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{_DECIMAL_MARK}{value}"
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    text = json.dumps(body, default=mark, ensure_ascii=False)
    return re.sub(r'"\\u0000dec:([-+0-9.Ee]+)"', r"\1", text).encode()


def loads_exact(content: bytes) -> Any:
    return json.loads(content, parse_float=Decimal)


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


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any
    headers: Mapping[str, str]


class XeroClient:
    """`auth` signs requests (bearer + xero-tenant-id); `transport` and `api_url` are injectable for tests."""

    def __init__(self, api_url: str, auth: httpx.Auth, limiter: RateLimiter, recorder: Recorder, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = HTTP_TIMEOUT) -> None:
        self._api_url = api_url.rstrip("/")
        self._limiter = limiter
        self._record = recorder
        self._http = httpx.Client(auth=auth, transport=transport, timeout=timeout,
                                  headers={"Accept": "application/json", "User-Agent": "TimeTally"})
        self.calls = 0

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: Mapping[str, str] | None = None, *, since: datetime | None = None,
            cancelled: Callable[[], bool] | None = None) -> Answer:
        headers = {"If-Modified-Since": _http_date(since)} if since else {}
        return self.request("GET", path, params=params, headers=headers, cancelled=cancelled)

    def request(self, method: str, path: str, *, params: Mapping[str, str] | None = None, body: Any = None,
                headers: Mapping[str, str] | None = None, idempotency_key: str = "", transformed: str = "",
                remote_ids: Callable[[Any], tuple[str, ...]] | None = None,
                cancelled: Callable[[], bool] | None = None) -> Answer:
        """One logical call; returns the final answer (2xx, 304 or 4xx other than 429) or raises `XeroError`."""
        safe = method == "GET" or bool(idempotency_key)
        send_headers = dict(headers or {})
        if idempotency_key:
            send_headers["Idempotency-Key"] = idempotency_key
        content = None
        if body is not None:
            content = dumps_exact(body)
            send_headers["Content-Type"] = "application/json"
        url = f"{self._api_url}/{path.lstrip('/')}"
        attempts = self._limiter.limits.max_retries + 1 if safe else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            response: httpx.Response | None = None
            with self._limiter.slot(cancelled):
                started, clock = datetime.now(UTC), time.monotonic()
                try:
                    response = self._http.request(method, url, params=params, content=content, headers=send_headers)
                    self.calls += 1
                except httpx.TransportError as exc:
                    self._audit(method, path, params, 0, started, clock, idempotency_key, transformed, {}, (),
                                f"no answer: {type(exc).__name__}")
                    if last:
                        raise XeroError("Xero could not be reached, or the connection dropped before it answered.",
                                        retryable=True) from exc
            if response is None:
                self._limiter.pause(self._limiter.backoff(attempt), cancelled)
                continue
            answer = Answer(response.status_code, _body(response), response.headers)
            ids = remote_ids(answer.body) if remote_ids and response.is_success else ()
            self._audit(method, path, params, response.status_code, started, clock, idempotency_key, transformed,
                        response.headers, ids, "" if response.is_success else _summary(answer))
            self._limiter.observe(response.headers)
            if response.status_code == 429 and not last:
                self._limiter.throttle(response.headers.get("Retry-After"), attempt)
                continue
            if response.status_code >= 500 and safe and not last:
                self._limiter.pause(self._limiter.backoff(attempt), cancelled)
                continue
            return self._checked(answer)
        raise AssertionError("the retry loop always returns or raises")

    def _checked(self, answer: Answer) -> Answer:
        status = answer.status
        if status == 401:
            raise XeroError("Xero refused the stored sign-in. Reconnect Xero in Settings → Accounts, or run "
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

    def _audit(self, method: str, path: str, params: Mapping[str, str] | None, status: int, started: datetime,
               clock: float, key: str, transformed: str, headers: Mapping[str, str], ids: tuple[str, ...],
               error: str) -> None:
        endpoint = f"/{path.lstrip('/')}"
        if params:
            endpoint += "?" + str(httpx.QueryParams(params))
        self._record(Exchange(method, endpoint, status, started, int((time.monotonic() - clock) * 1000), key, ids,
                              transformed, limit_headers(headers), error))


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


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return loads_exact(response.content)
    except ValueError:
        return {"Message": response.text[:200]}


def _http_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
