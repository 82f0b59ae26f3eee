"""The desktop app's automation: a change made on a worker is delivered at once, and a scheduled check that fails
notifies once however often it runs."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.core import Core
from app.store.tables.automation import ScheduleRow
from app.ui.automation_runner import AutomationRunner
from app.ui.events import ChangeBus
from app.ui.notifications import Notifier
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
def automation(core: Core, runner: TaskRunner, bus: ChangeBus) -> Iterator[tuple[AutomationRunner, list[str]]]:
    notifier = Notifier(None, msecs=10)
    told: list[str] = []
    notifier.shown.connect(lambda _title, message: told.append(message))
    running = AutomationRunner(core.automation, runner, bus, notifier)
    yield running, told
    running.stop()


def test_a_change_on_a_worker_is_delivered_at_once(core: Core, runner: TaskRunner, qtbot: QtBot,
                                                   automation: tuple[AutomationRunner, list[str]]) -> None:
    with WebhookReceiver() as receiver:
        _, receiver.secret = core.automation.endpoints.add(receiver.hook_url, ("timer.started",))
        runner.write(lambda: core.timer.start("from the timer window"))
        qtbot.waitUntil(lambda: len(receiver.received) == 1)
        drain(qtbot, runner)
    [hook] = receiver.received
    assert hook.verified and hook.body["data"]["description"] == "from the timer window"
    assert [d.state for d in core.automation.endpoints.deliveries()] == ["delivered"]


def payments_due(core: Core) -> None:
    """As if the last payment check were long ago."""
    with core.db.session() as s:
        row = s.get(ScheduleRow, "xero")
        assert row is not None
        row.last_payments_at = None
        s.add(row)


def test_a_failing_scheduled_check_is_notified_once(core: Core, runner: TaskRunner, qtbot: QtBot,
                                                    automation: tuple[AutomationRunner, list[str]]) -> None:
    running, told = automation
    core.automation.scheduler.set("xero", payments_minutes=1)  # and xero was never connected
    for _ in range(3):
        payments_due(core)
        running.check()
        drain(qtbot, runner)
    assert len(told) == 1 and told[0].startswith("Xero is not connected")
