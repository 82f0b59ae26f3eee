"""An invoice an accounting system holds is never deleted locally: `invoice void` deletes or voids it there first,
refuses it once anything is paid, and only then releases its entries, so the next send cannot bill them twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.domain.errors import LockedError
from app.domain.models import EntryStatus
from app.domain.periods import parse_week
from app.sync.lifecycle import VoidAction
from app.sync.quickbooks_send.links import Mode
from app.sync.ratelimit import Limits
from app.sync.reports import Outcome
from tests.fakes.captured import approved as approved_entry
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect as connect_quickbooks
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def fake(xero: FakeXero) -> FakeXero:
    return xero


@pytest.fixture
def books(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    fake.books.add_contact("Acme Ltd")
    return core


def approved(core: Any, day: int) -> int:
    return approved_entry(core, "Acme Ltd/Web", datetime(2026, 11, day, 9, tzinfo=UTC), timedelta(hours=2))


def sent(core: Any) -> tuple[list[int], Any]:
    ids = [approved(core, 16), approved(core, 17)]
    [outcome] = core.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    return ids, outcome


def live(fake: FakeXero) -> list[dict[str, Any]]:
    return [i for i in fake.invoices() if i["Status"] not in ("VOIDED", "DELETED")]


def test_delete_refuses_an_invoice_xero_holds_and_unlock_points_to_void(books: Any, fake: FakeXero,
                                                                         timetally: Run) -> None:
    ids, outcome = sent(books)
    fake.books.set_status(outcome.remote_id, "AUTHORISED")
    code, _, err = timetally("invoice", "delete", "INV-0001")
    assert code == 1 and "INV-0001 is in Xero" in err and "timetally invoice void INV-0001" in err
    assert [d.number for d in books.billing.drafts()] == ["INV-0001"]
    assert books.entries.get(ids[0]).status is EntryStatus.INVOICED
    with pytest.raises(LockedError, match="timetally invoice void INV-0001"):
        books.approvals.unlock(ids[0], "wrong project")
    assert books.sync.send("xero", WEEK).outcomes == [] and len(fake.invoices()) == 1


def test_void_deletes_a_xero_draft_then_the_time_goes_on_one_new_invoice(books: Any, fake: FakeXero,
                                                                         timetally: Run) -> None:
    ids, outcome = sent(books)
    code, out, err = timetally("invoice", "void", "INV-0001", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["action"], result["remote_id"], result["entries"]) == ("deleted", outcome.remote_id, ids)
    assert fake.books.invoices[outcome.remote_id]["Status"] == "DELETED"
    assert books.billing.drafts() == []
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.APPROVED] * 2
    [again] = books.sync.send("xero", WEEK).outcomes
    assert again.outcome is Outcome.SENT and again.remote_id != outcome.remote_id
    assert [i["InvoiceID"] for i in live(fake)] == [again.remote_id]
    assert books.sync.sync_payments(["xero"]) == []  # the deleted one is not asked about any more


def test_void_voids_an_approved_unpaid_invoice(books: Any, fake: FakeXero) -> None:
    ids, outcome = sent(books)
    fake.books.set_status(outcome.remote_id, "AUTHORISED")
    result = books.sync.void_invoice("INV-0001")
    assert (result.action, result.ok, result.entry_ids) == (VoidAction.VOIDED, True, tuple(ids))
    assert "voided in Xero" in result.message and "2 entries are approved" in result.message
    assert fake.books.invoices[outcome.remote_id]["Status"] == "VOIDED"
    assert books.sync.store("xero").sent(outcome.uid).released
    assert any("voided in Xero from TimeTally" in r.error for r in books.sync.audit("xero").records(kind="note"))


@pytest.mark.parametrize("amount", [None, Decimal("50")])
def test_void_refuses_a_paid_or_part_paid_invoice_and_says_to_raise_a_credit_note(
        books: Any, fake: FakeXero, timetally: Run, amount: Decimal | None) -> None:
    ids, outcome = sent(books)
    fake.books.set_status(outcome.remote_id, "AUTHORISED")
    fake.books.pay(outcome.remote_id, amount, date(2026, 11, 30))
    code, _, err = timetally("invoice", "void", "INV-0001")
    assert code == 1 and "credit note in Xero" in err
    assert ("paid in Xero" if amount is None else "part-paid (50.00 NZD of 400.00 NZD paid)") in err
    assert fake.books.invoices[outcome.remote_id]["Status"] in ("PAID", "AUTHORISED")
    assert [d.number for d in books.billing.drafts()] == ["INV-0001"]
    expected = EntryStatus.PAID if amount is None else EntryStatus.INVOICED
    assert [books.entries.get(i).status for i in ids] == [expected] * 2
    code, _, err = timetally("invoice", "delete", "INV-0001")
    assert code == 1 and "paid" in err
    if amount is None:
        with pytest.raises(LockedError, match="credit note"):
            books.approvals.unlock(ids[0], "billed by mistake")


def test_void_of_a_draft_never_sent_just_deletes_it(books: Any, fake: FakeXero) -> None:
    approved(books, 16)
    books.billing.create(WEEK)
    result = books.sync.void_invoice("INV-0001")
    assert (result.action, result.provider) == (VoidAction.LOCAL, "")
    assert books.billing.drafts() == [] and fake.calls() == 0


def test_void_waits_for_a_send_that_got_no_answer(books: Any, fake: FakeXero) -> None:
    approved(books, 16)
    books.sync.use(limits=Limits(max_retries=0))
    fake.drop_after_commit()
    [pending] = books.sync.send("xero", WEEK).outcomes
    assert pending.outcome is Outcome.PENDING
    result = books.sync.void_invoice("INV-0001")
    assert result.action is VoidAction.REFUSED and "timetally sync xero" in result.message
    assert [d.number for d in books.billing.drafts()] == ["INV-0001"]
    [settled] = books.sync.send("xero", WEEK).outcomes
    assert settled.outcome is Outcome.SENT
    assert books.sync.void_invoice("INV-0001").action is VoidAction.DELETED
    assert live(fake) == []


def test_void_in_quickbooks_invoice_mode_frees_the_time_activities(core: Any, quickbooks: FakeQuickBooks,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    fake = quickbooks
    connect_quickbooks(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="USD")
    core.settings.set("billing.person", "Jane Doe")
    fake.company.add("Customer", DisplayName="Acme Ltd")
    ids = [approved(core, 16), approved(core, 17)]
    invoice = core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE).outcomes[-1]
    result = core.sync.void_invoice("INV-0001")
    assert (result.action, result.remote_id) == (VoidAction.VOIDED, invoice.remote_id)
    [voided] = fake.all("Invoice")
    assert (voided["TotalAmt"], voided["Balance"]) == (0, 0)
    assert {a["BillableStatus"] for a in fake.all("TimeActivity")} == {"Billable"}
    assert [core.entries.get(i).status for i in ids] == [EntryStatus.APPROVED] * 2
    voids = [s for s in fake.seen if s.query.get("operation") == "void"]
    assert len(voids) == 1 and fake.spec_problems == []
    fake.company.pay(_resend(core, fake), "400", date(2026, 11, 30))
    core.sync.sync_payments(["quickbooks"])
    refused = core.sync.void_invoice("INV-0002")
    assert refused.action is VoidAction.REFUSED and "credit note in QuickBooks" in refused.message


def _resend(core: Any, fake: FakeQuickBooks) -> str:
    again = core.sync.quickbooks().send(WEEK).outcomes[-1]
    assert (again.outcome, again.number) == (Outcome.SENT, "INV-0002")
    assert len([i for i in fake.all("Invoice") if i["TotalAmt"]]) == 1
    return str(again.remote_id)
