"""Webhooks on the wire: a real receiver on loopback verifies every request with the Standard Webhooks library."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from app.automation.courier import FAILING_FOR, Courier
from app.store.tables.automation import WebhookAttemptRow, WebhookDeliveryRow
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.webhook_receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]


class TestClock:
    """The courier's clock, moved by the test."""

    __test__ = False

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


def subscribe(core: Any, receiver: WebhookReceiver, events: tuple[str, ...] = ("timer.started",)) -> int:
    endpoint, secret = core.automation.endpoints.add(receiver.hook_url, events)
    receiver.secret = secret
    return endpoint.id


def deliveries(core: Any) -> list[WebhookDeliveryRow]:
    with core.db.session() as s:
        return list(s.exec(select(WebhookDeliveryRow)))


def test_the_delivery_is_written_with_the_change_and_retried_with_the_same_id_until_an_answer(
        core: Any, receiver: WebhookReceiver) -> None:
    subscribe(core, receiver)
    receiver.answer(500, 500, 500, "drop", 200)
    core.timer.start("Site redesign")
    [written] = deliveries(core)
    assert (written.state, written.attempts) == ("pending", 0), "written before any request"
    courier = Courier(core.db, core.automation.endpoints, backoff=())
    for _ in range(6):
        courier.deliver_due()
    courier.close()

    assert [r.answered for r in receiver.received] == [500, 500, 500, "drop", 200]
    assert all(r.verified for r in receiver.received), "every request carries a valid signature"
    assert {r.webhook_id for r in receiver.received} == {written.webhook_id}
    [done] = deliveries(core)
    assert (done.state, done.attempts, done.last_status) == ("delivered", 5, 200)
    with core.db.session() as s:
        codes = [a.status for a in s.exec(select(WebhookAttemptRow).order_by(WebhookAttemptRow.id))]
    assert codes == [500, 500, 500, 0, 200]
    assert receiver.received[0].body["data"]["description"] == "Site redesign"


def test_failures_back_off_and_an_endpoint_failing_for_a_day_is_disabled_until_a_test_answers(
        core: Any, receiver: WebhookReceiver) -> None:
    endpoint_id = subscribe(core, receiver)
    clock = TestClock()
    courier = Courier(core.db, core.automation.endpoints, clock=clock)
    receiver.answer(*[503] * 100)
    core.timer.start("one")
    clock.advance(seconds=1)
    assert courier.deliver_due().failed
    assert courier.deliver_due().failed == [], "not due again before its backoff"
    clock.advance(seconds=5)
    assert courier.deliver_due().failed
    disabled = []
    for _ in range(20):
        clock.advance(hours=10)
        disabled += courier.deliver_due().disabled
    assert [e.id for e in disabled] == [endpoint_id], "told once"
    endpoint = core.automation.endpoints.get(endpoint_id)
    assert not endpoint.enabled and "503" in endpoint.disabled_reason
    assert endpoint.failing_since is not None and clock.now - endpoint.failing_since >= FAILING_FOR
    waiting = len(receiver.received)
    clock.advance(hours=10)
    assert courier.deliver_due().failed == [] and len(receiver.received) == waiting, "a disabled endpoint waits"

    receiver._script.clear()
    clock.now = datetime.now(UTC)  # the receiver checks the timestamp against its own clock
    assert courier.test(endpoint_id).state == "delivered"
    assert core.automation.endpoints.get(endpoint_id).enabled
    assert len(courier.deliver_due().delivered) == 1, "the held event goes once the endpoint answers"
    assert [d.state for d in deliveries(core)] == ["delivered", "delivered"]
    assert len({r.webhook_id for r in receiver.of("timer.started")}) == 1
    courier.close()


def test_nothing_is_lost_when_the_command_that_caused_it_is_killed_mid_delivery(
        tmp_path: Path, home: Path, receiver: WebhookReceiver, memory_keyring: MemoryKeyring) -> None:
    env = {**os.environ, "TIMETALLY_HOME": str(home), "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "tests.fakes.keyrings.FileKeyring",
           "TIMETALLY_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}

    def cli(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "app", *args], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    added = cli("webhooks", "add", receiver.hook_url, "--events", "timer.started", "--json")
    out, _ = added.communicate(timeout=60)
    secret = json.loads(out)["secret"]
    receiver.secret = secret
    receiver.answer("hold")
    started = cli("timer", "start", "--description", "killed mid-delivery")
    try:
        assert receiver.committed.wait(60), "the command delivers at once"
        os.kill(started.pid, signal.SIGKILL)
        started.wait(30)
    finally:
        receiver.release.set()
    held_id = receiver.received[0].webhook_id

    from app.core import build_core

    memory_keyring.set_password("TimeTally", "webhook:1:secret", secret)
    core = build_core()
    try:
        [row] = deliveries(core)
        assert (row.state, row.webhook_id) == ("pending", held_id)
        clock = TestClock()
        courier = Courier(core.db, core.automation.endpoints, clock=clock)
        assert courier.deliver_due().delivered == [], "the killed attempt's lease still holds"
        clock.advance(minutes=2)
        assert courier.deliver_due().delivered == [held_id]
        courier.close()
        assert [(r.webhook_id, r.verified) for r in receiver.received] == [(held_id, True), (held_id, True)]
        assert [d.state for d in deliveries(core)] == ["delivered"]
    finally:
        core.close()


def test_an_endpoint_removed_during_a_delivery_leaves_nothing_behind(core: Any, receiver: WebhookReceiver) -> None:
    endpoint_id = subscribe(core, receiver)
    receiver.answer("hold")
    core.timer.start("removed meanwhile")
    courier = Courier(core.db, core.automation.endpoints)
    reports: list[Any] = []
    sending = threading.Thread(target=lambda: reports.append(courier.deliver_due()))
    sending.start()
    assert receiver.committed.wait(30)
    core.automation.endpoints.remove(endpoint_id)
    receiver.release.set()
    sending.join(30)
    courier.close()
    assert len(reports) == 1 and reports[0].delivered == []
    assert deliveries(core) == []
    with core.db.session() as s:
        assert list(s.exec(select(WebhookAttemptRow))) == []
