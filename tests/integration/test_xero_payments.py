"""Payments back from the fake Xero, and the whole way from captured spans to a paid invoice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import EntryStatus, NewEntry
from app.sync.provider import RemoteStatus
from app.sync.reports import Outcome
from tests.fakes.captured import WEEK, approved_from_spans
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect


@pytest.fixture
def fake(xero: FakeXero) -> FakeXero:
    return xero


@pytest.fixture
def books(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    fake.books.add_contact("Acme Ltd")
    return core


def sent_invoice(core: Any, hours: float = 2) -> tuple[list[int], str]:
    project = core.projects.find("Acme Ltd/Web") or core.projects.add_project("Acme Ltd/Web")
    ids = []
    for day in (16, 17):
        start = datetime(2026, 11, day, 9, tzinfo=UTC)
        entry = core.entries.add(NewEntry(start, start + timedelta(hours=hours), "work", project.id))
        core.entries.update(entry.id, status="approved", locked=True)
        ids.append(entry.id)
    [outcome] = core.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    return ids, outcome.remote_id


def test_paid_in_full_marks_the_entries_paid_with_the_day(books: Any, fake: FakeXero) -> None:
    ids, remote_id = sent_invoice(books)
    fake.books.set_status(remote_id, "AUTHORISED")
    [open_] = books.sync.sync_payments(["xero"])
    assert open_.status is RemoteStatus.OPEN
    fake.books.pay(remote_id, day=date(2026, 11, 30))
    [paid] = books.sync.sync_payments(["xero"])
    assert (paid.status, paid.paid_on, paid.amount_due) == (RemoteStatus.PAID, date(2026, 11, 30), Decimal(0))
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.PAID, EntryStatus.PAID]
    sent = books.sync.store("xero").sent_invoices()[0]
    assert (sent.remote_status, sent.paid_on) == ("paid", date(2026, 11, 30))
    assert books.sync.sync_payments(["xero"]) == []  # nothing open is left to ask about
    gets = [s for s in fake.seen if s.method == "GET" and s.path == "/Invoices"]
    assert len(gets) == 2 and all(s.query["IDs"] == remote_id for s in gets)


def test_part_payment_is_shown_and_if_modified_since_skips_unchanged(books: Any, fake: FakeXero) -> None:
    ids, remote_id = sent_invoice(books)
    fake.books.set_status(remote_id, "AUTHORISED")
    fake.books.pay(remote_id, Decimal("100"), date(2026, 11, 25))
    [part] = books.sync.sync_payments(["xero"])
    assert (part.status, part.amount_paid, part.amount_due) == (RemoteStatus.PART_PAID, Decimal(100), Decimal(300))
    assert "part-paid, 100.00 of 400.00 (300.00 due)" in part.line()
    assert books.entries.get(ids[0]).status is EntryStatus.INVOICED
    assert books.sync.sync_payments(["xero"]) == []  # unchanged since the last look


def test_voided_invoice_releases_and_flags_its_entries(books: Any, fake: FakeXero) -> None:
    ids, remote_id = sent_invoice(books)
    fake.books.set_status(remote_id, "VOIDED")
    [voided] = books.sync.sync_payments(["xero"])
    assert voided.status is RemoteStatus.VOIDED and voided.entry_ids == tuple(ids)
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.APPROVED, EntryStatus.APPROVED]
    flags = books.sync.store("xero").flags()
    assert set(flags) == set(ids) and "voided" in flags[ids[0]]
    assert books.billing.drafts() == []
    released = [f for f in books.review.load(WEEK).flags if f.code == "accounting-released"]
    assert sorted(i for f in released for i in f.entry_ids) == sorted(ids) and "voided" in released[0].message
    [again] = books.sync.send("xero", WEEK).outcomes  # the released time can be billed anew
    assert again.outcome is Outcome.SENT and again.remote_id != remote_id
    assert not [f for f in books.review.load(WEEK).flags if f.code.startswith("accounting")]


def test_from_captured_spans_to_a_paid_invoice(books: Any, fake: FakeXero, tmp_path: Path) -> None:
    entry_ids = approved_from_spans(books, tmp_path)
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    [invoice] = fake.invoices()
    assert invoice["Total"] == Decimal("350")  # 3.5 h at 100, sent without tax as TimeTally billed it
    assert [e.status for e in map(books.entries.get, entry_ids)] == [EntryStatus.INVOICED] * 2
    fake.books.set_status(outcome.remote_id, "AUTHORISED")
    fake.books.pay(outcome.remote_id, day=date(2026, 12, 1))
    [paid] = books.sync.sync_payments()
    assert paid.status is RemoteStatus.PAID and paid.paid_on == date(2026, 12, 1)
    assert [e.status for e in map(books.entries.get, entry_ids)] == [EntryStatus.PAID] * 2
    assert fake.spec_problems == []
