"""Start on login: the XDG entry for real in a temporary XDG_CONFIG_HOME; LaunchAgent and registry on fakes."""

from __future__ import annotations

import configparser
import plistlib
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from app import __version__
from app.desktop import autostart
from app.desktop.autostart import LaunchAgent, WindowsRun, XdgAutostart, desktop_exec


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def _exec_argv(value: str) -> list[str]:
    """What a session does with Exec=: undo the string escapes, then split as the spec's quoting rules say."""
    text = value.replace("\\\\", "\\")
    args: list[str] = []
    current: list[str] | None = None
    quoted = escaped = False
    for char in text:
        if escaped:
            current = (current or []) + [char]
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
            current = current or []
        elif char == " " and not quoted:
            if current is not None:
                args.append("".join(current))
            current = None
        else:
            current = (current or []) + [char]
    if current is not None:
        args.append("".join(current))
    return [arg.replace("%%", "%") for arg in args]


def test_linux_entry_starts_this_timetally(tmp_path: Path) -> None:
    target = autostart.for_platform("linux", {"XDG_CONFIG_HOME": str(tmp_path)})

    autostart.apply(True, target)

    path = tmp_path / "autostart" / "timetally.desktop"
    entry = _entry(path)
    assert entry["Type"] == "Application" and entry["Name"] == "TimeTally"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert target.is_enabled()
    argv = _exec_argv(entry["Exec"])
    out = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == f"TimeTally {__version__}"

    autostart.apply(False, target)
    assert not path.exists() and not target.is_enabled()


def test_linux_default_folder_is_under_home_config(tmp_path: Path) -> None:
    target = XdgAutostart.from_env({"HOME": str(tmp_path)})

    assert target.path == tmp_path / ".config" / "autostart" / "timetally.desktop"


def test_an_entry_the_user_hid_counts_as_off(tmp_path: Path) -> None:
    target = XdgAutostart(tmp_path)
    target.enable(["/usr/bin/timetally"])
    target.path.write_text(target.path.read_text() + "Hidden=true\n")

    assert not target.is_enabled()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/usr/bin/timetally"], "/usr/bin/timetally"),
        (["/opt/Time Tally/timetally"], '"/opt/Time Tally/timetally"'),
        (["/home/a$b/tt", "--x=100%"], '"/home/a\\\\$b/tt" --x=100%%'),
        (["C:\\odd\\path"], '"C:\\\\\\\\odd\\\\\\\\path"'),
    ],
)
def test_exec_quoting_round_trips(argv: list[str], expected: str) -> None:
    value = desktop_exec(argv)

    assert value == expected
    assert _exec_argv(value) == argv


def test_macos_launch_agent(tmp_path: Path) -> None:
    target = autostart.for_platform("darwin", home=tmp_path)
    assert isinstance(target, LaunchAgent)

    target.enable(["/Applications/TimeTally.app/Contents/MacOS/timetally"])

    with (tmp_path / "Library" / "LaunchAgents" / "io.timetally.TimeTally.plist").open("rb") as source:
        agent = plistlib.load(source)
    assert agent["Label"] == "io.timetally.TimeTally"
    assert agent["ProgramArguments"] == ["/Applications/TimeTally.app/Contents/MacOS/timetally"]
    assert agent["RunAtLoad"] is True
    assert target.is_enabled()

    target.disable()
    target.disable()
    assert not target.is_enabled()


class FakeWinreg:
    """The part of `winreg` the writer uses, over a dict of keys; missing keys raise as Windows does."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE = 2
    KEY_QUERY_VALUE = 1
    REG_SZ = 1

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, tuple[Any, int]]] = {}

    @contextmanager
    def _key(self, root: str, sub: str, create: bool) -> Any:
        if (root, sub) not in self.keys:
            if not create:
                raise FileNotFoundError(sub)
            self.keys[root, sub] = {}
        yield self.keys[root, sub]

    def CreateKeyEx(self, root: str, sub: str, reserved: int, access: int) -> Any:
        return self._key(root, sub, create=True)

    def OpenKey(self, root: str, sub: str, reserved: int, access: int) -> Any:
        return self._key(root, sub, create=False)

    def SetValueEx(self, key: dict[str, Any], name: str, reserved: int, kind: int, value: Any) -> None:
        key[name] = (value, kind)

    def QueryValueEx(self, key: dict[str, Any], name: str) -> tuple[Any, int]:
        if name not in key:
            raise FileNotFoundError(name)
        return key[name]

    def DeleteValue(self, key: dict[str, Any], name: str) -> None:
        if name not in key:
            raise FileNotFoundError(name)
        del key[name]


def test_windows_run_value() -> None:
    reg = FakeWinreg()
    target = WindowsRun(reg)
    assert not target.is_enabled()
    target.disable()

    target.enable(["C:\\Program Files\\TimeTally\\timetally.exe"])

    run = reg.keys["HKCU", "Software\\Microsoft\\Windows\\CurrentVersion\\Run"]
    assert run["TimeTally"] == ('"C:\\Program Files\\TimeTally\\timetally.exe"', FakeWinreg.REG_SZ)
    assert target.is_enabled()

    target.disable()
    target.disable()
    assert not target.is_enabled()
    assert "TimeTally" not in run


def test_a_bundle_starts_itself_without_a_console_window_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autostart.sys, "frozen", True, raising=False)
    monkeypatch.setattr(autostart.sys, "executable", str(tmp_path / "timetally.exe"))
    assert autostart.launch_command() == [str(tmp_path / "timetally.exe")]

    (tmp_path / "timetallyw.exe").touch()
    assert autostart.launch_command() == [str(tmp_path / "timetallyw.exe")]
