"""The proof-of-work PDF is a valid PDF without Qt: every row on some page, text a PDF reader extracts (brackets and
backslashes escaped, characters outside Latin-1 as '?'), amounts at the currency's minor unit."""

from __future__ import annotations

import subprocess
from datetime import UTC, date
from decimal import Decimal
from pathlib import Path

from app.billing.client_document import TimesheetRow
from app.billing.expenses import ExpenseItem
from app.billing.invoices import InvoiceDraft, build_invoices
from app.billing.proof_pdf import ROWS_PER_PAGE, proof_pdf
from app.billing.terms import Book, ClientTerms, InvoiceOptions
from app.domain.periods import Period


def draft() -> InvoiceDraft:
    expense = ExpenseItem(1, date(2026, 11, 17), 1, "Acme (NZ)", 10, "Web", "Travel", "", Decimal("1234.5"), "USD",
                          Decimal(0))
    [built] = build_invoices([], Book(clients={1: ClientTerms(1, "USD")}, tz=UTC),
                             InvoiceOptions(Period(date(2026, 11, 1), date(2026, 11, 30)), date(2026, 11, 30)),
                             [expense])
    return built


def test_many_rows_run_over_pages_and_read_back(tmp_path: Path) -> None:
    rows = [TimesheetRow(date(2026, 11, 2 + n % 20), "Web · Design", f"Row {n} (draft) a\\b 東京", 900 + n * 60)
            for n in range(ROWS_PER_PAGE * 2)]
    path = tmp_path / "proof.pdf"
    path.write_bytes(proof_pdf(draft(), rows, "Zoë O'Neil"))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert all(f"Row {n} (draft) a\\b ??" in text for n in range(len(rows)))
    assert "Zoë O'Neil" in text and "Web · Design" in text and "1,234.50" in text
    assert "0:15" in text and f"{sum(r.seconds for r in rows) // 3600}:" in text
