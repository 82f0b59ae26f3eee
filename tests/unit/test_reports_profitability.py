"""Profitability worked by hand (docs/reports.md, "Profitability"): rows per project and task, totals per
currency, fixed fees against their budget."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.domain.periods import Period
from app.reports.profitability import Level, build_profitability
from app.reports.tables import profitability_tables
from app.reports.values import FeeBudget, PricedEntry

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))
D = Decimal
CLIENTS = {"Acme": 1, "Globex": 2}
PROJECTS = {"Web": 10, "Support": 11, "Fixed": 12, "App": 20}


def entry(entry_id: int, hours: str, client: str, project: str, currency: str = "USD", **kw: object) -> PricedEntry:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC) + timedelta(days=entry_id)
    end = start + timedelta(seconds=int(D(hours) * 3600))
    return PricedEntry(entry_id, start, end, CLIENTS[client], client, PROJECTS[project], project, currency,
                       **kw)  # type: ignore[arg-type]


WORK = [
    entry(1, "2", "Acme", "Web", task_name="Design", billed_seconds=7200, invoiced=D("200.00"), cost=D(80),
          invoice="INV-0001", status="invoiced"),
    entry(2, "1.5", "Acme", "Web", task_name="Build", billed_seconds=5400, uninvoiced=D("150.00"), cost=D(60),
          status="approved"),
    entry(3, "0.5", "Acme", "Web", billable=False, cost=D(20)),
    entry(4, "3", "Globex", "App", "EUR", billed_seconds=10800, invoiced=D("240.00"), invoice="INV-0002"),
    entry(5, "1", "Acme", "Support", priced=False, cost=D(40)),
]


def test_rows_per_project_worked_by_hand() -> None:
    report = build_profitability(WORK, NOV, Level.PROJECT)
    support, web, app = report.rows
    assert (support.client, support.project, support.currency) == ("Acme", "Support", "USD")
    assert (support.raw_seconds, support.unpriced_seconds, support.revenue, support.margin) == (3600, 3600, 0, -40)
    assert support.margin_percent is None
    assert (web.raw_seconds, web.billable_seconds, web.billed_seconds) == (14400, 12600, 12600)
    assert (web.invoiced, web.uninvoiced, web.revenue, web.cost, web.margin) == (200, 150, 350, 160, 190)
    assert web.margin_percent == D("54.3")
    assert web.effective_rate == D("87.50")
    assert (app.currency, app.revenue, app.margin_percent, app.effective_rate) == ("EUR", 240, D("100.0"), D("80.00"))


def test_totals_are_per_currency_never_summed_across() -> None:
    eur, usd = build_profitability(WORK, NOV).totals
    assert (eur.currency, eur.raw_seconds, eur.revenue) == ("EUR", 10800, 240)
    assert (usd.currency, usd.raw_seconds, usd.revenue, usd.cost, usd.margin) == ("USD", 18000, 350, 200, 150)
    assert usd.margin_percent == D("42.9")
    assert usd.effective_rate == D("70.00")


def test_rows_per_client_and_task() -> None:
    acme, globex = build_profitability(WORK, NOV, Level.CLIENT).rows
    assert (acme.client, acme.project, acme.revenue) == ("Acme", "", 350)
    assert globex.revenue == 240
    tasks = {(r.project, r.task): r.revenue for r in build_profitability(WORK, NOV, Level.TASK).rows}
    assert tasks == {("Support", "(no task)"): 0, ("Web", "(no task)"): 0, ("Web", "Build"): 150,
                     ("Web", "Design"): 200, ("App", "(no task)"): 240}


def test_fixed_fee_against_budget() -> None:
    budget = FeeBudget(12, "Acme", "Fixed", "USD", D(1000), 10 * 3600, D(120))
    fee_work = [
        entry(6, "6", "Acme", "Fixed", fee_seconds=21600, billed_seconds=21600, invoiced=D(1000), cost=D(300)),
        entry(7, "5", "Acme", "Fixed", fee_seconds=14400, overage_seconds=3600, billed_seconds=18000,
              uninvoiced=D(120), cost=D(250)),
    ]
    (row,) = build_profitability([], NOV, budgets=[budget], fee_entries=fee_work).fixed_fees
    assert (row.raw_seconds, row.fee_seconds, row.remaining_seconds, row.overage_seconds) == (39600, 36000, 0, 3600)
    assert row.used_percent == D("100.0")
    assert (row.revenue, row.cost, row.margin) == (1120, 550, 570)
    assert row.effective_rate == D("101.82")


def test_table_cells_are_rounded_to_the_currency() -> None:
    odd = [entry(1, "1", "Acme", "Web", invoiced=D("100.00"), cost=D(40) * D(6000) / D(3600))]
    table = profitability_tables(build_profitability(odd, NOV))[0]
    assert table.columns[:3] == ("Client", "Project", "Currency")
    assert table.rows[0][9] == D("66.67")  # cost column
    assert table.total_rows == 1


def test_weekly_figures_per_currency_with_empty_weeks() -> None:
    weeks = build_profitability(WORK, NOV).weeks
    assert [w.label for w in weeks if w.currency == "USD"] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47",
                                                              "2026-W48", "2026-W49"]  # Monday 30 November
    w45 = [w for w in weeks if w.label == "2026-W45"]
    assert [(w.currency, w.raw_seconds, w.revenue, w.cost) for w in w45] == [
        ("EUR", 10800, D(240), D(0)), ("USD", 18000, D(350), D(200))]
    assert all(w.revenue == 0 for w in weeks if w.label == "2026-W46")
