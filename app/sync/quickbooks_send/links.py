"""The QuickBooks links kept locally: each client's send mode, each project's job and the person's employee or
vendor record (table `quickbooks_link`)."""

from __future__ import annotations

from enum import StrEnum

from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.quickbooks import QuickBooksLinkRow


class Mode(StrEnum):
    TIME = "time"
    """Approved entries become billable time activities; the user invoices them inside QuickBooks."""
    INVOICE = "invoice"
    """Time activities plus an invoice whose lines bill them."""


class Links:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, kind: str, local_key: str | int) -> tuple[str, str] | None:
        """(code, name), or None when nothing is linked."""
        with self._db.session() as s:
            row = s.get(QuickBooksLinkRow, (kind, str(local_key)))
            return (row.code, row.name) if row else None

    def set(self, kind: str, local_key: str | int, code: str, name: str = "") -> None:
        with self._db.session() as s:
            s.merge(QuickBooksLinkRow(kind=kind, local_key=str(local_key), code=code, name=name, updated_at=utcnow()))

    def mode(self, client_id: int, default: Mode) -> Mode:
        found = self.get("mode", client_id)
        return Mode(found[0]) if found else default

    def set_mode(self, client_id: int, mode: Mode) -> None:
        self.set("mode", client_id, str(mode))
