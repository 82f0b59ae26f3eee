"""From local clients, projects, tasks and entries to QuickBooks references and time activities.

A client is a customer (mapped, matched exactly, or created on request; a fuzzy match is only proposed), each of
its projects a job under it, each task a service item, and the person an employee or vendor. Everything resolved
is remembered, so the next send makes no look-ups.
"""

from __future__ import annotations

import getpass
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.invoices import InvoiceDraft, LineKind
from app.domain.work import WorkItem
from app.settings import Settings
from app.sync.customers import resolve_customer
from app.sync.matching import closest
from app.sync.provider import RemoteKind, TimePush
from app.sync.quickbooks.mapping import DEFAULT_ITEM
from app.sync.quickbooks.provider import QuickBooksProvider
from app.sync.quickbooks.time import hours_minutes, worker_code
from app.sync.quickbooks_send.links import Links
from app.sync.store import Mapping as StoredMapping
from app.sync.store import SyncStore

BILLED_KINDS = (LineKind.TIME, LineKind.OVERAGE)
"""Lines billed by the hour; time under a fixed fee goes to QuickBooks as not billable."""
_RATE = Decimal("0.0001")
_HOUR = Decimal(3600)


@dataclass(frozen=True, slots=True)
class Activity:
    """One entry as a time activity, before it has a key."""

    push: TimePush
    label: str
    client: str


class Resolver:
    """Remote codes for local things, resolved once per send and remembered in the sync store and links."""

    def __init__(self, provider: QuickBooksProvider, store: SyncStore, links: Links, settings: Settings,
                 create_customers: bool) -> None:
        self._provider = provider
        self._store = store
        self._links = links
        self._settings = settings
        self._create = create_customers
        self._worker = ""
        self._jobs: dict[int, str] = {}
        self._items: dict[int, str] = {}
        """Codes already resolved in this send, so entries of one project or task read the store once."""

    def customer(self, client_id: int, client_name: str) -> tuple[str, str]:
        """(customer id, problem): mapped, exact match (remembered), or created with --create-customers."""
        code, matches = resolve_customer(self._provider, self._store, client_id, client_name, self._create)
        if code:
            return code, ""
        found = closest(matches)
        hint = (f" Closest: {found}; confirm one with 'timetally sync map quickbooks --client \"{client_name}\" "
                "--contact NAME'" if found else "")
        return "", (f"No QuickBooks customer is named '{client_name}'.{hint} Or send with --create-customers to "
                    "create it.")

    def job(self, project_id: int, project_name: str, customer_code: str) -> str:
        """The project's sub-customer (`Job: true`) under the client's customer."""
        if project_id not in self._jobs:
            linked = self._links.get("job", project_id)
            if linked is None:
                job = self._provider.ensure_customer(project_name, customer_code)
                self._links.set("job", project_id, job.code, job.name)
                linked = (job.code, job.name)
            self._jobs[project_id] = linked[0]
        return self._jobs[project_id]

    def item(self, task_id: int | None, task_name: str) -> str:
        """The task's service item; time without a task goes on the 'Hours' item."""
        key = task_id or 0
        if key not in self._items:
            mapped = self._store.mapping(RemoteKind.ITEM, key)
            if mapped is None:
                item = self._provider.lists.ensure_item(task_name if task_id else DEFAULT_ITEM)
                mapped = StoredMapping(RemoteKind.ITEM, key, item.code, item.name)
                self._store.set_mapping(mapped)
            self._items[key] = mapped.code
        return self._items[key]

    def worker(self) -> str:
        """`Employee:<id>` or `Vendor:<id>` of the person time is recorded for."""
        if not self._worker:
            value = self._settings.snapshot().value  # one read of the table
            kind = str(value("quickbooks.worker_type"))
            name = str(value("billing.person") or "").strip() or getpass.getuser()
            linked = self._links.get("worker", f"{kind}:{name}")
            if linked is None:
                code, display = self._provider.lists.ensure_worker(name, kind)
                self._links.set("worker", f"{kind}:{name}", code, display)
                linked = (code, display)
            self._worker = worker_code(kind, linked[0])
        return self._worker


def rate_of(amount: Decimal, seconds: int) -> Decimal | None:
    if seconds <= 0:
        return None
    rate = (amount * _HOUR / seconds).quantize(_RATE, rounding=ROUND_HALF_UP)
    return Decimal(format(rate.normalize(), "f"))


