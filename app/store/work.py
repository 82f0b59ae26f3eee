"""Units of work: one transaction per use case, and what each committed transaction changed.

A service opens `unit_of_work()` around a use case that writes more than one row; every repository call inside
joins its transaction (`Database.session`), so the use case is committed whole or not at all. Outside a unit of
work each repository call is its own transaction. Either way the store notes the tables a transaction wrote and,
once it is committed, tells open `recording()`s (app/domain/changes.py) which areas changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app.domain import changes as ch
from app.domain.errors import StoreError

_TABLES = "store.tables"
P = ParamSpec("P")
R = TypeVar("R")

AREAS_OF_TABLE: dict[str, frozenset[str]] = {
    "time_entry": frozenset({ch.ENTRIES, ch.TIMER}),
    "client": frozenset({ch.PROJECTS, ch.ENTRIES}),  # entries read by their project's path
    "project": frozenset({ch.PROJECTS, ch.ENTRIES}),
    "task": frozenset({ch.PROJECTS, ch.ENTRIES}),
    "setting": frozenset({ch.SETTINGS}),
    "capture_span": frozenset({ch.SPANS}),
    "classify_rule": frozenset({ch.RULES}),
    "account": frozenset({ch.ACCOUNTS}),
    "quickbooks_link": frozenset({ch.ACCOUNTS}),
    "review_submitted_week": frozenset({ch.ENTRIES}),
    "review_rejected_proposal": frozenset({ch.ENTRIES}),
    "review_dropped_time": frozenset({ch.ENTRIES}),
    "learned_rejection": frozenset({ch.ENTRIES}),
    "learned_model": frozenset({ch.RULES}),  # written by a writer after reads built it, and when forgotten
    "billing_client": frozenset({ch.PROJECTS, ch.INVOICES}),
    "billing_project": frozenset({ch.PROJECTS, ch.INVOICES}),
    "billing_rate": frozenset({ch.PROJECTS, ch.INVOICES}),
    "billing_holiday": frozenset({ch.INVOICES}),
    "invoice_draft": frozenset({ch.INVOICES}),
    "invoice_line": frozenset({ch.INVOICES}),
    "invoice_line_entry": frozenset({ch.INVOICES}),
    "invoice_entry": frozenset({ch.INVOICES}),
    "invoice_sequence": frozenset({ch.INVOICES}),
    "expense": frozenset({ch.EXPENSES}),
    "invoice_expense": frozenset({ch.EXPENSES, ch.INVOICES}),
    "expense_category_map": frozenset({ch.EXPENSES, ch.SYNC}),
    "retainer": frozenset({ch.INVOICES}),
    "retainer_invoice": frozenset({ch.INVOICES}),
    "project_estimate": frozenset({ch.INVOICES}),
    "progress_invoice": frozenset({ch.INVOICES}),
    "sync_invoice": frozenset({ch.INVOICES, ch.SYNC}),
    "sync_job": frozenset({ch.SYNC}),
    "sync_mapping": frozenset({ch.SYNC}),
    "sync_entry_flag": frozenset({ch.SYNC}),
    "sync_schedule": frozenset({ch.SETTINGS}),
    "webhook_endpoint": frozenset({ch.SETTINGS}),
}
"""Tables nobody watches (audit trails, caches, statistics, the liveness row, webhook deliveries) change no area."""


def changes_of_tables(tables: set[str]) -> ch.Changes:
    return ch.Changes(frozenset().union(*(AREAS_OF_TABLE.get(t, frozenset()) for t in tables)))


class Work:
    """The open transaction of one use case: one session per engine, opened when first needed."""

    def __init__(self) -> None:
        self._sessions: dict[Engine, tuple[Session, Callable[[BaseException], str]]] = {}

    def session(self, engine: Engine, explain: Callable[[BaseException], str]) -> Session:
        """The session on `engine`, opened when first asked; `explain` words its SQLite failures."""
        if engine not in self._sessions:
            self._sessions[engine] = (Session(engine, expire_on_commit=False), explain)
        return self._sessions[engine][0]

    def commit(self) -> None:
        for session, explain in self._sessions.values():
            try:
                session.commit()
            except DBAPIError as exc:
                raise StoreError(explain(exc)) from exc

    def close(self) -> None:
        for session, _ in self._sessions.values():
            session.close()  # rolls back what was not committed


_CURRENT: ContextVar[Work | None] = ContextVar("timetally_unit_of_work", default=None)


def current() -> Work | None:
    return _CURRENT.get()


@contextmanager
def unit_of_work() -> Iterator[Work]:
    """One transaction for the block: committed when it ends, rolled back when it raises. Inside another unit of
    work it joins that one. SQLite failures surface as `StoreError`s from the repository call or the commit."""
    outer = _CURRENT.get()
    if outer is not None:
        yield outer
        return
    work = Work()
    token = _CURRENT.set(work)
    try:
        try:
            yield work
        finally:
            _CURRENT.reset(token)  # what commit hooks run (listeners, deliveries) is work of its own
        work.commit()
    finally:
        work.close()


def atomic(use_case: Callable[P, R]) -> Callable[P, R]:
    """A service method that writes more than one row, run as one unit of work."""

    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return use_case(*args, **kwargs)

    return run


def note_written(session: OrmSession, *tables: str) -> None:
    session.info.setdefault(_TABLES, set()).update(tables)


@event.listens_for(Session, "before_flush")
def _note_flush(session: Session, _context: Any, _instances: Any) -> None:
    rows = [*session.new, *session.deleted, *(r for r in session.dirty if session.is_modified(r))]
    note_written(session, *(getattr(r, "__tablename__", "") for r in rows))


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            note_written(state.session, str(table.name))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    tables = session.info.pop(_TABLES, None)
    if tables and ch.listening():
        ch.committed(changes_of_tables(tables))


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_TABLES, None)
