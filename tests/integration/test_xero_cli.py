"""`timetally sync` and `timetally accounts tenant` against the fake Xero, and a real process killed after Xero
created the invoice but before the answer arrived."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest

from app.cli import main
from app.core import build_core
from app.domain.models import NewEntry
from app.domain.periods import parse_week
from app.sync.outbox import JobState
from app.sync.reports import Outcome
from tests.fakes.keyrings import FileKeyring
from tests.fakes.xero_server import TENANT_ID, FakeXero
from tests.fakes.xero_setup import FAST, environment, store_tokens

ROOT = Path(__file__).resolve().parents[2]
WEEK = parse_week("2026-W47")


@pytest.fixture
def fake() -> Iterator[FakeXero]:
    with FakeXero(tenants=((TENANT_ID, "Demo Company (NZ)"), ("7a0c-second", "Second Shop"))) as server:
        yield server
    assert server.spec_problems == [], "a request did not conform to the Xero spec"


@pytest.fixture
def env(tmp_path: Path, fake: FakeXero, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"TIMETALLY_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT),
              "PYTHON_KEYRING_BACKEND": "tests.fakes.keyrings.FileKeyring",
              "TIMETALLY_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"), **environment(fake)}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    keyring.set_keyring(FileKeyring())
    return {**os.environ, **values}


@pytest.fixture
def core(env: dict[str, str], fake: FakeXero) -> Iterator[Any]:
    built = build_core()
    store_tokens(built)
    built.sync.use(limits=FAST)
    built.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    project = built.projects.add_project("Acme Ltd/Web")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    entry = built.entries.add(NewEntry(start, start + timedelta(hours=2), "work", project.id))
    built.entries.update(entry.id, status="approved", locked=True)
    fake.books.add_contact("Acme Ltd")
    yield built
    built.close()


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def timetally(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """The CLI in this process (the crash test below uses a real one)."""

    def run(*args: str) -> Run:
        code = main(list(args))
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return run


def test_sync_xero_json_dry_run_then_send_then_payments(timetally: Callable[..., Run], core: Any,
                                                          fake: FakeXero) -> None:
    dry = timetally("sync", "xero", "--week", "2026-W47", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    [planned] = json.loads(dry.stdout)["invoices"]
    assert planned["outcome"] == "would send" and planned["client"] == "Acme Ltd"
    assert fake.invoices() == [] and core.billing.drafts() == []
    done = timetally("sync", "xero", "--week", "2026-W47", "--json")
    assert done.returncode == 0, done.stderr
    [sent] = json.loads(done.stdout)["invoices"]
    assert sent["outcome"] == "sent" and sent["number"] == "INV-0001" and sent["errors"] == []
    assert sent["remote_id"] == fake.invoices()[0]["InvoiceID"]
    fake.books.set_status(sent["remote_id"], "AUTHORISED")
    fake.books.pay(sent["remote_id"])
    paid = timetally("sync", "payments", "--json")
    assert paid.returncode == 0, paid.stderr
    assert [(p["number"], p["status"]) for p in json.loads(paid.stdout)] == [("INV-0001", "paid")]
    log = timetally("sync", "log", "xero", "--json")
    assert "fake-xero-access-token" not in log.stdout and "PUT" in log.stdout


def test_refused_invoice_exits_1_with_xeros_message(timetally: Callable[..., Run], core: Any, fake: FakeXero) -> None:
    fake.books.contacts.clear()
    done = timetally("sync", "xero", "--week", "2026-W47")
    assert done.returncode == 1
    assert "No Xero contact is named 'Acme Ltd'" in done.stdout and "--create-contacts" in done.stdout


def test_tenant_lists_and_picks_the_organisation(timetally: Callable[..., Run], core: Any) -> None:
    listed = timetally("accounts", "tenant", "xero", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(t["name"], t["current"]) for t in json.loads(listed.stdout)] == [("Demo Company (NZ)", True),
                                                                               ("Second Shop", False)]
    picked = timetally("accounts", "tenant", "xero", "Second Shop")
    assert picked.returncode == 0 and "Second Shop (7a0c-second)" in picked.stdout
    assert core.accounts.vault.load("xero").tenant_id == "7a0c-second"
    assert next(s for s in core.accounts.status() if s.provider == "xero").organisation == "Second Shop"


def test_a_process_killed_between_request_and_answer_never_creates_a_second_invoice(
        env: dict[str, str], core: Any, fake: FakeXero) -> None:
    fake.hold_after_commit()
    proc = subprocess.Popen([sys.executable, "-m", "app", "sync", "xero", "--week", "2026-W47"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert fake.committed.wait(30), "the send never reached the fake Xero"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    fake.release.set()
    [created] = fake.invoices()
    [job] = core.sync.outbox("xero").jobs()
    assert job.state is JobState.SENT
    [outcome] = core.sync.send("xero", WEEK).outcomes
    assert (outcome.outcome, outcome.remote_id) == (Outcome.SENT, created["InvoiceID"])
    assert len(fake.invoices()) == 1
    puts = [s for s in fake.seen if s.method == "PUT" and s.path == "/Invoices"]
    assert [s.replayed for s in puts] == [False, True] and len({s.idempotency_key for s in puts}) == 1
    assert core.sync.store("xero").sent(outcome.uid).remote_id == created["InvoiceID"]
