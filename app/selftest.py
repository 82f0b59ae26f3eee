"""`timetally --self-test`: proves a build works on a machine with no desktop, without touching the user's data.

It opens a fresh database in a temporary folder, runs the capture watcher on the null backend, and renders the
real windows offscreen. Any step that fails, or anything logged as an error meanwhile, makes the exit code 1.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from app import __version__
from app.bootstrap import Core, build_core
from app.capture.backends.base import Window
from app.capture.backends.null import NullBackend
from app.capture.config import CaptureConfig
from app.capture.watcher import Watcher
from app.paths import Paths
from app.store.spans import SpanStore

CAPTURE_SECONDS = 2.0
Step = tuple[str, str]


class SelfTestError(Exception):
    """One check failed; the message says which and why."""


class _Probe(NullBackend):
    """The null backend, counting the watcher's polls so the test knows the loop really ran."""

    def __init__(self) -> None:
        super().__init__("self-test: the null backend captures nothing")
        self.polls = 0

    def active_window(self) -> Window | None:
        self.polls += 1
        return None


class _Errors(logging.Handler):
    """Collects error records: a background failure is logged, not raised, and must still fail the test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@contextmanager
def _isolated(home: str) -> Iterator[_Errors]:
    """TIMETALLY_HOME in the temporary folder and Qt offscreen; the environment and log handlers restored after."""
    saved = {key: os.environ.get(key) for key in ("TIMETALLY_HOME", "QT_QPA_PLATFORM")}
    os.environ.update(TIMETALLY_HOME=home, QT_QPA_PLATFORM="offscreen")
    root = logging.getLogger()
    before = list(root.handlers)
    errors = _Errors()
    root.addHandler(errors)
    try:
        yield errors
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def check_database(core: Core) -> str:
    entry = core.timer.start("self-test")
    core.timer.stop()
    recent = core.timer.recent(1)
    if not recent or recent[0].id != entry.id or core.timer.status().running is not None:
        raise SelfTestError("database: a timer entry was not recorded")
    return f"migrated a new database and recorded a timer entry in {core.paths.database.parent}"


def check_capture(core: Core, seconds: float) -> Callable[[], str]:
    """Starts the watcher in a thread; the returned function waits for it and reports."""
    probe = _Probe()
    watcher = Watcher(SpanStore(core.db), CaptureConfig.from_settings(core.settings), backend_factory=lambda: probe)
    thread = threading.Thread(target=watcher.run, args=(seconds,), name="tt-selftest-capture", daemon=True)
    thread.start()

    def finish() -> str:
        thread.join(seconds + 10)
        if thread.is_alive():
            watcher.stop()
            raise SelfTestError(f"capture: the watcher did not stop after {seconds:g} s")
        if probe.polls == 0:
            raise SelfTestError("capture: the watcher never polled the null backend")
        return f"the watcher polled the null backend {probe.polls} times in {seconds:g} s"

    return finish


def check_windows(paths: Paths) -> str:
    from app.ui.render_check import RenderFailed, render_windows

    try:
        rendered = render_windows(lambda: build_core(paths))
    except RenderFailed as exc:
        raise SelfTestError(f"windows: {exc}") from exc
    return "rendered offscreen: " + ", ".join(rendered)


def lazy_modules(platform: str | None = None) -> list[str]:
    """Modules imported only on demand, that a bundle must still contain (the spec lists them for PyInstaller)."""
    platform = platform or sys.platform
    if platform == "win32":
        backends, native = ("windows",), ("pynput",)
    elif platform == "darwin":
        backends, native = ("macos",), ("pynput",)
    else:
        backends, native = ("x11", "wayland"), ("pynput", "Xlib", "evdev")
    return [*(f"app.capture.backends.{name}" for name in ("null", *backends)), *native]


def check_modules() -> str:
    """Found, not imported: pynput cannot be imported without a display, the macOS backend without pyobjc."""
    missing = [name for name in lazy_modules() if importlib.util.find_spec(name) is None]
    if missing:
        raise SelfTestError(f"modules: {', '.join(missing)} missing")
    for name in ("app.ui.single_instance", "app.ui.shortcuts", "app.ui.notifications"):
        importlib.import_module(name)
    return f"{len(lazy_modules()) + 3} lazily loaded modules are present"


def _steps(paths: Paths, capture_seconds: float) -> list[Step]:
    core = build_core(paths)
    try:
        steps = [("database", check_database(core)), ("modules", check_modules())]
        capture = check_capture(core, capture_seconds)
        windows = check_windows(paths)
        steps.append(("capture", capture()))
        steps.append(("windows", windows))
    finally:
        core.close()
    return steps


def _where(exc: BaseException) -> str:
    """The innermost frame of an unexpected error, so a report from a bundle points at the code."""
    frames = traceback.extract_tb(exc.__traceback__)
    return f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""


def run_self_test(out: TextIO | None = None, capture_seconds: float = CAPTURE_SECONDS) -> int:
    """0 with a short report when every check passes; 1 with the reason otherwise."""
    out = out or sys.stdout
    started = time.monotonic()
    print(f"TimeTally {__version__} self-test", file=out)
    with tempfile.TemporaryDirectory(prefix="timetally-selftest-") as home, _isolated(home) as errors:
        try:
            for name, detail in _steps(Paths.from_env(), capture_seconds):
                print(f"  {name:<9} ok  {detail}", file=out)
            if errors.messages:
                raise SelfTestError(f"an error was logged: {errors.messages[0]}")
        except Exception as exc:
            reason = str(exc) if isinstance(exc, SelfTestError) else f"{type(exc).__name__}: {exc}{_where(exc)}"
            if errors.messages and not reason.startswith("an error was logged"):
                reason += f"; the first error logged: {errors.messages[0]}"
            print(f"self-test failed: {reason}", file=out)
            return 1
    print(f"self-test passed in {time.monotonic() - started:.1f} s", file=out)
    return 0
