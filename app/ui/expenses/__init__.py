"""The Expenses page and the dialog that records an expense (also opened from the timer page)."""
