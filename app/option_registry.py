"""Every setting, gathered from the packages that own them, in the order Preferences, `timetally settings list`
and docs/settings.md show them. Only the composition root and the settings views read it whole."""

from __future__ import annotations

from typing import Any

from app.billing.options import BILLING, BUSINESS
from app.capture.options import CAPTURE
from app.classify.options import CLASSIFY
from app.desktop.options import DESKTOP
from app.options import Option
from app.reports.options import REPORTS
from app.sync.options import SYNC
from app.timesheet.options import IDLE, TIMESHEET

OPTIONS: dict[str, Option[Any]] = {
    option.key: option
    for group in (TIMESHEET, CLASSIFY, CAPTURE, IDLE, BILLING, DESKTOP, SYNC, REPORTS, BUSINESS)
    for option in group
}
