"""macOS change events: `NSWorkspaceDidActivateApplicationNotification` when another application comes to the
front, and, with the Accessibility permission, an `AXObserver` on the frontmost application for focused-window
and title changes, its run-loop source on a thread of its own running `CFRunLoopRun`. The notifications carry
no time of their own: a change is stamped when it is heard. The pyobjc modules can be injected, which is how
the tests run this code on other systems.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from app.capture.backends.base import Changed, Lost

log = logging.getLogger(__name__)


class MacListener:
    def __init__(self, appkit: Any, services: Any, cf: Any, changed: Changed, lost: Lost, trusted: bool,
                 wall: Callable[[], float] = time.time) -> None:
        self._appkit, self._ax, self._cf = appkit, services, cf
        self._changed, self._lost, self._wall = changed, lost, wall
        self._trusted = trusted
        self._lock = threading.Lock()
        self._loop: Any = None
        self._source: Any = None
        self._observer: Any = None  # kept alive as long as its source is in the run loop
        self._token: Any = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tt-mac-events", daemon=True)

    def start(self) -> bool:
        appkit = self._appkit
        self._thread.start()
        if not self._ready.wait(5.0):
            return False
        center = appkit.NSWorkspace.sharedWorkspace().notificationCenter()
        queue = appkit.NSOperationQueue.alloc().init()
        self._token = center.addObserverForName_object_queue_usingBlock_(
            appkit.NSWorkspaceDidActivateApplicationNotification, None, queue, self._activated)
        return True

    def stop(self) -> None:
        if self._token is not None:
            self._appkit.NSWorkspace.sharedWorkspace().notificationCenter().removeObserver_(self._token)
            self._token = None
        if self._loop is not None:
            self._cf.CFRunLoopStop(self._loop)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(2.0)

    def _run(self) -> None:
        try:
            self._loop = self._cf.CFRunLoopGetCurrent()
            front = self._appkit.NSWorkspace.sharedWorkspace().frontmostApplication()
            if front is not None:
                self._follow(int(front.processIdentifier()))
            self._ready.set()
            self._cf.CFRunLoopRun()
        except Exception as exc:  # never let the observer thread take capture down: the watcher polls instead
            log.exception("macOS event listener failed")
            self._ready.set()
            self._lost(f"the macOS event observer failed: {exc}")

    def _activated(self, note: Any) -> None:
        """Another application is in front (on the notification queue's thread)."""
        self._changed(self._wall())
        app = note.userInfo().objectForKey_(self._appkit.NSWorkspaceApplicationKey)
        if app is not None:
            self._follow(int(app.processIdentifier()))

    def _title_changed(self, _observer: Any, _element: Any, _notification: Any, _refcon: Any) -> None:
        self._changed(self._wall())

    def _follow(self, pid: int) -> None:
        """Observe the front application's focused window and titles; without the permission, apps only."""
        if not self._trusted:
            return
        ax, cf = self._ax, self._cf
        with self._lock:
            if self._source is not None:
                cf.CFRunLoopRemoveSource(self._loop, self._source, cf.kCFRunLoopDefaultMode)
                self._source = self._observer = None
            err, observer = ax.AXObserverCreate(pid, self._title_changed, None)
            if err or observer is None:
                return
            element = ax.AXUIElementCreateApplication(pid)
            for name in (ax.kAXFocusedWindowChangedNotification, ax.kAXTitleChangedNotification):
                ax.AXObserverAddNotification(observer, element, name, None)
            self._observer, self._source = observer, ax.AXObserverGetRunLoopSource(observer)
            cf.CFRunLoopAddSource(self._loop, self._source, cf.kCFRunLoopDefaultMode)
            cf.CFRunLoopWakeUp(self._loop)
