"""Sending drafts to the fake Xero: contacts, batches, per-invoice errors, idempotent retries, edits after sending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.domain.models import EntryStatus, NewEntry
from app.domain.periods import parse_week
from app.sync.provider import RemoteKind
from app.sync.ratelimit import Limits
from app.sync.reports import Outcome
from app.sync.store import Mapping
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")


@pytest.fixture
def fake(xero: FakeXero) -> FakeXero:
    return xero


@pytest.fixture
def books(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    core.billing.set_client("Globex", rate="80", currency="NZD")
    return core


def approved(core: Any, path: str, day: int, hours: float, task: str | None = None) -> int:
    project = core.projects.find(path) or core.projects.add_project(path)
    task_id = core.projects.ensure_task(project.id, task).id if task else None
    start = datetime(2026, 11, day, 9, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=hours), "work", project.id, task_id))
    core.entries.update(entry.id, status="approved", locked=True)
    return entry.id


def test_send_creates_one_draft_per_client_in_one_request(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    fake.books.add_contact("Globex")
    first = approved(books, "Acme Ltd/Web", 16, 2)
    approved(books, "Globex/App", 17, 1.5)
    report = books.sync.send("xero", WEEK)
    assert [o.outcome for o in report.outcomes] == [Outcome.SENT, Outcome.SENT]
    assert fake.calls("PUT", "/Invoices") == 1
    assert fake.spec_problems == []
    invoices = {i["Reference"]: i for i in fake.invoices()}
    acme = next(o for o in report.outcomes if o.client == "Acme Ltd")
    assert invoices[acme.number]["Status"] == "DRAFT"
    assert invoices[acme.number]["LineItems"][0]["AccountCode"] == "200"
    assert invoices[acme.number]["LineItems"][0]["TaxType"] == "NONE"  # Acme has no tax: never the account's GST
    assert invoices[acme.number]["Total"] == Decimal("200")
    assert acme.remote_id == invoices[acme.number]["InvoiceID"] and acme.remote_number.startswith("INV-")
    assert books.entries.get(first).status is EntryStatus.INVOICED
    assert books.sync.send("xero", WEEK).outcomes == []
    assert fake.calls("PUT", "/Invoices") == 1
    calls = books.sync.audit("xero").records(kind="call")
    put = next(c for c in calls if c.method == "PUT")
    assert put.idempotency_key and put.limits["x-minlimit-remaining"].isdigit()
    assert "Bearer" not in repr(calls) and "fake-xero-access-token" not in repr(calls)


def test_unknown_client_is_refused_with_the_closest_contacts_then_created_on_request(books: Any,
                                                                                      fake: FakeXero) -> None:
    fake.books.add_contact("Globex Corporation")
    approved(books, "Globex/App", 17, 1)
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.FAILED
    assert "'Globex Corporation'" in outcome.errors[0] and "%" in outcome.errors[0]
    assert fake.calls("PUT", "/Invoices") == 0
    [outcome] = books.sync.send("xero", WEEK, create_contacts=True).outcomes
    assert outcome.outcome is Outcome.SENT
    assert sorted(c["Name"] for c in fake.books.contacts.values()) == ["Globex", "Globex Corporation"]


def test_per_invoice_errors_keep_xeros_words_and_only_the_failed_one_is_retried(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    fake.books.add_contact("Globex")
    approved(books, "Acme Ltd/Web", 16, 2)
    approved(books, "Globex/App", 17, 1)
    globex = next(c for c in books.projects.clients() if c.name == "Globex")
    books.sync.store("xero").set_mapping(Mapping(RemoteKind.ACCOUNT, globex.id, "999", "Nope"))
    report = books.sync.send("xero", WEEK)
    outcomes = {o.client: o for o in report.outcomes}
    assert outcomes["Acme Ltd"].outcome is Outcome.SENT
    assert outcomes["Globex"].errors[0] == "Account code '999' is not a valid code for this document."
    books.sync.store("xero").clear_mapping(RemoteKind.ACCOUNT, globex.id)
    [retried] = books.sync.send("xero", WEEK).outcomes
    assert (retried.client, retried.outcome) == ("Globex", Outcome.SENT)
    assert len(fake.invoices()) == 2
    keys = [s.idempotency_key for s in fake.seen if s.method == "PUT"]
    assert len(set(keys)) == 2


def test_a_dropped_answer_is_retried_with_the_same_key_and_creates_nothing_twice(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    approved(books, "Acme Ltd/Web", 16, 2)
    fake.drop_after_commit()
    fake.fail_next(1, 503, "PUT")
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    assert len(fake.invoices()) == 1
    puts = [s for s in fake.seen if s.method == "PUT"]
    assert len({s.idempotency_key for s in puts}) == 1 and puts[-1].replayed


def test_a_429_storm_is_waited_out(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    approved(books, "Acme Ltd/Web", 16, 2)
    fake.storm(2, retry_after=0, method="PUT")
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT
    assert books.sync.limiter("xero").throttled == 2


def test_an_edited_draft_updates_the_xero_draft_and_a_approved_one_is_flagged(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    approved(books, "Acme Ltd/Web", 16, 1.1)
    [sent] = books.sync.send("xero", WEEK).outcomes
    assert fake.invoices()[0]["Total"] == Decimal("110")  # 1.1 h at 100, no tax
    books.billing.set_client("Acme Ltd", rounding="up:30")
    books.billing.refresh(sent.number)
    [updated] = books.sync.send("xero", WEEK).outcomes
    assert updated.outcome is Outcome.UPDATED and updated.remote_id == sent.remote_id
    assert fake.invoices()[0]["Total"] == Decimal("150")
    fake.books.set_status(sent.remote_id, "AUTHORISED")  # approved in Xero, and TimeTally has not looked since
    books.billing.set_client("Acme Ltd", rounding="up:60")
    books.billing.refresh(sent.number)
    [diverged] = books.sync.send("xero", WEEK).outcomes
    assert diverged.outcome is Outcome.DIVERGED and "can no longer be replaced" in diverged.errors[0]
    assert books.sync.store("xero").sent(diverged.uid).divergence
    assert any(r.kind == "note" for r in books.sync.audit("xero").records())
    [flag] = [f for f in books.review.load(WEEK).flags if f.code == "accounting-diverged"]
    assert "can no longer be replaced" in flag.message
    assert len(fake.invoices()) == 1


def test_authorised_setting_sends_approved_invoices(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    books.settings.set("sync.invoice_status", "AUTHORISED")
    approved(books, "Acme Ltd/Web", 16, 2)
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.status == "open" and fake.invoices()[0]["Status"] == "AUTHORISED"


def test_xeros_own_minute_limit_is_waited_out_and_our_pacing_avoids_it(core: Any,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    clients = ("A Ltd", "B Ltd", "C Ltd", "D Ltd", "E Ltd", "F Ltd")
    for client in clients:
        core.billing.set_client(client, rate="50", currency="NZD")
        approved(core, f"{client}/Work", 18, 1)
    with FakeXero(per_minute=4, window_seconds=1.0) as fake:
        connect(core, fake, monkeypatch, Limits(per_window=1000, window_seconds=1.0, backoff_seconds=0.01))
        fake.use_up_minute()
        report = core.sync.send("xero", WEEK, create_contacts=True)  # 9 calls against 4 a second
        assert [o.outcome for o in report.outcomes] == [Outcome.SENT] * 6
        assert fake.throttled > 0 and core.sync.limiter("xero").throttled == fake.throttled
        throttled = fake.throttled
        core.sync.use(limits=Limits(per_window=3, window_seconds=1.0))  # a margin for latency
        fake.new_window()
        for client in clients:
            client_id = next(c.id for c in core.projects.clients() if c.name == client)
            core.sync.store("xero").clear_mapping(RemoteKind.CUSTOMER, client_id)
        core.sync.store("xero").save(RemoteKind.CUSTOMER, [])
        core.billing.set_client("G Ltd", rate="50", currency="NZD")
        approved(core, "G Ltd/Work", 19, 1)
        report = core.sync.send("xero", WEEK, create_contacts=True)  # 9 calls, paced to 3 a second
        assert [o.outcome for o in report.outcomes] == [Outcome.SENT] and fake.throttled == throttled
        assert len(fake.invoices()) == 7


def test_a_batch_without_an_answer_is_resent_whole_with_its_key(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    fake.books.add_contact("Globex")
    approved(books, "Acme Ltd/Web", 16, 2)
    approved(books, "Globex/App", 17, 1)
    books.sync.use(limits=Limits(max_retries=0))
    fake.drop_after_commit()
    outcomes = books.sync.send("xero", WEEK).outcomes
    assert [o.outcome for o in outcomes] == [Outcome.PENDING, Outcome.PENDING]
    assert "connection dropped" in outcomes[0].errors[0]
    assert len(fake.invoices()) == 2
    again = books.sync.send("xero", WEEK).outcomes
    assert sorted(o.remote_id for o in again) == sorted(i["InvoiceID"] for i in fake.invoices())
    puts = [s for s in fake.seen if s.method == "PUT" and s.path == "/Invoices"]
    assert len(puts) == 2 and puts[0].idempotency_key == puts[1].idempotency_key and puts[1].replayed
    assert puts[0].idempotency_key.startswith("timetally-batch-")


def test_cancelling_before_the_request_stores_nothing_and_the_next_sync_sends(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    approved(books, "Acme Ltd/Web", 16, 2)
    [cancelled] = books.sync.send("xero", WEEK, cancelled=lambda: True).outcomes
    assert cancelled.outcome is Outcome.NOT_SENT and fake.calls("PUT") == 0
    assert "taken back" in cancelled.errors[-1] and books.billing.drafts() == []  # nothing stored, nothing locked
    [sent] = books.sync.send("xero", WEEK).outcomes
    assert (sent.outcome, sent.number) == (Outcome.SENT, "INV-0001") and len(fake.invoices()) == 1


def test_a_contact_made_in_xero_after_the_list_was_cached_is_found_by_name(books: Any, fake: FakeXero) -> None:
    fake.books.add_contact("Acme Ltd")
    approved(books, "Acme Ltd/Web", 16, 2)
    books.sync.send("xero", WEEK)
    books.sync.use()  # a later run: the contact list comes from the cache
    fake.books.add_contact("Globex")
    approved(books, "Globex/App", 17, 1)
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert (outcome.client, outcome.outcome) == ("Globex", Outcome.SENT)
    assert fake.calls("GET", "/Contacts") == 2 and len(fake.books.contacts) == 2
