"""The Xero connector: `XeroProvider` implements `app.sync.provider.AccountingProvider`."""
