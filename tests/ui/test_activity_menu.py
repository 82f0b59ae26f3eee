"""The Activity page's context menu: assign a span's time, create a rule from it, exclude its application,
delete it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.models import Span
from app.domain.periods import day_epochs
from app.store.spans import SpanStore
from app.ui.activity_actions import ActivityActions
from app.ui.activity_window import ActivityWindow
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from tests.ui.conftest import drain

DAY = date(2026, 11, 18)


def window_on(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> ActivityWindow:
    start, _ = day_epochs(DAY)
    SpanStore(core.db).add_many([
        Span(start + 9 * 3600, start + 9.5 * 3600, "code", "main.py - acme-web - Code"),
        Span(start + 9.5 * 3600, start + 9.75 * 3600, "code", "main.py - acme-web - Code", idle=True),
        Span(start + 10 * 3600, start + 10.25 * 3600, "slack", "general | Acme - Slack"),
    ])
    window = ActivityWindow(SpanStore(core.db), runner, bus, day=DAY, actions=ActivityActions(core))
    qtbot.addWidget(window)
    window.reload()
    drain(qtbot, runner)
    return window


def select(window: ActivityWindow, *rows: int) -> None:
    window.table.clearSelection()
    for row in rows:
        window.table.topLevelItem(row).setSelected(True)


def test_menu_offers_what_fits_the_selection(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    window = window_on(core, runner, bus, qtbot)
    select(window, 0, 1)
    actions = {a.text(): a.isEnabled() for a in window.context_menu().actions() if a.text()}
    assert actions == {"Assign to a project…": True, "Create a rule from it…": False,
                       "Exclude code from capture": True, "Delete": True}
    select(window, 0, 2)
    assert "Exclude" not in " ".join(a.text() for a in window.context_menu().actions())


def test_assign_takes_the_active_time_of_the_selected_spans(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                            qtbot: QtBot) -> None:
    web = core.projects.add_project("Acme Corp/Website")
    window = window_on(core, runner, bus, qtbot)
    offered: list[list[str]] = []
    window.pick_project = lambda projects: offered.append([p.path for p in projects]) or projects[0]
    select(window, 0, 1)
    with qtbot.waitSignal(window.done):
        window.assign_selected()
    assert offered == [["Acme Corp/Website"]]
    assert window.summary.text() == "Assigned 0:30 to Acme Corp/Website; it is in the review as a draft."
    [entry] = core.entries.between(datetime(2026, 11, 17, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC))
    assert entry.project_id == web.id and entry.end - entry.start == timedelta(minutes=30)


def test_rule_from_a_span_and_excluding_its_application(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                        qtbot: QtBot) -> None:
    core.projects.add_project("Acme Corp/Chat")
    window = window_on(core, runner, bus, qtbot)
    window.pick_project = lambda projects: projects[0]
    select(window, 2)
    with qtbot.waitSignal(window.done):
        window.rule_from_selected()
    [rule] = core.classifier.rules()
    assert (rule.outcome.client, rule.outcome.project) == ("Acme Corp", "Chat")
    assert "added last" in window.summary.text()
    with qtbot.waitSignal(window.done):
        window.exclude_app("slack")
    assert core.settings.get("capture.exclude_apps") == ["^slack$"]
    assert window.summary.text().startswith("slack is no longer recorded")
    select(window, 2)
    window.delete_selected()
    drain(qtbot, runner)
    assert window.table.topLevelItemCount() == 2
