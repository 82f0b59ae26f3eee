"""Renders the real windows offscreen for `timetally --self-test`, through the same shell the app starts.

A bundle that lost a Qt plugin, an icon or a module fails here, where the tester can read why, rather than
on the user's desktop.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from app.core import Core
from app.ui.application import Extensions, Shell
from app.ui.events import ChangeBus
from app.ui.invoice_preview import InvoicePreviewDialog
from app.ui.tasks import TaskRunner

OFFSCREEN_LIMITS = "This plugin does not support "
"""How Qt's offscreen platform says it cannot raise a window or pass size hints on: true, and no fault of ours."""


class RenderFailed(Exception):
    """A window did not appear, or painted nothing."""


def render_windows(
    build_core: Callable[[], Core], extensions: Extensions | None = None, timeout: float = 20.0
) -> list[str]:
    """Start the shell without a tray, paint its main window, every page of it and the invoice preview;
    'Name WxH' each.

    `extensions` should be the ones the app starts with, so the pages are the real ones. The shell owns the
    core it builds and closes it on the way out.
    """
    app = QApplication.instance() or QApplication(["timetally", "--self-test"])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    with _quiet_offscreen_limits():
        return _render(build_core, extensions, timeout)


@contextmanager
def _quiet_offscreen_limits() -> Iterator[None]:
    """Qt messages go to stderr as before, except the offscreen platform's notes on what it cannot do."""

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if not message.startswith(OFFSCREEN_LIMITS):
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


def _render(build_core: Callable[[], Core], extensions: Extensions | None, timeout: float) -> list[str]:
    runner = TaskRunner()
    shell = Shell(build_core, runner, ChangeBus(), extensions, tray_available=lambda: False)
    problems: list[str] = []
    loop = QEventLoop()
    shell.ready.connect(loop.quit)
    shell.failed.connect(lambda message: (problems.append(message), loop.quit()))
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(
        lambda: (problems.append(f"the main window did not appear within {timeout:g} s"), loop.quit())
    )
    deadline.start(int(timeout * 1000))
    QTimer.singleShot(0, shell.start)
    loop.exec()
    deadline.stop()
    others: list[QWidget] = []
    try:
        if problems:
            raise RenderFailed(problems[0])
        window = shell.window
        if window is None:
            raise RenderFailed("the shell started without a main window")
        rendered = []
        for key in window.page_keys():
            window.open_page(key)
            _settle(runner, timeout)
            rendered.append(_paint(window.page(key)))
        others = [InvoicePreviewDialog(runner, list)]
        for widget in others:
            widget.show()
        _settle(runner, timeout)
        return [_paint(window), *rendered, *(_paint(widget) for widget in others)]
    finally:
        for opened in (shell.window, shell.dialog, *others):
            if opened is not None:
                opened.close()
        _settle(runner, timeout)
        shell.shut_down()


def _settle(runner: TaskRunner, timeout: float) -> None:
    """Let the windows load what they asked the workers for: idle on two checks in a row, events run between."""
    loop = QEventLoop()
    poll = QTimer()
    idle_checks = [0]

    def check() -> None:
        idle_checks[0] = idle_checks[0] + 1 if runner.idle() else 0
        if idle_checks[0] >= 2:
            loop.quit()

    poll.timeout.connect(check)
    poll.start(10)
    QTimer.singleShot(int(timeout * 1000), loop.quit)
    loop.exec()
    poll.stop()


def _paint(widget: QWidget | None) -> str:
    if widget is None:
        raise RenderFailed("a window was not created")
    name = type(widget).__name__
    image = widget.grab().toImage()
    if image.isNull() or image.width() == 0 or image.height() == 0:
        raise RenderFailed(f"{name} rendered an empty image")
    if len(_colours(image)) < 2:
        raise RenderFailed(f"{name} rendered a blank image")
    return f"{name} {image.width()}x{image.height()}"


def _colours(image: QImage, samples: int = 24) -> set[int]:
    """Distinct colours on a grid of points: one colour means nothing was painted but the background."""
    xs = range(0, image.width(), max(1, image.width() // samples))
    ys = range(0, image.height(), max(1, image.height() // samples))
    return {image.pixel(x, y) for x in xs for y in ys}
