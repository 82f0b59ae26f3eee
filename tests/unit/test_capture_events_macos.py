"""The macOS listener with AppKit, Accessibility and CoreFoundation faked: application switches, title changes
of the front application, following the front application, permission, stopping."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

from app.capture.backends.macos_events import MacListener

WALL = 1_800_000_000.0


class Center:
    def __init__(self) -> None:
        self.block: Any = None
        self.removed: list[Any] = []

    def addObserverForName_object_queue_usingBlock_(self, name: str, _obj: Any, _queue: Any, block: Any) -> str:
        assert name == "NSWorkspaceDidActivateApplicationNotification"
        self.block = block
        return "token"

    def removeObserver_(self, token: Any) -> None:
        self.removed.append(token)


class RunLoop:
    """CFRunLoopRun blocks until CFRunLoopStop; sources are recorded per observed pid."""

    kCFRunLoopDefaultMode = "default"

    def __init__(self) -> None:
        self.stopped = threading.Event()
        self.sources: list[int] = []

    def CFRunLoopGetCurrent(self) -> str:
        return "loop"

    def CFRunLoopRun(self) -> None:
        self.stopped.wait(10)

    def CFRunLoopStop(self, _loop: Any) -> None:
        self.stopped.set()

    def CFRunLoopAddSource(self, _loop: Any, source: int, _mode: str) -> None:
        self.sources.append(source)

    def CFRunLoopRemoveSource(self, _loop: Any, source: int, _mode: str) -> None:
        self.sources.remove(source)

    def CFRunLoopWakeUp(self, _loop: Any) -> None:
        pass


def app(pid: int) -> Any:
    return SimpleNamespace(processIdentifier=lambda: pid)


def fakes() -> tuple[Any, Any, RunLoop, Center, dict[int, Any]]:
    center = Center()
    workspace = SimpleNamespace(notificationCenter=lambda: center, frontmostApplication=lambda: app(501))
    appkit = SimpleNamespace(
        NSWorkspace=SimpleNamespace(sharedWorkspace=lambda: workspace),
        NSOperationQueue=SimpleNamespace(alloc=lambda: SimpleNamespace(init=lambda: "queue")),
        NSWorkspaceDidActivateApplicationNotification="NSWorkspaceDidActivateApplicationNotification",
        NSWorkspaceApplicationKey="NSWorkspaceApplicationKey")
    callbacks: dict[int, Any] = {}
    notifications: list[tuple[int, str]] = []

    def create(pid: int, callback: Any, _none: None) -> tuple[int, Any]:
        callbacks[pid] = callback
        return 0, pid

    services = SimpleNamespace(
        AXObserverCreate=create, AXUIElementCreateApplication=lambda pid: pid,
        AXObserverAddNotification=lambda observer, element, name, _r: notifications.append((observer, name)),
        AXObserverGetRunLoopSource=lambda observer: observer,
        kAXFocusedWindowChangedNotification="AXFocusedWindowChanged", kAXTitleChangedNotification="AXTitleChanged")
    return appkit, services, RunLoop(), center, callbacks


def note(pid: int) -> Any:
    info = SimpleNamespace(objectForKey_=lambda key: app(pid) if key == "NSWorkspaceApplicationKey" else None)
    return SimpleNamespace(userInfo=lambda: info)


def test_switches_and_title_changes_are_heard_and_the_front_app_followed() -> None:
    appkit, services, loop, center, callbacks = fakes()
    heard: list[float] = []
    listener = MacListener(appkit, services, loop, heard.append, lambda why: None, trusted=True, wall=lambda: WALL)
    assert listener.start()
    assert loop.sources == [501]  # the front application at start
    callbacks[501]("observer", "window", "AXTitleChanged", None)
    center.block(note(777))  # another application came to the front
    assert loop.sources == [777]
    callbacks[777]("observer", "window", "AXFocusedWindowChanged", None)
    assert heard == [WALL, WALL, WALL]
    listener.stop()
    assert center.removed == ["token"] and loop.stopped.is_set()


def test_without_the_accessibility_permission_only_application_switches_are_heard() -> None:
    appkit, services, loop, center, callbacks = fakes()
    heard: list[float] = []
    listener = MacListener(appkit, services, loop, heard.append, lambda why: None, trusted=False, wall=lambda: WALL)
    assert listener.start()
    center.block(note(777))
    assert heard == [WALL] and loop.sources == [] and callbacks == {}
    listener.stop()
