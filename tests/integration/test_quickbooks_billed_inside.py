"""QuickBooks time mode: time billed on an invoice made inside QuickBooks is followed to paid, part-paid and void;
invoice mode: the time activities carry the hours their invoice bills, and say what was worked."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.cli import main
from app.domain.models import EntryStatus
from app.domain.periods import parse_week
from app.sync.provider import RemoteStatus
from app.sync.quickbooks_send.links import Mode
from app.sync.quickbooks_send.prepare import share
from app.sync.quickbooks_send.send import QuickBooksSync
from app.sync.reports import Outcome
from tests.fakes.captured import approved as approved_entry
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect

WEEK = parse_week("2026-W47")


@pytest.fixture
def fake(quickbooks: FakeQuickBooks) -> FakeQuickBooks:
    return quickbooks


@pytest.fixture
def books(core: Any, fake: FakeQuickBooks, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="90", currency="USD")
    core.settings.set("billing.person", "Jane Doe")
    fake.company.add("Customer", DisplayName="Acme Ltd")
    return core


def qbo(core: Any) -> QuickBooksSync:
    return core.sync.quickbooks()


def approved(core: Any, day: int, minutes: int) -> int:
    return approved_entry(core, "Acme Ltd/Web", datetime(2026, 11, day, 9, tzinfo=UTC), timedelta(minutes=minutes))


def invoiced_inside(fake: FakeQuickBooks) -> dict[str, Any]:
    """The user makes an invoice in QuickBooks for Acme with "Add billable time" (the job's time bills with it)."""
    acme = next(c for c in fake.all("Customer") if c["DisplayName"] == "Acme Ltd")
    activities = sorted(a["Id"] for a in fake.all("TimeActivity"))
    return fake.company.invoice_time(acme["Id"], activities, date(2026, 11, 23))


def test_time_billed_on_an_invoice_made_inside_quickbooks_comes_back_paid(
        books: Any, fake: FakeQuickBooks, capsys: pytest.CaptureFixture[str]) -> None:
    ids = [approved(books, 16, 120), approved(books, 17, 60)]
    assert [o.outcome for o in qbo(books).send(WEEK).outcomes] == [Outcome.SENT] * 2
    invoice = invoiced_inside(fake)
    assert invoice["TotalAmt"] == Decimal("270.00")
    fake.company.pay(invoice["Id"], "270", date(2026, 11, 30))
    assert main(["sync", "payments"]) == 0
    out, err = capsys.readouterr()
    assert "2 entries were billed inside QuickBooks" in err
    assert f"invoice {invoice['DocNumber']}: paid on 2026-11-30; 2 entries marked paid" in out
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.PAID] * 2
    [followed] = books.sync.store("quickbooks").sent_invoices()
    assert (followed.remote_id, followed.remote_status, followed.entry_ids) == (invoice["Id"], "paid", tuple(ids))
    assert main(["sync", "payments"]) == 0 and "No sent invoice changed." in capsys.readouterr().out


def test_a_part_payment_inside_quickbooks_is_shown(books: Any, fake: FakeQuickBooks) -> None:
    ids = [approved(books, 16, 120), approved(books, 17, 60)]
    qbo(books).send(WEEK)
    invoice = invoiced_inside(fake)
    assert books.sync.sync_billed_time(["quickbooks"]) == {"quickbooks": ids}
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.INVOICED] * 2
    fake.company.pay(invoice["Id"], "100", date(2026, 11, 25))
    [part] = books.sync.sync_payments(["quickbooks"])
    assert (part.status, part.amount_paid, part.amount_due) == (RemoteStatus.PART_PAID, Decimal(100), Decimal(170))
    assert books.entries.get(ids[0]).status is EntryStatus.INVOICED


