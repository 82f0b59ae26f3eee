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
from app.sync.quickbooks.query import ANY_STATE, IDS_PER_QUERY, Where, by_ids, fetch_all

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
    return _statuses(client, invoices, payments, cancelled)


def invoices_billing(client: QuickBooksClient, activity_ids: Sequence[str],
                     cancelled: Callable[[], bool] | None = None) -> list[tuple[PaymentStatus, tuple[str, ...]]]:
    """Live invoices whose lines link these time activities (`LinkedTxn` of `TxnType` TimeActivity), however they
    were made, each with the activity ids it bills. Looked for among the invoices of the activities' customers and
    of their parents, since time on a job is usually billed on its parent's invoice."""
    wanted = {str(i) for i in activity_ids}
    if not wanted:
        return []

    def run(text: str) -> Any:
        return client.query(text, cancelled)

    activities = by_ids(run, "TimeActivity", wanted)
    jobs = sorted({str(a["CustomerRef"]["value"]) for a in activities if a.get("CustomerRef")})
    customers = [c for start in range(0, len(jobs), IDS_PER_QUERY)
                 for c in fetch_all(run, "Customer", Where("Id", jobs[start:start + IDS_PER_QUERY]), ANY_STATE)]
    refs = sorted({*jobs, *(str(c["ParentRef"]["value"]) for c in customers if c.get("ParentRef"))})
    invoices, linked = [], {}
    for start in range(0, len(refs), IDS_PER_QUERY):
        for invoice in fetch_all(run, "Invoice", Where("CustomerRef", refs[start:start + IDS_PER_QUERY])):
            ids = {str(t.get("TxnId")) for line in invoice.get("Line") or [] for t in line.get("LinkedTxn") or []
                   if t.get("TxnType") == "TimeActivity"} & wanted
            if ids:
                invoices.append(invoice)
                linked[str(invoice["Id"])] = tuple(sorted(ids, key=lambda i: (len(i), i)))
    found = _statuses(client, invoices, {}, cancelled)
    return [(s, linked[s.remote_id]) for s in found if not s.status.gone]


def _statuses(client: QuickBooksClient, invoices: list[dict[str, Any]], payments: dict[str, dict[str, Any]],
              cancelled: Callable[[], bool] | None) -> list[PaymentStatus]:
    """Each invoice's status, with the payments applied to it (looked up when change data capture did not bring
    them)."""
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
