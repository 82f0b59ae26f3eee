"""Scheduled sends and payment checks against the fake Xero, on a test clock: once per period, never more than a
manual send would create, a failure told once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.automation.schedule import RunReport
from app.store.tables.accounts import AccountRow
from app.sync.oauth.config import XERO_SCOPES
from app.sync.oauth.vault import Tokens
from tests.conftest import WallClock
from tests.fakes.captured import approved
from tests.fakes.xero_server import ACCESS_TOKEN, TENANT_ID, FakeXero
from tests.fakes.xero_setup import connect

MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
def books(core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch, utc_zone: None, wall_clock: WallClock) -> Any:
    wall_clock.set(MONDAY)
    connect(core, xero, monkeypatch)
    core.accounts.vault.save("xero", Tokens(ACCESS_TOKEN, "fake-refresh", MONDAY + timedelta(days=60), XERO_SCOPES,
                                            TENANT_ID))  # valid the whole test: no refresh from the real Xero
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    xero.books.add_contact("Acme Ltd")
    return core


def ticks(wall_clock: WallClock, core: Any, every: timedelta, until: datetime) -> Iterator[RunReport]:
    """The app's check, at each step of a test clock from MONDAY."""
    at = MONDAY
    while at <= until:
        wall_clock.set(at)
        yield core.automation.scheduler.run_due()
        at += every


def runs(reports: Iterator[RunReport], what: str) -> list[str]:
    return [line for report in reports for line in report.ran if line.startswith(what)]


def test_a_daily_send_fires_once_a_day_and_creates_only_what_a_manual_send_would(
        books: Any, xero: FakeXero, wall_clock: WallClock) -> None:
    approved(books, "Acme Ltd/Website", datetime(2026, 11, 18, 9, tzinfo=UTC), timedelta(hours=2))
    books.automation.scheduler.set("xero", send="daily", at="18:00")
    fired = runs(ticks(wall_clock, books, timedelta(minutes=20), MONDAY + timedelta(days=3)), "xero send")
    assert fired == ["xero send: 1 sent", "xero send: Nothing to send.", "xero send: Nothing to send."]
    assert len(xero.books.invoices) == 1
    manual = books.sync.send("xero", books.automation.scheduler.period())
    assert [str(o.outcome) for o in manual.outcomes] == [] and len(xero.books.invoices) == 1


def test_a_weekly_send_fires_on_its_day_once_a_week(books: Any, wall_clock: WallClock) -> None:
    books.automation.scheduler.set("xero", send="weekly", day="fri", at="17:00")
    reports = list(ticks(wall_clock, books, timedelta(hours=1), MONDAY + timedelta(days=15)))
    fired = [i for i, r in enumerate(reports) if any(line.startswith("xero send") for line in r.ran)]
    assert [MONDAY + timedelta(hours=i) for i in fired] == [datetime(2026, 11, 27, 17, tzinfo=UTC),
                                                            datetime(2026, 12, 4, 17, tzinfo=UTC)]


def test_on_approval_sends_what_was_just_approved_once(books: Any, xero: FakeXero, wall_clock: WallClock) -> None:
    books.automation.scheduler.set("xero", send="approval")
    assert runs(ticks(wall_clock, books, timedelta(minutes=1), MONDAY + timedelta(minutes=5)), "xero send") == []
    approved(books, "Acme Ltd/Website", datetime(2026, 11, 18, 9, tzinfo=UTC), timedelta(hours=2))
    fired = runs(ticks(wall_clock, books, timedelta(minutes=1), MONDAY + timedelta(minutes=10)), "xero send")
    assert fired == ["xero send: 1 sent"] and len(xero.books.invoices) == 1


def test_payments_are_checked_every_n_minutes(books: Any, wall_clock: WallClock) -> None:
    books.automation.scheduler.set("xero", payments_minutes=15)
    checked = runs(ticks(wall_clock, books, timedelta(minutes=5), MONDAY + timedelta(hours=1)), "xero payments")
    assert len(checked) == 4


def test_a_failure_is_told_once_not_at_every_check(books: Any, wall_clock: WallClock) -> None:
    books.automation.scheduler.set("xero", send="daily", at="08:00", payments_minutes=5)
    with books.db.session() as s:
        s.delete(s.get(AccountRow, "xero"))
    reports = list(ticks(wall_clock, books, timedelta(minutes=5), MONDAY + timedelta(hours=6)))
    notices = [n for r in reports for n in r.notices]
    assert len(notices) == 1 and "Xero is not connected" in notices[0]
    assert books.automation.scheduler.get("xero").failure == notices[0]


def test_of_two_processes_due_at_once_only_one_runs_a_send(books: Any, wall_clock: WallClock) -> None:
    books.automation.scheduler.set("xero", send="daily", at="06:00")
    seen = books.automation.scheduler.get("xero").last_send_at
    other = books.automation.scheduler  # what the app and a timer's `run-scheduled` both read
    assert other._claim("xero", "last_send_at", seen, MONDAY + timedelta(minutes=1))
    assert not other._claim("xero", "last_send_at", seen, MONDAY + timedelta(minutes=1))
    assert books.automation.scheduler.run_due().ran == [], "already taken for today"
