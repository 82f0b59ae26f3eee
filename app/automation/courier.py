"""Delivering webhooks: signed with the Standard Webhooks library, retried with backoff, never lost.

A delivery is claimed by moving its due time a lease ahead (one conditional UPDATE, so two processes never send
it at once); a sender killed mid-request leaves it due again when the lease runs out. Every retry carries the
same `webhook-id` and body, with a fresh `webhook-timestamp` and signature. Any 2xx answer delivers it; anything
else (an error status, no answer, a dropped connection) tries again later. An endpoint that has failed for a day
is disabled and the caller is told, so it can notify the user once; its deliveries wait, and a successful
`webhooks test` enables it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.sql.expression import Select
from standardwebhooks.webhooks import Webhook

from app.automation.changes import new_webhook_id
from app.automation.endpoints import Endpoint, Endpoints, endpoint_of
from app.automation.events import TEST_EVENT, envelope
from app.domain.errors import TimeTallyError
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.automation import WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow

BACKOFF = (5, 300, 1800, 7200, 18000, 36000)
"""Seconds before the next attempt after the 1st, 2nd, ... failure (the last repeats): the schedule the Standard
Webhooks specification suggests."""
LEASE = timedelta(seconds=60)
FAILING_FOR = timedelta(days=1)
TIMEOUT = 15.0


@dataclass
class Report:
    delivered: list[str] = field(default_factory=list)
    """webhook-ids delivered in this pass."""
    failed: list[str] = field(default_factory=list)
    disabled: list[Endpoint] = field(default_factory=list)

    def notices(self) -> list[str]:
        return [f"The webhook endpoint {e.url} has failed for a day and is disabled; run 'timetally webhooks test "
                f"{e.id}' once it answers again." for e in self.disabled]


class Courier:
    def __init__(self, db: Database, endpoints: Endpoints, *, transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], datetime] = utcnow, backoff: Sequence[float] = BACKOFF) -> None:
        self._db = db
        self._endpoints = endpoints
        self._clock = clock
        self._backoff = backoff
        self._http = httpx.Client(transport=transport, timeout=TIMEOUT, follow_redirects=False,
                                  headers={"Content-Type": "application/json", "User-Agent": "TimeTally"})

    def close(self) -> None:
        self._http.close()

    def deliver_due(self, only: Iterable[int] | None = None, deadline: float | None = None) -> Report:
        """One pass: each due delivery (of `only`, when given) gets one attempt; stops at the `time.monotonic`
        `deadline`, leaving the rest due."""
        report, tried = Report(), set[int]()
        wanted = None if only is None else set(only)
        while deadline is None or time.monotonic() < deadline:
            claimed = self._claim(tried, wanted)
            if claimed is None:
                break
            tried.add(claimed[0].id or 0)
            self._attempt(*claimed, report, deadline)
        return report

    def test(self, endpoint_id: int) -> WebhookDeliveryRow:
        """Send a `webhook.test` event now, even to a disabled endpoint (an answer enables it again); the delivery."""
        endpoint = self._endpoints.get(endpoint_id)
        now = self._clock()
        with self._db.session() as s:
            row = WebhookDeliveryRow(endpoint_id=endpoint.id, webhook_id=new_webhook_id(), event=TEST_EVENT,
                                     body=envelope(TEST_EVENT, now, {"endpoint_id": endpoint.id}), next_at=now)
            s.add(row)
            s.flush()
            delivery_id = row.id or 0
        claimed = self._claim(set(), {delivery_id}, any_endpoint=True)
        if claimed is not None:
            self._attempt(*claimed, Report(), None)
        with self._db.session() as s:
            done = s.get(WebhookDeliveryRow, delivery_id)
            assert done is not None
            if done.state == "pending":
                done.state = "failed"  # a test is tried once, never again later
                s.add(done)
            return done

    def _due(self, tried: set[int], wanted: set[int] | None,
             any_endpoint: bool = False) -> Select[WebhookDeliveryRow, WebhookEndpointRow]:
        query = (select(WebhookDeliveryRow, WebhookEndpointRow)
                 .join(WebhookEndpointRow, col(WebhookEndpointRow.id) == WebhookDeliveryRow.endpoint_id)
                 .where(WebhookDeliveryRow.state == "pending", col(WebhookDeliveryRow.next_at) <= self._clock(),
                        col(WebhookDeliveryRow.id).not_in(tried)))
        if not any_endpoint:
            query = query.where(col(WebhookEndpointRow.enabled))
        if wanted is not None:
            query = query.where(col(WebhookDeliveryRow.id).in_(wanted))
        return query.order_by(col(WebhookDeliveryRow.next_at), col(WebhookDeliveryRow.id))

    def _claim(self, tried: set[int], wanted: set[int] | None, any_endpoint: bool = False
               ) -> tuple[WebhookDeliveryRow, WebhookEndpointRow] | None:
        """The next due delivery, now held by this process for one attempt, or None."""
        while True:
            with self._db.session() as s:
                found = s.exec(self._due(tried, wanted, any_endpoint)).first()
                if found is None:
                    return None
                delivery, endpoint = found
                taken = s.execute(update(WebhookDeliveryRow).where(
                    col(WebhookDeliveryRow.id) == delivery.id, col(WebhookDeliveryRow.state) == "pending",
                    col(WebhookDeliveryRow.next_at) == delivery.next_at,
                ).values(next_at=self._clock() + LEASE, attempts=delivery.attempts + 1))
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    return delivery, endpoint
                tried.add(delivery.id or 0)  # another process took it

    def _attempt(self, delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow, report: Report,
                 deadline: float | None) -> None:
        started, clock = self._clock(), time.monotonic()
        try:
            status, error = self._post(delivery, endpoint, started, deadline)
        except TimeTallyError as exc:  # no keyring: a failed attempt like any other, tried again later
            status, error = 0, str(exc)
        self._record(delivery, endpoint, status, error, started, int((time.monotonic() - clock) * 1000), report)

    def _post(self, delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow, at: datetime,
              deadline: float | None) -> tuple[int, str]:
        """(response code or 0, what went wrong or "")."""
        secret = self._endpoints.secret(endpoint.id or 0)
        if not secret:
            return 0, "the endpoint's secret is missing from the keyring; remove the endpoint and add it again"
        headers = {"webhook-id": delivery.webhook_id, "webhook-timestamp": str(int(at.timestamp())),
                   "webhook-signature": Webhook(secret).sign(delivery.webhook_id, at, delivery.body)}
        timeout = TIMEOUT if deadline is None else max(0.5, min(TIMEOUT, deadline - time.monotonic()))
        try:
            response = self._http.post(endpoint.url, content=delivery.body.encode(), headers=headers, timeout=timeout)
        except httpx.HTTPError as exc:
            return 0, f"no answer: {type(exc).__name__}"
        status = response.status_code
        return status, "" if response.is_success else f"answered {status} {response.reason_phrase}".strip()

    def _record(self, delivery: WebhookDeliveryRow, endpoint: WebhookEndpointRow, status: int, error: str,
                at: datetime, duration_ms: int, report: Report) -> None:
        ok = 200 <= status < 300 and not error
        now = self._clock()
        with self._db.session() as s:
            row = s.get(WebhookDeliveryRow, delivery.id)
            target = s.get(WebhookEndpointRow, endpoint.id)
            if row is None or target is None:
                return  # the endpoint was removed meanwhile, with its deliveries
            s.add(WebhookAttemptRow(delivery_id=delivery.id or 0, at=at, status=status, error=error,
                                    duration_ms=duration_ms))
            row.last_status, row.last_error = status, error
            if ok:
                row.state, row.delivered_at = "delivered", now
                if not target.enabled:  # it answers again: what waited for it is due now
                    s.execute(update(WebhookDeliveryRow).where(
                        col(WebhookDeliveryRow.endpoint_id) == target.id, col(WebhookDeliveryRow.state) == "pending",
                        col(WebhookDeliveryRow.id) != row.id).values(next_at=now))
                target.failing_since, target.enabled, target.disabled_reason = None, True, ""
                report.delivered.append(row.webhook_id)
            else:
                step = self._backoff[min(row.attempts, len(self._backoff)) - 1] if self._backoff else 0
                row.next_at = now + timedelta(seconds=step)
                target.failing_since = target.failing_since or at
                report.failed.append(row.webhook_id)
                if target.enabled and now - target.failing_since >= FAILING_FOR:
                    target.enabled = False
                    target.disabled_reason = f"failing since {target.failing_since:%Y-%m-%d %H:%M} UTC: {error}"
                    report.disabled.append(endpoint_of(target))
            s.add(row)
            s.add(target)
