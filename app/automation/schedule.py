"""Scheduled sends per accounting connection: approved time sent by itself (off, on approval, daily at a time,
weekly on a day) and payments checked every N minutes.

A scheduled send is the manual send (`SyncService.send`) of last week and this week: it takes only approved time,
goes through the same outbox, keys and send guard, so it never creates what a manual send would not. Each kind of
run fires once per period: the schedule remembers when it last ran, and a period's moment that has passed since
then is due. A failure is told once (the same sentence is not repeated until a run succeeds).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from app.automation.events import iso
from app.domain.errors import TimeTallyError, ValidationError
from app.domain.models import EntryStatus
from app.domain.periods import Period, week_of
from app.domain.timefmt import LOCAL_ZONE, utcnow
from app.store.db import Database
from app.store.remote_copies import provider_title
from app.store.tables import EntryRow
from app.store.tables.automation import ScheduleRow
from app.sync.registry import FACTORIES
from app.sync.service import SyncService

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MOST_MINUTES = 7 * 24 * 60
GRACE = timedelta(seconds=30)
"""A payment check this close to due runs now: with checks once a minute, every 15 minutes stays 15, not 16."""


class SendMode(StrEnum):
    OFF = "off"
    APPROVAL = "approval"
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True, slots=True)
class Schedule:
    provider: str
    send: SendMode
    at: str
    weekday: int
    payments_minutes: int
    last_send_at: datetime | None
    last_payments_at: datetime | None
    failure: str

    def to_json(self) -> dict[str, Any]:
        return {"provider": self.provider, "send": str(self.send), "at": self.at, "day": WEEKDAYS[self.weekday],
                "payments_every_minutes": self.payments_minutes, "last_send_at": iso(self.last_send_at),
                "last_payments_at": iso(self.last_payments_at), "failure": self.failure or None}

    def sentence(self) -> str:
        send = {SendMode.OFF: "approved time is sent by hand", SendMode.APPROVAL: "approved time is sent once "
                "approved", SendMode.DAILY: f"approved time is sent daily at {self.at}",
                SendMode.WEEKLY: f"approved time is sent every {WEEKDAYS[self.weekday].title()} at {self.at}"}
        payments = (f"payments are checked every {self.payments_minutes} minutes" if self.payments_minutes
                    else "payments are not checked on a schedule")
        return f"{provider_title(self.provider)}: {send[self.send]}; {payments}."


@dataclass
class RunReport:
    ran: list[str] = field(default_factory=list)
    """What ran, as `provider send` / `provider payments` with its outcome."""
    notices: list[str] = field(default_factory=list)
    """Failures to tell the user: each only the first time it happens."""


def parse_time(text: str) -> str:
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not found:
        raise ValidationError(f"'{text}' is not a time of day; give HH:MM, e.g. 18:00.")
    return f"{int(found[1]):02d}:{found[2]}"


def parse_day(text: str) -> int:
    key = text.strip().lower()[:3]
    if key not in WEEKDAYS:
        raise ValidationError(f"'{text}' is not a day of the week; give one of {', '.join(WEEKDAYS)}.")
    return WEEKDAYS.index(key)


def due_moment(schedule: Schedule, now: datetime, tz: tzinfo = LOCAL_ZONE) -> datetime | None:
    """The latest moment at or before `now` when a daily or weekly send should have happened."""
    if schedule.send not in (SendMode.DAILY, SendMode.WEEKLY):
        return None
    local = now.astimezone(tz)
    hour, minute = (int(p) for p in schedule.at.split(":"))
    moment = datetime.combine(local.date(), time(hour, minute), tz)
    if schedule.send is SendMode.WEEKLY:
        moment -= timedelta(days=(local.weekday() - schedule.weekday) % 7)
    while moment > local:
        moment -= timedelta(days=7 if schedule.send is SendMode.WEEKLY else 1)
    return moment


class Scheduler:
    def __init__(self, db: Database, sync: SyncService, week_start: Callable[[], int],
                 clock: Callable[[], datetime] = utcnow, tz: tzinfo = LOCAL_ZONE) -> None:
        self._db = db
        self._sync = sync
        self._week_start = week_start
        self._clock = clock
        self._tz = tz

    # The schedules

    def schedules(self) -> list[Schedule]:
        with self._db.session() as s:
            rows = {r.provider: r for r in s.exec(select(ScheduleRow))}
        return [_schedule(rows.get(name) or ScheduleRow(provider=name)) for name in FACTORIES]

    def get(self, provider: str) -> Schedule:
        return next(s for s in self.schedules() if s.provider == self._known(provider))

    def set(self, provider: str, *, send: str | None = None, at: str | None = None, day: str | None = None,
            payments_minutes: int | None = None) -> Schedule:
        """Changes what is given. A send switched on counts from now: its first run is the next moment due."""
        provider = self._known(provider)
        if payments_minutes is not None and not 0 <= payments_minutes <= MOST_MINUTES:
            raise ValidationError(f"Check payments every 1 to {MOST_MINUTES} minutes, or 0 for never.")
        if send is not None and send not in {str(m) for m in SendMode}:
            raise ValidationError(f"'{send}' is not a send schedule; give off, approval, daily or weekly.")
        at = parse_time(at) if at is not None else None
        weekday = parse_day(day) if day is not None else None
        now = self._clock()
        with self._db.session() as s:
            row = s.get(ScheduleRow, provider) or ScheduleRow(provider=provider)
            if send is not None and send != row.send:
                row.send, row.last_send_at = send, now
            row.at = at or row.at
            row.weekday = row.weekday if weekday is None else weekday
            if payments_minutes is not None and payments_minutes != row.payments_minutes:
                row.payments_minutes, row.last_payments_at = payments_minutes, now
            s.add(row)
        return self.get(provider)

    @staticmethod
    def _known(provider: str) -> str:
        if provider not in FACTORIES:
            raise ValidationError(f"'{provider}' is not an accounting connection; give one of {', '.join(FACTORIES)}.")
        return provider

    # Running

    def period(self) -> Period:
        """Last week and this week: what a scheduled send takes (a manual `--from` `--to` send of the same)."""
        today = self._clock().astimezone(self._tz).date()
        start = self._week_start()
        return Period(week_of(today - timedelta(days=7), start).first, week_of(today, start).last)

    def run_due(self) -> RunReport:
        """Everything due now, once; what ran and what the user must be told."""
        report = RunReport()
        connected = set(self._sync.connected())
        for schedule in self.schedules():
            now = self._clock()
            sending = self._send_due(schedule, now)
            checking = schedule.payments_minutes > 0 and (
                schedule.last_payments_at is None
                or now - schedule.last_payments_at >= timedelta(minutes=schedule.payments_minutes) - GRACE)
            if not (sending or checking):
                continue
            sending = sending and self._claim(schedule.provider, "last_send_at", schedule.last_send_at, now)
            checking = checking and self._claim(schedule.provider, "last_payments_at", schedule.last_payments_at, now)
            if not (sending or checking):
                continue  # another process (the app, a timer's run) took them
            problems: list[str] = []
            title = provider_title(schedule.provider)
            if schedule.provider not in connected:
                problems.append(f"{title} is not connected; connect it under Preferences → Accounts or with "
                                f"'timetally accounts connect {schedule.provider}'.")
            else:
                if sending:
                    problems += self._run(report, schedule.provider, "send", self._send)
                if checking:
                    problems += self._run(report, schedule.provider, "payments", self._payments)
            self._finish(schedule.provider, now, " ".join(problems), report)
        return report

    def _claim(self, provider: str, field: str, seen: datetime | None, now: datetime) -> bool:
        """Stamp a run as this process's, unless another process stamped it since `seen` was read: one
        conditional UPDATE, so the app and `run-scheduled` at the same moment never both run it."""
        column = col(getattr(ScheduleRow, field))
        with self._db.session() as s:
            taken = s.execute(update(ScheduleRow).where(
                col(ScheduleRow.provider) == provider, column.is_(None) if seen is None else column == seen,
            ).values({field: now}))
            return bool(taken.rowcount)  # type: ignore[attr-defined]

    def _send_due(self, schedule: Schedule, now: datetime) -> bool:
        if schedule.send is SendMode.APPROVAL:
            return self._approved_since(schedule.last_send_at)
        moment = due_moment(schedule, now, self._tz)
        return moment is not None and (schedule.last_send_at is None or schedule.last_send_at < moment)

    def _approved_since(self, since: datetime | None) -> bool:
        """Approved, unbilled time of the period changed since the last scheduled send."""
        start, end = self.period().utc_range(self._tz)
        query = select(EntryRow.id).where(EntryRow.status == str(EntryStatus.APPROVED),
                                          col(EntryRow.start_utc) >= start, col(EntryRow.start_utc) < end)
        if since is not None:
            query = query.where(col(EntryRow.updated_at) >= since)
        with self._db.session() as s:
            return s.exec(query.limit(1)).first() is not None

    @staticmethod
    def _run(report: RunReport, provider: str, what: str, action: Callable[[str], str]) -> list[str]:
        try:
            outcome = action(provider)
        except TimeTallyError as exc:
            report.ran.append(f"{provider} {what}: failed")
            return [f"The scheduled {what} to {provider_title(provider)} failed: {exc}"]
        report.ran.append(f"{provider} {what}: {outcome}")
        return []

    def _send(self, provider: str) -> str:
        sent = self._sync.send(provider, self.period())
        if sent.failed:
            raise _Failed("; ".join(f"{o.number}: {', '.join(o.errors) or o.outcome}" for o in sent.failed))
        return sent.summary()

    def _payments(self, provider: str) -> str:
        self._sync.sync_billed_time([provider])
        changed = self._sync.sync_payments([provider])
        return f"{len(changed)} invoice(s) changed"

    def _finish(self, provider: str, now: datetime, failure: str, report: RunReport) -> None:
        """A failure is told when it is new; a run that succeeds forgets the last one."""
        with self._db.session() as s:
            row = s.get(ScheduleRow, provider)
            if row is None:
                return
            if failure and failure != row.failure:
                report.notices.append(failure)
            row.failure, row.failure_at = failure, (now if failure else None)
            s.add(row)


class _Failed(TimeTallyError):
    """A send that ran but whose documents the accounting system refused."""


def _schedule(row: ScheduleRow) -> Schedule:
    return Schedule(row.provider, SendMode(row.send), row.at, row.weekday, row.payments_minutes, row.last_send_at,
                    row.last_payments_at, row.failure)
