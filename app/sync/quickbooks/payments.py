"""Payments back from QuickBooks: change data capture for invoices and payments changed since the last check
(at most 30 days back), queries by id otherwise, read as `PaymentStatus` values.

`Balance == 0` with `TotalAmt > 0` is paid (on the day of the last payment applied to it); a smaller balance is
part-paid; a voided invoice keeps total and balance 0; a deleted one comes back from change data capture with
`status: Deleted` and is missing from queries. Time activities are not covered by change data capture, so their
`BillableStatus` is read by query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.sync.provider import PaymentLine, PaymentStatus, RemoteStatus
from app.sync.quickbooks.client import QuickBooksClient
from app.sync.quickbooks.invoices import status_of
from app.sync.quickbooks.query import by_ids

CDC_DAYS = 30
BILLED = "HasBeenBilled"


def fetch(client: QuickBooksClient, remote_ids: Sequence[str], since: datetime | None = None,
          cancelled: Callable[[], bool] | None = None) -> list[PaymentStatus]:
    wanted = set(remote_ids)
    if not wanted:
        return []
    recent = since is not None and since > datetime.now(UTC) - timedelta(days=CDC_DAYS - 1)
    if recent and since is not None:
        invoices, payments = _changes(client, since, cancelled)
        invoices = [i for i in invoices if str(i.get("Id")) in wanted]
    else:
        invoices = by_ids(lambda q: client.query(q, cancelled), "Invoice", wanted)
        found = {str(i.get("Id")) for i in invoices}
        invoices += [{"Id": i, "status": "Deleted"} for i in sorted(wanted - found)]
        payments = {}
    needed = {t["TxnId"] for i in invoices for t in i.get("LinkedTxn") or [] if t.get("TxnType") == "Payment"}
    missing = sorted(str(i) for i in needed if str(i) not in payments)
    if missing:
        payments.update({str(p["Id"]): p for p in by_ids(lambda q: client.query(q, cancelled), "Payment", missing)})
    return [status(i, payments) for i in invoices]


def _changes(client: QuickBooksClient, since: datetime,
             cancelled: Callable[[], bool] | None) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    moment = since.astimezone(UTC).replace(microsecond=0).isoformat()
    answer = client.get("cdc", {"entities": "Invoice,Payment", "changedSince": moment}, cancelled)
    invoices: list[dict[str, Any]] = []
    payments: dict[str, dict[str, Any]] = {}
    for change in (answer.body or {}).get("CDCResponse") or []:
        for response in change.get("QueryResponse") or []:
            invoices += response.get("Invoice") or []
            payments.update({str(p["Id"]): p for p in response.get("Payment") or [] if p.get("status") != "Deleted"})
    return invoices, payments


def status(invoice: dict[str, Any], payments: dict[str, dict[str, Any]]) -> PaymentStatus:
    remote_id = str(invoice.get("Id", ""))
    if invoice.get("status") == "Deleted":
        return PaymentStatus(remote_id, RemoteStatus.DELETED, Decimal(0), Decimal(0), Decimal(0))
    total, balance = _money(invoice.get("TotalAmt")), _money(invoice.get("Balance"))
    remote = status_of({"TotalAmt": total, "Balance": balance})
    lines = tuple(_applied(payments[str(t["TxnId"])], remote_id) for t in invoice.get("LinkedTxn") or []
                  if t.get("TxnType") == "Payment" and str(t.get("TxnId")) in payments)
    paid_on = max((p.day for p in lines if p.day), default=None) if remote is RemoteStatus.PAID else None
    return PaymentStatus(remote_id, remote, total, total - balance, balance, paid_on,
                         str(invoice.get("DocNumber") or ""), _moment(invoice), lines)


def billed(client: QuickBooksClient, activity_ids: Sequence[str],
           cancelled: Callable[[], bool] | None = None) -> dict[str, str]:
    """The `BillableStatus` of each time activity still in QuickBooks, by id."""
    found = by_ids(lambda q: client.query(q, cancelled), "TimeActivity", activity_ids)
    return {str(a["Id"]): str(a.get("BillableStatus", "")) for a in found}


def _applied(payment: dict[str, Any], invoice_id: str) -> PaymentLine:
    amount = sum((_money(line.get("Amount")) for line in payment.get("Line") or []
                  if any(str(t.get("TxnId")) == invoice_id for t in line.get("LinkedTxn") or [])), start=Decimal(0))
    day = payment.get("TxnDate")
    return PaymentLine(date.fromisoformat(day) if day else None, amount)


def _moment(record: dict[str, Any]) -> datetime | None:
    text = (record.get("MetaData") or {}).get("LastUpdatedTime")
    try:
        return datetime.fromisoformat(text).astimezone(UTC) if text else None
    except ValueError:
        return None


def _money(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)
