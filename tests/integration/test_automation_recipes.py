"""The three recipes of docs/automation.md, run through the CLI against a receiver on loopback that checks every
signature: each recipe reads exactly the fields the docs tell it to."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from tests.fakes.captured import approved
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "automation.md").read_text(encoding="utf-8")
WEEK = "2026-W47"


@pytest.fixture
def receiver(utc_zone: None) -> Any:
    with WebhookReceiver() as server:
        yield server


def subscribe(core: Any, receiver: WebhookReceiver, *events: str) -> None:
    _, receiver.secret = core.automation.endpoints.add(receiver.hook_url, events)


def drafts(core: Any) -> list[int]:
    project = core.projects.add_project("Acme Ltd/Website")
    task = core.projects.ensure_task(project.id, "Ticket 7")
    ids = []
    for day, hours, text in ((16, 2, "Login page"), (18, 1.5, "Search results")):
        start = datetime(2026, 11, day, 9, tzinfo=UTC)
        entry, _ = core.entry_service.add_manual(start, start + timedelta(hours=hours), text, project.id, task.id)
        ids.append(entry.id)
    return ids


def test_zapier_catch_hook_makes_a_spreadsheet_row_per_approved_entry(core: Any, receiver: WebhookReceiver) -> None:
    subscribe(core, receiver, "week.approved")
    drafts(core)
    assert main(["entries", "approve", "--week", WEEK]) == 0
    [hook] = receiver.received
    assert hook.verified
    # Looping by Zapier over data.entries -> Google Sheets "Create Spreadsheet Row", columns as the docs list them
    rows = [(e["start"][:10], e["client"], e["project"], e["task"], e["duration_seconds"] / 3600, e["description"])
            for e in hook.body["data"]["entries"]]
    assert rows == [("2026-11-16", "Acme Ltd", "Website", "Ticket 7", 2.0, "Login page"),
                    ("2026-11-18", "Acme Ltd", "Website", "Ticket 7", 1.5, "Search results")]


def test_make_or_n8n_posts_to_slack_when_an_invoice_is_paid(core: Any, receiver: WebhookReceiver, xero: FakeXero,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    connect(core, xero, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    xero.books.add_contact("Acme Ltd")
    approved(core, "Acme Ltd/Website", datetime(2026, 11, 17, 9, tzinfo=UTC), timedelta(hours=3))
    subscribe(core, receiver, "invoice.paid")
    assert main(["sync", "xero", "--week", WEEK]) == 0
    [sent] = core.sync.store("xero").sent_invoices()
    xero.books.set_status(sent.remote_id, "AUTHORISED")
    xero.books.pay(sent.remote_id, day=date(2026, 11, 30))
    assert main(["sync", "payments"]) == 0
    [hook] = receiver.received
    assert hook.verified and hook.body["type"] == "invoice.paid"
    template = re.search(r"`(Invoice \{\{data\.number\}\}[^`]*)`", DOCS)
    assert template, "the Slack text of the recipe"
    text = re.sub(r"\{\{data\.(\w+)\}\}", lambda m: str(hook.body["data"][m[1]]), template[1])
    assert text == "Invoice INV-0001 from Acme Ltd is paid: 300.00 NZD on 2026-11-30"


def test_cron_submits_last_weeks_timesheet(core: Any, receiver: WebhookReceiver) -> None:
    subscribe(core, receiver, "week.submitted")
    drafts(core)
    line = next(line for line in DOCS.splitlines() if "entries submit" in line and line.startswith("0 8"))
    commands = re.findall(r"timetally (entries \w+) --week", line)
    assert commands == ["entries approve", "entries submit"]
    for command in commands:
        assert main([*command.split(), "--week", WEEK]) == 0
    [hook] = receiver.received
    assert hook.verified
    assert hook.body["data"]["week_start"] == "2026-11-16" and hook.body["data"]["week_end"] == "2026-11-22"
