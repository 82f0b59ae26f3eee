"""`timetally --self-test`: passes on a working install, fails with a reason, never touches the user's data."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest

from app import cli
from app.capture.watcher import Watcher
from app.ui import selftest


def test_passes_with_a_report_and_leaves_the_users_home_alone(home: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()

    assert selftest.run_self_test(out) == 0, out.getvalue()

    report = out.getvalue()
    assert "database  ok" in report
    assert "modules   ok" in report
    assert "inputs    ok  RE2 matched a catastrophic pattern at once" in report
    assert "capture   ok  the watcher polled the null backend" in report
    for window in ("TimerWindow", "SettingsDialog", "ReviewWindow", "ActivityWindow", "RulesEditor", "ReportsWindow",
                   "InvoicePreviewDialog"):
        assert f"{window} " in report, "every window the README says the self-test renders is rendered"
    assert "This plugin does not support" not in capfd.readouterr().err
    assert report.rstrip().splitlines()[-1].startswith("self-test passed")
    assert os.environ["TIMETALLY_HOME"] == str(home)
    assert not home.exists()


def _no_windows(_paths: object) -> str:
    return "not rendered in this test"


def test_a_watcher_that_never_polls_fails(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "check_windows", _no_windows)
    monkeypatch.setattr(Watcher, "tick", lambda self: None)
    out = io.StringIO()

    assert selftest.run_self_test(out, capture_seconds=0.1) == 1
    assert "self-test failed: capture: the watcher never polled the null backend" in out.getvalue()


def test_an_error_logged_in_the_background_fails(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def complain(_paths: object) -> str:
        logging.getLogger("app.ui.tasks").error("background task failed")
        return "rendered"

    monkeypatch.setattr(selftest, "check_windows", complain)
    out = io.StringIO()

    assert selftest.run_self_test(out, capture_seconds=0.1) == 1
    assert "self-test failed: an error was logged: app.ui.tasks: background task failed" in out.getvalue()


def test_a_logged_error_is_named_beside_the_failure(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "check_windows", _no_windows)

    def poll_and_complain(self: Watcher) -> None:
        logging.getLogger("app.capture.watcher").error("capture poll failed")

    monkeypatch.setattr(Watcher, "tick", poll_and_complain)
    out = io.StringIO()

    assert selftest.run_self_test(out, capture_seconds=0.1) == 1
    assert "the first error logged: app.capture.watcher: capture poll failed" in out.getvalue()


def test_an_unexpected_error_names_where_it_happened(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_core: object) -> str:
        raise KeyError("missing")

    monkeypatch.setattr(selftest, "check_database", broken)
    out = io.StringIO()

    assert selftest.run_self_test(out) == 1
    assert "self-test failed: KeyError: 'missing' (" in out.getvalue()
    assert "test_selftest.py:" in out.getvalue()


def test_the_cli_flag_runs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "run_self_test", lambda: 7)

    assert cli.main(["--self-test"]) == 7


def test_a_module_missing_from_a_bundle_fails(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "lazy_modules", lambda: ["app.capture.backends.null", "xlib_gone"])
    out = io.StringIO()

    assert selftest.run_self_test(out) == 1
    assert "self-test failed: modules: xlib_gone missing" in out.getvalue()


@pytest.mark.parametrize("platform", ["linux", "win32", "darwin"])
def test_the_lazy_modules_are_the_ones_the_spec_lists(platform: str) -> None:
    spec = (Path(__file__).resolve().parents[2] / "packaging" / "timetally.spec").read_text()
    backends = [name.rsplit(".", 1)[1] for name in selftest.lazy_modules(platform) if name.startswith("app.")]

    assert "null" in backends
    for backend in backends:
        assert f'"{backend}"' in spec
