"""The main window's pages, declared once: key, sidebar title, keyboard shortcut and how to build the page.

A page is built on its first visit (its factory receives the shell), so start-up pays only for the page it opens
on. Factories import their view when they run, for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.core import Core
    from app.ui.events import ChangeBus
    from app.ui.tasks import TaskRunner
    from app.ui.timer_model import TimerModel


class Shell(Protocol):
    """What a page is built from: the application's shell, seen from below so the pages do not import it."""

    core: Core | None
    model: TimerModel | None
    runner: TaskRunner
    bus: ChangeBus

    def capture_notice(self) -> str | None: ...

    def preferences_pages(self) -> Sequence[tuple[str, QWidget]]: ...


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    """Also the value of the `ui.page` setting, so it is a plain identifier that never changes."""
    title: str
    shortcut: str
    factory: Callable[[Shell], QWidget]


def _timer(shell: Shell) -> QWidget:
    from app.ui.timer_window import TimerWindow

    assert shell.core is not None and shell.model is not None
    return TimerWindow(shell.model, shell.core, shell.runner, shell.bus)


def _review(shell: Shell) -> QWidget:
    from app.ui.review.window import ReviewWindow

    assert shell.core is not None
    return ReviewWindow(shell.core, shell.runner, shell.bus)


def _activity(shell: Shell) -> QWidget:
    from app.ui.activity_actions import ActivityActions
    from app.ui.activity_window import ActivityWindow

    assert shell.core is not None
    return ActivityWindow(shell.core.activity, shell.runner, shell.bus,
                          notice=shell.capture_notice(), actions=ActivityActions(shell.core))


def _clients(shell: Shell) -> QWidget:
    from app.ui.clients import clients_page

    assert shell.core is not None
    return clients_page(shell.core, shell.runner, shell.bus)


def _invoices(shell: Shell) -> QWidget:
    from app.ui.invoices import InvoicesPage

    assert shell.core is not None
    return InvoicesPage(shell.core, shell.runner, shell.bus)


def _reports(shell: Shell) -> QWidget:
    from app.ui.reports import ReportsWindow

    assert shell.core is not None
    return ReportsWindow(shell.core.reports.all, shell.runner, shell.bus)


def _expenses(shell: Shell) -> QWidget:
    from app.ui.expenses.page import ExpensesPage

    assert shell.core is not None
    return ExpensesPage(shell.core, shell.runner, shell.bus)


def _rules(shell: Shell) -> QWidget:
    from app.ui.rules_editor import RulesEditor

    assert shell.core is not None
    return RulesEditor(shell.core.classifier, shell.runner, shell.bus, projects=shell.core.projects.projects)


def _preferences(shell: Shell) -> QWidget:
    from app.ui.settings_dialog import SettingsDialog

    core = shell.core
    assert core is not None
    return SettingsDialog(core.settings, shell.runner, shell.bus, projects=core.projects.projects,
                          pages=shell.preferences_pages())


PAGES: tuple[Page, ...] = (
    Page("timer", "Timer", "Ctrl+1", _timer),
    Page("review", "Review", "Ctrl+2", _review),
    Page("activity", "Activity", "Ctrl+3", _activity),
    Page("clients", "Clients & projects", "Ctrl+4", _clients),
    Page("invoices", "Invoices", "Ctrl+5", _invoices),
    Page("reports", "Reports", "Ctrl+6", _reports),
    Page("expenses", "Expenses", "Ctrl+9", _expenses),
    Page("rules", "Rules", "Ctrl+7", _rules),
    Page("preferences", "Preferences", "Ctrl+8", _preferences),
)
"""In sidebar order."""
