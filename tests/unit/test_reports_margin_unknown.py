"""A margin without a cost rate is unknown, not the whole revenue: the tables show "—" for it."""

from __future__ import annotations

from decimal import Decimal

from app.reports.profitability import Level, build_profitability
from app.reports.tables import UNKNOWN, profitability_tables
from tests.unit.test_reports_profitability import NOV, entry


def test_margin_is_unknown_where_time_has_no_cost_rate() -> None:
    work = [entry(1, "2", "Acme", "Web", billed_seconds=7200, uninvoiced=Decimal(200), cost=Decimal(80)),
            entry(2, "1", "Globex", "App", billed_seconds=3600, uninvoiced=Decimal(100), costed=False)]
    report = build_profitability(work, NOV, Level.CLIENT)
    acme, globex = report.rows
    assert (acme.margin_known, globex.margin_known, globex.uncosted_seconds) == (True, False, 3600)
    [table, *_] = profitability_tables(report)
    margin, share = table.columns.index("Margin"), table.columns.index("Margin %")
    rows = {row[0]: row for row in table.rows}
    assert (rows["Acme"][margin], rows["Acme"][share]) == (Decimal("120.00"), Decimal("60.0"))
    assert (rows["Globex"][margin], rows["Globex"][share]) == (UNKNOWN, UNKNOWN)
    assert table.rows[-1][margin] == UNKNOWN  # the total holds Globex's uncosted hour too
