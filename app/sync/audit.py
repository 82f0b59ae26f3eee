"""The audit log: every call to an accounting system, and every divergence noticed, as rows the user can read.

Kept: method, endpoint (path and query), HTTP status, time taken, idempotency key, remote ids, which local
documents were transformed into what, and the rate-limit headers. Never kept: request headers (they carry the
bearer token), token values, or bodies. Writing the log never stops a sync.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.sync import SyncAuditRow
from app.sync.provider import Exchange

log = logging.getLogger(__name__)

_SECRET_PARAM = re.compile(r"(?i)(access_token|refresh_token|token|code|client_secret)=[^&]*")


def clean_endpoint(endpoint: str) -> str:
    """Any credential-looking query parameter is blanked before the endpoint is stored."""
    return _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=***", endpoint)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    kind: str
    at: datetime
    method: str
    endpoint: str
    status: int
    duration_ms: int
    idempotency_key: str
    remote_ids: tuple[str, ...]
    transformed: str
    limits: dict[str, str]
    error: str


class AuditLog:
    def __init__(self, db: Database, provider: str) -> None:
        self._db = db
        self.provider = provider

    def record(self, exchange: Exchange) -> None:
        self._write(SyncAuditRow(
            provider=self.provider, kind="call", at=exchange.started_at, method=exchange.method,
            endpoint=clean_endpoint(exchange.endpoint), status=exchange.status, duration_ms=exchange.duration_ms,
            idempotency_key=exchange.idempotency_key, remote_ids=json.dumps(list(exchange.remote_ids)),
            transformed=exchange.transformed, limits=json.dumps(dict(exchange.limits)), error=exchange.error,
        ))

    def note(self, text: str, remote_ids: tuple[str, ...] = (), transformed: str = "") -> None:
        """Something the user should know that was not a call: a divergence, a release of entries."""
        self._write(SyncAuditRow(provider=self.provider, kind="note", at=utcnow(), error=text,
                                 remote_ids=json.dumps(list(remote_ids)), transformed=transformed))

    def _write(self, row: SyncAuditRow) -> None:
        try:
            with self._db.session() as s:
                s.add(row)
        except Exception:  # the log must not turn a finished call into a failed sync
            log.exception("the sync audit log could not be written")

    def records(self, limit: int = 500, kind: str | None = None) -> list[AuditRecord]:
        """Newest first."""
        query = select(SyncAuditRow).where(SyncAuditRow.provider == self.provider)
        if kind is not None:
            query = query.where(SyncAuditRow.kind == kind)
        with self._db.session() as s:
            rows = s.exec(query.order_by(col(SyncAuditRow.id).desc()).limit(limit)).all()
            return [AuditRecord(r.id or 0, r.kind, r.at, r.method, r.endpoint, r.status, r.duration_ms,
                                r.idempotency_key, tuple(json.loads(r.remote_ids)), r.transformed,
                                json.loads(r.limits), r.error) for r in rows]
