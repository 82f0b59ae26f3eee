"""Whether this session has a display the desktop app can use, asked before Qt is loaded."""

from __future__ import annotations

from collections.abc import Mapping


def missing_display(environ: Mapping[str, str], platform: str) -> str | None:
    """Why the desktop app cannot start here, before Qt tries and fails with a misleading plugin error."""
    if platform in ("win32", "darwin") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return ("TimeTally found no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from "
            "your desktop, or use the command line: 'timetally --help'.")
