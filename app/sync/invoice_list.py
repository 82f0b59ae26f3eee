"""Every local invoice with where it stands in an accounting system, for the invoices page.

The status is one word the user knows from Xero and QuickBooks: not sent, draft, sent, authorised, part-paid,
paid, void, or diverged (changed here after it was sent); an authorised invoice the accounting system e-mailed to
the client says e-mailed. Read from the database only, never the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.domain.money import format_money
from app.domain.timefmt import LOCAL_ZONE
from app.store.invoice_summaries import InvoiceSummary, invoice_summaries
from app.sync.emailing import emailed_on
from app.sync.registry import FACTORIES
from app.sync.store import SentInvoice

if TYPE_CHECKING:
    from app.sync.service import SyncService

NOT_SENT = "not sent"
EMAILED = "e-mailed"
STATUS_WORDS = {"draft": "draft", "submitted": "sent", "open": "authorised", "part_paid": "part-paid",
                "paid": "paid", "voided": "void", "deleted": "void"}
PROVIDER_TITLES = {"xero": "Xero", "quickbooks": "QuickBooks"}


@dataclass(frozen=True, slots=True)
class InvoiceListing:
    draft: InvoiceSummary
    status: str
    provider: str = ""
    remote_number: str = ""
    detail: str = ""

    @property
    def where(self) -> str:
        """"Xero INV-0042" or "" for an invoice never sent."""
        title = PROVIDER_TITLES.get(self.provider, self.provider)
        return f"{title} {self.remote_number}".strip() if self.provider else ""


@dataclass(frozen=True, slots=True)
class InvoiceBook:
    invoices: tuple[InvoiceListing, ...]
    connected: tuple[str, ...]


def listing(draft: InvoiceSummary, sent: SentInvoice | None, provider: str,
            emailed: datetime | None = None) -> InvoiceListing:
    """`emailed`: when the accounting system last e-mailed it to the client."""
    if sent is None:
        return InvoiceListing(draft, NOT_SENT)
    status = "diverged" if sent.divergence else STATUS_WORDS.get(sent.remote_status, sent.remote_status)
    detail = sent.divergence
    if emailed is not None and status == "authorised":
        status, detail = EMAILED, f"e-mailed to the client on {emailed.astimezone(LOCAL_ZONE).date()}"
    if status == "part-paid":
        detail = (f"{format_money(sent.amount_paid, draft.currency)} of {format_money(sent.total, draft.currency)} "
                  "paid")
    elif status == "paid" and sent.paid_on is not None:
        detail = f"paid on {sent.paid_on}"
    return InvoiceListing(draft, status, provider, sent.remote_number, detail)


def invoice_book(sync: SyncService) -> InvoiceBook:
    """Newest first. An invoice sent to two systems over time shows the copy that still bills its entries."""
    sent: dict[str, tuple[str, SentInvoice]] = {}
    for name in FACTORIES:
        for known in sync.store(name).sent_invoices():
            if known.draft_uid not in sent or not known.released:
                sent[known.draft_uid] = (name, known)
    rows = []
    for draft in reversed(invoice_summaries(sync.db)):
        found = sent.get(draft.uid)
        if found is None:
            rows.append(listing(draft, None, ""))
            continue
        emailed = emailed_on(sync.outbox(found[0]).jobs(draft.uid))
        rows.append(listing(draft, found[1], found[0], emailed))
    return InvoiceBook(tuple(rows), tuple(sync.connected()))
