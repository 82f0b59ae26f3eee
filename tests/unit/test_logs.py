"""The log file: in the log folder, credentials masked in messages and tracebacks, no window titles at info."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import logs
from app.capture.backends.base import Backend, Window
from app.capture.config import CaptureConfig
from app.capture.watcher import Watcher
from app.core import Core
from app.paths import Paths
from app.store.spans import SpanStore

TITLE = "Salary review 2027 - confidential.xlsx"


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    path = Paths.from_env({"TIMETALLY_HOME": str(tmp_path)}).log_file
    path.parent.mkdir(parents=True)
    logs.configure(path)
    yield path
    for handler in root.handlers:
        handler.close()


def test_credentials_never_reach_the_file(log_file: Path) -> None:
    log = logging.getLogger("app.sync.oauth.session")
    log.info("calling %s with Authorization: Bearer %s", "https://api.xero.com/", "at-1234567890abcdef")
    log.info("token response %s", {"access_token": "at-secret-1", "refresh_token": "rt-secret-2", "expires_in": 1800})
    log.warning("redirect was /callback?code=auth-code-3&state=s1")
    try:
        raise RuntimeError("refresh failed for refresh_token=rt-secret-4")
    except RuntimeError:
        log.exception("sync failed")

    text = log_file.read_text(encoding="utf-8")
    for secret in ("at-1234567890abcdef", "at-secret-1", "rt-secret-2", "auth-code-3", "rt-secret-4"):
        assert secret not in text
    assert text.count(logs.MASK) >= 5  # the traceback shows the raising line too
    assert "expires_in': 1800" in text and "state=s1" in text and "RuntimeError" in text


def test_request_chatter_from_http_libraries_stays_out(log_file: Path) -> None:
    logging.getLogger("httpx").info('HTTP Request: POST https://identity.xero.com/connect/token "HTTP/1.1 200 OK"')
    logging.getLogger("httpx").warning("retrying after a timeout")

    text = log_file.read_text(encoding="utf-8")
    assert "HTTP Request" not in text and "retrying after a timeout" in text


class TitledWindow(Backend):
    name = "fake"

    def active_window(self) -> Window | None:
        return Window(app="LibreOffice Calc", title=TITLE, exe="/usr/bin/soffice", pid=4242)

    def idle_seconds(self) -> float | None:
        return 0.0


def test_capture_logs_no_window_titles_at_info_level(core: Core, caplog: pytest.LogCaptureFixture) -> None:
    watcher = Watcher(SpanStore(core.db), CaptureConfig(), backend_factory=TitledWindow)
    caplog.set_level(logging.INFO)

    watcher.open()
    for _ in range(3):
        watcher.tick()
    watcher.close()

    assert SpanStore(core.db).latest() is not None  # the title was captured: it just is not logged
    assert not [r for r in caplog.records if TITLE in r.getMessage()]
