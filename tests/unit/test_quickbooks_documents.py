"""QuickBooks bodies checked against Intuit's XSDs, and the pure pieces: query text, durations, statuses, keys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.sync.provider import InvoicePush, LinePush, RemoteKind, RemoteStatus, TimePush
from app.sync.quickbooks import batch
from app.sync.quickbooks.invoices import status_of, to_invoice
from app.sync.quickbooks.mapping import clean_name
from app.sync.quickbooks.query import ANY_STATE, Where, quote, select
from app.sync.quickbooks.time import hours_minutes, split_worker, to_time_activity, worker_code
from app.sync.quickbooks_send.prepare import Resolver, rate_of
from app.sync.store import Mapping
from tests.fakes.quickbooks_spec import problems, type_problems

PUSH = TimePush(7, "k7", "58", date(2026, 11, 16), 9000 + 29, "login page", "12", Decimal("97.5"), True, "Vendor:44")


def test_time_activity_is_valid_for_the_xsd_with_hours_and_minutes() -> None:
    body = to_time_activity(PUSH)
    assert problems("TimeActivity", body) == []
    assert (body["NameOf"], body["VendorRef"], body["Hours"], body["Minutes"]) == ("Vendor", {"value": "44"}, 2, 30)
    assert body["BillableStatus"] == "Billable" and body["HourlyRate"] == Decimal("97.5")
    assert problems("TimeActivity", {**body, "Id": "3", "SyncToken": "0", "sparse": True}) == []


def test_time_without_a_rate_is_not_billable() -> None:
    body = to_time_activity(TimePush(7, "k", "58", date(2026, 11, 16), 60, "x", worker="Employee:3"))
    assert body["BillableStatus"] == "NotBillable" and "HourlyRate" not in body and "ItemRef" not in body
    assert body["EmployeeRef"] == {"value": "3"}


@pytest.mark.parametrize(("seconds", "expected"), [(0, (0, 0)), (29, (0, 0)), (30, (0, 1)), (3599, (1, 0)),
                                                   (3600 * 10 + 59 * 60, (10, 59))])
def test_hours_and_minutes_round_to_whole_minutes(seconds: int, expected: tuple[int, int]) -> None:
    assert hours_minutes(seconds) == expected


def test_worker_codes_round_trip() -> None:
    assert split_worker(worker_code("Employee", "55")) == ("Employee", "55")


def test_invoice_lines_link_their_time_activities_and_validate() -> None:
    push = InvoicePush("u1", 2, "INV-0007", "58", "USD", date(2026, 11, 20), date(2026, 12, 20), "exclusive", (
        LinePush("Design", Decimal("2.5"), Decimal("100"), Decimal("250.00"), item_code="12", tax_type="TAX",
                 service_date=date(2026, 11, 16)),
        LinePush("Fixed fee", Decimal(1), Decimal("500"), Decimal("500")),
    ), "key")
    body = to_invoice(push, [["101", "102"], []], default_item="1")
    assert problems("Invoice", body) == []
    first, second = body["Line"]
    assert first["LinkedTxn"] == [{"TxnId": "101", "TxnType": "TimeActivity"},
                                  {"TxnId": "102", "TxnType": "TimeActivity"}]
    assert first["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "TAX"}
    assert "LinkedTxn" not in second and second["SalesItemLineDetail"]["ItemRef"] == {"value": "1"}
    assert body["PrivateNote"] == "TimeTally INV-0007" and "DocNumber" not in body


def test_the_spec_check_catches_wrong_names_nesting_and_enumerations() -> None:
    found = problems("TimeActivity", {"NameOf": "Person", "Hours": 1.5, "CustomerRef": "58", "Notes": "x",
                                      "BillableStatus": "Yes", "CustomerRef2": {}})
    assert any("NameOf" in p and "Employee, Other, Vendor" in p for p in found)
    assert any("Hours" in p for p in found) and any("CustomerRef: expected an object" in p for p in found)
    assert any("Notes: not an element" in p for p in found) and any("BillableStatus" in p for p in found)
    assert problems("Invoice", {"Line": {"Amount": 1}}) == ["Invoice.Line: may repeat, so it must be a list"]
    assert type_problems("BatchItemRequest", {"bId": "1", "operation": "upsert"})


@pytest.mark.parametrize(("total", "balance", "status"), [
    (Decimal(100), Decimal(100), RemoteStatus.OPEN), (Decimal(100), Decimal(40), RemoteStatus.PART_PAID),
    (Decimal(100), Decimal(0), RemoteStatus.PAID), (Decimal(0), Decimal(0), RemoteStatus.VOIDED)])
def test_status_from_total_and_balance(total: Decimal, balance: Decimal, status: RemoteStatus) -> None:
    assert status_of({"TotalAmt": total, "Balance": balance}) is status


def test_query_text_escapes_quotes_and_asks_for_inactive_records_when_told() -> None:
    assert quote("O'Brien \\ Co") == "'O\\'Brien \\\\ Co'"
    text = select("Customer", Where("DisplayName", "O'Brien"), ANY_STATE, limit=10)
    assert text == ("select * from Customer where DisplayName = 'O\\'Brien' and Active in (true, false) "
                    "STARTPOSITION 1 MAXRESULTS 10")
    assert select("Invoice", Where("Id", ["1", "2"])).startswith("select * from Invoice where Id in ('1', '2')")


def test_names_lose_colons_and_request_ids_fit_fifty_characters() -> None:
    assert clean_name(" Phase:  2 ") == "Phase - 2"
    keys = [f"timetally-time-{n}-r0-abcdef012345" for n in range(30)]
    assert len(batch.requestid(keys)) == 50 and batch.requestid(keys) == batch.requestid(list(reversed(keys)))
    assert batch.requestid(keys) != batch.requestid(keys, "revived")


def test_rates_are_plain_decimals() -> None:
    assert str(rate_of(Decimal("200.00"), 7200)) == "100"
    assert str(rate_of(Decimal("107.09"), 3960)) == "97.3545"
    assert rate_of(Decimal(1), 0) is None


class _Reads:
    """Links and sync store stand-ins that count how often a send asks them."""

    def __init__(self) -> None:
        self.reads = 0

    def get(self, kind: str, key: int) -> tuple[str, str]:
        self.reads += 1
        return (f"job-{key}", "Job")

    def mapping(self, kind: RemoteKind, key: int) -> Mapping:
        self.reads += 1
        return Mapping(kind, key, f"item-{key}", "Item")


def test_a_send_reads_each_project_job_and_task_item_once() -> None:
    links, store = _Reads(), _Reads()
    resolver = Resolver(None, store, links, None, create_customers=False)  # type: ignore[arg-type]
    codes = [(resolver.job(7, "Web", "c1"), resolver.item(3, "Design")) for _ in range(5)]
    assert codes == [("job-7", "item-3")] * 5
    assert (links.reads, store.reads) == (1, 1)
