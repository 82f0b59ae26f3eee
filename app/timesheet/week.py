"""A week as the review shows it: the grid (client / project / task rows × days), each day's timeline and the
proposals, as plain values built by pure functions.

The timeline folds spans into one-minute slots, so a day never holds more than 1,440 blocks however often titles
changed; a week of one-second spans goes through `build_blocks`, so its loop is kept lean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from app.classify.engine import Verdict
from app.domain.models import Entry, Project, Span, Task
from app.domain.periods import Period
from app.store.review_repository import Submission
from app.timesheet.validation import Flag, split_by_day

SLOT, TITLES_PER_BLOCK = 60, 5
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
    source: str = "rule"
    """"rule", or "learned" from the user's own assignments (never accepted without the user)."""
    confidence: float | None = None

    @property
    def key(self) -> str:
        return f"{self.dropped_id or self.rule or self.source}|{self.start:.0f}|{self.end:.0f}"

    @property
    def learned(self) -> bool:
        return self.source == "learned"

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
    tasks: Mapping[int, tuple[Task, ...]] = field(default_factory=dict)
    """Each project's tasks, by project id: what the entry dialogs offer."""
    loaded_days: tuple[date, ...] = ()
    """The days whose captured activity (timeline, proposals, unclassified share) has been read."""

    @property
    def activity(self) -> bool:
        """Every day's activity is in: the proposals and flags are the whole week's."""
        return set(self.loaded_days) >= set(self.period.days())


def build_grid(entries: Sequence[Entry], projects: Sequence[Project], days: Sequence[date], now: datetime,
               tz: tzinfo | None = None) -> WeekGrid:
    """Rows client / project / task × local days; an entry past midnight counts on both days."""
    by_id = {p.id: p for p in projects}
    index = {d: i for i, d in enumerate(days)}
    cells: dict[tuple[str, str, str, int | None, bool], list[int]] = {}
    ids: dict[tuple[str, str, str, int | None, bool], list[list[int]]] = {}
    for entry in entries:
        project = by_id.get(entry.project_id or 0)
        key = (project.client_name if project else "", project.name if project else "",
               entry.task_name, entry.project_id, entry.billable)
        row = cells.setdefault(key, [0] * len(days))
        row_ids = ids.setdefault(key, [[] for _ in days])
        for day, seconds in split_by_day(entry.start, entry.end or now, tz):
            if day in index:
                row[index[day]] += seconds
                row_ids[index[day]].append(entry.id)
    rows = [GridRow(c, p, t, pid, billable, tuple(cells[k]), tuple(tuple(i) for i in ids[k]))
            for k in sorted(cells, key=lambda k: (k[0] == "", k[0].casefold(), k[1].casefold(), k[2].casefold()))
            for c, p, t, pid, billable in [k]]
    return WeekGrid(tuple(days), tuple(rows))


IDLE_KIND, UNCLASSIFIED_KIND = (IDLE, "Idle"), (UNCLASSIFIED, "Unclassified")


def _kind(verdict: Verdict | None) -> tuple[str, str]:
    o = verdict.outcome if verdict else None
    if o is None or o.private or o.ignore:
        return UNCLASSIFIED_KIND if o is None else (PRIVATE, "Private") if o.private else (IGNORED, "Ignored")
    return WORK, o.label


def build_blocks(spans: Sequence[Span], verdicts: Sequence[Verdict | None], start: float, end: float) -> list[Block]:
    """Blocks of [start, end) from one-minute slots, each slot taking its most-seen kind (the unclassified share
    is the proposals' to say, see `ProposalSet.share`)."""
    slots: dict[int, dict[tuple[str, str], float]] = {}
    titles: dict[int, dict[str, float]] = {}
    kinds: dict[Verdict | None, tuple[str, str]] = {}  # verdicts are interned: one label per rule outcome
    last: object = slots
    kind = here = IDLE_KIND
    pending_slot, pending_kind, pending, seen = -1, IDLE_KIND, 0.0, {}
    slot, edge = -1, start
    # Hot: a week of one-second spans goes through here; unpacking a span is cheaper than reading its fields.
    for (lo, hi, _app, title, _exe, idle, _id), verdict in zip(spans, verdicts, strict=True):
        if lo < start:
            lo = start
        if hi > end:
            hi = end
        if hi <= lo:
            continue
        if idle:
            here = IDLE_KIND
        else:
            if verdict is not last:
                last, kind = verdict, kinds.get(verdict) or kinds.setdefault(verdict, _kind(verdict))
            here = kind
        if not edge - SLOT <= lo < edge:
            slot = int((lo - start) // SLOT)
            edge = start + (slot + 1) * SLOT
        while True:  # seconds pile up in `pending` until the slot or the kind changes
            cut = hi if hi < edge else edge
            if slot != pending_slot or here is not pending_kind:
                if pending:
                    bucket = slots.setdefault(pending_slot, {})
                    bucket[pending_kind] = bucket.get(pending_kind, 0.0) + pending
                if slot != pending_slot:
                    seen = titles.setdefault(slot, {})
                pending_slot, pending_kind, pending = slot, here, 0.0
            pending += cut - lo
            if title and (title in seen or len(seen) < TITLES_PER_BLOCK):
                seen[title] = seen.get(title, 0.0) + cut - lo
            if cut >= hi:
                break
            lo, slot, edge = cut, slot + 1, edge + SLOT
    if pending:
        bucket = slots.setdefault(pending_slot, {})
        bucket[pending_kind] = bucket.get(pending_kind, 0.0) + pending
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
    return blocks
