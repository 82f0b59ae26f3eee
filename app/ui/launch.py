"""Running the desktop app (`app/ui/start.py` calls it): the one place a `QApplication` is created.

The core and the desktop features are imported only once Qt runs: the core on the write worker as the shell
builds it, the features when the core is up. So where the main window shows at once (no tray) it appears at
about the cost of Qt itself, and a second launch gives way before anything heavy is loaded.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.ui.application import Extensions, Shell
from app.ui.events import ChangeBus
from app.ui.icons import Icon, icon
from app.ui.single_instance import SingleInstance
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.core import Core

log = logging.getLogger(__name__)


def build_core() -> Core:
    """Runs on the write worker: importing the core is most of the start-up, and the window is already up."""
    from app.core import build_core as build

    return build()


def desktop_features() -> Extensions:
    from app.ui.features import DesktopFeatures

    return DesktopFeatures()


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM (logout) and SIGINT (Ctrl+C) quit through Qt, so the exit is recorded as clean."""
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: app.quit())
    # Python runs signal handlers between bytecodes; a light timer gives it the chance inside Qt's loop.
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(500)


def run_application(
    build: Callable[[], Core], extensions: Extensions | Callable[[], Extensions] | None = None,
    argv: Sequence[str] | None = None,
) -> int:
    """Run the desktop app until Quit; the exit code is 1 when the store could not be opened."""
    app = QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName("TimeTally")
    app.setApplicationDisplayName("TimeTally")
    app.setDesktopFileName("timetally")
    app.setWindowIcon(icon(Icon.APP))
    app.setQuitOnLastWindowClosed(False)  # the tray keeps the app alive while its window is closed
    instance = SingleInstance()
    if not instance.claim():
        log.info("TimeTally is already running; it was asked to show itself")
        return 0
    runner = TaskRunner()
    bus = ChangeBus()
    shell = Shell(build, runner, bus, extensions)
    instance.activate_requested.connect(shell.show_window)
    instance.refresh_requested.connect(lambda areas: bus.announce(*areas))
    shell.failed.connect(lambda _message: app.exit(1))
    _quit_on_signals(app)
    QTimer.singleShot(0, shell.start)
    code: Any = app.exec()
    shell.shut_down()
    instance.close()
    return int(code)
