"""Retainers and progress invoices end to end through the CLI, on a real database, at fixed dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import WallClock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def work(capsys: pytest.CaptureFixture[str], path: str, *days: tuple[str, int]) -> None:
    for day, hours in days:
        code, _, err = run(capsys, "entries", "add", path, "--start", f"{day}T08:00",
                           "--end", f"{day}T{8 + hours:02d}:00")
        assert code == 0, err


def approve(capsys: pytest.CaptureFixture[str], *weeks: str) -> None:
    for week in weeks:
        assert run(capsys, "entries", "approve", "--week", week)[0] == 0


@pytest.fixture
def care(home: Path, utc_zone: None, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "clients", "set", "Acme", "--create", "--rate", "100", "--currency", "USD")
    run(capsys, "projects", "add", "Acme/Care")
    # October 15 h (5 h unused), November 27 h: 20 h + 5 h rolled over available, 2 h beyond.
    work(capsys, "Acme/Care", ("2026-10-05", 5), ("2026-10-06", 5), ("2026-10-07", 5),
         ("2026-11-02", 9), ("2026-11-03", 9), ("2026-11-04", 9))


@pytest.mark.parametrize(("rollover", "overage"), [("--rollover", "240.00"), ("--no-rollover", "840.00")])
def test_retainer_invoices_once_per_period_with_rollover(care: None, capsys: pytest.CaptureFixture[str],
                                                         wall_clock: WallClock, rollover: str, overage: str) -> None:
    assert run(capsys, "retainers", "set", "Acme/Care", "--every", "month", "--amount", "2000", "--hours", "20h",
               "--overage-rate", "120", rollover, "--from", "2026-10-01")[0] == 0
    wall_clock.set(datetime(2026, 12, 2, 9, tzinfo=UTC))
    made = json.loads(run(capsys, "invoice", "create", "--retainers", "--json")[1])
    assert [(d["period"]["from"], d["total"]) for d in made] == [
        ("2026-10-01", "2000.00"), ("2026-11-01", "2000.00"), ("2026-12-01", str(2000 + Decimal(overage)))]
    december = made[-1]["lines"]
    assert [(x["quantity"], x["unit_amount"], x["amount"]) for x in december] == [
        ("1", "2000.00", "2000.00"), ("2.0000" if rollover == "--rollover" else "7.0000", "120.00", overage)]
    assert "invoiced already" in run(capsys, "invoice", "create", "--retainers")[1]
    approve(capsys, "2026-W41", "2026-W45")
    assert json.loads(run(capsys, "invoice", "preview", "--from", "2026-10-01", "--to", "2026-11-30",
                          "--json")[1]) == [], "a retainer project's time is billed by its retainer only"
    code, _, err = run(capsys, "invoice", "refresh", made[0]["number"])
    assert code == 1 and "retainer invoice" in err
    [listed] = json.loads(run(capsys, "retainers", "list", "--json")[1])
    assert listed["period"]["first"] == "2026-12-01" and listed["period"]["used_hours"] == "0.0000"


def test_progress_invoices_and_the_true_up(home: Path, utc_zone: None, capsys: pytest.CaptureFixture[str],
                                           wall_clock: WallClock) -> None:
    wall_clock.set(datetime(2026, 11, 30, 9, tzinfo=UTC))
    run(capsys, "clients", "set", "Acme", "--create", "--rate", "100", "--currency", "USD")
    run(capsys, "projects", "add", "Acme/Site")
    code, _, err = run(capsys, "progress", "bill", "Acme/Site", "--percent", "30")
    assert code == 1 and "has no estimate" in err
    run(capsys, "progress", "estimate", "Acme/Site", "10000")
    first = json.loads(run(capsys, "progress", "bill", "Acme/Site", "--percent", "30", "--json")[1])[0]
    second = json.loads(run(capsys, "progress", "bill", "Acme/Site", "--percent", "50", "--json")[1])[0]
    assert (first["total"], second["total"]) == ("3000.00", "5000.00")
    code, _, err = run(capsys, "progress", "bill", "Acme/Site", "--percent", "30")
    assert code == 1 and "would pass it" in err
    work(capsys, "Acme/Site", *((f"2026-11-{day:02d}", 9) for day in range(2, 12)))  # 10 days × 9 h = 90 h
    approve(capsys, "2026-W45", "2026-W46")
    final = json.loads(run(capsys, "progress", "true-up", "Acme/Site", "--json")[1])[0]
    assert [x["amount"] for x in final["lines"]] == ["9000.00", "-8000.00"]
    assert final["total"] == "1000.00"
    assert final["lines"][-1]["description"] == f"Less progress invoices {first['number']}, {second['number']}"
    code, _, err = run(capsys, "progress", "bill", "Acme/Site", "--percent", "5")
    assert code == 1 and "trued up already" in err
