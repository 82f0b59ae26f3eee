"""The syntax of global shortcuts in settings: pynput's `<ctrl>+<alt>+t`, checked without importing pynput
(which cannot even be imported without a display)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.errors import ValidationError

MODIFIERS = ("ctrl", "alt", "shift", "cmd", "alt_gr")
NAMED_KEYS = frozenset(
    {
        "space",
        "tab",
        "enter",
        "esc",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "page_up",
        "page_down",
        "up",
        "down",
        "left",
        "right",
        "pause",
        "print_screen",
        "scroll_lock",
    }
    | {f"f{n}" for n in range(1, 21)}
)


@dataclass(frozen=True, slots=True)
class Combo:
    modifiers: frozenset[str]
    key: str

    def pynput(self) -> str:
        """The text `pynput.keyboard.GlobalHotKeys` takes, modifiers in a fixed order."""
        parts = [f"<{m}>" for m in MODIFIERS if m in self.modifiers]
        parts.append(f"<{self.key}>" if self.key in NAMED_KEYS else self.key)
        return "+".join(parts)

    def label(self) -> str:
        """For menus and messages: `Ctrl+Alt+T`."""
        names = [m.replace("_", " ").title().replace(" ", "") for m in MODIFIERS if m in self.modifiers]
        return "+".join([*names, self.key.replace("_", " ").title() if self.key in NAMED_KEYS else self.key.upper()])


def parse_combo(text: str) -> Combo:
    """`<ctrl>+<alt>+t` or `<ctrl>+<shift>+<f9>`: at least one modifier, so a shortcut never eats plain typing."""
    parts = [p.strip().lower() for p in text.split("+")]
    if len(parts) < 2 or any(not p for p in parts):
        raise ValidationError(f"'{text}' is not a shortcut: write it like <ctrl>+<alt>+t")
    *mods, last = parts
    modifiers = set()
    for part in mods:
        name = part.strip("<>")
        if name not in MODIFIERS or part != f"<{name}>":
            raise ValidationError(f"'{part}' in '{text}' is not a modifier ({', '.join(f'<{m}>' for m in MODIFIERS)})")
        modifiers.add(name)
    key = last[1:-1] if last.startswith("<") and last.endswith(">") else last
    if key in MODIFIERS:
        raise ValidationError(f"'{text}' ends with a modifier: add the key to press with it")
    if key not in NAMED_KEYS and not (len(key) == 1 and key.isprintable() and not key.isspace()):
        raise ValidationError(f"'{last}' in '{text}' is not a key: use a letter, a digit or e.g. <f9>")
    return Combo(frozenset(modifiers), key)


def check_combo(text: str) -> str | None:
    """For settings: empty turns the shortcut off."""
    if not text:
        return None
    try:
        parse_combo(text)
    except ValidationError as exc:
        return str(exc)
    return None


def unavailable_reason(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why this desktop cannot have global shortcuts, in words for the user; None when it can."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform.startswith("linux"):
        wayland = env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or (
            bool(env.get("WAYLAND_DISPLAY")) and not env.get("DISPLAY")
        )
        if wayland:
            return (
                "Global shortcuts are not available on Wayland, which does not let applications listen to the "
                "keyboard. Add a shortcut in your desktop's keyboard settings that runs "
                "'timetally timer start' or 'timetally timer stop' instead."
            )
        if not env.get("DISPLAY"):
            return "Global shortcuts need a graphical desktop (DISPLAY is not set)."
    return None


MACOS_PERMISSION = (
    "Global shortcuts need permission on macOS: allow TimeTally in System Settings > Privacy & "
    "Security > Accessibility (and Input Monitoring), then start TimeTally again."
)
