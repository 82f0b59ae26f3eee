"""The send guard: no invoice leaves for the first time while any of its entries is on another live remote invoice.

It runs inside `Outbox.mark_sent`, the one step every document of every provider passes right before its request
leaves, and in the same transaction that marks the job sent, so two processes sending at once cannot both pass.
Only jobs that never left are judged: a request that left without an answer is repeated exactly as it went (same
documents, same key), which can never create a second invoice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlmodel import Session

from app.store.remote_copies import RemoteCopy, draft_entries, live_copies, provider_title
from app.store.tables.sync import SyncJobRow


def refusals(s: Session, rows: Sequence[SyncJobRow]) -> dict[int, str]:
    """Why each pending invoice job among `rows` must not be sent, by job id; the others may go."""
    pending = [r for r in rows if r.kind == "invoice" and r.state == "pending"]
    if not pending:
        return {}
    copies = live_copies(s)
    return {r.id or 0: why for r in pending if (why := _refusal(s, r, copies)) is not None}


def _refusal(s: Session, row: SyncJobRow, copies: Sequence[RemoteCopy]) -> str | None:
    payload = json.loads(row.payload)
    current = draft_entries(s, row.local_ref)
    if current is None:
        return f"{row.label} was deleted or voided here before it was sent; it is not sent."
    entries = frozenset(int(i) for i in payload.get("entries") or current)
    title = provider_title(row.provider)
    for copy in copies:
        if copy.provider == row.provider and copy.draft_uid == row.local_ref:
            if not payload.get("remote_id") and copy.settled:
                return f"{row.label} is already {copy.where()}; it is not created there a second time."
            continue
        shared = sorted(entries & copy.entry_ids)
        if shared:
            listed = ", ".join(f"#{i}" for i in shared[:5]) + (" …" if len(shared) > 5 else "")
            name = copy.number or "an invoice"
            void = f" with 'timetally invoice void {copy.number}'" if copy.number else f" in {copy.title}"
            return (f"{row.label} was not sent to {title}: entries {listed} are already billed by {name} "
                    f"{copy.where()}. Void that invoice first{void}, or leave them where they are.")
    return None
