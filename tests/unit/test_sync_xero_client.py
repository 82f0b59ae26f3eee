"""The Xero client against `httpx.MockTransport`: exact amounts, retries that are safe, messages that are Xero's."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from app.sync.provider import Exchange
from app.sync.ratelimit import Limits, RateLimiter
from app.sync.xero.client import XeroClient, XeroError, dumps_exact, parse_day, parse_ms_date, validation_messages

FAST = Limits(max_retries=3, backoff_seconds=0.001)


def client(handler: Callable[[httpx.Request], httpx.Response]) -> tuple[XeroClient, list[Exchange]]:
    seen: list[Exchange] = []
    return XeroClient("https://api.example/api.xro/2.0/", httpx.Auth(), RateLimiter(FAST), seen.append,
                      transport=httpx.MockTransport(handler)), seen


def test_amounts_are_written_as_their_exact_digits() -> None:
    body = {"Quantity": Decimal("1.3333"), "UnitAmount": Decimal("0.1"), "Big": Decimal("12345678901234.5678")}
    assert dumps_exact(body) == b'{"Quantity": 1.3333, "UnitAmount": 0.1, "Big": 12345678901234.5678}'
    assert json.loads(dumps_exact({"Name": "\u0000dec: not a number"}))["Name"] == "\u0000dec: not a number"


def test_xero_dates() -> None:
    assert parse_ms_date("/Date(1552262400000+0000)/") == datetime(2019, 3, 11, tzinfo=UTC)
    assert parse_day("2026-11-30T00:00:00") == date(2026, 11, 30)
    assert parse_ms_date(None) is None and parse_ms_date("soon") is None


def test_429_then_500_then_success_with_one_idempotency_key() -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(500),
               httpx.Response(200, json={"Invoices": [{"InvoiceID": "i1"}]}, headers={"X-MinLimit-Remaining": "57"})]
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        assert request.headers["Accept"] == "application/json"
        return answers.pop(0)

    xero, seen = client(handler)
    answer = xero.request("PUT", "Invoices", body={"Invoices": []}, idempotency_key="k1",
                          remote_ids=lambda b: tuple(i["InvoiceID"] for i in b["Invoices"]))
    assert answer.status == 200 and keys == ["k1", "k1", "k1"]
    assert [e.status for e in seen] == [429, 500, 200] and seen[-1].remote_ids == ("i1",)
    assert dict(seen[-1].limits) == {"x-minlimit-remaining": "57"} and seen[0].endpoint == "/Invoices"


def test_a_request_without_a_key_is_never_repeated() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(503)

    xero, _ = client(handler)
    with pytest.raises(XeroError, match="Xero had a problem") as raised:
        xero.request("POST", "Contacts", body={"Contacts": []})
    assert len(calls) == 1 and raised.value.retryable


def test_dropped_connections_are_retried_then_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")

    xero, seen = client(handler)
    with pytest.raises(XeroError, match="connection dropped"):
        xero.get("Invoices")
    assert len(seen) == 4 and all(e.status == 0 and "no answer" in e.error for e in seen)


@pytest.mark.parametrize(("status", "body", "text"), [
    (401, {"Title": "Unauthorized", "Status": 401, "Detail": "TokenExpired"}, "Reconnect Xero"),
    (403, {"Title": "Forbidden", "Detail": "AuthenticationUnsuccessful"}, "AuthenticationUnsuccessful"),
    (404, {"Title": "Not found"}, "no such record"),
])
def test_whole_call_failures_say_what_to_do(status: int, body: dict[str, str], text: str) -> None:
    xero, _ = client(lambda request: httpx.Response(status, json=body))
    with pytest.raises(XeroError, match=text):
        xero.get("Invoices")


def test_validation_messages_come_from_every_level() -> None:
    body = {"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred",
            "Elements": [{"ValidationErrors": [{"Message": "Email address must be valid."}]}]}
    assert validation_messages(body) == ["Email address must be valid."]
    assert validation_messages({"Detail": "TokenExpired"}) == ["TokenExpired"]
    assert validation_messages(["not", "a", "dict"]) == []
