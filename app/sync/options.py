"""The settings of sending to and hearing from the accounting systems."""

from __future__ import annotations

from typing import Any

from app.options import Option, between, one_of


def _relay_url(value: str) -> str | None:
    ok = not value or value.startswith("https://") or value.startswith("http://localhost")
    return None if ok else "must start with https:// (or http://localhost for a test relay)"


SYNC: tuple[Option[Any], ...] = (
    Option("sync.invoice_status", "DRAFT", "Send invoices as DRAFT or AUTHORISED (approved)",
           one_of(["DRAFT", "AUTHORISED"])),
    Option("sync.payments_poll_minutes", 30, "Check sent invoices for payments every (minutes, 0: on demand only)",
           between(0, 1440)),
    Option("quickbooks.mode", "time", "QuickBooks: send approved time as billable time activities (time) or also "
           "invoice it (invoice), for clients without a mode of their own", one_of(["time", "invoice"])),
    Option("quickbooks.worker_type", "Employee", "QuickBooks: record time for an Employee or a Vendor",
           one_of(["Employee", "Vendor"])),
    Option("xero.client_id", "", "Xero: client id of your own Xero app (empty: the one TimeTally ships)"),
    Option("quickbooks.client_id", "", "QuickBooks: client id of your own Intuit app (empty: the one "
           "TimeTally ships)"),
    Option("quickbooks.relay", False, "QuickBooks: exchange tokens through a relay that holds the client secret"),
    Option("quickbooks.relay_url", "", "QuickBooks: token URL of the relay (https)", _relay_url),
)
