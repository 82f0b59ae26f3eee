"""The settings capture owns; `CaptureConfig.from_settings` reads them as one snapshot."""

from __future__ import annotations

from typing import Any

from app.capture.privacy import DEFAULT_REDACTIONS, check_patterns
from app.capture.schedule import check_rules
from app.options import Option, between

INTERVAL_SECONDS = Option("capture.interval_seconds", 1.0, "Capture: where the desktop announces no window "
                          "changes, sample the active window every (seconds)", between(0.2, 60))
IDLE_SECONDS = Option("capture.idle_seconds", 300, "Capture: idle after no input for (seconds)", between(30, 7200))
EXCLUDE_APPS: Option[list[str]] = Option("capture.exclude_apps", [], "Capture: never record applications matching "
                      "(regular expressions)", check_patterns)
EXCLUDE_TITLES: Option[list[str]] = Option("capture.exclude_titles", [], "Capture: never record windows whose "
                                           "title matches (regular expressions)", check_patterns)
REDACTIONS: Option[list[str]] = Option("capture.redactions", list(DEFAULT_REDACTIONS),
                    "Capture: remove from titles (REGEX, or REGEX => REPLACEMENT)", check_patterns)
EXCLUDE_PRIVATE_WINDOWS = Option("capture.exclude_private_windows", True,
                                 "Capture: never record private/incognito browser windows")
TRACKING_HOURS: Option[list[str]] = Option("capture.tracking_hours", [], "Capture: only during these hours, e.g. "
                        "'Mon-Fri 08:00-19:00' (empty: always)", check_rules)
RETENTION_DAYS = Option("capture.retention_days", 0, "Capture: delete recorded activity older than (days, 0: keep)",
                        between(0, 3650))

CAPTURE: tuple[Option[Any], ...] = (INTERVAL_SECONDS, IDLE_SECONDS, EXCLUDE_APPS, EXCLUDE_TITLES, REDACTIONS,
                                    EXCLUDE_PRIVATE_WINDOWS, TRACKING_HOURS, RETENTION_DAYS)
