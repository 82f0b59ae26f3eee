"""One send as one unit of work: the drafts a send stores for itself are kept only if their invoice may have
reached the accounting system.

A draft whose invoice never left (no connection, sign-in refused, cancelled before the request), was refused, or
was never even prepared (no contact) is taken back when the send ends, as if it had never been made: its entries
are approved, unbilled work again and its number returns to the sequence when it was the last one issued. Drafts
the user stored before the send are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from types import TracebackType

from app.billing.invoices import InvoiceDraft
from app.domain.errors import NotFoundError
from app.store.billing_repository import BillingRepository
from app.store.work import unit_of_work
from app.sync.delivery import CANCELLED
from app.sync.outbox import JobKind, JobState, Outbox
from app.sync.reports import InvoiceOutcome, Outcome

KEPT = (JobState.SENT, JobState.CONFIRMED)


class SendUnit:
    """`with SendUnit(...) as unit: unit.made(billing.create(...))`; what reached nothing is taken back on the way
    out, also when the send ends with an error."""

    def __init__(self, repo: BillingRepository, outbox: Callable[[], Outbox]) -> None:
        self._repo = repo
        self._outbox = outbox
        self._created: list[InvoiceDraft] = []
        self.taken_back: dict[str, str] = {}
        """uid -> number of the drafts given back."""

    def __enter__(self) -> SendUnit:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.finish()

    def made(self, drafts: Sequence[InvoiceDraft]) -> list[InvoiceDraft]:
        """The drafts this send stored; returned as they are."""
        self._created += drafts
        return list(drafts)

    def finish(self) -> None:
        outbox = self._outbox()
        for draft in reversed(self._created):  # newest first, so each number can go back to the sequence
            jobs = [j for j in outbox.jobs(draft.uid) if j.kind is JobKind.INVOICE]
            if draft.uid in self.taken_back or any(j.state in KEPT for j in jobs):
                continue
            with unit_of_work():  # the job cancelled and the draft gone, or neither
                outbox.cancel(draft.uid, f"{draft.number} was not sent; the draft was taken back.")
                try:
                    self._repo.delete_draft(draft.number, give_back_number=True)
                except NotFoundError:
                    continue
            self.taken_back[draft.uid] = draft.number
        self._created = []

    def report(self, outcomes: Sequence[InvoiceOutcome]) -> list[InvoiceOutcome]:
        """The outcomes, with the drafts taken back saying so; one that was waiting to go is now "not sent"."""
        return [replace(o, outcome=Outcome.NOT_SENT if o.outcome is Outcome.PENDING else o.outcome,
                        errors=(*(e for e in o.errors if e != CANCELLED), _taken_back(self.taken_back[o.uid])))
                if o.uid in self.taken_back else o for o in outcomes]


def _taken_back(number: str) -> str:
    return (f"Nothing was created: the draft {number} made for this send was taken back and its entries are "
            "approved again.")
