"""Sending to QuickBooks per client in its mode: planning time activities and invoices that link them, and time
billed inside QuickBooks. The sync service's side of QuickBooks: it keeps links in the database and delivers
through the one pipeline; the connector in `app/sync/quickbooks/` only talks HTTP."""