def test_a_void_inside_quickbooks_gives_the_time_back_until_it_is_billed_again(books: Any,
                                                                               fake: FakeQuickBooks) -> None:
    ids = [approved(books, 16, 120), approved(books, 17, 60)]
    qbo(books).send(WEEK)
    invoice = invoiced_inside(fake)
    books.sync.sync_billed_time(["quickbooks"])
    fake.company.void(invoice["Id"])
    [voided] = books.sync.sync_payments(["quickbooks"])
    assert voided.status is RemoteStatus.VOIDED and voided.entry_ids == tuple(ids)
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.APPROVED] * 2
    assert set(books.sync.store("quickbooks").flags()) == set(ids)
    assert {a["BillableStatus"] for a in fake.all("TimeActivity")} == {"Billable"}
    again = invoiced_inside(fake)
    assert books.sync.sync_billed_time(["quickbooks"]) == {"quickbooks": ids}
    fake.company.pay(again["Id"], str(again["TotalAmt"]), date(2026, 12, 2))
    [paid] = books.sync.sync_payments(["quickbooks"])
    assert (paid.remote_id, paid.status) == (again["Id"], RemoteStatus.PAID)
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.PAID] * 2


def test_entries_marked_invoiced_before_invoices_were_followed_are_found_too(books: Any,
                                                                             fake: FakeQuickBooks) -> None:
    first = approved(books, 16, 120)
    qbo(books).send(WEEK)
    books.entries.update(first, status="invoiced")  # marked by an earlier version, which did not follow invoices
    invoice = invoiced_inside(fake)
    assert books.sync.sync_billed_time(["quickbooks"]) == {"quickbooks": []}
    fake.company.pay(invoice["Id"], "180", date(2026, 11, 30))
    [paid] = books.sync.sync_payments(["quickbooks"])
    assert paid.status is RemoteStatus.PAID and books.entries.get(first).status is EntryStatus.PAID


def test_invoice_mode_activities_carry_the_billed_hours_and_say_what_was_worked(books: Any,
                                                                                fake: FakeQuickBooks) -> None:
    books.billing.set_client("Acme Ltd", rounding="down:6")
    entry = approved(books, 16, 136)  # 2:16 worked, billed 2.2 h
    outcomes = qbo(books).send(WEEK, mode=Mode.INVOICE).outcomes
    assert [o.outcome for o in outcomes] == [Outcome.SENT, Outcome.SENT], outcomes
    [invoice] = fake.all("Invoice")
    [activity] = fake.all("TimeActivity")
    assert invoice["TotalAmt"] == Decimal("198.00")
    assert invoice["Line"][0]["SalesItemLineDetail"]["Qty"] == Decimal("2.2")
    assert (activity["Hours"], activity["Minutes"], activity["HourlyRate"]) == (2, 12, 90)  # 2:12 at 90 = 198
    assert activity["Description"] == "work · worked 2:16, billed 2:12 on INV-0001"
    assert books.entries.get(entry).status is EntryStatus.INVOICED


def test_a_lines_billed_minutes_are_split_over_its_entries_exactly(books: Any, fake: FakeQuickBooks) -> None:
    books.billing.set_client("Acme Ltd", rounding="up:15:line")
    approved(books, 16, 50)
    approved(books, 17, 20)
    approved(books, 18, 2)
    qbo(books).send(WEEK, mode=Mode.INVOICE)
    [invoice] = fake.all("Invoice")
    [line] = invoice["Line"]
    minutes = sorted(a["Hours"] * 60 + a["Minutes"] for a in fake.all("TimeActivity"))
    assert sum(minutes) == 75 == line["SalesItemLineDetail"]["Qty"] * 60  # 72 worked, the line rounds up to 1:15
    amounts = sum(Decimal(m) / 60 * 90 for m in minutes)
    assert amounts == Decimal(str(line["Amount"])) == Decimal("112.50")
    assert share(4500, [3000, 1200, 120]) == [3120, 1260, 120]
    assert share(0, [0, 0]) == [0, 0] and share(600, [100]) == [600]
