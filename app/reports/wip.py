"""Work in progress: approved time no invoice holds yet, by client, with what it is worth and how long it has waited.

Age counts local days from the day the work was done to `today`; old work in progress is money left on the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo
from decimal import Decimal

from app.domain.money import ZERO
from app.reports.values import PricedEntry

AGE_BUCKETS = ("0-30", "31-60", "61-90", "90+")


def age_bucket(days: int) -> str:
    return AGE_BUCKETS[min(3, max(0, days - 1) // 30)]


@dataclass(frozen=True, slots=True)
class WipRow:
    client: str
    currency: str
    entries: int
    raw_seconds: int
    billed_seconds: int
    value: Decimal
    oldest: date
    age_days: int
    """Days since the oldest entry's local day."""
    average_age_days: int
    """Raw-seconds-weighted mean age, in whole days."""
    unpriced_seconds: int = 0
    age_seconds: dict[str, int] = field(default_factory=dict)
    """Raw seconds per age bucket: 0-30, 31-60, 61-90 and 90+ days."""


@dataclass(frozen=True, slots=True)
class Wip:
    today: date
    rows: tuple[WipRow, ...]
    totals: tuple[WipRow, ...]
    """One per currency; `client` is "Total"."""


def is_wip(entry: PricedEntry) -> bool:
    return entry.status == "approved" and not entry.invoice and entry.billable


def _row(client: str, currency: str, entries: Sequence[PricedEntry], today: date, tz: tzinfo) -> WipRow:
    days = [e.start.astimezone(tz).date() for e in entries]
    raw = sum(e.seconds for e in entries)
    weighted = sum((today - d).days * e.seconds for d, e in zip(days, entries, strict=True))
    ages = dict.fromkeys(AGE_BUCKETS, 0)
    for d, e in zip(days, entries, strict=True):
        ages[age_bucket((today - d).days)] += e.seconds
    return WipRow(client, currency, len(entries), raw, sum(e.billed_seconds for e in entries),
                  sum((e.uninvoiced for e in entries), ZERO), min(days), (today - min(days)).days,
                  round(weighted / raw) if raw else 0, sum(e.seconds for e in entries if not e.priced), ages)


def build_wip(entries: Sequence[PricedEntry], today: date, tz: tzinfo) -> Wip:
    """Only approved, billable, uninvoiced entries count; others given are ignored."""
    waiting = [e for e in entries if is_wip(e)]
    clients: dict[tuple[str, str], list[PricedEntry]] = {}
    currencies: dict[str, list[PricedEntry]] = {}
    for entry in waiting:
        clients.setdefault((entry.client_name, entry.currency), []).append(entry)
        currencies.setdefault(entry.currency, []).append(entry)
    rows = sorted((_row(c, cur, found, today, tz) for (c, cur), found in clients.items()),
                  key=lambda r: (r.client.casefold(), r.currency))
    totals = [_row("Total", cur, currencies[cur], today, tz) for cur in sorted(currencies)]
    return Wip(today, tuple(rows), tuple(totals))
