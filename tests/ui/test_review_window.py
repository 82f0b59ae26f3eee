"""The review window on the real services: loading a week, navigation, proposals, the timeline's drag-to-assign
with its rule offer, cell editing, approval and submission, and a keyboard-only path through all of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.classify.ruleset_file import loads
from app.core import Core
from app.domain.models import EntryStatus, NewEntry, Span
from app.store.spans import SpanStore
from app.ui.events import ChangeBus
from app.ui.review.assign_dialog import AssignDialog
from app.ui.review.dialogs import CellEntriesDialog
from app.ui.review.window import DAY_PANEL_MIN, ReviewWindow
from app.ui.tasks import TaskRunner

TODAY = date(2026, 11, 19)  # Thursday of ISO week 47
RULES = """
version = 1

[[rule]]
name = "Acme web"
client = "Acme Corp"
project = "Website"
all = [{ field = "title", contains = "acme-web" }]
"""


def at(hour: float, day: date = TODAY) -> datetime:
    return (datetime.combine(day, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def seed(core: Core) -> None:
    core.classifier.replace_rules(loads(RULES))
    SpanStore(core.db).add_many([
        Span(at(9).timestamp(), at(10.5).timestamp(), "code", "main.py - acme-web - Code"),
        Span(at(10.5).timestamp(), at(11).timestamp(), "firefox", "Forecast - weather.example - Firefox"),
        Span(at(13).timestamp(), at(14).timestamp(), "code", "app.py - acme-web - Code"),
    ])
    support = core.projects.add_project("Globex/Support")
    core.entries.add(NewEntry(at(15), at(16), "Ticket triage", support.id))
    core.entries.add(NewEntry(at(9, TODAY - timedelta(days=1)), at(11, TODAY - timedelta(days=1)), "No project"))


@pytest.fixture
def window(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> Iterator[ReviewWindow]:
    seed(core)
    review = ReviewWindow(core, runner, bus, clock=lambda: at(18), today=lambda: TODAY)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitExposed(review)
    settle(qtbot, runner, review)
    yield review
    qtbot.waitUntil(runner.idle)
    for dialog in list(review.dialogs):
        dialog.close()


def settle(qtbot: QtBot, runner: TaskRunner, window: ReviewWindow) -> None:
    qtbot.waitUntil(lambda: runner.idle() and window.model.review is not None and not window.model.loading)


def test_opens_this_week_with_grid_timeline_and_proposals(window: ReviewWindow) -> None:
    review = window.model.review
    assert review is not None and review.period.first == date(2026, 11, 16)
    assert window.title.text() == "Week 47 · 16 Nov – 22 Nov 2026"
    labels = [window.grid_model.index(r, 0).data() for r in range(window.grid_model.rowCount())]
    assert labels == ["Globex / Support", "No project", "Total", "Billable", "Non-billable"]
    footers = [[window.grid_model.index(r, c).data() for c in (1, 8)] for r in (2, 3, 4)]
    assert all(cell for row in footers for cell in row) and footers[2][0] == "0:00"  # no blank footer cell
    assert window.tabs.currentIndex() == 3 and window.timeline.day is not None
    assert [b.kind for b in window.timeline.day.blocks] == ["work", "unclassified", "work"]
    assert window.panel.tree.topLevelItemCount() == 3  # two proposals and the entry
    assert window.panel.tree.topLevelItem(0).text(4) == "Rule: Acme web"
    # validation flags: the entry without a project is tinted and listed
    flagged = window.grid_model.index(1, 3)
    assert "has no project" in flagged.data(Qt.ItemDataRole.ToolTipRole)
    assert window.flags.count() >= 1


def test_week_navigation(window: ReviewWindow, qtbot: QtBot, runner: TaskRunner) -> None:
    window.next.click()
    qtbot.waitUntil(lambda: window.model.period is not None and window.model.period.first == date(2026, 11, 23))
    assert window.grid_model.rowCount() == 3  # just the footers
    window.previous.click()
    window.previous.click()
    qtbot.waitUntil(lambda: window.model.period is not None and window.model.period.first == date(2026, 11, 9))
    window.this_week.click()
    qtbot.waitUntil(lambda: window.model.period is not None and window.model.period.first == date(2026, 11, 16))
    settle(qtbot, runner, window)


def test_accept_reject_and_merge_proposals(window: ReviewWindow, qtbot: QtBot, runner: TaskRunner,
                                           core: Core) -> None:
    panel = window.panel
    panel.tree.topLevelItem(0).setSelected(True)
    assert panel.buttons["Accept"].isEnabled() and not panel.buttons["Merge"].isEnabled()
    panel.buttons["Reject"].click()
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 2)
    settle(qtbot, runner, window)
    panel.tree.topLevelItem(0).setSelected(True)  # the 13:00 proposal
    panel.tree.topLevelItem(1).setSelected(True)  # the 15:00 entry
    panel.buttons["Merge"].click()
    qtbot.waitUntil(lambda: window.model.review is not None and len(window.model.review.timelines[3].entries) == 1
                    and not window.model.review.proposals)
    merged = window.model.review.timelines[3].entries[0]
    assert (merged.start, merged.end) == (at(13), at(16))
    settle(qtbot, runner, window)


def test_split_and_edited_accept_take_the_dialogs_times(window: ReviewWindow, qtbot: QtBot,
                                                        runner: TaskRunner) -> None:
    """The dialogs give datetimes; proposals are instants: the window converts at its edge."""
    first, second = window.model.review.proposals  # type: ignore[union-attr]
    window.model.split_proposal(first, at(9.75))
    qtbot.waitUntil(lambda: window.model.review is not None and len(window.model.review.timelines[3].entries) == 3)
    settle(qtbot, runner, window)
    edited = SimpleNamespace(start=at(13.25), end=at(14), description="Checkout", project_id=None, task_id=None)
    window.model.accept_edited(second, edited)
    qtbot.waitUntil(lambda: window.model.review is not None and len(window.model.review.timelines[3].entries) == 4)
    settle(qtbot, runner, window)
    entries = window.model.review.timelines[3].entries  # type: ignore[union-attr]
    assert [(e.start, e.end) for e in entries if e.end != at(16)] == [
        (at(9), at(9.75)), (at(9.75), at(10.5)), (at(13.25), at(14))]


def test_drag_on_timeline_assigns_range_and_offers_a_rule(window: ReviewWindow, qtbot: QtBot,
                                                          runner: TaskRunner, core: Core) -> None:
    timeline = window.timeline
    y = int(timeline.lane_rect(0).center().y())
    start_x, end_x = round(timeline.x_of(at(10.5).timestamp())), round(timeline.x_of(at(11).timestamp()))
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(start_x, y))
    qtbot.mouseMove(timeline, QPoint((start_x + end_x) // 2, y))
    qtbot.mouseMove(timeline, QPoint(end_x, y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(end_x, y))
    dialog = window.dialogs[-1]
    assert isinstance(dialog, AssignDialog) and dialog.project.currentText() == "Globex/Support"
    dialog.description.setText("Forecast check")
    dialog.assign_button.click()
    qtbot.waitUntil(lambda: bool(window.dialogs) and isinstance(window.dialogs[-1], QMessageBox))
    offer = window.dialogs[-1]
    assert isinstance(offer, QMessageBox) and "weather.example" in offer.text()
    create = next(b for b in offer.buttons() if offer.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    create.click()
    qtbot.waitUntil(lambda: len(core.classifier.rules()) == 2)
    entry = next(e for e in core.entries.between(at(0), at(24)) if e.description == "Forecast check")
    assert entry.project_path == "Globex/Support"  # the drag snaps to minutes; a pixel is about one minute
    assert abs(entry.start - at(10.5)) <= timedelta(minutes=1) and abs(entry.end - at(11)) <= timedelta(minutes=1)
    settle(qtbot, runner, window)


def test_cell_dialog_edits_and_unlock_needs_a_reason(window: ReviewWindow, qtbot: QtBot, runner: TaskRunner,
                                                     core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    window.grid.open_cell.emit(window.grid_model.index(0, 4))
    dialog = window.dialogs[-1]
    assert isinstance(dialog, CellEntriesDialog) and dialog.table.rowCount() == 1
    dialog.buttons["Approve"].click()
    qtbot.waitUntil(lambda: "Approved · locked" in dialog.table.item(0, 3).text())
    monkeypatch.setattr("app.ui.review.dialogs.QInputDialog.getText", lambda *a, **k: ("client asked", True))
    dialog.buttons["Unlock"].click()
    qtbot.waitUntil(lambda: not core.entries.between(at(15), at(16))[0].locked)
    assert core.approvals.history(core.entries.between(at(15), at(16))[0].id)[-1].reason == "client asked"
    settle(qtbot, runner, window)


def test_invoice_preview_and_send_open_for_the_week(window: ReviewWindow, qtbot: QtBot, runner: TaskRunner) -> None:
    dialog = window.open_invoice_preview()
    assert dialog is not None and "2026-11-16" in dialog.windowTitle()
    qtbot.waitUntil(runner.idle)
    dialog.close()
    send = window.open_send_dialog()
    assert send is not None and "Xero" in send.windowTitle() and "2026-11-16" in send.windowTitle()
    qtbot.waitUntil(runner.idle)
    send.close()


def test_keyboard_only_from_opening_the_week_to_approving_it(window: ReviewWindow, qtbot: QtBot,
                                                             runner: TaskRunner, core: Core) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.grid)
    qtbot.keyClick(window.grid, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.model.period is not None and window.model.period.first == date(2026, 11, 23))
    qtbot.keyClick(window.grid, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.model.period is not None and window.model.period.first == date(2026, 11, 16))
    settle(qtbot, runner, window)
    qtbot.keyClick(window.grid, Qt.Key.Key_Down)
    for _ in range(3):
        qtbot.keyClick(window.grid, Qt.Key.Key_Right)
    assert window.tabs.currentIndex() == 2  # the Wednesday column also shows Wednesday's timeline
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    assert isinstance(window.dialogs[-1], CellEntriesDialog)
    qtbot.keyClick(window.dialogs[-1], Qt.Key.Key_Escape)
    assert not window.dialogs
    approve_week = (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.grid, *approve_week)
    box = window.dialogs[-1]
    assert isinstance(box, QMessageBox) and box.text().startswith("Approve 2 entries of week 47?")
    assert box.informativeText() == "Open flags:\n• Wed: Entry #2 has no project."
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not window.dialogs and core.entries.get(2).status is EntryStatus.DRAFT
    qtbot.keyClick(window.grid, *approve_week)
    qtbot.keyClick(window.dialogs[-1], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "without a project" in window.message.text())
    assert window.message.text().startswith("1 entry approved. 1 entry without a project (#2) was not approved")
    assert not window.submit.isEnabled()
    core.review.edit_entry(2, project_id=core.projects.require("Globex/Support").id)
    settle(qtbot, runner, window)
    qtbot.keyClick(window.grid, *approve_week)
    qtbot.keyClick(window.dialogs[-1], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.submit.isEnabled())
    assert all(e.status is EntryStatus.APPROVED for e in window.model.review.entries)  # type: ignore[union-attr]
    qtbot.keyClick(window.grid, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "Submitted" in window.state.text())
    assert core.approvals.submission(window.model.review.period) is not None  # type: ignore[union-attr]


def test_opening_a_week_shows_entries_then_the_day_then_the_whole_week(window: ReviewWindow, qtbot: QtBot,
                                                                       runner: TaskRunner) -> None:
    stages: list[int] = []
    window.model.loaded.connect(lambda review: stages.append(len(review.loaded_days)))
    window.show_day(1)  # Tuesday is in view: its activity comes before the rest of the week
    window.model.step(1)
    window.model.step(-1)
    settle(qtbot, runner, window)
    assert stages[-1] == 7 and stages == sorted(set(stages)) and set(stages) <= {0, 1, 7}
    assert window.tabs.currentIndex() == 1 and window.timeline.day is not None and not window.timeline.reading


def test_send_buttons_open_the_dialog_for_each_accounting_system(
    window: ReviewWindow, qtbot: QtBot, runner: TaskRunner
) -> None:
    from app.ui.send_dialog import SendDialog

    window.send_qbo.click()
    window.send.click()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, SendDialog) and w.isVisible()]
    titles = sorted(d.windowTitle().split(":")[0] for d in dialogs)
    assert titles == ["Send to QuickBooks", "Send to Xero"]
    qtbot.waitUntil(runner.idle)
    for dialog in dialogs:
        dialog.close()
    qtbot.waitUntil(runner.idle)


def test_at_the_main_windows_page_size_no_header_or_total_is_clipped(window: ReviewWindow, qtbot: QtBot) -> None:
    window.resize(1104, 770)  # the main window's default size less its sidebar
    qtbot.waitUntil(lambda: window.width() <= 1110)
    grid, model = window.grid, window.grid_model
    header = grid.horizontalHeader()
    for column in range(1, model.columnCount()):
        text = str(model.headerData(column, Qt.Orientation.Horizontal))
        assert header.sectionSize(column) >= QFontMetrics(header.font()).horizontalAdvance(text) + 4, text
    for row in range(len(model.rows), model.rowCount()):
        font = model.index(row, 1).data(Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont)
        for column in range(1, 9):
            text = str(model.index(row, column).data())
            assert header.sectionSize(column) >= QFontMetrics(font).horizontalAdvance(text) + 4, (row, column, text)


def test_at_the_main_windows_page_size_no_name_is_cut(window: ReviewWindow, qtbot: QtBot, core: Core,
                                                      runner: TaskRunner) -> None:
    """The grid takes room from the day panel for long names; what still does not fit wraps, never cut."""
    project = core.projects.add_project("Acme Corp/Mobile app")
    for name in ("Code review", "Code review, release notes and the store listing for the autumn update"):
        task = core.projects.ensure_task(project.id, name)
        core.entries.add(NewEntry(at(16), at(17), "Review", project.id, task_id=task.id))
    window.model.refresh()
    settle(qtbot, runner, window)
    window.resize(1104, 770)  # the main window's default size less its sidebar
    grid, header = window.grid, window.grid.horizontalHeader()
    metrics = QFontMetrics(grid.font())
    smallest = max(DAY_PANEL_MIN, window.splitter.widget(1).minimumSizeHint().width())
    qtbot.waitUntil(lambda: window.splitter.sizes()[1] <= smallest)
    for row in range(len(window.grid_model.rows)):
        text = str(window.grid_model.index(row, 0).data())
        lines = -(-metrics.horizontalAdvance(text) // (header.sectionSize(0) - 8))
        assert grid.rowHeight(row) >= lines * metrics.lineSpacing(), text
