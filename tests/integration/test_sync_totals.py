"""Every Xero line names its tax type, and after every send the accounting system's totals are compared with
TimeTally's: a difference is an error (outcome, exit status, a flag on the invoice), never a note."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.cli import main
from app.domain.models import EntryStatus
from app.domain.periods import parse_week
from app.sync.provider import RemoteKind
from app.sync.quickbooks_send.links import Mode
from app.sync.reports import Outcome
from app.sync.store import Mapping
from tests.fakes.captured import approved as approved_entry
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect as connect_quickbooks
from tests.fakes.xero_books import Books
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")


@pytest.fixture
def fake(xero: FakeXero) -> FakeXero:
    return xero


@pytest.fixture
def books(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    fake.books.add_contact("Acme Ltd")
    return core


def approved(core: Any, path: str = "Acme Ltd/Web") -> int:
    return approved_entry(core, path, datetime(2026, 11, 16, 9, tzinfo=UTC), timedelta(hours=2))


def map_tax(core: Any, code: str) -> None:
    client = next(c for c in core.projects.clients() if c.name == "Acme Ltd")
    core.sync.store("xero").set_mapping(Mapping(RemoteKind.TAX_RATE, client.id, code, code))


def test_the_fake_applies_the_accounts_default_tax_to_a_line_without_a_tax_type() -> None:
    books = Books()
    contact = books.add_contact("Acme Ltd")
    line = {"Description": "Work", "Quantity": 1, "UnitAmount": 75, "LineAmount": 75, "AccountCode": "200"}
    invoice = books.create_invoice({"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]},
                                    "LineItems": [line]})
    assert invoice["Total"] == Decimal("86.25")  # what Xero does: the Sales account's 15 % GST
    explicit = books.create_invoice({"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]},
                                     "LineItems": [{**line, "TaxType": "NONE"}]})
    assert explicit["Total"] == Decimal("75")


def test_a_client_without_tax_gets_the_no_tax_type_on_every_line(books: Any, fake: FakeXero) -> None:
    books.billing.set_client("Acme Ltd", rate="37.5", currency="NZD")
    approved(books)
    approved(books, "Acme Ltd/App")
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT and outcome.errors == ()
    [invoice] = fake.invoices()
    assert [line["TaxType"] for line in invoice["LineItems"]] == ["NONE", "NONE"]
    assert (invoice["Total"], invoice["TotalTax"]) == (Decimal("150"), Decimal(0))
    assert books.sync.store("xero").sent(outcome.uid).divergence == ""


def test_a_taxed_client_sends_its_mapped_tax_type_and_the_totals_agree(books: Any, fake: FakeXero) -> None:
    books.billing.set_client("Acme Ltd", rate="100", currency="NZD", tax="GST:15")
    map_tax(books, "OUTPUT")
    approved(books)
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.SENT, outcome.errors
    [invoice] = fake.invoices()
    assert invoice["LineItems"][0]["TaxType"] == "OUTPUT" and invoice["Total"] == Decimal("230")


def test_a_taxed_client_without_a_mapped_tax_type_is_refused_and_nothing_is_kept(books: Any, fake: FakeXero) -> None:
    books.billing.set_client("Acme Ltd", rate="100", currency="NZD", tax="GST:15")
    entry = approved(books)
    [outcome] = books.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.FAILED
    assert "no tax type is mapped" in outcome.errors[0] and "--tax-type" in outcome.errors[0]
    assert "OUTPUT 15.0%" in outcome.errors[0]
    assert fake.calls("PUT", "/Invoices") == 0 and books.billing.drafts() == []
    assert books.entries.get(entry).status is EntryStatus.APPROVED


def test_a_total_xero_computes_differently_is_an_error_with_a_flag(books: Any, fake: FakeXero,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    books.billing.set_client("Acme Ltd", rate="100", currency="NZD", tax="GST:10")
    map_tax(books, "OUTPUT")  # Xero's OUTPUT is 15 %, TimeTally charges 10 %
    approved(books)
    assert main(["sync", "xero", "--week", "2026-W47", "--json"]) == 1
    [outcome] = json.loads(capsys.readouterr().out)["invoices"]
    assert outcome["outcome"] == "total differs" and outcome["remote_id"]
    assert ("Xero holds 230.00 NZD for INV-0001 but TimeTally computed 220.00 NZD (tax 30.00 NZD against 20.00 NZD)"
            in outcome["errors"][0])
    sent = books.sync.store("xero").sent_invoices()[0]
    assert sent.divergence == outcome["errors"][0] and sent.remote_status == "draft"
    assert any("TimeTally computed 220.00 NZD" in r.error for r in books.sync.audit("xero").records(kind="note"))
    [flag] = [f for f in books.review.load(WEEK).flags if f.code == "accounting-diverged"]
    assert "Xero holds 230.00 NZD" in flag.message
    map_tax(books, "NONE")
    books.billing.set_client("Acme Ltd", tax="none")
    books.billing.refresh("INV-0001")
    [fixed] = books.sync.send("xero", WEEK).outcomes
    assert fixed.outcome is Outcome.UPDATED and books.sync.store("xero").sent_invoices()[0].divergence == ""


def test_quickbooks_totals_are_checked_too(core: Any, quickbooks: FakeQuickBooks,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    connect_quickbooks(core, quickbooks, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="USD", tax="Sales:10")
    core.settings.set("billing.person", "Jane Doe")
    quickbooks.company.add("Customer", DisplayName="Acme Ltd")
    approved(core)
    invoice = core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE).outcomes[-1]
    assert invoice.outcome is Outcome.TOTAL_DIFFERS and not invoice.outcome.ok
    assert "QuickBooks holds 200.00 USD for INV-0001 but TimeTally computed 220.00 USD" in invoice.errors[0]
    assert core.sync.store("quickbooks").sent(invoice.uid).divergence == invoice.errors[0]
