"""Screenshots of the newcomer's path: the main window, each step of the welcome wizard, Preferences, Accounts
and a send dialog that offers Connect…; `python -m tests.screenshots_shell docs` writes them to docs/screenshots.

Runs on whatever display Qt is given (Xvfb with QT_QPA_PLATFORM=xcb for the README, or offscreen) against a
throw-away TIMETALLY_HOME, so real data is never touched.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtWidgets import QWidget

from app.commands.rules import starter_file
from app.core import build_core
from app.domain.periods import parse_week
from app.sync.oauth.config import USER_SETTINGS
from app.ui.accounts_page import AccountsPage
from app.ui.application import Extensions
from app.ui.events import ChangeBus
from app.ui.main_window import MainWindow
from app.ui.onboarding import OnboardingWizard
from app.ui.pages import PAGES
from app.ui.send_dialog import SendDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.tasks import TaskRunner
from app.ui.timer_model import TimerModel
from tests.screenshots import at, sample_data
from tests.shots import run, save, wait, wait_until


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    core = build_core()
    sample_data(core)
    core.billing.set_client("Acme Corp", rate="120", currency="EUR", create=True)
    runner, bus = TaskRunner(), ChangeBus()
    now = at(14, 27) + timedelta(seconds=35)
    model = TimerModel(core, runner, bus, clock=lambda: now)
    model.refresh()
    wait_until(lambda: model.snapshot.running is not None)

    # The pages as the shell builds them, on a clock stopped in the afternoon.
    shell = SimpleNamespace(core=core, model=model, runner=runner, bus=bus, extensions=Extensions())
    window = MainWindow(PAGES, lambda page: page.factory(shell), lambda *_: None, welcome=lambda: None)  # type: ignore[arg-type]
    window.open_page("timer")
    window.show()
    wait_until(lambda: runner.idle())
    save(window, out / "main-window.png", settle_ms=600)
    window.open_page("review")
    wait_until(runner.idle)
    save(window, out / "main-window-review.png", settle_ms=800)

    wizard = OnboardingWizard(core, runner, bus, starter_file(), open_privacy=lambda: None)
    wizard.show()
    wait_until(runner.idle)
    for step in range(1, 5):
        if step == 3:
            wizard.client.setText("Acme Corp")
            wizard.project.setText("Website")
            wizard.rate.setText("95.00")
        save(wizard, out / f"onboarding-{step}.png")
        if step < 4:
            wizard.next()
    wizard.hide()

    accounts = AccountsPage(core.accounts, runner, bus, settings=core.settings)
    preferences = SettingsDialog(core.settings, runner, bus, projects=core.projects.projects,
                                 pages=[("Accounts", accounts)])
    preferences.resize(900, 640)
    wait_until(preferences.save_button.isEnabled)
    for title, name in (("General", "preferences"), ("Billing", "preferences-billing"),
                        ("Shortcuts", "preferences-shortcuts"), ("Business", "preferences-business"),
                        ("Accounts", "accounts")):
        preferences.show_page(title)
        wait_until(runner.idle)
        save(preferences, out / f"{name}.png")
    preferences.close()
    assert all(core.settings.get(key) in ("", False) for key in USER_SETTINGS)

    send = SendDialog(runner, core.sync, "xero", parse_week("2026-W47"), bus=bus)
    send.show()
    wait_until(send.connect_button.isVisible)
    save(send, out / "send-dialog.png")
    send.close()

    for widget in (window,):
        _close(widget)
    wait(100)
    runner.shutdown()
    core.close()


def _close(widget: QWidget) -> None:
    widget.hide()


if __name__ == "__main__":
    sys.exit(run(sys.argv, "tests.screenshots_shell", shoot))
