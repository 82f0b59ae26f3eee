"""The review lets the user confirm a description taken from window titles, so it may appear on invoices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.models import DescriptionOrigin, EntrySource, NewEntry
from app.ui.events import ChangeBus
from app.ui.review.dialogs import CellEntriesDialog
from app.ui.review.window import ReviewWindow
from app.ui.tasks import TaskRunner

TODAY = date(2026, 11, 19)
TITLE = "Pull request #42 · acme/secret-merger - Mozilla Firefox"


def at(hour: float) -> datetime:
    return (datetime.combine(TODAY, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


@pytest.fixture
def window(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> Iterator[ReviewWindow]:
    web = core.projects.add_project("Acme/Web")
    core.entries.add(NewEntry(at(9), at(10), "Planning", web.id))
    core.entries.add(NewEntry(at(10), at(11), TITLE, web.id, source=EntrySource.CAPTURE,
                              description_origin=DescriptionOrigin.TITLE))
    review = ReviewWindow(core, runner, bus, clock=lambda: at(18), today=lambda: TODAY)
    qtbot.addWidget(review)
    review.show()
    qtbot.waitUntil(lambda: runner.idle() and review.model.review is not None and not review.model.loading)
    yield review
    qtbot.waitUntil(runner.idle)
    for dialog in list(review.dialogs):
        dialog.close()


def test_confirm_text_lets_a_title_description_through(window: ReviewWindow, qtbot: QtBot, core: Core) -> None:
    window.grid.open_cell.emit(window.grid_model.index(0, 4))  # Acme / Web on Thursday
    dialog = window.dialogs[-1]
    assert isinstance(dialog, CellEntriesDialog) and dialog.table.rowCount() == 2
    confirm = dialog.buttons["Confirm text"]
    assert "taken from window titles" in dialog.notes.text()
    dialog.table.selectRow(0)
    assert confirm.isVisibleTo(dialog) and not confirm.isEnabled()  # "Planning" was typed
    dialog.table.selectRow(1)
    assert confirm.isEnabled()
    confirm.click()
    qtbot.waitUntil(lambda: core.entries.get(2).description_origin is DescriptionOrigin.TYPED)
    qtbot.waitUntil(lambda: not dialog.buttons["Confirm text"].isVisibleTo(dialog))
    assert "description confirmed" in window.message.text()
