"""The self-test's checks of the core: a fresh database, the capture watcher, and the modules loaded on demand.

They need no display and no Qt; `timetally --self-test` runs them beside rendering the windows.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from app.capture.backends.base import Window
from app.capture.backends.null import NullBackend
from app.core import Core, build_watcher


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
    watcher = build_watcher(core, backend=lambda: probe, power=False)
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


def lazy_modules(platform: str | None = None) -> list[str]:
    """Modules imported only on demand, that a bundle must still contain (the spec lists them for PyInstaller)."""
    platform = platform or sys.platform
    backends: tuple[str, ...]
    native: tuple[str, ...]
    if platform == "win32":
        backends, native = ("windows",), ("pynput",)
    elif platform == "darwin":
        backends, native = ("macos",), ("pynput",)
    else:
        backends, native = ("x11", "wayland"), ("pynput", "Xlib", "evdev")
    return [*(f"app.capture.backends.{name}" for name in ("null", *backends)), *native]


def check_input_checks() -> str:
    """The engines that guard outside input are in the bundle: RE2 for rule regexes, jsonschema (with its
    meta-schemas, loaded from package data) for ActivityWatch exports."""
    from app.capture.awschema import problems
    from app.domain.linear_regex import compile_regex

    if compile_regex(r"^(\w+\s?)+$").search("a" * 10_000 + "!") is not None:
        raise SelfTestError("input checks: RE2 matched what it must not")
    found = problems([{"events": [{"timestamp": "2026-11-18T09:00:00Z", "duration": 1e20, "data": {}}]}])
    if len(found) != 1 or "maximum" not in found[0]:
        raise SelfTestError(f"input checks: the export schema did not refuse a 1e20 duration ({found})")
    return "RE2 matched a catastrophic pattern at once and the export schema refused a 1e20 duration"
