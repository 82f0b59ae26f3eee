"""Preferences → Accounts without a developer account of one's own: the redirect URIs to register, the client id in
use and where it comes from, the user's own id and the QuickBooks relay saved as settings."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from app.sync.accounts import AccountsService
from app.sync.oauth.config import QUICKBOOKS, USER_SETTINGS, XERO
from app.ui.accounts_page import AccountsPage
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner


@pytest.fixture
def page(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot,
         monkeypatch: pytest.MonkeyPatch) -> AccountsPage:
    monkeypatch.delenv("TIMETALLY_XERO_CLIENT_ID", raising=False)
    settings = core.settings
    accounts = AccountsService(core.db, user_settings=lambda: {k: settings.get(k) for k in USER_SETTINGS})
    widget = AccountsPage(accounts, runner, bus, settings=settings)
    qtbot.addWidget(widget)
    widget.resize(760, 720)
    widget.show()
    qtbot.waitUntil(lambda: "callback" in widget.boxes[XERO].app.redirects.text())
    return widget


def test_the_redirect_uris_to_register_are_shown(page: AccountsPage) -> None:
    for provider in (XERO, QUICKBOOKS):
        text = page.boxes[provider].app.redirects.text()
        for port in (8765, 8766, 8767):
            assert f"http://localhost:{port}/callback" in text


def test_a_pasted_client_id_is_used_and_said_where_it_comes_from(
    page: AccountsPage, core: Core, qtbot: QtBot
) -> None:
    app = page.boxes[XERO].app
    app.client_id.setText("  my-own-xero-app  ")
    app.save.click()
    qtbot.waitUntil(lambda: "my-own-xero-app" in app.source.text())
    assert "your setting in Preferences → Accounts" in app.source.text()
    assert core.settings.get("xero.client_id") == "my-own-xero-app"
    assert core.accounts is not None


def test_the_quickbooks_relay_is_a_choice_with_a_url(page: AccountsPage, core: Core, qtbot: QtBot) -> None:
    app = page.boxes[QUICKBOOKS].app
    assert app.relay is not None and app.relay_url is not None and not app.relay_url.isEnabled()
    app.relay.setChecked(True)
    app.relay_url.setText("http://example.com/token")
    app.save.click()
    qtbot.waitUntil(lambda: "https://" in page.message.text())
    assert core.settings.get("quickbooks.relay") is False, "a refused URL stores nothing"
    app.relay_url.setText("https://relay.example.com/token")
    app.save.click()
    qtbot.waitUntil(lambda: core.settings.get("quickbooks.relay_url") == "https://relay.example.com/token")
    assert core.settings.get("quickbooks.relay") is True
