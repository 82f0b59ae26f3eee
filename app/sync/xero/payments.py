"""Payments back from Xero: `GET /Invoices?IDs=...` with `If-Modified-Since`, read as `PaymentStatus` values.

PAID with `FullyPaidOnDate` is paid in full on that day; an authorised invoice with some `AmountPaid` is part-paid;
VOIDED and DELETED invoices no longer bill their entries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from app.sync.provider import PaymentLine, PaymentStatus, RemoteStatus
from app.sync.xero.client import XeroClient, parse_day, parse_ms_date
from app.sync.xero.invoices import STATUSES

IDS_PER_REQUEST = 100
"""Xero answers pages of 100 invoices; asking for at most 100 ids keeps each answer to one page."""


def fetch(client: XeroClient, remote_ids: Sequence[str], since: datetime | None = None,
          cancelled: Callable[[], bool] | None = None) -> list[PaymentStatus]:
    found: list[PaymentStatus] = []
    for start in range(0, len(remote_ids), IDS_PER_REQUEST):
        chunk = remote_ids[start:start + IDS_PER_REQUEST]
        answer = client.get("Invoices", {"IDs": ",".join(chunk), "page": "1"}, since=since, cancelled=cancelled)
        if answer.status == 304:
            continue
        found += [status(i) for i in (answer.body or {}).get("Invoices") or []]
    return found


def status(invoice: dict[str, Any]) -> PaymentStatus:
    total = _money(invoice.get("Total"))
    paid = _money(invoice.get("AmountPaid"))
    due = _money(invoice.get("AmountDue"), total - paid)
    remote = STATUSES.get(str(invoice.get("Status", "")).upper(), RemoteStatus.OPEN)
    if remote is RemoteStatus.OPEN and paid > 0:
        remote = RemoteStatus.PART_PAID
    payments = tuple(PaymentLine(parse_day(p.get("Date")), _money(p.get("Amount")))
                     for p in invoice.get("Payments") or [] if str(p.get("Status", "AUTHORISED")) != "DELETED")
    paid_on = parse_day(invoice.get("FullyPaidOnDate"))
    if remote is RemoteStatus.PAID and paid_on is None:
        paid_on = max((p.day for p in payments if p.day), default=None)
    return PaymentStatus(str(invoice.get("InvoiceID", "")), remote, total, paid, due, paid_on,
                         str(invoice.get("InvoiceNumber") or ""), parse_ms_date(invoice.get("UpdatedDateUTC")),
                         payments)


def _money(value: Any, default: Decimal = Decimal(0)) -> Decimal:
    return Decimal(str(value)) if value is not None else default
