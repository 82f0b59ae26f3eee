"""Time away from a running timer: what the idle prompt may do with it, and whether to ask at all.

Kept apart from the prompt (Qt) so the rules are plain functions of the store: a meeting or call application
in front counts as active when the setting says so, and a long absence is dropped without asking and offered
back in the review.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.errors import ValidationError
from app.domain.instants import instant
from app.domain.models import DescriptionOrigin, Entry, Project
from app.settings import Settings
from app.store.repositories import EntryRepository, ProjectRepository
from app.store.review_repository import ReviewRepository
from app.store.spans import SpanStore
from app.store.work import atomic
from app.timesheet.entries import EntryService
from app.timesheet.timer import TimerService

LOOK_BACK = 300.0
"""Seconds before the idle time began in which a meeting window counts."""


@dataclass(frozen=True, slots=True)
class Away:
    """What the prompt needs to decide: the running timer, the settings, and whether a meeting was on."""

    running: Entry | None
    prompt: bool
    max_away_hours: float
    in_meeting: bool
    projects: tuple[Project, ...]


class IdleService:
    def __init__(self, entries: EntryRepository, entry_service: EntryService, projects: ProjectRepository,
                 timer: TimerService, repo: ReviewRepository, spans: SpanStore, settings: Settings) -> None:
        self._entries = entries
        self._entry_service = entry_service
        self._projects = projects
        self._timer = timer
        self._repo = repo
        self._spans = spans
        self._settings = settings

    def away(self, since: datetime, until: datetime) -> Away:
        get = self._settings.get
        meeting = bool(get("idle.meetings_active")) and self.in_meeting(since, until, get("idle.meeting_apps"))
        return Away(self._entries.running(), bool(get("idle.prompt")), float(get("idle.max_away_hours")), meeting,
                    tuple(self._projects.projects()))

    def in_meeting(self, since: datetime, until: datetime, patterns: Sequence[str]) -> bool:
        """A meeting or call application (by name or title) was in front when input stopped, or since."""
        checks = [re.compile(p, re.IGNORECASE) for p in patterns]
        for span in self._spans.between(instant(since) - LOOK_BACK, instant(until)):
            if any(c.search(span.app) or c.search(span.title) for c in checks):
                return True
        return False

    @atomic
    def discard(self, since: datetime, continue_timer: bool) -> Entry | None:
        """Stop the running timer where the idle time began; optionally start it again now."""
        running = self._entries.running()
        if running is None:
            return None
        if since <= running.start:
            self._timer.discard()
        else:
            self._timer.stop(at=since)
        return self._timer.resume(running) if continue_timer else None

    @atomic
    def assign(self, since: datetime, until: datetime, parts: Sequence[tuple[int | None, int]]) -> list[Entry]:
        """Give the time away to projects, (project id, seconds) in order, the last part taking what is left;
        the timer stops at `since` and goes on from now."""
        running = self._entries.running()
        if running is None:
            raise ValidationError("No timer is running.")
        if not parts:
            raise ValidationError("Choose at least one project for the time away.")
        since = max(since, running.start)
        self._entry_service.lock.check(since, until)  # before the timer is touched
        self.discard(since, continue_timer=False)
        out: list[Entry] = []
        cursor = since
        for n, (project_id, seconds) in enumerate(parts):
            stop = until if n == len(parts) - 1 else min(until, cursor + timedelta(seconds=seconds))
            if stop > cursor:
                out.append(self._entry_service.add_manual(cursor, stop, running.description, project_id,
                                                          description_origin=running.description_origin)[0])
            cursor = stop
        self._timer.resume(running)
        return out

    @atomic
    def drop(self, since: datetime, until: datetime) -> None:
        """Too long away to ask: the timer stops where the idle time began and the review offers the time."""
        running = self._entries.running()
        if running is None:
            return
        since = max(since, running.start)
        self.discard(since, continue_timer=False)
        # The review offers dropped time back as typed text: unconfirmed title text is left behind.
        text = "" if running.description_origin is DescriptionOrigin.TITLE else running.description
        self._repo.add_dropped(instant(since), instant(until), text, running.project_id)
