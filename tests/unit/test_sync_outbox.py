"""Outbox jobs and the audit log on a real database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.domain.models import NewEntry
from app.domain.periods import parse_week
from app.domain.timefmt import utcnow
from app.sync.audit import AuditLog, clean_endpoint
from app.sync.http import limit_headers
from app.sync.outbox import JobKind, JobState, Outbox, invoice_from_job, invoice_payload
from app.sync.provider import Exchange, InvoicePush, LinePush, request_key

PUSH = InvoicePush("uid1", 2, "INV-0007", "contact-1", "NZD", date(2026, 11, 20), date(2026, 12, 4), "exclusive",
                   (LinePush("Dev", Decimal("1.25"), Decimal("120.5"), Decimal("150.63"), "200", "DEV", "OUTPUT",
                             (("Region", "North"),), date(2026, 11, 18)),), "", False, "", "INV-0007")


def stored_draft(core: Any) -> str:
    """The uid of a real stored draft: the send guard lets no invoice of a draft that does not exist leave."""
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    project = core.projects.add_project("Acme Ltd/Web")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=2), "work", project.id))
    core.entries.update(entry.id, status="approved", locked=True)
    [draft] = core.billing.create(parse_week("2026-W47"))
    return str(draft.uid)


def test_an_open_job_keeps_its_key_and_a_refused_one_gets_a_new_key(core: Any) -> None:
    outbox = Outbox(core.db, "xero")
    uid = stored_draft(core)
    job = outbox.enqueue(JobKind.INVOICE, uid, 2, "INV-0007", invoice_payload(PUSH))
    assert job.state is JobState.PENDING and job.key.startswith(f"timetally-invoice-{uid}-r2-") and len(job.key) <= 128
    assert outbox.mark_sent([job.id]) == {}
    again = outbox.enqueue(JobKind.INVOICE, uid, 2, "INV-0007", {"other": "content"})
    assert (again.id, again.key, again.state, again.attempts) == (job.id, job.key, JobState.SENT, 1)
    outbox.fail(job.id, ["Account code '999' is not a valid code for this document."])
    retry = outbox.enqueue(JobKind.INVOICE, uid, 2, "INV-0007", invoice_payload(PUSH))
    assert retry.key == job.key + "-a2" and retry.state is JobState.PENDING
    outbox.mark_sent([retry.id])
    outbox.confirm(retry.id, "remote-1", "INV-0001")
    assert outbox.enqueue(JobKind.INVOICE, uid, 2, "INV-0007", invoice_payload(PUSH)).id == retry.id
    assert outbox.open_jobs() == []
    assert outbox.counts() == {JobState.FAILED: 1, JobState.CONFIRMED: 1}


def test_a_pending_job_takes_new_content_and_the_payload_round_trips(core: Any) -> None:
    outbox = Outbox(core.db, "xero")
    first = outbox.enqueue(JobKind.INVOICE, "uid1", 1, "INV-0007", {"draft": 1})
    job = outbox.enqueue(JobKind.INVOICE, "uid1", 2, "INV-0007", invoice_payload(PUSH))
    assert job.id == first.id and job.key != first.key
    assert invoice_from_job(job) == replace(PUSH, key=job.key)
    assert [j.id for j in outbox.open_jobs(JobKind.INVOICE)] == [job.id]
    outbox.assign_batch([job.id], request_key([job.key]))
    assert outbox.get(job.id).batch == job.key


def test_request_keys_are_stable_and_short() -> None:
    assert request_key(["b", "a"]) == request_key(["a", "b"]) != request_key(["a"])
    assert len(request_key(["x" * 200, "y"])) <= 128 and request_key(["x" * 200]) == "x" * 128


def test_audit_keeps_calls_and_notes_without_credentials(core: Any) -> None:
    audit = AuditLog(core.db, "xero")
    headers = {"X-MinLimit-Remaining": "58", "X-DayLimit-Remaining": "4990", "Authorization": "Bearer secret",
               "Retry-After": "3"}
    audit.record(Exchange("GET", "/Invoices?IDs=a&access_token=leak", 200, utcnow(), 12, "", ("a",), "",
                          limit_headers(headers)))
    audit.note("INV-0001 changed after it was sent", ("a",))
    note, call = audit.records()
    assert note.kind == "note" and note.error.startswith("INV-0001")
    assert call.endpoint == "/Invoices?IDs=a&access_token=***"
    assert call.limits == {"x-minlimit-remaining": "58", "x-daylimit-remaining": "4990", "retry-after": "3"}
    assert "secret" not in repr(audit.records())
    assert clean_endpoint("/x?code=abc&page=2") == "/x?code=***&page=2"
