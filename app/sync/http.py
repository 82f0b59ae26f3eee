"""What the accounting connectors share on the wire: exact JSON money, and one paced, retried, audited call.

The retry rules are the same for every provider: only safe calls (GETs, and writes carrying an idempotency key)
are repeated; a 429 is waited out for everyone and resumed; 5xx answers and dropped connections back off. Each
connector says how to read its answers and how to word its failures.
"""

from __future__ import annotations

import json
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import httpx

from app.domain.errors import TimeTallyError
from app.sync.provider import Cancelled, Exchange, Recorder
from app.sync.ratelimit import RateLimiter

HTTP_TIMEOUT = 60.0
_NOT_ACTED = (401, 403, 429)
"""Answers that say the provider did nothing with the request."""
_DECIMAL_MARK = "\u0000dec:"
_LIMIT_HEADER = re.compile(r"^x-.*limit-remaining$|^x-rate-limit-problem$|^retry-after$", re.IGNORECASE)


def limit_headers(headers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """`X-*Limit-Remaining`, `X-Rate-Limit-Problem` and `Retry-After`, names in lower case, for the audit log."""
    return tuple(sorted((k.lower(), v) for k, v in headers.items() if _LIMIT_HEADER.match(k)))


def dumps_exact(body: Any, *, fixed: bool = False) -> bytes:
    """JSON with every `Decimal` written as the very digits it holds (never through a binary float).

    `fixed` writes them without an exponent (`1E+2` as `100`), for APIs that do not read exponents.
    """

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{_DECIMAL_MARK}{value:f}" if fixed else f"{_DECIMAL_MARK}{value}"
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    text = json.dumps(body, default=mark, ensure_ascii=False)
    return re.sub(r'"\\u0000dec:([-+0-9.Ee]+)"', r"\1", text).encode()


def loads_exact(content: bytes) -> Any:
    return json.loads(content, parse_float=Decimal)


class ApiError(TimeTallyError):
    """A whole call to an accounting API failed; the sentence says why in the user's terms."""

    def __init__(self, message: str, status: int = 0, retryable: bool = False, acted: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.acted = acted
        """False when the provider certainly did not act: no attempt reached it, or it refused the sign-in."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Any
    headers: Mapping[str, str]


AnswerT = TypeVar("AnswerT", bound=Answer)
Turn = Callable[[], AbstractContextManager[None]]
"""Waits for the provider's rate limits and holds a slot for the length of one attempt."""


class ApiClient(ABC, Generic[AnswerT]):
    """The httpx client and retry loop of a connector; subclasses read, check and describe the answers."""

    error: type[ApiError] = ApiError
    unreachable = "The accounting system could not be reached, or the connection dropped before it answered."
    retry_after: str | None = None
    """What a 429 without `Retry-After` waits (seconds as text); None backs off instead."""

    def __init__(self, auth: httpx.Auth, limiter: RateLimiter, recorder: Recorder, *,
                 transport: httpx.BaseTransport | None, timeout: float) -> None:
        self._limiter = limiter
        self._record = recorder
        self._http = httpx.Client(auth=auth, transport=transport, timeout=timeout,
                                  headers={"Accept": "application/json", "User-Agent": "TimeTally"})

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, url: str, path: str, *, params: Mapping[str, str] | None, content: bytes | None,
              headers: Mapping[str, str], key: str, transformed: str,
              remote_ids: Callable[[Any], tuple[str, ...]] | None, cancelled: Callable[[], bool] | None,
              turn: Turn) -> AnswerT:
        """One logical call: the checked final answer, after retrying what is safe to retry."""
        safe = method == "GET" or bool(key)
        limiter = self._limiter
        attempts = limiter.limits.max_retries + 1 if safe else 1
        acted = False
        """Whether the provider may have acted on an attempt: it answered (other than 401, 403 or 429), or the
        connection broke after the request went out. A connection that was never made reached nobody."""
        try:
            for attempt in range(attempts):
                last = attempt == attempts - 1
                response: httpx.Response | None = None
                with turn():
                    started, clock = datetime.now(UTC), time.monotonic()
                    try:
                        response = self._http.request(method, url, params=params, content=content, headers=headers)
                    except httpx.TransportError as exc:
                        acted = acted or not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                        self._audit(method, path, params, 0, started, clock, key, transformed, {}, (),
                                    f"no answer: {type(exc).__name__}")
                        if last:
                            raise self.error(self.unreachable, retryable=True, acted=acted) from exc
                if response is None:
                    limiter.pause(limiter.backoff(attempt), cancelled)
                    continue
                acted = acted or response.status_code not in _NOT_ACTED
                answer = self._answer(response)
                ids = remote_ids(answer.body) if remote_ids and response.is_success else ()
                self._audit(method, path, params, response.status_code, started, clock, key, transformed,
                            response.headers, ids, self._problem(answer))
                self._observe(response.headers)
                if response.status_code == 429 and not last:
                    limiter.throttle(response.headers.get("Retry-After", self.retry_after), attempt)
                    continue
                if response.status_code >= 500 and safe and not last:
                    limiter.pause(limiter.backoff(attempt), cancelled)
                    continue
                return self._checked(answer)
        except ApiError as exc:
            exc.acted = exc.acted and acted
            raise
        except Cancelled as exc:
            raise Cancelled(acted=exc.acted or acted) from exc
        raise AssertionError("the retry loop always returns or raises")

    @abstractmethod
    def _answer(self, response: httpx.Response) -> AnswerT:
        """The provider's reading of a response."""

    @abstractmethod
    def _checked(self, answer: AnswerT) -> AnswerT:
        """The answer the caller reads, or the provider's failure raised as `error`."""

    @abstractmethod
    def _problem(self, answer: AnswerT) -> str:
        """What the audit log says went wrong with this answer; empty when nothing did."""

    def _endpoint(self, path: str, params: Mapping[str, str] | None) -> str:
        """The audited endpoint: path and query."""
        endpoint = f"/{path.lstrip('/')}"
        return endpoint + "?" + str(httpx.QueryParams(params)) if params else endpoint

    def _observe(self, headers: Mapping[str, str]) -> None:
        """An answer's limit headers, for providers whose limiter reads them."""

    def _audit(self, method: str, path: str, params: Mapping[str, str] | None, status: int, started: datetime,
               clock: float, key: str, transformed: str, headers: Mapping[str, str], ids: tuple[str, ...],
               error: str) -> None:
        self._record(Exchange(method, self._endpoint(path, params), status, started,
                              int((time.monotonic() - clock) * 1000), key, ids, transformed, limit_headers(headers),
                              error))


def read_body(response: httpx.Response, unreadable: Callable[[str], Any]) -> Any:
    """The answer's JSON with exact decimals; `unreadable` wraps the start of any text that is not JSON."""
    if not response.content:
        return None
    try:
        return loads_exact(response.content)
    except ValueError:
        return unreadable(response.text[:200])
