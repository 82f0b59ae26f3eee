"""Onboarding brings the contacts of a connected Xero in as clients, each mapped to its contact, and its items as
the tasks of a Services project of each new client, each mapped to its item; with no connection it opens Accounts
and brings in nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.commands.rules import starter_file
from app.sync.provider import RemoteKind
from app.ui.events import ChangeBus
from app.ui.onboarding import OnboardingWizard
from app.ui.onboarding.wizard import CLIENT
from app.ui.tasks import TaskRunner
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def on_client_page(core: Any, runner: TaskRunner, qtbot: QtBot) -> OnboardingWizard:
    wizard = OnboardingWizard(core, runner, ChangeBus(), starter_file(), open_privacy=lambda: None)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.next()
    assert wizard.currentId() == CLIENT
    return wizard


def test_contacts_of_a_connected_xero_come_in_as_mapped_clients(
    core: Any, xero: FakeXero, monkeypatch: pytest.MonkeyPatch, runner: TaskRunner, qtbot: QtBot
) -> None:
    connect(core, xero, monkeypatch)
    for name in ("Acme Ltd", "Globex"):
        xero.books.add_contact(name)
    core.projects.ensure_client("globex")  # already here under another spelling: mapped, not doubled
    wizard = on_client_page(core, runner, qtbot)
    with qtbot.waitSignal(wizard.imported, timeout=15_000) as imported:
        wizard.import_buttons["xero"].click()
    assert imported.args[0] == ["Acme Ltd"]
    assert wizard.currentPage().subTitle() == "1 new client from Xero: Acme Ltd."
    clients = {c.name: c for c in core.projects.clients()}
    assert set(clients) == {"Acme Ltd", "globex"}
    store = core.sync.store("xero")
    for client in clients.values():
        mapping = store.mapping(RemoteKind.CUSTOMER, client.id)
        assert mapping is not None and mapping.name.casefold() == client.name.casefold()
    services = core.projects.require("Acme Ltd/Services")
    tasks = {t.name: t for t in core.projects.tasks(services.id)}
    assert set(tasks) == {"Development", "Consulting"}, "the items come in as tasks of the new client"
    assert {n: store.mapping(RemoteKind.ITEM, t.id).code for n, t in tasks.items()} == {  # type: ignore[union-attr]
        "Development": "DEV", "Consulting": "CONSULT"}
    assert core.projects.find("globex/Services") is None, "a client already here keeps its own projects"


def test_without_a_connection_accounts_open_and_nothing_comes_in(
    core: Any, runner: TaskRunner, qtbot: QtBot
) -> None:
    wizard = on_client_page(core, runner, qtbot)
    wizard.import_buttons["quickbooks"].click()
    qtbot.waitUntil(lambda: wizard.accounts is not None and wizard.accounts.isVisible(), timeout=10_000)
    assert "QuickBooks is not connected" in wizard.currentPage().subTitle()
    assert core.projects.clients() == []
