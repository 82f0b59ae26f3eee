"""Manual entries: validation, overlap notices, locks; projects and settings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core import Core
from app.domain.errors import LockedError, NotFoundError, ValidationError
from app.domain.periods import parse_day, parse_week, week_of

T = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def at(hour: int, minute: int = 0) -> datetime:
    return T.replace(hour=hour, minute=minute)


def test_manual_entry_and_overlap_notice(core: Core) -> None:
    project = core.projects.add_project("Acme/Web")
    first, notices = core.entry_service.add_manual(at(9), at(10, 30), "Kickoff", project.id)
    assert notices == []
    _, notices = core.entry_service.add_manual(at(10), at(11), "", project.id)
    assert [n.code for n in notices] == ["overlap"] and notices[0].entry_ids == (first.id,)
    assert len(core.entry_service.in_period(parse_day("2026-11-20"))) == 2


@pytest.mark.parametrize(
    ("start", "end", "message"), [(at(10), at(9), "before the start"), (at(9), at(9), "ends when")]
)
def test_end_not_after_start_is_refused(core: Core, start: datetime, end: datetime, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        core.entry_service.add_manual(start, end)


def test_locked_entries_cannot_be_edited_or_deleted(core: Core) -> None:
    entry, _ = core.entry_service.add_manual(at(9), at(10))
    core.entries.update(entry.id, status="approved", locked=True)
    with pytest.raises(LockedError, match="locked"):
        core.entry_service.edit(entry.id, description="changed")
    with pytest.raises(LockedError):
        core.entry_service.delete(entry.id)


def test_edit_checks_order_and_moves_project(core: Core) -> None:
    a = core.projects.add_project("Acme/Web")
    b = core.projects.add_project("Acme/App")
    entry, _ = core.entry_service.add_manual(at(9), at(10), "x", a.id)
    with pytest.raises(ValidationError):
        core.entry_service.edit(entry.id, end=at(8))
    edited, _ = core.entry_service.edit(entry.id, project_id=b.id, description="y")
    assert (edited.project_path, edited.description) == ("Acme/App", "y")


def test_project_paths_are_validated_and_case_insensitive(core: Core) -> None:
    core.projects.add_project("Acme Corp/Website")
    assert core.projects.find("acme corp/website") is not None
    with pytest.raises(ValidationError, match="already exists"):
        core.projects.add_project("ACME CORP/Website")
    for bad in ["NoSlash", "/Project", "Client/", "x" * 201 + "/p"]:
        with pytest.raises(ValidationError):
            core.projects.add_project(bad)
    with pytest.raises(NotFoundError, match="timetally projects add"):
        core.projects.require("Nope/Missing")


def test_settings_are_typed_and_unknown_keys_refused(core: Core) -> None:
    assert core.settings.get("timer.long_running_hours") == 8.0
    core.settings.set("timer.long_running_hours", 6)
    assert core.settings.get("timer.long_running_hours") == 6.0
    with pytest.raises(ValidationError):
        core.settings.set("timer.long_running_hours", "six")
    with pytest.raises(ValidationError):
        core.settings.set("no.such.key", 1)


def test_periods() -> None:
    week = parse_week("2026-W47")
    assert (week.first.isoformat(), week.last.isoformat()) == ("2026-11-16", "2026-11-22")
    assert week_of(week.first.replace(day=19), week_start=6).first.isoformat() == "2026-11-15"
    for bad in ["2026-47", "2026-W54", "yesterday"]:
        with pytest.raises(ValidationError):
            parse_week(bad)
    with pytest.raises(ValidationError):
        parse_day("2026-13-01")


def test_all_settings_come_from_one_read_and_bad_stored_values_fall_back() -> None:
    from app.settings import OPTIONS, Settings

    class Backend:
        def __init__(self) -> None:
            self.reads = 0
            self.stored = {"timer.long_running_hours": "not a number", "review.week_start": 6}

        def read_settings(self) -> dict[str, object]:
            self.reads += 1
            return dict(self.stored)

        def write_setting(self, key: str, value: object) -> None:
            self.stored[key] = value

    backend = Backend()
    values = Settings(backend).all()  # type: ignore[arg-type]
    assert backend.reads == 1 and set(values) == set(OPTIONS)
    assert values["timer.long_running_hours"] == 8.0 and values["review.week_start"] == 6


def test_day_ranges_follow_daylight_saving_changes() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    week = parse_week("2026-W13")  # Monday 23 March to Sunday 29 March; clocks go forward on the 29th
    start, end = week.utc_range(berlin)
    assert (end - start).total_seconds() == 167 * 3600
    assert start.isoformat() == "2026-03-22T23:00:00+00:00" and end.isoformat() == "2026-03-29T22:00:00+00:00"


def test_machine_zone_ranges_use_each_dates_own_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    import time as clock

    monkeypatch.setenv("TZ", "Europe/Berlin")
    clock.tzset()
    try:
        start, end = parse_week("2026-W13").utc_range()
        assert (end - start).total_seconds() == 167 * 3600
    finally:
        monkeypatch.delenv("TZ")
        clock.tzset()
