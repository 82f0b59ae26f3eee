"""Payments back from the fake QuickBooks (change data capture and queries), time billed inside QuickBooks, voids,
and the whole way from captured spans to a paid QuickBooks invoice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import EntryStatus, NewEntry
from app.sync.provider import RemoteStatus
from app.sync.quickbooks_send.links import Mode
from app.sync.quickbooks_send.send import QuickBooksSync
from app.sync.reports import Outcome
from tests.fakes.captured import WEEK, approved_from_spans
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect


@pytest.fixture
def fake(quickbooks: FakeQuickBooks) -> FakeQuickBooks:
    return quickbooks


@pytest.fixture
def books(core: Any, fake: FakeQuickBooks, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="USD")
    core.settings.set("billing.person", "Jane Doe")
    fake.company.add("Customer", DisplayName="Acme Ltd")
    return core


def qbo(core: Any) -> QuickBooksSync:
    return core.sync.quickbooks()


def approved(core: Any, day: int, hours: float = 2) -> int:
    project = core.projects.find("Acme Ltd/Web") or core.projects.add_project("Acme Ltd/Web")
    start = datetime(2026, 11, day, 9, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=hours), "work", project.id))
    core.entries.update(entry.id, status="approved", locked=True)
    return int(entry.id)


def sent_invoice(core: Any) -> tuple[list[int], str]:
    ids = [approved(core, 16), approved(core, 17)]
    outcome = qbo(core).send(WEEK, mode=Mode.INVOICE).outcomes[-1]
    assert outcome.outcome is Outcome.SENT
    return ids, outcome.remote_id


def test_paid_in_full_by_change_data_capture_marks_the_entries_paid(books: Any, fake: FakeQuickBooks) -> None:
    ids, remote_id = sent_invoice(books)
    assert books.sync.sync_payments(["quickbooks"]) == []  # open, as sent
    fake.company.pay(remote_id, "400", date(2026, 11, 30))
    [paid] = books.sync.sync_payments(["quickbooks"])
    assert (paid.status, paid.paid_on, paid.amount_due) == (RemoteStatus.PAID, date(2026, 11, 30), Decimal(0))
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.PAID, EntryStatus.PAID]
    cdc = [s for s in fake.seen if s.path == "cdc"]
    assert cdc and all(s.query["entities"] == "Invoice,Payment" for s in cdc)


def test_part_payment_is_shown(books: Any, fake: FakeQuickBooks) -> None:
    ids, remote_id = sent_invoice(books)
    fake.company.pay(remote_id, "100", date(2026, 11, 25))
    [part] = books.sync.sync_payments(["quickbooks"])
    assert (part.status, part.amount_paid, part.amount_due) == (RemoteStatus.PART_PAID, Decimal(100), Decimal(300))
    assert "part-paid, 100.00 of 400.00 (300.00 due)" in part.line()
    assert books.entries.get(ids[0]).status is EntryStatus.INVOICED


def test_voided_invoice_releases_its_entries_and_they_can_be_billed_again(books: Any, fake: FakeQuickBooks) -> None:
    ids, remote_id = sent_invoice(books)
    fake.company.void(remote_id)
    [voided] = books.sync.sync_payments(["quickbooks"])
    assert voided.status is RemoteStatus.VOIDED and voided.entry_ids == tuple(ids)
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.APPROVED, EntryStatus.APPROVED]
    assert {a["BillableStatus"] for a in fake.all("TimeActivity")} == {"Billable"}
    again = qbo(books).send(WEEK).outcomes[-1]
    assert again.outcome is Outcome.SENT and again.remote_id != remote_id
    assert len(fake.all("TimeActivity")) == 2  # the same time activities, billed by the new invoice
    assert fake.spec_problems == []


def test_a_deleted_invoice_found_by_query_releases_its_entries(books: Any, fake: FakeQuickBooks) -> None:
    ids, remote_id = sent_invoice(books)
    invoice = fake.company.records["Invoice"][remote_id]
    fake.company.delete("Invoice", {"Id": remote_id, "SyncToken": invoice["SyncToken"]})
    store = books.sync.store("quickbooks")
    store.set_cursor("payments", datetime.now(UTC) - timedelta(days=60))  # too old for change data capture
    [deleted] = books.sync.sync_payments(["quickbooks"])
    assert deleted.status is RemoteStatus.DELETED
    assert books.entries.get(ids[0]).status is EntryStatus.APPROVED
    assert any(s.path == "query" and "from Invoice" in s.query["query"] for s in fake.seen)


def test_time_billed_inside_quickbooks_marks_the_entries_invoiced(books: Any, fake: FakeQuickBooks) -> None:
    first, second = approved(books, 16), approved(books, 17)
    qbo(books).send(WEEK)
    activity = next(a for a in fake.all("TimeActivity") if a["TxnDate"] == "2026-11-16")
    fake.company.bill_inside(activity["Id"])
    assert qbo(books).billed_time() == [first]
    assert books.entries.get(first).status is EntryStatus.INVOICED
    assert books.entries.get(second).status is EntryStatus.APPROVED
    assert qbo(books).billed_time() == []
    assert any("billed inside QuickBooks" in r.error for r in books.sync.audit("quickbooks").records(kind="note"))


def test_from_captured_spans_to_a_paid_quickbooks_invoice(books: Any, fake: FakeQuickBooks, tmp_path: Path) -> None:
    entry_ids = approved_from_spans(books, tmp_path)
    outcomes = qbo(books).send(WEEK, mode=Mode.INVOICE).outcomes
    assert [o.outcome for o in outcomes] == [Outcome.SENT] * 3
    [invoice] = fake.all("Invoice")
    assert invoice["TotalAmt"] == Decimal("350")  # 3.5 h at 100
    items = {i["Id"]: i["Name"] for i in fake.all("Item")}
    assert sorted(items[a["ItemRef"]["value"]] for a in fake.all("TimeActivity")) == ["Ticket 12", "Ticket 7"]
    assert [e.status for e in map(books.entries.get, entry_ids)] == [EntryStatus.INVOICED] * 2
    fake.company.pay(outcomes[-1].remote_id, "350", date(2026, 12, 1))
    [paid] = books.sync.sync_payments()
    assert paid.status is RemoteStatus.PAID and paid.paid_on == date(2026, 12, 1)
    assert [e.status for e in map(books.entries.get, entry_ids)] == [EntryStatus.PAID] * 2
    assert fake.spec_problems == []
