"""Local drafts as QuickBooks invoices whose lines bill the time activities they come from.

Each line is a `SalesItemLineDetail` (item, Qty × UnitPrice = Amount, service date, tax code) and carries
`LinkedTxn` entries of `TxnType` TimeActivity, so QuickBooks marks that time as billed. The local number goes in
`PrivateNote`: QuickBooks numbers invoices itself (`DocNumber`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.sync.provider import InvoicePush, LinePush, RemoteStatus

Links = Sequence[Sequence[str]]
"""Per line of an invoice, the ids of the time activities it bills."""


def to_invoice(push: InvoicePush, links: Links, default_item: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "CustomerRef": {"value": push.customer_code},
        "TxnDate": push.issue_date.isoformat(),
        "DueDate": push.due_date.isoformat(),
        "PrivateNote": f"TimeTally {push.reference or push.number}",
        "Line": [_line(line, links[n] if n < len(links) else (), default_item) for n, line in enumerate(push.lines)],
    }
    return body


def _line(line: LinePush, linked: Sequence[str], default_item: str) -> dict[str, Any]:
    detail: dict[str, Any] = {"ItemRef": {"value": line.item_code or default_item}, "Qty": line.quantity,
                              "UnitPrice": line.unit_amount}
    if line.service_date:
        detail["ServiceDate"] = line.service_date.isoformat()
    if line.tax_type:
        detail["TaxCodeRef"] = {"value": line.tax_type}
    body: dict[str, Any] = {"DetailType": "SalesItemLineDetail", "Amount": line.amount,
                            "Description": line.description, "SalesItemLineDetail": detail}
    if linked:
        body["LinkedTxn"] = [{"TxnId": str(i), "TxnType": "TimeActivity"} for i in linked]
    return body


def status_of(invoice: dict[str, Any]) -> RemoteStatus:
    """Balance 0 with a total is paid; 0 < Balance < TotalAmt part-paid; a voided invoice has total and balance 0."""
    total, balance = invoice.get("TotalAmt", 0), invoice.get("Balance", 0)
    if total == 0 and balance == 0:
        return RemoteStatus.VOIDED
    if balance == 0:
        return RemoteStatus.PAID
    if balance < total:
        return RemoteStatus.PART_PAID
    return RemoteStatus.OPEN


def describe(push: InvoicePush, links: Links) -> dict[str, Any]:
    return {"local": push.number, "key": push.key, "customer": push.customer_code, "remote_id": push.remote_id or None,
            "lines": len(push.lines), "total": str(sum((line.amount for line in push.lines), start=0)),
            "time_activities": sum(len(ids) for ids in links)}
