"""Open the Add expense dialog from any page: projects and categories are read on a worker, the expense is
stored on the write worker, and the dialog stays open with the service's sentence when it is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from app.core import Core
from app.domain.models import Project
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.expenses.dialog import ExpenseDialog, ExpenseValues
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message


def open_expense_dialog(parent: QWidget, core: Core, runner: TaskRunner, bus: ChangeBus,
                        today: Callable[[], date] = date.today,
                        opened: Callable[[ExpenseDialog], None] | None = None) -> None:
    def show(found: tuple[list[Project], list[str]]) -> None:
        projects, categories = found
        dialog = ExpenseDialog(projects, categories, today(), parent)
        dialog.submitted.connect(lambda values: _save(dialog, values, core, runner, bus))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        if opened is not None:
            opened(dialog)

    runner.read(lambda: (core.projects.projects(), core.expenses.categories()), show, owner=parent)


def _save(dialog: ExpenseDialog, values: ExpenseValues, core: Core, runner: TaskRunner, bus: ChangeBus) -> None:
    def job() -> object:
        return core.expenses.add(values.path, values.day, values.amount, values.category, currency=values.currency,
                                 tax=values.tax, billable=values.billable, markup=values.markup,
                                 receipt=values.receipt, description=values.description)

    def done(finished: Changed[object]) -> None:
        dialog.accept()
        bus.publish(finished.changes)

    runner.write(recorded(job), done, lambda error: dialog.show_error(user_message(error)), owner=dialog)
