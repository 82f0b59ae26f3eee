"""Plain value types shared by every layer: no I/O, no Qt, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from app.domain.errors import ValidationError


class EntrySource(StrEnum):
    TIMER = "timer"
    MANUAL = "manual"
    CAPTURE = "capture"


class DescriptionOrigin(StrEnum):
    """Where an entry's description came from. Text from window titles stays on this computer: it reaches no
    invoice until the user types or confirms it."""

    TYPED = "typed"
    """Typed, edited or confirmed by the user."""
    RULE = "rule"
    """A rule's `description`, its capture groups filled in: the user wrote the rule to say this."""
    TITLE = "title"
    """Taken from window titles and not confirmed."""


class EntryStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    INVOICED = "invoiced"
    PAID = "paid"


@dataclass(frozen=True, slots=True)
class Client:
    id: int
    name: str
    archived: bool = False


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    client_id: int
    client_name: str
    name: str
    billable: bool = True
    archived: bool = False

    @property
    def path(self) -> str:
        """The `CLIENT/PROJECT` form users type on the command line."""
        return f"{self.client_name}/{self.name}"


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    project_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A time entry; `end is None` means it is the running timer."""

    id: int
    start: datetime
    end: datetime | None
    description: str = ""
    project_id: int | None = None
    project_path: str | None = None
    task_id: int | None = None
    source: EntrySource = EntrySource.MANUAL
    status: EntryStatus = EntryStatus.DRAFT
    locked: bool = False
    billable: bool = True
    task_name: str = ""
    description_origin: DescriptionOrigin = DescriptionOrigin.TYPED

    @property
    def running(self) -> bool:
        return self.end is None

    def seconds(self, now: datetime) -> int:
        """Whole seconds elapsed; a running entry counts up to `now`, a clock jump never gives a negative."""
        end = self.end or now
        return max(0, int((end - self.start).total_seconds()))


@dataclass(frozen=True, slots=True)
class NewEntry:
    """What a caller supplies to record an entry."""

    start: datetime
    end: datetime | None
    description: str = ""
    project_id: int | None = None
    task_id: int | None = None
    source: EntrySource = EntrySource.MANUAL
    billable: bool = True
    description_origin: DescriptionOrigin = DescriptionOrigin.TYPED


@dataclass(frozen=True, slots=True)
class Notice:
    """A non-blocking remark about an accepted input (an overlap, a long timer)."""

    code: str
    message: str
    entry_ids: tuple[int, ...] = field(default_factory=tuple)


MAX_SPAN_SECONDS = 366 * 86_400
"""No captured span lasts longer (a year left idle at most); a stored one that does is skipped when read."""


class Span(NamedTuple):
    """A stretch of captured activity: one application and title, active or idle.

    Instants are UTC epoch seconds (floats) because spans are counted in the hundreds of thousands and
    the capture, storage and classification hot paths compare them constantly. A named tuple rather than a
    frozen dataclass: reads build up to 600,000 of them at once and a tuple is several times cheaper to build
    (a frozen dataclass sets each field through `object.__setattr__`). Like any tuple it compares equal to a
    plain tuple of the same fields; use `_replace` for a changed copy.
    """

    start: float
    end: float
    app: str
    title: str
    exe: str = ""
    idle: bool = False
    id: int = 0

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


def split_project_path(path: str) -> tuple[str, str]:
    """`CLIENT/PROJECT` -> (client, project); the first slash separates them."""
    client, sep, project = path.partition("/")
    client, project = client.strip(), project.strip()
    if not sep or not client or not project:
        raise ValidationError(f"'{path}' is not in the form CLIENT/PROJECT, e.g. 'Acme Corp/Website'")
    return client, project
