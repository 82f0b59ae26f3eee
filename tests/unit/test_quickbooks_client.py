"""The QuickBooks client over `httpx.MockTransport`: company path, minorversion on every call, retries only where a
repeat is safe, 429s waited out, the intuit_tid of failed calls in the audit, and the request pacing."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from app.sync.provider import Exchange
from app.sync.quickbooks.client import MINOR_VERSION, PRODUCTION_URL, SANDBOX_URL, QuickBooksClient, QuickBooksError
from app.sync.quickbooks.pacing import Pacer
from app.sync.ratelimit import Limits, RateLimiter

FAST = Limits(per_window=500, window_seconds=60.0, concurrent=10, max_retries=3, backoff_seconds=0.01)


class Bearer(httpx.Auth):
    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        request.headers["Authorization"] = "Bearer t"
        yield request


def client(handler: Callable[[httpx.Request], httpx.Response], log: list[Exchange],
           limiter: RateLimiter | None = None) -> QuickBooksClient:
    return QuickBooksClient("https://qb.test", "123", Bearer(), Pacer(limiter or RateLimiter(FAST)), log.append,
                            transport=httpx.MockTransport(handler))


def test_every_call_goes_to_the_company_with_minorversion() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"QueryResponse": {}})

    log: list[Exchange] = []
    qb = client(handler, log)
    qb.query("select * from Customer")
    qb.request("POST", "customer", body={"DisplayName": "A"}, requestid="tt-1")
    assert [r.url.path for r in seen] == ["/v3/company/123/query", "/v3/company/123/customer"]
    assert all(r.url.params["minorversion"] == MINOR_VERSION for r in seen)
    assert seen[1].url.params["requestid"] == "tt-1" and log[1].idempotency_key == "tt-1"
    assert PRODUCTION_URL.startswith("https://quickbooks.") and SANDBOX_URL.startswith("https://sandbox-quickbooks.")


def test_a_write_without_requestid_is_never_repeated() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503, headers={"intuit_tid": "tid-9"})

    log: list[Exchange] = []
    with pytest.raises(QuickBooksError) as raised:
        client(handler, log).request("POST", "customer", body={"DisplayName": "A"})
    assert len(calls) == 1 and raised.value.retryable and "tid-9" in str(raised.value)
    assert "intuit_tid tid-9" in log[0].error


def test_429_is_waited_out_and_5xx_retried_with_the_same_requestid() -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(500),
               httpx.Response(200, json={"Customer": {"Id": "1"}})]
    keys = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.url.params["requestid"])
        return answers.pop(0)

    limiter = RateLimiter(FAST)
    answer = client(handler, [], limiter).request("POST", "customer", body={}, requestid="tt-x")
    assert answer.status == 200 and keys == ["tt-x"] * 3 and limiter.throttled == 1


def test_a_fault_answer_is_returned_with_its_codes_and_logged_with_the_intuit_tid() -> None:
    fault = {"Fault": {"Error": [{"Message": "Duplicate Name Exists Error", "Detail": "The name supplied already "
                                  "exists.", "code": "6240"}], "type": "ValidationFault"}}
    log: list[Exchange] = []
    answer = client(lambda r: httpx.Response(400, json=fault, headers={"intuit_tid": "abc"}), log).request(
        "POST", "customer", body={}, requestid="tt-2")
    assert [f.code for f in answer.faults] == ["6240"]
    assert log[0].error == "The name supplied already exists. (QuickBooks error 6240) [intuit_tid abc]"


def test_401_asks_to_reconnect() -> None:
    with pytest.raises(QuickBooksError, match="Reconnect QuickBooks"):
        client(lambda r: httpx.Response(401, json={"fault": {}}), []).query("select * from Item")


def test_pacing_keeps_ten_a_second_and_forty_batches_a_minute() -> None:
    pacer = Pacer(RateLimiter(FAST), RateLimiter(Limits(per_window=10, window_seconds=0.2)),
                  RateLimiter(Limits(per_window=4, window_seconds=0.3)))
    started = time.monotonic()
    for _ in range(20):
        with pacer.turn():
            pass
    assert time.monotonic() - started >= 0.2
    started = time.monotonic()
    for _ in range(8):
        with pacer.turn(batch=True):
            pass
    assert time.monotonic() - started >= 0.3
