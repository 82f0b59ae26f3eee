"""Proof of work attached to sent invoices: the timesheet PDF and the expense receipts, for clients whose setting
says attach (`timetally clients set NAME --attach`).

Each file is an outbox job (kind `attachment`, one per invoice and file name) delivered by the pipeline. Its key
comes from the file's content, so a file already attached is not uploaded again on the next send, a receipt of
several MB goes once, and a timesheet changed by a refresh goes again and replaces the one of the same name. The
generated PDF travels in the job itself; a receipt is read from the data folder when it leaves and must still be
the file that was planned (its SHA-256), or the job fails with a sentence.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.billing.proof_pdf import proof_pdf
from app.domain.invoices import InvoiceDraft
from app.sync.http import ApiError
from app.sync.outbox import Job, JobKind
from app.sync.parts import SendParts
from app.sync.proof_files import digest
from app.sync.provider import RemoteStatus
from app.sync.reports import InvoiceOutcome, Outcome


def timesheet_name(number: str) -> str:
    return f"Timesheet {number}.pdf"


def attach_proof(sync: SendParts, name: str, drafts: Sequence[InvoiceDraft], person: str) -> list[InvoiceOutcome]:
    """Attach the proof of each of `drafts` that the provider holds and whose client wants it; the outcomes of the
    uploads (none when nothing had to go: files attached before with the same content are not sent again)."""
    wanted = {c.billing.client_id for c in sync.billing.clients() if c.billing.attach_proof}
    store, jobs = sync.store(name), []
    for draft in drafts:
        sent = store.sent(draft.uid) if draft.client_id in wanted else None
        if sent is not None and not sent.released and not RemoteStatus(sent.remote_status).gone:
            jobs += plan(sync, name, draft, sent.remote_id, person)
    if not jobs:
        return []
    try:
        return sync.pipeline(name).deliver(jobs)
    except ApiError as exc:  # the invoices are sent and recorded; their files wait for the next sync
        return [InvoiceOutcome(j.label, j.local_ref, Outcome.PENDING, errors=(str(exc),)) for j in jobs]


def plan(sync: SendParts, name: str, draft: InvoiceDraft, remote_id: str, person: str) -> list[Job]:
    pdf = proof_pdf(draft, sync.billing.timesheet(draft.number), person)
    files: list[dict[str, Any]] = [{"name": timesheet_name(draft.number), "mime": "application/pdf",
                                    "data": base64.b64encode(pdf).decode(), "sha256": digest(pdf)}]
    receipts = sync.billing.expenses.receipts_of(draft.number) if sync.billing.expenses else []
    for given, path in receipts:
        files.append({"name": f"Receipt {given}", "mime": mimetypes.guess_type(given)[0] or "application/octet-stream",
                      "path": str(path), "sha256": _file_digest(path), "size": path.stat().st_size})
    outbox = sync.outbox(name)
    return [outbox.enqueue(JobKind.ATTACHMENT, f"{draft.uid}/{f['name']}", draft.revision,
                           f"{draft.number} · {f['name']}",
                           {**f, "invoice_id": remote_id, "online": True, "client": draft.client_name})
            for f in files]


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
