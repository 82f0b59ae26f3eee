"""The weekly review: builds what a week looks like (see `week.py`) and carries out what the user does to it.

Building a week is one read on a worker: entries, captured spans classified once, proposals, flags.
"""

from __future__ import annotations

import time as time_module
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from operator import attrgetter
from typing import Any

from app.classify.learn.service import label_of
from app.classify.preview import Preview
from app.classify.proposals import Proposal
from app.classify.service import Classified, ClassifierService
from app.classify.suggest import Suggestion
from app.domain.errors import LockedError, ValidationError
from app.domain.instants import Instant, entry_span, instant, moment, period_span
from app.domain.models import DescriptionOrigin, Entry, EntrySource, NewEntry, Notice
from app.domain.periods import Period, week_of
from app.domain.timefmt import utcnow
from app.settings import Settings
from app.store.repositories import EntryRepository, ProjectRepository
from app.store.review_repository import ReviewRepository
from app.store.work import atomic
from app.timesheet.entries import EntryService, check_target
from app.timesheet.validation import clean_description, review_flags
from app.timesheet.week import DayTimeline, ProposalItem, WeekReview, build_blocks, build_grid

_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class Assignment:
    """A range assigned by hand, and the rule the classifier offers for time like it (if any)."""
    entry: Entry
    notices: tuple[Notice, ...]
    suggestion: Suggestion | None
    preview: Preview | None


def release(items: list[Any], chunk: int = 20_000) -> None:
    """Drop a big list a slice at a time, letting other threads (the GUI) run between slices: freeing 600,000
    spans at once holds the interpreter lock for a tenth of a second."""
    while items:
        del items[-chunk:]
        time_module.sleep(0)


def _whole(at: Instant) -> datetime:
    """An entry starts and ends on whole seconds."""
    return moment(round(at))


def _item(p: Proposal) -> ProposalItem:
    o = p.outcome
    return ProposalItem(p.start, p.end, o.project_path, o.task, p.description, p.rule, p.why, o.billable, p.titles,
                        source=p.source, confidence=p.confidence)


def _overlaps(span: tuple[Instant, Instant], lo: Instant, hi: Instant) -> bool:
    return span[0] < hi and span[1] > lo


def _origin(item: ProposalItem) -> DescriptionOrigin:
    """Away time comes back with the timer's (typed) text; a proposal's text is its rule's, if it has any."""
    return DescriptionOrigin.RULE if item.description and item.dropped_id is None else DescriptionOrigin.TYPED


def _hidden(item: ProposalItem, rejected: Sequence[tuple[str, Instant, Instant]]) -> bool:
    """Rejected: the same rule over a range that holds most of the proposal, so a rejection survives the small
    boundary shifts new capture causes."""
    return any(rule == item.rule and min(hi, item.end) - max(lo, item.start) > 0.5 * (item.end - item.start)
               for rule, lo, hi in rejected)


