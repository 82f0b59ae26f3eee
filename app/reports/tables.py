"""Reports as titled tables of cells: one shape the CLI prints, the exports write and the window shows.

Cells keep their types (Decimal, int, date, text) so a spreadsheet gets numbers, not text; hours are decimal
hours to two places, money is at its currency's minor unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.domain.money import quantize
from app.reports.profitability import Level, Profitability, ProfitRow
from app.reports.receivables import BUCKETS, Receivables
from app.reports.utilisation import UseRow, Utilisation
from app.reports.values import HOUR
from app.reports.wip import Wip

Cell = str | int | Decimal | date | None
UNKNOWN = "—"
"""A value that cannot be told, e.g. a margin without a cost rate."""


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: int = 0
    """How many of the last rows are totals (shown bold, left out when sorting)."""
    empty: str = ""
    """Why the table has no rows, said where the rows would be."""


def hours(seconds: int) -> Decimal:
    return (Decimal(seconds) / HOUR).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _money(amount: Decimal | None, currency: str) -> Decimal | None:
    return None if amount is None else quantize(amount, currency)


def _profit_cells(row: ProfitRow, level: Level) -> tuple[Cell, ...]:
    names: tuple[Cell, ...] = (row.client,)
    if level is not Level.CLIENT:
        names += (row.project,)
    if level is Level.TASK:
        names += (row.task,)
    c = row.currency
    known = row.margin_known  # without a cost rate the margin is unknown, not the whole revenue
    return (*names, c, hours(row.raw_seconds), hours(row.billable_seconds), hours(row.billed_seconds),
            _money(row.invoiced, c), _money(row.uninvoiced, c), _money(row.revenue, c),
            _money(row.cost, c), _money(row.margin, c) if known else UNKNOWN,
            row.margin_percent if known else UNKNOWN, row.effective_rate)


def profitability_tables(report: Profitability) -> list[Table]:
    level = report.level
    names = {Level.CLIENT: ("Client",), Level.PROJECT: ("Client", "Project"),
             Level.TASK: ("Client", "Project", "Task")}[level]
    columns = (*names, "Currency", "Raw h", "Billable h", "Billed h", "Invoiced", "Not invoiced", "Revenue", "Cost",
               "Margin", "Margin %", "Per hour")
    rows = [_profit_cells(r, level) for r in report.rows] + [_profit_cells(t, level) for t in report.totals]
    tables = [Table(f"Profitability by {level}", columns, tuple(rows), len(report.totals),
                    "No work for a client was tracked in this period.")]
    if report.fixed_fees:
        fee_columns = ("Client", "Project", "Currency", "Fee", "Budget h", "Used h", "Used %", "Left h", "Overage h",
                       "Raw h", "Revenue", "Cost", "Margin", "Per hour")
        fee_rows = tuple(
            (f.client, f.project, f.currency, _money(f.fee, f.currency), hours(f.budget_seconds),
             hours(f.fee_seconds), f.used_percent, hours(f.remaining_seconds), hours(f.overage_seconds),
             hours(f.raw_seconds), _money(f.revenue, f.currency), _money(f.cost, f.currency),
             _money(f.margin, f.currency), f.effective_rate)
            for f in report.fixed_fees)
        tables.append(Table("Fixed-fee projects (all time)", fee_columns, fee_rows))
    return tables


def _use_cells(row: UseRow, report: Utilisation) -> tuple[Cell, ...]:
    met = report.met(row)
    return (row.label, hours(row.tracked_seconds), hours(row.billable_seconds), hours(row.non_billable_seconds),
            hours(row.unassigned_seconds), row.share, report.target_percent,
            "" if met is None else "yes" if met else "no")


def utilisation_tables(report: Utilisation) -> list[Table]:
    tail = ("Tracked h", "Billable h", "Non-billable h", "Unassigned h", "Billable %", "Target %", "Met")
    weeks = (*(_use_cells(r, report) for r in report.weeks), _use_cells(report.total, report))
    days = tuple(_use_cells(r, report) for r in report.days)
    return [Table("Utilisation per week", ("Week", *tail), weeks, 1),
            Table("Utilisation per day", ("Day", *tail), days)]


def wip_tables(report: Wip) -> list[Table]:
    columns = ("Client", "Currency", "Entries", "Raw h", "Billed h", "Value", "Oldest", "Age (days)",
               "Average age (days)")
    rows = tuple((r.client, r.currency, r.entries, hours(r.raw_seconds), hours(r.billed_seconds),
                  _money(r.value, r.currency), r.oldest, r.age_days, r.average_age_days)
                 for r in (*report.rows, *report.totals))
    return [Table(f"Work in progress on {report.today}", columns, rows, len(report.totals),
                  "No approved work waits to be invoiced.")]


def receivables_tables(report: Receivables) -> list[Table]:
    columns = ("Client", "Currency", *(f"{b} days" if b[0].isdigit() else b.capitalize() for b in BUCKETS),
               "Total", "Invoices")
    rows = tuple((r.client, r.currency, *(_money(r.amounts[b], r.currency) for b in BUCKETS),
                  _money(r.total, r.currency), r.invoices) for r in (*report.rows, *report.totals))
    detail = tuple((o.invoice.number, o.invoice.remote_number, o.invoice.client_name, o.invoice.provider,
                    o.invoice.status.replace("_", "-"), o.invoice.issue_date, o.invoice.due_date, o.days_overdue,
                    o.bucket, o.invoice.currency, _money(o.invoice.total, o.invoice.currency),
                    _money(o.invoice.amount_due, o.invoice.currency)) for o in report.invoices)
    tables = [
        Table(f"Receivables on {report.as_of}", columns, rows, len(report.totals),
              "Nothing is owed: no invoice sent to Xero or QuickBooks is waiting for payment."),
        Table("Unpaid invoices", ("Invoice", "Remote number", "Client", "System", "Status", "Issued", "Due",
                                  "Days overdue", "Bucket", "Currency", "Total", "Amount due"), detail,
              empty="No unpaid invoices. Payments come back when you sync payments."),
    ]
    if report.not_issued:
        waiting = tuple((i.number, i.client_name, i.provider, i.status, i.issue_date, i.currency,
                         _money(i.total, i.currency)) for i in report.not_issued)
        tables.append(Table("Not issued yet (unsent, or draft in the accounting system)",
                            ("Invoice", "Client", "System", "Status", "Issued", "Currency", "Total"), waiting))
    return tables


def text(cell: Cell) -> str:
    if cell is None:
        return ""
    return str(cell)


def render(table: Table) -> str:
    """Plain aligned columns for a terminal: text left, numbers right."""
    cells = [list(table.columns)] + [[text(c) for c in row] for row in table.rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(table.columns))]
    numeric = [all(isinstance(row[i], int | Decimal) or row[i] is None for row in table.rows) and bool(table.rows)
               for i in range(len(table.columns))]
    lines = [table.title]
    split_at = len(cells) - table.total_rows
    for n, row in enumerate(cells):
        if n == split_at and table.total_rows:
            lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join(v.rjust(w) if numeric[i] else v.ljust(w)
                               for i, (v, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    return "\n".join(lines)
