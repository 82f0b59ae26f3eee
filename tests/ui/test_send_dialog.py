"""The send dialog checks the connection before anything else: not connected, it offers Connect… and neither
previews nor creates an invoice; it says "customer" for QuickBooks and "contact" for Xero."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.models import NewEntry
from app.domain.periods import parse_week
from app.sync.connection import ConnectionStatus
from app.ui.accounts_page import AccountsPage
from app.ui.events import ChangeBus
from app.ui.send_dialog import SendDialog
from app.ui.tasks import TaskRunner

WEEK = parse_week("2026-W47")


@pytest.fixture
def billable(core: Core) -> Core:
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    project = core.projects.add_project("Acme Ltd/Web")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    entry = core.entries.add(NewEntry(start, start + timedelta(hours=2), "work", project.id))
    core.entries.update(entry.id, status="approved", locked=True)
    return core


@pytest.mark.parametrize(("provider", "party"), [("xero", "contact"), ("quickbooks", "customer")])
def test_not_connected_offers_connect_and_creates_nothing(
    billable: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot, provider: str, party: str
) -> None:
    dialog = SendDialog(runner, billable.sync, provider, WEEK, bus=bus)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.connection_checked, timeout=10_000) as checked:
        pass
    status = checked.args[0]
    assert isinstance(status, ConnectionStatus) and not status.ready
    assert dialog.connect_button.isVisible() and dialog.connect_button.text().startswith("Connect ")
    assert not dialog.send_button.isEnabled()
    assert "is not connected" in dialog.status.text()
    assert f" {party} " in dialog.create_contacts.text()
    qtbot.waitUntil(runner.idle)
    assert billable.billing.drafts() == [], "no invoice is created for a send that cannot happen"
    assert all(e.status != "invoiced" for e in billable.entries.between(
        datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)))

    dialog.connect_button.click()
    assert dialog.accounts is not None and dialog.accounts.isVisible()
    assert dialog.accounts.findChild(AccountsPage) is not None
