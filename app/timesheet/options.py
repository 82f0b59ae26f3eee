"""The settings the timer, the review, liveness and the idle prompt own."""

from __future__ import annotations

from typing import Any

from app.capture.privacy import check_patterns
from app.options import Option, between

_MEETING_APPS = [r"zoom", r"\bteams\b", r"meet\.google\.com", r"webex", r"skype", r"jitsi", r"huddle"]

TIMESHEET: tuple[Option[Any], ...] = (
    Option("timer.long_running_hours", 8.0, "Warn about timers running longer than (hours)", between(1, 24)),
    Option("timer.default_project_id", 0, "Default project for timers started without one (0: none)"),
    Option("review.week_start", 0, "First day of the week (0 = Monday … 6 = Sunday)", between(0, 6)),
    Option("review.daily_hours_limit", 10.0, "Flag days with more hours than", between(1, 24)),
    Option("review.unclassified_flag_percent", 25, "Flag days with more unclassified activity than (percent)",
           between(1, 100)),
    Option("app.liveness_seconds", 30, "How often the running app records that it is alive", between(5, 600)),
)

IDLE: tuple[Option[Any], ...] = (
    Option("idle.prompt", True, "Idle: ask what to do with time away from a running timer"),
    Option("idle.max_away_hours", 4.0, "Idle: after more than (hours) away, drop the time from the timer "
           "without asking and offer it in the review", between(0.5, 24)),
    Option("idle.meetings_active", False, "Idle: count meeting and call applications as active"),
    Option("idle.meeting_apps", list(_MEETING_APPS), "Idle: meeting and call applications "
           "(regular expressions on the application or title)", check_patterns),
)
