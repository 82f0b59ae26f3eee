"""Webhook endpoints: added with a fresh Standard Webhooks secret (shown once, kept in the keyring), listed with
their recent deliveries, and removed with their secret."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import col, select

from app.automation.events import EVENTS, json_list
from app.domain.errors import NotFoundError, ValidationError
from app.store.db import Database
from app.store.tables.automation import WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow
from app.sync.oauth.vault import Vault


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: int
    url: str
    events: tuple[str, ...]
    enabled: bool
    disabled_reason: str
    failing_since: datetime | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """A delivery as the log shows it: its last response code (0: none yet, or no answer) and attempts."""

    id: int
    endpoint_id: int
    webhook_id: str
    event: str
    state: str
    attempts: int
    last_status: int
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    next_at: datetime


def secret_name(endpoint_id: int) -> str:
    return f"webhook:{endpoint_id}:secret"


def new_secret() -> str:
    """`whsec_` and 32 random bytes in base64: the Standard Webhooks secret format."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def parse_events(text: str) -> tuple[str, ...]:
    """`E1,E2` as given to `--events`; each must be one TimeTally sends."""
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in EVENTS]
    if not names or unknown:
        what = f"'{unknown[0]}' is not an event TimeTally sends" if unknown else "Name at least one event"
        raise ValidationError(f"{what}; choose from {', '.join(EVENTS)}.")
    return names


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationError(f"'{url}' is not a web address; give one starting with https://.")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValidationError(f"'{url}' is not encrypted; give an https:// address (plain http only for this "
                              "computer, e.g. http://127.0.0.1:8080/hook).")
    if len(url) > 2000:
        raise ValidationError("The address is longer than 2,000 characters.")
    return url


class Endpoints:
    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    def add(self, url: str, events: tuple[str, ...]) -> tuple[Endpoint, str]:
        """The endpoint and its secret, which is shown now and never again. The keyring is asked first, so no
        endpoint exists without its secret."""
        url = check_url(url)
        self._vault.require_secure()
        secret = new_secret()
        with self._db.session() as s:
            row = WebhookEndpointRow(url=url, events=json.dumps(list(events)))
            s.add(row)
            s.flush()
            self._vault.set_secret(secret_name(row.id or 0), secret)
            return endpoint_of(row), secret

    def all(self) -> list[Endpoint]:
        with self._db.session() as s:
            return [endpoint_of(r) for r in s.exec(select(WebhookEndpointRow).order_by(col(WebhookEndpointRow.id)))]

    def get(self, endpoint_id: int) -> Endpoint:
        with self._db.session() as s:
            row = s.get(WebhookEndpointRow, endpoint_id)
            if row is None:
                raise _missing(endpoint_id)
            return endpoint_of(row)

    def remove(self, endpoint_id: int) -> Endpoint:
        """The endpoint, its deliveries (sent or not) and its secret go."""
        with self._db.session() as s:
            row = s.get(WebhookEndpointRow, endpoint_id)
            if row is None:
                raise _missing(endpoint_id)
            gone = endpoint_of(row)
            s.delete(row)
        self._vault.delete_secret(secret_name(endpoint_id))
        return gone

    def secret(self, endpoint_id: int) -> str | None:
        return self._vault.secret(secret_name(endpoint_id))

    def deliveries(self, endpoint_id: int | None = None, limit: int = 50) -> list[Delivery]:
        """The delivery log, newest first."""
        query = select(WebhookDeliveryRow)
        if endpoint_id is not None:
            query = query.where(WebhookDeliveryRow.endpoint_id == endpoint_id)
        with self._db.session() as s:
            return [_delivery(r) for r in s.exec(query.order_by(col(WebhookDeliveryRow.id).desc()).limit(limit))]

    def attempts(self, delivery_id: int) -> list[tuple[datetime, int, str, int]]:
        """(when, response code or 0, what went wrong, milliseconds) of each request of a delivery, oldest first."""
        with self._db.session() as s:
            rows = s.exec(select(WebhookAttemptRow).where(WebhookAttemptRow.delivery_id == delivery_id)
                          .order_by(col(WebhookAttemptRow.id)))
            return [(r.at, r.status, r.error, r.duration_ms) for r in rows]


def _missing(endpoint_id: int) -> NotFoundError:
    return NotFoundError(f"There is no webhook endpoint {endpoint_id}; 'timetally webhooks list' shows them.")


def endpoint_of(row: WebhookEndpointRow) -> Endpoint:
    return Endpoint(row.id or 0, row.url, tuple(json_list(row.events)), row.enabled, row.disabled_reason,
                    row.failing_since)


def _delivery(row: WebhookDeliveryRow) -> Delivery:
    return Delivery(row.id or 0, row.endpoint_id, row.webhook_id, row.event, row.state, row.attempts,
                    row.last_status, row.last_error, row.created_at, row.delivered_at, row.next_at)
