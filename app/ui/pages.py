"""The main window's pages, declared once: key, sidebar title, keyboard shortcut and how to build the page.

A page is built on its first visit (its factory receives the shell), so start-up pays only for the page it opens
on. Factories import their view when they run, for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QBoxLayout, QWidget

if TYPE_CHECKING:
    from app.ui.application import Shell


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
    from app.store.spans import SpanStore
    from app.ui.activity_window import ActivityWindow

    assert shell.core is not None
    window = ActivityWindow(SpanStore(shell.core.db), shell.runner, shell.bus,
                            notice=shell.extensions.capture_notice())
    capture = shell.extensions.capture()
    layout = window.layout()
    if capture is not None and isinstance(layout, QBoxLayout):  # pause and resume without a tray, too
        from app.ui.capture_pause import CapturePauseControl

        layout.insertWidget(1, CapturePauseControl(capture, shell.runner))
    return window


def _reports(shell: Shell) -> QWidget:
    from app.ui.reports import ReportsWindow

    assert shell.core is not None
    return ReportsWindow(shell.core.reports.all, shell.runner, shell.bus)


def _rules(shell: Shell) -> QWidget:
    from app.ui.rules_editor import RulesEditor

    assert shell.core is not None
    return RulesEditor(shell.core.classifier, shell.runner, shell.bus)


def _preferences(shell: Shell) -> QWidget:
    from app.ui.settings_dialog import SettingsDialog

    core = shell.core
    assert core is not None
    return SettingsDialog(core.settings, shell.runner, shell.bus, projects=core.projects.projects,
                          pages=shell.extensions.settings_pages(shell))


PAGES: tuple[Page, ...] = (
    Page("timer", "Timer", "Ctrl+1", _timer),
    Page("review", "Review", "Ctrl+2", _review),
    Page("activity", "Activity", "Ctrl+3", _activity),
    Page("reports", "Reports", "Ctrl+6", _reports),
    Page("rules", "Rules", "Ctrl+7", _rules),
    Page("preferences", "Preferences", "Ctrl+8", _preferences),
)
"""In sidebar order. Ctrl+4 and Ctrl+5 are kept for Clients & projects and Invoices."""
