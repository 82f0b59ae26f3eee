"""Billing settings storage: client and project billing settings, rates and holidays, as domain values.

Values are stored as their text and read back into the domain's types here, so nothing above copies them."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from app.domain.billing_settings import ClientBilling, ProjectBilling
from app.domain.errors import NotFoundError
from app.domain.rates import Level, RateKind, RateRecord
from app.domain.rounding import Rounding, parse_rounding
from app.domain.tax import AmountsAre, TaxRate, parse_tax
from app.store.db import Database
from app.store.tables import ClientRow, ProjectRow
from app.store.tables.billing import ClientBillingRow, HolidayRow, ProjectBillingRow, RateRow

_SETTING_FIELDS = {f.name for f in fields(ClientBilling)} - {"client_id", "client_name"}
_PROJECT_FIELDS = {f.name for f in fields(ProjectBilling)} - {"project_id"}


def stored_decimal(text: str) -> Decimal:
    """A stored amount; text that is not a number reads as NaN, which the billing service refuses by name."""
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        return Decimal("NaN")


def as_text(value: Any) -> Any:
    """Decimals, roundings and tax rates are stored as text (amounts keep every digit); other values pass
    through (enums are `str` already)."""
    return str(value) if isinstance(value, Decimal | Rounding | TaxRate) else value


class BillingSettingsRepository:
    """What a client or project is billed at and on which terms; the billing service resolves the precedence."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # Client and project settings

    def client_billing(self) -> list[ClientBilling]:
        with self._db.session() as s:
            rows = s.exec(
                select(ClientRow, ClientBillingRow)
                .join(ClientBillingRow, col(ClientBillingRow.client_id) == ClientRow.id, isouter=True)
                .order_by(col(ClientRow.name))
            ).all()
            return [_client_billing(c, b) for c, b in rows]

    def set_client_billing(self, client_id: int, **changes: Any) -> None:
        unknown = set(changes) - _SETTING_FIELDS
        if unknown:
            raise ValueError(f"unknown client billing fields: {sorted(unknown)}")
        with self._db.session() as s:
            row = s.get(ClientBillingRow, client_id) or ClientBillingRow(client_id=client_id)
            for key, value in changes.items():
                setattr(row, key, as_text(value))
            s.add(row)

    def project_billing(self) -> list[ProjectBilling]:
        with self._db.session() as s:
            return [_project_billing(r) for r in s.exec(select(ProjectBillingRow))]

    def set_project_billing(self, project_id: int, **changes: Any) -> None:
        unknown = set(changes) - _PROJECT_FIELDS
        if unknown:
            raise ValueError(f"unknown project billing fields: {sorted(unknown)}")
        with self._db.session() as s:
            row = s.get(ProjectBillingRow, project_id) or ProjectBillingRow(project_id=project_id)
            for key, value in changes.items():
                setattr(row, key, as_text(value))
            s.add(row)

    def set_project_billable(self, project_id: int, billable: bool) -> None:
        with self._db.session() as s:
            row = s.get(ProjectRow, project_id)
            if row is None:
                raise NotFoundError(f"There is no project with id {project_id}")
            row.billable = billable
            s.add(row)

    # Rates and holidays

    def rates(self) -> list[RateRecord]:
        with self._db.session() as s:
            rows = s.exec(select(RateRow).order_by(col(RateRow.id))).all()
            return [RateRecord(Level[r.level.upper()], r.target_id, RateKind(r.kind), stored_decimal(r.amount),
                               r.effective_from) for r in rows]

    def set_rate(self, rate: RateRecord) -> None:
        """Store a rate; one already set for the same target, kind and start date is replaced."""
        with self._db.session() as s:
            s.execute(
                delete(RateRow).where(
                    col(RateRow.level) == rate.level.name.lower(),
                    col(RateRow.kind) == rate.kind,
                    col(RateRow.target_id).is_(None) if rate.target_id is None
                    else col(RateRow.target_id) == rate.target_id,
                    col(RateRow.effective_from).is_(None) if rate.effective_from is None
                    else col(RateRow.effective_from) == rate.effective_from,
                )
            )
            s.add(RateRow(level=rate.level.name.lower(), target_id=rate.target_id, kind=str(rate.kind),
                          amount=str(rate.amount),
                          effective_from=rate.effective_from))

    def holidays(self) -> list[tuple[date, str]]:
        with self._db.session() as s:
            return [(r.day, r.name) for r in s.exec(select(HolidayRow).order_by(col(HolidayRow.day)))]

    def add_holiday(self, day: date, name: str) -> None:
        with self._db.session() as s:
            s.merge(HolidayRow(day=day, name=name))

    def remove_holiday(self, day: date) -> None:
        with self._db.session() as s:
            row = s.get(HolidayRow, day)
            if row is None:
                raise NotFoundError(f"{day} is not in the holiday list")
            s.delete(row)

def _client_billing(c: ClientRow, b: ClientBillingRow | None) -> ClientBilling:
    if b is None:
        return ClientBilling(c.id or 0, c.name)
    return ClientBilling(c.id or 0, c.name, b.currency, _rounding(b.rounding), b.minimum_seconds, b.terms_days,
                         parse_tax(b.tax) if b.tax is not None else None,
                         AmountsAre(b.amounts_are) if b.amounts_are else None, b.attach_proof)


def _project_billing(r: ProjectBillingRow) -> ProjectBilling:
    return ProjectBilling(
        r.project_id, _rounding(r.rounding), r.minimum_seconds, parse_tax(r.tax) if r.tax is not None else None,
        stored_decimal(r.fixed_fee) if r.fixed_fee is not None else None, r.budget_seconds,
        stored_decimal(r.overage_rate) if r.overage_rate is not None else None,
    )


def _rounding(text: str | None) -> Rounding | None:
    return parse_rounding(text) if text else None
