"""macOS: the frontmost application from NSWorkspace, its focused window's title through the Accessibility API,
idle time from Quartz, changes announced by NSWorkspace and Accessibility observers (`macos_events`). pyobjc is
an optional extra (`timetally[macos]`); without it the factory falls back.

Polling AppleScript / System Events costs about 15 % CPU, so it is never used. The modules can be injected,
which is how the tests run this code on other systems.
"""

from __future__ import annotations

from typing import Any

from app.capture.backends.base import Backend, Changed, Lost, Window, clean_text

NO_ACCESSIBILITY = (
    "TimeTally records which application you use, but not window titles: allow it under System Settings > "
    "Privacy & Security > Accessibility to record titles too."
)


class MacBackend(Backend):
    name = "macos"

    def __init__(self, appkit: Any = None, quartz: Any = None, services: Any = None, cf: Any = None) -> None:
        if appkit is None or quartz is None or services is None or cf is None:
            import AppKit
            import ApplicationServices
            import CoreFoundation
            import Quartz

            appkit, quartz, services, cf = AppKit, Quartz, ApplicationServices, CoreFoundation
        self._appkit, self._cf = appkit, cf
        self._listener: Any = None
        self._workspace = appkit.NSWorkspace.sharedWorkspace()
        self._quartz = quartz
        self._ax = services
        self._trusted = bool(services.AXIsProcessTrusted())
        if not self._trusted:
            self.notice = NO_ACCESSIBILITY

    def active_window(self) -> Window | None:
        front = self._workspace.frontmostApplication()
        if front is None:
            return None
        pid = int(front.processIdentifier())
        url = front.executableURL()
        exe = clean_text(str(url.path())) if url is not None else ""
        app = clean_text(str(front.localizedName() or "")) or exe.rsplit("/", 1)[-1]
        return Window(app=app, title=self._title(pid) if self._trusted else "", exe=exe, pid=pid)

    def idle_seconds(self) -> float | None:
        q = self._quartz
        return float(q.CGEventSourceSecondsSinceLastEventType(q.kCGEventSourceStateCombinedSessionState,
                                                              q.kCGAnyInputEventType))

    def listen(self, changed: Changed, lost: Lost) -> bool:
        from app.capture.backends.macos_events import MacListener

        listener = MacListener(self._appkit, self._ax, self._cf, changed, lost, self._trusted)
        if not listener.start():
            listener.stop()
            return False
        self._listener = listener
        return True

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    def _title(self, pid: int) -> str:
        ax = self._ax
        app = ax.AXUIElementCreateApplication(pid)
        err, window = ax.AXUIElementCopyAttributeValue(app, ax.kAXFocusedWindowAttribute, None)
        if err or window is None:
            return ""
        err, title = ax.AXUIElementCopyAttributeValue(window, ax.kAXTitleAttribute, None)
        return "" if err or title is None else clean_text(str(title))
