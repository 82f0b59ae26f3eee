"""The settings of the desktop app: its window, onboarding, autostart, shortcuts, reminders and notifications."""

from __future__ import annotations

from typing import Any

from app.capture.schedule import check_rules
from app.desktop.hotkeys import check_combo
from app.options import Option, between


def _page_key(value: str) -> str | None:
    return None if value.isidentifier() else "must be a page name such as timer, review or preferences"


DESKTOP: tuple[Option[Any], ...] = (
    Option("ui.show_window_at_start", False, "Open the main window when TimeTally starts"),
    Option("ui.window_geometry", "", "Main window size and place, as the window saved them"),
    Option("ui.page", "timer", "Main window page shown when it opens (timer, review, activity, ...)", _page_key),
    Option("onboarding.privacy_seen", False, "Onboarding: what is recorded was shown, so capture may start"),
    Option("onboarding.finished", False, "Onboarding: finished or skipped, so it does not open at start"),
    Option("app.autostart", False, "Start TimeTally when you log in"),
    Option("shortcuts.enabled", True, "Global keyboard shortcuts (not available on Wayland)"),
    Option("shortcuts.toggle_timer", "<ctrl>+<alt>+t", "Shortcut: start or stop the timer, e.g. <ctrl>+<alt>+t",
           check_combo),
    Option("shortcuts.show_timesheet", "<ctrl>+<alt>+y", "Shortcut: show the timesheet (empty: none)", check_combo),
    Option("reminders.enabled", True, "Remind me to track time"),
    Option("reminders.hours", ["Mon-Fri 09:00-18:00"], "Reminders: only during these hours, "
           "e.g. 'Mon-Fri 09:00-18:00' (empty: any time)", check_rules),
    Option("reminders.idle_minutes", 30, "Reminders: after this many minutes with no timer and no captured work",
           between(5, 480)),
    Option("notifications.long_running", True, "Warn when a timer runs longer than the limit above"),
    Option("notifications.sync_results", True, "Notify when a sync with the accounting system finishes"),
)
