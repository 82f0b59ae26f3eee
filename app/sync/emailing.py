"""Sending an invoice to the client through the accounting system that holds it ("Send to client").

The e-mail is a document like any other: an outbox job (kind `email`) delivered by the pipeline under its own
idempotency key, so a dropped answer repeated with the next sync never e-mails the client twice. Xero e-mails only
AUTHORISED invoices, to the contact's address; QuickBooks e-mails any invoice it holds, to the customer's billing
address or to one typed in. Each e-mail is noted in the audit log, and the invoices page shows it from the job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.errors import ValidationError
from app.domain.timefmt import utcnow
from app.store.billing_repository import BillingRepository
from app.store.remote_copies import live_copies
from app.sync.outbox import Job, JobKind, JobState
from app.sync.parts import SendParts
from app.sync.provider import Capability
from app.sync.reports import Outcome

ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
MAX_ADDRESS = 254


@dataclass(frozen=True, slots=True)
class EmailResult:
    """What `SyncService.email_invoice` did; `message` is the sentence to show."""

    number: str
    outcome: Outcome
    message: str
    provider: str
    remote_id: str = ""
    remote_number: str = ""
    to: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SENT

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "ok": self.ok, "outcome": str(self.outcome), "message": self.message,
                "provider": self.provider, "remote_id": self.remote_id or None,
                "remote_number": self.remote_number or None, "to": self.to or None}


def email_invoice(sync: SendParts, repo: BillingRepository, number: str, to: str = "") -> EmailResult:
    draft = repo.draft(number)
    to = to.strip()
    if to and (len(to) > MAX_ADDRESS or not ADDRESS.fullmatch(to)):
        raise ValidationError(f"'{to[:80]}' is not an e-mail address; give one such as name@example.com.")
    with sync.db.session() as s:
        copies = live_copies(s, draft.uid)
    if not copies:
        raise ValidationError(f"{draft.number} is not in an accounting system yet. Send it first ('timetally sync "
                              "xero' or 'timetally sync quickbooks'), then send it to the client.")
    copy = next((c for c in copies if c.settled), None)
    if copy is None:
        raise ValidationError(f"{draft.number} is {copies[0].where()}; send again ('timetally sync "
                              f"{copies[0].provider}') to settle it, then send it to the client.")
    if to and Capability.EMAIL_TO not in sync.provider(copy.provider).capabilities:
        raise ValidationError(f"{copy.title} e-mails invoices only to the contact's own address; change it on the "
                              f"contact in {copy.title}, or send without an address.")
    job = sync.outbox(copy.provider).enqueue(JobKind.EMAIL, draft.uid, draft.revision, draft.number, {
        "invoice_id": copy.remote_id, "to": to, "asked_at": utcnow().isoformat(), "client": draft.client_name})
    [outcome] = sync.pipeline(copy.provider).deliver([job])
    remote = copy.remote_number or copy.remote_id
    if outcome.outcome is Outcome.SENT:
        whom = to or "the client's address"
        message = f"{draft.number} ({remote}) was e-mailed to {whom} by {copy.title}."
        if outcome.status:
            sync.store(copy.provider).update_sent(draft.uid, remote_status=outcome.status)
        sync.audit(copy.provider).note(f"{draft.number} was e-mailed to {whom} through {copy.title} from "
                                       "TimeTally.", (copy.remote_id,))
    elif outcome.outcome is Outcome.PENDING:
        message = (f"{copy.title} did not answer, so {draft.number} may not have gone; it is sent again with the "
                   f"next sync ('timetally sync {copy.provider}'), never twice.")
    else:
        message = " ".join(outcome.errors) or f"{copy.title} did not e-mail {draft.number}."
    return EmailResult(draft.number, outcome.outcome, message, copy.provider, copy.remote_id, copy.remote_number, to)


def emailed_on(jobs: list[Job]) -> datetime | None:
    """When the invoice was last e-mailed to the client, from its confirmed e-mail jobs (None when never)."""
    times = [datetime.fromisoformat(str(j.payload["asked_at"])) for j in jobs
             if j.kind is JobKind.EMAIL and j.state is JobState.CONFIRMED and j.payload.get("asked_at")]
    return max(times, default=None)