class ReviewService:
    def __init__(self, entries: EntryRepository, entry_service: EntryService, projects: ProjectRepository,
                 classifier: ClassifierService, repo: ReviewRepository, settings: Settings,
                 who: Callable[[], str], tz: tzinfo | None = None,
                 accounting_notes: Callable[[], Mapping[int, tuple[str, str]]] = dict) -> None:
        self._entries = entries
        self._accounting_notes = accounting_notes
        self._entry_service = entry_service
        self._projects = projects
        self._classifier = classifier
        self._repo = repo
        self._settings = settings
        self._who = who
        self._tz = tz

    def week_of(self, day: date) -> Period:
        return week_of(day, self._settings.get("review.week_start"))

    def load(self, period: Period, now: datetime | None = None, activity: Period | None = None,
             entries_only: bool = False) -> WeekReview:
        """Everything the review window shows for a period, computed in one pass. Captured activity is read for
        the days of `activity` (default: the whole period), or not at all with `entries_only`, which takes tens of
        milliseconds however much was captured: a busy week can show its entries, then one day, then the rest."""
        review, classified = self._review(period, now or utcnow(), None if entries_only else activity or period)
        if classified is not None:
            release(classified.spans)
        return review

    def load_in_stages(self, period: Period, day: date, now: datetime | None = None) -> Iterator[WeekReview]:
        """The period with the activity of `day`, then with all of it. The second stage reads and classifies only
        the other days: a busy day is a seventh of a slow week's read."""
        now = now or utcnow()
        review, known = self._review(period, now, Period(day, day))
        yield review
        review, classified = self._review(period, now, period, known)
        for done in (known, classified):
            if done is not None:
                release(done.spans)
        yield review

    def _review(self, period: Period, now: datetime, activity: Period | None, known: Classified | None = None
                ) -> tuple[WeekReview, Classified | None]:
        """The review, with the activity of `activity`'s days classified (reusing `known`, see
        `ClassifierService.classified_between`); and that classified activity."""
        start, end = period.utc_range(self._tz)  # the entry repository's edge
        low, high = period_span(activity, self._tz) if activity else (0.0, 0.0)
        at = instant(now)
        classified, proposals = self._classifier.classified_between(low, high, at, known) if activity else (None, None)
        spans, verdicts = (classified.spans, classified.verdicts) if classified else ([], [])
        entries = self._entries.between(start, end)
        projects = self._projects.projects(include_archived=True)
        items = self._items(proposals.proposals, low, high) if proposals else []
        timelines: list[DayTimeline] = []
        shares: dict[date, float] = {}
        too_short: dict[date, list[tuple[str, float]]] = {}
        for day in period.days():
            lo, hi = period_span(Period(day, day), self._tz)
            first, last = bisect_left(spans, lo, key=_START), bisect_left(spans, hi, key=_START)
            first -= first > 0 and spans[first - 1].end > lo  # the span running past midnight
            blocks = build_blocks(spans[first:last], verdicts[first:last], lo, hi)
            if proposals is not None and proposals.captured(lo, hi):
                shares[day] = proposals.share(lo, hi)
                too_short[day] = [(s.label, s.active_seconds) for s in proposals.too_short if lo <= s.start < hi]
            timelines.append(DayTimeline(
                day, lo, hi, tuple(blocks), tuple(i for i in items if i.start < hi and i.end > lo),
                tuple(e for e in entries if _overlaps(entry_span(e, at), lo, hi))))
        value = self._settings.snapshot().value  # one read of the table
        flags = review_flags(entries, now, daily_limit_hours=value("review.daily_hours_limit"),
                             long_timer_hours=value("timer.long_running_hours"),
                             unclassified_share=shares,
                             share_limit=value("review.unclassified_flag_percent") / 100, tz=self._tz,
                             accounting=self._accounting_notes(), too_short=too_short,
                             minimum_seconds=self._classifier.options().minimum)
        grid = build_grid(entries, projects, period.days(), now, self._tz)
        return WeekReview(period, grid, tuple(timelines), tuple(items), tuple(entries), tuple(flags),
                          self._repo.submission(period.first), tuple(p for p in projects if not p.archived),
                          self._projects.tasks_by_project(), tuple(activity.days()) if activity else ()), classified

    def proposals(self, period: Period, now: datetime | None = None) -> list[ProposalItem]:
        start, end = period_span(period, self._tz)
        return self._items(self._classifier.propose_between(start, end, instant(now or utcnow())).proposals, start, end)

    def _items(self, proposals: Sequence[Proposal], lo: Instant, hi: Instant) -> list[ProposalItem]:
        rejected = self._repo.rejected_between(lo, hi)
        items = [i for i in map(_item, proposals) if not _hidden(i, rejected)]
        for d in self._repo.dropped_between(lo, hi):
            path = self._projects.get(d.project_id).path if d.project_id else ""
            minutes = round((d.end - d.start) / 60)
            stopped = moment(d.start, self._tz)
            items.append(ProposalItem(d.start, d.end, path, "", d.description, "",
                                      f"Timer stopped at {stopped:%H:%M} without asking: away {minutes // 60} h "
                                      f"{minutes % 60:02d} min while it ran", dropped_id=d.id,
                                      project_id=d.project_id))
        return sorted(items, key=lambda i: i.start)

    # Proposals

    @atomic
    def accept(self, items: Sequence[ProposalItem]) -> list[Entry]:
        """Each proposal becomes a draft entry; projects and tasks a rule names are created when new. Nothing is
        added when any of them falls in settled time (a submitted week, a locked entry)."""
        return self._accept([(item, _origin(item)) for item in items])

    def _accept(self, items: Sequence[tuple[ProposalItem, DescriptionOrigin]]) -> list[Entry]:
        for item, _ in items:
            self._entry_service.lock.check(_whole(item.start), _whole(item.end))
        out = []
        for item, origin in items:
            project_id, task_id, billable = self._target(item)
            out.append(self._entry_service.add(NewEntry(
                start=_whole(item.start), end=_whole(item.end), description=clean_description(item.description),
                project_id=project_id, task_id=task_id, source=EntrySource.CAPTURE, billable=billable,
                description_origin=origin)))
            if item.dropped_id is not None:
                self._repo.delete_dropped(item.dropped_id)
        return out

    @atomic
    def accept_edited(self, item: ProposalItem, *, start: Instant, end: Instant, description: str,
                      project_id: int | None, task_id: int | None = None) -> Entry:
        """Accept a proposal with the user's changes to project, task, description and times; without a task
        chosen, the rule's task stays while the project does."""
        if end <= start:
            raise ValidationError("The end must come after the start.")
        path = self._projects.get(project_id).path if project_id else ""
        check_target(self._projects, project_id, task_id)
        task = self._projects.task(task_id).name if task_id else item.task if path == item.project_path else ""
        changed = replace(item, start=start, end=end, description=description,
                          project_path=path, task=task, project_id=project_id)
        return self._accept([(changed, DescriptionOrigin.TYPED)])[0]  # the user saw and saved this text

    def accept_all(self, period: Period, now: datetime | None = None) -> list[Entry]:
        return self.accept(self.proposals(period, now))

    @atomic
    def reject(self, items: Sequence[ProposalItem]) -> None:
        for item in items:
            if item.dropped_id is not None:
                self._repo.delete_dropped(item.dropped_id)
            elif item.learned and self._classifier.learning is not None:  # teaches against the project
                self._classifier.learning.reject(item.start, item.end, label_of(item.project_path, item.task))
            else:
                self._repo.reject(item.rule, item.start, item.end)

    @atomic
    def split_proposal(self, item: ProposalItem, cut: Instant) -> list[Entry]:
        """Split at `cut` and accept both halves, so each can go its own way."""
        if not item.start < cut < item.end:
            raise ValidationError("Split at a time inside the proposal.")
        return self.accept([replace(item, end=cut), replace(item, start=cut, dropped_id=None)])

    @atomic
    def split_entry(self, entry_id: int, at: datetime) -> tuple[Entry, Entry]:
        entry = self._editable(entry_id)
        if entry.end is None or not entry.start < at < entry.end:
            raise ValidationError("Split at a time inside a finished entry.")
        first, _ = self.edit_entry(entry_id, end=at)
        second = self._entry_service.add(NewEntry(start=at, end=entry.end, description=entry.description,
                                                  project_id=entry.project_id, task_id=entry.task_id,
                                                  source=entry.source, billable=entry.billable,
                                                  description_origin=entry.description_origin))
        return first, second

    @atomic
    def merge(self, entry_ids: Sequence[int], items: Sequence[ProposalItem] = ()) -> Entry:
        """One entry from the earliest start to the latest end; the longest piece gives project and task."""
        entries = [self._editable(i) for i in entry_ids]
        entries += self.accept(items)
        if len(entries) < 2:
            raise ValidationError("Select at least two entries or proposals to merge.")
        if any(e.end is None for e in entries):
            raise ValidationError("Stop the timer before merging it.")
        longest = max(entries, key=lambda e: e.seconds(utcnow()))
        texted = [e for e in sorted(entries, key=lambda e: e.start) if e.description]
        texts = list(dict.fromkeys(e.description for e in texted))
        origins = {e.description_origin for e in texted}  # the text is only as confirmed as its least part
        origin = next((o for o in (DescriptionOrigin.TITLE, DescriptionOrigin.RULE) if o in origins),
                      DescriptionOrigin.TYPED)
        merged, _ = self.edit_entry(longest.id, start=min(e.start for e in entries),
                                    end=max(e.end or e.start for e in entries), description="; ".join(texts)[:2000],
                                    description_origin=origin)
        for entry in entries:
            if entry.id != longest.id:
                self._entry_service.delete(entry.id)
        return merged

    @atomic
    def edit_entry(self, entry_id: int, **changes: object) -> tuple[Entry, list[Notice]]:
        """An edit; entries that were approved and unlocked before leave an audit record of it."""
        audited = self._repo.was_unlocked(entry_id)
        before = self._repo.entry_snapshot(entry_id) if audited else {}
        entry, notices = self._entry_service.edit(entry_id, **changes)  # type: ignore[arg-type]
        if audited:
            self._repo.record(entry_id, "edit", self._who(), before, self._repo.entry_snapshot(entry_id))
        return entry, notices

    def confirm_descriptions(self, entry_ids: Sequence[int]) -> list[int]:
        """The user has read these entries' descriptions taken from window titles and lets them reach invoices;
        the ids that needed it (each confirmation is audited)."""
        return self._repo.confirm_descriptions(entry_ids, self._who())

    def assign(self, start: datetime, end: datetime, project_id: int, description: str = "") -> Assignment:
        """A range of the timeline to a project: a draft entry, and the rule offered for time like it."""
        project = self._projects.get(project_id)
        found = self._classifier.suggest(start, end, project.path)
        entry, notices = self._entry_service.add_manual(start, end, description, project_id)
        suggestion, preview = found if found else (None, None)
        return Assignment(entry, tuple(notices), suggestion, preview)

    def assign_pieces(self, pieces: Sequence[tuple[datetime, datetime]], project_id: int,
                      description: str = "", now: datetime | None = None) -> Assignment:
        """The active, unassigned stretches of a dragged range (`assign_range.take`) to a project, one entry each;
        the rule offer looks at the whole range. Nothing may end in the future."""
        if not pieces:
            raise ValidationError("Nothing in that range is active time that is not already assigned; nothing was "
                                  "assigned.")
        if max(b for _, b in pieces) > (now or utcnow()):
            raise ValidationError("A range cannot end in the future; assign time once it has passed.")
        project = self._projects.get(project_id)
        found = self._classifier.suggest(pieces[0][0], pieces[-1][1], project.path)
        made = [self._entry_service.add_manual(a, b, description, project_id) for a, b in pieces]
        suggestion, preview = found if found else (None, None)
        return Assignment(made[0][0], tuple(n for _, notices in made for n in notices), suggestion, preview)

    def _editable(self, entry_id: int) -> Entry:
        entry = self._entries.get(entry_id)
        if entry.locked:
            raise LockedError(f"Entry #{entry_id} is {entry.status} and locked; unlock it before changing it.")
        return entry

    def _target(self, item: ProposalItem) -> tuple[int | None, int | None, bool]:
        if item.project_id is not None:
            project = self._projects.get(item.project_id)
        elif item.project_path:
            found = self._projects.find(item.project_path)
            project = found or self._projects.add_project(item.project_path, billable=item.billable is not False)
        else:
            return None, None, item.billable is not False
        task = self._projects.ensure_task(project.id, item.task).id if item.task else None
        return project.id, task, project.billable if item.billable is None else item.billable
