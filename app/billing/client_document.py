"""The invoice a client receives, laid out as rich text: the business's details and logo, the client, number and
dates, lines with time in h:mm and amounts at the currency's minor unit, tax per component, the terms, and an
optional timesheet appendix. Pure: values in, HTML out (Qt's rich text engine prints it to PDF)."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from decimal import Decimal
from typing import Any

from app.billing.export import bare_amount
from app.domain.invoices import InvoiceDraft
from app.domain.money import format_money
from app.domain.timefmt import format_duration
from app.domain.work import WorkItem

LOGO = "logo"
"""The name the logo image is registered under in the document."""


@dataclass(frozen=True, slots=True)
class Business:
    name: str = ""
    address: str = ""
    tax_number: str = ""
    logo: str = ""

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> Business:
        return cls(*(str(values.get(f"business.{key}", "")).strip() for key in ("name", "address", "tax_number",
                                                                                  "logo")))


@dataclass(frozen=True, slots=True)
class TimesheetRow:
    day: date
    work: str
    description: str
    seconds: int


def timesheet_rows(entries: Sequence[WorkItem], tz: tzinfo) -> list[TimesheetRow]:
    """One row per entry. The entries' descriptions are already those that may leave the computer: text taken
    from window titles is left out by the billing store."""
    return [TimesheetRow(e.start.astimezone(tz).date(), " · ".join(filter(None, (e.project_name, e.task_name))),
                         e.description, int((e.end - e.start).total_seconds())) for e in entries]


def _lines(text: str) -> str:
    """An address typed on one line with commas, or on several lines, as lines."""
    parts = [p.strip() for chunk in text.splitlines() for p in chunk.split(",")]
    return "<br>".join(html.escape(p) for p in parts if p)


def _tax_components(draft: InvoiceDraft) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in draft.lines:
        for name, amount in line.taxes:
            totals[name] += amount
    return dict(totals)


def client_invoice_html(draft: InvoiceDraft, business: Business, timesheet: Sequence[TimesheetRow] | None = None,
                        with_logo: bool = False) -> str:
    e = html.escape

    def money(value: Decimal) -> str:
        return bare_amount(value, draft)

    header_left = (f"<img src='{LOGO}' height='64'><br>" if with_logo else "") + (
        f"<span style='font-size:16pt; font-weight:bold'>{e(business.name)}</span><br>" if business.name else "")
    header_left += _lines(business.address)
    if business.tax_number:
        header_left += f"<br>Tax number: {e(business.tax_number)}"
    days = (draft.due_date - draft.issue_date).days
    header_right = (f"<span style='font-size:20pt; font-weight:bold'>Invoice</span><br>"
                    f"<b>{e(draft.number or 'Draft')}</b><br>Issued {draft.issue_date}<br>Due {draft.due_date}<br>"
                    f"Work from {draft.period_first} to {draft.period_last}")
    rows = []
    for line in draft.lines:
        hourly = line.unit == "hours"
        quantity = format_duration(line.billed_seconds) if hourly else f"{line.quantity.normalize():f}"
        unit = f"{money(line.unit_amount)} / h" if hourly else money(line.unit_amount)
        rows.append(f"<tr><td>{e(line.description)}</td><td align='right'>{quantity}</td>"
                    f"<td align='right'>{unit}</td><td align='right'>{money(line.amount)}</td></tr>")
    tax_word = {"inclusive": "included", "none": ""}.get(str(draft.amounts_are), "")
    sums = [("Subtotal", money(draft.subtotal))]
    sums += [(f"{name}{f' ({tax_word})' if tax_word else ''}", money(amount))
             for name, amount in _tax_components(draft).items()]
    totals = [f"<tr><td colspan='2'></td><td align='right'>{e(label)}</td><td align='right'>{value}</td></tr>"
              for label, value in sums]
    totals.append(f"<tr><td colspan='2'></td><td align='right'><b>Total</b></td>"
                  f"<td align='right'><b>{e(format_money(draft.total, draft.currency))}</b></td></tr>")
    terms = (f"Payment is due within {days} days, by {draft.due_date}." if days > 0
             else f"Payment is due on receipt ({draft.due_date}).")
    page = (
        "<table width='100%' cellpadding='0'><tr>"
        f"<td valign='top'>{header_left}</td><td valign='top' align='right'>{header_right}</td></tr></table>"
        f"<p style='margin-top:18px'><b>Bill to</b><br>{e(draft.client_name)}</p>"
        "<table width='100%' cellspacing='0' cellpadding='5' style='border-collapse:collapse'>"
        "<tr style='background:#eeeeee'><th align='left'>Description</th><th align='right'>Time</th>"
        f"<th align='right'>Unit price</th><th align='right'>Amount</th></tr>{''.join(rows)}"
        f"<tr><td colspan='4'></td></tr>{''.join(totals)}</table>"
        f"<p style='margin-top:24px'>{e(terms)}</p>"
    )
    if timesheet:
        page += _appendix(timesheet)
    return page


def _appendix(rows: Sequence[TimesheetRow]) -> str:
    e = html.escape
    body = "".join(f"<tr><td>{r.day}</td><td>{e(r.work)}</td><td>{e(r.description)}</td>"
                   f"<td align='right'>{format_duration(r.seconds)}</td></tr>" for r in rows)
    total = format_duration(sum(r.seconds for r in rows))
    return ("<h3 style='page-break-before:always'>Timesheet</h3>"
            "<table width='100%' cellspacing='0' cellpadding='4'><tr style='background:#eeeeee'>"
            "<th align='left'>Day</th><th align='left'>Work</th><th align='left'>Notes</th>"
            f"<th align='right'>Time</th></tr>{body}<tr><td></td><td></td><td><b>Total</b></td>"
            f"<td align='right'><b>{total}</b></td></tr></table>")
