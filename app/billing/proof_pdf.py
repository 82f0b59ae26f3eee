"""The proof of work attached to a sent invoice: its lines with time and amounts, then the timesheet (day, person,
work, description, h:mm) of every entry it bills, as a plain PDF.

Written without Qt, so a sync on a worker thread or the CLI can make it with no GUI application: text in the PDF
standard Helvetica (no font embedded, WinAnsi encoding: characters outside Latin-1 print as '?'), A4, columns by
fixed positions, as many pages as the rows need. The descriptions are the billing store's (never window titles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.billing.client_document import TimesheetRow
from app.billing.export import bare_amount
from app.domain.invoices import InvoiceDraft
from app.domain.timefmt import format_duration

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
MARGIN, LEADING, SIZE = 40, 14, 9
ROWS_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING
Cell = tuple[int, str, bool]
"""(x position in points, text, right-aligned at x)."""


@dataclass(frozen=True, slots=True)
class Line:
    cells: tuple[Cell, ...]
    bold: bool = False


def proof_lines(draft: InvoiceDraft, rows: Sequence[TimesheetRow], person: str) -> list[Line]:
    """The document as positioned text lines, page breaks left to `render`."""
    money = draft.currency
    out = [Line(((MARGIN, f"Timesheet for invoice {draft.number} - {draft.client_name}", False),), True),
           Line(((MARGIN, f"Period {draft.period_first} to {draft.period_last}", False),)), Line(()),
           Line(((MARGIN, "Invoice line", False), (440, "Time", True), (555, f"Amount ({money})", True)), True)]
    for line in draft.lines:
        time = format_duration(line.billed_seconds) if line.billed_seconds else ""
        out.append(Line(((MARGIN, _fit(line.description, 70), False), (440, time, True),
                         (555, bare_amount(line.amount, draft), True))))
    out += [Line(((MARGIN, "Total", False), (555, bare_amount(draft.total, draft), True)), True), Line(()),
            Line(((MARGIN, "Day", False), (110, "Person", False), (200, "Work", False), (330, "Description", False),
                  (555, "Time", True)), True)]
    for row in rows:
        out.append(Line(((MARGIN, str(row.day), False), (110, _fit(person, 16), False),
                         (200, _fit(row.work, 24), False), (330, _fit(row.description, 40), False),
                         (555, format_duration(row.seconds), True))))
    total = format_duration(sum(r.seconds for r in rows))
    out.append(Line(((330, "Total", False), (555, total, True)), True))
    return out


def render(lines: Sequence[Line]) -> bytes:
    """A PDF of these lines, `ROWS_PER_PAGE` to a page."""
    pages = [lines[i:i + ROWS_PER_PAGE] for i in range(0, len(lines), ROWS_PER_PAGE)] or [[]]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"]
    kids = []
    for page in pages:
        stream = _stream(page)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>"
                       % (PAGE_WIDTH, PAGE_HEIGHT, len(objects)))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def proof_pdf(draft: InvoiceDraft, rows: Sequence[TimesheetRow], person: str) -> bytes:
    return render(proof_lines(draft, rows, person))


def _stream(lines: Sequence[Line]) -> bytes:
    parts = []
    for n, line in enumerate(lines):
        y = PAGE_HEIGHT - MARGIN - (n + 1) * LEADING
        for x, text, right in line.cells:
            encoded = _escape(text)
            left = x - _width(text, line.bold) if right else x
            parts.append(b"BT /F%d %d Tf %.1f %d Td (%s) Tj ET" % (2 if line.bold else 1, SIZE, left, y, encoded))
    return b"\n".join(parts)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


NARROW = {".": 278, ",": 278, ":": 278, " ": 278, "(": 333, ")": 333, "-": 333, "I": 278}
"""Helvetica's widths (thousandths of an em) of the narrow characters; digits and most others are 556 or more."""


def _width(text: str, bold: bool) -> float:
    """Helvetica's width of `text` (bold colons are wider), for right alignment; close enough for other letters."""
    units = sum(333 if bold and c == ":" else NARROW.get(c, 667 if c.isupper() else 556) for c in text)
    return units * SIZE / 1000


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
