"""On a real X server without a system tray (as on stock GNOME): the first start opens the main window with the
welcome wizard, and after it every page is reached from the keyboard."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import Paths
from app.settings import Settings
from app.store.db import open_database
from app.store.repositories import SettingsRepository
from app.ui.pages import PAGES
from tests.desktop import Desktop

pytestmark = pytest.mark.x11


def visible(desk: Desktop, name: str) -> list[str]:
    return desk.run("xdotool", "search", "--onlyvisible", "--name", f"^{name}$", check=False).split()


def test_without_a_tray_the_first_start_shows_the_window_and_every_page_is_reached(
    desktop: Desktop, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = dict(desktop.env, TIMETALLY_HOME=str(home), QT_QPA_PLATFORM="xcb")
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen([sys.executable, "-m", "app"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        desktop.wait_for(lambda: visible(desktop, "Welcome to TimeTally"), timeout=30, what="the welcome wizard")
        assert visible(desktop, "Timer — TimeTally"), "the main window opens with it"
        [wizard] = visible(desktop, "Welcome to TimeTally")
        desktop.run("xdotool", "windowactivate", "--sync", wizard, "key", "--clearmodifiers", "Escape")
        desktop.wait_for(lambda: not visible(desktop, "Welcome to TimeTally"), what="the wizard to close")
        for page in PAGES:
            window = desktop.run("xdotool", "search", "--onlyvisible", "--name", "— TimeTally$").split()[0]
            keys = page.shortcut.replace("Ctrl", "ctrl")
            desktop.run("xdotool", "windowactivate", "--sync", window, "key", "--clearmodifiers", keys)
            desktop.wait_for(lambda title=f"{page.title} — TimeTally": visible(desktop, title), timeout=15,
                             what=f"the {page.title} page after {page.shortcut}")
    finally:
        app.terminate()
        code = app.wait(timeout=15)
        log.close()
    assert code == 0, (tmp_path / "app.log").read_text()
    db = open_database(Paths.from_env({"TIMETALLY_HOME": str(home)}).database)
    try:
        settings = Settings(SettingsRepository(db))
        assert settings.get("onboarding.privacy_seen") is True, "closing the wizard counts as having seen it"
        assert settings.get("ui.page") == PAGES[-1].key, "the page shown last is remembered"
    finally:
        db.close()
