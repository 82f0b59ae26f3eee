"""`timetally settings list|get|set`: every option by its public key, typed and checked as Preferences checks it."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.desktop.instance_client import InstanceServer, Request, instance_name
from app.settings import OPTIONS

EMPTY = '""'
DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_key_with_type_default_value_and_description(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "settings", "set", "billing.overtime_multiplier", "1.5")
    rows = {row["key"]: row for row in json.loads(run(capsys, "settings", "list", "--json")[1])}
    assert list(rows) == list(OPTIONS)
    assert rows["billing.overtime_multiplier"] == {
        "key": "billing.overtime_multiplier", "type": "decimal", "default": "1", "value": "1.5",
        "description": "Rate multiplier beyond the overtime limits"}
    assert (rows["capture.idle_seconds"]["type"], rows["capture.idle_seconds"]["value"]) == ("integer", 300)
    assert rows["billing.overtime_daily_hours"]["type"] == "number"
    assert rows["idle.prompt"]["type"] == "boolean" and rows["capture.exclude_apps"]["type"] == "list"
    text = run(capsys, "settings", "list")[1].splitlines()
    assert text[0].split() == ["KEY", "TYPE", "VALUE", "DEFAULT", "DESCRIPTION"]
    [line] = [t for t in text if t.startswith("billing.overtime_multiplier ")]
    assert line.split()[:4] == ["billing.overtime_multiplier", "decimal", "1.5", "1"]
    assert line.endswith("Rate multiplier beyond the overtime limits")
    assert len(text) == len(OPTIONS) + 1


@pytest.mark.parametrize(
    ("key", "text", "value", "shown"),
    [
        ("billing.overtime_multiplier", "1.5", "1.5", "1.5"),
        ("billing.overtime_daily_hours", "8", 8.0, "8.0"),
        ("capture.idle_seconds", "600", 600, "600"),
        ("idle.prompt", "no", False, "false"),
        ("billing.minimum_per_line", "TRUE", True, "true"),
        ("capture.exclude_apps", '["zoom", "^slack$"]', ["zoom", "^slack$"], '["zoom", "^slack$"]'),
        ("billing.rounding", "up:15:line", "up:15:line", "up:15:line"),
        ("billing.tax", "", "", ""),
    ],
)
def test_set_stores_a_typed_value_and_get_prints_it(home: Path, capsys: pytest.CaptureFixture[str], key: str,
                                                   text: str, value: object, shown: str) -> None:
    code, out, err = run(capsys, "settings", "set", key, text)
    assert (code, err) == (0, "")
    assert out == f"{key} is now {shown or EMPTY}.\n"
    assert run(capsys, "settings", "get", key)[1] == f"{shown}\n"
    from app.core import build_core

    core = build_core()
    try:
        assert core.settings.get(key) == value
    finally:
        core.close()


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["set", "capture.idle_seconds", "10"], "Setting 'capture.idle_seconds': must be between 30 and 7200"),
        (["set", "capture.idle_seconds", "soon"], "Setting 'capture.idle_seconds' must be a whole number, not 'soon'"),
        (["set", "billing.overtime_daily_hours", "nan"], "must be a number, not 'nan'"),
        (["set", "idle.prompt", "maybe"], "Setting 'idle.prompt' must be true or false, not 'maybe'"),
        (["set", "capture.exclude_apps", "zoom"], "must be a list, written as a JSON array"),
        (["set", "capture.exclude_apps", '["(oops"]'], "is not a valid regular expression"),
        (["set", "billing.overtime_multiplier", "-2"], "cannot be negative"),
        (["set", "billing.currency", "XYZ"], "ISO 4217"),
        (["set", "billing.overtime", "2"], "There is no setting named 'billing.overtime'; see timetally settings list"),
        (["get", "nothing.here"], "There is no setting named 'nothing.here'"),
    ],
)
def test_an_unknown_key_or_bad_value_is_a_sentence_and_exit_1(
        home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], sentence: str) -> None:
    code, out, err = run(capsys, "settings", *argv)
    assert (code, out) == (1, "")
    assert err.startswith("timetally: ") and sentence in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert json.loads(run(capsys, "settings", "list", "--json")[1]) == [
        {"key": k, "type": o.type_name, "default": o.default, "value": o.default, "description": o.label}
        for k, o in OPTIONS.items()]


@pytest.fixture
def running_app(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Request]]:
    """What a running TimeTally hears from the CLI: the listener the app runs, without its window."""
    folder = Path(tempfile.mkdtemp(prefix="tt-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    heard: list[Request] = []
    server = InstanceServer(instance_name(), heard.append)
    server.listen()
    yield heard
    server.close()
    shutil.rmtree(folder, ignore_errors=True)


def test_set_refreshes_a_running_app_and_reading_does_not(running_app: list[Request],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "settings", "list")
    run(capsys, "settings", "get", "capture.idle_seconds")
    run(capsys, "settings", "set", "capture.idle_seconds", "5")  # refused: nothing changed
    assert running_app == []
    run(capsys, "settings", "set", "capture.idle_seconds", "600")
    deadline = time.monotonic() + 10
    while not running_app and time.monotonic() < deadline:  # the listener answers first, then hands it on
        time.sleep(0.01)
    assert running_app == [Request("refresh", frozenset({"settings"}))]  # one server thread: earlier ones came first


def test_the_settings_document_lists_every_key_with_its_type_and_default() -> None:
    row = re.compile(r"^\| `([a-z_.]+)` \| (\w+) \| `(.*?)` \|", re.MULTILINE)
    rows = {m.group(1): m.groups()[1:] for m in row.finditer(DOCS.read_text())}
    assert list(rows) == list(OPTIONS)
    for key, option in OPTIONS.items():
        assert rows[key] == (option.type_name, option.format(option.default) or EMPTY), key
