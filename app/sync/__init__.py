"""Talking to accounting systems: OAuth connections and, above them, the Xero and QuickBooks clients."""
