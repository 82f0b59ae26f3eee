"""Drafts as JSON, CSV, plain text and HTML (for the PDF): one place decides how an invoice reads."""

from __future__ import annotations

import csv
import html
import io
from decimal import Decimal
from typing import Any

from app.billing.invoices import hours
from app.domain.invoices import InvoiceDraft, InvoiceLine, ShortEntry
from app.domain.money import format_money
from app.domain.timefmt import format_duration

CSV_COLUMNS = ("invoice", "client", "currency", "project", "description", "kind", "raw_hours", "billed_hours",
               "quantity", "unit", "unit_amount", "multiplier", "amount", "tax", "entry_ids")


def line_json(line: InvoiceLine) -> dict[str, Any]:
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_amount": str(line.unit_amount),
        "amount": str(line.amount),
        "tax": str(line.tax),
        "kind": str(line.kind),
        "unit": line.unit,
        "project": line.project_name,
        "raw_hours": str(hours(line.raw_seconds)),
        "billed_hours": str(hours(line.billed_seconds)),
        "raw_seconds": line.raw_seconds,
        "billed_seconds": line.billed_seconds,
        "rate": str(line.rate),
        "multiplier": str(line.multiplier),
        "taxes": [{"name": name, "amount": str(amount)} for name, amount in line.taxes],
        "entry_ids": list(line.entry_ids),
        "category": line.category or None,
    }


def draft_json(draft: InvoiceDraft) -> dict[str, Any]:
    """Amounts as decimal strings, never numbers, so no JSON reader turns them into floats."""
    return {
        "client": draft.client_name,
        "currency": draft.currency,
        "lines": [line_json(line) for line in draft.lines],
        "subtotal": str(draft.subtotal),
        "tax_total": str(draft.tax_total),
        "total": str(draft.total),
        "number": draft.number or None,
        "id": draft.uid or None,
        "revision": draft.revision or None,
        "amounts_are": str(draft.amounts_are),
        "grouping": str(draft.grouping),
        "period": {"from": str(draft.period_first), "to": str(draft.period_last)},
        "issue_date": str(draft.issue_date),
        "due_date": str(draft.due_date),
        "raw_hours": str(hours(draft.raw_seconds)),
        "billed_hours": str(hours(draft.billed_seconds)),
        "cost_total": str(draft.cost_total),
        "project_subtotals": [
            {"project": s.project_name, "raw_hours": str(hours(s.raw_seconds)),
             "billed_hours": str(hours(s.billed_seconds)), "amount": str(s.amount), "tax": str(s.tax)}
            for s in draft.project_subtotals
        ],
        "entry_ids": list(draft.entry_ids),
        "expense_ids": list(draft.expense_ids),
        "flags": [{"flag": "short_entry", "entry_id": s.entry_id, "start": s.start.isoformat(),
                   "raw_seconds": s.raw_seconds, "message": short_entry_text(s)} for s in draft.short_entries],
    }


def short_entry_text(entry: ShortEntry) -> str:
    """Why an entry under a minute is worth a look before the invoice goes out."""
    start = entry.start.astimezone().strftime("%Y-%m-%d %H:%M")
    return (f"Entry #{entry.entry_id} ({start}) lasted only {entry.raw_seconds} s; check it is real work "
            "before sending: a minimum or rounding can bill it as much more")


def drafts_csv(drafts: list[InvoiceDraft]) -> str:
    """One row per line of every draft, amounts as written on the invoice."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for draft in drafts:
        for line in draft.lines:
            writer.writerow([
                draft.number, draft.client_name, draft.currency, line.project_name, line.description, line.kind,
                hours(line.raw_seconds), hours(line.billed_seconds), line.quantity, line.unit, line.unit_amount,
                line.multiplier, line.amount, line.tax, " ".join(map(str, line.entry_ids)),
            ])
    return out.getvalue()


def title(draft: InvoiceDraft) -> str:
    number = draft.number or "preview"
    return f"{number} · {draft.client_name} · {draft.period_first} – {draft.period_last} · due {draft.due_date}"


def bare_amount(value: Decimal, draft: InvoiceDraft) -> str:
    """An amount at the currency's minor unit, without the currency code."""
    return format_money(value, draft.currency).rsplit(" ", 1)[0]


def totals_text(draft: InvoiceDraft) -> str:
    tax_word = {"inclusive": "Tax included", "none": "No tax"}.get(str(draft.amounts_are), "Tax")
    return (f"Subtotal {bare_amount(draft.subtotal, draft)}  {tax_word} {bare_amount(draft.tax_total, draft)}  "
            f"Total {format_money(draft.total, draft.currency)}")


def draft_text(draft: InvoiceDraft) -> list[str]:
    """Lines for a terminal: raw and billed time side by side with the money."""
    rows = [title(draft), f"  {'Raw':>6} {'Billed':>6} {'Qty':>8} {'Unit':>10} {'Amount':>12} {'Tax':>10}  Description"]
    for line in draft.lines:
        rows.append(
            f"  {format_duration(line.raw_seconds):>6} {format_duration(line.billed_seconds):>6} "
            f"{line.quantity:>8} {line.unit_amount:>10} {bare_amount(line.amount, draft):>12} "
            f"{bare_amount(line.tax, draft):>10}  {line.description}"
        )
    if len(draft.project_subtotals) > 1:
        for sub in draft.project_subtotals:
            rows.append(f"  {sub.project_name}: {format_duration(sub.billed_seconds)} billed, "
                        f"{bare_amount(sub.amount, draft)}")
    rows.append(f"  {totals_text(draft)}")
    rows += [f"  ! {short_entry_text(entry)}" for entry in draft.short_entries]
    return rows


def draft_html(draft: InvoiceDraft) -> str:
    """A printable page for Qt's rich text engine (no scripts, no external resources)."""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in ("Description", "Raw h", "Billed h", "Qty", "Unit price", "Amount",
                                                  "Tax"))
    body = "".join(
        "<tr>" + "".join(f"<td>{e(str(cell))}</td>" for cell in (
            line.description, hours(line.raw_seconds), hours(line.billed_seconds), line.quantity, line.unit_amount,
            bare_amount(line.amount, draft), bare_amount(line.tax, draft))) + "</tr>"
        for line in draft.lines
    )
    subtotals = "".join(f"<p>{e(s.project_name)}: {e(bare_amount(s.amount, draft))}</p>"
                        for s in draft.project_subtotals if len(draft.project_subtotals) > 1)
    return (f"<h2>{e(draft.number or 'Invoice draft')}</h2><p>{e(draft.client_name)}<br>"
            f"Period {draft.period_first} – {draft.period_last}<br>Issued {draft.issue_date}, due {draft.due_date}</p>"
            f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{head}</tr>{body}</table>"
            f"{subtotals}<p><b>{e(totals_text(draft))}</b></p>")
