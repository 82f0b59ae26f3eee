"""Assigning a dragged range: it takes only active time no entry holds and no rule sends elsewhere, never the
future, says how much it takes, and offers "New project…"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.errors import ValidationError
from app.domain.models import Entry, Project
from app.timesheet.assign_range import take
from app.timesheet.week import Block
from app.ui.review.assign_dialog import NEW_PROJECT, AssignDialog

T0 = datetime(2026, 11, 19, 9, tzinfo=UTC).timestamp()
WEB = Project(1, 1, "Acme Corp", "Website")
APP = Project(2, 1, "Acme Corp", "Mobile app")
BLOCKS = (Block(T0, T0 + 1800, "unclassified", "Unclassified", ()),
          Block(T0 + 1800, T0 + 2700, "idle", "Idle", ()),
          Block(T0 + 2700, T0 + 3600, "work", "Acme Corp / Website", ()),
          Block(T0 + 3600, T0 + 5400, "work", "Acme Corp / Mobile app", ()))


def entry(start: float, end: float) -> Entry:
    return Entry(7, datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC), "", None, None)


def test_takes_active_unassigned_time_that_no_rule_sends_elsewhere() -> None:
    taken = take(T0, T0 + 5400, BLOCKS, [entry(T0 + 600, T0 + 1200)], WEB, now=T0 + 86400)
    assert taken.pieces == ((T0, T0 + 600), (T0 + 1200, T0 + 1800), (T0 + 2700, T0 + 3600))
    assert taken.sentence() == ("Takes 0:35 of the 1:30 range: idle time, time already in entries and time rules "
                                "send elsewhere are left out.")
    assert take(T0 + 2700, T0 + 5400, BLOCKS, [], APP, now=T0 + 86400).pieces == ((T0 + 3600, T0 + 5400),)
    assert take(T0 + 1800, T0 + 2700, BLOCKS, [], WEB, now=T0 + 86400).sentence().startswith("Nothing in this")
    assert take(T0 + 9000, T0 + 9600, BLOCKS, [], WEB, now=T0 + 86400).sentence() == "Takes the whole range, 0:10."


def test_never_takes_the_future() -> None:
    taken = take(T0, T0 + 5400, BLOCKS, [], APP, now=T0 + 4500)
    assert taken.pieces == ((T0, T0 + 1800), (T0 + 3600, T0 + 4500))
    assert take(T0 + 9000, T0 + 9600, BLOCKS, [], WEB, now=T0).pieces == ()


def test_the_service_refuses_a_range_that_ends_in_the_future(core: Core) -> None:
    project = core.projects.add_project("Acme Corp/Website")
    now = datetime.fromtimestamp(T0, UTC)
    with pytest.raises(ValidationError, match="cannot end in the future"):
        core.review.assign_pieces([(now - timedelta(hours=1), now + timedelta(minutes=5))], project.id, now=now)
    with pytest.raises(ValidationError, match="Nothing in that range"):
        core.review.assign_pieces([], project.id, now=now)
    result = core.review.assign_pieces([(now - timedelta(hours=2), now - timedelta(hours=1.5)),
                                        (now - timedelta(hours=1), now - timedelta(minutes=20))], project.id, now=now)
    assert result.entry.project_path == "Acme Corp/Website"
    assert [(e.end - e.start) for e in core.entries.between(now - timedelta(hours=3), now)] == [
        timedelta(minutes=30), timedelta(minutes=40)]


def test_dialog_says_what_it_takes_clamps_to_now_and_offers_a_new_project(qtbot: QtBot) -> None:
    made: list[str] = []

    def create(path: str, then: object) -> None:
        made.append(path)
        then(Project(3, 1, "Acme Corp", "Intranet"))  # type: ignore[operator]

    dialog = AssignDialog([APP, WEB], T0, T0 + 7200, blocks=BLOCKS, now=T0 + 6000, create_project=create)
    qtbot.addWidget(dialog)
    assert dialog.minimumWidth() >= 480 and dialog.windowTitle() == "Assign time to a project"
    assert any("(until now)" in label.text() for label in dialog.findChildren(type(dialog.takes)))
    assert dialog.project.currentText() == "Acme Corp/Mobile app"
    assert dialog.takes.text().startswith("Takes 1:00 of the 1:40 range")
    assert [(b - a).total_seconds() for a, b in dialog.pieces()] == [1800, 1800]
    dialog.ask_name = lambda: "Acme Corp/Intranet"
    dialog.project.setCurrentIndex(dialog.project.findData(NEW_PROJECT))
    assert made == ["Acme Corp/Intranet"] and dialog.project.currentText() == "Acme Corp/Intranet"
    assert dialog.project.itemData(dialog.project.count() - 1) == NEW_PROJECT
    assert dialog.takes.text().startswith("Takes 0:30 of the 1:40 range") and dialog.assign_button.isEnabled()
