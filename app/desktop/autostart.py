"""Start on login, the way each OS expects it: an XDG autostart entry, a LaunchAgent, or the HKCU `Run` value.

Every writer takes the OS layer (folder, registry) as an argument, so each is tested on any machine.
"""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

APP_ID = "io.timetally.TimeTally"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "TimeTally"


class Autostart(Protocol):
    def enable(self, command: Sequence[str]) -> None: ...
    def disable(self) -> None: ...
    def is_enabled(self) -> bool: ...


def launch_command() -> list[str]:
    """How to start this TimeTally: the bundle's executable, the installed `timetally` script, or `python -m app`."""
    if getattr(sys, "frozen", False):
        windowed = Path(sys.executable).with_name("timetallyw.exe")  # Windows: the bundle's console-less twin
        return [str(windowed if windowed.is_file() else sys.executable)]
    script = Path(sys.executable).with_name("timetally")
    if script.is_file():
        return [str(script)]
    found = shutil.which("timetally")
    return [found] if found else [sys.executable, "-m", "app"]


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def desktop_exec(command: Sequence[str]) -> str:
    """The `Exec=` value as the Desktop Entry spec wants it: `%` doubled, arguments with reserved characters
    double-quoted with `"`, `` ` ``, `$` and `\\` escaped, then every backslash escaped again as in any string value."""
    quoted = []
    for arg in command:
        text = arg.replace("%", "%%")
        if not text or _RESERVED & set(text):
            text = '"' + "".join("\\" + c if c in '"`$\\' else c for c in text) + '"'
        quoted.append(text)
    return " ".join(quoted).replace("\\", "\\\\")


class XdgAutostart:
    """`$XDG_CONFIG_HOME/autostart/timetally.desktop`, read by every XDG-compliant session at login."""

    def __init__(self, config_home: Path) -> None:
        self.path = config_home / "autostart" / "timetally.desktop"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> XdgAutostart:
        env = os.environ if environ is None else environ
        config = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
        return cls(Path(config))

    def enable(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=TimeTally\n"
            "Comment=Time tracker: starts in the system tray\n"
            f"Exec={desktop_exec(command)}\n"
            "Icon=timetally\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n",
            encoding="utf-8",
        )

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        if not self.path.is_file():
            return False
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return "Hidden=true" not in lines and "X-GNOME-Autostart-enabled=false" not in lines


class LaunchAgent:
    """`~/Library/LaunchAgents/io.timetally.TimeTally.plist`: launchd starts it at the next login."""

    def __init__(self, agents_dir: Path) -> None:
        self.path = agents_dir / f"{APP_ID}.plist"

    def enable(self, command: Sequence[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        agent = {
            "Label": APP_ID,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
        with self.path.open("wb") as out:
            plistlib.dump(agent, out)

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        if not self.path.is_file():
            return False
        with self.path.open("rb") as source:
            return bool(plistlib.load(source).get("RunAtLoad"))


class WindowsRun:
    """The `TimeTally` value under `HKCU\\...\\CurrentVersion\\Run`; `winreg` is passed in, or imported on Windows."""

    def __init__(self, winreg: Any = None) -> None:
        if winreg is None:
            import winreg as real

            winreg = real
        self._reg = winreg

    def enable(self, command: Sequence[str]) -> None:
        with self._reg.CreateKeyEx(self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE) as key:
            self._reg.SetValueEx(key, RUN_VALUE, 0, self._reg.REG_SZ, subprocess.list2cmdline(list(command)))

    def disable(self) -> None:
        try:
            with self._reg.OpenKey(self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE) as key:
                self._reg.DeleteValue(key, RUN_VALUE)
        except FileNotFoundError:
            return

    def is_enabled(self) -> bool:
        try:
            with self._reg.OpenKey(self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_QUERY_VALUE) as key:
                value, _kind = self._reg.QueryValueEx(key, RUN_VALUE)
        except FileNotFoundError:
            return False
        return bool(value)


def for_platform(
    platform: str | None = None, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> Autostart:
    platform = platform or sys.platform
    if platform == "win32":
        return WindowsRun()
    if platform == "darwin":
        return LaunchAgent((home or Path.home()) / "Library" / "LaunchAgents")
    return XdgAutostart.from_env(environ)


def apply(enabled: bool, autostart: Autostart | None = None, command: Sequence[str] | None = None) -> None:
    """Make the login entry match the `app.autostart` setting; rewriting it keeps the command current."""
    target = autostart or for_platform()
    if enabled:
        target.enable(command or launch_command())
    else:
        target.disable()
