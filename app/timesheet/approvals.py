"""Approval: approved entries are locked; unlocking needs a reason and leaves an audit record; a submitted week
is ready for billing, and unlocking anything in it withdraws the submission (also audited)."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from app.domain.errors import LockedError, ValidationError
from app.domain.models import Entry, EntryStatus
from app.domain.periods import Period
from app.settings import Settings
from app.store.repositories import EntryRepository
from app.store.review_repository import AuditRecord, ReviewRepository, Submission
from app.store.work import atomic


def current_user(settings: Settings) -> Callable[[], str]:
    """Who the audit names: the billing person when set, else the login name."""

    def who() -> str:
        name = str(settings.get("billing.person")).strip()
        if name:
            return name
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    return who


@dataclass(frozen=True, slots=True)
class Approval:
    """What an approval did: the entries it locked, and the drafts it left because they have no project (time
    without a project cannot be billed or reported, so approving it would only hide that it is unfinished)."""

    approved: tuple[int, ...]
    without_project: tuple[int, ...] = ()

    def sentence(self) -> str:
        """`N entries approved.`, and what was left out and why."""
        n = len(self.approved)
        return " ".join(filter(None, (f"{n} entr{'y' if n == 1 else 'ies'} approved.", self.left_out())))

    def left_out(self) -> str:
        """Which drafts without a project were not approved and what to do; empty when there were none."""
        skipped = self.without_project
        if not skipped:
            return ""
        one = len(skipped) == 1
        listed = ", ".join(f"#{i}" for i in skipped[:5]) + (", …" if len(skipped) > 5 else "")
        return (f"{len(skipped)} entr{'y' if one else 'ies'} without a project ({listed}) {'was' if one else 'were'} "
                f"not approved: give {'it' if one else 'each'} a project, then approve again.")


class ApprovalService:
    def __init__(self, entries: EntryRepository, repo: ReviewRepository, who: Callable[[], str],
                 tz: tzinfo | None = None, invoice_of: Callable[[int], str | None] = lambda _: None) -> None:
        self._entries = entries
        self._repo = repo
        self._who = who
        self._tz = tz
        self._invoice_of = invoice_of
        """The number of the stored invoice billing an entry, for the advice on how to release it."""

    def approve(self, entry_ids: Sequence[int]) -> Approval:
        """Approve and lock draft entries; a running timer is refused, already approved or billed ones skipped,
        and drafts without a project left as they are (the result says which)."""
        entries = [self._entries.get(i) for i in entry_ids]
        running = [e for e in entries if e.running]
        if running:
            raise ValidationError(f"Entry #{running[0].id} is the running timer; stop it before approving it.")
        drafts = [e for e in entries if e.status is EntryStatus.DRAFT]
        ready = [e.id for e in drafts if e.project_id is not None]
        approved = self._repo.set_status(ready, EntryStatus.APPROVED, True, action="approve", who=self._who())
        return Approval(tuple(approved), tuple(e.id for e in drafts if e.project_id is None))

    def approve_period(self, period: Period) -> Approval:
        """Every finished draft entry that starts in the period; the running timer stays a draft."""
        return self.approve([e.id for e in self._in(period) if e.status is EntryStatus.DRAFT and not e.running])

    @atomic
    def unlock(self, entry_id: int, reason: str) -> Entry:
        """Back to a draft that can be edited; the reason, who and when are recorded with the before and after."""
        reason = " ".join(reason.split())
        if len(reason) < 3:
            raise ValidationError("Say why the entry is unlocked; the reason goes into the audit trail.")
        entry = self._entries.get(entry_id)
        if entry.status in (EntryStatus.INVOICED, EntryStatus.PAID):
            raise LockedError(billed_advice(entry_id, entry.status, self._invoice_of(entry_id)))
        if not entry.locked:
            raise ValidationError(f"Entry #{entry_id} is not locked.")
        who = self._who()
        self._repo.set_status([entry_id], EntryStatus.DRAFT, False, action="unlock", who=who, reason=reason)
        day = entry.start.astimezone(self._tz).date()
        for submission in self._repo.submissions():
            if submission.first_day <= day <= submission.last_day and self._repo.withdraw(submission.first_day):
                self._repo.record(entry_id, "withdraw", who, {"submitted_week": str(submission.first_day)}, {},
                                  reason)
        return self._entries.get(entry_id)

    def submit(self, period: Period) -> Submission:
        """Mark the week ready for billing once every entry in it is approved."""
        entries = self._in(period)
        if not entries:
            raise ValidationError(f"There is no time from {period.first} to {period.last} to submit.")
        if any(e.running for e in entries):
            raise ValidationError("Stop the running timer and approve its entry before submitting the week.")
        drafts = [e for e in entries if e.status is EntryStatus.DRAFT]
        if drafts:
            orphans = sum(1 for e in drafts if e.project_id is None)
            why = (f"; {orphans} of them {'has' if orphans == 1 else 'have'} no project, so give "
                   f"{'it' if orphans == 1 else 'them'} one (or delete {'it' if orphans == 1 else 'them'}) first"
                   if orphans else "")
            raise ValidationError(f"Approve the {len(drafts)} draft entr{'y' if len(drafts) == 1 else 'ies'} "
                                  f"of the week before submitting it{why}.")
        return self._repo.submit(period.first, period.last, self._who())

    def submission(self, period: Period) -> Submission | None:
        return self._repo.submission(period.first)

    def history(self, entry_id: int) -> list[AuditRecord]:
        return self._repo.audit(entry_id)

    def _in(self, period: Period) -> list[Entry]:
        """Entries that start inside the period (one crossing into it from the week before belongs there)."""
        start, end = period.utc_range(self._tz)
        return [e for e in self._entries.between(start, end) if start <= e.start < end]


def billed_advice(entry_id: int, status: EntryStatus, number: str | None) -> str:
    """How billed time is released: through its invoice, never by unlocking the entry itself."""
    if status is EntryStatus.PAID:
        on = f" on {number}" if number else ""
        return (f"Entry #{entry_id} is paid{on} and stays locked. If it should not have been billed, raise a credit "
                "note in the accounting system.")
    if number is None:
        return (f"Entry #{entry_id} was billed on an invoice made in the accounting system. Void or change that "
                "invoice there, then run 'timetally sync payments'; the entry is released when it is voided.")
    return (f"Entry #{entry_id} is invoiced on {number}. Take the invoice back with 'timetally invoice void {number}' "
            "(it is deleted or voided in the accounting system first when it was sent there, and refused once "
            "anything is paid), then unlock the entry.")
