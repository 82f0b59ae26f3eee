"""The billing forms of a client, a project and a task. Each remembers what it showed, so saving sends only what
the user changed: an untouched "not set" never overwrites a value set elsewhere (the command line, an import)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QProgressBar, QWidget

from app.billing.catalog import ProjectSummary, Rates, TaskSummary
from app.billing.service import ClientSummary
from app.domain.timefmt import format_duration
from app.ui.clients.fields import (
    AmountField,
    ChoiceField,
    CountField,
    CurrencyPicker,
    RoundingField,
    SinceField,
    TaxField,
)

TAX_MODES = [("exclusive of tax", "exclusive"), ("inclusive of tax", "inclusive"), ("no tax", "none")]


class BillingForm(QWidget):
    """Fields by the keyword the billing service takes; `changes()` holds only what differs from `load()`."""

    edited = Signal()

    inherited = "workspace default"
    """What "not set" means at this level: the value of the level above applies."""

    def __init__(self, today: date) -> None:
        super().__init__()
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self._fields: dict[str, tuple[Callable[[], Any], Callable[[Any], None]]] = {}
        self._loaded: dict[str, Any] = {}
        self.rate = AmountField("/ h", self.inherited)
        self.cost_rate = AmountField("/ h", self.inherited)
        self.since = SinceField(today)
        self.add("rate", "Rate", self.rate, self.rate.text_value, self.rate.set_amount)
        self.add("cost_rate", "Cost rate", self.cost_rate, self.cost_rate.text_value, self.cost_rate.set_amount)
        self.layout_.addRow("Rate change applies", self.since)

    def add(self, key: str, label: str, widget: QWidget, get: Callable[[], Any], put: Callable[[Any], None]) -> None:
        self._fields[key] = (get, put)
        self.layout_.addRow(label, widget)
        for signal in ("valueChanged", "currentIndexChanged", "textEdited", "toggled"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(self.edited)

    def load(self, values: dict[str, Any]) -> None:
        for key, (get, put) in self._fields.items():
            put(values.get(key))
            self._loaded[key] = get()
        self.since.enabled.setChecked(False)

    def changes(self) -> dict[str, Any]:
        found = {key: get() for key, (get, _) in self._fields.items() if get() != self._loaded.get(key)}
        for key in ("rate", "cost_rate"):  # clearing a rate is not a change the service knows
            if key in found and found[key] is None:
                del found[key]
        if self.since.value() is not None and ("rate" in found or "cost_rate" in found):
            found["effective_from"] = self.since.value()
        return found


def _rates(rates: Rates) -> dict[str, Decimal | None]:
    return {"rate": rates.rate, "cost_rate": rates.cost_rate}


class ClientForm(BillingForm):
    def __init__(self, today: date, attach: bool = False) -> None:
        """`attach` offers the choice to attach the timesheet and receipts to invoices sent to Xero or QuickBooks."""
        super().__init__(today)
        self.currency = CurrencyPicker()
        self.rounding = RoundingField(self.inherited)
        self.minimum = CountField("min", 480, self.inherited)
        self.terms = CountField("days", 365, self.inherited)
        self.tax = TaxField(self.inherited)
        self.tax_mode = ChoiceField(TAX_MODES, self.inherited)
        self.add("currency", "Currency", self.currency, self.currency.choice, self.currency.set_choice)
        self.add("rounding", "Rounding", self.rounding, self.rounding.spec, self.rounding.set_spec)
        self.add("minimum", "Minimum billed", self.minimum, self.minimum.number, self.minimum.set_number)
        self.add("terms", "Payment terms", self.terms, self.terms.number, self.terms.set_number)
        self.add("tax", "Tax", self.tax, self.tax.spec, self.tax.set_spec)
        self.add("amounts_are", "Amounts are", self.tax_mode, self.tax_mode.choice, self.tax_mode.set_choice)
        self.attach = QCheckBox("attach the timesheet PDF and expense receipts")
        self.attach.setToolTip("Sent invoices carry them in Xero (shown with the online invoice) or QuickBooks")
        if attach:
            self.add("attach", "In Xero / QuickBooks", self.attach, self.attach.isChecked,
                     lambda on: self.attach.setChecked(bool(on)))

    def show_client(self, summary: ClientSummary) -> None:
        b = summary.billing
        self.load({"rate": summary.rate, "cost_rate": summary.cost_rate, "currency": b.currency,
                   "rounding": _spec(b.rounding), "terms": b.terms_days, "tax": _spec(b.tax),
                   "amounts_are": b.amounts_are, "attach": b.attach_proof,
                   "minimum": None if b.minimum_seconds is None else b.minimum_seconds // 60})

    def changes(self) -> dict[str, Any]:
        found = super().changes()
        if "minimum" in found:
            found["minimum"] = f"{found['minimum']}m"
        return found


class ProjectForm(BillingForm):
    inherited = "as the client"

    def __init__(self, today: date) -> None:
        super().__init__(today)
        self.billable = QCheckBox("time on this project is billable by default")
        self.rounding = RoundingField(self.inherited)
        self.minimum = CountField("min", 480, self.inherited)
        self.tax = TaxField(self.inherited)
        self.fixed_fee = AmountField("", "none")
        self.budget = CountField("h", 100_000, "none")
        self.overage_rate = AmountField("/ h")
        self.add("billable", "Billable", self.billable, self.billable.isChecked,
                 lambda value: self.billable.setChecked(bool(value)))
        self.add("rounding", "Rounding", self.rounding, self.rounding.spec, self.rounding.set_spec)
        self.add("minimum", "Minimum billed", self.minimum, self.minimum.number, self.minimum.set_number)
        self.add("tax", "Tax", self.tax, self.tax.spec, self.tax.set_spec)
        self.add("fixed_fee", "Fixed fee", self.fixed_fee, self.fixed_fee.text_value, self.fixed_fee.set_amount)
        self.add("budget", "Budget", self.budget, self.budget.number, self.budget.set_number)
        self.add("overage_rate", "Beyond the budget", self.overage_rate, self.overage_rate.text_value,
                 self.overage_rate.set_amount)
        self.budget_bar = QProgressBar()
        self.budget_bar.setTextVisible(True)
        self.budget_bar.setMinimumWidth(320)
        self.budget_note = QLabel()
        self.budget_note.setWordWrap(True)
        self.budget_note.setMinimumWidth(320)
        self.layout_.addRow("Budget used", self.budget_bar)
        self.layout_.addRow("", self.budget_note)

    def show_project(self, summary: ProjectSummary) -> None:
        b = summary.billing
        self.load({**_rates(summary.rates), "billable": summary.project.billable, "rounding": _spec(b.rounding),
                   "minimum": None if b.minimum_seconds is None else b.minimum_seconds // 60, "tax": _spec(b.tax),
                   "fixed_fee": b.fixed_fee, "overage_rate": b.overage_rate,
                   "budget": None if b.budget_seconds is None else b.budget_seconds // 3600})
        show_budget(self.budget_bar, self.budget_note, summary)

    def changes(self) -> dict[str, Any]:
        found = super().changes()
        if "minimum" in found:
            found["minimum"] = f"{found['minimum']}m"
        if "budget" in found:
            found["budget"] = f"{found['budget']}h"
        if "fixed_fee" in found and found["fixed_fee"] is None:
            found["fixed_fee"] = "none"
        return found


def show_budget(bar: QProgressBar, note: QLabel, summary: ProjectSummary) -> None:
    """Worked h:mm against the budget; red once it is spent. Without a budget the bar says so."""
    share = summary.budget_share
    worked = format_duration(summary.worked_seconds)
    bar.setRange(0, 100)
    if share is None:
        bar.setValue(0)
        bar.setFormat("no budget")
        note.setText(f"{worked} worked in all. Set a budget to see how much of it is used.")
        bar.setStyleSheet("")
        return
    bar.setValue(min(100, round(share * 100)))
    bar.setFormat(f"{worked} of {format_duration(summary.billing.budget_seconds or 0)} ({share:.0%})")
    note.setText("Over budget: time beyond it is billed at the rate beyond the budget." if share > 1 else "")
    bar.setStyleSheet("QProgressBar::chunk { background: #c0392b; }" if share > 1 else "")


class TaskForm(BillingForm):
    """Only rates can be set per task."""

    inherited = "as the project"

    def show_task(self, summary: TaskSummary) -> None:
        self.load(_rates(summary.rates))


def _spec(value: object | None) -> str | None:
    """A stored rounding or tax as the text its field shows; None when the client or project has none."""
    return None if value is None else str(value)
