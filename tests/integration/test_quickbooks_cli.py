"""`timetally sync quickbooks` and `timetally sync payments` against the fake QuickBooks, in this process."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.cli import main
from app.domain.models import NewEntry
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect


@pytest.fixture
def fake(quickbooks: FakeQuickBooks) -> FakeQuickBooks:
    return quickbooks


@pytest.fixture
def books(core: Any, fake: FakeQuickBooks, monkeypatch: pytest.MonkeyPatch) -> Any:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="USD")
    core.settings.set("billing.person", "Jane Doe")
    project = core.projects.add_project("Acme Ltd/Web")
    for day in (16, 17):
        start = datetime(2026, 11, day, 9, tzinfo=UTC)
        entry = core.entries.add(NewEntry(start, start + timedelta(hours=2), "work", project.id))
        core.entries.update(entry.id, status="approved", locked=True)
    return core


@pytest.fixture
def timetally(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_dry_run_then_invoice_mode_then_payments(timetally: Callable[..., tuple[int, str, str]], books: Any,
                                                 fake: FakeQuickBooks) -> None:
    code, out, err = timetally("sync", "quickbooks", "--week", "2026-W47", "--mode", "invoice", "--dry-run", "--json")
    assert code == 0, err
    [planned] = json.loads(out)["invoices"]
    assert planned["outcome"] == "would send" and fake.calls() == 0
    code, out, err = timetally("sync", "quickbooks", "--week", "2026-W47", "--client", "Acme Ltd", "--mode",
                               "invoice", "--create-customers", "--json")
    assert code == 0, err
    sent = json.loads(out)["invoices"]
    assert [s["outcome"] for s in sent] == ["sent", "sent", "sent"]
    invoice = sent[-1]
    assert invoice["number"] == "INV-0001" and invoice["status"] == "open"
    fake.company.pay(invoice["remote_id"], "400", date(2026, 11, 30))
    code, out, err = timetally("sync", "payments", "--provider", "quickbooks", "--json")
    assert code == 0, err
    assert [(p["number"], p["status"]) for p in json.loads(out)] == [("INV-0001", "paid")]
    code, out, _ = timetally("sync", "log", "quickbooks", "--json")
    assert "fake-qbo-access-token" not in out and "minorversion=75" in out
    assert fake.spec_problems == []


def test_time_mode_then_payments_picks_up_time_billed_inside_quickbooks(
        timetally: Callable[..., tuple[int, str, str]], books: Any, fake: FakeQuickBooks) -> None:
    code, out, err = timetally("sync", "quickbooks", "--week", "2026-W47", "--create-customers")
    assert code == 0, err
    assert "2 sent" in out and len(fake.all("TimeActivity")) == 2
    for activity in fake.all("TimeActivity"):
        fake.company.bill_inside(activity["Id"])
    code, out, err = timetally("sync", "payments")
    assert code == 0 and "2 entries were billed inside QuickBooks" in err


def test_a_fuzzy_match_is_only_proposed_until_confirmed_with_sync_map(
        timetally: Callable[..., tuple[int, str, str]], books: Any, fake: FakeQuickBooks) -> None:
    limited = fake.company.add("Customer", DisplayName="Acme Limited")
    code, out, _ = timetally("sync", "quickbooks", "--week", "2026-W47")
    assert code == 1 and "'Acme Limited'" in out and "--create-customers" in out
    code, out, err = timetally("sync", "map", "quickbooks", "--refresh", "--client", "Acme Ltd", "--contact",
                               "Acme Limited", "--json")
    assert code == 0, err
    assert {"kind": "customer", "code": limited["Id"]}.items() <= json.loads(out)[0].items()
    code, out, err = timetally("sync", "quickbooks", "--week", "2026-W47")
    assert code == 0, err
    assert {a["CustomerRef"]["value"] for a in fake.all("TimeActivity")} == {
        c["Id"] for c in fake.all("Customer") if c.get("ParentRef", {}).get("value") == limited["Id"]}
