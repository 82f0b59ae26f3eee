"""The Reports window and its charts."""

from app.ui.reports.window import ReportsWindow, open_reports_window

__all__ = ["ReportsWindow", "open_reports_window"]
