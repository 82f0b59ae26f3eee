"""The weekly review: what a week looks like (grid, day timelines, proposals, flags) and what the user does to it.

Building a week is one read on a worker: entries, captured spans classified once, proposals, flags. The timeline
folds spans into one-minute slots, so a day never holds more than 1,440 blocks however often titles changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.classify.engine import Verdict
from app.classify.preview import Preview
from app.classify.proposals import Proposal
from app.classify.service import ClassifierService
from app.classify.suggest import Suggestion
from app.domain.errors import LockedError, ValidationError
from app.domain.models import Entry, EntrySource, NewEntry, Notice, Project, Span
from app.domain.periods import Period, week_of
from app.domain.timefmt import utcnow
from app.settings import Settings
from app.store.repositories import EntryRepository, ProjectRepository
from app.store.review_repository import ReviewRepository, Submission
from app.timesheet.entries import EntryService
from app.timesheet.validation import Flag, clean_description, review_flags, split_by_day

SLOT = 60
TITLES_PER_BLOCK = 5
WORK, UNCLASSIFIED, PRIVATE, IGNORED, IDLE = "work", "unclassified", "private", "ignored", "idle"


@dataclass(frozen=True, slots=True)
class GridRow:
    client: str
    project: str
    task: str
    project_id: int | None
    billable: bool
    seconds: tuple[int, ...]
    entry_ids: tuple[tuple[int, ...], ...]

    @property
    def label(self) -> str:
        return " / ".join(p for p in (self.client, self.project, self.task) if p) or "No project"

    @property
    def total(self) -> int:
        return sum(self.seconds)


@dataclass(frozen=True, slots=True)
class WeekGrid:
    days: tuple[date, ...]
    rows: tuple[GridRow, ...]

    def day_total(self, column: int, billable: bool | None = None) -> int:
        return sum(r.seconds[column] for r in self.rows if billable is None or r.billable == billable)

    def total(self, billable: bool | None = None) -> int:
        return sum(self.day_total(c, billable) for c in range(len(self.days)))


@dataclass(frozen=True, slots=True)
class Block:
    """Captured activity of one kind and label; `titles` are the most-seen window titles in it."""

    start: float
    end: float
    kind: str
    label: str
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProposalItem:
    """A proposal as the review shows it; `dropped_id` marks away time dropped from a timer."""

    start: float
    end: float
    project_path: str
    task: str
    description: str
    rule: str
    why: str
    billable: bool | None = None
    titles: tuple[str, ...] = ()
    dropped_id: int | None = None
    project_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.dropped_id or self.rule}|{self.start:.0f}|{self.end:.0f}"

    @property
    def label(self) -> str:
        return " / ".join(p for p in (self.project_path, self.task) if p) or "(no project)"


@dataclass(frozen=True, slots=True)
class DayTimeline:
    day: date
    start: float
    end: float
    blocks: tuple[Block, ...]
    proposals: tuple[ProposalItem, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class WeekReview:
    period: Period
    grid: WeekGrid
    timelines: tuple[DayTimeline, ...]
    proposals: tuple[ProposalItem, ...]
    entries: tuple[Entry, ...]
    flags: tuple[Flag, ...]
    submission: Submission | None
    projects: tuple[Project, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Assignment:
    """A range assigned by hand, and the rule the classifier offers for time like it (if any)."""

    entry: Entry
    notices: tuple[Notice, ...]
    suggestion: Suggestion | None
    preview: Preview | None


def _instant(epoch: float) -> datetime:
    return datetime.fromtimestamp(round(epoch), UTC)


def build_grid(entries: Sequence[Entry], projects: Sequence[Project], days: Sequence[date], now: datetime,
               task_names: dict[int, str], tz: tzinfo | None = None) -> WeekGrid:
    """Rows client / project / task × local days; an entry past midnight counts on both days."""
    by_id = {p.id: p for p in projects}
    index = {d: i for i, d in enumerate(days)}
    cells: dict[tuple[str, str, str, int | None, bool], list[list[int]]] = {}
    ids: dict[tuple[str, str, str, int | None, bool], list[list[int]]] = {}
    for entry in entries:
        project = by_id.get(entry.project_id or 0)
        key = (project.client_name if project else "", project.name if project else "",
               task_names.get(entry.task_id or 0, ""), entry.project_id, entry.billable)
        row = cells.setdefault(key, [[0] for _ in days])
        row_ids = ids.setdefault(key, [[] for _ in days])
        for day, seconds in split_by_day(entry.start, entry.end or now, tz):
            if day in index:
                row[index[day]][0] += seconds
                row_ids[index[day]].append(entry.id)
    rows = [GridRow(c, p, t, pid, billable, tuple(s[0] for s in cells[k]), tuple(tuple(i) for i in ids[k]))
            for k in sorted(cells, key=lambda k: (k[0] == "", k[0].casefold(), k[1].casefold(), k[2].casefold()))
            for c, p, t, pid, billable in [k]]
    return WeekGrid(tuple(days), tuple(rows))


def _kind(span: Span, verdict: Verdict | None) -> tuple[str, str]:
    outcome = verdict.outcome if verdict else None
    if span.idle or outcome is None:
        return (IDLE, "Idle") if span.idle else (UNCLASSIFIED, "Unclassified")
    if outcome.private or outcome.ignore:
        return (PRIVATE, "Private") if outcome.private else (IGNORED, "Ignored")
    return WORK, outcome.label


def build_blocks(spans: Sequence[Span], verdicts: Sequence[Verdict | None], start: float, end: float
                 ) -> tuple[list[Block], float, float]:
    """Blocks of [start, end) from one-minute slots, each slot taking its most-seen kind; also the active and
    unclassified seconds of the range."""
    slots: dict[int, dict[tuple[str, str], float]] = {}
    titles: dict[int, dict[str, float]] = {}
    active = unclassified = 0.0
    for span, verdict in zip(spans, verdicts, strict=True):
        lo, hi = max(span.start, start), min(span.end, end)
        if hi <= lo:
            continue
        kind = _kind(span, verdict)
        if kind[0] != IDLE:
            active += hi - lo
            if kind[0] == UNCLASSIFIED:
                unclassified += hi - lo
        slot = int((lo - start) // SLOT)
        while lo < hi:
            cut = min(hi, start + (slot + 1) * SLOT)
            seconds = cut - lo
            counts = slots.setdefault(slot, {})
            counts[kind] = counts.get(kind, 0.0) + seconds
            seen = titles.setdefault(slot, {})
            if span.title and (span.title in seen or len(seen) < TITLES_PER_BLOCK):
                seen[span.title] = seen.get(span.title, 0.0) + seconds
            lo, slot = cut, slot + 1
    blocks: list[Block] = []
    run: tuple[int, int, tuple[str, str], dict[str, float]] | None = None

    def close(r: tuple[int, int, tuple[str, str], dict[str, float]]) -> None:
        ranked = sorted(r[3].items(), key=lambda kv: -kv[1])[:TITLES_PER_BLOCK]
        blocks.append(Block(start + r[0] * SLOT, min(end, start + r[1] * SLOT), r[2][0], r[2][1],
                            tuple(t for t, _ in ranked)))

    for slot in sorted(slots):
        kind = max(slots[slot].items(), key=lambda kv: kv[1])[0]
        if run is not None and run[1] == slot and run[2] == kind:
            merged = run[3]
            for title, seconds in titles.get(slot, {}).items():
                if title in merged or len(merged) < 4 * TITLES_PER_BLOCK:
                    merged[title] = merged.get(title, 0.0) + seconds
            run = (run[0], slot + 1, kind, merged)
            continue
        if run is not None:
            close(run)
        run = (slot, slot + 1, kind, dict(titles.get(slot, {})))
    if run is not None:
        close(run)
    return blocks, active, unclassified


def _item(p: Proposal) -> ProposalItem:
    o = p.outcome
    return ProposalItem(p.start, p.end, o.project_path, o.task, p.description, p.rule, p.why, o.billable, p.titles)


def _hidden(item: ProposalItem, rejected: Sequence[tuple[str, float, float]]) -> bool:
    """Rejected: the same rule over a range that holds most of the proposal, so a rejection survives the small
    boundary shifts new capture causes."""
    return any(rule == item.rule and min(hi, item.end) - max(lo, item.start) > 0.5 * (item.end - item.start)
               for rule, lo, hi in rejected)


class ReviewService:
    def __init__(self, entries: EntryRepository, entry_service: EntryService, projects: ProjectRepository,
                 classifier: ClassifierService, repo: ReviewRepository, settings: Settings,
                 who: Callable[[], str], tz: tzinfo | None = None) -> None:
        self._entries = entries
        self._entry_service = entry_service
        self._projects = projects
        self._classifier = classifier
        self._repo = repo
        self._settings = settings
        self._who = who
        self._tz = tz

    def week_of(self, day: date) -> Period:
        return week_of(day, self._settings.get("review.week_start"))

    def load(self, period: Period, now: datetime | None = None) -> WeekReview:
        """Everything the review window shows for a period, computed in one pass."""
        now = now or utcnow()
        start, end = period.utc_range(self._tz)
        spans, verdicts, proposal_set = self._classifier.classified_between(start, end, now)
        entries = self._entries.between(start, end)
        projects = self._projects.projects(include_archived=True)
        items = self._items(proposal_set.proposals, start, end)
        task_names = {t.id: t.name for pid in {e.project_id for e in entries if e.task_id} if pid
                      for t in self._projects.tasks(pid)}
        timelines: list[DayTimeline] = []
        shares: dict[date, float] = {}
        first, zone = 0, self._tz or datetime.now().astimezone().tzinfo
        for day in period.days():
            lo = datetime.combine(day, time(), zone).timestamp()
            hi = datetime.combine(day + timedelta(days=1), time(), zone).timestamp()
            while first < len(spans) and spans[first].end <= lo:
                first += 1
            last = first
            while last < len(spans) and spans[last].start < hi:
                last += 1
            blocks, active, unclassified = build_blocks(spans[first:last], verdicts[first:last], lo, hi)
            if active:
                shares[day] = unclassified / active
            timelines.append(DayTimeline(
                day, lo, hi, tuple(blocks), tuple(i for i in items if i.start < hi and i.end > lo),
                tuple(e for e in entries if e.start.timestamp() < hi and (e.end or now).timestamp() > lo)))
        flags = review_flags(entries, now, daily_limit_hours=self._settings.get("review.daily_hours_limit"),
                             unclassified_share=shares,
                             share_limit=self._settings.get("review.unclassified_flag_percent") / 100, tz=self._tz)
        grid = build_grid(entries, projects, period.days(), now, task_names, self._tz)
        return WeekReview(period, grid, tuple(timelines), tuple(items), tuple(entries), tuple(flags),
                          self._repo.submission(period.first), tuple(p for p in projects if not p.archived))

    def proposals(self, period: Period, now: datetime | None = None) -> list[ProposalItem]:
        start, end = period.utc_range(self._tz)
        return self._items(self._classifier.propose_between(start, end, now).proposals, start, end)

    def _items(self, proposals: Sequence[Proposal], start: datetime, end: datetime) -> list[ProposalItem]:
        rejected = self._repo.rejected_between(start.timestamp(), end.timestamp())
        items = [i for i in map(_item, proposals) if not _hidden(i, rejected)]
        for d in self._repo.dropped_between(start.timestamp(), end.timestamp()):
            path = self._projects.get(d.project_id).path if d.project_id else ""
            minutes = round((d.end - d.start) / 60)
            items.append(ProposalItem(d.start, d.end, path, "", d.description, "",
                                      f"Away {minutes // 60} h {minutes % 60:02d} min while the timer ran; dropped "
                                      "from it without asking", dropped_id=d.id, project_id=d.project_id))
        return sorted(items, key=lambda i: i.start)

    # Proposals

    def accept(self, items: Sequence[ProposalItem]) -> list[Entry]:
        """Each proposal becomes a draft entry; projects and tasks a rule names are created when new."""
        out = []
        for item in items:
            project_id, task_id, billable = self._target(item)
            out.append(self._entries.add(NewEntry(
                start=_instant(item.start), end=_instant(item.end), description=clean_description(item.description),
                project_id=project_id, task_id=task_id, source=EntrySource.CAPTURE, billable=billable)))
            if item.dropped_id is not None:
                self._repo.delete_dropped(item.dropped_id)
        return out

    def accept_edited(self, item: ProposalItem, *, start: datetime, end: datetime, description: str,
                      project_id: int | None) -> Entry:
        """Accept a proposal with the user's changes to project, description and times."""
        if end <= start:
            raise ValidationError("The end must come after the start.")
        path = self._projects.get(project_id).path if project_id else ""
        changed = replace(item, start=start.timestamp(), end=end.timestamp(), description=description,
                          project_path=path, task=item.task if path == item.project_path else "", project_id=project_id)
        return self.accept([changed])[0]

    def accept_all(self, period: Period, now: datetime | None = None) -> list[Entry]:
        return self.accept(self.proposals(period, now))

    def reject(self, items: Sequence[ProposalItem]) -> None:
        for item in items:
            if item.dropped_id is not None:
                self._repo.delete_dropped(item.dropped_id)
            else:
                self._repo.reject(item.rule, item.start, item.end)

    def split_proposal(self, item: ProposalItem, at: datetime) -> list[Entry]:
        """Split at `at` and accept both halves, so each can go its own way."""
        cut = at.timestamp()
        if not item.start < cut < item.end:
            raise ValidationError("Split at a time inside the proposal.")
        return self.accept([replace(item, end=cut), replace(item, start=cut, dropped_id=None)])

    def split_entry(self, entry_id: int, at: datetime) -> tuple[Entry, Entry]:
        entry = self._editable(entry_id)
        if entry.end is None or not entry.start < at < entry.end:
            raise ValidationError("Split at a time inside a finished entry.")
        first, _ = self.edit_entry(entry_id, end=at)
        second = self._entries.add(NewEntry(start=at, end=entry.end, description=entry.description,
                                            project_id=entry.project_id, task_id=entry.task_id,
                                            source=entry.source, billable=entry.billable))
        return first, second

    def merge(self, entry_ids: Sequence[int], items: Sequence[ProposalItem] = ()) -> Entry:
        """One entry from the earliest start to the latest end; the longest piece gives project and task."""
        entries = [self._editable(i) for i in entry_ids]
        entries += self.accept(items)
        if len(entries) < 2:
            raise ValidationError("Select at least two entries or proposals to merge.")
        if any(e.end is None for e in entries):
            raise ValidationError("Stop the timer before merging it.")
        longest = max(entries, key=lambda e: e.seconds(utcnow()))
        texts = list(dict.fromkeys(e.description for e in sorted(entries, key=lambda e: e.start) if e.description))
        merged, _ = self.edit_entry(longest.id, start=min(e.start for e in entries),
                                    end=max(e.end or e.start for e in entries), description="; ".join(texts)[:2000])
        for entry in entries:
            if entry.id != longest.id:
                self._entry_service.delete(entry.id)
        return merged

    def edit_entry(self, entry_id: int, **changes: object) -> tuple[Entry, list[Notice]]:
        """An edit; entries that were approved and unlocked before leave an audit record of it."""
        audited = self._repo.was_unlocked(entry_id)
        before = self._repo.entry_snapshot(entry_id) if audited else {}
        entry, notices = self._entry_service.edit(entry_id, **changes)  # type: ignore[arg-type]
        if audited:
            self._repo.record(entry_id, "edit", self._who(), before, self._repo.entry_snapshot(entry_id))
        return entry, notices

    def assign(self, start: datetime, end: datetime, project_id: int, description: str = "") -> Assignment:
        """A range of the timeline to a project: a draft entry, and the rule offered for time like it."""
        project = self._projects.get(project_id)
        found = self._classifier.suggest(start, end, project.path)
        entry, notices = self._entry_service.add_manual(start, end, description, project_id)
        suggestion, preview = found if found else (None, None)
        return Assignment(entry, tuple(notices), suggestion, preview)

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
