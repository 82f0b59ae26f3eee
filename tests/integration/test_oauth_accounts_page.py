"""Preferences → Accounts against the loopback authorization server, with no real browser."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from app.core import Core
from app.sync.accounts import AccountsService
from app.sync.oauth.config import QUICKBOOKS, XERO
from app.sync.oauth.errors import ReconnectNeeded
from app.ui.accounts_page import AccountsPage
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from tests.fakes.oauth_server import QBO_SECRET, FakeOAuthServer, browse, free_ports, provider_configs


@pytest.fixture
def server() -> Iterator[FakeOAuthServer]:
    with FakeOAuthServer() as running:
        yield running


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


@pytest.fixture
def accounts(core: Core, server: FakeOAuthServer) -> AccountsService:
    return AccountsService(core.db, provider_configs(server, free_ports(2)))


@pytest.fixture
def page(accounts: AccountsService, runner: TaskRunner, qtbot: QtBot) -> AccountsPage:
    opened: list[QUrl] = []
    widget = AccountsPage(accounts, runner, ChangeBus(), open_url=lambda url: opened.append(url) and False)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.boxes[XERO].status.text() == "Not connected.")
    return widget


def test_connect_shows_the_address_then_the_organisation(page: AccountsPage, qtbot: QtBot) -> None:
    page.boxes[XERO].connect_button.click()
    qtbot.waitUntil(lambda: page.url_field.isVisible() and page.cancel_button.isVisible())
    assert "No browser opened" in page.waiting.text()
    browser = threading.Thread(target=browse, args=(page.url_field.text(),))
    browser.start()
    qtbot.waitUntil(lambda: "Demo Co" in page.boxes[XERO].status.text(), timeout=10_000)
    browser.join(10)
    assert "Scopes: openid" in page.boxes[XERO].status.text()
    assert page.boxes[XERO].disconnect_button.isVisible() and not page.cancel_button.isVisible()

    page.boxes[XERO].disconnect_button.click()
    qtbot.waitUntil(lambda: page.boxes[XERO].status.text() == "Not connected.", timeout=10_000)


def test_cancel_ends_the_wait(page: AccountsPage, qtbot: QtBot) -> None:
    page.boxes[XERO].connect_button.click()
    qtbot.waitUntil(page.cancel_button.isVisible)
    page.cancel_button.click()
    qtbot.waitUntil(lambda: page.message.text() == "Connecting was cancelled.")
    assert not page.cancel_button.isVisible() and page.boxes[XERO].connect_button.isEnabled()


def test_quickbooks_secret_connect_then_reconnect_needed(
    page: AccountsPage, accounts: AccountsService, server: FakeOAuthServer, qtbot: QtBot
) -> None:
    box = page.boxes[QUICKBOOKS]
    assert box.secret is not None
    box.secret.setText(QBO_SECRET)
    page.save_secret()
    qtbot.waitUntil(lambda: "keyring" in page.message.text())
    assert accounts.vault.client_secret(QUICKBOOKS) == QBO_SECRET and box.secret.text() == ""

    box.connect_button.click()
    qtbot.waitUntil(page.url_field.isVisible)
    browser = threading.Thread(target=browse, args=(page.url_field.text(),))
    browser.start()
    qtbot.waitUntil(lambda: "Sandbox Company" in box.status.text(), timeout=10_000)
    browser.join(10)

    server.revoke_everything()
    tokens = accounts.vault.load(QUICKBOOKS)
    assert tokens is not None
    accounts.vault.save(QUICKBOOKS, replace(tokens, expires_at=datetime.now(UTC)))
    with pytest.raises(ReconnectNeeded):
        accounts.session(QUICKBOOKS).tokens()
    page.refresh()
    qtbot.waitUntil(lambda: "Reconnect needed" in box.status.text())
    assert box.connect_button.text() == "Reconnect" and box.connect_button.isVisible()


def test_organisation_picker_remembers_the_chosen_xero_organisation(
    core: Core, accounts: AccountsService, server: FakeOAuthServer, runner: TaskRunner, qtbot: QtBot
) -> None:
    from app.sync import tenants

    server.tenants.append({"id": "c2", "tenantId": "tenant-2", "tenantType": "ORGANISATION", "tenantName": "Globex NZ"})
    page = AccountsPage(accounts, runner, ChangeBus(), open_url=lambda url: False,
                        organisations=lambda: tenants.organisations(accounts),
                        choose_organisation=lambda wanted: tenants.choose(accounts, wanted))
    qtbot.addWidget(page)
    page.show()
    page.boxes[XERO].connect_button.click()
    qtbot.waitUntil(lambda: page.url_field.isVisible())
    browser = threading.Thread(target=browse, args=(page.url_field.text(),))
    browser.start()
    qtbot.waitUntil(lambda: page.boxes[XERO].organisation_button.isVisible(), timeout=10_000)
    browser.join(10)
    page.boxes[XERO].organisation_button.click()
    qtbot.waitUntil(lambda: page.picker is not None and page.picker.isVisible())
    assert page.picker is not None
    page.picker.setTextValue("Globex NZ")
    page.picker.accept()
    qtbot.waitUntil(lambda: "Globex NZ" in page.message.text() and "Globex NZ" in page.boxes[XERO].status.text())
    assert tenants.current_tenant(accounts) == "tenant-2"
    qtbot.waitUntil(runner.idle)
