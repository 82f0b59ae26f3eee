"""The invoice preview dialog: loads on a worker, shows raw and billed time, exports PDF and CSV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.errors import ValidationError
from app.domain.models import NewEntry
from app.domain.periods import parse_week
from app.ui.invoice_preview import InvoicePreviewDialog, open_invoice_preview
from app.ui.tasks import TaskRunner

WEEK = parse_week("2026-W47")


def approved_work(core: Core) -> None:
    core.billing.set_client("Acme", rate="100", rounding="up:15", tax="VAT:20")
    for path, day in (("Acme/Web", 16), ("Acme/App", 17)):
        project = core.projects.add_project(path)
        start = datetime(2026, 11, day, 12, tzinfo=UTC)
        entry = core.entries.add(NewEntry(start, start + timedelta(minutes=50), "work", project.id))
        core.entries.update(entry.id, status="approved", locked=True)


def test_shows_lines_with_raw_and_billed_hours(core: Core, runner: TaskRunner, qtbot: QtBot, tmp_path: Path) -> None:
    approved_work(core)
    dialog = InvoicePreviewDialog(runner, lambda: core.billing.preview(WEEK))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.drafts))
    assert dialog.picker.count() == 1
    assert dialog.table.rowCount() == 2
    row = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert row == ["App · General", "0:50", "1:00", "1.0000", "100.00", "×1", "100.00 USD", "20.00 USD"]
    assert dialog.flags.isHidden()
    assert "Raw 1:40, billed 2:00." in dialog.totals.text()
    assert "Total 240.00 USD" in dialog.totals.text()
    assert "App: 100.00 USD" in dialog.subtotals.text()

    csv_path = tmp_path / "invoice.csv"
    with qtbot.waitSignal(dialog.exported):
        dialog.export_csv(csv_path)
    assert csv_path.read_text().splitlines()[0].startswith("invoice,client,currency")
    assert len(csv_path.read_text().splitlines()) == 3

    pdf_path = tmp_path / "invoice.pdf"
    with qtbot.waitSignal(dialog.exported):
        dialog.export_pdf(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_an_error_is_shown_not_raised(runner: TaskRunner, qtbot: QtBot) -> None:
    def refuse() -> list:
        raise ValidationError("No rate applies to Acme/Web")

    dialog = InvoicePreviewDialog(runner, refuse)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "No rate applies" in dialog.status.text())
    assert not dialog.pdf_button.isEnabled()


def test_an_empty_period_says_so(runner: TaskRunner, qtbot: QtBot) -> None:
    dialog = InvoicePreviewDialog(runner, list)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "No approved" in dialog.status.text())
    assert dialog.table.rowCount() == 0


def test_opened_for_a_period_from_the_review_window(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    approved_work(core)
    dialog = open_invoice_preview(core.billing, runner, WEEK)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert dialog.isVisible()
    assert "2026-11-16" in dialog.windowTitle()


def test_an_entry_under_a_minute_is_flagged(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    core.billing.set_client("Acme", rate="100", minimum="15m")
    project = core.projects.add_project("Acme/Web")
    start = datetime(2026, 11, 16, 12, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(seconds=8), "", project.id))
    core.entries.update(entry.id, status="approved", locked=True)
    dialog = InvoicePreviewDialog(runner, lambda: core.billing.preview(WEEK))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.drafts))
    assert not dialog.flags.isHidden()
    assert f"Entry #{entry.id}" in dialog.flags.text() and "lasted only 8 s" in dialog.flags.text()
