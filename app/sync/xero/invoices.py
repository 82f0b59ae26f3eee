"""Local drafts as Xero invoices: the request body, and Xero's per-invoice answer as results.

`PUT /Invoices?summarizeErrors=false` creates a batch and answers 200 with each invoice's own `HasErrors` and
`ValidationErrors`, so one refused invoice does not take the others down with it. An invoice already sent is
replaced with `POST /Invoices` carrying its `InvoiceID`, which Xero allows only while it is a draft.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from app.sync.provider import InvoicePush, PushResult, RemoteStatus
from app.sync.xero.client import validation_messages

BATCH_SIZE = 50
_AMOUNTS = {"exclusive": "Exclusive", "inclusive": "Inclusive", "none": "NoTax"}
STATUSES = {
    "DRAFT": RemoteStatus.DRAFT, "SUBMITTED": RemoteStatus.SUBMITTED, "AUTHORISED": RemoteStatus.OPEN,
    "PAID": RemoteStatus.PAID, "VOIDED": RemoteStatus.VOIDED, "DELETED": RemoteStatus.DELETED,
}


def to_xero(invoice: InvoicePush) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Type": "ACCREC",
        "Contact": {"ContactID": invoice.customer_code},
        "Date": invoice.issue_date.isoformat(),
        "DueDate": invoice.due_date.isoformat(),
        "LineAmountTypes": _AMOUNTS.get(invoice.amounts_are, "Exclusive"),
        "Reference": invoice.reference or invoice.number,
        "CurrencyCode": invoice.currency,
        "Status": "AUTHORISED" if invoice.authorise else "DRAFT",
        "LineItems": [_line(line) for line in invoice.lines],
    }
    if invoice.remote_id:
        body["InvoiceID"] = invoice.remote_id
    return body


def _line(line: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"Description": line.description, "Quantity": line.quantity,
                            "UnitAmount": line.unit_amount, "LineAmount": line.amount}
    if line.account_code:
        item["AccountCode"] = line.account_code
    if line.item_code:
        item["ItemCode"] = line.item_code
    if line.tax_type:
        item["TaxType"] = line.tax_type
    if line.tracking:
        item["Tracking"] = [{"Name": name, "Option": option} for name, option in line.tracking[:2]]
    return item


def transformed(invoices: Sequence[InvoicePush]) -> str:
    """For the audit log: which local invoice became which Xero fields (no amounts beyond the totals)."""
    return json.dumps([{
        "local": i.number, "key": i.key, "contact": i.customer_code, "remote_id": i.remote_id or None,
        "lines": len(i.lines), "total": str(sum((line.amount for line in i.lines), start=0)),
        "accounts": sorted({line.account_code for line in i.lines if line.account_code}),
        "tax_types": sorted({line.tax_type for line in i.lines if line.tax_type}),
    } for i in invoices])


def remote_ids(body: Any) -> tuple[str, ...]:
    return tuple(str(i.get("InvoiceID", "")) for i in (body or {}).get("Invoices") or [] if i.get("InvoiceID"))


def results(invoices: Sequence[InvoicePush], status: int, body: Any) -> list[PushResult]:
    """One result per invoice sent, in order. A whole-request 400 refuses every invoice with Xero's sentences."""
    answered = (body or {}).get("Invoices") if isinstance(body, dict) else None
    if status >= 400 or not isinstance(answered, list) or len(answered) != len(invoices):
        messages = tuple(validation_messages(body)) or (f"Xero refused the request (HTTP {status}).",)
        if isinstance(body, dict) and len(body.get("Elements") or []) == len(invoices):
            return [PushResult(i.key, False, errors=tuple(validation_messages(e)) or messages)
                    for i, e in zip(invoices, body["Elements"], strict=True)]
        return [PushResult(i.key, False, errors=messages) for i in invoices]
    return [_result(i, a) for i, a in zip(invoices, answered, strict=True)]


def _result(invoice: InvoicePush, answer: dict[str, Any]) -> PushResult:
    warnings = tuple(str(w.get("Message")) for w in answer.get("Warnings") or [] if w.get("Message"))
    if answer.get("HasErrors") or answer.get("ValidationErrors"):
        errors = tuple(validation_messages(answer)) or ("Xero refused this invoice without saying why.",)
        return PushResult(invoice.key, False, errors=errors, warnings=warnings)
    return PushResult(invoice.key, True, str(answer.get("InvoiceID", "")), str(answer.get("InvoiceNumber") or ""),
                      STATUSES.get(str(answer.get("Status", "")).upper()), warnings=warnings,
                      total=answer.get("Total"), tax_total=answer.get("TotalTax"))
