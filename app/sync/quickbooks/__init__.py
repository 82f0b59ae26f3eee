"""The QuickBooks Online connector: customers and jobs, time activities, invoices linked to them, payments back."""
