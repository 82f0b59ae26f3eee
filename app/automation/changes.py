"""Events from changes, written in the very transaction of the change.

Every service writes through the store's sessions, so this is the one place that sees all of them, whichever
door (CLI, GUI, capture, sync) the change came in by. Before a flush it notes the watched rows added, changed or
deleted with their earlier values; before the commit it turns them into events and adds one delivery row per
subscribed endpoint to the same session. A change and its deliveries are committed together or not at all, and
nothing goes on the wire before both are on disk.
"""

from __future__ import annotations

import logging
import secrets
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlmodel import Session, col, select

from app.automation import events as ev
from app.domain.models import EntryStatus
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables import EntryRow
from app.store.tables.automation import WebhookDeliveryRow, WebhookEndpointRow
from app.store.tables.billing import InvoiceDraftRow
from app.store.tables.review import SubmittedWeekRow
from app.store.tables.sync import SyncInvoiceRow, SyncJobRow

log = logging.getLogger(__name__)
_WATCHED = (EntryRow, SubmittedWeekRow, InvoiceDraftRow, SyncInvoiceRow, SyncJobRow)
_EARLIER = ("end_utc", "status", "remote_status", "amount_paid", "state")
_CHANGES = "automation.changes"
_STAGED = "automation.staged"


@dataclass
class Change:
    kind: str
    """new, dirty or deleted."""
    row: Any
    earlier: dict[str, Any] = field(default_factory=dict)


class Hub:
    """Per database: who wants to hear that deliveries were written (the desktop app delivers at once), and the
    ids written by this process (a CLI command delivers those before it exits)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._written: list[int] = []
        self.listeners: list[Callable[[], None]] = []

    def written(self, ids: list[int]) -> None:
        with self._lock:
            self._written += ids
        for listener in list(self.listeners):
            try:
                listener()
            except Exception:  # a listener must never undo a commit that already happened
                log.exception("a listener for written webhook deliveries failed")

    def take_written(self) -> list[int]:
        with self._lock:
            ids, self._written = self._written, []
            return ids


_HUBS: weakref.WeakKeyDictionary[Engine, Hub] = weakref.WeakKeyDictionary()


def install(db: Database) -> Hub:
    """Start deriving events on this database's sessions; idempotent."""
    return _HUBS.setdefault(db.engine, Hub())


def _watching(session: Session) -> bool:
    return isinstance(session.bind, Engine) and session.bind in _HUBS


@event.listens_for(Session, "before_flush")
def _note(session: Session, _context: Any, _instances: Any) -> None:
    if not _watching(session):
        return
    noted: list[Change] = session.info.setdefault(_CHANGES, [])
    for row in session.new:
        if isinstance(row, _WATCHED):
            noted.append(Change("new", row))
    for row in session.dirty:
        if isinstance(row, _WATCHED) and session.is_modified(row):
            state = inspect(row)
            histories = {name: state.attrs[name].history for name in _EARLIER if name in state.attrs}
            earlier = {name: h.deleted[0] if h.deleted else None  # a None that was replaced is not "deleted"
                       for name, h in histories.items() if h.has_changes()}
            noted.append(Change("dirty", row, earlier))
    for row in session.deleted:
        if isinstance(row, _WATCHED):
            noted.append(Change("deleted", row, {"data": ev.entry_data(session, row)}
                                if isinstance(row, EntryRow) else {}))


