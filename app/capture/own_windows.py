"""TimeTally's own windows (the timer, the review, its dialogs) are never work to record or to suggest from.

Recognised before privacy and storage by what every backend reports: the process id (this process), the
application name (Qt gives our windows the class and name "TimeTally" on X11, macOS and Windows alike, so a
headless `capture run` also skips the GUI's windows), and, for a bundled TimeTally, its executable. A Python
interpreter's path is not used: it runs other programs too.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from app.capture.backends.base import Window

APP_NAMES = frozenset({"timetally", "timetally.exe"})


@dataclass(frozen=True)
class OwnWindows:
    pids: frozenset[int] = frozenset()
    exes: frozenset[str] = frozenset()
    apps: frozenset[str] = field(default=APP_NAMES)

    @classmethod
    def of_this_process(cls) -> OwnWindows:
        bundled = frozenset({os.path.realpath(sys.executable)}) if getattr(sys, "frozen", False) else frozenset()
        return cls(frozenset({os.getpid()}), bundled)

    def matches(self, window: Window) -> bool:
        if window.pid and window.pid in self.pids:
            return True
        if window.app.casefold() in self.apps:
            return True
        return bool(self.exes and window.exe) and os.path.realpath(window.exe) in self.exes
