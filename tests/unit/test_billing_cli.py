"""`timetally clients`, `projects set`, `invoice` and `holidays` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def approve_all() -> None:
    from app.core import build_core
    from app.domain.periods import parse_week

    core = build_core()
    try:
        for entry in core.entries.between(*parse_week("2026-W47").utc_range()):
            core.entries.update(entry.id, status="approved", locked=True)
    finally:
        core.close()


def test_configure_preview_create_list_delete(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "clients", "set", "Acme", "--create", "--rate", "100", "--currency", "CAD",
               "--rounding", "up:15", "--minimum", "15m", "--terms", "30", "--tax", "GST:5,QST:9.975")[0] == 0
    run(capsys, "projects", "add", "Acme/Web")
    assert run(capsys, "projects", "set", "Acme/Web", "--rate", "120")[1].startswith("Rate of Acme/Web: 120")
    run(capsys, "entries", "add", "Acme/Web", "--start", "2026-11-16T09:00", "--end", "2026-11-16T10:07")
    run(capsys, "entries", "add", "Acme/Web", "--start", "2026-11-17T09:00", "--end", "2026-11-17T09:05")
    approve_all()
    code, out, _ = run(capsys, "invoice", "preview", "--week", "2026-W47", "--json")
    [invoice] = json.loads(out)
    assert code == 0
    assert {k: invoice[k] for k in ("client", "currency", "subtotal", "tax_total", "total")} == {
        "client": "Acme", "currency": "CAD", "subtotal": "180.00", "tax_total": "26.96", "total": "206.96"}
    [line] = invoice["lines"]
    assert {k: line[k] for k in ("description", "quantity", "unit_amount", "amount", "tax")} == {
        "description": "Web · General", "quantity": "1.5000", "unit_amount": "120.00", "amount": "180.00",
        "tax": "26.96"}
    assert (line["raw_hours"], line["billed_hours"]) == ("1.2000", "1.5000")
    code, out, _ = run(capsys, "invoice", "create", "--from", "2026-11-16", "--to", "2026-11-22", "--client", "acme")
    assert code == 0 and "INV-0001" in out
    assert "No approved, unbilled time" in run(capsys, "invoice", "preview", "--week", "2026-W47")[1]
    [listed] = json.loads(run(capsys, "invoice", "list", "--json")[1])
    assert (listed["number"], listed["revision"], listed["total"]) == ("INV-0001", 1, "206.96")
    assert "1:30" in run(capsys, "invoice", "show", "INV-0001")[1]
    assert "2 entries are approved" in run(capsys, "invoice", "delete", "INV-0001")[1]
    assert json.loads(run(capsys, "invoice", "preview", "--week", "2026-W47", "--json")[1])[0]["total"] == "206.96"


def test_unit_prices_have_the_currency_decimals_everywhere(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "clients", "set", "Kaisha", "--create", "--rate", "7777", "--currency", "JPY")
    run(capsys, "projects", "add", "Kaisha/Web")
    run(capsys, "entries", "add", "Kaisha/Web", "--start", "2026-11-21T10:00", "--end", "2026-11-21T11:20")
    run(capsys, "settings", "set", "billing.weekend_multiplier", "1.5")
    approve_all()
    [line] = json.loads(run(capsys, "invoice", "preview", "--week", "2026-W47", "--json")[1])[0]["lines"]
    assert (line["unit_amount"], line["amount"], line["rate"]) == ("11666", "15554", "7777")
    assert "11665.5" not in run(capsys, "invoice", "preview", "--week", "2026-W47")[1]
    run(capsys, "invoice", "create", "--week", "2026-W47")
    [stored] = json.loads(run(capsys, "invoice", "show", "INV-0001", "--json")[1])["lines"]
    assert stored["unit_amount"] == "11666"


def test_an_entry_under_a_minute_is_flagged_and_the_minimum_can_apply_per_line(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "clients", "set", "Acme", "--create", "--rate", "100", "--minimum", "15m")
    run(capsys, "projects", "add", "Acme/Web")
    run(capsys, "entries", "add", "Acme/Web", "--start", "2026-11-16T09:00:00", "--end", "2026-11-16T09:00:08")
    run(capsys, "entries", "add", "Acme/Web", "--start", "2026-11-16T10:00", "--end", "2026-11-16T10:50")
    approve_all()
    [draft] = json.loads(run(capsys, "invoice", "preview", "--week", "2026-W47", "--json")[1])
    [flag] = draft["flags"]
    assert (flag["flag"], flag["raw_seconds"]) == ("short_entry", 8)
    assert draft["billed_hours"] == "1.0833"  # 15 min for the 8 s, 50 min for the rest
    assert f"! Entry #{flag['entry_id']}" in run(capsys, "invoice", "preview", "--week", "2026-W47")[1]
    assert run(capsys, "settings", "set", "billing.minimum_per_line", "true")[0] == 0
    [draft] = json.loads(run(capsys, "invoice", "preview", "--week", "2026-W47", "--json")[1])
    assert (draft["billed_hours"], draft["total"]) == ("0.8333", "83.33")
    run(capsys, "invoice", "create", "--week", "2026-W47")
    assert json.loads(run(capsys, "invoice", "show", "INV-0001", "--json")[1])["flags"] == [flag]


def test_clients_list(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "clients", "set", "Acme", "--create", "--rate", "90", "--rounding", "nearest:6:line")
    [row] = json.loads(run(capsys, "clients", "list", "--json")[1])
    assert (row["client"], row["rate"], row["rounding"]) == ("Acme", "90", "nearest:6:line")
    assert "rate=90" in run(capsys, "clients", "list")[1]


def test_holidays(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "holidays", "add", "2026-12-25", "Christmas")
    assert run(capsys, "holidays", "list")[1] == "2026-12-25 Christmas\n"
    run(capsys, "holidays", "remove", "2026-12-25")
    assert run(capsys, "holidays", "list")[1] == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["clients", "set", "Acme", "--rounding", "up:7"], "steps"),
        (["clients", "set", "Acme", "--rate", "-3"], "negative"),
        (["clients", "set", "Acme", "--currency", "XYZ"], "ISO 4217"),
        (["projects", "set", "Nobody/Nothing", "--rate", "5"], "no project"),
        (["clients", "set", "Nobody", "--rate", "5"], "There is no client 'Nobody'"),
        (["invoice", "preview", "--from", "2026-11-16"], "both --from and --to"),
        (["invoice", "preview", "--from", "2026-11-16", "--to", "2026-11-01"], "before"),
        (["invoice", "delete", "INV-0042"], "no invoice draft"),
    ],
)
def test_bad_input_is_a_clear_error(home: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                    message: str) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert message in err
    assert "Nobody" not in run(capsys, "clients", "list")[1]
