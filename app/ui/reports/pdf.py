"""A report as a PDF: its charts as pictures, then its tables, laid out by Qt on A4 landscape.

Runs on the GUI thread: QTextDocument and the chart pictures belong to it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.reports.tables import Table, text

_STYLE = """
body { font-family: sans-serif; font-size: 8pt; }
h1 { font-size: 14pt; } h2 { font-size: 10pt; margin-top: 12px; }
table { border-collapse: collapse; }
th { background: #e8edf3; text-align: left; padding: 2px 5px; }
td { padding: 2px 5px; border-bottom: 1px solid #dddddd; }
td.n { text-align: right; } tr.total td { font-weight: bold; border-top: 1px solid #555555; }
"""


def table_html(table: Table) -> str:
    first_total = len(table.rows) - table.total_rows
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = []
    for n, row in enumerate(table.rows):
        cells = "".join(
            f'<td class="n">{html.escape(text(c))}</td>' if isinstance(c, int | Decimal)
            else f"<td>{html.escape(text(c))}</td>" for c in row)
        body.append(f'<tr class="total">{cells}</tr>' if n >= first_total else f"<tr>{cells}</tr>")
    rows = "".join(body) or f'<tr><td colspan="{len(table.columns)}">Nothing to show.</td></tr>'
    return f"<h2>{html.escape(table.title)}</h2><table width=\"100%\"><tr>{head}</tr>{rows}</table>"


def report_document(title: str, subtitle: str, charts: Sequence[QImage], tables: Sequence[Table],
                    width: float) -> QTextDocument:
    """The report laid out for a page `width` CSS pixels wide: the charts side by side, the tables beneath."""
    document = QTextDocument()
    document.setDefaultStyleSheet(_STYLE)
    pictures = []
    for n, image in enumerate(charts):
        name = f"chart{n}.png"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        shown = min(width / max(1, len(charts)) - 8, image.width())
        pictures.append(f'<img src="{name}" width="{int(shown)}">')
    document.setHtml(f"<h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p><p>{' '.join(pictures)}</p>"
                     + "".join(table_html(t) for t in tables))
    return document


def write_pdf(path: Path, title: str, subtitle: str, charts: Sequence[QImage], tables: Sequence[Table]) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    writer.setCreator("TimeTally")
    width = writer.width() / writer.logicalDpiX() * 96  # the page width in CSS pixels
    report_document(title, subtitle, charts, tables, width).print_(writer)
    del writer  # finishes the file
