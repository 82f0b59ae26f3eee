"""`timetally --self-test`: proves a build works on a machine with no desktop, without touching the user's data.

It opens a fresh database in a temporary folder, runs the capture watcher on the null backend, and renders the
real windows offscreen. Any step that fails, or anything logged as an error meanwhile, makes the exit code 1.
It lives in the interface package because it renders windows; the core checks come from `app.selftest`.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from app import __version__
from app.core import build_core
from app.paths import Paths
from app.selftest import SelfTestError, check_capture, check_database, check_input_checks, lazy_modules

CAPTURE_SECONDS = 2.0
Step = tuple[str, str]


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


def check_windows(paths: Paths) -> str:
    # Imported here, so a bundle missing Qt reports the failure as a step instead of crashing the command.
    from app.ui.features import DesktopFeatures
    from app.ui.render_check import RenderFailed, render_windows

    try:
        rendered = render_windows(lambda: build_core(paths), DesktopFeatures())
    except RenderFailed as exc:
        raise SelfTestError(f"windows: {exc}") from exc
    return "rendered offscreen: " + ", ".join(rendered)


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
        steps = [("database", check_database(core)), ("modules", check_modules()),
                 ("inputs", check_input_checks())]
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
