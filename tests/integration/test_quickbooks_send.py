"""Sending a period to the fake QuickBooks: customers and jobs, time activities, invoices linked to them, batches,
idempotent retries, inactive records and names taken by another list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.domain.models import EntryStatus, NewEntry
from app.domain.periods import parse_week
from app.sync.provider import RemoteKind
from app.sync.quickbooks_send.links import Mode
from app.sync.quickbooks_send.send import QuickBooksSync
from app.sync.reports import Outcome
from app.sync.store import Mapping
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect

WEEK = parse_week("2026-W47")


@pytest.fixture
def fake(quickbooks: FakeQuickBooks) -> FakeQuickBooks:
    return quickbooks


@pytest.fixture
def books(core: Any, fake: FakeQuickBooks, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="USD")
    core.billing.set_client("Globex", rate="80", currency="USD")
    core.settings.set("billing.person", "Jane Doe")
    return core


def qbo(core: Any) -> QuickBooksSync:
    return core.sync.quickbooks()


def approved(core: Any, path: str, day: int, hours: float, task: str | None = None, note: str = "work") -> int:
    project = core.projects.find(path) or core.projects.add_project(path)
    task_id = core.projects.ensure_task(project.id, task).id if task else None
    start = datetime(2026, 11, day, 9, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=hours), note, project.id, task_id))
    core.entries.update(entry.id, status="approved", locked=True)
    return entry.id


def test_time_mode_sends_billable_time_activities_to_jobs_in_one_batch(books: Any, fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    first = approved(books, "Acme Ltd/Website", 16, 2.5, "Design", "login page")
    approved(books, "Acme Ltd/Website", 17, 1.25)
    report = qbo(books).send(WEEK)
    assert [o.outcome for o in report.outcomes] == [Outcome.SENT, Outcome.SENT]
    assert fake.spec_problems == []
    assert fake.calls("batch") == 1 and fake.throttled == 0
    activities = sorted(fake.all("TimeActivity"), key=lambda a: a["TxnDate"])
    assert [(a["Hours"], a["Minutes"], a["HourlyRate"], a["BillableStatus"]) for a in activities] == [
        (2, 30, 100, "Billable"), (1, 15, 100, "Billable")]
    job = next(c for c in fake.all("Customer") if c.get("Job"))
    assert job["FullyQualifiedName"] == "Acme Ltd:Website" and job["BillWithParent"] is True
    assert {a["CustomerRef"]["value"] for a in activities} == {job["Id"]}
    items = {i["Id"]: i["Name"] for i in fake.all("Item")}
    assert [items[a["ItemRef"]["value"]] for a in activities] == ["Design", "Hours"]
    assert activities[0]["NameOf"] == "Employee" and activities[0]["Description"] == "login page"
    assert books.entries.get(first).status is EntryStatus.APPROVED
    assert qbo(books).send(WEEK).outcomes == []
    assert fake.calls("batch") == 1 and len(fake.all("TimeActivity")) == 2


def test_invoice_mode_links_each_line_to_its_time_activities(books: Any, fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    entry = approved(books, "Acme Ltd/Website", 16, 2)
    approved(books, "Acme Ltd/Website", 17, 1)
    report = qbo(books).send(WEEK, mode=Mode.INVOICE)
    assert fake.spec_problems == []
    invoice_outcome = report.outcomes[-1]
    assert invoice_outcome.outcome is Outcome.SENT and invoice_outcome.status == "open"
    [invoice] = fake.all("Invoice")
    assert invoice["TotalAmt"] == 300 and invoice["DocNumber"] == invoice_outcome.remote_number
    linked = [t["TxnId"] for line in invoice["Line"] for t in line["LinkedTxn"]]
    assert sorted(linked) == sorted(a["Id"] for a in fake.all("TimeActivity"))
    assert {a["BillableStatus"] for a in fake.all("TimeActivity")} == {"HasBeenBilled"}
    assert books.entries.get(entry).status is EntryStatus.INVOICED
    assert qbo(books).mode(books.projects.clients()[0].id) is Mode.INVOICE
    assert qbo(books).send(WEEK).outcomes == []
    assert len(fake.all("Invoice")) == 1


def test_unknown_client_gets_the_closest_customers_then_is_created_on_request(books: Any,
                                                                              fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Globex Corporation")
    approved(books, "Globex/App", 17, 1)
    [outcome] = qbo(books).send(WEEK).outcomes
    assert outcome.outcome is Outcome.FAILED and "'Globex Corporation'" in outcome.errors[0]
    assert "--create-customers" in outcome.errors[0]
    assert fake.calls("batch") == 0
    [outcome] = qbo(books).send(WEEK, create_customers=True).outcomes
    assert outcome.outcome is Outcome.SENT
    assert sorted(c["FullyQualifiedName"] for c in fake.all("Customer")) == ["Globex", "Globex Corporation",
                                                                           "Globex:App"]


def test_names_taken_by_a_vendor_and_colons_are_made_distinct(books: Any, fake: FakeQuickBooks) -> None:
    books.billing.set_client("Initech", rate="90")
    fake.company.add("Vendor", DisplayName="Initech")
    fake.company.add("Vendor", DisplayName="Jane Doe")
    approved(books, "Initech/Phase: 2", 18, 1)
    [outcome] = qbo(books).send(WEEK, create_customers=True).outcomes
    assert outcome.outcome is Outcome.SENT, outcome.errors
    names = sorted(c["FullyQualifiedName"] for c in fake.all("Customer"))
    assert names == ["Initech (customer)", "Initech (customer):Phase - 2"]
    assert [e["DisplayName"] for e in fake.all("Employee")] == ["Jane Doe (employee)"]
    assert fake.spec_problems == []


def test_an_inactive_customer_is_revived_and_its_time_sent(books: Any, fake: FakeQuickBooks) -> None:
    acme = fake.company.add("Customer", DisplayName="Acme Ltd")
    approved(books, "Acme Ltd/Website", 16, 1)
    [first] = qbo(books).send(WEEK).outcomes
    job = next(c for c in fake.all("Customer") if c.get("Job"))
    fake.company.deactivate("Customer", job["Id"])
    approved(books, "Acme Ltd/Website", 18, 1)
    [second] = qbo(books).send(WEEK).outcomes
    assert second.outcome is Outcome.SENT, second.errors
    assert fake.company.records["Customer"][job["Id"]]["Active"] is True
    assert any(s.status == 200 and s.path == "batch" for s in fake.seen)
    assert first.outcome is Outcome.SENT and acme["Active"] is True


def test_a_dropped_batch_answer_is_resent_with_the_same_requestid(books: Any, fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    approved(books, "Acme Ltd/Website", 16, 2)
    fake.drop_after_commit()
    fake.fail_next(1, 503, "batch")
    [outcome] = qbo(books).send(WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    assert len(fake.all("TimeActivity")) == 1
    batches = [s for s in fake.seen if s.path == "batch"]
    assert len({s.query["requestid"] for s in batches}) == 1 and batches[-1].replayed
    failed = [r for r in books.sync.audit("quickbooks").records(kind="call") if r.status >= 500]
    assert failed and "intuit_tid" in failed[0].error


def test_a_429_storm_is_waited_out(books: Any, fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    approved(books, "Acme Ltd/Website", 16, 2)
    fake.storm(3)
    [outcome] = qbo(books).send(WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    # Every 429 was waited out: the storm's three, and any the fake's own 10-a-second limit gave a late burst.
    answered = sum(1 for s in fake.seen if s.status == 429)
    assert answered >= 3 and books.sync.limiter("quickbooks").throttled == answered


def test_an_edited_entry_updates_its_time_activity_with_the_current_sync_token(books: Any,
                                                                              fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    entry = approved(books, "Acme Ltd/Website", 16, 1)
    qbo(books).send(WEEK)
    [activity] = fake.all("TimeActivity")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    books.entries.update(entry, end=start + timedelta(hours=3))
    [outcome] = qbo(books).send(WEEK).outcomes
    assert outcome.outcome is Outcome.UPDATED, outcome.errors
    [updated] = fake.all("TimeActivity")
    assert updated["Id"] == activity["Id"] and updated["Hours"] == 3 and updated["SyncToken"] == "1"
    update = [s.body for s in fake.seen if s.path == "batch"][-1]["BatchItemRequest"][0]
    assert update["operation"] == "update" and update["TimeActivity"]["sparse"] is True


def test_dry_run_sends_nothing(books: Any, fake: FakeQuickBooks) -> None:
    approved(books, "Acme Ltd/Website", 16, 2)
    report = qbo(books).send(WEEK, dry_run=True, mode=Mode.INVOICE)
    assert [o.outcome for o in report.outcomes] == [Outcome.WOULD_SEND]
    assert "as invoice" in report.outcomes[0].number
    assert fake.calls() == 0 and books.billing.drafts() == []


def test_amounts_are_exact_decimals(books: Any, fake: FakeQuickBooks) -> None:
    books.billing.set_client("Hooli", rate="97.35")
    fake.company.add("Customer", DisplayName="Hooli")
    approved(books, "Hooli/Website", 16, 1.1)
    qbo(books).send(WEEK, mode=Mode.INVOICE)
    [invoice] = fake.all("Invoice")
    assert Decimal(str(invoice["TotalAmt"])) == Decimal("107.09")


def test_a_batch_mixes_successes_and_faults_and_only_the_refused_item_goes_again(books: Any,
                                                                                  fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    approved(books, "Acme Ltd/Website", 16, 1)
    approved(books, "Acme Ltd/Website", 17, 2, "Design")
    task = books.projects.ensure_task(books.projects.find("Acme Ltd/Website").id, "Design")
    store = books.sync.store("quickbooks")
    store.set_mapping(Mapping(RemoteKind.ITEM, task.id, "999", "Gone"))
    outcomes = {o.number[:10]: o for o in qbo(books).send(WEEK).outcomes}
    assert outcomes["2026-11-16"].outcome is Outcome.SENT
    assert outcomes["2026-11-17"].outcome is Outcome.FAILED and "610" in outcomes["2026-11-17"].errors[0]
    assert fake.calls("batch") == 1 and len(fake.all("TimeActivity")) == 1
    store.clear_mapping(RemoteKind.ITEM, task.id)
    [retried] = qbo(books).send(WEEK).outcomes
    assert (retried.number[:10], retried.outcome) == ("2026-11-17", Outcome.SENT)
    assert len(fake.all("TimeActivity")) == 2
    requestids = [s.query["requestid"] for s in fake.seen if s.path == "batch"]
    assert len(set(requestids)) == 2 and all(len(r) <= 50 for r in requestids)


def test_the_one_click_send_goes_through_the_sync_service_with_progress(books: Any, fake: FakeQuickBooks) -> None:
    approved(books, "Acme Ltd/Website", 16, 2)
    seen: list[tuple[int, int]] = []
    report = books.sync.send("quickbooks", WEEK, create_contacts=True, progress=lambda d, t: seen.append((d, t)))
    assert [o.outcome for o in report.outcomes] == [Outcome.SENT] and seen == [(1, 1)]
    assert [c["DisplayName"] for c in fake.all("Customer")] == ["Acme Ltd", "Website"]


def test_an_edited_invoice_is_updated_sparsely_while_unpaid_and_diverges_once_paid(books: Any,
                                                                                    fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    approved(books, "Acme Ltd/Website", 16, 1.1)
    sent = qbo(books).send(WEEK, mode=Mode.INVOICE).outcomes[-1]
    assert fake.all("Invoice")[0]["TotalAmt"] == Decimal("110")
    books.billing.set_client("Acme Ltd", rounding="up:30")
    books.billing.refresh(sent.number)
    updated = qbo(books).send(WEEK).outcomes[-1]
    assert updated.outcome is Outcome.UPDATED and updated.remote_id == sent.remote_id, updated.errors
    [invoice] = fake.all("Invoice")
    assert invoice["TotalAmt"] == Decimal("150") and invoice["SyncToken"] == "1"
    assert {a["BillableStatus"] for a in fake.all("TimeActivity")} == {"HasBeenBilled"}
    fake.company.pay(sent.remote_id, "10")
    books.sync.sync_payments(["quickbooks"])
    books.billing.set_client("Acme Ltd", rounding="up:60")
    books.billing.refresh(sent.number)
    [diverged] = qbo(books).send(WEEK).outcomes
    assert diverged.outcome is Outcome.DIVERGED and "part_paid in QuickBooks" in diverged.errors[0]
    assert fake.spec_problems == []


def test_a_send_left_unanswered_is_finished_by_the_next_run_without_duplicates(books: Any,
                                                                              fake: FakeQuickBooks) -> None:
    fake.company.add("Customer", DisplayName="Acme Ltd")
    approved(books, "Acme Ltd/Website", 16, 2)
    fake.drop_after_commit(5)
    [pending] = qbo(books).send(WEEK).outcomes
    assert pending.outcome is Outcome.PENDING and len(fake.all("TimeActivity")) == 1
    [resumed] = qbo(books).send(WEEK).outcomes
    assert resumed.outcome is Outcome.SENT and len(fake.all("TimeActivity")) == 1
    batches = [s for s in fake.seen if s.path == "batch"]
    assert batches[-1].replayed and len({s.query["requestid"] for s in batches}) == 1
