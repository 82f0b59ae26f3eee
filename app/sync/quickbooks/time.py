"""Approved entries as QuickBooks `TimeActivity` records: who worked (`NameOf` with `EmployeeRef`/`VendorRef`), for
which customer or job, on which service item, on which day, for how long (`Hours` and `Minutes` 0-59), at which
`HourlyRate`, billable or not. QuickBooks sets `HasBeenBilled` itself once the time is on an invoice.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.sync.provider import TimePush

DESCRIPTION_LIMIT = 4000


def worker_code(kind: str, remote_id: str) -> str:
    """How a `TimePush.worker` names the person: `Employee:55` or `Vendor:12`."""
    return f"{kind}:{remote_id}"


def split_worker(code: str) -> tuple[str, str]:
    kind, _, remote_id = code.partition(":")
    return kind, remote_id


def hours_minutes(seconds: int) -> tuple[int, int]:
    """Whole minutes, rounded half up (QuickBooks keeps no seconds on billable time), as hours and minutes."""
    minutes = int((Decimal(seconds) / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return divmod(minutes, 60)


def to_time_activity(push: TimePush) -> dict[str, Any]:
    kind, worker = split_worker(push.worker)
    hours, minutes = hours_minutes(push.seconds)
    billable = push.billable and push.hourly_rate is not None
    body: dict[str, Any] = {
        "NameOf": kind, f"{kind}Ref": {"value": worker}, "CustomerRef": {"value": push.customer_code},
        "TxnDate": push.day.isoformat(), "Hours": hours, "Minutes": minutes,
        "BillableStatus": "Billable" if billable else "NotBillable",
        "Description": push.description[:DESCRIPTION_LIMIT],
    }
    if push.item_code:
        body["ItemRef"] = {"value": push.item_code}
    if billable:
        body["HourlyRate"] = push.hourly_rate
    return body


def describe(push: TimePush) -> dict[str, Any]:
    return {"entry": push.entry_id, "key": push.key, "customer": push.customer_code, "item": push.item_code or None,
            "day": push.day.isoformat(), "seconds": push.seconds, "billable": push.billable}
