"""Money as `Decimal` with ISO 4217 minor units; floats are refused so no binary fraction reaches an amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.domain.errors import ValidationError

_ZERO_DIGITS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_DIGITS = "BHD IQD JOD KWD LYD OMR TND"
_TWO_DIGITS = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF "
    "CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF "
    "IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR "
    "MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD "
    "SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR "
    "ZMW ZWL"
)

MINOR_UNITS: dict[str, int] = {
    **{code: 2 for code in _TWO_DIGITS.split()},
    **{code: 0 for code in _ZERO_DIGITS.split()},
    **{code: 3 for code in _THREE_DIGITS.split()},
}

ZERO = Decimal(0)
MAX_WHOLE_DIGITS = 12
"""Digits before the point of any amount a user gives (rates, fees, multipliers): up to 999,999,999,999.9999.
Far beyond any hourly rate in any currency, and small enough that hours times rate times multiplier stays
exact within Decimal's 28 digits, so no stored amount can make an invoice or report fail."""
MAX_MULTIPLIER = Decimal(10)


def check_currency(code: str) -> str:
    """The upper-case ISO 4217 code, or an error naming what was typed."""
    normal = code.strip().upper()
    if normal not in MINOR_UNITS:
        raise ValidationError(f"'{code}' is not an ISO 4217 currency code TimeTally knows, e.g. USD, EUR, JPY")
    return normal


def minor_units(currency: str) -> int:
    return MINOR_UNITS[check_currency(currency)]


def to_decimal(value: Decimal | int | str, what: str = "amount") -> Decimal:
    """An exact Decimal from text, an int or a Decimal. A float is a programming error, not user input."""
    if isinstance(value, float):
        raise TypeError(f"{what} must not be a float: {value!r}")
    if isinstance(value, bool):
        raise TypeError(f"{what} must not be a bool")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    else:
        text = value.strip().replace("_", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"'{value}' is not a number for the {what}") from None
    if not result.is_finite():
        raise ValidationError(f"The {what} must be a finite number, not '{value}'")
    return result


def parse_amount(text: Decimal | int | str, what: str = "amount", places: int = 4) -> Decimal:
    """A non-negative amount as a user types it, with at most `places` decimals (what accounting systems take)."""
    amount = to_decimal(text, what)
    if amount < 0:
        raise ValidationError(f"The {what} cannot be negative ({text})")
    if amount.adjusted() >= MAX_WHOLE_DIGITS:
        raise ValidationError(f"The {what} '{text}' is too large: amounts have at most {MAX_WHOLE_DIGITS} digits "
                              "before the decimal point")
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(f"The {what} '{text}' has more than {places} decimal places")
    return amount


def parse_multiplier(text: Decimal | int | str, what: str = "multiplier") -> Decimal:
    """A rate multiplier (weekend, night, holiday, overtime): 0 to 10, at most 4 decimals."""
    factor = parse_amount(text, what)
    if factor > MAX_MULTIPLIER:
        raise ValidationError(f"The {what} '{text}' is above {MAX_MULTIPLIER}; a rate multiplier is 0 to 10")
    return factor


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit: the single rounding step of every money amount."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount already at its currency's minor unit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, not {type(self.amount).__name__}")
        object.__setattr__(self, "currency", check_currency(self.currency))
        object.__setattr__(self, "amount", quantize(self.amount, self.currency))

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValidationError(f"Cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


def format_money(amount: Decimal, currency: str) -> str:
    """`1,234.50 USD`: grouped, at the currency's minor unit."""
    places = minor_units(currency)
    return f"{quantize(amount, currency):,.{places}f} {check_currency(currency)}"
