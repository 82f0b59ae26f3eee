"""A send is one unit of work: one that did not happen (no account, no connection, sign-in refused, cancelled)
stores and locks nothing and uses up no invoice number; the connection can be checked cheaply beforehand."""

from __future__ import annotations

import socket
from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.core import build_core
from app.domain.errors import TimeTallyError, ValidationError
from app.domain.models import EntryStatus
from app.domain.periods import parse_week
from app.store.tables.accounts import AccountRow
from app.sync.accounts import RECONNECT_NEEDED
from app.sync.outbox import JobState
from app.sync.provider import RemoteKind, RemoteOption
from app.sync.quickbooks_send.links import Mode
from app.sync.ratelimit import Limits
from app.sync.reports import Outcome
from app.sync.store import Mapping
from tests.fakes.captured import approved
from tests.fakes.quickbooks_setup import connect as connect_quickbooks
from tests.fakes.quickbooks_setup import fake_company
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")
QUICK = Limits(max_retries=1, backoff_seconds=0.01)


@pytest.fixture
def fake(xero: FakeXero) -> FakeXero:
    return xero


@pytest.fixture
def acme(core: Any) -> list[int]:
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    return [approved(core, "Acme Ltd/Web", datetime(2026, 11, day, 9, tzinfo=UTC), timedelta(hours=2))
            for day in (16, 17)]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nothing_kept(core: Any, ids: list[int]) -> None:
    assert core.billing.drafts() == []
    assert [core.entries.get(i).status for i in ids] == [EntryStatus.APPROVED] * 2
    [draft] = core.billing.preview(WEEK)
    assert draft.entry_ids == tuple(ids)


def test_without_a_connected_account_nothing_is_stored_and_the_status_says_connect(core: Any,
                                                                                 acme: list[int]) -> None:
    status = core.sync.connection_status("xero")
    assert (status.ready, status.state, status.action) == (False, "not connected", "connect")
    assert "timetally accounts connect xero" in status.message
    with pytest.raises(ValidationError, match="Xero is not connected"):
        core.sync.send("xero", WEEK)
    nothing_kept(core, acme)
    assert [d.number for d in core.billing.create(WEEK)] == ["INV-0001"]


def test_the_connection_status_follows_the_account(core: Any, fake: FakeXero,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    connect(core, fake, monkeypatch)
    status = core.sync.connection_status("xero")
    assert (status.ready, status.organisation, status.message) == (True, "Demo Company (NZ)", "")
    with core.db.session() as s:
        row = s.get(AccountRow, "xero")
        row.state = RECONNECT_NEEDED
        s.add(row)
    status = core.sync.connection_status("xero")
    assert (status.ready, status.action) == (False, "reconnect") and "no longer accepts" in status.message
    with core.db.session() as s:
        row = s.get(AccountRow, "xero")
        row.state = "connected"
        s.add(row)
    core.accounts.vault.delete("xero")
    status = core.sync.connection_status("xero")
    assert (status.ready, status.action) == (False, "connect") and "missing from the system keyring" in status.message
    assert status.to_json()["ready"] is False


def test_an_unreachable_xero_takes_the_drafts_back_and_the_next_send_starts_afresh(
        core: Any, acme: list[int], fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> None:
    contact = fake.books.add_contact("Acme Ltd")
    store = core.sync.store("xero")  # lists known from an earlier sync: only the invoice request is left to make
    store.save(RemoteKind.ACCOUNT, [RemoteOption(RemoteKind.ACCOUNT, "200", "Sales")])
    store.save(RemoteKind.TAX_RATE, [RemoteOption(RemoteKind.TAX_RATE, "NONE", "No GST", detail="0.0%")])
    client = next(c for c in core.projects.clients() if c.name == "Acme Ltd")
    store.set_mapping(Mapping(RemoteKind.CUSTOMER, client.id, contact["ContactID"], "Acme Ltd"))
    connect(core, fake, monkeypatch, QUICK)
    monkeypatch.setenv("TIMETALLY_XERO_API_URL", f"http://127.0.0.1:{closed_port()}/api.xro/2.0")
    [outcome] = core.sync.send("xero", WEEK).outcomes
    assert outcome.outcome is Outcome.NOT_SENT and not outcome.outcome.ok
    assert "could not be reached" in outcome.errors[0] and "taken back" in outcome.errors[-1]
    nothing_kept(core, acme)
    [job] = core.sync.outbox("xero").jobs()
    assert job.state is JobState.FAILED and "taken back" in job.errors[0]
    monkeypatch.setenv("TIMETALLY_XERO_API_URL", fake.api_url)
    with closing(build_core()) as again:  # the next run of TimeTally, with the network back
        [sent] = again.sync.send("xero", WEEK).outcomes
    assert (sent.outcome, sent.number) == (Outcome.SENT, "INV-0001") and len(fake.invoices()) == 1


def test_a_refused_sign_in_takes_the_drafts_back(core: Any, acme: list[int], fake: FakeXero,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fake.books.add_contact("Acme Ltd")
    connect(core, fake, monkeypatch, QUICK)
    for kind in (RemoteKind.CUSTOMER, RemoteKind.ACCOUNT, RemoteKind.TAX_RATE):
        core.sync.provider("xero").remote_list(kind)
    fake.tokens.clear()
    with pytest.raises(TimeTallyError):
        core.sync.send("xero", WEEK)
    nothing_kept(core, acme)
    assert fake.invoices() == []


def test_a_draft_stored_before_the_send_is_kept_and_only_the_sends_own_is_given_back(
        core: Any, acme: list[int], fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> None:
    core.billing.set_client("Globex", rate="80", currency="NZD")
    approved(core, "Globex/App", datetime(2026, 11, 18, 9, tzinfo=UTC), timedelta(hours=1))
    [mine] = core.billing.create(WEEK, "Globex")
    connect(core, fake, monkeypatch, QUICK)
    outcomes = core.sync.send("xero", WEEK).outcomes  # no contact for either client
    assert {o.number: o.outcome for o in outcomes} == {"INV-0001": Outcome.FAILED, "INV-0002": Outcome.FAILED}
    assert [d.number for d in core.billing.drafts()] == [mine.number]
    assert [d.number for d in core.billing.create(WEEK)] == ["INV-0002"]


def test_quickbooks_invoice_mode_unreachable_keeps_nothing(core: Any, acme: list[int],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    core.settings.set("billing.person", "Jane Doe")
    with fake_company() as fake:
        connect_quickbooks(core, fake, monkeypatch, QUICK)
    core.sync.use(limits=QUICK)  # the fake is gone: nothing listens there any more
    with pytest.raises(TimeTallyError, match="could not be reached"):
        core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE, create_customers=True)
    nothing_kept(core, acme)
