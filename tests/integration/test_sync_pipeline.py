"""The one delivery path against the fake QuickBooks: time activities and invoices are batched, labelled and
settled the same way as Xero's invoices (`app/sync/pipeline.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import select

from app.domain.models import NewEntry
from app.domain.periods import parse_week
from app.store.tables.sync import SyncInvoiceRow
from app.sync.outbox import JobKind, JobState
from app.sync.provider import request_key
from app.sync.quickbooks_send.links import Mode
from app.sync.reports import Outcome
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect

WEEK = parse_week("2026-W47")


@pytest.fixture
def books(core: Any, quickbooks: FakeQuickBooks, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, quickbooks, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="USD")
    core.settings.set("billing.person", "Jane Doe")
    quickbooks.company.add("Customer", DisplayName="Acme Ltd")
    project = core.projects.add_project("Acme Ltd/Website")
    for day, hours in ((16, 2), (17, 1)):
        start = datetime(2026, 11, day, 9, tzinfo=UTC)
        entry = core.entries.add(NewEntry(start, start + timedelta(hours=hours), "work", project.id, None))
        core.entries.update(entry.id, status="approved", locked=True)
    return core


def test_a_batch_is_labelled_with_its_request_key_whatever_the_document(books: Any) -> None:
    books.sync.quickbooks().send(WEEK)
    jobs = books.sync.outbox("quickbooks").jobs()
    assert [j.kind for j in jobs] == [JobKind.TIME, JobKind.TIME]
    assert {j.batch for j in jobs} == {request_key([j.key for j in jobs])}


def test_an_invoice_accepted_but_never_recorded_is_settled_on_the_next_send(books: Any,
                                                                            quickbooks: FakeQuickBooks) -> None:
    """A crash between QuickBooks' answer and its record: the next send records it without a second request, and
    checks its total against TimeTally's by asking QuickBooks."""
    first = books.sync.quickbooks().send(WEEK, mode=Mode.INVOICE).outcomes[-1]
    assert first.outcome is Outcome.SENT
    with books.db.session() as s:
        for row in s.exec(select(SyncInvoiceRow)).all():
            s.delete(row)
    batches = quickbooks.calls("batch")
    again = books.sync.quickbooks().send(WEEK).outcomes
    assert [(o.outcome, o.remote_id) for o in again] == [(Outcome.SENT, first.remote_id)]
    assert quickbooks.calls("batch") == batches and len(quickbooks.all("Invoice")) == 1
    sent = books.sync.store("quickbooks").sent(first.uid)
    assert sent is not None and sent.remote_status == "open" and sent.total == Decimal("300")
    assert [j.state for j in books.sync.outbox("quickbooks").jobs(first.uid)] == [JobState.CONFIRMED]
