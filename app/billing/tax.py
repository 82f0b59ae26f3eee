"""Sales taxes applied to line amounts that exclude or include tax; the rate and mode values are the domain's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.money import ZERO, quantize
from app.domain.tax import AmountsAre, TaxRate


@dataclass(frozen=True, slots=True)
class LineTax:
    """A line's tax per component, each rounded once, and their sum."""

    shares: tuple[tuple[str, Decimal], ...]

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.shares), ZERO)


def line_tax(amount: Decimal, rate: TaxRate, amounts_are: AmountsAre, currency: str) -> LineTax:
    """Tax of a line whose amount is already at the minor unit.

    Inclusive amounts are first brought back to their exact net (amount / factor); each component is then
    rounded half-up once, so the printed tax of every line can be recomputed by hand.
    """
    if amounts_are is AmountsAre.NO_TAX or not rate.components:
        return LineTax(())
    net = amount if amounts_are is AmountsAre.EXCLUSIVE else amount / rate.factor()
    shares = rate.shares(net)
    return LineTax(tuple((c.name, quantize(s, currency)) for c, s in zip(rate.components, shares, strict=True)))
