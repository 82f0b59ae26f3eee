"""What the screenshot scripts share: waiting on Qt's event loop, grabbing a widget once it is drawn, and running a
script against a throw-away TIMETALLY_HOME so real data is never touched."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.icons import Icon, icon

EXPOSE_MS = 300  # a grab right after showing can come out black


def wait(ms: int) -> None:
    """Let Qt run (paint, deliver results) for `ms` without blocking its event loop."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(predicate: Callable[[], bool], timeout_ms: int = 5000) -> None:
    waited = 0
    while not predicate():
        if waited > timeout_ms:
            raise TimeoutError("the UI did not settle")
        wait(20)
        waited += 20


def save(widget: QWidget, path: Path, settle_ms: int = EXPOSE_MS) -> None:
    widget.show()
    widget.raise_()
    wait(settle_ms)
    widget.grab().save(str(path))
    print(path)


def run(argv: list[str], module: str, shoot: Callable[[Path], None]) -> int:
    """`python -m <module> docs`: shoot into docs/screenshots with the app's name and icon set as the app sets them."""
    if len(argv) != 2 or argv[1] != "docs":
        print(f"usage: python -m {module} docs", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as home:
        os.environ["TIMETALLY_HOME"] = home
        app = QApplication(argv)
        app.setApplicationName("TimeTally")
        app.setWindowIcon(icon(Icon.APP))
        shoot(Path(__file__).resolve().parents[1] / "docs" / "screenshots")
        app.quit()
    return 0
