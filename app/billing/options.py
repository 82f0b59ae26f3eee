"""The settings billing owns (prices, invoices and the business on them); `BillingService.book` reads them typed,
from one snapshot of the table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.billing.multipliers import parse_night, parse_weekdays
from app.billing.templates import check_template
from app.domain.invoices import Grouping
from app.domain.money import check_currency, parse_amount, parse_multiplier
from app.domain.rounding import parse_rounding
from app.domain.tax import AmountsAre, parse_tax
from app.options import Option, between, one_of, parses


def _logo(value: str) -> str | None:
    if value and Path(value).suffix.lower() not in (".png", ".jpg", ".jpeg"):
        return "must be a PNG or JPEG file"
    return None


DEFAULT_RATE = Option("billing.default_rate", "", "Hourly rate when no client, project or task sets one "
                      "(empty: none)", parses(lambda v: v and parse_amount(v, "default rate")), "decimal")
DEFAULT_COST_RATE = Option("billing.default_cost_rate", "", "Hourly cost when nothing more specific sets one",
                           parses(lambda v: v and parse_amount(v, "default cost rate")), "decimal")
CURRENCY = Option("billing.currency", "USD", "Currency of clients that set none (ISO 4217)", parses(check_currency))
ROUNDING = Option("billing.rounding", "nearest:1", "Billed time rounding, MODE:MINUTES[:line]",
                  parses(parse_rounding))
MINIMUM_MINUTES = Option("billing.minimum_minutes", 0, "Minimum billable duration (minutes)", between(0, 480))
MINIMUM_PER_LINE = Option("billing.minimum_per_line", False, "Apply the minimum to each invoice line instead of "
                          "each entry")
PAYMENT_TERMS_DAYS = Option("billing.payment_terms_days", 30, "Days until an invoice is due", between(0, 365))
TAX = Option("billing.tax", "", "Tax, e.g. GST:5,QST:9.975 (empty: none)", parses(parse_tax))
AMOUNTS_ARE = Option("billing.amounts_are", "exclusive", "Line amounts are exclusive, inclusive or none (no tax)",
                     one_of(AmountsAre))
GROUPING = Option("billing.grouping", "task", "Invoice lines per entry, task, project, person, day or summary",
                  one_of(Grouping))
DESCRIPTION_TEMPLATE = Option("billing.description_template", "", "Line description template (empty: one per "
                              "grouping)", parses(check_template))
PERSON = Option("billing.person", "", "Your name on invoice lines grouped per person (empty: the login name)")
INVOICE_PREFIX = Option("billing.invoice_prefix", "INV-", "Prefix of local invoice numbers")
WEEKEND_DAYS = Option("billing.weekend_days", "5,6", "Weekend days (0 = Monday … 6 = Sunday)",
                      parses(parse_weekdays))
WEEKEND_MULTIPLIER = Option("billing.weekend_multiplier", "1", "Rate multiplier for weekend work",
                            parses(parse_multiplier), "decimal")
NIGHT_HOURS = Option("billing.night_hours", "22:00-06:00", "When night work starts and ends", parses(parse_night))
NIGHT_MULTIPLIER = Option("billing.night_multiplier", "1", "Rate multiplier for night work",
                          parses(parse_multiplier), "decimal")
HOLIDAY_MULTIPLIER = Option("billing.holiday_multiplier", "1", "Rate multiplier for work on listed holidays",
                            parses(parse_multiplier), "decimal")
OVERTIME_MULTIPLIER = Option("billing.overtime_multiplier", "1", "Rate multiplier beyond the overtime limits",
                             parses(parse_multiplier), "decimal")
OVERTIME_DAILY_HOURS = Option("billing.overtime_daily_hours", 0.0, "Overtime beyond hours per day (0: off)",
                              between(0, 24))
OVERTIME_WEEKLY_HOURS = Option("billing.overtime_weekly_hours", 0.0, "Overtime beyond hours per week (0: off)",
                               between(0, 168))

BILLING: tuple[Option[Any], ...] = (
    DEFAULT_RATE, DEFAULT_COST_RATE, CURRENCY, ROUNDING, MINIMUM_MINUTES, MINIMUM_PER_LINE, PAYMENT_TERMS_DAYS, TAX,
    AMOUNTS_ARE, GROUPING, DESCRIPTION_TEMPLATE, PERSON, INVOICE_PREFIX, WEEKEND_DAYS, WEEKEND_MULTIPLIER,
    NIGHT_HOURS, NIGHT_MULTIPLIER, HOLIDAY_MULTIPLIER, OVERTIME_MULTIPLIER, OVERTIME_DAILY_HOURS,
    OVERTIME_WEEKLY_HOURS,
)

BUSINESS: tuple[Option[Any], ...] = (
    Option("business.name", "", "Business: your name or company name on client invoices"),
    Option("business.address", "", "Business: postal address on client invoices (a comma starts a new line)"),
    Option("business.tax_number", "", "Business: tax or VAT number on client invoices (empty: none)"),
    Option("business.logo", "", "Business: logo image on client invoices, a PNG or JPEG file (empty: none)", _logo),
)
