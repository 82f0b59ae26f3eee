"""The billing service on a real database: configure, preview, store, refresh and delete drafts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.domain.errors import NotFoundError, ValidationError
from app.domain.models import EntryStatus, NewEntry
from app.domain.periods import parse_week

WEEK = parse_week("2026-W47")


def approved(core: Any, path: str, day: int, hours: float, task: str | None = None) -> int:
    project = core.projects.require(path)
    task_id = core.projects.ensure_task(project.id, task).id if task else None
    start = datetime(2026, 11, day, 12).astimezone()  # local noon: the local day is `day` in any zone
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=hours), "work", project.id, task_id))
    core.entries.update(entry.id, status="approved", locked=True)
    return entry.id


@pytest.fixture
def acme(core: Any) -> Any:
    core.projects.add_project("Acme/Web")
    core.billing.set_client("Acme", rate="100", currency="EUR", rounding="up:15", terms=14)
    return core


def test_preview_then_create_then_delete_releases_the_entries(acme: Any) -> None:
    first = approved(acme, "Acme/Web", 16, 1.1)
    approved(acme, "Acme/Web", 17, 2)
    [draft] = acme.billing.preview(WEEK)
    assert (draft.currency, draft.total, draft.billed_seconds) == ("EUR", Decimal("325.00"), 3.25 * 3600)
    assert draft.raw_seconds == int(3.1 * 3600)
    [stored] = acme.billing.create(WEEK)
    assert (stored.number, stored.revision, len(stored.uid)) == ("INV-0001", 1, 32)
    assert stored.lines == draft.lines and stored.total == draft.total
    assert acme.entries.get(first).status is EntryStatus.INVOICED
    assert acme.billing.preview(WEEK) == []
    assert [d.number for d in acme.billing.drafts()] == ["INV-0001"]
    acme.billing.delete("INV-0001")
    assert acme.entries.get(first).status is EntryStatus.APPROVED
    assert acme.entries.get(first).locked
    assert acme.billing.drafts() == []
    assert acme.billing.create(WEEK)[0].number == "INV-0002"


def test_draft_entries_and_due_date(acme: Any) -> None:
    approved(acme, "Acme/Web", 16, 1)
    [stored] = acme.billing.create(WEEK)
    assert stored.due_date == stored.issue_date + timedelta(days=14)
    assert acme.billing.draft("INV-0001") == stored
    with pytest.raises(NotFoundError):
        acme.billing.draft("INV-9999")


def test_a_rate_change_applies_from_today_and_refresh_bumps_the_revision(acme: Any) -> None:
    approved(acme, "Acme/Web", 16, 1)
    [change] = acme.billing.set_client("Acme", rate="120")
    assert change.effective_from == date.today()
    [stored] = acme.billing.create(WEEK)
    assert stored.total == Decimal("100.00")
    assert acme.billing.refresh(stored.number).revision == 1
    acme.billing.set_client("Acme", rate="150", effective_from=date(2026, 11, 1))
    refreshed = acme.billing.refresh(stored.number)
    assert (refreshed.revision, refreshed.uid, refreshed.total) == (2, stored.uid, Decimal("150.00"))


def test_project_and_task_rates_win_over_the_client(acme: Any) -> None:
    acme.billing.set_project("Acme/Web", rate="110")
    acme.billing.set_project("Acme/Web", task="Design", rate="130")
    approved(acme, "Acme/Web", 16, 1)
    approved(acme, "Acme/Web", 17, 1, task="Design")
    [draft] = acme.billing.preview(WEEK)
    assert sorted(line.amount for line in draft.lines) == [Decimal("110.00"), Decimal("130.00")]


def test_fixed_fee_is_charged_once_across_drafts(acme: Any) -> None:
    acme.billing.set_project("Acme/Web", fixed_fee="1000", budget="3h", overage_rate="90")
    approved(acme, "Acme/Web", 16, 2)
    assert acme.billing.create(WEEK)[0].total == Decimal("1000.00")
    approved(acme, "Acme/Web", 18, 2)
    [second] = acme.billing.create(WEEK)
    assert [(line.kind, line.amount) for line in second.lines] == [("within_fee", Decimal("0.00")),
                                                                   ("overage", Decimal("90.00"))]


def test_non_billable_projects_are_left_out(acme: Any) -> None:
    acme.projects.add_project("Acme/Internal")
    acme.billing.set_project("Acme/Internal", billable=False)
    approved(acme, "Acme/Internal", 16, 1)
    assert acme.billing.preview(WEEK) == []


def test_client_filter_and_per_project_drafts(acme: Any) -> None:
    acme.projects.add_project("Acme/App")
    acme.projects.add_project("Birch/Site")
    acme.billing.set_client("Birch", rate="50", currency="JPY")
    for path in ("Acme/Web", "Acme/App", "Birch/Site"):
        approved(acme, path, 16, 1)
    assert [d.client_name for d in acme.billing.preview(WEEK, "birch")] == ["Birch"]
    assert len(acme.billing.preview(WEEK, per_project=True)) == 3
    with pytest.raises(NotFoundError):
        acme.billing.preview(WEEK, "Nobody")


def test_holidays_feed_the_multiplier(acme: Any) -> None:
    acme.settings.set("billing.holiday_multiplier", "2")
    acme.billing.add_holiday(date(2026, 11, 16), "Founders' day")
    approved(acme, "Acme/Web", 16, 1)
    assert acme.billing.preview(WEEK)[0].total == Decimal("200.00")
    assert acme.billing.holidays() == [(date(2026, 11, 16), "Founders' day")]
    acme.billing.remove_holiday(date(2026, 11, 16))
    assert acme.billing.preview(WEEK)[0].total == Decimal("100.00")


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"rate": "-5"}, "negative"), ({"currency": "XYZ"}, "ISO 4217"), ({"rounding": "up:7"}, "steps"),
     ({"minimum": "soon"}, "duration"), ({"terms": 400}, "0 to 365"), ({"tax": "GST"}, "NAME:PERCENT"),
     ({"amounts_are": "sometimes"}, "tax mode"), ({"effective_from": date(2026, 1, 1)}, "only applies to a rate")],
)
def test_bad_settings_are_refused_and_nothing_is_stored(core: Any, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        core.billing.set_client("Acme", **changes)
    assert core.projects.clients() == []


def test_no_rate_anywhere_is_a_clear_error(core: Any) -> None:
    core.projects.add_project("Acme/Web")
    approved(core, "Acme/Web", 16, 1)
    with pytest.raises(ValidationError, match="No rate applies"):
        core.billing.preview(WEEK)
    core.settings.set("billing.default_rate", "75")
    assert core.billing.preview(WEEK)[0].total == Decimal("75.00")


def test_a_fixed_fee_needs_a_budget_and_an_overage_rate(acme: Any) -> None:
    with pytest.raises(ValidationError, match="--budget"):
        acme.billing.set_project("Acme/Web", fixed_fee="1000")
    with pytest.raises(ValidationError, match="--overage-rate"):
        acme.billing.set_project("Acme/Web", fixed_fee="1000", budget="10h")
    acme.billing.set_project("Acme/Web", fixed_fee="1000", budget="10h", overage_rate="100")
    acme.billing.set_project("Acme/Web", fixed_fee="1200")
    with pytest.raises(ValidationError, match="Only rates can be set per task"):
        acme.billing.set_project("Acme/Web", task="Design", rounding="up:15")
