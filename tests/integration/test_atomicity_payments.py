"""A payment status applied, the drafts a send stores and a draft it takes back are all or nothing: a fault between
their writes leaves the invoices, their jobs and their entries as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.domain.models import EntryStatus, NewEntry
from app.store.tables.billing import InvoiceDraftRow
from app.store.tables.sync import SyncEntryFlagRow
from app.sync.provider import RemoteKind, RemoteOption
from app.sync.store import Mapping
from tests.atomicity import Injected, failing
from tests.fakes.captured import WEEK, approved
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect
from tests.integration.test_send_unit import QUICK, closed_port
from tests.integration.test_xero_payments import sent_invoice


@pytest.fixture
def books(core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, xero, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    xero.books.add_contact("Acme Ltd")
    return core


def test_a_void_applied_with_a_fault_between_its_writes_changes_nothing(books: Any, xero: FakeXero) -> None:
    ids, remote_id = sent_invoice(books)
    number = books.billing.drafts()[0].number
    xero.books.set_status(remote_id, "VOIDED")
    with failing(SyncEntryFlagRow), pytest.raises(Injected):  # the flags come after the status and the release
        books.sync.sync_payments(["xero"])
    sent = books.sync.store("xero").sent_invoices()[0]
    assert (sent.remote_status, sent.released) == ("draft", False)
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.INVOICED] * 2
    assert [d.number for d in books.billing.drafts()] == [number] and books.sync.store("xero").flags() == {}
    [voided] = books.sync.sync_payments(["xero"])
    assert voided.entry_ids == tuple(ids)
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.APPROVED] * 2
    assert books.billing.drafts() == [] and set(books.sync.store("xero").flags()) == set(ids)


def test_a_send_whose_drafts_fail_midway_stores_none_of_them(books: Any, xero: FakeXero) -> None:
    books.billing.set_client("Globex", rate="90", currency="NZD")
    xero.books.add_contact("Globex")
    ids = []
    for n, path in enumerate(("Acme Ltd/Web", "Globex/Support")):
        project = books.projects.add_project(path)
        start = datetime(2026, 11, 16 + n, 9, tzinfo=UTC)
        entry = books.entries.add(NewEntry(start, start + timedelta(hours=2), "work", project.id))
        books.entries.update(entry.id, status="approved", locked=True)
        ids.append(entry.id)
    drafts: list[object] = []

    def second_fails(*_args: object) -> None:
        drafts.append(None)
        if len(drafts) == 2:
            raise Injected("the second draft cannot be written")

    with failing(InvoiceDraftRow, "before_insert", second_fails), pytest.raises(Injected):
        books.sync.send("xero", WEEK)
    assert books.billing.drafts() == []
    assert [books.entries.get(i).status for i in ids] == [EntryStatus.APPROVED] * 2
    assert not [s for s in xero.seen if s.method in ("POST", "PUT")]


def test_a_draft_taken_back_with_a_fault_keeps_its_job(core: Any, xero: FakeXero,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    contact = xero.books.add_contact("Acme Ltd")
    approved(core, "Acme Ltd/Web", datetime(2026, 11, 16, 9, tzinfo=UTC), timedelta(hours=2))
    store = core.sync.store("xero")  # the lists known already: only the invoice request is left to make
    store.save(RemoteKind.ACCOUNT, [RemoteOption(RemoteKind.ACCOUNT, "200", "Sales")])
    store.save(RemoteKind.TAX_RATE, [RemoteOption(RemoteKind.TAX_RATE, "NONE", "No GST", detail="0.0%")])
    client = next(c for c in core.projects.clients() if c.name == "Acme Ltd")
    store.set_mapping(Mapping(RemoteKind.CUSTOMER, client.id, contact["ContactID"], "Acme Ltd"))
    connect(core, xero, monkeypatch, QUICK)
    monkeypatch.setenv("TIMETALLY_XERO_API_URL", f"http://127.0.0.1:{closed_port()}/api.xro/2.0")
    with failing(InvoiceDraftRow, "before_delete"), pytest.raises(Injected):
        core.sync.send("xero", WEEK)  # nothing reached Xero: the draft is taken back, and that fails
    [job] = core.sync.outbox("xero").jobs()
    assert len(core.billing.drafts()) == 1 and not any("taken back" in e for e in job.errors)
