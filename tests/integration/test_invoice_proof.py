"""Proof of work attached to sent invoices in the fake Xero and QuickBooks: the timesheet PDF and the receipts go
once (a receipt of several MB too), a lost answer leaves one attachment, and a refreshed invoice sent again replaces
its timesheet. Every request is checked against the vendored specs by the fakes."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import DescriptionOrigin, NewEntry
from app.domain.periods import parse_week
from app.sync.quickbooks_send.links import Mode
from app.sync.reports import Outcome
from tests.fakes.captured import approved
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect as connect_quickbooks
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import FAST, connect

WEEK = parse_week("2026-W47")
TIMESHEET = "Timesheet INV-0001.pdf"


def work(core: Any, currency: str, tmp_path: Path, receipt_mb: int = 0) -> bytes:
    """Two hours of approved work and, with `receipt_mb`, an approved expense with a receipt of that size."""
    core.billing.set_client("Acme Ltd", rate="100", currency=currency, create=True)
    core.settings.set("billing.person", "Jane Doe")
    approved(core, "Acme Ltd/Web", datetime(2026, 11, 16, 9, tzinfo=UTC), timedelta(hours=2), "Homepage layout")
    if not receipt_mb:
        return b""
    receipt = tmp_path / "hotel.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt " + bytes(range(256)) * (receipt_mb * 4096))
    core.expenses.add("Acme Ltd/Web", date(2026, 11, 17), "120.00", "Travel", receipt=receipt)
    core.expenses.approve_period(WEEK)
    return receipt.read_bytes()


def in_xero(core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    connect(core, xero, monkeypatch)
    xero.books.add_contact("Acme Ltd")
    work(core, "NZD", tmp_path)


def files(xero: FakeXero) -> dict[str, dict[str, Any]]:
    [invoice] = xero.invoices()
    held = xero.books.files.get(invoice["InvoiceID"], [])
    assert len({a["FileName"] for a in held}) == len(held), "one attachment per file name"
    return {a["FileName"]: a for a in held}


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "proof.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_nothing_is_attached_unless_the_client_says_so(core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    in_xero(core, xero, monkeypatch, tmp_path)
    [outcome] = core.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT and files(xero) == {}


def test_xero_gets_the_timesheet_and_a_large_receipt_once(core: Any, xero: FakeXero, timetally: Any,
                                                          monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    connect(core, xero, monkeypatch)
    xero.books.add_contact("Acme Ltd")
    receipt = work(core, "NZD", tmp_path, receipt_mb=5)
    assert len(receipt) > 5_000_000
    project = core.projects.find("Acme Ltd/Web")
    start = datetime(2026, 11, 18, 9, tzinfo=UTC)
    seen = core.entries.add(NewEntry(start, start + timedelta(hours=1), "Salary review.xlsx - Excel", project.id,
                                     description_origin=DescriptionOrigin.TITLE))
    core.entries.update(seen.id, status="approved", locked=True)
    code, out, err = timetally("clients", "set", "Acme Ltd", "--attach")
    assert code == 0, err
    code, out, _ = timetally("clients", "list")
    assert "attach=True" in out
    outcomes = core.sync.send("xero", WEEK).outcomes
    assert [o.outcome for o in outcomes] == [Outcome.SENT] * 3, [o.errors for o in outcomes]
    held = files(xero)
    assert set(held) == {TIMESHEET, "Receipt hotel.pdf"}
    assert all(a["IncludeOnline"] for a in held.values())
    assert held["Receipt hotel.pdf"]["_content"] == receipt
    text = text_of(held[TIMESHEET]["_content"], tmp_path)
    for expected in ("INV-0001", "Jane Doe", "Homepage layout", "2026-11-16", "2026-11-18", "2:00", "1:00",
                     "300.00", "120.00"):
        assert expected in text
    assert "Salary" not in text, "window titles never leave the computer"
    uploads = xero.calls("PUT") + xero.calls("POST")
    assert core.sync.send("xero", WEEK).outcomes == []
    assert xero.calls("PUT") + xero.calls("POST") == uploads, "nothing is uploaded a second time"


def test_a_lost_answer_leaves_one_attachment(core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    in_xero(core, xero, monkeypatch, tmp_path)
    core.sync.send("xero", WEEK)
    core.sync.set_attach("Acme Ltd", True)
    xero.drop_after_commit(count=FAST.max_retries + 1, method="PUT")
    outcomes = core.sync.send("xero", WEEK).outcomes
    assert [o.outcome for o in outcomes] == [Outcome.PENDING]
    assert set(files(xero)) == {TIMESHEET}
    again = core.sync.send("xero", WEEK).outcomes
    assert [o.outcome for o in again] == [Outcome.SENT]
    assert set(files(xero)) == {TIMESHEET} and len(xero.books.files[xero.invoices()[0]["InvoiceID"]]) == 1


def test_a_refreshed_invoice_sent_again_replaces_its_timesheet(core: Any, xero: FakeXero, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    in_xero(core, xero, monkeypatch, tmp_path)
    core.sync.set_attach("Acme Ltd", True)
    core.sync.send("xero", WEEK)
    before = files(xero)[TIMESHEET]["_content"]
    core.billing.set_client("Acme Ltd", rate="150", effective_from=date(2026, 11, 1))
    core.billing.refresh("INV-0001")
    outcomes = core.sync.send("xero", WEEK).outcomes
    assert [o.outcome for o in outcomes] == [Outcome.UPDATED, Outcome.SENT], [o.errors for o in outcomes]
    after = files(xero)[TIMESHEET]["_content"]
    assert after != before and "300.00" in text_of(after, tmp_path)


def test_quickbooks_gets_attachables_linked_to_the_invoice_and_a_refresh_replaces_them(
        core: Any, quickbooks: FakeQuickBooks, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    connect_quickbooks(core, quickbooks, monkeypatch)
    quickbooks.company.add("Customer", DisplayName="Acme Ltd")
    work(core, "USD", tmp_path)
    core.sync.set_attach("Acme Ltd", True)
    invoice = core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE).outcomes[-1]
    core.sync.send("quickbooks", WEEK)

    def attached() -> list[dict[str, Any]]:
        return [a for a in quickbooks.all("Attachable")
                if a["AttachableRef"][0]["EntityRef"] == {"type": "Invoice", "value": invoice.remote_id}]

    [first] = attached()
    assert first["FileName"] == TIMESHEET and first["AttachableRef"][0]["IncludeOnSend"] is True
    assert quickbooks.company.files[first["Id"]].startswith(b"%PDF")
    core.billing.set_client("Acme Ltd", rate="150", effective_from=date(2026, 11, 1))
    core.billing.refresh("INV-0001")
    core.sync.send("quickbooks", WEEK)
    [second] = attached()
    assert second["Id"] != first["Id"] and "300.00" in text_of(quickbooks.company.files[second["Id"]], tmp_path)


def test_a_refused_permission_leaves_the_invoice_sent_and_the_file_waiting(core: Any, xero: FakeXero, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    in_xero(core, xero, monkeypatch, tmp_path)
    core.sync.send("xero", WEEK)
    core.sync.set_attach("Acme Ltd", True)
    xero.fail_next(status=403, method="GET")
    [waiting] = core.sync.send("xero", WEEK).outcomes
    assert waiting.outcome is Outcome.PENDING and "Reconnect Xero" in waiting.errors[0]
    assert files(xero) == {}
    [sent] = core.sync.send("xero", WEEK).outcomes
    assert sent.outcome is Outcome.SENT and set(files(xero)) == {TIMESHEET}
