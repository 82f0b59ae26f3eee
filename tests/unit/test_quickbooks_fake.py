"""The fake QuickBooks behaves like Intuit where TimeTally depends on it: minorversion, XSD checks, one name
namespace, SyncToken, requestid replay, query subset, batch limits and mixed answers, change data capture."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.fakes.quickbooks_server import ACCESS_TOKEN, REALM_ID, FakeQuickBooks


@pytest.fixture
def qb() -> Iterator[tuple[FakeQuickBooks, httpx.Client]]:
    with FakeQuickBooks(second_seconds=0.01) as fake, httpx.Client(
            base_url=f"{fake.url}/v3/company/{REALM_ID}", headers={"Authorization": f"Bearer {ACCESS_TOKEN}"}) as http:
        yield fake, http


def post(http: httpx.Client, path: str, body: Any, **params: str) -> httpx.Response:
    return http.post(path, json=body, params={"minorversion": "75", **params})


def code(response: httpx.Response) -> str:
    return str(response.json()["Fault"]["Error"][0]["code"])


def test_minorversion_and_schema_are_enforced(qb: tuple[FakeQuickBooks, httpx.Client]) -> None:
    fake, http = qb
    assert http.post("customer", json={"DisplayName": "A"}).status_code == 400
    refused = post(http, "customer", {"DisplayName": "A", "Nickname": "a"})
    assert refused.status_code == 400 and "Customer.Nickname: not an element" in fake.spec_problems[0]
    assert http.get("query", params={"query": "select * from Customer"}).status_code == 400


def test_display_names_are_shared_and_sync_tokens_checked(qb: tuple[FakeQuickBooks, httpx.Client]) -> None:
    fake, http = qb
    vendor = fake.company.add("Vendor", DisplayName="Acme")
    fake.company.deactivate("Vendor", vendor["Id"])
    assert code(post(http, "customer", {"DisplayName": "acme"})) == "6240"
    assert code(post(http, "customer", {"DisplayName": "A:B"})) == "2170"
    created = post(http, "customer", {"DisplayName": "Globex"}).json()["Customer"]
    stale = post(http, "customer", {"Id": created["Id"], "SyncToken": "7", "sparse": True, "Notes": "x"})
    assert code(stale) == "5010"
    fresh = post(http, "customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Notes": "x"})
    assert fresh.json()["Customer"]["SyncToken"] == "1" and fresh.json()["Customer"]["DisplayName"] == "Globex"


def test_requestid_replays_the_first_answer(qb: tuple[FakeQuickBooks, httpx.Client]) -> None:
    fake, http = qb
    first = post(http, "customer", {"DisplayName": "Once"}, requestid="tt-1")
    again = post(http, "customer", {"DisplayName": "Once"}, requestid="tt-1")
    assert first.json() == again.json() and len(fake.all("Customer")) == 1 and fake.seen[-1].replayed


def test_queries_answer_the_subset_and_refuse_the_rest(qb: tuple[FakeQuickBooks, httpx.Client]) -> None:
    fake, http = qb
    fake.company.add("Customer", DisplayName="O'Brien")
    gone = fake.company.add("Customer", DisplayName="Old")
    fake.company.deactivate("Customer", gone["Id"])

    def query(text: str) -> httpx.Response:
        return http.get("query", params={"query": text, "minorversion": "75"})

    found = query("select * from Customer where DisplayName = 'O\\'Brien' STARTPOSITION 1 MAXRESULTS 10")
    assert [c["DisplayName"] for c in found.json()["QueryResponse"]["Customer"]] == ["O'Brien"]
    assert query("select * from Customer").json()["QueryResponse"]["maxResults"] == 1
    both = query("select * from Customer where Active in (true, false)").json()["QueryResponse"]
    assert len(both["Customer"]) == 2
    assert code(query("select * from Customer where DisplayName = 'a' or DisplayName = 'b'")) == "4002"


def test_batches_mix_answers_and_hold_at_most_thirty(qb: tuple[FakeQuickBooks, httpx.Client]) -> None:
    fake, http = qb
    items = [{"bId": "1", "operation": "create", "Customer": {"DisplayName": "One"}},
             {"bId": "2", "operation": "create", "Customer": {"DisplayName": "One"}},
             {"bId": "3", "Query": "select * from Item"}]
    answers = {a["bId"]: a for a in post(http, "batch", {"BatchItemRequest": items}).json()["BatchItemResponse"]}
    assert "Customer" in answers["1"] and answers["2"]["Fault"]["Error"][0]["code"] == "6240"
    assert "QueryResponse" in answers["3"]
    many = [{"bId": str(n), "operation": "create", "Customer": {"DisplayName": f"C{n}"}} for n in range(31)]
    assert post(http, "batch", {"BatchItemRequest": many}).status_code == 400
    bad = post(http, "batch", {"BatchItemRequest": [{"bId": "1", "operation": "upsert", "Customer": {}}]})
    assert bad.status_code == 400 and any("upsert" in p for p in fake.spec_problems)


def test_change_data_capture_covers_invoices_payments_and_deletions(qb: tuple[FakeQuickBooks, httpx.Client]) -> None:
    fake, http = qb
    customer = fake.company.add("Customer", DisplayName="Acme")
    item = fake.company.add("Item", Name="Hours", Type="Service", IncomeAccountRef={"value": "1"})
    since = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    invoice = fake.company.add("Invoice", CustomerRef={"value": customer["Id"]}, Line=[{
        "DetailType": "SalesItemLineDetail", "Amount": 50,
        "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 1, "UnitPrice": 50}}])
    fake.company.pay(invoice["Id"], "50")
    answer = http.get("cdc", params={"entities": "Invoice,Payment", "changedSince": since, "minorversion": "75"})
    invoices, payments = answer.json()["CDCResponse"][0]["QueryResponse"]
    assert invoices["Invoice"][0]["Balance"] == 0 and payments["Payment"][0]["TotalAmt"] == 50
    assert http.get("cdc", params={"entities": "TimeActivity", "changedSince": since,
                                   "minorversion": "75"}).status_code == 400
