"""Choices offered by drop-downs instead of the stored words: one place for the labels a person reads and the
values the settings and services keep, shared by Preferences and onboarding."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.domain.money import MINOR_UNITS
from app.domain.rounding import STEPS_MINUTES

Choices = tuple[tuple[str, str], ...]

ROUNDING_MODES = (("up", "Round up to the next"), ("nearest", "Round to the nearest"),
                  ("down", "Round down to the previous"))


def _minutes(step: int) -> str:
    return "hour" if step == 60 else f"{step} minutes" if step > 1 else "minute"


ROUNDING: Choices = tuple(
    (f"{label} {_minutes(step)}{', per invoice line' if line else ''}", f"{mode}:{step}{':line' if line else ''}")
    for line in (False, True) for mode, label in ROUNDING_MODES for step in STEPS_MINUTES
)
"""Every rounding `parse_rounding` reads, in words: "Round up to the next 15 minutes" is `up:15`."""

CHOICES: dict[str, Choices] = {
    "sync.invoice_status": (("Drafts, to approve in the accounting system", "DRAFT"),
                            ("Approved (authorised), ready to send to the client", "AUTHORISED")),
    "quickbooks.mode": (("Billable time activities only", "time"), ("Time activities and an invoice", "invoice")),
    "quickbooks.worker_type": (("An employee", "Employee"), ("A vendor (contractor)", "Vendor")),
    "billing.amounts_are": (("Exclusive of tax (tax added on top)", "exclusive"),
                            ("Inclusive of tax", "inclusive"), ("No tax", "none")),
    "billing.grouping": (("One line per entry", "entry"), ("One line per task", "task"),
                         ("One line per project", "project"), ("One line per person", "person"),
                         ("One line per day", "day"), ("One summary line", "summary")),
    "billing.rounding": ROUNDING,
}
"""Options whose value is one of a few words, by key: (label, stored value) in the order offered."""

COMMON_CURRENCIES = ("USD", "EUR", "GBP", "AUD", "NZD", "CAD", "CHF", "JPY", "SEK", "NOK", "DKK", "SGD", "ZAR",
                     "INR")


def choice_combo(choices: Choices) -> QComboBox:
    combo = QComboBox()
    for label, value in choices:
        combo.addItem(label, value)
    return combo


def select(combo: QComboBox, value: str) -> None:
    """Select the item holding `value`; a value the list lacks (set by hand) is added as itself, not lost."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def currency_combo(current: str = "USD") -> QComboBox:
    """The common currencies first, then every other ISO 4217 code TimeTally knows; type to jump."""
    combo = QComboBox()
    for code in (*COMMON_CURRENCIES, *sorted(set(MINOR_UNITS) - set(COMMON_CURRENCIES))):
        combo.addItem(code, code)
    select(combo, current)
    return combo
