"""The Expenses page on the real services: add an expense with a receipt, a refused one keeps the dialog open with
the service's sentence, approve the week, map a category; "Add expense" also sits on the timer page."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.core import Core
from app.ui.events import ChangeBus
from app.ui.expenses.dialog import ExpenseDialog
from app.ui.expenses.page import ExpensesPage
from app.ui.tasks import TaskRunner, alive
from app.ui.timer_model import TimerModel
from app.ui.timer_window import TimerWindow
from tests.conftest import WallClock
from tests.ui.conftest import drain

DAY = date(2026, 11, 18)


def open_page(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> ExpensesPage:
    core.billing.set_client("Acme", rate="100", currency="CAD", tax="GST:5,QST:9.975")
    core.projects.add_project("Acme/Website")
    page = ExpensesPage(core, runner, bus, today=lambda: DAY)
    qtbot.addWidget(page)
    page.resize(1180, 520)
    page.show()
    drain(qtbot, runner)
    return page


def add(page: ExpensesPage, runner: TaskRunner, qtbot: QtBot, amount: str, category: str, **fields: str) -> str:
    page.add_button.click()
    drain(qtbot, runner)
    dialog = page.dialog
    assert dialog is not None
    dialog.amount.setText(amount)
    dialog.category.setCurrentText(category)
    for name, value in fields.items():
        if name == "receipt":
            dialog.set_receipt(Path(value))
        else:
            getattr(dialog, name).setText(value)
    dialog.buttons.accepted.emit()
    drain(qtbot, runner)
    return dialog.error.text() if alive(dialog) and dialog.isVisible() else ""


def test_add_refuse_approve_and_map(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot,
                                    tmp_path: Path) -> None:
    page = open_page(core, runner, bus, qtbot)
    assert page.empty.isVisible() and not page.grid.isVisible() and not page.approve_button.isEnabled()
    page.grab().save(str(tmp_path / "expenses-empty.png"))
    receipt = tmp_path / "hotel.pdf"
    receipt.write_bytes(b"%PDF-1.7\nhotel\n")
    assert add(page, runner, qtbot, "180.00", "Lodging", description="Hotel, client workshop", markup="10",
               receipt=str(receipt)) == ""
    notes = tmp_path / "notes.txt"
    notes.write_text("text")
    assert "is not a PDF or an image" in add(page, runner, qtbot, "12", "Meals", receipt=str(notes))
    page.dialog.reject()  # type: ignore[union-attr]
    assert add(page, runner, qtbot, "23.40", "Meals", description="Lunch", tax="GST") == ""
    assert add(page, runner, qtbot, "", "Meals") == "An expense needs an amount and a category."
    page.dialog.reject()  # type: ignore[union-attr]
    drain(qtbot, runner)
    assert page.grid.rowCount() == 2 and page.grid.isVisible()
    assert [page.grid.item(0, c).text() for c in (3, 5, 6, 9, 10)] == ["Lodging", "180.00 CAD", "10 %", "hotel.pdf",
                                                                       "draft"]
    assert page.total.text() == "Total: 203.40 CAD"
    page.approve_button.click()
    drain(qtbot, runner)
    assert [e.status for e in core.expenses.in_period(page._week)] == ["approved", "approved"]
    page.grid.selectRow(0)
    assert page.unlock_button.isEnabled() and not page.delete_button.isEnabled() and page.receipt_button.isEnabled()
    page.grab().save(str(tmp_path / "expenses-page.png"))
    if os.environ.get("TIMETALLY_SHOTS"):
        page.grab().save(os.environ["TIMETALLY_SHOTS"])
    page.mapping_button.click()
    drain(qtbot, runner)
    mapping = page.mapping
    assert mapping is not None and [c for c, _ in mapping.rows()] == ["Lodging", "Meals"]
    mapping.grid.item(0, 1).setText("494")  # type: ignore[union-attr]
    mapping.save()
    drain(qtbot, runner)
    assert core.expenses.mapping("xero") == {"Lodging": "494"}
    mapping.close()


def test_the_timer_page_adds_an_expense_too(core: Core, model: TimerModel, runner: TaskRunner, bus: ChangeBus,
                                            qtbot: QtBot) -> None:
    core.projects.add_project("Acme/Website")
    window = TimerWindow(model, core, runner, bus)
    qtbot.addWidget(window)
    window.show()
    assert window.today.expense_button.text() == "Add expense…"
    window.today.expense_button.click()
    drain(qtbot, runner)
    [dialog] = window.findChildren(ExpenseDialog)
    assert dialog.project.currentText() == "Acme/Website"
    dialog.amount.setText("9.99")
    dialog.category.setCurrentText("Parking")
    dialog.buttons.accepted.emit()
    drain(qtbot, runner)
    assert not alive(dialog) or not dialog.isVisible()
    [added] = core.expenses.categories()
    assert added == "Parking"


def test_retainers_and_progress_from_the_expenses_page(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                        qtbot: QtBot, tmp_path: Path, wall_clock: WallClock) -> None:
    wall_clock.set(datetime(2026, 11, 18, 12, tzinfo=UTC))
    page = open_page(core, runner, bus, qtbot)
    core.projects.add_project("Acme/Care")
    page.retainers_button.click()
    drain(qtbot, runner)
    dialog = page.retainers
    assert dialog is not None and dialog.empty.isVisible()
    dialog.project.setCurrentIndex(dialog.project.findData("Acme/Care"))
    dialog.amount.setText("2000")
    dialog.hours.setText("20h")
    dialog.save_button.click()
    drain(qtbot, runner)
    assert "overage rate" in dialog.message.text().lower(), "a refused retainer says why"
    dialog.overage.setText("120")
    dialog.rollover.setChecked(True)
    dialog.starts.setDate(QDate(2026, 10, 1))
    dialog.save_button.click()
    drain(qtbot, runner)
    assert dialog.message.text() == "Retainer of Acme/Care saved." and dialog.grid.rowCount() == 1
    dialog.due_button.click()
    drain(qtbot, runner)
    assert dialog.message.text() == "Stored INV-0001 (2,299.50 CAD), INV-0002 (2,299.50 CAD).", "GST and QST on"
    assert "Care" in dialog.grid.item(0, 0).text() and dialog.grid.item(0, 5).text() == "roll over"  # type: ignore[union-attr]
    dialog.project.setCurrentIndex(dialog.project.findData("Acme/Website"))
    dialog.estimate.setText("10000")
    dialog.estimate_button.click()
    drain(qtbot, runner)
    dialog.percent.setText("30")
    dialog.bill_button.click()
    drain(qtbot, runner)
    assert dialog.message.text() == "Stored INV-0003 (3,449.25 CAD)."
    dialog.grab().save(str(tmp_path / "retainers.png"))
    if os.environ.get("TIMETALLY_SHOTS"):
        dialog.grab().save(os.environ["TIMETALLY_SHOTS"].replace("expenses-page", "retainers-dialog"))
    dialog.close()
