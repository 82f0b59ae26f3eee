"""Reports as JSON: amounts, hours and percentages as decimal strings (never JSON numbers, so no reader turns
them into floats); seconds and counts as integers; amounts always beside their currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.domain.money import quantize
from app.reports.profitability import FeeRow, Profitability, ProfitRow
from app.reports.receivables import BUCKETS, AgeRow, Receivables
from app.reports.tables import hours
from app.reports.utilisation import UseRow, Utilisation
from app.reports.wip import Wip, WipRow


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _m(amount: Decimal, currency: str) -> str:
    return str(quantize(amount, currency))


def _profit(row: ProfitRow) -> dict[str, Any]:
    c = row.currency
    return {"client": row.client, "project": row.project or None, "task": row.task or None, "currency": c,
            "raw_seconds": row.raw_seconds, "billable_seconds": row.billable_seconds,
            "billed_seconds": row.billed_seconds, "unpriced_seconds": row.unpriced_seconds,
            "raw_hours": str(hours(row.raw_seconds)), "billed_hours": str(hours(row.billed_seconds)),
            "invoiced": _m(row.invoiced, c), "not_invoiced": _m(row.uninvoiced, c), "revenue": _m(row.revenue, c),
            "cost": _m(row.cost, c), "margin": _m(row.margin, c), "margin_percent": _s(row.margin_percent),
            "effective_rate": _s(row.effective_rate)}


def _fee(row: FeeRow) -> dict[str, Any]:
    c = row.currency
    return {"client": row.client, "project": row.project, "currency": c, "fee": _m(row.fee, c),
            "budget_seconds": row.budget_seconds, "used_seconds": row.fee_seconds,
            "remaining_seconds": row.remaining_seconds, "overage_seconds": row.overage_seconds,
            "raw_seconds": row.raw_seconds, "used_percent": _s(row.used_percent), "revenue": _m(row.revenue, c),
            "cost": _m(row.cost, c), "margin": _m(row.margin, c), "effective_rate": _s(row.effective_rate)}


def profitability_json(report: Profitability) -> dict[str, Any]:
    return {"report": "profitability", "from": str(report.period.first), "to": str(report.period.last),
            "by": str(report.level), "rows": [_profit(r) for r in report.rows],
            "totals": [_profit(t) for t in report.totals], "fixed_fees": [_fee(f) for f in report.fixed_fees]}


def _use(row: UseRow, report: Utilisation) -> dict[str, Any]:
    return {"label": row.label, "from": str(row.first), "to": str(row.last), "tracked_seconds": row.tracked_seconds,
            "billable_seconds": row.billable_seconds, "non_billable_seconds": row.non_billable_seconds,
            "unassigned_seconds": row.unassigned_seconds, "billable_percent": _s(row.share),
            "met_target": report.met(row)}


def utilisation_json(report: Utilisation) -> dict[str, Any]:
    return {"report": "utilisation", "from": str(report.period.first), "to": str(report.period.last),
            "target_percent": str(report.target_percent), "days": [_use(d, report) for d in report.days],
            "weeks": [_use(w, report) for w in report.weeks], "total": _use(report.total, report)}


def _wip(row: WipRow) -> dict[str, Any]:
    return {"client": row.client, "currency": row.currency, "entries": row.entries, "raw_seconds": row.raw_seconds,
            "billed_seconds": row.billed_seconds, "unpriced_seconds": row.unpriced_seconds,
            "value": _m(row.value, row.currency), "oldest": str(row.oldest), "age_days": row.age_days,
            "average_age_days": row.average_age_days, "age_seconds": row.age_seconds}


def wip_json(report: Wip) -> dict[str, Any]:
    return {"report": "wip", "as_of": str(report.today), "rows": [_wip(r) for r in report.rows],
            "totals": [_wip(t) for t in report.totals]}


def _age(row: AgeRow) -> dict[str, Any]:
    return {"client": row.client, "currency": row.currency, "invoices": row.invoices,
            "buckets": {b: _m(row.amounts[b], row.currency) for b in BUCKETS}, "total": _m(row.total, row.currency)}


def receivables_json(report: Receivables) -> dict[str, Any]:
    return {
        "report": "receivables", "as_of": str(report.as_of), "rows": [_age(r) for r in report.rows],
        "totals": [_age(t) for t in report.totals],
        "invoices": [{"number": o.invoice.number, "remote_number": o.invoice.remote_number or None,
                      "client": o.invoice.client_name, "provider": o.invoice.provider or None,
                      "status": o.invoice.status, "issue_date": str(o.invoice.issue_date),
                      "due_date": str(o.invoice.due_date), "days_overdue": o.days_overdue, "bucket": o.bucket,
                      "currency": o.invoice.currency, "total": _m(o.invoice.total, o.invoice.currency),
                      "amount_due": _m(o.invoice.amount_due, o.invoice.currency)} for o in report.invoices],
        "not_issued": [{"number": i.number, "client": i.client_name, "provider": i.provider or None,
                        "status": i.status, "issue_date": str(i.issue_date), "currency": i.currency,
                        "total": _m(i.total, i.currency)} for i in report.not_issued],
    }
