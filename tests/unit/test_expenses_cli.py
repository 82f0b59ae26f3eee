"""`timetally expenses` end to end on a real database: recording, receipts, approval, locking and invoicing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.billing.client_document import Business, client_invoice_html
from app.billing.export import drafts_csv
from app.cli import main
from app.domain.invoices import InvoiceDraft

PDF = b"%PDF-1.4\n% a receipt\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def acme(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "clients", "set", "Acme", "--create", "--rate", "100", "--currency", "CAD", "--tax", "GST:5,QST:9.975")
    run(capsys, "projects", "add", "Acme/Web")


def core_draft(number: str) -> InvoiceDraft:
    from app.core import build_core

    core = build_core()
    try:
        return core.billing.draft(number)
    finally:
        core.close()


def add(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    code, out, err = run(capsys, "expenses", "add", "Acme/Web", "--date", "2026-11-17", "--json", *extra)
    assert code == 0, err
    found: dict[str, object] = json.loads(out)
    return found


def test_add_list_and_receipt_kept_under_its_content_hash(acme: None, home: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    receipt = tmp_path / "taxi.pdf"
    receipt.write_bytes(PDF)
    added = add(capsys, "--amount", "42.50", "--category", "Travel", "--markup", "10", "--receipt", str(receipt),
                "--description", "Taxi to the client")
    assert {k: added[k] for k in ("client", "project", "amount", "currency", "markup", "status", "receipt_name")} == {
        "client": "Acme", "project": "Web", "amount": "42.50", "currency": "CAD", "markup": "10", "status": "draft",
        "receipt_name": "taxi.pdf"}
    stored = home / "receipts" / str(added["receipt"])
    assert stored.read_bytes() == PDF and stored.suffix == ".pdf" and len(stored.stem) == 64
    receipt.unlink()
    [listed] = json.loads(run(capsys, "expenses", "list", "--week", "2026-W47", "--json")[1])
    assert listed["id"] == added["id"] and listed["description"] == "Taxi to the client"
    assert "42.50 CAD" in run(capsys, "expenses", "list", "--from", "2026-11-01", "--to", "2026-11-30")[1]
    assert json.loads(run(capsys, "expenses", "list", "--week", "2026-W46", "--json")[1]) == []


def test_bad_receipts_and_amounts_are_refused_with_a_sentence(acme: None, home: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a receipt")
    big = tmp_path / "huge.pdf"
    big.write_bytes(PDF + b"0" * (10 * 1024 * 1024))
    for extra, says in ((("--receipt", str(text)), "is not a PDF or an image"),
                        (("--receipt", str(big)), "may hold at most"),
                        (("--receipt", str(tmp_path)), "is a folder"),
                        (("--currency", "XYZ"), "XYZ"),
                        (("--currency", "EUR"), "a billable expense is recorded in CAD"),
                        (("--description", "x" * 1001), "at most 1000 characters"),
                        (("--tax", "HST"), "has no component HST")):
        code, _, err = run(capsys, "expenses", "add", "Acme/Web", "--date", "2026-11-17", "--amount", "5",
                           "--category", "Travel", *extra)
        assert code == 1 and says in err, err
    for amount, says in (("-5", "cannot be negative"), ("0", "more than zero")):
        code, _, err = run(capsys, "expenses", "add", "Acme/Web", "--date", "2026-11-17", "--amount", amount,
                           "--category", "Travel")
        assert code == 1 and says in err, err
    assert json.loads(run(capsys, "expenses", "list", "--week", "2026-W47", "--json")[1]) == []
    foreign = add(capsys, "--amount", "5", "--category", "Travel", "--currency", "EUR", "--non-billable")
    assert foreign["currency"] == "EUR"
    assert not (home / "receipts").exists() or list((home / "receipts").iterdir()) == []


def test_approved_expenses_are_locked_and_invoiced_with_markup_and_tax(
        acme: None, capsys: pytest.CaptureFixture[str]) -> None:
    travel = add(capsys, "--amount", "200", "--category", "Travel", "--markup", "15")
    meal = add(capsys, "--amount", "33.33", "--category", "Meals", "--tax", "GST")
    add(capsys, "--amount", "80", "--category", "Software", "--non-billable")
    assert json.loads(run(capsys, "invoice", "preview", "--week", "2026-W47", "--json")[1]) == []
    assert run(capsys, "expenses", "approve", "--week", "2026-W47")[1].startswith("Approved 3 expenses")
    code, _, err = run(capsys, "expenses", "delete", str(travel["id"]))
    assert code == 1 and "approved and locked" in err
    [invoice] = json.loads(run(capsys, "invoice", "preview", "--week", "2026-W47", "--json")[1])
    lines = {line["description"]: line for line in invoice["lines"]}
    # 200 × 1.15 = 230.00; GST 11.50 + QST 22.9425 → 22.94.  33.33, GST only: 1.6665 → 1.67.
    assert {d: (line["amount"], line["tax"]) for d, line in lines.items()} == {
        "Web · Meals": ("33.33", "1.67"), "Web · Travel": ("230.00", "34.44")}
    assert (invoice["subtotal"], invoice["tax_total"], invoice["total"]) == ("263.33", "36.11", "299.44")
    assert sorted(invoice["expense_ids"]) == sorted([travel["id"], meal["id"]])
    assert {(line["kind"], line["unit"], line["category"]) for line in invoice["lines"]} == {
        ("expense", "each", "Meals"), ("expense", "each", "Travel")}
    assert "INV-0001" in run(capsys, "invoice", "create", "--week", "2026-W47")[1]
    draft = core_draft("INV-0001")
    assert "expense,,,1,each,230.00" in drafts_csv([draft]).replace("0.0000", "")
    page = client_invoice_html(draft, Business())
    assert "Web · Travel" in page and "230.00" in page
    listed = {e["id"]: e for e in json.loads(run(capsys, "expenses", "list", "--week", "2026-W47", "--json")[1])}
    assert (listed[travel["id"]]["status"], listed[travel["id"]]["invoice"]) == ("invoiced", "INV-0001")
    code, _, err = run(capsys, "expenses", "unlock", str(meal["id"]))
    assert code == 1 and "invoice void INV-0001" in err
    assert run(capsys, "invoice", "refresh", "INV-0001")[0] == 0
    assert json.loads(run(capsys, "invoice", "show", "INV-0001", "--json")[1])["revision"] == 1
    run(capsys, "invoice", "delete", "INV-0001")
    listed = {e["id"]: e for e in json.loads(run(capsys, "expenses", "list", "--week", "2026-W47", "--json")[1])}
    assert listed[travel["id"]]["status"] == "approved" and listed[travel["id"]]["invoice"] is None
    assert run(capsys, "expenses", "unlock", str(travel["id"]))[0] == 0
    assert run(capsys, "expenses", "delete", str(travel["id"]))[0] == 0


def test_a_submitted_week_takes_no_expense_with_the_sentence_of_time(
        acme: None, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "entries", "add", "Acme/Web", "--start", "2026-11-16T09:00", "--end", "2026-11-16T10:00")
    run(capsys, "entries", "approve", "--week", "2026-W47")
    assert run(capsys, "entries", "submit", "--week", "2026-W47")[0] == 0
    code, _, err = run(capsys, "expenses", "add", "Acme/Web", "--date", "2026-11-18", "--amount", "5",
                       "--category", "Travel")
    assert code == 1 and "was submitted for billing, so it takes no new or changed time" in err


def test_category_mapping_per_provider(acme: None, capsys: pytest.CaptureFixture[str]) -> None:
    add(capsys, "--amount", "10", "--category", "Travel")
    add(capsys, "--amount", "10", "--category", "Meals")
    assert run(capsys, "expenses", "map", "xero", "travel", "493")[0] == 0
    shown = json.loads(run(capsys, "expenses", "map", "xero", "--json")[1])
    assert shown == {"provider": "xero", "mapping": {"Travel": "493"}, "unmapped": ["Meals"]}
    assert json.loads(run(capsys, "expenses", "map", "quickbooks", "--json")[1])["mapping"] == {}
