"""The desktop app's features beyond the timer, plugged into the shell: capture and its idle prompt, payments
brought back, global shortcuts, reminders, autostart, onboarding, and the dialogs the tray opens.

One object, built by `app/ui/launch.py` once the core is up and handed to the shell. It reads what it needs on
the write worker (`prepare`), wires itself on the GUI thread once the shell is up (`started`), and stops its
background work before the task runner shuts down (`stopping`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from app.capture.config import CaptureConfig
from app.capture.control import CaptureControl
from app.capture.watcher import Watcher
from app.commands.rules import starter_file
from app.core import Core, build_watcher
from app.desktop import autostart
from app.domain.errors import TimeTallyError
from app.domain.periods import week_of
from app.sync.accounts import RECONNECT_NEEDED
from app.sync.reports import PaymentOutcome
from app.ui.accounts_page import AccountsPage
from app.ui.activity_window import ActivityWindow
from app.ui.application import Extensions, Shell
from app.ui.automation_page import AutomationPage
from app.ui.automation_runner import AutomationRunner
from app.ui.capture_bridge import CaptureBridge
from app.ui.capture_menu import CaptureMenu
from app.ui.events import SETTINGS
from app.ui.idle_prompt import IdlePromptController
from app.ui.notifications import Notifier, Reminders
from app.ui.onboarding import OnboardingWizard
from app.ui.payment_poller import PaymentPoller
from app.ui.send_dialog import open_send_dialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.shortcuts import GlobalShortcuts, read_config

log = logging.getLogger(__name__)

ShortcutConfig = tuple[bool, dict[str, str]]


class DesktopFeatures(Extensions):
    offers_welcome = True

    def __init__(self) -> None:
        self.watcher: Watcher | None = None
        self.retainer_invoices: list[str] = []
        self._shortcut_config: ShortcutConfig = (False, {})
        self.bridge: CaptureBridge | None = None
        self.idle_prompt: IdlePromptController | None = None
        self.poller: PaymentPoller | None = None
        self.automation: AutomationRunner | None = None
        self.notifier: Notifier | None = None
        self.reminders: Reminders | None = None
        self.shortcuts: GlobalShortcuts | None = None
        self.windows: dict[str, QWidget] = {}
        self._capture_notice: str | None = None
        self._autostart: bool | None = None
        self._checking_accounts = False
        self._accounts_changed_meanwhile = False
        self._privacy_seen = False
        self._onboarded = True
        self.wizard: OnboardingWizard | None = None
        self.capture_menu: CaptureMenu | None = None

    # Worker

    def prepare(self, core: Core) -> None:
        self.watcher = build_watcher(core)
        self._shortcut_config = read_config(core.settings)
        self._autostart = bool(core.settings.get("app.autostart"))
        self._privacy_seen = bool(core.settings.get("onboarding.privacy_seen"))
        self._onboarded = bool(core.settings.get("onboarding.finished"))
        try:  # each retainer period gets its invoice at the first open of the app after it starts
            self.retainer_invoices = [d.number for d in core.retainers.create_due()]
        except TimeTallyError as exc:
            log.warning("retainer invoices were not made: %s", exc)

    # GUI thread

    def capture(self) -> CaptureControl | None:
        return self.watcher

    def settings_pages(self, shell: Shell) -> Sequence[tuple[str, QWidget]]:
        core = _core(shell)
        page = AccountsPage(core.accounts, shell.runner, shell.bus,
                            organisations=core.sync.organisations,
                            choose_organisation=core.sync.choose_tenant,
                            settings=core.settings)
        return [("Accounts", page), ("Automation", AutomationPage(core.automation, shell.runner))]

    def capture_notice(self) -> str | None:
        return self._capture_notice

    def first_start(self) -> bool:
        return not self._onboarded

    def welcome(self, shell: Shell) -> QWidget | None:
        """The wizard on screen is brought forward; otherwise a new one."""
        if self.wizard is None or not self.wizard.isVisible():
            self.wizard = OnboardingWizard(_core(shell), shell.runner, shell.bus, starter_file(),
                                           open_privacy=lambda: self._open_privacy(shell), parent=shell.window)
            self.wizard.privacy_seen.connect(lambda: self._privacy_passed(shell))
            self.wizard.capture_wanted.connect(lambda wanted: self._capture_wanted(shell, wanted))
            self.wizard.open()
        self.wizard.raise_()
        self.wizard.activateWindow()
        return self.wizard

    def menu(self, shell: Shell) -> Sequence[tuple[str, Callable[[], None]]]:
        return [
            ("Activity…", lambda: shell.open_page("activity")),
            ("Rules…", lambda: shell.open_page("rules")),
            ("Reports…", lambda: shell.open_page("reports")),
            ("Send to Xero…", lambda: self._send(shell, "xero")),
            ("Send to QuickBooks…", lambda: self._send(shell, "quickbooks")),
            ("Open log folder", lambda: self._open_logs(shell)),
        ]

    def started(self, shell: Shell) -> None:
        core, runner, bus = _core(shell), shell.runner, shell.bus
        if self.watcher is not None and shell.window is not None:
            self.capture_menu = CaptureMenu(self.watcher, runner)
            shell.window.menuBar().insertMenu(shell.window.help_menu.menuAction(), self.capture_menu)
        if self.watcher is not None:
            self.bridge = CaptureBridge(self.watcher, parent=shell)
            self.bridge.status.connect(lambda message, _capturing: self._capture_status(shell, message))
            if self._privacy_seen:
                self.watcher.start()  # otherwise once onboarding's first page was seen: nothing is recorded before
            self.idle_prompt = IdlePromptController(core, runner, bus, self.bridge, parent=shell.window)
        self.notifier = Notifier(shell.tray.icon if shell.tray is not None else None)
        if self.idle_prompt is not None:
            self.idle_prompt.dropped.connect(self.notifier.show)
        self.reminders = Reminders(core, runner, self.notifier)
        self.reminders.start()
        self.poller = PaymentPoller(core.sync, core.settings, runner, bus, parent=shell)
        self.poller.checked.connect(self._payments_checked)
        self.poller.start()
        self.automation = AutomationRunner(core.automation, runner, bus, self.notifier, parent=shell)
        self.automation.start()
        self.shortcuts = GlobalShortcuts(parent=shell)
        if shell.model is not None:
            self.shortcuts.toggle_timer.connect(shell.model.toggle)
        self.shortcuts.show_timesheet.connect(lambda: shell.open_page("review"))
        self.shortcuts.apply(*self._shortcut_config)
        bus.changed.connect(lambda areas: self._settings_changed(shell, areas))
        bus.changed.connect(lambda _areas: self._check_accounts(shell))
        self._check_accounts(shell)

    def stopping(self, shell: Shell) -> None:
        for stoppable in (self.poller, self.automation, self.reminders, self.shortcuts):
            if stoppable is not None:
                stoppable.stop()
        if self.bridge is not None:
            self.bridge.detach()
        watcher = self.watcher
        if watcher is not None:
            shell.runner.write(watcher.stop)  # joins the capture thread and flushes its last batch

    # Reactions

    def _settings_changed(self, shell: Shell, areas: frozenset[str]) -> None:
        core = shell.core
        if SETTINGS not in areas or core is None:
            return

        def read() -> tuple[CaptureConfig, ShortcutConfig]:
            self._follow_autostart(bool(core.settings.get("app.autostart")))
            return CaptureConfig.from_settings(core.settings), read_config(core.settings)

        shell.runner.write(read, self._apply_settings, owner=shell)
        if self.poller is not None:
            self.poller.start()

    def _check_accounts(self, shell: Shell) -> None:
        """The tray warns when an accounting connection needs signing in again (a revoked or expired grant)."""
        core, tray = shell.core, shell.tray
        if core is None or tray is None:
            return
        if self._checking_accounts:
            self._accounts_changed_meanwhile = True  # the read under way may predate this change
            return
        self._checking_accounts = True
        self._accounts_changed_meanwhile = False

        def read() -> list[str]:
            return [s.title for s in core.accounts.status() if s.state == RECONNECT_NEEDED]

        def finished() -> None:
            self._checking_accounts = False
            if self._accounts_changed_meanwhile:
                self._check_accounts(shell)

        def done(titles: list[str]) -> None:
            tray.set_reconnect_needed(titles)
            finished()

        def failed(error: BaseException) -> None:
            log.warning("could not read the accounting connections: %s", error)
            finished()

        shell.runner.read(read, done, failed, owner=tray)

    def _privacy_passed(self, shell: Shell) -> None:
        if self._privacy_seen:
            return
        self._privacy_seen = True
        core = _core(shell)
        shell.runner.write(lambda: core.settings.set("onboarding.privacy_seen", True))
        if self.watcher is not None and self.bridge is not None:
            self.watcher.start()

    def _capture_wanted(self, shell: Shell, wanted: bool) -> None:
        watcher = self.watcher
        if watcher is not None and not wanted:
            shell.runner.write(lambda: watcher.pause(None))

    def _open_privacy(self, shell: Shell) -> None:
        shell.open_page("preferences")
        preferences = shell.window.built("preferences") if shell.window is not None else None
        if isinstance(preferences, SettingsDialog):
            preferences.show_page("Capture")

    def _follow_autostart(self, wanted: bool) -> None:
        """Write or remove the login entry when the setting changed, never at start-up: another data folder
        (a test, a self-test) must not undo the user's own choice. Runs on the write worker: it touches files."""
        if wanted == self._autostart:
            return
        try:
            autostart.apply(wanted)
            self._autostart = wanted
        except OSError as exc:
            log.warning("could not update the autostart entry: %s", exc)

    def _apply_settings(self, configs: tuple[CaptureConfig, ShortcutConfig]) -> None:
        capture, shortcuts = configs
        if self.watcher is not None:
            self.watcher.reconfigure(capture)
        if self.shortcuts is not None:
            self.shortcuts.apply(*shortcuts)

    def _capture_status(self, shell: Shell, message: str) -> None:
        self._capture_notice = message or None
        activity = shell.window.built("activity") if shell.window is not None else None
        if isinstance(activity, ActivityWindow):
            activity.set_notice(self._capture_notice)

    def _payments_checked(self, outcomes: list[PaymentOutcome]) -> None:
        if outcomes and self.reminders is not None:
            paid = sum(1 for o in outcomes if str(o.status) == "paid")
            self.reminders.sync_finished(True, f"{len(outcomes)} invoice(s) changed at the accounting system, "
                                               f"{paid} paid.")

    # Windows

    def _send(self, shell: Shell, provider: str) -> None:
        """A visible dialog is brought forward (it may be sending); otherwise a new one for this week. The dialog
        has no parent, so it is kept here: an unheld one would be collected once its preview arrived. One replaced
        while its work is in flight lives on in the task runner until the work is delivered."""
        name = f"send-{provider}"
        window = self.windows.get(name)
        if window is None or not window.isVisible():
            window = open_send_dialog(_core(shell).sync, shell.runner, week_of(date.today()), provider=provider,
                                      bus=shell.bus)
            self.windows[name] = window
        window.raise_()
        window.activateWindow()

    def _open_logs(self, shell: Shell) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(_core(shell).paths.log_dir)))


def _core(shell: Shell) -> Core:
    if shell.core is None:
        raise RuntimeError("the shell has no core yet")
    return shell.core
