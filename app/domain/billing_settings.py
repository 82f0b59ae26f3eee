"""A client's and a project's own billing settings as the store keeps them; None means "use the default"."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.rounding import Rounding
from app.domain.tax import AmountsAre, TaxRate


@dataclass(frozen=True, slots=True)
class ClientBilling:
    client_id: int
    client_name: str
    currency: str | None = None
    rounding: Rounding | None = None
    minimum_seconds: int | None = None
    terms_days: int | None = None
    tax: TaxRate | None = None
    amounts_are: AmountsAre | None = None
    attach_proof: bool | None = None
    """Attach the timesheet PDF and receipts to invoices sent for this client."""


@dataclass(frozen=True, slots=True)
class ProjectBilling:
    project_id: int
    rounding: Rounding | None = None
    minimum_seconds: int | None = None
    tax: TaxRate | None = None
    fixed_fee: Decimal | None = None
    budget_seconds: int | None = None
    overage_rate: Decimal | None = None
