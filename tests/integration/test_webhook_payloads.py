"""Every event, caused through the services as the CLI and the GUI cause it: stable fields as documented, money as
decimal text, UTC instants, and never a window title, token or secret."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from app.automation.events import EVENTS
from app.domain.models import DescriptionOrigin
from app.store.spans import SpanStore
from app.store.tables.automation import WebhookDeliveryRow
from app.sync.outbox import JobKind
from tests.fakes.captured import WEEK, approved_from_spans
from tests.fakes.xero_server import ACCESS_TOKEN, FakeXero
from tests.fakes.xero_setup import connect

DOCS = Path(__file__).resolve().parents[2] / "docs" / "automation.md"
TITLE = "ACME-99 Quarterly payroll.xlsx - LibreOffice Calc"


def bodies(core: Any) -> list[dict[str, Any]]:
    with core.db.session() as s:
        return [json.loads(r.body) for r in s.exec(select(WebhookDeliveryRow).order_by(WebhookDeliveryRow.id))]


def documented() -> dict[str, dict[str, Any]]:
    """The example payload of each event in docs/automation.md, by event."""
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    examples = [json.loads(b) for b in blocks]
    return {e["type"]: e for e in examples if isinstance(e, dict) and "type" in e}


@pytest.fixture
def every_event(core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[Any, str]:
    """Each of the twelve events, caused the ordinary way; (core, the endpoint's secret)."""
    connect(core, xero, monkeypatch)
    _, secret = core.automation.endpoints.add("https://hooks.example.com/timetally", EVENTS)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    xero.books.add_contact("Acme Ltd")
    core.timer.start("Planning call")
    core.timer.stop()
    core.timer.start(TITLE, description_origin=DescriptionOrigin.TITLE)
    core.timer.stop()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    titled, _ = core.entry_service.add_manual(start, start + timedelta(hours=1), TITLE,
                                              description_origin=DescriptionOrigin.TITLE)
    core.entry_service.edit(titled.id, end=start + timedelta(hours=2))
    core.entry_service.delete(titled.id)
    SpanStore(core.db).add_many([])
    approved_from_spans(core, tmp_path)
    core.approvals.submit(WEEK)
    [sent] = core.sync.send("xero", WEEK).outcomes
    xero.books.set_status(sent.remote_id, "AUTHORISED")
    xero.books.pay(sent.remote_id, Decimal("100"))
    core.sync.sync_payments(["xero"])
    xero.books.pay(sent.remote_id, Decimal("250"))
    core.sync.sync_payments(["xero"])
    outbox = core.sync.outbox("xero")
    job = outbox.enqueue(JobKind.CUSTOMER, "77", 1, "Beta GmbH", {"name": "Beta GmbH"})
    outbox.fail(job.id, ["Xero refused the contact: the name is already used by an archived contact."])
    return core, secret


def test_every_event_is_sent_with_the_fields_docs_automation_md_shows(every_event: tuple[Any, str]) -> None:
    core, _ = every_event
    seen = {b["type"]: b for b in bodies(core)}
    assert set(seen) == set(EVENTS)
    examples = documented()
    for name in EVENTS:
        assert set(seen[name]) == {"type", "timestamp", "data"}
        assert set(seen[name]["data"]) == set(examples[name]["data"]), f"{name} differs from its documented example"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", seen[name]["timestamp"])
    paid = seen["invoice.paid"]["data"]
    assert (paid["total"], paid["amount_paid"], paid["amount_due"]) == ("350.00", "350.00", "0.00")
    assert [b["data"]["amount"] for b in bodies(core) if b["type"] == "payment.received"] == ["100.00", "250.00"]
    assert seen["invoice.created"]["data"]["total"] == "350.00"
    approved = [e for b in bodies(core) if b["type"] == "week.approved" for e in b["data"]["entries"]]
    assert len(approved) == 2 and all(e["end"].endswith("Z") for e in approved)


def test_no_event_carries_a_window_title_a_token_or_the_secret(every_event: tuple[Any, str]) -> None:
    core, secret = every_event
    titles = [TITLE, *(s.title for s in SpanStore(core.db).between(0, 2**40))]
    assert len(titles) == 3
    tokens = [ACCESS_TOKEN, "fake-refresh", secret, secret.removeprefix("whsec_")]
    for body in bodies(core):
        text = json.dumps(body)
        for secret_text in [*titles, *tokens]:
            assert secret_text not in text, f"{body['type']} carries {secret_text!r}"
    descriptions = [b["data"]["description"] for b in bodies(core) if b["type"].startswith(("timer.", "entry."))]
    assert None in descriptions and "Planning call" in descriptions

