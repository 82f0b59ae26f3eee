"""X11: the active window from EWMH properties, idle time from the MIT-SCREEN-SAVER extension, and changes
announced by `PropertyNotify` events (`x11_events`) when the window manager sets `_NET_ACTIVE_WINDOW`."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from app.capture.backends.base import Backend, BackendLost, Changed, Lost, ProcessNames, Window, clean_text

log = logging.getLogger(__name__)


class X11Backend(Backend):
    """python-xlib on one display connection; atoms are interned once, at connect time."""

    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        from Xlib import X, Xatom, display, error

        self._X = X
        self._error = error
        try:
            self._display: Any = display.Display(display_name)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            raise BackendLost(f"cannot open the X display: {exc}") from exc
        self._display_name = display_name
        self._listener: Any = None
        self._root = self._display.screen().root
        intern = self._display.intern_atom
        self._active = intern("_NET_ACTIVE_WINDOW")
        self._net_name = intern("_NET_WM_NAME")
        self._pid = intern("_NET_WM_PID")
        self._utf8 = intern("UTF8_STRING")
        self._wm_name = Xatom.WM_NAME
        self._wm_class = Xatom.WM_CLASS
        self._string = Xatom.STRING
        self._idle_ext = self._display.has_extension("MIT-SCREEN-SAVER")
        self._processes = ProcessNames()
        if not self._idle_ext:
            self.notice = "This X server has no MIT-SCREEN-SAVER extension, so TimeTally cannot tell when you are idle."

    def active_window(self) -> Window | None:
        try:
            active = self._root.get_full_property(self._active, self._X.AnyPropertyType)
            wid = int(active.value[0]) if active is not None and len(active.value) else 0
            if wid == 0:
                return None
            win = self._display.create_resource_object("window", wid)
            title = self._text(win, self._net_name) or self._text(win, self._wm_name)
            wm_class = self._text(win, self._wm_class, whole=True).split("\0")
            pid_prop = win.get_full_property(self._pid, self._X.AnyPropertyType)
        except (self._error.BadWindow, self._error.BadDrawable, self._error.BadValue):
            return None  # the window closed between two requests: nothing has focus this instant
        except (self._error.ConnectionClosedError, self._error.DisplayError, OSError) as exc:
            raise BackendLost(f"the X display went away: {exc}") from exc
        pid = int(pid_prop.value[0]) if pid_prop is not None and len(pid_prop.value) else 0
        proc_name, exe = self._processes.lookup(pid, wid)
        app = clean_text(wm_class[1] if len(wm_class) > 1 and wm_class[1] else wm_class[0]) or proc_name
        return Window(app=app, title=clean_text(title), exe=exe or proc_name, pid=pid)

    def idle_seconds(self) -> float | None:
        if not self._idle_ext:
            return None
        try:
            return float(self._root.screensaver_query_info().idle) / 1000.0
        except (self._error.ConnectionClosedError, self._error.DisplayError, OSError) as exc:
            raise BackendLost(f"the X display went away: {exc}") from exc

    def listen(self, changed: Changed, lost: Lost) -> bool:
        from app.capture.backends.x11_events import NoActiveWindowHint, X11Listener

        try:
            listener = X11Listener(self._display_name, changed, lost)
        except NoActiveWindowHint as exc:
            log.warning("%s: capture polls the active window instead", exc)
            return False
        except (self._error.DisplayError, self._error.ConnectionClosedError, OSError) as exc:
            log.warning("no X connection for events (%s): capture polls instead", exc)
            return False
        listener.start()
        self._listener = listener
        return True

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        with contextlib.suppress(self._error.ConnectionClosedError, OSError):
            self._display.close()

    def _text(self, win: Any, atom: int, whole: bool = False) -> str:
        """A text property of any type. STRING is Latin-1 by the ICCCM, but many tools store UTF-8 in it:
        valid UTF-8 is taken as UTF-8 (Latin-1 text with accents almost never is), the rest as Latin-1."""
        prop = win.get_full_property(atom, self._X.AnyPropertyType)
        if prop is None or prop.format != 8:
            return ""
        raw = prop.value if isinstance(prop.value, bytes) else str(prop.value).encode("utf-8", "replace")
        if not whole:
            raw = raw.split(b"\0", 1)[0] if raw.endswith(b"\0") else raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("latin-1" if prop.property_type == self._string else "utf-8", errors="replace")
