"""Screenshots of the clients and projects page, the invoices page, a client invoice PDF (rendered with pdftoppm)
and the activity page: `python -m tests.screenshots_pages docs` writes docs/screenshots/clients-page.png,
clients-page-client.png, invoices-page.png, client-invoice-pdf.png and activity.png, against a throw-away
TIMETALLY_HOME."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.core import Core, build_core
from app.domain.catalog import Kind
from app.domain.models import NewEntry, Span
from app.domain.periods import Period
from app.store.spans import SpanStore
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from tests.shots import run, save, wait_until


def sample(core: Core) -> None:
    core.billing.set_client("Acme Corp", rate="120", currency="EUR", rounding="up:15", terms=14, tax="VAT:20",
                            create=True)
    core.billing.set_client("Globex", rate="95", currency="USD", rounding="nearest:6", create=True)
    core.billing.set_client("Northwind", rate="80", currency="GBP", create=True)
    for path in ("Acme Corp/Website", "Acme Corp/Mobile app", "Globex/Support", "Northwind/Internal"):
        core.projects.add_project(path, billable=path != "Northwind/Internal")
    core.billing.set_project("Acme Corp/Website", budget="150h")
    core.billing.set_project("Acme Corp/Website", task="Design", rate="140")
    core.billing.set_project("Globex/Support", task="Tickets", rate="95")
    for settings in (("business.name", "Jo Smith Consulting"), ("business.address", "12 Harbour Lane, Wellington 6011"),
                     ("business.tax_number", "GB 123 4567 89")):
        core.settings.set(*settings)
    for month in (9, 10, 11):
        for day in range(2, 28):
            start = datetime(2026, month, day, 9, tzinfo=UTC)
            if start.weekday() >= 5:
                continue
            for path, hours, text in (("Acme Corp/Website", 1.2, "Checkout redesign"),
                                      ("Globex/Support", 1.75, "Support tickets")):
                project = core.projects.require(path)
                entry = core.entries.add(NewEntry(start, start + timedelta(hours=hours), text, project.id))
                core.entries.update(entry.id, status="approved", locked=True)
                start += timedelta(hours=hours + 0.5)
        last = date(2026, month + 1, 1) - timedelta(days=1)
        core.billing.create(Period(date(2026, month, 1), last))
    xero = core.sync.store("xero")
    for draft, status, paid in zip(core.billing.drafts(), ("paid", "paid", "part_paid", "open", "draft"),
                                   ("all", "all", "half", "", ""), strict=False):
        xero.record_sent(draft.uid, draft.number, f"remote-{draft.number}", draft.number.replace("INV", "X"),
                         draft.revision, "", status, draft.total)
        if paid:
            amount = draft.total if paid == "all" else (draft.total / 2).quantize(draft.total)
            xero.update_sent(draft.uid, amount_paid=str(amount), amount_due=str(draft.total - amount))
    base = datetime(2026, 11, 18, 8, 50, tzinfo=UTC).timestamp()
    spans, at = [], base
    for app, title, minutes, idle in (
            ("code", "checkout.ts - acme-web - Visual Studio Code", 34, False),
            ("firefox", "Pull request #412 · acme/acme-web - Mozilla Firefox", 12, False),
            ("slack", "general | Acme - Slack", 6, False), ("code", "checkout.ts - acme-web - Visual Studio Code", 9,
                                                            True),
            ("firefox", "GLX-1042 Invoice totals wrong - Zendesk - Mozilla Firefox", 23, False),
            ("thunderbird", "Inbox (12) - Mozilla Thunderbird", 4, False),
            ("code", "hero.tsx - acme-web - Visual Studio Code", 41, False)):
        spans.append(Span(at, at + minutes * 60, app, title, idle=idle))
        at += minutes * 60
    SpanStore(core.db).add_many(spans)


def shoot(out: Path) -> None:
    from app.billing.client_document import Business
    from app.ui.activity_actions import ActivityActions
    from app.ui.activity_window import ActivityWindow
    from app.ui.clients import clients_page
    from app.ui.invoices import InvoicesPage
    from app.ui.invoices.client_pdf import write_client_pdf

    out.mkdir(parents=True, exist_ok=True)
    core = build_core()
    sample(core)
    runner, bus = TaskRunner(), ChangeBus()
    page = clients_page(core, runner, bus)
    page.resize(1000, 640)
    page.show()
    wait_until(lambda: page.view is not None and runner.idle())
    project = core.projects.require("Acme Corp/Website")
    page.tree.setCurrentItem(page._items[(Kind.PROJECT, project.id)])
    save(page, out / "clients-page.png")
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    save(page, out / "clients-page-client.png")
    page.close()

    invoices = InvoicesPage(core, runner, bus)
    invoices.resize(1000, 420)
    invoices.show()
    wait_until(lambda: invoices.book is not None and runner.idle())
    save(invoices, out / "invoices-page.png")
    invoices.close()
    wait_until(runner.idle)

    activity = ActivityWindow(SpanStore(core.db), runner, bus, day=date(2026, 11, 18), actions=ActivityActions(core))
    activity.resize(1000, 420)
    activity.show()
    wait_until(lambda: bool(activity.shown) and runner.idle())
    activity.table.topLevelItem(4).setSelected(True)
    save(activity, out / "activity.png")
    activity.close()
    wait_until(runner.idle)

    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "invoice.pdf"
            business = Business.from_settings(core.settings.all())
            write_client_pdf(pdf, core.billing.draft("INV-0005"), business, core.billing.timesheet("INV-0005"))
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(pdf),
                            str(out / "client-invoice-pdf")], check=True)
            print(out / "client-invoice-pdf.png")
    else:
        print("pdftoppm is not installed: client-invoice-pdf.png not made", file=sys.stderr)
    runner.shutdown()
    core.close()


if __name__ == "__main__":
    sys.exit(run(sys.argv, "tests.screenshots_pages", shoot))
