"""Finished work as the store reads it and billing prices it: one value from the database to the builder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class WorkItem:
    """An approved, not yet invoiced entry with the names an invoice line needs."""

    entry_id: int
    start: datetime
    end: datetime
    client_id: int
    client_name: str
    project_id: int
    project_name: str
    description: str = ""
    task_id: int | None = None
    task_name: str = ""
    billable: bool = True


@dataclass(frozen=True, slots=True)
class Worked:
    """An entry of the person whatever its status, client or invoice: what overtime limits and fixed-fee budgets
    count, so the price of one entry never depends on which other entries are still unbilled."""

    entry_id: int
    start: datetime
    end: datetime
    project_id: int | None = None
    billable: bool = False
