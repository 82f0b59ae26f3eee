"""What an entry is billed never depends on which invoices exist, nor on the order they are created or refreshed.

Overtime counts the person's whole day and week (every entry, every client, whatever its status) and a fixed
fee's budget is used in the order the work was done, so invoicing one client first, refreshing a draft, or
invoicing the second week before the first changes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.invoices import InvoiceDraft, LineKind
from app.domain.models import NewEntry
from app.domain.periods import Period, parse_week
from app.paths import Paths

WEEK = parse_week("2026-W47")
WEEKS = (parse_week("2026-W47"), parse_week("2026-W48"))
BOTH = Period(WEEKS[0].first, WEEKS[1].last)
MONDAY = datetime(2026, 11, 16, tzinfo=UTC)


def add(core: Any, path: str | None, start: datetime, seconds: int, *, approve: bool = True,
        billable: bool = True) -> int:
    project = core.projects.require(path).id if path else None
    entry = core.entries.add(NewEntry(start, start + timedelta(seconds=seconds), "work", project, billable=billable))
    if approve:
        core.entries.update(entry.id, status="approved", locked=True)
    return entry.id


def totals(drafts: list[InvoiceDraft]) -> dict[str, Decimal]:
    return {d.client_name: d.total for d in drafts}


@pytest.fixture
def two_clients(core: Any, utc_zone: None) -> Any:
    core.settings.set("billing.overtime_multiplier", "1.5")
    core.settings.set("billing.overtime_daily_hours", 8.0)
    for client in ("A", "B"):
        core.projects.add_project(f"{client}/Work")
        core.billing.set_client(client, rate="100")
    return core


def test_overtime_stays_put_when_another_client_is_invoiced_first(two_clients: Any) -> None:
    core = two_clients
    add(core, "A/Work", MONDAY.replace(hour=9), 6 * 3600)
    add(core, "B/Work", MONDAY.replace(hour=15), 4 * 3600)
    assert totals(core.billing.preview(WEEK)) == {"A": Decimal("600.00"), "B": Decimal("500.00")}
    core.billing.create(WEEK, "A")
    assert totals(core.billing.preview(WEEK)) == {"B": Decimal("500.00")}
    [second] = core.billing.create(WEEK)
    refreshed = core.billing.refresh(second.number)
    assert (refreshed.total, refreshed.revision) == (Decimal("500.00"), 1)


def test_overtime_counts_work_of_every_status_and_without_a_project(two_clients: Any) -> None:
    core = two_clients
    add(core, None, MONDAY.replace(hour=7), 2 * 3600, approve=False)  # not reviewed yet, no project
    add(core, "A/Work", MONDAY.replace(hour=9), 6 * 3600, billable=False)
    add(core, "B/Work", MONDAY.replace(hour=15), 4 * 3600)
    assert totals(core.billing.preview(WEEK)) == {"B": Decimal("600.00")}


def test_a_fixed_fee_budget_is_used_in_the_order_the_work_was_done(core: Any, utc_zone: None) -> None:
    core.projects.add_project("A/Retainer")
    core.billing.set_project("A/Retainer", fixed_fee="1000", budget="10h", overage_rate="120")
    add(core, "A/Retainer", MONDAY.replace(hour=8), 6 * 3600)
    add(core, "A/Retainer", MONDAY.replace(hour=8) + timedelta(days=7), 6 * 3600)
    [second_week] = core.billing.create(WEEKS[1])  # the later work first: it still comes after the budget's 6 h
    [first_week] = core.billing.create(WEEKS[0])
    assert [(line.kind, line.billed_seconds) for line in second_week.lines] == [
        (LineKind.FIXED_FEE, 4 * 3600), (LineKind.OVERAGE, 2 * 3600)]
    assert [(line.kind, line.billed_seconds) for line in first_week.lines] == [(LineKind.WITHIN_FEE, 6 * 3600)]
    for draft in (second_week, first_week):
        assert core.billing.refresh(draft.number).revision == 1


# The property: any plan of creating and refreshing invoices ends with the same prices.

@dataclass(frozen=True)
class Work:
    day: int
    minute: int
    seconds: int
    path: str | None
    approved: bool
    billable: bool


@dataclass(frozen=True)
class Terms:
    daily_hours: float
    weekly_hours: float
    rounding: str
    minimum: int
    minimum_per_line: bool
    fee: bool


PATHS = ("A/Web", "A/Retainer", "B/Site", None)
works = st.lists(st.builds(Work, st.sampled_from([0, 5, 7]), st.integers(6 * 60, 22 * 60), st.integers(1, 4 * 3600),
                           st.sampled_from(PATHS), st.booleans() | st.just(True), st.booleans() | st.just(True)),
                 min_size=1, max_size=10)
terms = st.builds(Terms, st.sampled_from([0.0, 2.0, 4.0]), st.sampled_from([0.0, 6.0]),
                  st.sampled_from(["nearest:1", "up:15", "up:6:line"]), st.sampled_from([0, 15]), st.booleans(),
                  st.booleans())
steps = st.lists(st.one_of(
    st.tuples(st.just("create"), st.sampled_from([*WEEKS, BOTH]), st.sampled_from([None, "A", "B"]), st.booleans()),
    st.tuples(st.just("refresh"), st.integers(0, 5)),
), max_size=6)


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """One migrated database, copied for every generated example (a fresh migration each time is too slow)."""
    from app.core import build_core

    folder = Path(tempfile.mkdtemp(prefix="timetally-invariance-"))
    build_core(Paths(folder, folder, folder / "logs")).close()
    yield folder / "timetally.db"
    shutil.rmtree(folder)


def fresh_core(template: Path) -> tuple[Any, Path]:
    from app.core import build_core

    folder = Path(tempfile.mkdtemp(prefix="timetally-invariance-"))
    shutil.copy(template, folder / "timetally.db")
    return build_core(Paths(folder, folder, folder / "logs")), folder


def configure(core: Any, how: Terms, entries: list[Work]) -> None:
    core.settings.set("billing.grouping", "entry")
    core.settings.set("billing.overtime_multiplier", "1.5")
    core.settings.set("billing.weekend_multiplier", "1.25")
    core.settings.set("billing.overtime_daily_hours", how.daily_hours)
    core.settings.set("billing.overtime_weekly_hours", how.weekly_hours)
    core.settings.set("billing.minimum_minutes", how.minimum)
    core.settings.set("billing.minimum_per_line", how.minimum_per_line)
    for path in PATHS[:3]:
        core.projects.add_project(path)
    core.billing.set_client("A", rate="95.5", rounding=how.rounding)
    core.billing.set_client("B", rate="7777", currency="JPY")
    if how.fee:
        core.billing.set_project("A/Retainer", fixed_fee="1000", budget="3h", overage_rate="120")
    for work in entries:
        start = MONDAY + timedelta(days=work.day, minutes=work.minute)
        add(core, work.path, start, work.seconds, approve=work.approved, billable=work.billable)


def prices(drafts: list[InvoiceDraft]) -> tuple[Counter[Any], dict[Any, Any]]:
    """Time lines hold one entry each (grouping `entry`) and are compared whole; fee and overage lines gather a
    project's entries per draft, so they are compared by the seconds they bill and the entries over budget."""
    time_lines: Counter[Any] = Counter()
    fees: dict[Any, Any] = defaultdict(lambda: [0, set(), Decimal(0)])
    for draft in drafts:
        for line in draft.lines:
            if line.kind is LineKind.TIME:
                time_lines[(line.entry_ids, line.raw_seconds, line.billed_seconds, line.quantity, line.unit_amount,
                            line.multiplier, line.amount, draft.currency)] += 1
            elif line.kind is LineKind.OVERAGE:
                found = fees[(line.project_id, "overage", line.multiplier)]
                found[0] += line.billed_seconds
                found[1] |= set(line.entry_ids)
            else:
                found = fees[(line.project_id, "covered")]
                found[0] += line.billed_seconds
                found[2] += line.amount
    return time_lines, {key: (seconds, frozenset(ids), charged) for key, (seconds, ids, charged) in fees.items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(works, terms, steps)
def test_prices_do_not_depend_on_how_and_when_invoices_are_made(
        template: Path, utc_zone: None, entries: list[Work], how: Terms, plan: list[tuple[Any, ...]]) -> None:
    core, folder = fresh_core(template)
    try:
        configure(core, how, entries)
        expected = prices(core.billing.preview(BOTH))
        for step in plan:
            if step[0] == "create":
                _, period, client, per_project = step
                core.billing.create(period, client, per_project=per_project)
            elif numbers := [d.number for d in core.billing.drafts()]:
                assert core.billing.refresh(numbers[step[1] % len(numbers)]).revision == 1
        core.billing.create(BOTH)
        for draft in reversed(core.billing.drafts()):
            assert core.billing.refresh(draft.number).revision == 1
        assert prices(core.billing.drafts()) == expected
    finally:
        core.close()
        shutil.rmtree(folder)
