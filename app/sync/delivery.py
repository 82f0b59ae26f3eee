"""The steps every sender takes around one request, whichever provider it goes to.

`take` runs right before the request leaves: the outbox marks the jobs sent and its send guard fails any that
would bill an entry a second time. `pushing` runs the request and, when it certainly never reached the provider
(no connection, sign-in refused, cancelled before it left), puts the jobs back to pending, so a send that did not
happen leaves nothing "maybe created" behind. `refused` records a provider's answer that accepted nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.sync.http import ApiError
from app.sync.oauth.errors import OAuthError
from app.sync.outbox import Job, Outbox
from app.sync.provider import Cancelled, PushResult
from app.sync.reports import InvoiceOutcome, Outcome

CANCELLED = "Cancelled; it will be sent with the next sync."


def outcome(job: Job, result: Outcome, errors: Sequence[str] = ()) -> InvoiceOutcome:
    return InvoiceOutcome(job.label, job.local_ref, result, job.remote_id, job.remote_number, errors=tuple(errors),
                          client=str(job.payload.get("client", "")))


def take(outbox: Outbox, jobs: Sequence[Job]) -> tuple[list[Job], list[InvoiceOutcome]]:
    """(the jobs that go, the outcomes of those the send guard refused)."""
    refused = outbox.mark_sent([j.id for j in jobs])
    return ([j for j in jobs if j.id not in refused],
            [outcome(j, Outcome.FAILED, (refused[j.id],)) for j in jobs if j.id in refused])


def pushing(outbox: Outbox, jobs: Sequence[Job], push: Callable[[], list[PushResult]]) -> list[PushResult]:
    """The request's results; errors and cancelling go on to the caller once the outbox knows what they mean."""
    try:
        return push()
    except Cancelled as exc:
        if not exc.acted:
            outbox.unsend([j.id for j in jobs])
        raise
    except (ApiError, OAuthError) as exc:
        if isinstance(exc, OAuthError) or not exc.acted:
            outbox.unsend([j.id for j in jobs])
        raise


def refused(outbox: Outbox, job: Job, result: PushResult) -> InvoiceOutcome:
    """A result that created nothing: pending again when it may be repeated, failed when the content was refused."""
    if result.retryable:
        if not result.acted:
            outbox.unsend([job.id])
        outbox.note_errors(job.id, result.errors)
        return outcome(job, Outcome.PENDING, result.errors)
    outbox.fail(job.id, result.errors)
    return outcome(job, Outcome.FAILED, result.errors)
