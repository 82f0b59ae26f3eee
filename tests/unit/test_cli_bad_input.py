"""Every command against out-of-range dates, numbers and paths: no traceback, exit 1 (or 2 where argparse refuses
the value), and a sentence on stderr. One home for the whole table, so the run stays fast."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.cli import main

DAYS = ["0001-01-01", "9999-12-31", "2026-02-30", "1970-01-01"]
WEEKS = ["0001-W01", "9999-W52", "2026-W54"]
INSTANTS = ["0001-01-01T00:00", "9999-12-31T23:59", "nan"]
AMOUNTS = ["1e400", "9" * 29, "nan", "-inf", "1e-400", "1" * 5000]
DURATIONS = ["9" * 5000, "99999999h", "-5m", "9h"]
NUMBERS = ["nan", "inf", "-1", "1e400", str(10**30)]


def _rows(home: Path) -> list[list[str]]:
    fifo = home / "fifo"
    paths = ["/dev/zero", str(fifo), str(home), str(home / "missing" / "x"), "/proc/version", "/proc/self/mem"]
    rows: list[list[str]] = []
    for d in DAYS:
        rows += [["entries", "list", "--day", d], ["entries", "approve", "--day", d], ["activity", "list", "--day", d],
                 ["propose", "--day", d], ["invoice", "preview", "--from", d, "--to", "2026-12-01"],
                 ["invoice", "create", "--from", "2026-01-01", "--to", d], ["report", "utilisation", "--from", d],
                 ["report", "profitability", "--to", d], ["report", "wip", "--to", d],
                 ["report", "receivables", "--from", d], ["holidays", "add", d], ["holidays", "remove", d],
                 ["clients", "set", "Acme", "--rate", "5", "--from", d],
                 ["projects", "set", "Acme/Web", "--rate", "5", "--from", d],
                 ["sync", "xero", "--from", d, "--to", d, "--dry-run"],
                 ["sync", "quickbooks", "--from", d, "--to", d, "--dry-run"]]
    for w in WEEKS:
        rows += [["entries", "list", "--week", w], ["entries", "approve", "--week", w],
                 ["entries", "submit", "--week", w], ["propose", "--week", w], ["invoice", "preview", "--week", w],
                 ["sync", "xero", "--week", w, "--dry-run"]]
    for i in INSTANTS:
        rows += [["entries", "add", "Acme/Web", "--start", i, "--end", "2026-11-16T10:00"],
                 ["entries", "add", "Acme/Web", "--start", "2026-11-16T09:00", "--end", i],
                 ["activity", "list", "--since", i], ["timer", "stop", "--at", i],
                 ["rules", "suggest", "Acme/Web", "--start", i, "--end", i]]
    rows += [["entries", "add", "Acme/Web", "--start", "1990-01-01T00:00", "--end", "2020-01-01T00:00"],
             ["invoice", "create", "--from", "0001-01-01", "--to", "9999-12-31"],
             ["invoice", "create", "--from", "1971-01-01", "--to", "9998-12-31"],
             ["report", "utilisation", "--from", "0001-01-01", "--to", "9999-12-31"],
             ["report", "utilisation", "--from", "1971-01-01", "--to", "9998-12-31"],
             ["report", "profitability", "--from", "1971-01-01", "--to", "9998-12-31"]]
    for n in AMOUNTS:
        rows += [["clients", "set", "Acme", "--rate", n], ["clients", "set", "Acme", "--cost-rate", n],
                 ["projects", "set", "Acme/Web", "--rate", n], ["projects", "set", "Acme/Web", "--overage-rate", n],
                 ["projects", "set", "Acme/Web", "--fixed-fee", n, "--budget", "10h", "--overage-rate", "5"],
                 ["clients", "set", "Acme", "--tax", "GST:" + n], ["projects", "set", "Acme/Web", "--tax", "GST:" + n]]
    for n in NUMBERS:
        rows += [["capture", "run", "--duration", n], ["accounts", "connect", "xero", "--timeout", n, "--no-browser"],
                 ["sync", "log", "xero", "--limit", n], ["entries", "delete", n],
                 ["entries", "unlock", n, "--reason", "x"], ["clients", "set", "Acme", "--terms", n]]
    for d in DURATIONS:
        rows += [["clients", "set", "Acme", "--minimum", d], ["projects", "set", "Acme/Web", "--minimum", d]]
        if d != "9h":  # too long for a minimum, a fine budget
            rows.append(["projects", "set", "Acme/Web", "--budget", d, "--fixed-fee", "5", "--overage-rate", "5"])
    for p in paths:
        rows += [["rules", "import", p], ["rules", "export", p], ["import", "activitywatch", p],
                 ["report", "profitability", "--csv", p], ["report", "wip", "--xlsx", p]]
    rows += [["clients", "set", "Nobody", "--rate", "5"], ["invoice", "show", "x" * 10_000],
             ["invoice", "void", "x" * 10_000],
             ["rules", "preview", "x" * 10_000], ["projects", "add", "A/" + "x" * 10_000]]
    return rows


def test_out_of_range_input_gets_a_sentence_and_exit_1_or_2(home: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["projects", "add", "Acme/Web"]) == 0
    assert main(["entries", "add", "Acme/Web", "--start", "2026-11-16T09:00", "--end", "2026-11-16T10:00"]) == 0
    os.mkfifo(home / "fifo")
    capsys.readouterr()
    wrong: list[str] = []
    rows = _rows(home)
    for argv in rows:
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code  # type: ignore[assignment]
        except Exception as exc:  # a traceback: what this table exists to catch
            wrong.append(f"{argv[:6]}: {type(exc).__name__}: {exc}")
            continue
        err = capsys.readouterr().err.strip()
        if code not in (1, 2) or not err or "Traceback" in err:
            wrong.append(f"{argv[:6]}: exit {code}, stderr {err[-200:]!r}")
    assert len(rows) > 200
    assert wrong == []
