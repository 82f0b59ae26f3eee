"""The app's SVG icons from `resources/icons`, loaded once; SVG keeps them sharp at every tray size."""

from __future__ import annotations

import sys
from enum import StrEnum
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon


class Icon(StrEnum):
    APP = "app"
    RUNNING = "tray-running"
    STOPPED = "tray-stopped"
    PAUSED = "tray-paused"
    RECONNECT = "tray-reconnect"


def icons_dir() -> Path:
    """`resources/icons` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return root / "resources" / "icons"


@cache
def icon(name: Icon) -> QIcon:
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"missing icon {path}")
    return QIcon(str(path))
