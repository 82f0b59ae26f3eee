"""The settings reports own."""

from __future__ import annotations

from typing import Any

from app.options import Option, between

REPORTS: tuple[Option[Any], ...] = (
    Option("reports.utilisation_target", 75, "Utilisation target: billable share of tracked time (percent)",
           between(0, 100)),
)
