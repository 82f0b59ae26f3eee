"""Time that is settled takes no new or changed entries: a submitted week, and approved or billed entries.

Every service that writes entries asks here first, so the CLI, the review, the timer and the idle prompt all refuse
the same way, with the same way out: unlocking with a reason, which withdraws a submission and is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from app.domain.errors import LockedError
from app.domain.models import Entry, EntryStatus
from app.domain.periods import Period
from app.store.repositories import EntryRepository
from app.store.review_repository import ReviewRepository, Submission

_INSTANT = timedelta(seconds=1)
def _unlock(entry_id: str) -> str:
    return f"timetally entries unlock {entry_id} --reason TEXT, or Unlock in the review"


def _clock(moment: datetime) -> str:
    return f"{moment.astimezone():%a %d %b %H:%M}"


class PeriodLock:
    def __init__(self, entries: EntryRepository, repo: ReviewRepository, tz: tzinfo | None = None) -> None:
        self._entries = entries
        self._repo = repo
        self._tz = tz

    def check(self, start: datetime, end: datetime | None, exclude: int | None = None) -> None:
        """Refuse [start, end) (a running timer: the instant `start`) when it touches a submitted week or
        overlaps an approved, invoiced or paid entry other than `exclude`."""
        self.check_submitted(start, end)
        locked = [e for e in self._entries.overlapping(start, _end(start, end), exclude=exclude) if e.locked]
        if locked:
            raise LockedError(_overlap(locked[0]))

    def check_submitted(self, start: datetime, end: datetime | None) -> None:
        """Refuse [start, end) when it touches a week submitted for billing."""
        end = _end(start, end)
        for submission in self._repo.submissions():
            first, last = Period(submission.first_day, submission.last_day).utc_range(self._tz)
            if start < last and end > first:
                raise LockedError(_submitted(submission))


def _end(start: datetime, end: datetime | None) -> datetime:
    """A running timer or an entry of no length still occupies its first instant."""
    return end if end is not None and end > start else start + _INSTANT


def _submitted(submission: Submission) -> str:
    return (f"The week {submission.first_day} to {submission.last_day} was submitted for billing, so it takes no "
            "new or changed time. To change it, unlock one of its entries with a reason "
            f"({_unlock('ID')}): that withdraws the submission and is recorded in the audit trail.")


def _overlap(entry: Entry) -> str:
    when = f"#{entry.id} ({_clock(entry.start)}-{entry.end.astimezone():%H:%M})" if entry.end else f"#{entry.id}"
    if entry.status in (EntryStatus.INVOICED, EntryStatus.PAID):
        return (f"This time overlaps entry {when}, which is {entry.status} and locked; it stays as it is until its "
                "invoice is voided or deleted.")
    return (f"This time overlaps entry {when}, which is approved and locked. Unlock it first with a reason "
            f"({_unlock(str(entry.id))}); the unlock is recorded in the audit trail.")
