"""The payment poller: what it asks the sync service, and when it tells the views to refresh."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.core import Core
from app.ui.events import ChangeBus
from app.ui.payment_poller import PaymentPoller
from app.ui.tasks import TaskRunner


class Sync:
    """Stands in for the sync service's two checks, so the poller's own logic is what is tested."""

    def __init__(self, billed: dict[str, list[int]]) -> None:
        self.billed = billed
        self.calls: list[str] = []

    def sync_payments(self) -> list[object]:
        self.calls.append("payments")
        return []

    def sync_billed_time(self) -> dict[str, list[int]]:
        self.calls.append("billed")
        return self.billed


def test_time_billed_inside_quickbooks_refreshes_the_views(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    bus, sync = ChangeBus(), Sync({"quickbooks": [4, 5]})
    poller = PaymentPoller(sync, core.settings, runner, bus)  # type: ignore[arg-type]
    with qtbot.waitSignal(bus.changed) as changed, qtbot.waitSignal(poller.checked):
        poller.check()
    assert sync.calls == ["billed", "payments"] and "entries" in changed.args[0]  # billed first: it finds invoices


def test_nothing_changed_announces_nothing(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    bus, sync = ChangeBus(), Sync({"quickbooks": []})
    poller = PaymentPoller(sync, core.settings, runner, bus)  # type: ignore[arg-type]
    heard: list[frozenset[str]] = []
    bus.changed.connect(heard.append)
    with qtbot.waitSignal(poller.checked):
        poller.check()
    assert heard == []
