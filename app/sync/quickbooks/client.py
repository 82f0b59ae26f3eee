"""The QuickBooks Online Accounting API v3 over httpx: paced, retried where that is safe, and every call audited.

Every call carries `minorversion=75` (Intuit ignores older ones) and goes to `/v3/company/{realmId}/...`. Only
reads and writes with a `requestid` are retried: Intuit answers a repeated `requestid` with the first answer, so
a retry after a lost answer never acts twice. A 429 is waited out (60 s unless told otherwise) and resumed; 5xx
answers and dropped connections back off. The `intuit_tid` of every failed call goes into the audit log.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from app.domain.errors import TimeTallyError
from app.sync.audit import limit_headers
from app.sync.provider import Exchange, Recorder
from app.sync.quickbooks.pacing import Pacer

PRODUCTION_URL = "https://quickbooks.api.intuit.com"
SANDBOX_URL = "https://sandbox-quickbooks.api.intuit.com"
MINOR_VERSION = "75"
HTTP_TIMEOUT = 60.0
THROTTLE_SECONDS = 60
"""Intuit's advice after a 429 when the answer names no `Retry-After`."""
_DECIMAL_MARK = "\u0000dec:"


class QuickBooksError(TimeTallyError):
    """A whole QuickBooks call failed; the sentence says why in the user's terms."""

    def __init__(self, message: str, status: int = 0, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class Fault:
    """One error of a `Fault` answer: Intuit's numeric code, its sentence and the element it is about."""

    code: str
    message: str
    detail: str = ""
    element: str = ""

    def sentence(self) -> str:
        text = self.detail or self.message
        return f"{text} (QuickBooks error {self.code})" if self.code else text


def dumps_exact(body: Any) -> bytes:
    """JSON with every `Decimal` written as the very digits it holds (never through a binary float)."""

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{_DECIMAL_MARK}{value:f}"
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    text = json.dumps(body, default=mark, ensure_ascii=False)
    return re.sub(r'"\\u0000dec:([-+0-9.Ee]+)"', r"\1", text).encode()


def loads_exact(content: bytes) -> Any:
    return json.loads(content, parse_float=Decimal)


def faults(body: Any) -> list[Fault]:
    """The errors of a `{"Fault": {"Error": [...]}}` body (or of the Fault object itself)."""
    if not isinstance(body, dict):
        return []
    fault = body.get("Fault", body)
    errors = fault.get("Error") if isinstance(fault, dict) else None
    return [Fault(str(e.get("code", "")), str(e.get("Message", "")), str(e.get("Detail", "")),
                  str(e.get("element", ""))) for e in errors or [] if isinstance(e, dict)]


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def faults(self) -> list[Fault]:
        return faults(self.body)


class QuickBooksClient:
    """`auth` signs requests with the bearer token; `api_url`, `realm_id` and `transport` are injectable."""

    def __init__(self, api_url: str, realm_id: str, auth: httpx.Auth, pacer: Pacer, recorder: Recorder, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = HTTP_TIMEOUT) -> None:
        if not realm_id:
            raise QuickBooksError("QuickBooks has no company id for this connection; connect QuickBooks again.")
        self._base = f"{(api_url or PRODUCTION_URL).rstrip('/')}/v3/company/{realm_id}"
        self._pacer = pacer
        self._record = recorder
        self._http = httpx.Client(auth=auth, transport=transport, timeout=timeout,
                                  headers={"Accept": "application/json", "User-Agent": "TimeTally"})

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: Mapping[str, str] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Answer:
        return self.request("GET", path, params=params, cancelled=cancelled)

    def query(self, text: str, cancelled: Callable[[], bool] | None = None) -> Answer:
        return self.request("GET", "query", params={"query": text}, cancelled=cancelled)

    def request(self, method: str, path: str, *, params: Mapping[str, str] | None = None, body: Any = None,
                requestid: str = "", transformed: str = "", remote_ids: Callable[[Any], tuple[str, ...]] | None = None,
                batch: bool = False, cancelled: Callable[[], bool] | None = None) -> Answer:
        """One logical call; returns the final answer (2xx, or a 400 Fault) or raises `QuickBooksError`."""
        query = {**(params or {}), "minorversion": MINOR_VERSION}
        if requestid:
            query["requestid"] = requestid
        safe = method == "GET" or bool(requestid)
        content = dumps_exact(body) if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else {}
        url = f"{self._base}/{path.lstrip('/')}"
        limiter = self._pacer.limiter
        attempts = limiter.limits.max_retries + 1 if safe else 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            response: httpx.Response | None = None
            with self._pacer.turn(batch, cancelled):
                started, clock = datetime.now(UTC), time.monotonic()
                try:
                    response = self._http.request(method, url, params=query, content=content, headers=headers)
                except httpx.TransportError as exc:
                    self._audit(method, path, query, 0, started, clock, requestid, transformed, {}, (),
                                f"no answer: {type(exc).__name__}")
                    if last:
                        raise QuickBooksError("QuickBooks could not be reached, or the connection dropped before it "
                                              "answered.", retryable=True) from exc
            if response is None:
                limiter.pause(limiter.backoff(attempt), cancelled)
                continue
            answer = Answer(response.status_code, _body(response), response.headers)
            ids = remote_ids(answer.body) if remote_ids and response.is_success else ()
            self._audit(method, path, query, response.status_code, started, clock, requestid, transformed,
                        response.headers, ids, _problem(answer))
            if response.status_code == 429 and not last:
                limiter.throttle(response.headers.get("Retry-After", str(THROTTLE_SECONDS)), attempt)
                continue
            if response.status_code >= 500 and safe and not last:
                limiter.pause(limiter.backoff(attempt), cancelled)
                continue
            return _checked(answer)
        raise AssertionError("the retry loop always returns or raises")

    def _audit(self, method: str, path: str, query: Mapping[str, str], status: int, started: datetime, clock: float,
               key: str, transformed: str, headers: Mapping[str, str], ids: tuple[str, ...], error: str) -> None:
        shown = {k: v for k, v in query.items() if k != "query"}
        endpoint = f"/{path.lstrip('/')}" + ("?" + str(httpx.QueryParams(shown)) if shown else "")
        if "query" in query:
            endpoint += f"&query={query['query'][:200]}"
        self._record(Exchange(method, endpoint, status, started, int((time.monotonic() - clock) * 1000), key, ids,
                              transformed, limit_headers(headers), error))


def _checked(answer: Answer) -> Answer:
    """Decided by HTTP status: 401/403 have shapes of their own, a 400 carries the Fault the caller reads."""
    status = answer.status
    tid = answer.headers.get("intuit_tid", "")
    trace = f" (intuit_tid {tid})" if tid else ""
    if status == 401:
        raise QuickBooksError("QuickBooks refused the stored sign-in. Reconnect QuickBooks in Settings → Accounts, "
                              "or run 'timetally accounts connect quickbooks'.", status)
    if status == 403:
        raise QuickBooksError(f"QuickBooks does not allow this{trace}: the signed-in user needs accounting "
                              "permissions in this company.", status)
    if status == 429:
        raise QuickBooksError("QuickBooks' request limit for this company is used up; try again in a minute.",
                              status, retryable=True)
    if status >= 500:
        raise QuickBooksError(f"QuickBooks had a problem (HTTP {status}){trace}; nothing was lost, send again later.",
                              status, retryable=True)
    if status >= 400 and not answer.faults:
        raise QuickBooksError(f"QuickBooks refused the request (HTTP {status}){trace}.", status)
    return answer


def _problem(answer: Answer) -> str:
    """For the audit log: Intuit's codes and sentences, with the `intuit_tid` support needs to trace the call."""
    tid = answer.headers.get("intuit_tid", "")
    found = answer.faults + [f for item in _items(answer.body) for f in faults(item)]
    if not found and 200 <= answer.status < 300:
        return ""
    text = "; ".join(f.sentence() for f in found)[:400] or f"HTTP {answer.status}"
    return f"{text} [intuit_tid {tid}]" if tid else text


def _items(body: Any) -> list[Any]:
    return list(body.get("BatchItemResponse") or []) if isinstance(body, dict) else []


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return loads_exact(response.content)
    except ValueError:
        return {"Fault": {"Error": [{"Message": response.text[:200]}], "type": "SystemFault"}}
