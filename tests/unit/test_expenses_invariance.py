"""What an expense is billed never depends on which invoices exist, nor on the order they are created, refreshed
or deleted: each expense is marked up and rounded on its own, on a real database."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.invoices import InvoiceDraft, LineKind
from app.domain.money import quantize
from app.domain.periods import Period
from tests.unit.test_billing_invariance import BOTH, WEEKS, fresh_core, template

__all__ = ["template"]  # the module-scoped migrated database, shared with the time invariance test

CURRENCY = {"A": "USD", "B": "JPY"}
expenses = st.lists(st.tuples(
    st.sampled_from(["A", "B"]), st.integers(0, 13), st.integers(1, 2_000_000), st.sampled_from(["0", "10", "12.5",
                                                                                                    "33.333"]),
    st.booleans(), st.sampled_from(["Travel", "Meals"]),
), min_size=1, max_size=8)
steps = st.lists(st.one_of(
    st.tuples(st.just("create"), st.sampled_from([*WEEKS, BOTH]), st.sampled_from([None, "A", "B"]), st.booleans()),
    st.tuples(st.just("refresh"), st.integers(0, 5)),
    st.tuples(st.just("delete"), st.integers(0, 5)),
), max_size=6)


def expense_lines(drafts: list[InvoiceDraft]) -> Counter[Any]:
    return Counter((d.client_name, line.description, line.amount, line.tax) for d in drafts for line in d.lines
                   if line.kind is LineKind.EXPENSE)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expenses, steps)
def test_expense_amounts_do_not_depend_on_how_and_when_invoices_are_made(
        template: Path, utc_zone: None, recorded: list[tuple[Any, ...]], plan: list[tuple[Any, ...]]) -> None:
    core, folder = fresh_core(template)
    try:
        core.settings.set("billing.grouping", "entry")
        core.billing.set_client("A", rate="95.5", currency="USD", tax="GST:5,QST:9.975")
        core.billing.set_client("B", rate="7777", currency="JPY")
        for client in ("A", "B"):
            core.projects.add_project(f"{client}/Work")
        billed = {"A": Decimal(0), "B": Decimal(0)}
        for client, day, cents, markup, billable, category in recorded:
            amount = Decimal(cents).scaleb(-2) if client == "A" else Decimal(cents)
            core.expenses.add(f"{client}/Work", WEEKS[0].first + timedelta(days=day), str(amount), category,
                              markup=markup, billable=billable, description=f"#{day}-{cents}")
            if billable:
                billed[client] += quantize(amount * (1 + Decimal(markup) / 100), CURRENCY[client])
        core.expenses.approve_period(Period(date(2026, 11, 1), date(2026, 12, 31)))
        expected = expense_lines(core.billing.preview(BOTH))
        for step in plan:
            numbers = [d.number for d in core.billing.drafts()]
            if step[0] == "create":
                _, period, client, per_project = step
                core.billing.create(period, client, per_project=per_project)
            elif numbers and step[0] == "refresh":
                assert core.billing.refresh(numbers[step[1] % len(numbers)]).revision == 1
            elif numbers:
                core.billing.delete(numbers[step[1] % len(numbers)])
        core.billing.create(BOTH)
        drafts = core.billing.drafts()
        assert expense_lines(drafts) == expected
        for client, total in billed.items():
            assert sum((line.amount for d in drafts if d.client_name == client for line in d.lines
                        if line.kind is LineKind.EXPENSE), Decimal(0)) == total
    finally:
        core.close()
        shutil.rmtree(folder)
