"""The first hour on a real X server without a system tray, from the keyboard as xdotool types it: the welcome
sets up a client with a rate, the Rules page gets a rule for the work's windows, real windows are worked in and
captured, the Review accepts and approves the proposal and previews the invoice.

Shortened only by settings: proposals may be as short as 10 s (`classify.minimum_seconds`), so 20 s of work stand
for the newcomer's ten minutes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.option_registry import OPTIONS
from app.paths import Paths
from app.settings import Settings
from app.store.db import open_database
from app.store.repositories import SettingsRepository
from tests.desktop import Desktop

pytestmark = pytest.mark.x11


def visible(desk: Desktop, name: str) -> list[str]:
    return desk.run("xdotool", "search", "--onlyvisible", "--name", name, check=False).split()


def keys(desk: Desktop, window: str, *pressed: str) -> None:
    desk.run("xdotool", "windowactivate", "--sync", window, "key", "--delay", "60", "--clearmodifiers", *pressed)


def typed(desk: Desktop, window: str, text: str) -> None:
    desk.run("xdotool", "windowactivate", "--sync", window, "type", "--delay", "30", text)


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        return db.execute(sql).fetchall()


def test_a_newcomer_reaches_an_invoice_preview_with_real_windows(desktop: Desktop, tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = Paths.from_env({"TIMETALLY_HOME": str(home)}).database
    database.parent.mkdir(parents=True)
    db = open_database(database)
    Settings(SettingsRepository(db), OPTIONS).set("classify.minimum_seconds", 10)
    db.close()
    env = dict(desktop.env, TIMETALLY_HOME=str(home), QT_QPA_PLATFORM="xcb")
    log = (tmp_path / "app.log").open("w")
    app = subprocess.Popen([sys.executable, "-m", "app"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        desktop.wait_for(lambda: visible(desktop, "^Welcome to TimeTally$"), timeout=30, what="the welcome")
        [wizard] = visible(desktop, "^Welcome to TimeTally$")
        keys(desktop, wizard, "Return", "Return")  # what is recorded: seen; recording: on, at any hour
        for text in ("Acme Corp", "Website", "95.50"):
            typed(desktop, wizard, text)
            keys(desktop, wizard, "Tab")
        keys(desktop, wizard, "Return", "Return")
        desktop.wait_for(lambda: not visible(desktop, "^Welcome to TimeTally$"), timeout=15, what="the welcome done")
        assert query(database, "SELECT name FROM client") == [("Acme Corp",)]

        window = visible(desktop, "— TimeTally$")[0]
        keys(desktop, window, "ctrl+7")
        desktop.wait_for(lambda: visible(desktop, "^Rules — TimeTally$"), what="the Rules page")
        starter = len(query(database, "SELECT id FROM classify_rule"))
        keys(desktop, window, "alt+n")
        time.sleep(0.5)  # a button pressed by its Alt key clicks a moment later
        typed(desktop, window, "Acme website")
        keys(desktop, window, *["Tab"] * 4)  # Match, Field, Match of the condition, its Pattern
        typed(desktop, window, "acme-web")
        keys(desktop, window, *["Tab"] * 5)  # Not, Add condition, the table, Remove condition, Client
        typed(desktop, window, "Acme Corp")
        keys(desktop, window, "Tab")
        typed(desktop, window, "Website")
        keys(desktop, window, "Return", "Return")  # the first takes the completion offered, the second saves
        desktop.wait_for(lambda: len(query(database, "SELECT id FROM classify_rule")) == starter + 1,
                         what="the rule saved")

        editor = desktop.spawn("xmessage", "-title", "index.html - acme-web - Code", "acme-web")
        desktop.wait_for(lambda: visible(desktop, "acme-web - Code$"), what="the editor window")
        desktop.run("xdotool", "windowactivate", "--sync", visible(desktop, "acme-web - Code$")[0])
        time.sleep(20)  # work
        editor.terminate()
        time.sleep(2)

        keys(desktop, window, "ctrl+2", "F5")
        desktop.wait_for(lambda: visible(desktop, "^Review — TimeTally$"), what="the Review page")
        time.sleep(2)
        keys(desktop, window, "alt+l")  # Accept all
        desktop.wait_for(lambda: query(database, "SELECT status FROM time_entry") == [("draft",)], timeout=15,
                         what="the proposal accepted")
        keys(desktop, window, "ctrl+shift+a")
        desktop.wait_for(lambda: visible(desktop, "^Approve the week$"), what="the approval question")
        keys(desktop, visible(desktop, "^Approve the week$")[0], "Return")
        desktop.wait_for(lambda: query(database, "SELECT status FROM time_entry") == [("approved",)], timeout=15,
                         what="the week approved")
        assert query(database, "SELECT c.name, p.name FROM time_entry e JOIN project p ON p.id = e.project_id "
                               "JOIN client c ON c.id = p.client_id") == [("Acme Corp", "Website")]
        keys(desktop, window, "alt+i")
        desktop.wait_for(lambda: visible(desktop, "^Invoice preview "), timeout=15, what="the invoice preview")
    finally:
        app.terminate()
        code = app.wait(timeout=15)
        log.close()
    assert code == 0, (tmp_path / "app.log").read_text()
