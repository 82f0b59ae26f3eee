"""Starting the desktop app. Qt is imported only when it starts, so the CLI and the core stay GUI-free; the core
itself is imported by the app once its window is up (`app/ui/launch.py`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping


def missing_display(environ: Mapping[str, str], platform: str) -> str | None:
    """Why the desktop app cannot start here, before Qt tries and fails with a misleading plugin error."""
    if platform in ("win32", "darwin") or environ.get("QT_QPA_PLATFORM"):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return ("TimeTally found no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from "
            "your desktop, or use the command line: 'timetally --help'.")


def run_gui() -> int:
    """Start the desktop app."""
    problem = missing_display(os.environ, sys.platform)
    if problem:
        print(f"timetally: {problem}", file=sys.stderr)
        return 1
    from app.ui.launch import build_core, desktop_features, run_application

    return run_application(build_core, desktop_features)
