"""`timetally activity list`, `import activitywatch` and a headless `capture run` without a desktop."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.capture.backends.base import Backend, Window
from app.capture.config import CaptureConfig
from app.capture.watcher import Watcher
from app.cli import main
from app.commands import capture as capture_commands
from app.core import Core
from app.domain.models import Span
from app.store.spans import SpanStore


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def seed(core: Core) -> None:
    SpanStore(core.db).add_many([
        Span(ts("2026-11-18T09:00:00"), ts("2026-11-18T09:30:00"), "Firefox", "Docs — مرحبا 📄", "/usr/bin/firefox"),
        Span(ts("2026-11-18T09:30:00"), ts("2026-11-18T09:45:00"), "Firefox", "Docs", idle=True),
        Span(ts("2026-11-19T12:00:00"), ts("2026-11-19T12:05:00"), "Term", "bash"),
    ])


def test_activity_list_json_fields(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    seed(core)
    code, out, _ = run(capsys, "activity", "list", "--since", "2026-11-18T00:00Z", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert rows[0]["start"] == "2026-11-18T09:00:00Z" and rows[0]["end"] == "2026-11-18T09:30:00Z"
    assert (rows[0]["app"], rows[0]["title"], rows[0]["idle"]) == ("Firefox", "Docs — مرحبا 📄", False)
    assert rows[1]["idle"] is True and rows[1]["duration_seconds"] == 900
    assert {"start", "end", "app", "title", "idle"} <= set(rows[2])


def test_activity_list_for_a_day_in_text(core: Core, capsys: pytest.CaptureFixture[str], utc_zone: None) -> None:
    seed(core)
    code, out, _ = run(capsys, "activity", "list", "--day", "2026-11-19")
    assert code == 0 and "Term  bash" in out and "Firefox" not in out and "1 spans" in out
    code, out, _ = run(capsys, "activity", "list", "--day", "2026-01-01")
    assert code == 0 and "No captured activity" in out
    code, _, err = run(capsys, "activity", "list", "--day", "21/11/2026")
    assert code == 1 and "YYYY-MM-DD" in err


def aw_export(tmp_path: Path) -> Path:
    def event(start: str, seconds: float, **data: str) -> dict[str, object]:
        return {"timestamp": f"2026-11-20T{start}+00:00", "duration": seconds, "data": data}

    export = {"buckets": {
        "aw-watcher-window_host": {"type": "currentwindow", "events": [
            event("09:00:00", 600, app="Firefox", title="(2) Mail"),
            event("09:10:00", 300, app="Firefox", title="Bank — Mozilla Firefox Private Browsing"),
            event("09:15:00", 600, app="Code", title="main.py"),
        ]},
        "aw-watcher-afk_host": {"type": "afkstatus", "events": [
            event("09:00:00", 300, status="not-afk"),
            event("09:05:00", 120, status="afk"),
            event("09:25:00", 600, status="afk"),
        ]},
    }}
    path = tmp_path / "aw.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


def test_import_activitywatch_splits_at_afk_applies_privacy_and_skips_repeats(
        core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = aw_export(tmp_path)
    code, out, _ = run(capsys, "import", "activitywatch", str(path))
    assert code == 0 and "Imported 5 spans" in out and "1 window events left out" in out
    spans = SpanStore(core.db).between(0, ts("2027-01-01T00:00:00"))
    got = [(datetime.fromtimestamp(s.start, UTC).strftime("%H:%M"), datetime.fromtimestamp(s.end, UTC)
            .strftime("%H:%M"), s.app, s.title, s.idle) for s in spans]
    assert got == [
        ("09:00", "09:05", "Firefox", "Mail", False),
        ("09:05", "09:07", "Firefox", "Mail", True),
        ("09:07", "09:10", "Firefox", "Mail", False),
        ("09:15", "09:25", "Code", "main.py", False),
        ("09:25", "09:35", "", "", True),
    ]
    code, out, _ = run(capsys, "import", "activitywatch", str(path))
    assert "Imported 0 spans" in out and "5 were already there" in out


def test_import_of_a_file_that_is_not_an_export(core: Core, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "import", "activitywatch", str(bad))
    assert code == 1 and "not an ActivityWatch export" in err
    assert run(capsys, "import", "activitywatch", str(tmp_path / "missing.json"))[0] == 1


def test_capture_run_without_a_desktop_says_so_and_exits(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "tty")
    code, _, err = run(capsys, "capture", "run", "--duration", "0.3")
    assert code == 0 and "DISPLAY is not set" in err and "0 new spans" in err
    with pytest.raises(SystemExit) as refused:
        run(capsys, "capture", "run", "--duration", "-1")
    assert refused.value.code == 2 and "above 0" in capsys.readouterr().err


class _TwoWindows(Backend):
    """An editor for the first polls, then a terminal: two spans, whatever the timing."""

    def __init__(self) -> None:
        self.polls = 0

    def active_window(self) -> Window | None:
        self.polls += 1
        return Window("Editor", "notes.txt") if self.polls <= 2 else Window("Terminal", "bash")

    def idle_seconds(self) -> float | None:
        return 0.0


def test_capture_run_counts_the_spans_it_saved_and_those_retention_purged(
    core: Core, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    core.settings.set("capture.interval_seconds", 0.2)
    core.settings.set("capture.retention_days", 30)
    old = time.time() - 40 * 86400
    SpanStore(core.db).add_many([Span(old, old + 60, "Editor", "last month")])
    backend = _TwoWindows()

    def watcher(built: Core) -> Watcher:
        return Watcher(SpanStore(built.db), CaptureConfig.from_settings(built.settings),
                       backend_factory=lambda: backend)

    monkeypatch.setattr(capture_commands, "build_watcher", watcher)
    code, _, err = run(capsys, "capture", "run", "--duration", "1.2")

    assert code == 0 and backend.polls > 2
    assert "; 2 new spans saved, 1 purged (older than 30 days)." in err
    assert [s.app for s in SpanStore(core.db).between(0, time.time() + 1)] == ["Editor", "Terminal"]
