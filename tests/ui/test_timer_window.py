"""The timer window, offscreen: starting and stopping, the live clock, today's list, manual entries, edits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.models import NewEntry
from app.domain.periods import Period
from app.domain.timefmt import as_utc, utcnow
from app.ui.entry_dialog import EntryDialog
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from app.ui.timer_model import TimerModel
from app.ui.timer_window import NEW_PROJECT, TimerWindow
from tests.conftest import WallClock
from tests.ui.conftest import Clock, settle


@pytest.fixture(autouse=True)
def midday(wall_clock: WallClock) -> None:
    """A working day's noon: the tests make entries at fixed times of today, and the entry dialog offers the hour
    before now, which shortly after midnight would be yesterday."""
    wall_clock.set(datetime(2026, 11, 18, 12).astimezone())


def today_at(hour: int, minute: int = 0) -> datetime:
    return as_utc(datetime.now().replace(hour=hour, minute=minute, second=0, microsecond=0))


@pytest.fixture(autouse=True)
def afternoon(wall_clock: WallClock) -> None:
    """Entries typed as 00:15-01:45 today are in the past only after 01:45: run every test at 15:00 local."""
    wall_clock.set(datetime(2026, 11, 18, 15).astimezone())


@pytest.fixture
def window(model: TimerModel, core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> Iterator[TimerWindow]:
    view = TimerWindow(model, core, runner, bus)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(runner.idle)
    yield view
    qtbot.waitUntil(runner.idle)


def rows(window: TimerWindow) -> list[list[str]]:
    items = [window.list.topLevelItem(i) for i in range(window.list.topLevelItemCount())]
    return [[item.text(c) for c in range(4)] for item in items if item is not None]


def choose(combo: QComboBox, text: str) -> None:
    """As a user picks from the list: the choice, then `activated`."""
    index = combo.findText(text)
    assert index >= 0, f"{text} is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def choose_project(window: TimerWindow, path: str) -> None:
    choose(window.project, path)


def test_enter_in_the_description_starts_a_timer(
    core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner, qtbot: QtBot
) -> None:
    project = core.projects.add_project("Acme Corp/Website")
    settle(qtbot, runner, model)
    qtbot.keyClicks(window.description, "Landing page")
    choose_project(window, "Acme Corp/Website")
    qtbot.keyClick(window.description, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.snapshot.running is not None)
    running = core.entries.running()
    assert running is not None
    assert (running.description, running.project_id) == ("Landing page", project.id)
    qtbot.waitUntil(lambda: window.toggle.text() == "Stop")
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    assert rows(window)[0][1:3] == ["Landing page", "Acme Corp/Website"]
    assert rows(window)[0][0].endswith("– now")


def test_stop_button_stops_and_clears_the_description(
    core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner, qtbot: QtBot
) -> None:
    core.timer.start("Write report")
    settle(qtbot, runner, model)
    assert window.description.text() == "Write report"
    qtbot.mouseClick(window.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.snapshot.running is None)
    assert core.entries.running() is None
    assert window.toggle.text() == "Start"
    assert window.description.text() == ""
    assert window.clock.text() == "0:00:00"


def test_clock_counts_from_the_start_time_without_the_database(
    core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner, clock: Clock, qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running = core.timer.start("Deep work")
    settle(qtbot, runner, model)

    def no_database(*_args: object) -> None:
        raise AssertionError("the clock tick read the database")

    window.reload_entries()
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    monkeypatch.setattr(core.timer, "status", no_database)
    monkeypatch.setattr(core.entry_service, "in_period", no_database)
    clock.freeze(running.start + timedelta(hours=2, minutes=5, seconds=9))
    qtbot.waitUntil(lambda: window.clock.text() == "2:05:09", timeout=3000)
    assert window.today_total.text() == "2:05 total"


def test_todays_entries_and_total(core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner,
                                  qtbot: QtBot) -> None:
    project = core.projects.add_project("Globex/Support")
    core.entries.add(NewEntry(start=today_at(0, 10), end=today_at(0, 55), description="Tickets",
                              project_id=project.id))
    core.entries.add(NewEntry(start=today_at(1), end=today_at(1, 30), description=""))
    core.entries.add(NewEntry(start=today_at(0) - timedelta(days=1), end=today_at(1) - timedelta(days=1),
                              description="yesterday"))
    settle(qtbot, runner, model)
    window.reload_entries()
    qtbot.waitUntil(lambda: len(rows(window)) == 2)
    assert rows(window) == [
        ["00:10 – 00:55", "Tickets", "Globex/Support", "0:45"],
        ["01:00 – 01:30", "(no description)", "No project", "0:30"],
    ]
    assert window.today_total.text() == "1:15 total"
    assert window.empty.isHidden()


def test_empty_day_says_so(window: TimerWindow) -> None:
    assert not window.empty.isHidden()
    assert window.list.isHidden()
    assert not window.edit_button.isEnabled() and not window.delete_button.isEnabled()


def test_ctrl_n_adds_a_manual_entry_by_start_and_end(
    core: Core, window: TimerWindow, qtbot: QtBot
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, EntryDialog) and dialog.isVisible()
    dialog.description.setText("Planning")
    dialog.start.setTime(QTime(0, 15))
    dialog.end.setTime(QTime(1, 45))
    assert dialog.duration.time() == QTime(1, 30)
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    assert rows(window)[0] == ["00:15 – 01:45", "Planning", "No project", "1:30"]


def test_a_dialog_closed_while_its_entry_saves_is_left_alone(
    core: Core, window: TimerWindow, runner: TaskRunner, qtbot: QtBot
) -> None:
    """The save finishes after the user closed the dialog: the entry is kept and nothing calls into the dialog."""
    gate = threading.Event()
    runner.write(gate.wait)  # holds the write worker, so the save is still queued when the dialog goes
    window.add_entry()
    dialog = window.dialog
    assert dialog is not None
    dialog.start.setTime(QTime(0, 15))
    dialog.end.setTime(QTime(0, 45))
    dialog.save_button.click()
    with qtbot.waitSignal(dialog.destroyed):
        dialog.reject()
    gate.set()
    qtbot.waitUntil(lambda: len(rows(window)) == 1)


def test_duration_moves_the_end(window: TimerWindow) -> None:
    dialog = EntryDialog([], None, utcnow(), window)
    dialog.start.setTime(QTime(9, 0))
    dialog.duration.setTime(QTime(2, 15))
    assert dialog.end.time() == QTime(11, 15)
    dialog.start.setTime(QTime(23, 0))
    dialog.duration.setTime(QTime(1, 30))
    values = dialog.values()
    assert values.end is not None and values.end - values.start == timedelta(hours=1, minutes=30)
    assert dialog.next_day.text() == "Ends the next day"


def test_overlapping_manual_entry_is_saved_and_flagged(
    core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner, qtbot: QtBot
) -> None:
    core.entries.add(NewEntry(start=today_at(0, 0), end=today_at(1, 0), description="first"))
    settle(qtbot, runner, model)
    window.add_entry()
    dialog = window.dialog
    assert dialog is not None
    dialog.start.setTime(QTime(0, 30))
    dialog.end.setTime(QTime(1, 30))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not window.feedback_banner.isHidden())
    assert "overlaps" in window.feedback_banner.label.text()
    qtbot.waitUntil(lambda: len(rows(window)) == 2)


def test_refused_entry_keeps_the_dialog_open_with_the_reason(window: TimerWindow, qtbot: QtBot) -> None:
    window.add_entry()
    dialog = window.dialog
    assert dialog is not None
    dialog.start.setTime(QTime(9, 0))
    dialog.end.setTime(QTime(9, 0))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert dialog.isVisible()
    assert "give it a duration" in dialog.error.text()
    assert dialog.save_button.isEnabled()


def test_edit_an_entry(core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner,
                       qtbot: QtBot) -> None:
    project = core.projects.add_project("Acme/Web")
    entry = core.entries.add(NewEntry(start=today_at(0, 0), end=today_at(0, 40), description="typo"))
    settle(qtbot, runner, model)
    window.reload_entries()
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    window.list.topLevelItem(0).setSelected(True)
    assert window.edit_button.isEnabled()
    window.edit_button.click()
    dialog = window.dialog
    assert dialog is not None and dialog.entry is not None and dialog.entry.id == entry.id
    assert dialog.description.text() == "typo"
    dialog.description.setText("Fixed typo")
    dialog.project.setCurrentIndex(dialog.project.findData(project.id))
    dialog.end.setTime(QTime(0, 50))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: rows(window) == [["00:00 – 00:50", "Fixed typo", "Acme/Web", "0:50"]])
    assert core.entries.get(entry.id).description == "Fixed typo"


def test_delete_asks_then_deletes(core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner,
                                  qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = core.entries.add(NewEntry(start=today_at(0, 0), end=today_at(0, 40), description="mistake"))
    settle(qtbot, runner, model)
    window.reload_entries()
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    window.list.topLevelItem(0).setSelected(True)
    asked: list[str] = []
    monkeypatch.setattr(window, "confirm_delete", lambda e: asked.append(e.description) or False)
    window.delete_button.click()
    assert asked == ["mistake"]
    qtbot.waitUntil(runner.idle)
    assert core.entries.get(entry.id).description == "mistake"
    monkeypatch.setattr(window, "confirm_delete", lambda e: True)
    window.list.setFocus()
    qtbot.keyClick(window.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: rows(window) == [])
    assert core.entries.between(today_at(0), today_at(1)) == []


def test_delete_question_offers_delete_and_cancel(core: Core, window: TimerWindow, qtbot: QtBot) -> None:
    """The real question box: its Delete button deletes, Cancel (the default) keeps the entry."""
    entry = core.entries.add(NewEntry(start=today_at(0, 0), end=today_at(0, 40), description="mistake"))

    def answer(label: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        next(b for b in box.buttons() if b.text().replace("&", "") == label).click()

    for label, expected in (("Cancel", False), ("Delete", True)):
        QTimer.singleShot(0, lambda label=label: answer(label))
        assert window.confirm_delete(entry) is expected


def test_locked_entries_cannot_be_edited(core: Core, model: TimerModel, window: TimerWindow,
                                         runner: TaskRunner, qtbot: QtBot) -> None:
    entry = core.entries.add(NewEntry(start=today_at(0, 0), end=today_at(0, 40), description="billed"))
    core.entries.update(entry.id, locked=True, status="invoiced")
    settle(qtbot, runner, model)
    window.reload_entries()
    qtbot.waitUntil(lambda: len(rows(window)) == 1)
    window.list.topLevelItem(0).setSelected(True)
    assert not window.edit_button.isEnabled()
    assert not window.delete_button.isEnabled()


def test_new_project_inline(core: Core, model: TimerModel, window: TimerWindow, qtbot: QtBot) -> None:
    index = window.project.findData(NEW_PROJECT)
    window.project.setCurrentIndex(index)
    window.project.activated.emit(index)
    assert window.new_project_row.isVisible()
    qtbot.keyClicks(window.new_project, "Initech/TPS reports")
    qtbot.keyClick(window.new_project, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.new_project_row.isHidden())
    created = core.projects.find("Initech/TPS reports")
    assert created is not None
    assert window.project.currentData() == created.id
    qtbot.waitUntil(lambda: any(p.id == created.id for p in model.snapshot.projects))
    assert window.project.currentData() == created.id


def test_new_project_needs_client_and_project(window: TimerWindow, qtbot: QtBot) -> None:
    index = window.project.findData(NEW_PROJECT)
    window.project.activated.emit(index)
    qtbot.keyClicks(window.new_project, "no slash")
    qtbot.keyClick(window.new_project, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.new_project_error.isHidden())
    assert "CLIENT/PROJECT" in window.new_project_error.text()
    qtbot.keyClick(window.new_project, Qt.Key.Key_Escape)
    assert window.new_project_row.isHidden()
    assert window.isVisible()


def test_changing_the_project_of_a_running_timer(
    core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner, qtbot: QtBot
) -> None:
    project = core.projects.add_project("Acme/Web")
    running = core.timer.start("Calls")
    settle(qtbot, runner, model)
    choose_project(window, "Acme/Web")
    qtbot.waitUntil(lambda: core.entries.get(running.id).project_id == project.id)
    window.description.setFocus()
    window.description.selectAll()
    qtbot.keyClicks(window.description, "Client calls")
    qtbot.keyClick(window.description, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: core.entries.get(running.id).description == "Client calls")
    assert core.entries.running() is not None and core.entries.running().id == running.id


def test_long_running_warning(core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner,
                              qtbot: QtBot) -> None:
    core.entries.add(NewEntry(start=utcnow() - timedelta(hours=9), end=None, description="forgot"))
    settle(qtbot, runner, model)
    assert not window.status_banner.isHidden()
    assert "running for 9.0 hours" in window.status_banner.label.text()


def test_errors_are_shown(model: TimerModel, window: TimerWindow, qtbot: QtBot) -> None:
    model.continue_last()
    qtbot.waitUntil(lambda: not window.error_banner.isHidden())
    assert "no earlier entry" in window.error_banner.label.text()


def test_escape_closes_the_window(window: TimerWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_other_writers_are_picked_up_from_the_bus(
    core: Core, window: TimerWindow, bus: ChangeBus, qtbot: QtBot
) -> None:
    core.entries.add(NewEntry(start=today_at(0), end=today_at(0, 20), description="from the CLI"))
    bus.announce("entries")
    qtbot.waitUntil(lambda: len(rows(window)) == 1)


def test_a_timer_starts_on_a_task_of_the_chosen_project_and_can_change_task(
    core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner, qtbot: QtBot
) -> None:
    web = core.projects.add_project("Acme/Web")
    design = core.projects.ensure_task(web.id, "Design")
    build = core.projects.ensure_task(web.id, "Build")
    core.projects.add_project("Globex/Support")
    settle(qtbot, runner, model)
    assert not window.task.isEnabled() and window.task.currentText() == "No task"
    choose_project(window, "Acme/Web")
    assert window.task.isEnabled()
    assert [window.task.itemText(i) for i in range(window.task.count())] == ["No task", "Build", "Design"]
    choose(window.task, "Design")
    qtbot.mouseClick(window.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.snapshot.running is not None)
    running = core.entries.running()
    assert running is not None and (running.project_id, running.task_id) == (web.id, design.id)
    choose(window.task, "Build")
    qtbot.waitUntil(lambda: core.entries.get(running.id).task_id == build.id)
    choose_project(window, "Globex/Support")  # another project: the task goes with the old one
    qtbot.waitUntil(lambda: core.entries.get(running.id).task_id is None)
    settle(qtbot, runner, model)
    assert not window.task.isEnabled() and window.task.currentText() == "No task"


def test_the_entry_dialog_offers_the_projects_tasks(
    core: Core, model: TimerModel, window: TimerWindow, runner: TaskRunner, qtbot: QtBot
) -> None:
    web = core.projects.add_project("Acme/Web")
    design = core.projects.ensure_task(web.id, "Design")
    settle(qtbot, runner, model)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, EntryDialog) and not dialog.task.isEnabled()
    dialog.project.setCurrentIndex(dialog.project.findData(web.id))
    assert dialog.task.isEnabled() and dialog.task.findData(design.id) >= 0
    dialog.task.setCurrentIndex(dialog.task.findData(design.id))
    dialog.start.setTime(QTime(0, 15))
    dialog.end.setTime(QTime(1, 15))
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    [entry] = core.entry_service.in_period(Period(date.today(), date.today()))
    assert (entry.project_id, entry.task_id, entry.task_name) == (web.id, design.id, "Design")
    settle(qtbot, runner, model)
    window.list.setCurrentItem(window.list.topLevelItem(0))
    window.edit_selected()
    edit = window.dialog
    assert isinstance(edit, EntryDialog) and edit.task.currentData() == design.id
