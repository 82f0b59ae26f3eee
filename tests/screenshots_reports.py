"""Screenshots of the Reports window with a realistic sample book:
`python -m tests.screenshots_reports docs` writes docs/screenshots/reports-*.png.

Five months of work for four clients in three currencies, invoiced month by month, with payments brought back
from Xero and QuickBooks in every state (paid, part-paid, open and overdue) and some captured time nobody has
assigned. Runs against a throw-away TIMETALLY_HOME, offscreen unless Qt is given a display.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.billing.service import BillingService
from app.core import Core, build_core
from app.domain.models import NewEntry, Span
from app.domain.periods import Period
from app.reports.service import ReportService
from app.store.billing_repository import BillingRepository
from app.store.reports_repository import ReportsRepository
from app.store.spans import SpanStore
from app.sync.store import SyncStore
from app.ui.reports.window import ReportsWindow
from app.ui.tasks import TaskRunner
from tests.shots import save, wait_until

TODAY = date(2026, 11, 20)
START = date(2026, 7, 1)
WORK = [  # project, task, share of a day, billable
    ("Acme Corp/Website", "Development", 0.30, True),
    ("Acme Corp/Website", "Design", 0.10, True),
    ("Globex/Support", "Tickets", 0.18, True),
    ("Initech/Intranet redesign", "Build", 0.16, True),
    ("Umbrella/Data pipeline", "Engineering", 0.14, True),
    ("Northwind Studio/Internal", "Admin", 0.12, False),
]
#: invoice month -> per client: (provider, remote status, share paid)
PAYMENTS = {
    7: {"Acme Corp": ("xero", "paid", 1), "Globex": ("quickbooks", "paid", 1), "Initech": ("xero", "paid", 1),
        "Umbrella": ("xero", "open", 0)},
    8: {"Acme Corp": ("xero", "paid", 1), "Globex": ("quickbooks", "part_paid", Decimal("0.4")),
        "Initech": ("xero", "paid", 1), "Umbrella": ("xero", "paid", 1)},
    9: {"Acme Corp": ("xero", "paid", 1), "Globex": ("quickbooks", "paid", 1), "Initech": ("xero", "open", 0),
        "Umbrella": ("xero", "part_paid", Decimal("0.5"))},
    10: {"Acme Corp": ("xero", "open", 0), "Globex": ("quickbooks", "open", 0), "Initech": ("xero", "open", 0),
         "Umbrella": ("xero", "open", 0)},
}


def local(day: date, hours: float) -> datetime:
    return datetime.combine(day, time()).astimezone().astimezone(UTC) + timedelta(hours=hours)


def configure(core: Core, billing: BillingService) -> None:
    billing.set_client("Acme Corp", rate="120", cost_rate="55", rounding="up:15", terms=30)
    billing.set_client("Globex", rate="95", cost_rate="55", currency="EUR", terms=14, tax="VAT:21")
    billing.set_client("Initech", rate="110", cost_rate="55", terms=30)
    billing.set_client("Umbrella", rate="85", cost_rate="48", currency="GBP", terms=7, rounding="nearest:6")
    billing.set_client("Northwind Studio", cost_rate="45")
    for path, task, _, billable in WORK:
        project = core.projects.find(path) or core.projects.add_project(path, billable=billable)
        core.projects.ensure_task(project.id, task)
    billing.set_project("Initech/Intranet redesign", fixed_fee="8000", budget="60h", overage_rate="110")


def track(core: Core, rng: random.Random) -> None:
    """Weekdays from July to today: a day of 6-8.5 hours spread over the projects, in blocks."""
    day = START
    while day <= TODAY:
        if day.weekday() < 5:
            hours, clock = rng.uniform(6, 8.5), 8.5 + rng.uniform(0, 0.75)
            for path, task, share, _ in rng.sample(WORK, len(WORK)):
                length = max(0.25, hours * share * rng.uniform(0.5, 1.5))
                project = core.projects.require(path)
                task_id = next(t.id for t in core.projects.tasks(project.id) if t.name == task)
                entry = core.entries.add(NewEntry(local(day, clock), local(day, clock + length), task, project.id,
                                                  task_id))
                status = "approved" if day < TODAY - timedelta(days=3) and not late(path, task, day) else "draft"
                core.entries.update(entry.id, status=status)
                clock += length + rng.uniform(0, 0.3)
        day += timedelta(days=1)


def late(path: str, task: str, day: date) -> bool:
    """Work reviewed only after its month was invoiced: it waits as work in progress, and ages."""
    return (task == "Design" and day.month == 9) or (path.startswith("Umbrella") and date(2026, 8, 17) <= day
                                                      <= date(2026, 8, 31))


def approve_late(core: Core) -> None:
    for entry in core.entries.between(local(START, 0), local(TODAY - timedelta(days=4), 24)):
        if entry.status == "draft":
            core.entries.update(entry.id, status="approved")


def invoice(core: Core, billing: BillingService, issued: list[date]) -> None:
    """Month by month on the last day of each month; payments as the accounting systems reported them."""
    for month, clients in PAYMENTS.items():
        first = date(2026, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        issued[0] = last
        for draft in billing.create(Period(first, last)):
            provider, status, paid_share = clients[draft.client_name]
            paid = (draft.total * Decimal(paid_share)).quantize(Decimal("0.01"))
            store = SyncStore(core.db, provider)
            store.record_sent(draft.uid, draft.number, f"r-{draft.number}", f"{provider[:2].upper()}-{draft.number}",
                              draft.revision, "sample", "open", draft.total)
            store.update_sent(draft.uid, remote_status=status, amount_paid=paid, amount_due=draft.total - paid,
                              paid_on=last + timedelta(days=20) if status == "paid" else None)
    issued[0] = TODAY
    billing.create(Period(date(2026, 11, 1), date(2026, 11, 8)), "Acme Corp")


def capture(core: Core) -> None:
    """Browser and editor time nobody assigned on a few November days."""
    spans = []
    for day in (date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 17), date(2026, 11, 18)):
        start = local(day, 17.5).timestamp()
        spans.append(Span(start, start + 2700, "firefox", "Vendor comparison - Mozilla Firefox"))
        spans.append(Span(start + 2700, start + 4500, "code", "scratch.py - notes"))
    SpanStore(core.db).add_many(spans)


def sample_book(core: Core) -> ReportService:
    issued = [TODAY]
    billing = BillingService(BillingRepository(core.db), core.projects, core.settings, today=lambda: issued[0])
    configure(core, billing)
    track(core, random.Random(11))
    invoice(core, billing, issued)
    approve_late(core)
    capture(core)
    return ReportService(ReportsRepository(core.db), billing, core.projects, core.classifier, SpanStore(core.db),
                         core.settings, today=lambda: TODAY)


def shoot(window: ReportsWindow, runner: TaskRunner, tab: int, path: Path) -> None:
    window.tabs.setCurrentIndex(tab)
    wait_until(runner.idle)
    save(window, path, settle_ms=400)


def main(out: Path) -> int:
    target = out / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["TIMETALLY_HOME"] = home
        app = QApplication.instance() or QApplication(sys.argv)
        core = build_core()
        runner = TaskRunner()
        try:
            reports = sample_book(core)
            window = ReportsWindow(reports.all, runner, today=lambda: TODAY)
            window.resize(1320, 940)
            window.show()
            loaded: list[bool] = []
            window.loaded.connect(lambda: loaded.append(True))

            def load(period: Period) -> None:
                loaded.clear()
                window.set_period(period)
                wait_until(lambda: bool(loaded), 60_000)

            load(Period(date(2026, 8, 1), TODAY))
            shoot(window, runner, 0, target / "reports-profitability.png")
            shoot(window, runner, 3, target / "reports-receivables.png")
            shoot(window, runner, 2, target / "reports-wip.png")
            load(Period(date(2026, 11, 1), TODAY))
            shoot(window, runner, 1, target / "reports-utilisation.png")
            window.close()
        finally:
            wait_until(runner.idle)
            runner.shutdown()
            core.close()
        del app
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
