"""The review service on a real database: the week grid, day timelines, proposals and what the user does to them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.classify.ruleset_file import loads
from app.core import Core
from app.domain.errors import LockedError, ValidationError
from app.domain.models import EntrySource, NewEntry, Span
from app.domain.periods import Period, week_of
from app.store.spans import SpanStore
from app.timesheet.week import IDLE, UNCLASSIFIED, WORK, build_blocks

RULES = """
version = 1

[[rule]]
name = "Acme web"
client = "Acme Corp"
project = "Website"
all = [{ field = "title", contains = "acme-web" }]
"""
DAY = date(2026, 11, 17)  # a Tuesday
WEEK = week_of(DAY)


def at(hour: float, day: date = DAY) -> datetime:
    return (datetime.combine(day, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def ts(hour: float, day: date = DAY) -> float:
    return at(hour, day).timestamp()


def seed(core: Core) -> None:
    core.classifier.replace_rules(loads(RULES))
    SpanStore(core.db).add_many([
        Span(ts(9), ts(10.5), "code", "main.py - acme-web - Code"),
        Span(ts(10.5), ts(11), "firefox", "Weather - Firefox"),
        Span(ts(11), ts(11.5), "code", "idle", idle=True),
        Span(ts(13), ts(14), "code", "app.py - acme-web - Code"),
    ])


NOW = at(20)


def test_grid_has_rows_per_project_and_task_with_day_and_billable_totals(core: Core) -> None:
    web = core.projects.add_project("Acme Corp/Website")
    internal = core.projects.add_project("Us/Internal", billable=False)
    task = core.projects.ensure_task(web.id, "Design")
    core.entries.add(NewEntry(at(9), at(11), "hero", web.id, task.id))
    core.entries.add(NewEntry(at(12), at(13), "plan", internal.id, billable=False))
    core.entries.add(NewEntry(at(23), at(25), "late deploy", web.id))  # crosses midnight
    core.entries.add(NewEntry(at(14), at(15), "no project"))
    review = core.review.load(WEEK, NOW)
    labels = [r.label for r in review.grid.rows]
    assert labels == ["Acme Corp / Website", "Acme Corp / Website / Design", "Us / Internal", "No project"]
    tuesday, wednesday = 1, 2
    plain = review.grid.rows[0]
    assert plain.seconds[tuesday] == 3600 and plain.seconds[wednesday] == 3600
    assert review.grid.rows[1].seconds[tuesday] == 7200
    assert review.grid.day_total(tuesday) == 5 * 3600
    assert review.grid.day_total(tuesday, billable=False) == 3600
    assert review.grid.total(billable=True) == 5 * 3600
    assert {f.code for f in review.flags} == {"no-project"}


def test_timeline_blocks_are_coloured_by_classification_beside_proposals(core: Core) -> None:
    seed(core)
    review = core.review.load(WEEK, NOW)
    tuesday = review.timelines[1]
    kinds = [(b.kind, b.label) for b in tuesday.blocks]
    assert kinds == [(WORK, "Acme Corp / Website"), (UNCLASSIFIED, "Unclassified"), (IDLE, "Idle"),
                     (WORK, "Acme Corp / Website")]
    assert tuesday.blocks[0].titles == ("main.py - acme-web - Code",)
    assert [(p.rule, p.project_path) for p in tuesday.proposals] == [("Acme web", "Acme Corp/Website")] * 2
    assert all(not t.blocks for i, t in enumerate(review.timelines) if i != 1)
    # 1.5 h + 1 h classified, 0.5 h unclassified: a 17 % share stays below the 25 % flag.
    assert not [f for f in review.flags if f.code == "unclassified"]


def test_blocks_never_exceed_one_per_minute_however_often_titles_change() -> None:
    start = ts(0)
    spans = [Span(start + i, start + i + 1, "code", f"file{i}.py - acme-web") for i in range(7200)]
    blocks = build_blocks(spans, [None] * len(spans), start, start + 86400)
    assert len(blocks) == 1 and blocks[0].end - blocks[0].start == 7200
    assert blocks[0].kind == UNCLASSIFIED and len(blocks[0].titles) <= 20


def test_accept_all_turns_proposals_into_draft_capture_entries(core: Core) -> None:
    seed(core)
    created = core.review.accept_all(WEEK, NOW)
    assert [(e.project_path, e.source) for e in created] == [("Acme Corp/Website", EntrySource.CAPTURE)] * 2
    assert created[0].start == at(9) and created[0].end == at(10.5)
    assert core.review.load(WEEK, NOW).proposals == ()


def test_rejected_proposals_stay_hidden_and_edited_ones_keep_the_changes(core: Core) -> None:
    seed(core)
    other = core.projects.add_project("Globex/Support")
    first, second = core.review.proposals(WEEK, NOW)
    core.review.reject([first])
    assert core.review.proposals(WEEK, NOW) == [second]
    entry = core.review.accept_edited(second, start=at(13.25).timestamp(), end=at(14).timestamp(),
                                      description="Checkout", project_id=other.id)
    assert (entry.project_path, entry.description, entry.start) == ("Globex/Support", "Checkout", at(13.25))


def test_split_and_merge(core: Core) -> None:
    seed(core)
    first, second = core.review.proposals(WEEK, NOW)
    a, b = core.review.split_proposal(first, at(10).timestamp())
    assert (a.end, b.start) == (at(10), at(10))
    with pytest.raises(ValidationError):
        core.review.split_entry(a.id, at(12))
    left, right = core.review.split_entry(a.id, at(9.5))
    merged = core.review.merge([left.id, right.id, b.id], [second])
    assert (merged.start, merged.end) == (at(9), at(14))
    assert [e.id for e in core.entries.between(at(0), at(24))] == [merged.id]


def test_assign_range_creates_entry_and_offers_a_rule(core: Core) -> None:
    seed(core)
    project = core.projects.add_project("Weather Inc/Forecasts")
    result = core.review.assign(at(10.5), at(11), project.id, "Forecast check")
    assert result.entry.project_path == "Weather Inc/Forecasts"
    assert result.suggestion is not None and result.suggestion.rule.outcome.project == "Forecasts"
    assert result.preview is not None


def test_idle_time_discarded_assigned_or_dropped(core: Core) -> None:
    web = core.projects.add_project("Acme Corp/Website")
    support = core.projects.add_project("Globex/Support")
    core.entries.add(NewEntry(at(9), None, "hero", web.id, source=EntrySource.TIMER))
    core.idle.assign(at(10), at(10.5), [(support.id, 600), (None, 0)])
    entries = core.entries.between(at(0), at(48))
    assert [(e.start, e.end, e.project_id) for e in entries[:3]] == [
        (at(9), at(10), web.id), (at(10), at(10) + timedelta(minutes=10), support.id),
        (at(10) + timedelta(minutes=10), at(10.5), None)]
    resumed = core.entries.running()
    assert resumed is not None and resumed.project_id == web.id and resumed.start > at(10.5)
    core.timer.discard()
    core.entries.add(NewEntry(at(14), None, "hero", web.id, source=EntrySource.TIMER))
    core.idle.drop(at(15), at(20.5))
    assert core.entries.running() is None and core.entries.between(at(14), at(15))[0].end == at(15)
    dropped = core.review.load(Period(DAY, DAY + timedelta(days=1)), NOW).proposals
    assert dropped and dropped[0].dropped_id is not None and dropped[0].project_id == web.id
    core.review.accept([dropped[0]])
    assert not [p for p in core.review.load(WEEK, NOW).proposals if p.dropped_id]


def test_locked_entries_refuse_split_and_merge(core: Core) -> None:
    entry = core.entries.add(NewEntry(at(9), at(10), "x", core.projects.add_project("Acme/Web").id))
    core.approvals.approve([entry.id])
    with pytest.raises(LockedError):
        core.review.split_entry(entry.id, at(9.5))


def test_meeting_apps_count_as_active_only_when_the_setting_says_so(core: Core) -> None:
    SpanStore(core.db).add_many([Span(ts(10), ts(10.2), "zoom", "Zoom Meeting"),
                                 Span(ts(10.2), ts(11), "zoom", "Zoom Meeting", idle=True)])
    core.entries.add(NewEntry(at(9), None, "hero", source=EntrySource.TIMER))
    away = core.idle.away(at(10.2), at(11))
    assert away.running is not None and away.prompt and not away.in_meeting and away.max_away_hours == 4.0
    core.settings.set("idle.meetings_active", True)
    assert core.idle.away(at(10.2), at(11)).in_meeting
    assert not core.idle.away(at(15), at(16)).in_meeting
    core.idle.discard(at(10.2), continue_timer=True)
    first = core.entries.between(at(0), at(24))[0]
    assert first.end == at(10.2)
    resumed = core.entries.running()
    assert resumed is not None and resumed.description == "hero"


def test_entries_alone_load_without_reading_activity(core: Core) -> None:
    seed(core)
    core.entries.add(NewEntry(at(15), at(16), "triage"))
    quick = core.review.load(WEEK, NOW, entries_only=True)
    assert not quick.activity and not quick.proposals and not any(t.blocks for t in quick.timelines)
    assert quick.grid.day_total(1) == 3600 and quick.timelines[1].entries
    tuesday = core.review.load(WEEK, NOW, Period(DAY, DAY))
    assert tuesday.loaded_days == (DAY,) and not tuesday.activity and len(tuesday.proposals) == 2
    assert tuesday.timelines[1].blocks and not tuesday.timelines[2].blocks
    assert core.review.load(WEEK, NOW).activity


@pytest.mark.parametrize("shown", [WEEK.first, DAY, WEEK.last])
def test_staged_load_ends_with_the_same_week_as_one_read(core: Core, shown: date) -> None:
    seed(core)
    SpanStore(core.db).add_many([
        Span(ts(-0.5, shown), ts(0.5, shown), "code", "late.py - acme-web - Code"),  # into the day shown
        Span(ts(23.5, shown), ts(24.5, shown), "code", "night.py - acme-web - Code"),  # out of it
        Span(ts(12, shown), ts(12.1, shown), "firefox", "News - Firefox"),
        Span(ts(-2, WEEK.first), ts(1, WEEK.first), "code", "early.py - acme-web - Code"),  # into the week
    ])
    core.entries.add(NewEntry(at(23.8, shown), at(24.2, shown), "on call"))
    day, week = core.review.load_in_stages(WEEK, shown, NOW)
    assert day.loaded_days == (shown,) and not day.activity
    assert week == core.review.load(WEEK, NOW)


def test_the_long_timer_flag_follows_the_timer_setting(core: Core) -> None:
    core.entries.add(NewEntry(at(9), at(14), "a long session", core.projects.add_project("Acme/Web").id))
    assert "long-timer" not in {f.code for f in core.review.load(WEEK, NOW, entries_only=True).flags}
    core.settings.set("timer.long_running_hours", 4.0)
    flags = [f for f in core.review.load(WEEK, NOW, entries_only=True).flags if f.code == "long-timer"]
    assert [f.message for f in flags] == ["Entry #1 lasts 5.0 hours, more than the 4 hour limit; is it right?"]
