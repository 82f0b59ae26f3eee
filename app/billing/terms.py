"""What the invoice builder is told: billing settings per client and project, and the entries to bill."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo
from decimal import Decimal

from app.billing.multipliers import Multipliers
from app.domain.invoices import Grouping
from app.domain.periods import Period
from app.domain.rates import RateRule
from app.domain.rounding import Rounding
from app.domain.tax import NO_TAX_RATE, AmountsAre, TaxRate
from app.domain.work import Worked


@dataclass(frozen=True, slots=True)
class FixedFee:
    """A project sold for a fee covering `budget_seconds`; time beyond it is billed at the overage rate.

    The budget is used by the project's billable work in the order it was done (`Book.worked`), whatever is
    invoiced; `fee_billed` says a stored draft already carries the fee line, so the fee is charged once.
    """

    fee: Decimal
    budget_seconds: int
    overage_rate: Decimal
    fee_billed: bool = False


@dataclass(frozen=True, slots=True)
class ClientTerms:
    client_id: int
    currency: str | None = None
    rounding: Rounding | None = None
    minimum_seconds: int | None = None
    terms_days: int | None = None
    tax: TaxRate | None = None
    amounts_are: AmountsAre | None = None


@dataclass(frozen=True, slots=True)
class ProjectTerms:
    project_id: int
    rounding: Rounding | None = None
    minimum_seconds: int | None = None
    tax: TaxRate | None = None
    fixed_fee: FixedFee | None = None


@dataclass(frozen=True, slots=True)
class Defaults:
    currency: str = "USD"
    rounding: Rounding = field(default_factory=Rounding)
    minimum_seconds: int = 0
    terms_days: int = 30
    tax: TaxRate = NO_TAX_RATE
    amounts_are: AmountsAre = AmountsAre.EXCLUSIVE
    minimum_per_line: bool = False


@dataclass(frozen=True, slots=True)
class Book:
    """Every setting that prices work, and the person's other work that limits and budgets count (`worked`):
    the pure builder reads nothing else."""

    defaults: Defaults = field(default_factory=Defaults)
    clients: dict[int, ClientTerms] = field(default_factory=dict)
    projects: dict[int, ProjectTerms] = field(default_factory=dict)
    rates: tuple[RateRule, ...] = ()
    multipliers: Multipliers = field(default_factory=Multipliers)
    tz: tzinfo = UTC
    person: str = ""
    worked: tuple[Worked, ...] = ()

    def client(self, client_id: int) -> ClientTerms:
        return self.clients.get(client_id) or ClientTerms(client_id)

    def project(self, project_id: int) -> ProjectTerms:
        return self.projects.get(project_id) or ProjectTerms(project_id)


@dataclass(frozen=True, slots=True)
class InvoiceOptions:
    period: Period
    issue_date: date
    grouping: Grouping = Grouping.TASK
    per_project: bool = False
    template: str = ""
    client_id: int | None = None
