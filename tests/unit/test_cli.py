"""The `timetally` command on the same services: output shapes, exit codes and sentences."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main
from app.core import build_core
from app.domain.models import Span
from app.store.spans import SpanStore


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and __version__ in capsys.readouterr().out


def test_timer_round_trip_with_json_status(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "projects", "add", "Acme Corp/Website")[0] == 0
    code, out, _ = run(capsys, "timer", "start", "--project", "Acme Corp/Website", "--description", "Landing page")
    assert code == 0 and "Landing page" in out
    code, out, _ = run(capsys, "timer", "status", "--json")
    status = json.loads(out)
    assert status["running"] is True
    assert (status["project"], status["description"], status["source"]) == (
        "Acme Corp/Website",
        "Landing page",
        "timer",
    )
    assert status["start"].endswith("Z") and status["unclean_exit"] is None
    assert run(capsys, "timer", "stop")[0] == 0
    assert json.loads(run(capsys, "timer", "status", "--json")[1])["running"] is False


def test_entries_add_and_list_by_day_and_week(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "projects", "add", "Acme/Web")
    code, _, err = run(
        capsys,
        "entries",
        "add",
        "Acme/Web",
        "--start",
        "2026-11-20T09:00Z",
        "--end",
        "2026-11-20T10:30Z",
        "--description",
        "Kickoff",
    )
    assert code == 0 and err == ""
    code, _, err = run(
        capsys, "entries", "add", "Acme/Web", "--start", "2026-11-20T10:00Z", "--end", "2026-11-20T11:00Z"
    )
    assert code == 0 and "overlaps" in err
    day = json.loads(run(capsys, "entries", "list", "--day", "2026-11-20", "--json")[1])
    assert [e["duration_seconds"] for e in day] == [5400, 3600]
    assert day[0] | {"id": 0} == {
        "id": 0,
        "start": "2026-11-20T09:00:00Z",
        "end": "2026-11-20T10:30:00Z",
        "duration_seconds": 5400,
        "description": "Kickoff",
        "description_origin": "typed",
        "project": "Acme/Web",
        "task": None,
        "source": "manual",
        "status": "draft",
        "locked": False,
        "billable": True,
    }
    assert len(json.loads(run(capsys, "entries", "list", "--week", "2026-W47", "--json")[1])) == 2
    assert json.loads(run(capsys, "entries", "list", "--week", "2026-W46", "--json")[1]) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["timer", "start", "--project", "Nope/X"], "There is no project 'Nope/X'"),
        (["timer", "stop"], "No timer is running"),
        (["entries", "add", "Nope/X", "--start", "2026-11-20T09:00", "--end", "2026-11-20T10:00"], "no project"),
        (["entries", "list", "--week", "2026-47"], "not a week"),
        (["timer", "start", "--description", "x" * 10_000], "at most 2,000 characters"),
        (["projects", "add", "no-slash"], "CLIENT/PROJECT"),
    ],
)
def test_errors_are_sentences_on_stderr_with_exit_1(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and message in err and "Traceback" not in err


def test_end_before_start_on_the_cli(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "projects", "add", "Acme/Web")
    code, _, err = run(capsys, "entries", "add", "Acme/Web", "--start", "2026-11-20T10:00", "--end", "2026-11-20T09:00")
    assert code == 1 and "before the start" in err


def test_unusable_home_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TIMETALLY_HOME", str(blocker / "home"))
    code, _, err = run(capsys, "timer", "status")
    assert code == 1 and "cannot create its folder" in err


def test_damaged_database_is_reported_and_kept(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir(parents=True)
    (home / "timetally.db").write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "timer", "status")
    assert code == 0 and "damaged" in err
    assert len(list(home.glob("timetally.db.damaged-*"))) == 1


def test_no_graphical_session_is_explained(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    code, _, err = run(capsys)
    assert code == 1 and "no graphical session" in err


def test_a_display_or_platform_lets_the_app_start() -> None:
    from app.ui.start import missing_display

    assert missing_display({"DISPLAY": ":0"}, "linux") is None
    assert missing_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert missing_display({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert missing_display({}, "darwin") is None
    assert missing_display({}, "linux") is not None


def test_a_reader_that_stops_early_ends_the_command_quietly(home: Path) -> None:
    """`timetally activity list | head -1`: no BrokenPipe traceback, the status Unix tools end with (128 + SIGPIPE)."""
    core = build_core()
    start = 1_577_836_800.0  # 2020-01-01: the past for the subprocess, whose clock no test shifts
    SpanStore(core.db).add_many([Span(start + i, start + i + 1, "Editor", f"file {i}.py " + "x" * 80)
                                 for i in range(3000)])  # far more than a pipe holds
    core.close()
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "app", "activity", "list", "--since", "2000-01-01T00:00Z"],
                            cwd=root, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"#1 ")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""
