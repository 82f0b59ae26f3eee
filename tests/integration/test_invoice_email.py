""""Send to client": the accounting system holding an invoice e-mails it, through the outbox and the pipeline, once
per request even when an answer is lost; Xero refuses anything but an authorised invoice with a sentence."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.domain.errors import ValidationError
from app.domain.periods import parse_week
from app.sync.invoice_list import EMAILED, invoice_book
from app.sync.outbox import JobKind, JobState
from app.sync.quickbooks_send.links import Mode
from app.sync.reports import Outcome
from tests.fakes.captured import approved
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect as connect_quickbooks
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def books(core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, xero, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    xero.books.add_contact("Acme Ltd", "accounts@acme.example")
    approved(core, "Acme Ltd/Web", datetime(2026, 11, 16, 9, tzinfo=UTC), timedelta(hours=2))
    [outcome] = core.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    return core


def _remote(xero: FakeXero) -> str:
    [invoice] = xero.invoices()
    return str(invoice["InvoiceID"])


def test_xero_refuses_to_email_a_draft_with_a_sentence_and_emails_nothing(books: Any, xero: FakeXero,
                                                                          timetally: Run) -> None:
    code, _, err = timetally("invoice", "email", "INV-0001")
    assert code == 1
    assert "only approved (AUTHORISED) invoices" in err and "is a draft there" in err and "Approve it in Xero" in err
    assert xero.books.emails == [] and xero.calls("POST", f"/Invoices/{_remote(xero)}/Email") == 0
    [job] = [j for j in books.sync.outbox("xero").jobs() if j.kind is JobKind.EMAIL]
    assert job.state is JobState.FAILED


def test_xero_emails_an_authorised_invoice_and_the_invoice_says_so(books: Any, xero: FakeXero,
                                                                   timetally: Run) -> None:
    remote = _remote(xero)
    xero.books.set_status(remote, "AUTHORISED")
    code, out, err = timetally("invoice", "email", "INV-0001", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["ok"], result["provider"], result["remote_id"]) == (True, "xero", remote)
    assert xero.books.emails == [(remote, "accounts@acme.example")]
    [listing] = invoice_book(books.sync).invoices
    assert listing.status == EMAILED and "e-mailed to the client on" in listing.detail
    notes = [r.error for r in books.sync.audit("xero").records(kind="note")]
    assert any("INV-0001 was e-mailed" in n for n in notes)
    calls = [r for r in books.sync.audit("xero").records(kind="call") if r.endpoint.endswith("/Email")]
    assert len(calls) == 1 and calls[0].status == 204


def test_a_dropped_answer_is_sent_again_with_the_same_key_and_emails_once(books: Any, xero: FakeXero) -> None:
    remote = _remote(xero)
    xero.books.set_status(remote, "AUTHORISED")
    xero.drop_after_commit(method="POST")
    result = books.sync.email_invoice("INV-0001")
    assert result.ok, result.message
    emails = [s for s in xero.seen if s.path == f"/Invoices/{remote}/Email"]
    assert len(emails) >= 2 and len({s.idempotency_key for s in emails}) == 1 and emails[-1].replayed
    assert xero.books.emails == [(remote, "accounts@acme.example")]


def test_xero_takes_no_typed_address_and_a_bad_address_is_refused(books: Any, xero: FakeXero) -> None:
    xero.books.set_status(_remote(xero), "AUTHORISED")
    with pytest.raises(ValidationError, match="only to the contact's own address"):
        books.sync.email_invoice("INV-0001", "someone@else.example")
    with pytest.raises(ValidationError, match="not an e-mail address"):
        books.sync.email_invoice("INV-0001", "not an address")
    assert xero.books.emails == []


def test_an_invoice_never_sent_cannot_be_emailed(core: Any) -> None:
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    approved(core, "Acme Ltd/Web", datetime(2026, 11, 16, 9, tzinfo=UTC), timedelta(hours=2))
    [draft] = core.billing.create(WEEK)
    with pytest.raises(ValidationError, match="not in an accounting system yet"):
        core.sync.email_invoice(draft.number)


def test_quickbooks_emails_to_a_typed_address_and_refuses_without_one(core: Any, quickbooks: FakeQuickBooks,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      timetally: Run) -> None:
    connect_quickbooks(core, quickbooks, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="USD")
    core.settings.set("billing.person", "Jane Doe")
    quickbooks.company.add("Customer", DisplayName="Acme Ltd")
    approved(core, "Acme Ltd/Web", datetime(2026, 11, 16, 9, tzinfo=UTC), timedelta(hours=2))
    invoice = core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE).outcomes[-1]
    code, _, err = timetally("invoice", "email", "INV-0001")
    assert code == 1 and "no e-mail address" in err and "--to ADDRESS" in err
    code, out, err = timetally("invoice", "email", "INV-0001", "--to", "ap@acme.example")
    assert code == 0, err
    assert "e-mailed to ap@acme.example by QuickBooks" in out
    assert quickbooks.company.emails == [(invoice.remote_id, "ap@acme.example")]
    [sent] = [s for s in quickbooks.seen if s.path == f"invoice/{invoice.remote_id}"]
    assert sent.query["sendTo"] == "ap@acme.example" and sent.query.get("requestid")
