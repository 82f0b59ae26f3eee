"""The invoices page: every local invoice with its remote status against a fake Xero, void from the page (and the
refusal for a paid one), refresh, create, and the client PDF rendered by pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.domain.models import EntryStatus
from app.domain.periods import parse_week
from app.ui.events import ChangeBus
from app.ui.invoices import InvoicesPage
from app.ui.invoices.export_dialog import ExportDialog, suggested_name
from app.ui.tasks import TaskRunner
from tests.fakes.captured import approved as approved_entry
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect
from tests.ui.conftest import drain

WEEK = parse_week("2026-W47")


@pytest.fixture
def fake() -> Iterator[FakeXero]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    with FakeXero() as server:
        yield server
    keyring.set_keyring(previous)
    assert server.spec_problems == []


@pytest.fixture
def books(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD", terms=14)
    fake.books.add_contact("Acme Ltd")
    return core


def approved(core: Any, day: int, hours: float = 2) -> int:
    return approved_entry(core, "Acme Ltd/Web", datetime(2026, 11, day, 9, tzinfo=UTC), timedelta(hours=hours))


def page_on(core: Any, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> InvoicesPage:
    page = InvoicesPage(core, runner, bus)
    qtbot.addWidget(page)
    drain(qtbot, runner)
    return page


def statuses(page: InvoicesPage) -> list[tuple[str, str]]:
    return [(page.table.item(r, 0).text(), page.table.item(r, 4).text()) for r in range(page.table.rowCount())]


def test_lists_every_invoice_with_its_remote_status(books: Any, fake: FakeXero, runner: TaskRunner, bus: ChangeBus,
                                                     qtbot: QtBot) -> None:
    page = page_on(books, runner, bus, qtbot)
    assert page.table.rowCount() == 0 and not page.empty.isHidden() and "No invoices yet" in page.empty.text()
    approved(books, 16)
    [sent] = books.sync.send("xero", WEEK).outcomes
    approved(books, 24)
    books.billing.create(parse_week("2026-W48"))
    bus.announce("invoices")
    drain(qtbot, runner)
    assert statuses(page) == [("INV-0002", "not sent"), ("INV-0001", "draft")]
    assert page.table.item(1, 5).text().startswith("Xero ")
    assert page.table.item(1, 3).text() == "200.00 NZD"
    fake.books.set_status(sent.remote_id, "AUTHORISED")
    books.sync.sync_payments(["xero"])
    bus.announce("invoices")
    drain(qtbot, runner)
    assert statuses(page)[1] == ("INV-0001", "authorised")
    fake.books.pay(sent.remote_id, Decimal("50"), date(2026, 11, 30))
    books.sync.sync_payments(["xero"])
    bus.announce("invoices")
    drain(qtbot, runner)
    assert statuses(page)[1] == ("INV-0001", "part-paid")
    assert page.table.item(1, 6).text() == "50.00 NZD of 200.00 NZD paid"
    fake.books.pay(sent.remote_id, Decimal("150"), date(2026, 12, 1))
    books.sync.sync_payments(["xero"])
    bus.announce("invoices")
    drain(qtbot, runner)
    assert statuses(page)[1] == ("INV-0001", "paid")


def test_void_asks_first_then_releases_and_a_paid_one_is_refused_with_the_sentence(
        books: Any, fake: FakeXero, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    ids = [approved(books, 16)]
    [sent] = books.sync.send("xero", WEEK).outcomes
    page = page_on(books, runner, bus, qtbot)
    asked: list[str] = []
    page.confirm = lambda title, text: asked.append(text) is not None and False
    page.void()
    drain(qtbot, runner)
    assert "Void INV-0001 in Xero" in asked[0] and books.billing.drafts() != []

    fake.books.set_status(sent.remote_id, "AUTHORISED")
    fake.books.pay(sent.remote_id, None, date(2026, 11, 30))
    page.confirm = lambda title, text: True
    page.void()
    drain(qtbot, runner)
    assert "credit note in Xero" in page.status.text() and "paid in Xero" in page.status.text()
    assert [d.number for d in books.billing.drafts()] == ["INV-0001"]

    approved(books, 24)
    books.billing.create(parse_week("2026-W48"))
    bus.announce("invoices")
    drain(qtbot, runner)
    page.table.selectRow(0)
    page.void()
    drain(qtbot, runner)
    assert "INV-0002 was never sent" in page.status.text()
    assert statuses(page) == [("INV-0001", "paid")]
    assert books.entries.get(ids[0]).status is EntryStatus.PAID


def test_create_and_refresh_from_the_page(books: Any, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    approved(books, 16)
    page = page_on(books, runner, bus, qtbot)
    page.create_for(WEEK, "Acme Ltd")
    drain(qtbot, runner)
    assert page.status.text() == "Created INV-0001; their entries are now invoiced."
    books.billing.set_client("Acme Ltd", rate="120", effective_from=date(2026, 11, 1))
    page.refresh()
    drain(qtbot, runner)
    assert page.status.text() == "INV-0001 is at revision 2; total 240.00 NZD."


def test_client_pdf_with_business_details_and_timesheet(books: Any, runner: TaskRunner, bus: ChangeBus,
                                                        qtbot: QtBot, tmp_path: Path) -> None:
    for key, value in (("business.name", "Jo Smith Consulting"), ("business.address", "1 Main St, Wellington"),
                       ("business.tax_number", "GST 123-456-789")):
        books.settings.set(key, value)
    books.billing.set_client("Acme Ltd", tax="GST:15")
    approved(books, 16, hours=1.25)
    books.billing.create(WEEK)
    page = page_on(books, runner, bus, qtbot)
    dialog = ExportDialog("INV-0001", "Acme Ltd", page, folder=tmp_path)
    assert Path(dialog.path.text()) == tmp_path / "Invoice INV-0001 Acme Ltd.pdf"
    target = dialog.target()
    page.export_to("INV-0001", target, timesheet=True)
    drain(qtbot, runner)
    assert page.status.text() == f"Exported INV-0001 to {target}."
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; the PDF was written but not rendered")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(target), str(tmp_path / "page")], check=True)
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == ["page-1.png", "page-2.png"]  # + timesheet
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
        for expected in ("Jo Smith Consulting", "Wellington", "GST 123-456-789", "INV-0001", "Acme Ltd", "1:15",
                         "GST", "143.75 NZD", "Payment is due within 14 days", "Timesheet"):
            assert expected in text, expected


def test_suggested_names_hold_no_characters_a_file_system_refuses(books: Any) -> None:
    approved(books, 16)
    [draft] = books.billing.create(WEEK)
    assert suggested_name(draft.number, draft.client_name, ".pdf") == "Invoice INV-0001 Acme Ltd.pdf"
    assert suggested_name("INV-2", "A/B: C", ".csv") == "Invoice INV-2 A-B- C.csv"
