"""The invoices page: every local invoice, its remote status, and preview, export, send, refresh, void/release."""

from app.ui.invoices.page import InvoicesPage

__all__ = ["InvoicesPage"]
