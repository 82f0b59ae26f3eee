"""Preferences → Automation on the real services: add an endpoint (secret shown once), send a test to a verifying
receiver on loopback, see the delivery log, set a schedule, remove the endpoint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from app.ui.automation_page import AutomationPage
from app.ui.tasks import TaskRunner
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.ui.conftest import drain


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def open_page(core: Core, runner: TaskRunner, qtbot: QtBot) -> AutomationPage:
    page = AutomationPage(core.automation, runner)
    qtbot.addWidget(page)
    page.resize(860, 900)
    page.show()
    drain(qtbot, runner)
    return page


def test_an_endpoint_is_added_tested_logged_and_removed(core: Core, runner: TaskRunner, qtbot: QtBot,
                                                        receiver: WebhookReceiver, tmp_path: Path) -> None:
    page = open_page(core, runner, qtbot)
    assert page.empty.isVisible() and page.log_empty.isVisible() and not page.secret.isVisible()
    page.grab().save(str(tmp_path / "automation-empty.png"))
    if os.environ.get("TIMETALLY_SHOTS"):
        page.grab().save(os.environ["TIMETALLY_SHOTS"].replace(".png", "-empty.png"))
    page.url.setText(receiver.hook_url)
    page.add_button.click()
    assert "Tick the events" in page.message.text(), "nothing added without events"
    for name in ("week.approved", "invoice.paid"):
        page.event_boxes[name].setChecked(True)
    page.add_button.click()
    drain(qtbot, runner)
    secret = page.secret.text()
    assert secret.startswith("whsec_") and page.secret.isVisible()
    assert core.automation.endpoints.secret(1) == secret
    assert page.endpoint_table.rowCount() == 1 and not page.empty.isVisible()
    assert page.endpoint_table.item(0, 2).text() == "week.approved, invoice.paid"

    receiver.secret = secret
    page.endpoint_table.selectRow(0)
    page.test_button.click()
    drain(qtbot, runner)
    assert "answered 200" in page.message.text()
    assert [r.verified for r in receiver.received] == [True]
    assert page.log_table.rowCount() == 1 and not page.log_empty.isVisible()
    assert [page.log_table.item(0, c).text() for c in (2, 3, 4)] == ["webhook.test", "delivered", "200"]

    row = page.schedules["xero"]
    row.send.setCurrentIndex(row.send.findData("weekly"))
    assert row.day.isVisibleTo(page) and row.at.isVisibleTo(page)
    row.day.setCurrentIndex(4)
    row.payments.setValue(30)
    row.save.click()
    drain(qtbot, runner)
    saved = core.automation.scheduler.get("xero")
    assert (str(saved.send), saved.weekday, saved.payments_minutes) == ("weekly", 4, 30)
    assert row.status.text().startswith("Xero: approved time is sent every Fri at")
    page.grab().save(str(tmp_path / "automation.png"))
    if os.environ.get("TIMETALLY_SHOTS"):
        page.grab().save(os.environ["TIMETALLY_SHOTS"])

    page.endpoint_table.selectRow(0)
    page.remove_button.click()
    drain(qtbot, runner)
    assert core.automation.endpoints.all() == [] and core.automation.endpoints.secret(1) is None
    assert page.empty.isVisible()
