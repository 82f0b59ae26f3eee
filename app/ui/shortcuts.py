"""Global shortcuts (start/stop the timer, show the timesheet) through pynput, which is imported only when they
are switched on: it cannot even be imported without a display. pynput calls back on its own thread; a queued
signal brings every press to the GUI thread before anything else sees it.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence

from app.desktop.hotkeys import MACOS_PERMISSION, Combo, parse_combo, unavailable_reason
from app.domain.errors import ValidationError
from app.settings import Settings

log = logging.getLogger(__name__)
ACTIONS = ("toggle_timer", "show_timesheet")


class HotkeyListener(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...


ListenerFactory = Callable[[dict[str, Callable[[], None]]], HotkeyListener]


def pynput_listener(hotkeys: dict[str, Callable[[], None]]) -> HotkeyListener:
    from pynput import keyboard

    listener: HotkeyListener = keyboard.GlobalHotKeys(hotkeys)
    return listener


def read_config(settings: Settings) -> tuple[bool, dict[str, str]]:
    """The `shortcuts.*` settings as `apply()` takes them. A database read: call it on a worker."""
    return settings.get("shortcuts.enabled"), {action: settings.get(f"shortcuts.{action}") for action in ACTIONS}


class GlobalShortcuts(QObject):
    """Create once on the GUI thread; `apply()` at start-up and whenever the shortcut settings change."""

    toggle_timer = Signal()
    show_timesheet = Signal()
    _pressed = Signal(str)

    def __init__(
        self,
        listener_factory: ListenerFactory = pynput_listener,
        environ: Mapping[str, str] | None = None,
        platform: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory = listener_factory
        self._environ = environ
        self._platform = platform or sys.platform
        self._listener: HotkeyListener | None = None
        self.active: dict[str, Combo] = {}
        """The shortcuts listening now, by action; their `label()` suits a menu."""
        self.message: str | None = None
        """Why shortcuts are not working, for the Preferences page or a notification; None when they are."""
        self._pressed.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)

    def apply(self, enabled: bool, combos: Mapping[str, str]) -> str | None:
        """Listen for these combos (by action; empty: none). Returns, and keeps in `message`, why not if it can't."""
        self.stop()
        self.message = self._start(combos) if enabled else None
        if self.message:
            log.info("global shortcuts are off: %s", self.message)
        return self.message

    def stop(self) -> None:
        """Stop listening. On X11 pynput's (daemon) thread ends at the next key or mouse event, not at once."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
        self.active = {}

    def _start(self, combos: Mapping[str, str]) -> str | None:
        reason = unavailable_reason(self._environ, self._platform)
        if reason:
            return reason
        try:
            wanted = {action: parse_combo(text) for action, text in combos.items() if action in ACTIONS and text}
        except ValidationError as exc:
            return str(exc)
        taken: dict[Combo, str] = {}
        for action, combo in wanted.items():
            if combo in taken:
                return f"{combo.label()} is set for two actions; give each its own shortcut."
            taken[combo] = action
        if not wanted:
            return None
        try:
            listener = self._factory(
                {combo.pynput(): partial(self._pressed.emit, action) for action, combo in wanted.items()}
            )
            listener.start()
            _wait_until_listening(listener)
        except Exception as exc:  # pynput raises ImportError, Xlib and OS errors alike
            log.warning("global shortcuts could not start: %s", exc)
            return f"Global shortcuts could not start on this desktop: {exc}"
        if not getattr(listener, "IS_TRUSTED", True):
            listener.stop()
            return MACOS_PERMISSION
        self._listener = listener
        self.active = wanted
        return None

    @Slot(str)
    def _dispatch(self, action: str) -> None:
        if action == "toggle_timer":
            self.toggle_timer.emit()
        elif action == "show_timesheet":
            self.show_timesheet.emit()


def _wait_until_listening(listener: Any, timeout: float = 5.0) -> None:
    """pynput listeners start asynchronously; `wait()` returns once keys are seen (and macOS trust is known),
    or never if the listener died starting, hence the waiting thread and the time limit."""
    wait = getattr(listener, "wait", None)
    if not callable(wait):
        return
    ready = threading.Event()
    threading.Thread(target=lambda: (wait(), ready.set()), name="tt-hotkeys-start", daemon=True).start()
    if not ready.wait(timeout):
        listener.stop()
        raise TimeoutError(f"the keyboard listener did not start within {timeout:g} s")


_QT_MODIFIERS = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "cmd": "Meta"}
_QT_KEYS = {
    "space": "Space", "tab": "Tab", "enter": "Return", "esc": "Esc", "backspace": "Backspace", "delete": "Del",
    "insert": "Ins", "home": "Home", "end": "End", "page_up": "PgUp", "page_down": "PgDown", "up": "Up",
    "down": "Down", "left": "Left", "right": "Right", "pause": "Pause", "print_screen": "Print",
    "scroll_lock": "ScrollLock", **{f"f{n}": f"F{n}" for n in range(1, 21)},
}
_FROM_QT_MODIFIERS = {qt: name for name, qt in _QT_MODIFIERS.items()}
_FROM_QT_KEYS = {qt: name for name, qt in _QT_KEYS.items()}


def to_key_sequence(combo: str) -> QKeySequence:
    """The stored pynput text (`<ctrl>+<alt>+t`) as the key sequence a recorder shows (Ctrl+Alt+T)."""
    if not combo:
        return QKeySequence()
    parsed = parse_combo(combo)
    parts = [qt for name, qt in _QT_MODIFIERS.items() if name in parsed.modifiers]
    parts.append(_QT_KEYS.get(parsed.key, parsed.key.upper()))
    return QKeySequence("+".join(parts), QKeySequence.SequenceFormat.PortableText)


def from_key_sequence(sequence: QKeySequence) -> str:
    """What a recorder caught, as the stored pynput text; empty for none. Keys pynput cannot watch are kept as
    typed, so the setting's own check names them."""
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText).split(", ")[0]
    if not text:
        return ""
    head, key = (text[:-2], "+") if text.endswith("++") else text.rpartition("+")[::2]
    modifiers = [_FROM_QT_MODIFIERS.get(part, part.lower()) for part in head.split("+") if part]
    name = _FROM_QT_KEYS.get(key, key.lower())
    combo = "+".join([*(f"<{m}>" for m in modifiers), f"<{name}>" if name in _QT_KEYS else name])
    try:
        return parse_combo(combo).pynput()  # modifiers in the stored order
    except ValidationError:
        return combo
