"""Billing storage: client and project billing settings, rates, holidays and invoice drafts.

Returns plain records (the store never imports the billing layer); invoice lines are the domain's `InvoiceLine`.
`settings` keeps the terms and rates, `drafts` the invoice drafts, their entries and numbering.
"""

from app.store.billing_repository.drafts import BillableEntry, DraftRecord, InvoiceDraftRepository, WorkedEntry
from app.store.billing_repository.settings import (
    BillingSettingsRepository,
    ClientBilling,
    ProjectBilling,
    RateRecord,
)


class BillingRepository(BillingSettingsRepository, InvoiceDraftRepository):
    """Both halves on one database: the billing service prices drafts from the settings it stores beside them."""


__all__ = ["BillableEntry", "BillingRepository", "ClientBilling", "DraftRecord", "ProjectBilling", "RateRecord",
           "WorkedEntry"]
