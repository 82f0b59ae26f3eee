"""The main window: every page by click and by shortcut, its size and page kept across restarts, open when there
is no tray, and brought back by a second launch."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.core import build_core
from app.ui.application import Shell
from app.ui.events import ChangeBus
from app.ui.main_window import MainWindow
from app.ui.pages import PAGES
from app.ui.single_instance import SingleInstance
from app.ui.tasks import TaskRunner
from app.ui.timer_window import TimerWindow
from tests.ui.conftest import drain


@pytest.fixture
def launch(home: Path, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> Iterator[Callable[..., Shell]]:
    """Start a shell on the test's home; each one is shut down as the app would be (state saved on the way)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quit_on_close = app.quitOnLastWindowClosed()
    shells: list[Shell] = []

    def start(tray: bool = False) -> Shell:
        shell = Shell(build_core, TaskRunner(), bus, tray_available=lambda: tray)
        shells.append(shell)
        with qtbot.waitSignal(shell.ready, timeout=10_000):
            shell.start()
        return shell

    yield start
    for shell in shells:
        stop(shell, qtbot)
    app.setQuitOnLastWindowClosed(quit_on_close)


def stop(shell: Shell, qtbot: QtBot) -> None:
    if shell.window is not None:
        shell.window.hide()
    drain(qtbot, shell.runner)
    shell.shut_down()


def window_of(shell: Shell) -> MainWindow:
    assert shell.window is not None
    return shell.window


def test_without_a_tray_the_main_window_opens_on_the_timer(launch: Callable[..., Shell]) -> None:
    window = window_of(launch())
    assert window.isVisible() and window.current_key() == "timer"
    assert isinstance(window.stack.currentWidget(), TimerWindow)
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [p.title for p in PAGES]


def test_every_page_opens_by_click_and_by_shortcut(launch: Callable[..., Shell], qtbot: QtBot) -> None:
    shell = launch()
    window = window_of(shell)
    window.activateWindow()
    for row, page in enumerate(PAGES):
        rect = window.sidebar.visualItemRect(window.sidebar.item(row))
        qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert window.current_key() == page.key
        widget = window.built(page.key)
        assert widget is not None and window.stack.currentWidget() is widget and widget.isVisible()
        assert window.windowTitle() == f"{page.title} — TimeTally"
    for page in reversed(PAGES):
        sequence = QKeySequence(page.shortcut)[0]
        qtbot.keyClick(window.sidebar, sequence.key(), sequence.keyboardModifiers())
        assert window.current_key() == page.key, page.shortcut
    drain(qtbot, shell.runner)


def test_a_page_asking_to_close_stays_in_the_window(launch: Callable[..., Shell], qtbot: QtBot) -> None:
    window = window_of(launch())
    timer = window.page("timer")
    qtbot.keyClick(timer, Qt.Key.Key_Escape)  # the timer window used to close itself on Esc
    window.open_page("rules")
    rules = window.page("rules")
    qtbot.keyClick(rules, Qt.Key.Key_Escape)  # a dialog rejects on Esc
    assert window.isVisible() and rules.isVisible() and window.current_key() == "rules"
    window.open_page("timer")
    assert timer.isVisible()


def test_size_place_and_page_are_remembered_across_restarts(launch: Callable[..., Shell], qtbot: QtBot) -> None:
    first = launch()
    window = window_of(first)
    window.resize(760, 530)  # inside the offscreen screen, which a restored window is kept within
    window.move(QPoint(20, 30))
    window.open_page("reports")
    stop(first, qtbot)

    window = window_of(launch())
    assert window.current_key() == "reports"
    assert (window.width(), window.height()) == (760, 530)


def test_with_a_tray_it_waits_and_a_second_launch_restores_it(
    launch: Callable[..., Shell], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell = launch(tray=True)
    window = window_of(shell)
    assert not window.isVisible(), "with a tray and after onboarding, the window waits for the tray"
    runtime = Path(tempfile.mkdtemp(prefix="tt-"))  # short enough for a socket path
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    instance = SingleInstance()
    assert instance.claim()
    instance.activate_requested.connect(shell.show_window)
    try:
        window.showMinimized()
        assert window.isMinimized()
        assert not SingleInstance(instance.name).claim(), "the second launch gives way"
        qtbot.waitUntil(lambda: window.isVisible() and not window.isMinimized(), timeout=5000)
        window.hide()
        assert not SingleInstance(instance.name).claim()
        qtbot.waitUntil(window.isVisible, timeout=5000)
    finally:
        instance.close()
        shutil.rmtree(runtime, ignore_errors=True)


def test_unknown_remembered_page_opens_the_timer(launch: Callable[..., Shell]) -> None:
    """A page a newer version remembered (or one removed since) is not an error."""
    window = window_of(launch())
    window.open_page("rules")
    window.restore("", "someday")
    assert window.current_key() == "timer"


def test_opening_a_page_opens_no_window_of_its_own(launch: Callable[..., Shell], qtbot: QtBot) -> None:
    """A part of a page shown before it has a parent flashes up as a window and takes the keyboard away."""
    left_by_others = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    shell = launch()
    window = window_of(shell)
    for page in PAGES:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.open_page(page.key)
        drain(qtbot, shell.runner)
        assert window.isActiveWindow(), f"the {page.title} page took the focus from the window"
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and id(w) not in left_by_others]
        assert shown == [window], page.title


def mnemonics(page: QWidget) -> dict[str, list[str]]:
    """Alt+letter -> the visible buttons and labels that claim it on `page`."""
    claims: dict[str, list[str]] = {}
    for widget in page.findChildren(QAbstractButton) + page.findChildren(QLabel):
        if not widget.isVisibleTo(page) or (isinstance(widget, QLabel) and widget.buddy() is None):
            continue
        text = widget.text().replace("&&", "")
        if "&" in text[:-1] and not text.lstrip().startswith("<"):
            claims.setdefault(text[text.index("&") + 1].lower(), []).append(text)
    return claims


def test_no_two_controls_of_a_page_share_an_alt_key(launch: Callable[..., Shell], qtbot: QtBot) -> None:
    """Shared, Alt+letter only moves the focus between them instead of pressing the button."""
    shell = launch()
    window = window_of(shell)
    for page in PAGES:
        window.open_page(page.key)
        drain(qtbot, shell.runner)
        claims = mnemonics(window.page(page.key))
        for menu in window.menuBar().actions():  # the menu bar's Alt keys are live on every page
            claims.setdefault(menu.text().partition("&")[2][:1].lower(), []).append(menu.text())
        shared = {key: texts for key, texts in claims.items() if len(texts) > 1}
        assert not shared, f"{page.title}: {shared}"


def test_the_sidebar_shows_every_title_whole(launch: Callable[..., Shell], qtbot: QtBot) -> None:
    window = window_of(launch())
    qtbot.waitExposed(window)
    sidebar = window.sidebar
    assert sidebar.horizontalScrollBar().maximum() == 0, "a title wider than the sidebar scrolls it sideways"
    for row in range(sidebar.count()):
        assert sidebar.visualItemRect(sidebar.item(row)).right() <= sidebar.viewport().width()
