"""Bounds on money, multipliers, durations and entry lengths, and stored values that predate them: each is a sentence,
and a bad stored rate never stops invoices, reports and the client list from working once it is set again."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.cli import main
from app.core import Core
from app.domain.errors import ValidationError
from app.domain.money import parse_amount, parse_multiplier


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("text", ["1e400", "9" * 29, "1e12", "1000000000000"])
def test_amounts_beyond_twelve_digits_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="too large"):
        parse_amount(text, "rate")


def test_the_largest_amount_and_multiplier_still_bill_exactly() -> None:
    assert parse_amount("999999999999.9999") == Decimal("999999999999.9999")
    assert parse_multiplier("10") == 10
    for bad in ("10.0001", "1e400", "-1"):
        with pytest.raises(ValidationError):
            parse_multiplier(bad)


def test_multiplier_settings_are_bounded(core: Core) -> None:
    with pytest.raises(ValidationError, match="rate multiplier is 0 to 10"):
        core.settings.set("billing.weekend_multiplier", "11")
    core.settings.set("billing.weekend_multiplier", "1.5")
    assert core.settings.get("billing.weekend_multiplier") == "1.5"


def test_a_stored_absurd_rate_is_named_and_can_be_set_again(home: Path, capsys: pytest.CaptureFixture[str],
                                                             utc_zone: None) -> None:
    run(capsys, "projects", "add", "Acme/Web")
    run(capsys, "clients", "set", "Acme", "--rate", "100")
    run(capsys, "entries", "add", "Acme/Web", "--start", "2026-11-16T09:00Z", "--end", "2026-11-16T10:00Z")
    run(capsys, "entries", "approve", "--week", "2026-W47")
    conn = sqlite3.connect(home / "timetally.db")
    with conn:
        conn.execute("UPDATE billing_rate SET amount = '1E+400'")
    conn.close()
    for argv in (["invoice", "preview", "--week", "2026-W47"],
                 ["report", "profitability", "--from", "2026-11-01", "--to", "2026-11-30"],
                 ["invoice", "create", "--week", "2026-W47"]):
        code, _, err = run(capsys, *argv)
        assert code == 1 and "stored rate of client Acme (1E+400)" in err and "set it again" in err, argv
    assert run(capsys, "clients", "list")[0] == 0
    assert run(capsys, "clients", "set", "Acme", "--rate", "120")[0] == 0
    code, out, _ = run(capsys, "invoice", "preview", "--week", "2026-W47")
    assert code == 0 and "120.00" in out


def test_an_entry_lasts_at_most_a_day(core: Core) -> None:
    project = core.projects.add_project("Acme/Web")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    with pytest.raises(ValidationError, match="at most 24 hours"):
        core.entry_service.add_manual(start.replace(year=1996), start, "", project.id)
    day, _ = core.entry_service.add_manual(start, start.replace(day=17), "", project.id)
    with pytest.raises(ValidationError, match="at most 24 hours"):
        core.entry_service.edit(day.id, end=start.replace(day=18))
    shorter, _ = core.entry_service.edit(day.id, end=start.replace(hour=17), description="kept")
    assert shorter.description == "kept"


def test_durations_are_bounded(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "projects", "add", "Acme/Web")
    assert "longer than 8 hours" in run(capsys, "clients", "set", "Acme", "--minimum", "9h")[2]
    assert "longer than 100,000 hours" in run(capsys, "projects", "set", "Acme/Web", "--budget", "9" * 5000,
                                              "--fixed-fee", "5", "--overage-rate", "5")[2]


def test_capture_run_refuses_nan_and_inf_at_once(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("nan", "inf", "-inf", "0"):
        code, _, err = run(capsys, "capture", "run", f"--duration={value}")
        assert code == 2 and "seconds above 0" in err


def test_a_report_to_a_proc_file_is_a_sentence_without_a_stray_traceback(
        home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for flag in ("--xlsx", "--csv"):
        code, _, err = run(capsys, "report", "profitability", flag, "/proc/version")
        assert code == 1 and "not a regular file" in err and "Traceback" not in err and "Exception" not in err
    good = tmp_path / "p.xlsx"
    assert run(capsys, "report", "profitability", "--xlsx", str(good))[0] == 0 and good.stat().st_size > 0
