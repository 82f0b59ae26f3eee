"""The QuickBooks Online Accounting API v3 over httpx: paced, retried where that is safe, and every call audited.

Every call carries `minorversion=75` (Intuit ignores older ones) and goes to `/v3/company/{realmId}/...`. Only
reads and writes with a `requestid` are retried: Intuit answers a repeated `requestid` with the first answer, so
a retry after a lost answer never acts twice. A 429 is waited out (60 s unless told otherwise) and resumed; 5xx
answers and dropped connections back off. The `intuit_tid` of every failed call goes into the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from app.sync import http
from app.sync.http import HTTP_TIMEOUT, ApiClient, ApiError, dumps_exact, read_body
from app.sync.provider import Recorder
from app.sync.quickbooks.pacing import Pacer

PRODUCTION_URL = "https://quickbooks.api.intuit.com"
SANDBOX_URL = "https://sandbox-quickbooks.api.intuit.com"
MINOR_VERSION = "75"
THROTTLE_SECONDS = 60
"""Intuit's advice after a 429 when the answer names no `Retry-After`."""


class QuickBooksError(ApiError):
    """A whole QuickBooks call failed; the sentence says why in the user's terms."""


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


def faults(body: Any) -> list[Fault]:
    """The errors of a `{"Fault": {"Error": [...]}}` body (or of the Fault object itself)."""
    if not isinstance(body, dict):
        return []
    fault = body.get("Fault", body)
    errors = fault.get("Error") if isinstance(fault, dict) else None
    return [Fault(str(e.get("code", "")), str(e.get("Message", "")), str(e.get("Detail", "")),
                  str(e.get("element", ""))) for e in errors or [] if isinstance(e, dict)]


@dataclass(frozen=True, slots=True)
class Answer(http.Answer):
    @property
    def faults(self) -> list[Fault]:
        return faults(self.body)


class QuickBooksClient(ApiClient[Answer]):
    """`auth` signs requests with the bearer token; `api_url`, `realm_id` and `transport` are injectable."""

    error = QuickBooksError
    unreachable = "QuickBooks could not be reached, or the connection dropped before it answered."
    retry_after = str(THROTTLE_SECONDS)

    def __init__(self, api_url: str, realm_id: str, auth: httpx.Auth, pacer: Pacer, recorder: Recorder, *,
                 transport: httpx.BaseTransport | None = None, timeout: float = HTTP_TIMEOUT) -> None:
        if not realm_id:
            raise QuickBooksError("QuickBooks has no company id for this connection; connect QuickBooks again.")
        super().__init__(auth, pacer.limiter, recorder, transport=transport, timeout=timeout)
        self._base = f"{(api_url or PRODUCTION_URL).rstrip('/')}/v3/company/{realm_id}"
        self._pacer = pacer

    def get(self, path: str, params: Mapping[str, str] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Answer:
        return self.request("GET", path, params=params, cancelled=cancelled)

    def query(self, text: str, cancelled: Callable[[], bool] | None = None) -> Answer:
        return self.request("GET", "query", params={"query": text}, cancelled=cancelled)

    def request(self, method: str, path: str, *, params: Mapping[str, str] | None = None, body: Any = None,
                requestid: str = "", transformed: str = "", remote_ids: Callable[[Any], tuple[str, ...]] | None = None,
                batch: bool = False, cancelled: Callable[[], bool] | None = None,
                multipart: tuple[bytes, str] | None = None) -> Answer:
        """One logical call; returns the final answer (2xx, or a 400 Fault) or raises `QuickBooksError`.
        `multipart` (the body and its content type) is sent instead of `body` as JSON (uploads)."""
        query = {**(params or {}), "minorversion": MINOR_VERSION}
        if requestid:
            query["requestid"] = requestid
        content = dumps_exact(body, fixed=True) if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else {}
        if multipart is not None:
            content, headers = multipart[0], {"Content-Type": multipart[1]}
        return self._send(method, f"{self._base}/{path.lstrip('/')}", path, params=query, content=content,
                          headers=headers, key=requestid, transformed=transformed, remote_ids=remote_ids,
                          cancelled=cancelled, turn=lambda: self._pacer.turn(batch, cancelled))

    def _answer(self, response: httpx.Response) -> Answer:
        return Answer(response.status_code, read_body(response, _system_fault), response.headers)

    def _endpoint(self, path: str, params: Mapping[str, str] | None) -> str:
        """The query text is cut short and kept last, where it cannot hide the other parameters."""
        query = params or {}
        endpoint = super()._endpoint(path, {k: v for k, v in query.items() if k != "query"})
        return endpoint + f"&query={query['query'][:200]}" if "query" in query else endpoint

    def _checked(self, answer: Answer) -> Answer:
        """Decided by HTTP status: 401/403 have shapes of their own, a 400 carries the Fault the caller reads."""
        status = answer.status
        tid = answer.headers.get("intuit_tid", "")
        trace = f" (intuit_tid {tid})" if tid else ""
        if status == 401:
            raise QuickBooksError("QuickBooks refused the stored sign-in. Reconnect QuickBooks in Settings → "
                                  "Accounts, or run 'timetally accounts connect quickbooks'.", status)
        if status == 403:
            raise QuickBooksError(f"QuickBooks does not allow this{trace}: the signed-in user needs accounting "
                                  "permissions in this company.", status)
        if status == 429:
            raise QuickBooksError("QuickBooks' request limit for this company is used up; try again in a minute.",
                                  status, retryable=True)
        if status >= 500:
            raise QuickBooksError(f"QuickBooks had a problem (HTTP {status}){trace}; nothing was lost, send again "
                                  "later.", status, retryable=True)
        if status >= 400 and not answer.faults:
            raise QuickBooksError(f"QuickBooks refused the request (HTTP {status}){trace}.", status)
        return answer

    def _problem(self, answer: Answer) -> str:
        """Intuit's codes and sentences, with the `intuit_tid` support needs to trace the call."""
        tid = answer.headers.get("intuit_tid", "")
        found = answer.faults + [f for item in _items(answer.body) for f in faults(item)]
        if not found and 200 <= answer.status < 300:
            return ""
        text = "; ".join(f.sentence() for f in found)[:400] or f"HTTP {answer.status}"
        return f"{text} [intuit_tid {tid}]" if tid else text


def _items(body: Any) -> list[Any]:
    return list(body.get("BatchItemResponse") or []) if isinstance(body, dict) else []


def _system_fault(text: str) -> Any:
    return {"Fault": {"Error": [{"Message": text}], "type": "SystemFault"}}
