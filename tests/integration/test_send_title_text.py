"""A draft stored with text taken from window titles is refused by the send, whatever the accounting system."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from app.domain.models import DescriptionOrigin, NewEntry
from app.domain.periods import parse_week
from app.sync.quickbooks_send.links import Mode
from app.sync.reports import Outcome
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect as qbo_connect
from tests.fakes.quickbooks_setup import fake_company
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")
TITLE = "Pull request #42 · acme/secret-merger - Mozilla Firefox"


@pytest.fixture
def fake() -> Iterator[FakeXero]:
    with FakeXero() as server:
        yield server
    assert server.spec_problems == [], "a request did not conform to the Xero spec"


def test_xero_is_not_sent_a_draft_with_unconfirmed_title_text(core: Any, fake: FakeXero,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    connect(core, fake, monkeypatch)
    fake.books.add_contact("Acme Ltd")
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    web = core.projects.add_project("Acme Ltd/Web")
    entry = core.entries.add(NewEntry(datetime(2026, 11, 17, 9, tzinfo=UTC), datetime(2026, 11, 17, 10, tzinfo=UTC),
                                      TITLE, web.id))
    core.approvals.approve([entry.id])
    [draft] = core.billing.create(WEEK, grouping="entry")
    with core.db.engine.begin() as conn:  # stored before text from window titles was withheld
        conn.execute(text("UPDATE time_entry SET description_origin = 'title'"))

    [outcome] = core.sync.send("xero", WEEK).outcomes

    assert outcome.outcome is Outcome.FAILED and outcome.number == draft.number
    assert outcome.errors[0].startswith(f"{draft.number} carries text taken from window titles (entry #{entry.id})")
    assert fake.calls("PUT", "/Invoices") == 0 and fake.invoices() == []
    core.billing.refresh(draft.number)
    [sent] = core.sync.send("xero", WEEK).outcomes
    assert sent.outcome is Outcome.SENT
    assert "secret-merger" not in fake.invoices()[0]["LineItems"][0]["Description"]


@pytest.fixture
def quickbooks(core: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeQuickBooks]:
    with fake_company() as server:
        qbo_connect(core, server, monkeypatch)
        server.company.add("Customer", DisplayName="Acme Ltd")
        core.billing.set_client("Acme Ltd", rate="100", currency="USD")
        yield server
    assert server.spec_problems == []


def titled_entry(core: Any, origin: DescriptionOrigin) -> int:
    web = core.projects.find("Acme Ltd/Web") or core.projects.add_project("Acme Ltd/Web")
    entry = core.entries.add(NewEntry(datetime(2026, 11, 17, 9, tzinfo=UTC), datetime(2026, 11, 17, 10, tzinfo=UTC),
                                      TITLE, web.id, description_origin=origin))
    core.approvals.approve([entry.id])
    return int(entry.id)


def test_quickbooks_time_activities_carry_no_unconfirmed_title_text(core: Any, quickbooks: FakeQuickBooks) -> None:
    titled_entry(core, DescriptionOrigin.TITLE)
    core.sync.quickbooks().send(WEEK)
    [activity] = quickbooks.all("TimeActivity")
    assert activity["Description"] == "Web"  # the project stands in for the withheld text


def test_quickbooks_is_not_sent_an_invoice_with_unconfirmed_title_text(core: Any, quickbooks: FakeQuickBooks) -> None:
    entry_id = titled_entry(core, DescriptionOrigin.TYPED)
    core.billing.create(WEEK, grouping="entry")
    with core.db.engine.begin() as conn:  # stored before text from window titles was withheld
        conn.execute(text(f"UPDATE time_entry SET description_origin = 'title' WHERE id = {entry_id}"))
    outcomes = core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE).outcomes
    assert [o.outcome for o in outcomes] == [Outcome.FAILED]
    assert "carries text taken from window titles" in outcomes[0].errors[0]
    assert quickbooks.all("Invoice") == [] and quickbooks.all("TimeActivity") == []
