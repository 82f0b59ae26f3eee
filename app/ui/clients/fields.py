"""Input widgets for billing settings: each shows "not set" (the level above applies) until a value is chosen,
and gives back the text the billing service parses, so its sentences judge what was entered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.domain.money import MINOR_UNITS
from app.domain.rounding import STEPS_MINUTES, parse_rounding

NOT_SET = "not set"
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "INR")
MAX_AMOUNT = 999_999_999.99


class AmountField(QDoubleSpinBox):
    """An amount with two decimals and a unit; its lowest step reads "not set"."""

    def __init__(self, unit: str, unset: str = NOT_SET) -> None:
        super().__init__()
        self.setRange(-0.01, MAX_AMOUNT)
        self.setDecimals(2)
        self.setSingleStep(5)
        self.setSpecialValueText(unset)
        self.setSuffix(f" {unit}" if unit else "")
        self.setMinimumWidth(150)

    def text_value(self) -> str | None:
        return None if self.value() < 0 else f"{Decimal(str(self.value())):.2f}"

    def set_amount(self, amount: Decimal | None) -> None:
        self.setValue(-0.01 if amount is None else float(amount))


class CountField(QSpinBox):
    """Whole units (minutes, days, hours) from 0 up; below 0 reads "not set"."""

    def __init__(self, suffix: str, maximum: int, unset: str = NOT_SET) -> None:
        super().__init__()
        self.setRange(-1, maximum)
        self.setSpecialValueText(unset)
        self.setSuffix(f" {suffix}")
        self.setMinimumWidth(120)

    def number(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_number(self, value: int | None) -> None:
        self.setValue(-1 if value is None else value)


class ChoiceField(QComboBox):
    """A drop-down of words the service takes; the first entry means "not set"."""

    def __init__(self, choices: list[tuple[str, str]], unset: str = NOT_SET) -> None:
        super().__init__()
        self.addItem(unset, None)
        for label, value in choices:
            self.addItem(label, value)

    def choice(self) -> str | None:
        data = self.currentData()
        return data if isinstance(data, str) else None

    def set_choice(self, value: str | None) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


class CurrencyPicker(ChoiceField):
    """Common currencies first, then every ISO 4217 code TimeTally knows."""

    def __init__(self, default: str = "") -> None:
        rest = sorted(set(MINOR_UNITS) - set(COMMON_CURRENCIES))
        super().__init__([(code, code) for code in (*COMMON_CURRENCIES, *rest)],
                         f"workspace default{f' ({default})' if default else ''}")


class RoundingField(QWidget):
    """Mode, step in minutes and whether it applies per invoice line: `MODE:MINUTES[:line]`."""

    def __init__(self, unset: str = NOT_SET) -> None:
        super().__init__()
        self.mode = ChoiceField([("nearest", "nearest"), ("up", "up"), ("down", "down")], unset)
        self.step = QComboBox()
        for minutes in STEPS_MINUTES:
            self.step.addItem(f"{minutes} min", minutes)
        self.per_line = QCheckBox("per invoice line")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.mode, self.step, self.per_line):
            layout.addWidget(widget)
        layout.addStretch()
        self.mode.currentIndexChanged.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        for widget in (self.step, self.per_line):
            widget.setEnabled(self.mode.choice() is not None)

    def spec(self) -> str | None:
        mode = self.mode.choice()
        if mode is None:
            return None
        return f"{mode}:{self.step.currentData()}{':line' if self.per_line.isChecked() else ''}"

    def set_spec(self, spec: str | None) -> None:
        if not spec:
            self.mode.set_choice(None)
            return
        rounding = parse_rounding(spec)
        self.mode.set_choice(str(rounding.mode))
        self.step.setCurrentIndex(max(self.step.findData(rounding.step_minutes), 0))
        self.per_line.setChecked(str(rounding.scope) == "line")


class TaxField(QLineEdit):
    def __init__(self, unset: str = NOT_SET) -> None:
        super().__init__()
        self.setPlaceholderText(f"{unset} · e.g. GST:5,QST:9.975 or none")
        self.setMinimumWidth(320)

    def spec(self) -> str | None:
        return self.text().strip() or None

    def set_spec(self, spec: str | None) -> None:
        self.setText("none" if spec == "" else spec or "")


class SinceField(QWidget):
    """The day a rate change applies from; unticked, the service decides (today, or always for a first rate)."""

    def __init__(self, today: date) -> None:
        super().__init__()
        self.enabled = QCheckBox("from")
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setEnabled(False)
        self.enabled.toggled.connect(self.day.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.day)
        layout.addStretch()
        self.enabled.setToolTip("Unticked: a first rate applies to all work, a change applies from today")

    def value(self) -> date | None:
        day = self.day.date().toPython()
        return day if self.enabled.isChecked() and isinstance(day, date) else None
