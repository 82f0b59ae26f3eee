"""The one interface every OS backend implements, and the clean-up every title goes through."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import psutil

MAX_TEXT = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Window:
    """The focused window as a probe saw it. `app` is the application's name, `exe` its executable."""

    app: str
    title: str
    exe: str = ""
    pid: int = 0


class BackendLost(Exception):
    """The desktop connection went away (X server gone, session ended); the watcher reconnects later."""


Changed = Callable[[float], None]
"""Told the UTC epoch time of a focus change or a title change of the focused window."""
Lost = Callable[[str], None]
"""Told why the desktop stopped sending events (the watcher polls from then on)."""


class Backend(ABC):
    """Probes for the watcher. Both must be cheap (well under a millisecond). A backend that can `listen` is
    asked when something changed; one that cannot is polled once a second."""

    name: str = "backend"
    notice: str | None = None
    """A plain sentence for the user about what this desktop lets TimeTally capture, when it is limited."""

    @abstractmethod
    def active_window(self) -> Window | None:
        """The focused window, or None when nothing has focus (desktop, lock screen)."""

    @abstractmethod
    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard or mouse input, or None when this desktop cannot tell."""

    def listen(self, changed: Changed, lost: Lost) -> bool:
        """Start calling `changed` from a thread of the backend's own whenever focus moves or the focused
        window's title changes; False when this desktop cannot tell (the watcher polls instead). `close()`
        stops listening."""
        return False

    def close(self) -> None:  # noqa: B027  (optional: most backends hold nothing to release)
        """Release the desktop connection (and stop listening)."""


def clean_text(value: str | bytes | None, limit: int = MAX_TEXT) -> str:
    """A title or name fit to store: decoded, control characters and NULs folded to spaces, trimmed, bounded.

    Emoji and right-to-left text are kept as they are; lone surrogates (broken UTF-16) become U+FFFD.
    """
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = _CONTROL.sub(" ", value).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16-le", errors="surrogatepass").decode("utf-16-le", errors="replace")
    return text


class ProcessNames:
    """pid -> (name, executable) via psutil, cached per window so a pid reused later is looked up afresh.

    A process that exits between two calls gives blanks rather than an error.
    """

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._cache: OrderedDict[tuple[int, int], tuple[str, str]] = OrderedDict()

    def lookup(self, pid: int, window: int = 0) -> tuple[str, str]:
        if pid <= 0:
            return "", ""
        key = (pid, window)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        try:
            proc = psutil.Process(pid)
            name = proc.name()
            try:
                exe = proc.exe()
            except (psutil.AccessDenied, psutil.ZombieProcess, OSError):
                exe = ""
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess, OSError):
            return "", ""
        found = (clean_text(name), clean_text(exe))
        self._cache[key] = found
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return found
