"""Billing storage: client and project billing settings, rates, holidays and invoice drafts.

Returns the domain's values (the store never imports the billing layer): `InvoiceDraft`, `WorkItem`, `Worked`,
`ClientBilling`, `ProjectBilling`, `RateRecord`. `settings` keeps the terms and rates, `drafts` the invoice drafts,
their entries and numbering.
"""

from app.store.billing_repository.drafts import InvoiceDraftRepository
from app.store.billing_repository.settings import BillingSettingsRepository


class BillingRepository(BillingSettingsRepository, InvoiceDraftRepository):
    """Both halves on one database: the billing service prices drafts from the settings it stores beside them."""


__all__ = ["BillingRepository"]
