"""The outbox: every document is written down as a job before the request that carries it.

States: pending (written, not yet on the wire), sent (a request left; the answer may have been lost), confirmed
(the provider accepted it and gave its id), failed (the provider refused the content). A crash or a lost answer
leaves jobs pending or sent; the next run sends them again in the same request with the same idempotency key,
so the provider recognises the repeat and never creates a second document. A refused job is never retried with
its old key (providers replay the stored refusal): a new attempt gets a new key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from app.domain.tax import AmountsAre
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.sync import SyncJobRow
from app.sync import guard
from app.sync.provider import InvoicePush, LinePush, TimePush


class JobState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CONFIRMED = "confirmed"
    FAILED = "failed"


class JobKind(StrEnum):
    INVOICE = "invoice"
    TIME = "time"
    CUSTOMER = "customer"
    ATTACHMENT = "attachment"
    EMAIL = "email"


OPEN_STATES = (JobState.PENDING, JobState.SENT)


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    provider: str
    kind: JobKind
    local_ref: str
    label: str
    revision: int
    key: str
    batch: str
    state: JobState
    attempts: int
    payload: dict[str, Any]
    remote_id: str
    remote_number: str
    errors: tuple[str, ...]

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class Outbox:
    """Jobs of one provider. Each method is one short transaction, so a crash between them loses nothing."""

    def __init__(self, db: Database, provider: str) -> None:
        self._db = db
        self.provider = provider

    def enqueue(self, kind: JobKind, local_ref: str, revision: int, label: str, payload: dict[str, Any]) -> Job:
        """The job for this document and content: an open one is reused (so its key is too), a confirmed one with
        the same content is returned as it is, and otherwise a new pending job with a fresh key is written."""
        digest = payload_hash(payload)
        with self._db.session() as s:
            rows = s.exec(select(SyncJobRow).where(
                SyncJobRow.provider == self.provider, SyncJobRow.kind == str(kind), SyncJobRow.local_ref == local_ref,
            ).order_by(col(SyncJobRow.id))).all()
            for row in rows:
                if row.state == JobState.SENT:
                    return _job(row)  # its fate is unknown: it must be resolved as it was sent
                if row.state == JobState.PENDING:
                    row.revision, row.label, row.payload = revision, label, json.dumps(payload, sort_keys=True)
                    row.key = self._key(kind, local_ref, revision, digest, rows)
                    row.batch, row.updated_at = "", utcnow()
                    s.add(row)
                    return _job(row)
            done = [r for r in rows if r.state == JobState.CONFIRMED and payload_hash(json.loads(r.payload)) == digest]
            if done:
                return _job(done[-1])
            row = SyncJobRow(provider=self.provider, kind=str(kind), local_ref=local_ref, label=label,
                             revision=revision, key=self._key(kind, local_ref, revision, digest, rows),
                             payload=json.dumps(payload, sort_keys=True))
            s.add(row)
            s.flush()
            return _job(row)

    @staticmethod
    def _key(kind: JobKind, local_ref: str, revision: int, digest: str, rows: Sequence[SyncJobRow]) -> str:
        """`timetally-<uid>-r<revision>-<content>` plus the attempt after refusals; at most 128 characters."""
        base = f"timetally-{kind}-{local_ref}-r{revision}-{digest[:12]}"
        refused = sum(1 for r in rows if r.state == JobState.FAILED and r.key.startswith(base))
        return (base if not refused else f"{base}-a{refused + 1}")[:128]

    def assign_batch(self, job_ids: Iterable[int], batch: str) -> None:
        self._update(job_ids, batch=batch)

    def mark_sent(self, job_ids: Iterable[int]) -> dict[int, str]:
        """Called right before the request leaves; from here on a crash means "maybe created".

        Every provider's documents pass here, so the send guard runs here too, in the same transaction: a job that
        never left and would bill an entry a second time is failed instead, with the reason (returned by job id).
        """
        with self._db.session() as s:
            rows = s.exec(select(SyncJobRow).where(col(SyncJobRow.id).in_(list(job_ids)))).all()
            refused = guard.refusals(s, rows)
            for row in rows:
                why = refused.get(row.id or 0)
                if why is not None:
                    row.state, row.errors = str(JobState.FAILED), json.dumps([why])
                else:
                    row.state, row.attempts = str(JobState.SENT), row.attempts + 1
                row.updated_at = utcnow()
                s.add(row)
        return refused

    def unsend(self, job_ids: Iterable[int]) -> None:
        """The request never reached the provider (no connection, sign-in refused): the jobs are pending again."""
        self._update(job_ids, state=str(JobState.PENDING), batch="")

    def cancel(self, local_ref: str, reason: str) -> None:
        """Open jobs of a document that will not be sent after all (its draft was voided or given back)."""
        with self._db.session() as s:
            for row in s.exec(select(SyncJobRow).where(SyncJobRow.provider == self.provider,
                                                       SyncJobRow.local_ref == local_ref,
                                                       SyncJobRow.state == str(JobState.PENDING))).all():
                row.state, row.errors, row.updated_at = str(JobState.FAILED), json.dumps([reason]), utcnow()
                s.add(row)

    def confirm(self, job_id: int, remote_id: str, remote_number: str = "") -> None:
        self._update([job_id], state=str(JobState.CONFIRMED), remote_id=remote_id, remote_number=remote_number,
                     errors="[]")

    def fail(self, job_id: int, errors: Sequence[str]) -> None:
        """The provider refused the content; the next attempt will carry a new key."""
        self._update([job_id], state=str(JobState.FAILED), errors=json.dumps(list(errors)))

    def note_errors(self, job_id: int, errors: Sequence[str]) -> None:
        """No usable answer (a dropped connection, a 5xx): the job stays as it is, to be sent again unchanged."""
        self._update([job_id], errors=json.dumps(list(errors)))

    def _update(self, job_ids: Iterable[int], **values: Any) -> None:
        with self._db.session() as s:
            for row in s.exec(select(SyncJobRow).where(col(SyncJobRow.id).in_(list(job_ids)))):
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_at = utcnow()
                s.add(row)

    def open_jobs(self, kind: JobKind | None = None) -> list[Job]:
        """Pending and sent jobs, oldest first: what a resumed run must finish."""
        query = select(SyncJobRow).where(SyncJobRow.provider == self.provider,
                                         col(SyncJobRow.state).in_([str(s) for s in OPEN_STATES]))
        if kind is not None:
            query = query.where(SyncJobRow.kind == str(kind))
        with self._db.session() as s:
            return [_job(r) for r in s.exec(query.order_by(col(SyncJobRow.id)))]

    def jobs(self, local_ref: str | None = None, limit: int = 200) -> list[Job]:
        query = select(SyncJobRow).where(SyncJobRow.provider == self.provider)
        if local_ref is not None:
            query = query.where(SyncJobRow.local_ref == local_ref)
        with self._db.session() as s:
            return [_job(r) for r in s.exec(query.order_by(col(SyncJobRow.id).desc()).limit(limit))]

    def get(self, job_id: int) -> Job:
        with self._db.session() as s:
            row = s.get(SyncJobRow, job_id)
            if row is None:
                raise KeyError(job_id)
            return _job(row)

    def counts(self) -> dict[JobState, int]:
        with self._db.session() as s:
            rows = s.exec(select(SyncJobRow.state, func.count()).where(SyncJobRow.provider == self.provider)
                          .group_by(col(SyncJobRow.state))).all()
            return {JobState(state): count for state, count in rows}


def resume_batches(jobs: Sequence[Job], size: int) -> list[list[Job]]:
    """Jobs that share a stored batch stay together; the rest form new batches of creates and of updates."""
    kept: dict[str, list[Job]] = {}
    fresh: dict[bool, list[Job]] = {False: [], True: []}
    for job in jobs:
        if job.batch and job.state is JobState.SENT:
            kept.setdefault(job.batch, []).append(job)
        else:
            fresh[bool(job.payload.get("remote_id"))].append(job)
    result = list(kept.values())
    for group in fresh.values():
        result += [group[i:i + size] for i in range(0, len(group), size)]
    return result


def _job(row: SyncJobRow) -> Job:
    return Job(row.id or 0, row.provider, JobKind(row.kind), row.local_ref, row.label, row.revision, row.key,
               row.batch, JobState(row.state), row.attempts, json.loads(row.payload), row.remote_id,
               row.remote_number, tuple(json.loads(row.errors)))


# The stored payloads: provider-neutral documents as JSON, amounts as decimal text.

def invoice_payload(invoice: InvoicePush) -> dict[str, Any]:
    return {
        "local_uid": invoice.local_uid, "revision": invoice.revision, "number": invoice.number,
        "customer_code": invoice.customer_code, "currency": invoice.currency,
        "issue_date": invoice.issue_date.isoformat(), "due_date": invoice.due_date.isoformat(),
        "amounts_are": invoice.amounts_are, "authorise": invoice.authorise, "remote_id": invoice.remote_id,
        "reference": invoice.reference,
        "lines": [{
            "description": line.description, "quantity": str(line.quantity), "unit_amount": str(line.unit_amount),
            "amount": str(line.amount), "account_code": line.account_code, "item_code": line.item_code,
            "tax_type": line.tax_type, "tracking": [list(t) for t in line.tracking],
            "service_date": line.service_date.isoformat() if line.service_date else None,
        } for line in invoice.lines],
    }


def invoice_from_job(job: Job) -> InvoicePush:
    p = job.payload
    lines = tuple(LinePush(
        line["description"], Decimal(line["quantity"]), Decimal(line["unit_amount"]), Decimal(line["amount"]),
        line["account_code"], line["item_code"], line["tax_type"], tuple((a, b) for a, b in line["tracking"]),
        date.fromisoformat(line["service_date"]) if line["service_date"] else None,
    ) for line in p["lines"])
    return InvoicePush(p["local_uid"], p["revision"], p["number"], p["customer_code"], p["currency"],
                       date.fromisoformat(p["issue_date"]), date.fromisoformat(p["due_date"]),
                       AmountsAre(p["amounts_are"]), lines, job.key, p["authorise"], p["remote_id"], p["reference"])


def time_payload(activity: TimePush) -> dict[str, Any]:
    return {
        "entry_id": activity.entry_id, "customer_code": activity.customer_code, "day": activity.day.isoformat(),
        "seconds": activity.seconds, "description": activity.description, "item_code": activity.item_code,
        "hourly_rate": None if activity.hourly_rate is None else str(activity.hourly_rate),
        "billable": activity.billable, "worker": activity.worker,
    }


def time_from_job(job: Job) -> TimePush:
    p = job.payload
    return TimePush(p["entry_id"], job.key, p["customer_code"], date.fromisoformat(p["day"]), p["seconds"],
                    p["description"], p["item_code"], None if p["hourly_rate"] is None else Decimal(p["hourly_rate"]),
                    p["billable"], p["worker"])
