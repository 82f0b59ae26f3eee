"""`timetally report …` end to end: text, JSON with decimal strings and per-currency totals, CSV and XLSX files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.reports.export import csv_text, sheet_name
from app.reports.tables import Table
from tests.unit.test_reports_service import sample_day, seed  # noqa: F401 - sample_day is an autouse fixture


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def book(home: Path) -> None:
    from app.core import build_core

    core = build_core()
    try:
        seed(core)
    finally:
        core.close()


def test_profitability_json_has_decimal_strings_and_totals_per_currency(
        book: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "profitability", "--from", "2026-11-01", "--to", "2026-11-30", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["from"], data["to"], data["by"]) == ("2026-11-01", "2026-11-30", "project")
    assert [(t["currency"], t["revenue"]) for t in data["totals"]] == [("EUR", "666.66"), ("USD", "1875.00")]
    web = next(r for r in data["rows"] if r["project"] == "Web")
    assert web["invoiced"] == "350.00" and web["cost"] == "333.33" and web["margin_percent"] == "61.9"
    assert web["raw_seconds"] == 30000 and web["billed_hours"] == "8.75"
    assert data["fixed_fees"][0]["used_percent"] == "87.5"
    numbers = [v for r in data["rows"] for v in r.values() if isinstance(v, float)]
    assert numbers == []


def test_text_reports_and_files(book: None, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    csv_path, xlsx_path = tmp_path / "wip.csv", tmp_path / "wip.xlsx"
    code, out, err = run(capsys, "report", "wip", "--to", "2026-11-30", "--csv", str(csv_path),
                         "--xlsx", str(xlsx_path))
    assert code == 0
    assert out.splitlines()[0] == "Work in progress on 2026-11-30"
    assert "Acme    USD" in out and "525.00" in out
    assert f"Wrote {csv_path}" in err
    assert csv_path.read_text().splitlines()[2].startswith("Acme,USD,6,10.00,10.50,525.00,2026-11-04,26,25")
    sheet = load_workbook(xlsx_path).active
    assert sheet.title == "Work in progress on 2026-11-30"
    assert [c.value for c in sheet[2]][:6] == ["Acme", "USD", 6, 10, 10.5, 525]
    assert sheet["G2"].number_format == "yyyy-mm-dd"


def test_utilisation_and_receivables_json(book: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "utilisation", "--from", "2026-11-02", "--to", "2026-11-08", "--json")
    data = json.loads(out)
    assert (code, data["target_percent"], data["total"]["billable_percent"]) == (0, "75", "100.0")
    assert [d["met_target"] for d in data["days"]] == [True] * 5 + [None] * 2
    code, out, _ = run(capsys, "report", "receivables", "--json")
    data = json.loads(out)
    assert data["rows"] == [] and [i["total"] for i in data["not_issued"]] == ["1350.00", "266.66"]


def test_a_reversed_period_is_refused(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "report", "profitability", "--from", "2026-11-30", "--to", "2026-11-01")
    assert code == 1
    assert "--to 2026-11-01 is before --from 2026-11-30" in err


def test_csv_and_sheet_names() -> None:
    tables = [Table("A", ("x", "y"), (("1", 2),)), Table("B", ("z",), ())]
    assert csv_text(tables) == "A\nx,y\n1,2\n\nB\nz\n"
    taken: set[str] = set()
    assert sheet_name("Receivables on 2026/11/30: all", taken) == "Receivables on 20261130 all"
    assert sheet_name("Receivables on 2026/11/30: all", taken) == "Receivables on 20261130 all (2)"
