"""Global shortcuts: parsing and refusals with a stand-in listener; real pynput keys under Xvfb with xdotool."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.desktop.hotkeys import MACOS_PERMISSION, parse_combo, unavailable_reason
from app.domain.errors import ValidationError
from app.ui.shortcuts import GlobalShortcuts, HotkeyListener, pynput_listener, read_config
from tests.desktop import Desktop, available, x_desktop

X11 = {"DISPLAY": ":99", "XDG_SESSION_TYPE": "x11"}


class FakeListener:
    """Stands in for pynput where there is no display: records the hotkeys and presses them from its own thread."""

    IS_TRUSTED = True

    def __init__(self, hotkeys: dict[str, Callable[[], None]]) -> None:
        self.hotkeys = hotkeys
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def press(self, combo: str) -> None:
        thread = threading.Thread(target=self.hotkeys[combo])
        thread.start()
        thread.join()


class Factory:
    def __init__(self, trusted: bool = True) -> None:
        self.made: list[FakeListener] = []
        self.trusted = trusted

    def __call__(self, hotkeys: dict[str, Callable[[], None]]) -> FakeListener:
        listener = FakeListener(hotkeys)
        listener.IS_TRUSTED = self.trusted
        self.made.append(listener)
        return listener


def test_presses_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    factory = Factory()
    shortcuts = GlobalShortcuts(factory, X11, "linux")

    assert shortcuts.apply(True, {"toggle_timer": "<ctrl>+<alt>+t", "show_timesheet": "<shift>+<ctrl>+<f9>"}) is None

    listener = factory.made[-1]
    assert listener.running and set(listener.hotkeys) == {"<ctrl>+<alt>+t", "<ctrl>+<shift>+<f9>"}
    threads: list[threading.Thread] = []
    shortcuts.toggle_timer.connect(lambda: threads.append(threading.current_thread()))
    with qtbot.waitSignal(shortcuts.toggle_timer):
        listener.press("<ctrl>+<alt>+t")
    assert threads == [threading.main_thread()]
    with qtbot.waitSignal(shortcuts.show_timesheet):
        listener.press("<ctrl>+<shift>+<f9>")
    assert shortcuts.active["toggle_timer"].label() == "Ctrl+Alt+T"


def test_applying_again_replaces_the_listener_and_off_stops_it() -> None:
    factory = Factory()
    shortcuts = GlobalShortcuts(factory, X11, "linux")
    shortcuts.apply(True, {"toggle_timer": "<ctrl>+<alt>+t"})

    shortcuts.apply(True, {"toggle_timer": "<ctrl>+<alt>+k", "show_timesheet": ""})
    assert not factory.made[0].running and list(factory.made[1].hotkeys) == ["<ctrl>+<alt>+k"]

    assert shortcuts.apply(False, {"toggle_timer": "<ctrl>+<alt>+k"}) is None
    assert not factory.made[1].running and shortcuts.active == {}


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "linux", "not available on Wayland"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", "not available on Wayland"),
        ({}, "linux", "need a graphical desktop"),
    ],
)
def test_desktops_that_do_not_allow_them_say_so(environ: dict[str, str], platform: str, expected: str) -> None:
    factory = Factory()
    shortcuts = GlobalShortcuts(factory, environ, platform)

    message = shortcuts.apply(True, {"toggle_timer": "<ctrl>+<alt>+t"})

    assert message is not None and expected in message and shortcuts.message == message
    assert factory.made == []


def test_macos_without_accessibility_permission_says_where_to_grant_it() -> None:
    factory = Factory(trusted=False)
    shortcuts = GlobalShortcuts(factory, {}, "darwin")

    assert shortcuts.apply(True, {"toggle_timer": "<cmd>+<alt>+t"}) == MACOS_PERMISSION
    assert not factory.made[0].running and shortcuts.active == {}


def test_a_listener_that_cannot_start_is_reported() -> None:
    def broken(_hotkeys: dict[str, Callable[[], None]]) -> FakeListener:
        raise ImportError("this platform is not supported")

    message = GlobalShortcuts(broken, X11, "linux").apply(True, {"toggle_timer": "<ctrl>+<alt>+t"})

    assert message == "Global shortcuts could not start on this desktop: this platform is not supported"


def test_the_same_combo_twice_is_refused() -> None:
    message = GlobalShortcuts(Factory(), X11, "linux").apply(
        True, {"toggle_timer": "<ctrl>+<alt>+t", "show_timesheet": "<alt>+<ctrl>+T"}
    )

    assert message == "Ctrl+Alt+T is set for two actions; give each its own shortcut."


@pytest.mark.parametrize("text", ["t", "<ctrl>+", "<ctrl>+<alt>", "<hyper>+t", "<ctrl>+tt", "ctrl+t"])
def test_combos_that_are_not_shortcuts_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_combo(text)


def test_settings_feed_apply(core: object) -> None:
    core.settings.set("shortcuts.show_timesheet", "")  # type: ignore[attr-defined]

    assert read_config(core.settings) == (True, {"toggle_timer": "<ctrl>+<alt>+t", "show_timesheet": ""})  # type: ignore[attr-defined]
    assert unavailable_reason(X11, "linux") is None and unavailable_reason({}, "win32") is None


@pytest.fixture
def x_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    if not available():
        pytest.fail("Xvfb, openbox, xdotool and xprop are required (make test installs them)")
    with x_desktop() as desk:
        monkeypatch.setenv("DISPLAY", desk.display)
        monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        yield desk


@pytest.mark.x11
def test_a_real_key_press_on_x11_reaches_the_app(x_display: Desktop, qtbot: QtBot) -> None:
    made: list[threading.Thread] = []

    def real(hotkeys: dict[str, Callable[[], None]]) -> HotkeyListener:
        listener = pynput_listener(hotkeys)
        made.append(listener)  # type: ignore[arg-type]
        return listener

    shortcuts = GlobalShortcuts(real)
    try:
        assert shortcuts.apply(True, {"toggle_timer": "<ctrl>+<alt>+t", "show_timesheet": "<ctrl>+<alt>+y"}) is None
        with qtbot.waitSignal(shortcuts.show_timesheet, timeout=10_000):
            x_display.run("xdotool", "key", "ctrl+alt+y")
        with qtbot.waitSignal(shortcuts.toggle_timer, timeout=10_000):
            x_display.run("xdotool", "key", "ctrl+alt+t")
    finally:
        shortcuts.stop()
        x_display.run("xdotool", "key", "shift")  # pynput's record loop ends at the next event
        qtbot.waitUntil(lambda: not any(listener.is_alive() for listener in made), timeout=10_000)
