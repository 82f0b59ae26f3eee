"""The send and mapping windows and the payment poller against the fake Xero: preview, send with progress, errors
in Xero's words, fuzzy suggestions confirmed by saving, a contact created on request, lists refreshed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.domain.models import NewEntry
from app.domain.periods import parse_week
from app.sync.provider import RemoteKind
from app.sync.reports import Outcome
from app.ui.events import ChangeBus
from app.ui.mapping_dialog import open_mapping_dialog
from app.ui.payment_poller import PaymentPoller
from app.ui.send_dialog import open_send_dialog
from app.ui.tasks import TaskRunner
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def fake(xero: FakeXero) -> FakeXero:
    return xero


@pytest.fixture
def books(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    for client, day in (("Acme Ltd", 16), ("Globex", 17)):
        core.billing.set_client(client, rate="100", currency="NZD")
        project = core.projects.add_project(f"{client}/Web")
        start = datetime(2026, 11, day, 9, tzinfo=UTC)
        entry = core.entries.add(NewEntry(start, start + timedelta(hours=1), "work", project.id))
        core.entries.update(entry.id, status="approved", locked=True)
    return core


def test_send_dialog_previews_sends_and_shows_xeros_words(books: Any, fake: FakeXero, runner: TaskRunner,
                                                            qtbot: QtBot) -> None:
    fake.books.add_contact("Acme Ltd")
    dialog = open_send_dialog(books.sync, runner, WEEK)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewed, timeout=10_000) as preview:
        pass
    assert [o.outcome for o in preview.args[0].outcomes] == [Outcome.WOULD_SEND, Outcome.WOULD_SEND]
    assert dialog.send_button.isEnabled() and fake.invoices() == []
    with qtbot.waitSignal(dialog.finished_send, timeout=10_000) as sent:
        dialog.send_button.click()
    outcomes = {o.client: o for o in sent.args[0].outcomes}
    assert outcomes["Acme Ltd"].outcome is Outcome.SENT
    assert outcomes["Globex"].outcome is Outcome.FAILED
    globex_row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "Globex")
    assert "No Xero contact is named 'Globex'" in dialog.table.item(globex_row, 5).text()
    assert "need attention" in dialog.status.text() and dialog.send_button.isEnabled()
    dialog.create_contacts.setChecked(True)
    with qtbot.waitSignal(dialog.finished_send, timeout=10_000) as again:
        dialog.send_button.click()
    assert [o.outcome for o in again.args[0].outcomes] == [Outcome.SENT]
    assert len(fake.invoices()) == 2


def test_mapping_dialog_confirms_a_fuzzy_contact_and_refreshes(books: Any, fake: FakeXero, runner: TaskRunner,
                                                                qtbot: QtBot) -> None:
    fake.books.add_contact("Acme Limited")
    dialog = open_mapping_dialog(books.sync, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        pass
    acme = next(c for c in books.projects.clients() if c.name == "Acme Ltd")
    assert dialog.combos[(RemoteKind.CUSTOMER, acme.id)].chosen().name == "Acme Limited"
    assert "%" in dialog.clients_table.item(0, 2).text()
    assert dialog.tabs.count() == 3  # clients, projects (tracking), tasks (items)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.save()
    mapped = books.sync.store("xero").mapping(RemoteKind.CUSTOMER, acme.id)
    assert mapped.name == "Acme Limited" and 60 <= mapped.score < 100
    dialog.clients_table.setCurrentCell(1, 0)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.create_contact()
    assert {c["Name"] for c in fake.books.contacts.values()} == {"Acme Limited", "Globex"}
    fake.books.add_contact("Initech")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000) as refreshed:
        dialog.refresh_button.click()
    assert "Initech" in {o.name for o in refreshed.args[0].lists[RemoteKind.CUSTOMER]}


def test_payment_poller_brings_payments_back_and_announces_them(books: Any, fake: FakeXero, runner: TaskRunner,
                                                                 qtbot: QtBot) -> None:
    fake.books.add_contact("Acme Ltd")
    fake.books.add_contact("Globex")
    report = books.sync.send("xero", WEEK)
    for outcome in report.outcomes:
        fake.books.set_status(outcome.remote_id, "AUTHORISED")
        fake.books.pay(outcome.remote_id)
    bus = ChangeBus()
    poller = PaymentPoller(books.sync, books.settings, runner, bus)
    books.settings.set("sync.payments_poll_minutes", 1)
    poller.start()
    qtbot.waitUntil(lambda: poller.timer.isActive())
    assert poller.timer.interval() == 60_000
    with qtbot.waitSignal(bus.changed, timeout=10_000) as changed, qtbot.waitSignal(poller.checked) as checked:
        poller.check()
    assert "entries" in changed.args[0] and len(checked.args[0]) == 2
    books.settings.set("sync.payments_poll_minutes", 0)
    poller.start()
    qtbot.waitUntil(runner.idle)
    assert not poller.timer.isActive()
