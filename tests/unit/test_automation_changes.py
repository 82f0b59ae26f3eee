"""Events derived from the rows a change writes, in the same transaction: none without a subscriber, none from a
change that was rolled back, one week.approved per week an approval touched."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from app.domain.models import NewEntry
from app.store.tables import EntryRow
from app.store.tables.automation import WebhookDeliveryRow, WebhookEndpointRow


def events(core: Any) -> list[str]:
    with core.db.session() as s:
        return [r.event for r in s.exec(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.id))]


def subscribe(core: Any, *names: str) -> int:
    endpoint, _ = core.automation.endpoints.add("https://hooks.example.com/in", names)
    return endpoint.id


def test_nothing_is_written_without_a_subscriber(core: Any) -> None:
    core.timer.start("no one listens")
    subscribe(core, "entry.deleted")
    core.timer.stop()
    assert events(core) == []


def test_a_switch_stops_and_starts_in_one_transaction(core: Any) -> None:
    subscribe(core, "timer.started", "timer.stopped")
    core.timer.start("first")
    core.timer.switch("second")
    assert events(core) == ["timer.started", "timer.stopped", "timer.started"]


def test_a_rolled_back_change_leaves_no_delivery(core: Any) -> None:
    subscribe(core, "entry.created")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    with pytest.raises(RuntimeError), core.db.session() as s:
        s.add(EntryRow(start_utc=start, end_utc=start + timedelta(hours=1), description="never saved"))
        s.flush()
        raise RuntimeError("the change fails after its rows were flushed")
    assert events(core) == []
    core.entries.add(NewEntry(start, start + timedelta(hours=1), "saved"))
    assert events(core) == ["entry.created"]


def test_a_disabled_endpoint_gets_no_new_deliveries(core: Any) -> None:
    endpoint_id = subscribe(core, "timer.started")
    with core.db.session() as s:
        row = s.get(WebhookEndpointRow, endpoint_id)
        assert row is not None
        row.enabled = False
        s.add(row)
    core.timer.start("while disabled")
    assert events(core) == []


def test_one_week_approved_per_week_an_approval_touches(core: Any, utc_zone: None) -> None:
    subscribe(core, "week.approved")
    project = core.projects.add_project("Acme Ltd/Website")
    ids = [core.entries.add(NewEntry(datetime(2026, 11, day, 9, tzinfo=UTC), datetime(2026, 11, day, 10, tzinfo=UTC),
                                     f"day {day}", project.id)).id for day in (20, 22, 24)]
    core.approvals.approve(ids)
    with core.db.session() as s:
        bodies = [json.loads(r.body)["data"] for r in s.exec(select(WebhookDeliveryRow))]
    assert [(b["week_start"], [e["id"] for e in b["entries"]]) for b in bodies] == [
        ("2026-11-16", ids[:2]), ("2026-11-23", ids[2:])]
