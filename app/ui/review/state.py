"""The review window's model: one week loaded off the GUI thread, reloaded when the change bus says something it
shows changed; every action runs on the write worker and announces what it changed."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.classify.rules import Rule
from app.core import Core
from app.domain.instants import instant
from app.domain.periods import Period
from app.domain.timefmt import format_duration, utcnow
from app.timesheet.approvals import Approval
from app.timesheet.review import Assignment
from app.timesheet.week import ProposalItem, WeekReview
from app.ui.events import ENTRIES, INVOICES, PROJECTS, RULES, SETTINGS, SPANS, TIMER, ChangeBus, Changed, recorded
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

T = TypeVar("T")
_paused = 0
_pause_lock = threading.Lock()
WATCHED = frozenset({ENTRIES, PROJECTS, SPANS, RULES, SETTINGS, TIMER, INVOICES})


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a week loads. A week can hold 600,000 spans that live only for the load;
    a full collection over them holds the GIL for hundreds of milliseconds, freezing the GUI thread, while
    reference counting frees them anyway. Collection resumes when the last concurrent load ends."""
    global _paused
    with _pause_lock:
        _paused += 1
        gc.disable()
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if not _paused:
                gc.enable()


class ReviewModel(QObject):
    loaded = Signal(object)  # WeekReview
    failed = Signal(str)
    done = Signal(str)  # a short sentence about what an action did
    suggested = Signal(object)  # Assignment with a rule suggestion

    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus,
                 clock: Callable[[], datetime] = utcnow, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self._core = core
        self._runner = runner
        self._bus = bus
        self._clock = clock
        self._today = today
        self.review: WeekReview | None = None
        self._day: date = today()
        self._generation = 0
        self._shown = -1
        self.loading = False
        self.focus_index: int | None = None
        """The day (0-6) the window shows; its activity is read before the rest of the week's."""
        bus.changed.connect(self._on_changed)

    @property
    def period(self) -> Period | None:
        return self.review.period if self.review else None

    def open_week(self, day: date | None = None) -> None:
        """The week holding `day` (default: today), starting on the day the settings name. Its entries show
        first, then the activity of the day in view, then the rest: a very busy week takes seconds to read."""
        self._day = day or self._today()
        self.refresh(progressive=True)

    def step(self, weeks: int) -> None:
        """From the week last asked for, so quick presses add up before the loads finish."""
        self.open_week(self._day + timedelta(weeks=weeks))

    def refresh(self, progressive: bool = False) -> None:
        self._generation += 1
        self._shown = -1
        generation, day, core, now, focus = self._generation, self._day, self._core, self._clock(), self.focus_index
        self.loading = True
        staged: list[Iterator[WeekReview]] = []  # the day, then the week reusing what the day read

        def load(stage: str) -> WeekReview:
            period = core.review.week_of(day)
            shown = period.first + timedelta(days=focus) if focus is not None else day
            with collector_paused():
                if stage == "entries":
                    return core.review.load(period, now, entries_only=True)
                if not progressive:
                    return core.review.load(period, now)
                if not staged:
                    staged.append(core.review.load_in_stages(period, shown, now))
                return next(staged[0])

        def read(stage: str, then: Callable[[], None] | None = None) -> None:
            def done(review: WeekReview) -> None:
                self._loaded(generation, review)
                if then is not None and generation == self._generation:
                    then()

            self._runner.read(lambda: load(stage), done, self._fail, owner=self)

        if progressive:
            read("entries")
            read("day", lambda: read("week"))  # one after the other: the week reuses what the day read
        else:
            read("week")

    def _loaded(self, generation: int, review: WeekReview) -> None:
        """Only the newest request counts, and a result never replaces a more complete one."""
        if generation != self._generation or len(review.loaded_days) <= self._shown:
            return
        self._shown = len(review.loaded_days)
        self.loading = not review.activity
        self.review = review
        self.loaded.emit(review)

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & WATCHED and self.review is not None:
            self.refresh()

    def _fail(self, error: BaseException) -> None:
        self.loading = False
        self.failed.emit(user_message(error))

    # Actions. Jobs hold the services (`core`), never this QObject: they run on a worker thread.

    def perform(self, fn: Callable[[], T], said: Callable[[T], str] | None = None,
                then: Callable[[T], None] | None = None) -> None:
        """Run a change on the write worker; the views hear what it committed."""
        def finished(done: Changed[T]) -> None:
            self._bus.publish(done.changes)
            if said is not None:
                self.done.emit(said(done.value))
            if then is not None:
                then(done.value)

        self._runner.write(recorded(fn), finished, self._fail, owner=self)

    def accept(self, items: Sequence[ProposalItem]) -> None:
        items = list(items)
        core = self._core
        self.perform(lambda: core.review.accept(items), lambda r: _count(r, "added"))

    def accept_all(self) -> None:
        if self.review is not None:
            self.accept(self.review.proposals)

    def accept_edited(self, item: ProposalItem, values: Any) -> None:
        core = self._core
        self.perform(lambda: core.review.accept_edited(
            item, start=instant(values.start), end=instant(values.end), description=values.description,
            project_id=values.project_id, task_id=values.task_id), lambda _: "Proposal accepted with your changes.")

    def reject(self, items: Sequence[ProposalItem]) -> None:
        items = list(items)
        core = self._core
        self.perform(lambda: core.review.reject(items),
                     lambda _: f"{len(items)} proposal{'s' if len(items) != 1 else ''} rejected.")

    def split_proposal(self, item: ProposalItem, at: datetime) -> None:
        core = self._core
        self.perform(lambda: core.review.split_proposal(item, instant(at)),
                     lambda _: "Split into two draft entries.")

    def split_entry(self, entry_id: int, at: datetime) -> None:
        core = self._core
        self.perform(lambda: core.review.split_entry(entry_id, at), lambda _: "Entry split.")

    def merge(self, entry_ids: Sequence[int], items: Sequence[ProposalItem]) -> None:
        ids, props = list(entry_ids), list(items)
        core = self._core
        self.perform(lambda: core.review.merge(ids, props), lambda _: "Merged.")

    def edit_entry(self, entry_id: int, values: Any) -> None:
        core = self._core
        self.perform(lambda: core.review.edit_entry(
            entry_id, start=values.start, end=values.end, description=values.description,
            project_id=values.project_id, task_id=values.task_id), lambda _: "Entry saved.")

    def delete_entry(self, entry_id: int) -> None:
        core = self._core
        self.perform(lambda: core.entry_service.delete(entry_id),
                     lambda _: "Entry deleted.")

    def assign_pieces(self, pieces: Sequence[tuple[datetime, datetime]], project_id: int,
                      description: str = "") -> None:
        """The active, unassigned stretches of a dragged range (see `assign_range.take`), as the dialog showed."""
        def then(result: Assignment) -> None:
            if result.suggestion is not None:
                self.suggested.emit(result)

        review, now = self._core.review, self._clock()
        seconds = round(sum((b - a).total_seconds() for a, b in pieces))
        self.perform(lambda: review.assign_pieces(pieces, project_id, description, now),
                     lambda r: f"Assigned {format_duration(seconds)} to {r.entry.project_path}.", then)

    def add_rule(self, rule: Rule) -> None:
        classifier = self._core.classifier
        self.perform(lambda: classifier.replace_rules([*classifier.rules(), rule]),
                     lambda _: f'Rule "{rule.name}" added.')

    def approve(self, entry_ids: Sequence[int]) -> None:
        ids = list(entry_ids)
        core = self._core
        self.perform(lambda: core.approvals.approve(ids), Approval.sentence)

    def approve_week(self) -> None:
        if self.review is not None:
            period = self.review.period
            core = self._core
            self.perform(lambda: core.approvals.approve_period(period), Approval.sentence)

    def confirm_descriptions(self, entry_ids: Sequence[int]) -> None:
        ids = list(entry_ids)
        review = self._core.review
        self.perform(lambda: review.confirm_descriptions(ids),
                     lambda r: f"{len(r)} description{'' if len(r) == 1 else 's'} confirmed: "
                               f"{'it' if len(r) == 1 else 'they'} may now appear on invoices.")

    def unlock(self, entry_id: int, reason: str) -> None:
        core = self._core
        self.perform(lambda: core.approvals.unlock(entry_id, reason),
                     lambda e: f"Entry #{e.id} unlocked; the reason is in the audit trail.")

    def submit(self) -> None:
        if self.review is not None:
            period = self.review.period
            core = self._core
            self.perform(lambda: core.approvals.submit(period),
                         lambda _: "Week submitted: it is ready for billing.")


def _count(result: Sequence[object], verb: str) -> str:
    n = len(result)
    return f"{n} entr{'y' if n == 1 else 'ies'} {verb}."
