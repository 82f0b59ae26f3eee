"""Typed settings, each declared once with its default; values live in the database's `setting` table.

The keys are public names (`timetally settings`, docs/settings.md). Preferences and the command line check a
value with the same `Option.validate`; the command line first reads its text with `Option.parse`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from app.billing.multipliers import parse_night, parse_weekdays
from app.billing.templates import check_template
from app.domain.errors import ValidationError
from app.domain.invoices import Grouping
from app.domain.money import check_currency, parse_amount, parse_multiplier
from app.domain.rounding import parse_rounding
from app.domain.tax import AmountsAre, parse_tax

T = TypeVar("T")


_TYPES = {bool: "boolean", int: "integer", float: "number", str: "text", list: "list"}
_EXPECTED = {bool: "true or false", int: "a whole number", float: "a number", str: "text",
             list: "a list, written as a JSON array such as [\"firefox\", \"^zoom$\"] ([] for none)"}
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass(frozen=True, slots=True)
class Option(Generic[T]):
    key: str
    default: T
    label: str
    check: Callable[[T], str | None] | None = None
    kind: str = ""
    """What the value is, in a word, when its Python type says too little (a decimal amount kept as text)."""

    @property
    def type_name(self) -> str:
        return self.kind or _TYPES[type(self.default)]

    def validate(self, value: Any) -> T:
        kind = type(self.default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValidationError(f"Setting '{self.key}' must be {_EXPECTED[kind]}, not {value!r}")
        problem = self.check(value) if self.check else None
        if problem:
            raise ValidationError(f"Setting '{self.key}': {problem}")
        return value

    def parse(self, text: str) -> T:
        """A value typed as text (the command line), read as the option's type, then validated."""
        kind = type(self.default)
        value: Any = text
        try:
            if kind is bool:
                word = text.strip().lower()
                value = True if word in _TRUE else False if word in _FALSE else text
            elif kind is int:
                value = int(text.strip())
            elif kind is float:
                value = float(text.strip())
                if value != value or value in (float("inf"), float("-inf")):
                    value = text
            elif kind is list:
                value = json.loads(text)
                if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                    value = text
        except ValueError:
            value = text
        return self.validate(value)

    def format(self, value: Any) -> str:
        """The value as `parse` reads it back."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}"


def _parses(parse: Callable[[Any], Any]) -> Callable[[Any], str | None]:
    """A check made from a parser: its own error sentence, or None when the value parses."""

    def check(value: Any) -> str | None:
        try:
            parse(value)
        except ValidationError as exc:
            return str(exc)
        return None

    return check


def _one_of(choices: Iterable[str]) -> Callable[[Any], str | None]:
    allowed = [str(c) for c in choices]
    return lambda v: None if v in allowed else f"must be one of {', '.join(allowed)}"


def _patterns(value: list[Any]) -> str | None:
    from app.capture.privacy import check_patterns

    return check_patterns(value)


def _hours(value: list[Any]) -> str | None:
    from app.capture.schedule import check_rules

    return check_rules(value)


def _combo(value: str) -> str | None:
    from app.desktop.hotkeys import check_combo

    return check_combo(value)


def _logo(value: str) -> str | None:
    if value and Path(value).suffix.lower() not in (".png", ".jpg", ".jpeg"):
        return "must be a PNG or JPEG file"
    return None
def _page_key(value: str) -> str | None:
    return None if value.isidentifier() else "must be a page name such as timer, review or preferences"


def _relay_url(value: str) -> str | None:
    ok = not value or value.startswith("https://") or value.startswith("http://localhost")
    return None if ok else "must start with https:// (or http://localhost for a test relay)"


_DEFAULT_REDACTIONS = [r"^\(\d+\+?\)\s*", r"^[●•]\s*"]
_MEETING_APPS = [r"zoom", r"\bteams\b", r"meet\.google\.com", r"webex", r"skype", r"jitsi", r"huddle"]

OPTIONS: dict[str, Option[Any]] = {  # type: ignore[var-annotated]  # a tuple of Options of several value types
    o.key: o
    for o in (
        Option("timer.long_running_hours", 8.0, "Warn about timers running longer than (hours)", _between(1, 24)),
        Option("timer.default_project_id", 0, "Default project for timers started without one (0: none)"),
        Option("review.week_start", 0, "First day of the week (0 = Monday … 6 = Sunday)", _between(0, 6)),
        Option("review.daily_hours_limit", 10.0, "Flag days with more hours than", _between(1, 24)),
        Option("review.unclassified_flag_percent", 25, "Flag days with more unclassified activity than (percent)",
               _between(1, 100)),
        Option("app.liveness_seconds", 30, "How often the running app records that it is alive", _between(5, 600)),
        Option("classify.merge_gap_seconds", 300, "Merge captured stretches of one project closer than (seconds)",
               _between(0, 3600)),
        Option("classify.brief_interruption_seconds", 60, "Absorb other activity shorter than (seconds)",
               _between(0, 600)),
        Option("classify.minimum_seconds", 240, "Shortest proposal: shorter stretches join the same project's "
               "nearby time, or show as too short (seconds)", _between(0, 3600)),
        Option("classify.learning", True, "Propose time no rule classifies from what you assigned before "
               "(learned and kept on this computer)"),
        Option("capture.interval_seconds", 1.0, "Capture: sample the active window every (seconds)",
               _between(0.2, 60)),
        Option("capture.idle_seconds", 300, "Capture: idle after no input for (seconds)", _between(30, 7200)),
        Option("capture.exclude_apps", [], "Capture: never record applications matching (regular expressions)",
               _patterns),
        Option("capture.exclude_titles", [], "Capture: never record windows whose title matches (regular expressions)",
               _patterns),
        Option("capture.redactions", list(_DEFAULT_REDACTIONS),
               "Capture: remove from titles (REGEX, or REGEX => REPLACEMENT)", _patterns),
        Option("capture.exclude_private_windows", True, "Capture: never record private/incognito browser windows"),
        Option("capture.tracking_hours", [], "Capture: only during these hours, e.g. 'Mon-Fri 08:00-19:00' "
               "(empty: always)", _hours),
        Option("capture.retention_days", 0, "Capture: delete recorded activity older than (days, 0: keep)",
               _between(0, 3650)),
        Option("idle.prompt", True, "Idle: ask what to do with time away from a running timer"),
        Option("idle.max_away_hours", 4.0, "Idle: after more than (hours) away, drop the time from the timer "
               "without asking and offer it in the review", _between(0.5, 24)),
        Option("idle.meetings_active", False, "Idle: count meeting and call applications as active"),
        Option("idle.meeting_apps", list(_MEETING_APPS), "Idle: meeting and call applications "
               "(regular expressions on the application or title)", _patterns),
        Option("billing.default_rate", "", "Hourly rate when no client, project or task sets one (empty: none)",
               _parses(lambda v: v and parse_amount(v, "default rate")), "decimal"),
        Option("billing.default_cost_rate", "", "Hourly cost when nothing more specific sets one",
               _parses(lambda v: v and parse_amount(v, "default cost rate")), "decimal"),
        Option("billing.currency", "USD", "Currency of clients that set none (ISO 4217)", _parses(check_currency)),
        Option("billing.rounding", "nearest:1", "Billed time rounding, MODE:MINUTES[:line]", _parses(parse_rounding)),
        Option("billing.minimum_minutes", 0, "Minimum billable duration (minutes)", _between(0, 480)),
        Option("billing.minimum_per_line", False, "Apply the minimum to each invoice line instead of each entry"),
        Option("billing.payment_terms_days", 30, "Days until an invoice is due", _between(0, 365)),
        Option("billing.tax", "", "Tax, e.g. GST:5,QST:9.975 (empty: none)", _parses(parse_tax)),
        Option("billing.amounts_are", "exclusive", "Line amounts are exclusive, inclusive or none (no tax)",
               _one_of(AmountsAre)),
        Option("billing.grouping", "task", "Invoice lines per entry, task, project, person, day or summary",
               _one_of(Grouping)),
        Option("billing.description_template", "", "Line description template (empty: one per grouping)",
               _parses(check_template)),
        Option("billing.person", "", "Your name on invoice lines grouped per person (empty: the login name)"),
        Option("billing.invoice_prefix", "INV-", "Prefix of local invoice numbers"),
        Option("billing.weekend_days", "5,6", "Weekend days (0 = Monday … 6 = Sunday)", _parses(parse_weekdays)),
        Option("billing.weekend_multiplier", "1", "Rate multiplier for weekend work", _parses(parse_multiplier),
               "decimal"),
        Option("billing.night_hours", "22:00-06:00", "When night work starts and ends", _parses(parse_night)),
        Option("billing.night_multiplier", "1", "Rate multiplier for night work", _parses(parse_multiplier),
               "decimal"),
        Option("billing.holiday_multiplier", "1", "Rate multiplier for work on listed holidays",
               _parses(parse_multiplier), "decimal"),
        Option("billing.overtime_multiplier", "1", "Rate multiplier beyond the overtime limits",
               _parses(parse_multiplier), "decimal"),
        Option("billing.overtime_daily_hours", 0.0, "Overtime beyond hours per day (0: off)", _between(0, 24)),
        Option("billing.overtime_weekly_hours", 0.0, "Overtime beyond hours per week (0: off)", _between(0, 168)),
        Option("ui.show_window_at_start", False, "Open the main window when TimeTally starts"),
        Option("ui.window_geometry", "", "Main window size and place, as the window saved them"),
        Option("ui.page", "timer", "Main window page shown when it opens (timer, review, activity, ...)",
               _page_key),
        Option("onboarding.privacy_seen", False, "Onboarding: what is recorded was shown, so capture may start"),
        Option("onboarding.finished", False, "Onboarding: finished or skipped, so it does not open at start"),
        Option("app.autostart", False, "Start TimeTally when you log in"),
        Option("shortcuts.enabled", True, "Global keyboard shortcuts (not available on Wayland)"),
        Option("shortcuts.toggle_timer", "<ctrl>+<alt>+t", "Shortcut: start or stop the timer, e.g. <ctrl>+<alt>+t",
               _combo),
        Option("shortcuts.show_timesheet", "<ctrl>+<alt>+y", "Shortcut: show the timesheet (empty: none)", _combo),
        Option("reminders.enabled", True, "Remind me to track time"),
        Option("reminders.hours", ["Mon-Fri 09:00-18:00"], "Reminders: only during these hours, "
               "e.g. 'Mon-Fri 09:00-18:00' (empty: any time)", _hours),
        Option("reminders.idle_minutes", 30, "Reminders: after this many minutes with no timer and no captured work",
               _between(5, 480)),
        Option("notifications.long_running", True, "Warn when a timer runs longer than the limit above"),
        Option("notifications.sync_results", True, "Notify when a sync with the accounting system finishes"),
        Option("sync.invoice_status", "DRAFT", "Send invoices as DRAFT or AUTHORISED (approved)",
               _one_of(["DRAFT", "AUTHORISED"])),
        Option("sync.payments_poll_minutes", 30, "Check sent invoices for payments every (minutes, 0: on demand only)",
               _between(0, 1440)),
        Option("quickbooks.mode", "time", "QuickBooks: send approved time as billable time activities (time) or also "
               "invoice it (invoice), for clients without a mode of their own", _one_of(["time", "invoice"])),
        Option("quickbooks.worker_type", "Employee", "QuickBooks: record time for an Employee or a Vendor",
               _one_of(["Employee", "Vendor"])),
        Option("xero.client_id", "", "Xero: client id of your own Xero app (empty: the one TimeTally ships)"),
        Option("quickbooks.client_id", "", "QuickBooks: client id of your own Intuit app (empty: the one "
               "TimeTally ships)"),
        Option("quickbooks.relay", False, "QuickBooks: exchange tokens through a relay that holds the client secret"),
        Option("quickbooks.relay_url", "", "QuickBooks: token URL of the relay (https)", _relay_url),
        Option("reports.utilisation_target", 75, "Utilisation target: billable share of tracked time (percent)",
               _between(0, 100)),
        Option("business.name", "", "Business: your name or company name on client invoices"),
        Option("business.address", "", "Business: postal address on client invoices (a comma starts a new line)"),
        Option("business.tax_number", "", "Business: tax or VAT number on client invoices (empty: none)"),
        Option("business.logo", "", "Business: logo image on client invoices, a PNG or JPEG file (empty: none)",
               _logo),
    )
}


class SettingsBackend(Protocol):
    def read_settings(self) -> dict[str, Any]: ...
    def write_setting(self, key: str, value: Any) -> None: ...


class Settings:
    """Reads through to a backend; unknown keys are refused so a typo never silently does nothing."""

    def __init__(self, backend: SettingsBackend) -> None:
        self._backend = backend

    def get(self, key: str) -> Any:
        return self._resolve(key, self._backend.read_settings())

    def set(self, key: str, value: Any) -> None:
        self._backend.write_setting(key, self.option(key).validate(value))

    def all(self) -> dict[str, Any]:
        """Every option, from one read of the table."""
        stored = self._backend.read_settings()
        return {key: self._resolve(key, stored) for key in OPTIONS}

    def _resolve(self, key: str, stored: dict[str, Any]) -> Any:
        """The stored value, or the default when it is missing or no longer valid (an option's type changed)."""
        option = self.option(key)
        if key not in stored:
            return option.default
        try:
            return option.validate(stored[key])
        except ValidationError:
            return option.default

    @staticmethod
    def option(key: str) -> Option[Any]:
        try:
            return OPTIONS[key]
        except KeyError:
            raise ValidationError(f"There is no setting named '{key}'; see timetally settings list") from None
