"""Sales tax as values: how amounts relate to tax and the named components of a rate; stored as their text.

A compound component is charged on the amount plus every component before it (Quebec's QST until 2012);
a plain component on the amount alone (GST + QST since 2013: 5 % + 9.975 % = 14.975 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.money import ZERO, parse_amount

_HUNDRED = Decimal(100)


class AmountsAre(StrEnum):
    """How line amounts relate to tax, named as accounting systems name it."""

    EXCLUSIVE = "exclusive"
    INCLUSIVE = "inclusive"
    NO_TAX = "none"


@dataclass(frozen=True, slots=True)
class TaxComponent:
    name: str
    percent: Decimal
    compound: bool = False


@dataclass(frozen=True, slots=True)
class TaxRate:
    components: tuple[TaxComponent, ...] = ()

    def __str__(self) -> str:
        return ",".join(f"{c.name}:{c.percent}{':compound' if c.compound else ''}" for c in self.components)

    def shares(self, net: Decimal) -> list[Decimal]:
        """Each component's exact (unrounded) tax on the net amount."""
        taxes: list[Decimal] = []
        for component in self.components:
            base = net + sum(taxes, ZERO) if component.compound else net
            taxes.append(base * component.percent / _HUNDRED)
        return taxes

    def factor(self) -> Decimal:
        """Gross / net: what one unit of net amount becomes with every component added."""
        return 1 + sum(self.shares(Decimal(1)), ZERO)


NO_TAX_RATE = TaxRate()


def parse_tax(spec: str) -> TaxRate:
    """`GST:5,QST:9.975` or `GST:5,QST:9.975:compound`; an empty text or `none` means no tax."""
    text = spec.strip()
    if not text or text.lower() == "none":
        return NO_TAX_RATE
    components = []
    for part in text.split(","):
        bits = [b.strip() for b in part.split(":")]
        if len(bits) not in (2, 3) or not bits[0] or (len(bits) == 3 and bits[2].lower() != "compound"):
            raise ValidationError(f"'{part}' is not a tax in the form NAME:PERCENT[:compound], e.g. GST:5")
        percent = parse_amount(bits[1], f"{bits[0]} percentage", places=4)
        if percent > _HUNDRED:
            raise ValidationError(f"The {bits[0]} percentage cannot exceed 100 ({bits[1]})")
        components.append(TaxComponent(bits[0], percent, len(bits) == 3))
    return TaxRate(tuple(components))
