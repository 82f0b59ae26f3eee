"""On a real X server with a tray host: the app's icon sits in the tray, and clicks on it do what they should."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import Paths
from app.store.db import open_database
from app.store.repositories import RunRepository
from tests.desktop import Desktop

pytestmark = pytest.mark.x11


def windows(desk: Desktop) -> dict[str, tuple[int, int]]:
    """The app's visible windows (tray icon, timer window, menus) by id, with their size."""
    found = {}
    for wid in desk.run("xdotool", "search", "--onlyvisible", "--class", "TimeTally", check=False).split():
        info = desk.run("xwininfo", "-id", wid, check=False)
        width, height = re.search(r"Width: (\d+)", info), re.search(r"Height: (\d+)", info)
        if width and height:
            found[wid] = (int(width.group(1)), int(height.group(1)))
    return found


def tray_children(desk: Desktop) -> str:
    return "\n".join(desk.run("xwininfo", "-tree", "-id", wid, check=False)
                     for wid in desk.run("xdotool", "search", "--class", "trayer", check=False).split())


def test_clicks_on_the_tray_icon_open_the_window_and_the_menu(tray_desktop: Desktop, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = dict(tray_desktop.env, TIMETALLY_HOME=str(home), QT_QPA_PLATFORM="xcb")
    subprocess.run([sys.executable, "-m", "app", "settings", "set", "onboarding.finished", "true"], env=env,
                   check=True, capture_output=True)  # past the welcome wizard, which opens the window itself
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen([sys.executable, "-m", "app"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        icons: list[str] = []

        def icon_in_tray() -> bool:
            icons[:] = [w for w, (width, height) in windows(tray_desktop).items() if width <= 48 and height <= 48]
            return bool(icons) and hex(int(icons[0])) in tray_children(tray_desktop)

        tray_desktop.wait_for(icon_in_tray, timeout=20, what="the tray icon inside trayer")
        icon = icons[0]
        # With a tray, the window waits to be asked for.
        assert [size for size in windows(tray_desktop).values() if size[0] > 300] == []

        tray_desktop.run("xdotool", "mousemove", "--window", icon, "10", "12", "click", "1")
        tray_desktop.wait_for(lambda: any(w >= 500 and h >= 400 for w, h in windows(tray_desktop).values()),
                              what="the main window after a left click")

        before = set(windows(tray_desktop))
        tray_desktop.run("xdotool", "mousemove", "--window", icon, "10", "12", "click", "3")
        menus: list[str] = []

        def menu_open() -> bool:
            menus[:] = [w for w in set(windows(tray_desktop)) - before
                        if "Override Redirect State: yes" in tray_desktop.run("xwininfo", "-id", w, check=False)]
            return bool(menus)

        tray_desktop.wait_for(menu_open, what="the tray menu after a right click")
        width, height = windows(tray_desktop)[menus[0]]
        assert width >= 150 and height >= 150, "the menu holds the timer's actions"
        tray_desktop.run("xdotool", "key", "Escape")
    finally:
        app.terminate()
        code = app.wait(timeout=15)
        log.close()
    output = (tmp_path / "app.log").read_text()
    assert code == 0, output
    db = open_database(Paths.from_env({"TIMETALLY_HOME": str(home)}).database)
    try:
        runs = RunRepository(db)
        assert runs.unfinished() == [], "SIGTERM quits cleanly and records the exit"
    finally:
        db.close()
