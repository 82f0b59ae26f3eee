"""`timetally webhooks …` and `timetally sync schedule|run-scheduled`: exact names, JSON fields, clear refusals,
and a secret that is shown once and kept only in the keyring."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from app.cli import main
from tests.fakes.keyrings import MemoryKeyring


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_prints_the_id_and_secret_once_and_keeps_the_secret_only_in_the_keyring(
        home: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring) -> None:
    code, out, _ = run(capsys, "webhooks", "add", "https://hooks.example.com/a", "--events",
                       "entry.created,invoice.paid", "--json")
    added = json.loads(out)
    assert code == 0 and added["id"] == 1 and added["events"] == ["entry.created", "invoice.paid"]
    assert added["secret"].startswith("whsec_") and len(base64.b64decode(added["secret"][6:])) == 32
    assert memory_keyring.get_password("TimeTally", "webhook:1:secret") == added["secret"]
    stored = b"".join(p.read_bytes() for p in home.rglob("timetally.db*"))
    assert added["secret"][6:].encode() not in stored
    code, out, _ = run(capsys, "webhooks", "list", "--json")
    [listed] = json.loads(out)
    assert "secret" not in listed and listed["deliveries"] == [] and listed["enabled"] is True


def test_bad_input_is_refused_with_a_sentence_and_nothing_is_stored(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "webhooks", "add", "http://example.com/hook", "--events", "entry.created")
    assert code == 1 and "not encrypted" in err
    code, _, err = run(capsys, "webhooks", "add", "https://example.com/hook", "--events", "entry.made")
    assert code == 1 and "'entry.made' is not an event TimeTally sends" in err
    code, _, err = run(capsys, "webhooks", "remove", "7")
    assert code == 1 and "There is no webhook endpoint 7" in err
    code, out, _ = run(capsys, "webhooks", "list")
    assert "No webhook endpoints" in out
    code, _, err = run(capsys, "sync", "schedule", "xero", "--send", "daily", "--at", "25:00")
    assert code == 1 and "'25:00' is not a time of day" in err


def test_events_are_logged_and_an_endpoint_is_removed_with_its_secret(
        home: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring) -> None:
    run(capsys, "webhooks", "add", "http://127.0.0.1:9/closed", "--events", "timer.started")
    assert run(capsys, "timer", "start", "--description", "logged")[0] == 0
    code, out, _ = run(capsys, "webhooks", "log", "--json")
    [logged] = json.loads(out)
    assert (logged["event"], logged["status"], logged["attempts"]) == ("timer.started", "pending", 1)
    assert logged["webhook_id"].startswith("msg_") and logged["error"].startswith("no answer")
    assert logged["next_attempt_at"].endswith("Z")
    [attempt] = logged["attempt_log"]
    assert attempt["response_code"] is None and attempt["error"] == logged["error"]
    code, out, _ = run(capsys, "webhooks", "test", "1")
    assert code == 1 and "did not arrive" in out
    assert run(capsys, "webhooks", "remove", "1")[0] == 0
    assert memory_keyring.get_password("TimeTally", "webhook:1:secret") is None
    assert json.loads(run(capsys, "webhooks", "log", "--json")[1]) == []


def test_schedules_are_shown_and_set_and_run_scheduled_says_when_nothing_was_due(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sync", "schedule", "xero", "--send", "weekly", "--day", "Friday", "--at", "7:30",
                       "--payments-every", "20", "--json")
    [shown] = json.loads(out)
    assert code == 0 and (shown["send"], shown["day"], shown["at"], shown["payments_every_minutes"]) == (
        "weekly", "fri", "07:30", 20)
    code, out, _ = run(capsys, "sync", "schedule")
    assert "Xero: approved time is sent every Fri at 07:30" in out
    assert "QuickBooks: approved time is sent by hand" in out
    code, out, _ = run(capsys, "sync", "run-scheduled")
    assert (code, out.strip()) == (0, "Nothing was due.")
    code, out, _ = run(capsys, "sync", "run-scheduled", "--json")
    assert json.loads(out) == {"ran": [], "notices": [], "webhooks_delivered": 0, "webhooks_failed": 0}
