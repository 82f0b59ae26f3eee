"""Taxes: plain and compound components, exclusive and inclusive amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.billing.tax import line_tax
from app.domain.errors import ValidationError
from app.domain.tax import AmountsAre, parse_tax

QUEBEC = parse_tax("GST:5,QST:9.975")
QUEBEC_2012 = parse_tax("GST:5,QST:9.975:compound")


def test_plain_components_share_the_net() -> None:
    tax = line_tax(Decimal("100.00"), QUEBEC, AmountsAre.EXCLUSIVE, "CAD")
    assert tax.shares == (("GST", Decimal("5.00")), ("QST", Decimal("9.98")))
    assert tax.total == Decimal("14.98")


def test_compound_component_is_charged_on_the_earlier_tax_too() -> None:
    tax = line_tax(Decimal("100.00"), QUEBEC_2012, AmountsAre.EXCLUSIVE, "CAD")
    assert tax.shares == (("GST", Decimal("5.00")), ("QST", Decimal("10.47")))
    assert QUEBEC_2012.factor() == Decimal("1.1547375")


def test_inclusive_amounts_are_split_back_to_their_net() -> None:
    tax = line_tax(Decimal("114.98"), QUEBEC, AmountsAre.INCLUSIVE, "CAD")
    assert tax.shares == (("GST", Decimal("5.00")), ("QST", Decimal("9.98")))


def test_no_tax_mode_charges_nothing() -> None:
    assert line_tax(Decimal("100.00"), QUEBEC, AmountsAre.NO_TAX, "CAD").total == 0
    assert line_tax(Decimal("100.00"), parse_tax(""), AmountsAre.EXCLUSIVE, "CAD").total == 0


def test_tax_round_trips_as_text() -> None:
    assert parse_tax(str(QUEBEC_2012)) == QUEBEC_2012
    assert parse_tax("none").components == ()


@pytest.mark.parametrize("spec", ["GST", "GST:abc", "GST:-5", "GST:5:sometimes", ":5", "VAT:101"])
def test_bad_tax_specs(spec: str) -> None:
    with pytest.raises(ValidationError):
        parse_tax(spec)
