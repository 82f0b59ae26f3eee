"""Money: exact Decimals, ISO 4217 minor units, half-up rounding, floats refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.errors import ValidationError
from app.domain.money import Money, check_currency, format_money, minor_units, parse_amount, quantize, to_decimal


@pytest.mark.parametrize(("currency", "units"), [("JPY", 0), ("USD", 2), ("EUR", 2), ("BHD", 3), ("KWD", 3)])
def test_minor_units(currency: str, units: int) -> None:
    assert minor_units(currency) == units


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("0.005", "USD", "0.01"), ("0.015", "USD", "0.02"), ("-0.005", "USD", "-0.01"), ("2.5", "JPY", "3"),
     ("1.0005", "BHD", "1.001"), ("10369.0741", "JPY", "10369")],
)
def test_quantize_is_half_up(amount: str, currency: str, expected: str) -> None:
    assert quantize(Decimal(amount), currency) == Decimal(expected)
    assert str(quantize(Decimal(amount), currency)) == expected


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(ValidationError, match="ISO 4217"):
        check_currency("ABC")
    assert check_currency(" usd ") == "USD"


def test_floats_never_become_money() -> None:
    with pytest.raises(TypeError):
        to_decimal(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(0.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        quantize(1.5, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["-5", "abc", "1.23456", "NaN", "Infinity"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_amount(text)


def test_money_adds_only_one_currency() -> None:
    total = Money(Decimal("1.10"), "usd") + Money(Decimal("2.205"), "USD")
    assert total == Money(Decimal("3.31"), "USD")
    with pytest.raises(ValidationError):
        Money(Decimal(1), "USD") + Money(Decimal(1), "EUR")


def test_format_money() -> None:
    assert format_money(Decimal("1234.5"), "USD") == "1,234.50 USD"
    assert format_money(Decimal("1234.5"), "JPY") == "1,235 JPY"
    assert str(Money(Decimal("1.2345"), "BHD")) == "1.235 BHD"