@event.listens_for(Session, "before_commit")
def _stage(session: Session) -> None:
    if not _watching(session):
        return
    session.flush()  # what the commit would flush anyway, now: the changes noted, and ids for new rows
    changes: list[Change] = session.info.pop(_CHANGES, [])
    if not changes:
        return
    endpoints = session.exec(select(WebhookEndpointRow).where(col(WebhookEndpointRow.enabled))).all()
    if not endpoints:
        return
    now = utcnow()
    staged = []
    for name, data in derive(session, changes):
        body = ev.envelope(name, now, data)
        for endpoint in endpoints:
            if name in ev.json_list(endpoint.events):
                row = WebhookDeliveryRow(endpoint_id=endpoint.id or 0, webhook_id=new_webhook_id(), event=name,
                                         body=body, next_at=now, created_at=now)
                session.add(row)
                staged.append(row)
    if staged:
        session.flush()
        session.info[_STAGED] = staged
    session.info.pop(_CHANGES, None)  # the deliveries themselves are not watched


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    staged = session.info.pop(_STAGED, None)
    if staged and isinstance(session.bind, Engine) and session.bind in _HUBS:
        _HUBS[session.bind].written([row.id for row in staged])


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_CHANGES, None)
    session.info.pop(_STAGED, None)


def new_webhook_id() -> str:
    return f"msg_{secrets.token_hex(16)}"


def derive(s: Session, changes: list[Change]) -> list[tuple[str, dict[str, Any]]]:
    """The events of one transaction's changes, in the order they happened; approvals as one event per week."""
    found: list[tuple[str, dict[str, Any]]] = []
    approved: dict[tuple[str, str], list[dict[str, Any]]] = {}
    seen: set[tuple[str, int]] = set()
    for change in changes:
        row, key = change.row, (change.kind, id(change.row))
        if key in seen:
            continue
        seen.add(key)
        if isinstance(row, EntryRow):
            found += _entry_events(s, change, approved)
        elif isinstance(row, SubmittedWeekRow) and change.kind != "deleted":
            found.append(("week.submitted", ev.week_data(row.first_day, row.last_day, row.who, row.submitted_at)))
        elif isinstance(row, InvoiceDraftRow) and change.kind == "new":
            found.append(("invoice.created", ev.invoice_data(s, row)))
        elif isinstance(row, SyncInvoiceRow):
            found += _invoice_events(s, change)
        elif isinstance(row, SyncJobRow) and row.state == "failed" and change.earlier.get("state", "") != "failed":
            found.append(("sync.failed", ev.failed_data(row)))
    for (first, last), entries in approved.items():
        found.append(("week.approved", {"week_start": first, "week_end": last, "entries": entries}))
    return found


def _entry_events(s: Session, change: Change, approved: dict[tuple[str, str], list[dict[str, Any]]]
                  ) -> list[tuple[str, dict[str, Any]]]:
    row = change.row
    if change.kind == "deleted":
        return [("entry.deleted", change.earlier["data"])]
    data = ev.entry_data(s, row)
    if change.kind == "new":
        return [("timer.started" if row.end_utc is None else "entry.created", data)]
    events = []
    if "end_utc" in change.earlier and change.earlier["end_utc"] is None and row.end_utc is not None:
        events.append(("timer.stopped", data))
    else:
        events.append(("entry.updated", data))
    if row.status == str(EntryStatus.APPROVED) and change.earlier.get("status", row.status) != row.status:
        first, last = ev.week_bounds(s, row.start_utc)
        approved.setdefault((str(first), str(last)), []).append(data)
    return events


def _invoice_events(s: Session, change: Change) -> list[tuple[str, dict[str, Any]]]:
    row = change.row
    if change.kind == "new":  # one made inside the accounting system has no local number: TimeTally sent nothing
        return [("invoice.sent", ev.sent_data(s, row))] if row.number else []
    if change.kind != "dirty":
        return []
    events = []
    before = change.earlier.get("amount_paid")
    if before is not None and Decimal(row.amount_paid) > Decimal(before):
        amount = ev.money(str(Decimal(row.amount_paid) - Decimal(before)))
        events.append(("payment.received", {**ev.sent_data(s, row), "amount": amount}))
    if row.remote_status == "paid" and change.earlier.get("remote_status", "paid") != "paid":
        events.append(("invoice.paid", ev.sent_data(s, row)))
    return events
