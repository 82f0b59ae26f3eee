"""Picks the backend for this desktop, importing only its module; anything unsupported degrades to `NullBackend`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

from app.capture.backends.base import Backend, BackendLost
from app.capture.backends.null import NullBackend

log = logging.getLogger(__name__)


def create_backend(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Backend:
    """The probe for the current desktop. Raises `BackendLost` only when an X display is set but unreachable
    (so the watcher retries); every other failure gives a `NullBackend` that says why."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform == "win32":
        from app.capture.backends.windows import WindowsBackend

        return WindowsBackend()
    if platform == "darwin":
        try:
            from app.capture.backends.macos import MacBackend

            return MacBackend()
        except ImportError:
            return NullBackend("Automatic capture on macOS needs the optional pyobjc packages: "
                               "install TimeTally with the 'macos' extra.")
    if is_wayland(env):
        from app.capture.backends.wayland import WaylandBackend

        return WaylandBackend()
    display = env.get("DISPLAY")
    if not display:
        return NullBackend("No graphical desktop was found (DISPLAY is not set), so nothing is captured.")
    try:
        from app.capture.backends.x11 import X11Backend
    except ImportError:
        return NullBackend("Automatic capture on X11 needs the python-xlib package.")
    try:
        return X11Backend(display)
    except BackendLost:
        log.warning("the X display %s cannot be opened", display)
        raise


def is_wayland(environ: Mapping[str, str]) -> bool:
    return environ.get("XDG_SESSION_TYPE", "").lower() == "wayland" or bool(
        environ.get("WAYLAND_DISPLAY") and not environ.get("DISPLAY"))
