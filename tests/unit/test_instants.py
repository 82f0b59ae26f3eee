"""The one door between instants (epoch seconds) and aware datetimes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.instants import entry_span, instant, moment
from app.domain.models import Entry

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_an_instant_is_epoch_seconds_and_comes_back_as_the_same_utc_moment() -> None:
    assert instant(START) == 1_772_443_800.0
    assert moment(instant(START)) == START
    assert moment(instant(START)).tzinfo is UTC


def test_a_moment_shows_in_the_zone_asked_for_or_the_computers(berlin: None) -> None:
    plus_two = timezone(timedelta(hours=2))
    assert f"{moment(instant(START), plus_two):%H:%M}" == "11:30"
    assert f"{moment(instant(START), None):%H:%M}" == "10:30"  # Berlin in March, before summer time


def test_an_entry_spans_its_start_to_its_end_and_a_running_one_up_to_now() -> None:
    done = Entry(1, START, START + timedelta(minutes=45))
    running = Entry(2, START, None)
    assert entry_span(done, 0.0) == (instant(START), instant(START) + 2_700)
    assert entry_span(running, instant(START) + 60) == (instant(START), instant(START) + 60)
