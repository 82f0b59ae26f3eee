"""Report tables to CSV and XLSX files. The PDF is laid out by Qt in the UI layer.

CSV holds every table of a report one after another (title row, header, rows, a blank line), with numbers as
plain decimal text; a workbook gets one sheet per table with real numbers and dates, so sums work in it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.files import write_file
from app.reports.tables import Table, text

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def csv_text(tables: Sequence[Table]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for n, table in enumerate(tables):
        if n:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        writer.writerows([text(c) for c in row] for row in table.rows)
    return out.getvalue()


def write_csv(path: Path, tables: Sequence[Table]) -> None:
    write_file(path, csv_text(tables).encode("utf-8"), "CSV file")


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, and no two alike."""
    base = _SHEET_BAD.sub("", title)[:31].strip() or "Report"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _format(column: str, value: object) -> str | None:
    if isinstance(value, date):
        return "yyyy-mm-dd"
    if isinstance(value, Decimal):
        return "0.0" if column.endswith("%") else "#,##0.00"
    return None


def write_xlsx(path: Path, tables: Sequence[Table]) -> None:
    """One sheet per table: bold header and totals, frozen header row, columns wide enough to read."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.title, taken))
        sheet.append(list(table.columns))
        for cell in sheet[1]:
            cell.font = bold
        first_total = len(table.rows) - table.total_rows
        for n, row in enumerate(table.rows):
            sheet.append(list(row))
            for column, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
                number_format = _format(column, cell.value)
                if number_format:
                    cell.number_format = number_format
                if n >= first_total:
                    cell.font = bold
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns):
            width = max([len(column), *(len(text(r[index])) for r in table.rows)])
            sheet.column_dimensions[sheet.cell(1, index + 1).column_letter].width = min(60, width + 2)
    buffer = io.BytesIO()  # built in memory: the file is written once, whole, by write_file
    book.save(buffer)
    write_file(path, buffer.getvalue(), "workbook")
