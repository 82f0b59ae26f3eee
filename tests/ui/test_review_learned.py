"""Learned proposals in the review window: their own look and reason, accepting one, and "Make this a rule" opening
the rules editor with the smallest rule and its live preview before it is saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.models import NewEntry, Span
from app.store.spans import SpanStore
from app.ui.events import ChangeBus
from app.ui.review.learned import LEARNED, LEARNED_BACKGROUND
from app.ui.review.window import ReviewWindow
from app.ui.rules_editor import RulesEditor
from app.ui.tasks import TaskRunner
from tests.conftest import WallClock

TODAY = date(2026, 11, 19)


def at(hour: float, day: date = TODAY) -> datetime:
    return (datetime.combine(day, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def seed(core: Core) -> None:
    """Yesterday assigned by hand to two clients; today the same repositories with new files, and no rules."""
    yesterday = TODAY - timedelta(days=1)
    SpanStore(core.db).add_many([
        Span(at(9, yesterday).timestamp(), at(10, yesterday).timestamp(), "code", "invoice.py - acme-web - Code"),
        Span(at(11, yesterday).timestamp(), at(12, yesterday).timestamp(), "code", "export.rs - beta-app - Code"),
        Span(at(9).timestamp(), at(10).timestamp(), "code", "totals.py - acme-web - Code"),
        Span(at(13).timestamp(), at(14).timestamp(), "code", "import.rs - beta-app - Code"),
    ])
    acme, beta = core.projects.add_project("Acme/Website"), core.projects.add_project("Beta/App")
    core.entries.add(NewEntry(at(9, yesterday), at(10, yesterday), "", acme.id))
    core.entries.add(NewEntry(at(11, yesterday), at(12, yesterday), "", beta.id))


@pytest.fixture
def window(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot, wall_clock: WallClock, utc_zone: None
           ) -> Iterator[ReviewWindow]:
    wall_clock.set(at(18))
    seed(core)
    review = ReviewWindow(core, runner, bus, clock=lambda: at(18), today=lambda: TODAY)
    qtbot.addWidget(review)
    review.resize(1420, 820)
    review.show()
    qtbot.waitExposed(review)
    settle(qtbot, runner, review)
    yield review
    qtbot.waitUntil(runner.idle)
    for dialog in list(review.dialogs):
        dialog.close()


def settle(qtbot: QtBot, runner: TaskRunner, window: ReviewWindow) -> None:
    qtbot.waitUntil(lambda: runner.idle() and window.model.review is not None and not window.model.loading)


def test_accept_a_learned_proposal_and_make_another_a_rule(window: ReviewWindow, core: Core, qtbot: QtBot,
                                                           runner: TaskRunner) -> None:
    tree = window.panel.tree
    assert tree.topLevelItemCount() == 2
    acme, beta = tree.topLevelItem(0), tree.topLevelItem(1)
    assert beta.text(2) == "Beta/App" and beta.text(4).startswith("Learned · ")
    assert acme.text(2) == "Acme/Website" and acme.text(4).startswith("Learned · ") and acme.text(4).endswith("sure")
    assert acme.foreground(4).color() == LEARNED and acme.background(0).color() == LEARNED_BACKGROUND
    assert "like 'invoice.py - acme-web - Code', which you put on Acme / Website 1 time" in acme.toolTip(4)
    assert window.learned.isVisible() and "2 learned proposals" in window.learned.note.text()
    assert not window.learned.rule_button.isEnabled()

    acme.setSelected(True)
    window.panel.accept()
    settle(qtbot, runner, window)
    today = core.entries.between(at(0), at(24))
    assert [(e.project_path, e.start, e.end) for e in today] == [("Acme/Website", at(9), at(10))]
    assert tree.topLevelItemCount() == 2 and tree.topLevelItem(0).text(4) == "Draft"

    tree.topLevelItem(1).setSelected(True)
    assert window.learned.rule_button.isEnabled()
    window.learned.rule_button.click()
    qtbot.waitUntil(lambda: any(isinstance(d, RulesEditor) for d in window.dialogs))
    editor = next(d for d in window.dialogs if isinstance(d, RulesEditor))
    qtbot.waitUntil(lambda: editor.current() is not None and editor.current().name == "Beta / App (learned)")
    with qtbot.waitSignal(editor.previewed, timeout=10_000) as previewed:
        pass
    rule = editor.current()
    assert rule is not None and (rule.outcome.client, rule.outcome.project) == ("Beta", "App")
    assert "beta" in editor.form.rule().when.items[0].pattern
    assert "Covers 100% of the time you put on this project" in editor.status.text()
    assert previewed.args[0].matched_seconds == 2 * 3600  # yesterday's hour and today's
    assert core.classifier.rules() == []  # nothing is saved before Save
    with qtbot.waitSignal(editor.saved):
        editor.save()
    assert [r.name for r in core.classifier.rules()] == ["Beta / App (learned)"]
    settle(qtbot, runner, window)
    qtbot.waitUntil(lambda: tree.topLevelItem(1).text(4) == "Rule: Beta / App (learned)")
    assert not window.learned.isVisible()


def test_forget_what_was_learned_from_the_rules_editor(window: ReviewWindow, core: Core, qtbot: QtBot,
                                                       runner: TaskRunner, bus: ChangeBus,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.learned.isVisible()
    editor = RulesEditor(core.classifier, runner, bus)
    qtbot.addWidget(editor)
    assert editor.forget_button.isVisibleTo(editor)
    qtbot.waitUntil(lambda: editor.learned_status.text() == "Learned on this computer from 2 h 00 min you "
                                                             "assigned, over 2 windows, on 2 projects.")
    monkeypatch.setattr(editor.forget_button, "confirm", lambda: False)
    editor.forget_button.click()
    qtbot.waitUntil(runner.idle)
    assert core.classifier.learning is not None and core.classifier.learning.status().windows == 2
    monkeypatch.setattr(editor.forget_button, "confirm", lambda: True)
    editor.forget_button.click()
    qtbot.waitUntil(lambda: "Forgot what was learned" in editor.status.text())
    settle(qtbot, runner, window)
    qtbot.waitUntil(lambda: window.panel.tree.topLevelItemCount() == 0)
    assert not window.learned.isVisible() and core.classifier.learning.status().windows == 0
    qtbot.waitUntil(lambda: editor.learned_status.text().startswith("Nothing learned yet"))


def test_the_timeline_tells_a_learned_proposal_apart(window: ReviewWindow) -> None:
    from app.ui.review.timeline import tooltip

    hits = [h for h in window.timeline.hits if h.lane == 1]
    assert len(hits) == 2
    text = tooltip(hits[0])
    assert "  Learned: Acme/Website\n" in text and "like 'invoice.py - acme-web - Code'" in text


def test_accept_learned_takes_every_learned_proposal_of_the_week(window: ReviewWindow, core: Core, qtbot: QtBot,
                                                                 runner: TaskRunner) -> None:
    window.learned.accept_button.click()
    settle(qtbot, runner, window)
    qtbot.waitUntil(lambda: not window.learned.isVisible())
    today = core.entries.between(at(0), at(24))
    assert [(e.project_path, e.start, e.end) for e in today] == [("Acme/Website", at(9), at(10)),
                                                                 ("Beta/App", at(13), at(14))]
    assert "2 entries added" in window.message.text()