def activity(entry: WorkItem, seconds: int, rate: Decimal | None, billable: bool, resolver: Resolver,
             customer_code: str, number: str = "") -> Activity:
    """`seconds` is the time billed for the entry; when it differs from the time worked the description says so
    (`number`: the invoice that bills it)."""
    day = entry.start.astimezone().date()
    text = entry.description or entry.task_name or entry.project_name
    push = TimePush(entry.entry_id, "", resolver.job(entry.project_id, entry.project_name, customer_code), day,
                    seconds, text + worked_note(_raw(entry), seconds, number),
                    resolver.item(entry.task_id, entry.task_name), rate if billable else None,
                    billable and rate is not None, resolver.worker())
    return Activity(push, _label(day, entry, seconds), entry.client_name)


def worked_note(raw: int, billed: int, number: str = "") -> str:
    """" · worked 2:16, billed 2:12 on INV-0001" when rounding or a minimum changed the time; empty otherwise."""
    worked, charged = _minutes(raw), _minutes(billed)
    if worked == charged:
        return ""
    where = f" on {number}" if number else " (rounded)"
    return f" · worked {worked // 60}:{worked % 60:02d}, billed {charged // 60}:{charged % 60:02d}{where}"


def time_mode(draft: InvoiceDraft, entries: Mapping[int, WorkItem], resolver: Resolver,
              customer_code: str) -> list[Activity]:
    """A preview draft grouped per entry: each entry once, for its billed (rounded) time at its effective rate."""
    seconds: dict[int, int] = defaultdict(int)
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    billable: dict[int, bool] = defaultdict(bool)
    for line in draft.lines:
        for entry_id in (e for e in line.entry_ids if e in entries):
            share = line.billed_seconds if len(line.entry_ids) == 1 else _raw(entries[entry_id])
            seconds[entry_id] += share
            if line.kind in BILLED_KINDS:
                billable[entry_id] = True
                amounts[entry_id] += line.amount if len(line.entry_ids) == 1 else line.unit_amount * share / _HOUR
    return [activity(entries[e], seconds[e], rate_of(amounts[e], seconds[e]), billable[e], resolver, customer_code)
            for e in sorted(seconds, key=lambda i: (entries[i].start, i))]


def invoice_mode(draft: InvoiceDraft, entries: Mapping[int, WorkItem], resolver: Resolver,
                 customer_code: str) -> list[tuple[int, Activity]]:
    """(line index, activity) for every entry on a billed-by-the-hour line of a stored draft, at the line's rate,
    for the time the line bills for it: the activities of a line add up to the line's hours and amount, so
    QuickBooks shows the same billed time on both; each activity's description keeps the time worked."""
    found: list[tuple[int, Activity]] = []
    for index, line in enumerate(draft.lines):
        if line.kind not in BILLED_KINDS:
            continue
        on_line = [entries[e] for e in line.entry_ids if e in entries]
        for entry, seconds in zip(on_line, share(line.billed_seconds, [_raw(e) for e in on_line]), strict=True):
            found.append((index, activity(entry, seconds, line.unit_amount, True, resolver, customer_code,
                                          draft.number)))
    return found


def share(billed: int, worked: list[int]) -> list[int]:
    """A line's billed seconds split over its entries in whole minutes, in proportion to the time each worked
    (largest remainders first), so the parts add up to the line's minutes exactly."""
    if len(worked) == 1:
        return [billed]
    minutes, total = _minutes(billed), sum(worked)
    if total == 0:
        return [minutes * 60 // len(worked)] * len(worked)
    exact = [Decimal(minutes) * w / total for w in worked]
    parts = [int(e) for e in exact]
    for i in sorted(range(len(worked)), key=lambda i: (parts[i] - exact[i], i))[:minutes - sum(parts)]:
        parts[i] += 1
    return [p * 60 for p in parts]


def _minutes(seconds: int) -> int:
    """Whole minutes as QuickBooks keeps them on a time activity."""
    hours, minutes = hours_minutes(seconds)
    return hours * 60 + minutes


def by_id(entries: Iterable[WorkItem]) -> dict[int, WorkItem]:
    return {e.entry_id: e for e in entries}


def _raw(entry: WorkItem) -> int:
    return max(0, int((entry.end - entry.start).total_seconds()))


def _label(day: date, entry: WorkItem, seconds: int) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    task = f"/{entry.task_name}" if entry.task_name else ""
    return f"{day.isoformat()} {entry.project_name}{task} {hours}:{minutes:02d}"
