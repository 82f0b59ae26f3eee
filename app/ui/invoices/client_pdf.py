"""Writes the client-facing invoice PDF: the layout of `app.billing.client_document` printed by Qt's rich text
engine on A4. Runs on the write worker (it writes a file); every Qt object it makes is made and dropped there."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.billing.client_document import LOGO, Business, TimesheetRow, client_invoice_html
from app.domain.errors import ValidationError
from app.domain.invoices import InvoiceDraft


def write_client_pdf(path: Path, draft: InvoiceDraft, business: Business,
                     timesheet: Sequence[TimesheetRow] | None = None) -> Path:
    logo = QImage(business.logo) if business.logo else QImage()
    if business.logo and logo.isNull():
        raise ValidationError(f"The logo '{business.logo}' cannot be read as an image; choose a PNG or JPEG file in "
                              "Preferences → Business, or leave it empty")
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    writer.setTitle(f"Invoice {draft.number} · {draft.client_name}")
    writer.setCreator(business.name or "TimeTally")
    document = QTextDocument()
    document.setDefaultStyleSheet("body { font-family: sans-serif; font-size: 10pt; } th { font-weight: bold; }")
    if not logo.isNull():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(LOGO), logo)
    document.setHtml(client_invoice_html(draft, business, timesheet, with_logo=not logo.isNull()))
    document.print_(writer)
    del writer  # finishes the file
    if not path.is_file() or path.stat().st_size == 0:
        raise ValidationError(f"The PDF could not be written to {path}; choose a folder you can write to")
    return path
