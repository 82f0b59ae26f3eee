"""Invoice lines spread back onto the entries they bill, so reports can cut revenue by task, day or period.

A line holds one price for several entries; each entry gets a share of the line's amount and billed seconds in
proportion to its raw seconds. Shares are whole minor units and whole seconds given out by largest remainder, so
the shares of a line always add up to the line exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from app.domain.invoices import LineKind
from app.domain.money import ZERO, minor_units

FEE_KINDS = (LineKind.FIXED_FEE, LineKind.WITHIN_FEE)


@dataclass(frozen=True, slots=True)
class LineShare:
    """One invoice line (stored or previewed) and the raw seconds of each entry on it."""

    kind: str
    currency: str
    amount: Decimal
    billed_seconds: int
    entries: tuple[tuple[int, int], ...]
    """(entry id, raw seconds) pairs: the weights of the split."""
    invoice: str = ""


@dataclass(frozen=True, slots=True)
class EntryValue:
    currency: str
    invoice: str = ""
    billed_seconds: int = 0
    fee_seconds: int = 0
    overage_seconds: int = 0
    amount: Decimal = ZERO


def split(total: int, weights: Sequence[int]) -> list[int]:
    """`total` in whole parts proportional to `weights` (equal parts when all weigh nothing), summing exactly."""
    if not weights:
        return []
    weights = list(weights) if any(weights) else [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def allocate(lines: Iterable[LineShare]) -> dict[int, EntryValue]:
    """Each entry's share of every line billing it, summed per entry."""
    values: dict[int, EntryValue] = {}
    for line in lines:
        if not line.entries:
            continue
        scale = 10 ** minor_units(line.currency)
        weights = [seconds for _, seconds in line.entries]
        cents = split(int(line.amount * scale), weights)
        billed = split(line.billed_seconds, weights)
        for (entry_id, _), cent, seconds in zip(line.entries, cents, billed, strict=True):
            seen = values.get(entry_id) or EntryValue(line.currency, line.invoice)
            values[entry_id] = replace(
                seen,
                billed_seconds=seen.billed_seconds + seconds,
                fee_seconds=seen.fee_seconds + (seconds if line.kind in FEE_KINDS else 0),
                overage_seconds=seen.overage_seconds + (seconds if line.kind == LineKind.OVERAGE else 0),
                amount=seen.amount + Decimal(cent) / scale,
            )
    return values
