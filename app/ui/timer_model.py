"""The timer as the tray and the timer window both see it.

One snapshot (running entry, recent entries, projects) is loaded off the GUI thread whenever the change bus
says the timer, entries or projects changed; the actions both views offer run as write tasks that announce
what they changed. Views only render snapshots and call actions, so they never touch the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.core import Core
from app.domain.errors import TimeTallyError
from app.domain.models import Entry, Notice, Project, Task
from app.domain.timefmt import utcnow
from app.ui.events import ENTRIES, PROJECTS, TIMER, ChangeBus, Changed, recorded
from app.ui.tasks import TaskRunner, alive

log = logging.getLogger(__name__)
T = TypeVar("T")
RECENT = 5
KEEP: Any = object()
"""Leaves a field as it is in `edit_running`."""


@dataclass(frozen=True, slots=True)
class TimerSnapshot:
    running: Entry | None = None
    notices: tuple[Notice, ...] = ()
    recent: tuple[Entry, ...] = ()
    projects: tuple[Project, ...] = ()
    tasks: Mapping[int, tuple[Task, ...]] = field(default_factory=dict)
    """Each project's tasks, by project id."""

    def elapsed(self, now: datetime) -> int:
        """Computed from the start instant, so a ticking clock needs no database."""
        return self.running.seconds(now) if self.running else 0


def user_message(error: BaseException) -> str:
    """The sentence to show: our own errors are written for users; anything else is logged and summarised."""
    if isinstance(error, TimeTallyError):
        return str(error)
    log.error("unexpected failure", exc_info=error)
    return f"Something went wrong: {error}. Details are in the log file."


def label(entry: Entry) -> str:
    """`Description - Project`, with readable stand-ins for what is missing."""
    return f"{entry.description or '(no description)'} - {entry.project_path or 'No project'}"


class TimerModel(QObject):
    """Shared by the tray and the timer window; create one per application."""

    updated = Signal(object)  # TimerSnapshot
    failed = Signal(str)  # a sentence for the user
    noticed = Signal(object)  # tuple[Notice, ...] about an accepted change (overlaps)

    def __init__(
        self, core: Core, runner: TaskRunner, bus: ChangeBus, clock: Callable[[], datetime] = utcnow
    ) -> None:
        super().__init__()
        self._core = core
        self._runner = runner
        self._bus = bus
        self.clock = clock
        self.snapshot = TimerSnapshot()
        self._generation = 0
        bus.changed.connect(self._on_changed)

    def refresh(self) -> None:
        # Reads run in a pool and may finish out of order: only the newest one is shown.
        self._generation += 1
        generation = self._generation
        core = self._core
        self._runner.read(lambda: _load(core), lambda snap: self._loaded(generation, snap), self._fail,
                          owner=self)

    def _loaded(self, generation: int, snapshot: TimerSnapshot) -> None:
        if generation == self._generation:
            self.snapshot = snapshot
            self.updated.emit(snapshot)

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {TIMER, ENTRIES, PROJECTS}:
            self.refresh()

    # Actions. Each runs on the write worker and announces what it changed.

    # Jobs capture the services, never `self`: they run on a worker thread.

    def start(self, description: str = "", project_id: int | None = None, task_id: int | None = None) -> None:
        timer = self._core.timer
        self.perform(lambda: timer.start(description, project_id, task_id))

    def stop(self) -> None:
        self.perform(self._core.timer.stop)

    def toggle(self) -> None:
        """Stop the running timer, or start one with the default project."""
        if self.snapshot.running:
            self.stop()
        else:
            self.start()

    def continue_last(self) -> None:
        self.perform(self._core.timer.continue_last)

    def resume(self, entry: Entry) -> None:
        timer = self._core.timer
        self.perform(lambda: timer.resume(entry))

    def switch_project(self, project_id: int) -> None:
        """Stop the running timer and go on with the same description on another project."""
        running = self.snapshot.running
        description = running.description if running else ""
        timer = self._core.timer
        self.perform(lambda: timer.switch(description, project_id))

    def edit_running(self, *, description: str | None = None, project_id: Any = KEEP, task_id: Any = KEEP) -> None:
        """Change the running entry in place (the window's description, project and task fields)."""
        running = self.snapshot.running
        if running is None:
            return
        changes: dict[str, Any] = {}
        if description is not None:
            changes["description"] = description
        if project_id is not KEEP:
            changes["project_id"] = project_id
        if task_id is not KEEP:
            changes["task_id"] = task_id
        service = self._core.entry_service
        self.perform(lambda: service.edit(running.id, **changes))

    def add_project(
        self,
        path: str,
        on_added: Callable[[Project], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        projects = self._core.projects
        self.perform(lambda: projects.add_project(path), on_done=on_added, on_failure=on_failure)

    def perform(
        self,
        fn: Callable[[], T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_failure: Callable[[str], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Run a change on the write worker, announce what it committed, and pass on notices such as overlaps.

        Failures go to `on_failure` when given (a dialog that stays open), else to the `failed` signal. When
        `owner` (that dialog) was deleted meanwhile, the change is still announced but its callbacks are skipped
        and a failure goes to the `failed` signal: nobody is left to show it.
        """

        def done(finished: Changed[T]) -> None:
            self._bus.publish(finished.changes)
            result = finished.value
            notices = result[1] if isinstance(result, tuple) and len(result) == 2 else ()
            if notices:
                self.noticed.emit(tuple(notices))
            if on_done is not None and alive(owner):
                on_done(result)

        def refused(error: BaseException) -> None:
            (on_failure if on_failure is not None and alive(owner) else self.failed.emit)(user_message(error))

        self._runner.write(recorded(fn), done, refused, owner=self)

    def _fail(self, error: BaseException) -> None:
        self.failed.emit(user_message(error))


def _load(core: Core) -> TimerSnapshot:
    status = core.timer.status()
    return TimerSnapshot(
        running=status.running,
        notices=status.notices,
        recent=tuple(core.timer.recent(RECENT)),
        projects=tuple(core.projects.projects()),
        tasks=core.projects.tasks_by_project(),
    )
