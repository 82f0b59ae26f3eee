"""The desktop shell: builds the core off the GUI thread, then wires the tray, the main window and timers.

The shell holds the few objects that live as long as the app (task runner, change bus, timer model, tray, main
window) and nothing else: views do their own work through the runner and listen to the bus. Without a tray the
main window is shown before the core is even imported; this module imports the rest of the app only where it is
used, so that window costs little more than Qt itself (`app/ui/launch.py` starts it all).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from app.domain.errors import TimeTallyError
from app.ui.events import ENTRIES, PROJECTS, SETTINGS, TIMER, ChangeBus
from app.ui.heap import settle
from app.ui.icons import Icon, icon
from app.ui.main_window import MainWindow
from app.ui.pages import PAGES
from app.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.capture.control import CaptureControl
    from app.core import Core
    from app.timesheet.liveness import UncleanExit
    from app.ui.timer_model import TimerModel
    from app.ui.timer_window import TimerWindow
    from app.ui.tray import TrayController

log = logging.getLogger(__name__)
POLL_MS = 2000



class Probe(Protocol):
    """Tells whether another process (the CLI, a headless capture) committed since the last look."""

    def changed(self) -> bool: ...

    def close(self) -> None: ...

class Extensions:
    """What the features beyond the timer plug into the shell. This base adds nothing: a bare shell, as tests use.

    The hooks run in order: `prepare` on the write worker once the store is open (for anything that reads the
    database), then on the GUI thread `capture` and `menu` while the tray is built, `started` when the shell is
    up, and `stopping` before the task runner shuts down (queued writes still complete).
    """

    offers_welcome = False
    """True when `welcome` builds an onboarding wizard (Help → Welcome to TimeTally… is then offered)."""

    def prepare(self, core: Core) -> None:
        """Read what the features need from the store; runs on the write worker."""

    def capture(self) -> CaptureControl | None:
        """The capture control for the tray's Pause capture menu (None keeps that menu disabled)."""
        return None

    def menu(self, shell: Shell) -> Sequence[tuple[str, Callable[[], None]]]:
        """Extra tray menu entries as (label, action), placed above Preferences."""
        return ()

    def settings_pages(self, shell: Shell) -> Sequence[tuple[str, QWidget]]:
        """Extra Preferences pages as (title, widget), built when Preferences opens."""
        return ()

    def capture_notice(self) -> str | None:
        """Why capture is limited or off (Wayland, no permission), for the Activity page."""
        return None

    def welcome(self, shell: Shell) -> QWidget | None:
        """The onboarding wizard, shown; None when this shell has none (Help then offers no Welcome entry)."""
        return None

    def first_start(self) -> bool:
        """Onboarding has not been finished or skipped yet: the main window opens with the wizard."""
        return False

    def started(self, shell: Shell) -> None:
        """The shell is up (tray or window shown, timer model loaded)."""

    def stopping(self, shell: Shell) -> None:
        """The app is quitting: stop background work; writes queued now still run."""


@dataclass(frozen=True, slots=True)
class StartState:
    """What start-up reads from the store before the first window appears."""

    unclean: UncleanExit | None
    liveness_seconds: int
    show_window: bool
    geometry: str
    page: str


class Shell(QObject):
    """Lives as long as the app. `ready` fires once the tray or window is up (or `failed` if the store refused)."""

    ready = Signal()
    failed = Signal(str)

    def __init__(
        self,
        build_core: Callable[[], Core],
        runner: TaskRunner,
        bus: ChangeBus,
        extensions: Extensions | Callable[[], Extensions] | None = None,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
    ) -> None:
        """`extensions` may be a factory, called once the core is built (its imports then cost no start-up)."""
        super().__init__()
        self.runner = runner
        self.bus = bus
        self._build_core = build_core
        self._make_extensions = extensions if callable(extensions) and not isinstance(extensions, Extensions) \
            else None
        self.extensions: Extensions = extensions if isinstance(extensions, Extensions) else Extensions()
        self._tray_available = tray_available
        self.core: Core | None = None
        self.model: TimerModel | None = None
        self.window: MainWindow | None = None
        self.tray: TrayController | None = None
        self.dialog: QWidget | None = None
        """The start-up dialog on screen (store refused, database recovered, unclean exit), for tests."""
        self._probe: Probe | None = None
        self._polling = False
        self._shut_down = False
        self._beat = QTimer(self)
        self._beat.timeout.connect(self._send_beat)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_other_writers)

    def start(self) -> None:
        """Opening (and maybe migrating or recovering) the database is slow I/O: it runs on the write worker.
        Without a tray the window will show whatever the settings say, so it is shown at once."""
        if not self._tray_available():
            self.window = self._new_window()
            self.window.starting(True)
            self.window.show()
        self.runner.write(self._build_core, self._core_built, self._core_refused, owner=self)

    def _new_window(self) -> MainWindow:
        return MainWindow(PAGES, lambda page: page.factory(self), self._remember_window, self.open_welcome)

    # Start-up

    def _core_refused(self, error: BaseException) -> None:
        if self.window is not None:  # shown early: there will be nothing to show in it
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        if isinstance(error, TimeTallyError):
            message = str(error)
        else:
            from app.ui.timer_model import user_message

            message = user_message(error)
        box = QMessageBox(QMessageBox.Icon.Critical, "TimeTally cannot start", message)
        box.setInformativeText("Nothing was changed. Fix the problem above and start TimeTally again.")
        box.setWindowIcon(icon(Icon.APP))
        box.finished.connect(lambda _: self.failed.emit(message))
        self.dialog = box
        box.open()

    def _core_built(self, core: Core) -> None:
        self.core = core
        self._probe = core.change_probe()
        if self._make_extensions is not None:
            self.extensions = self._make_extensions()
        if core.recovered_from is not None:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "TimeTally repaired its database",
                "The database could not be read, so TimeTally started with a fresh one.",
            )
            box.setInformativeText(f"Nothing was deleted: the damaged file was kept as\n{core.recovered_from}")
            box.setWindowIcon(icon(Icon.APP))
            self.dialog = box
            box.open()

        extensions = self.extensions

        def begin() -> StartState:
            core.liveness.begin("gui")
            extensions.prepare(core)
            values = core.settings.all()
            return StartState(
                unclean=core.liveness.unclean_exit(),
                liveness_seconds=values["app.liveness_seconds"],
                show_window=values["ui.show_window_at_start"],
                geometry=values["ui.window_geometry"],
                page=values["ui.page"],
            )

        self.runner.write(begin, self._begun, self._core_refused, owner=self)

    def _begun(self, state: StartState) -> None:
        from app.ui.timer_model import TimerModel
        from app.ui.tray import TrayController

        core = self.core
        assert core is not None
        self.model = TimerModel(core, self.runner, self.bus)
        if self.window is None:
            self.window = self._new_window()
        self.window.starting(False)
        self.window.welcome_action.setVisible(self.extensions.offers_welcome)
        self.window.page("timer")  # built at once: it shows what the timer model reports from the start
        self.window.restore(state.geometry, state.page)
        self.bus.changed.connect(self._on_changed)
        self._beat.setInterval(state.liveness_seconds * 1000)
        self._beat.start()
        self._poll.start()
        if self._tray_available():
            self.tray = TrayController(self.model, self.runner, self.extensions.capture(),
                                       toggle_window=self.toggle_window)
            self.tray.add_actions(self.extensions.menu(self))
            self.tray.open_timesheet.connect(lambda: self.open_page("review"))
            self.tray.open_preferences.connect(lambda: self.open_page("preferences"))
            self.tray.quit_requested.connect(QApplication.quit)
            self.tray.show()
        else:
            log.info("no system tray: the main window stands in for it")
            QApplication.instance().setQuitOnLastWindowClosed(True)  # type: ignore[union-attr]
        first_start = self.extensions.first_start()
        if self.tray is None or state.show_window or first_start:
            self.show_window()
        self.model.refresh()
        if state.unclean is not None:
            self._ask_about_unclean_exit(state.unclean)
        self.extensions.started(self)
        if first_start and self.dialog is None:
            self.open_welcome()
        settle()  # the core, the window and the model live as long as the app
        self.ready.emit()

    def _ask_about_unclean_exit(self, unclean: UncleanExit) -> None:
        from app.domain.models import Entry, Notice
        from app.ui.unclean_exit_dialog import UncleanExitDialog

        assert self.core is not None and self.model is not None
        core, model = self.core, self.model
        dialog = UncleanExitDialog(unclean, model.clock())

        def resolve(stop: bool) -> tuple[Entry | None, list[Notice]]:
            kept = core.liveness.resolve(unclean, stop_timer=stop)
            return kept, [] if kept is not None else [Notice("dropped", unclean.dropped())]

        def chosen(stop: bool) -> None:
            model.perform(lambda: resolve(stop))

        dialog.chosen.connect(chosen)
        self.dialog = dialog
        dialog.open()

    # Windows

    @property
    def timer_window(self) -> TimerWindow:
        from app.ui.timer_window import TimerWindow

        assert self.window is not None
        page = self.window.page("timer")
        assert isinstance(page, TimerWindow)
        return page

    def capture_notice(self) -> str | None:
        return self.extensions.capture_notice()

    def preferences_pages(self) -> Sequence[tuple[str, QWidget]]:
        return self.extensions.settings_pages(self)

    def show_window(self) -> None:
        """Also what a second launch asks for: a minimised or hidden window comes back to the front."""
        if self.window is not None:
            if self.window.isMinimized() or not self.window.isVisible():
                self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def open_page(self, key: str) -> None:
        if self.window is not None:
            self.window.open_page(key)
            self.show_window()

    def open_welcome(self) -> None:
        wizard = self.extensions.welcome(self)
        if wizard is not None:
            self.dialog = wizard

    def _remember_window(self, geometry: str, page: str) -> None:
        core = self.core
        if core is None or self._shut_down:
            return

        def write() -> None:
            core.settings.set("ui.window_geometry", geometry)
            core.settings.set("ui.page", page)

        self.runner.write(write)

    def toggle_window(self) -> None:
        if self.window is not None and self.window.isVisible() and self.window.isActiveWindow():
            self.window.hide()
        else:
            self.show_window()

    # Background timers

    def _send_beat(self) -> None:
        if self.core is not None:
            self.runner.write(self.core.liveness.beat)
            self.runner.write(self.core.save_pending)

    def _check_other_writers(self) -> None:
        """Other processes (the CLI) change the database too: a cheap read notices their commits."""
        probe = self._probe
        if probe is None or self._polling:
            return
        self._polling = True

        def checked(changed: bool) -> None:
            self._polling = False
            if changed:
                self.bus.announce(ENTRIES, TIMER, PROJECTS)

        def failed(error: BaseException) -> None:
            self._polling = False
            log.warning("could not check the database for changes: %s", error)

        self.runner.read(probe.changed, checked, failed, owner=self)

    def _on_changed(self, areas: frozenset[str]) -> None:
        core = self.core
        if SETTINGS in areas and core is not None:
            self.runner.read(lambda: core.settings.get("app.liveness_seconds"),
                             lambda seconds: self._beat.setInterval(seconds * 1000), owner=self)

    def shut_down(self) -> None:
        """Stop the timers, record a clean exit, and wait for queued writes; then close the store. Once only."""
        if self._shut_down:
            return
        if self.window is not None:
            self._remember_window(self.window.geometry_text(), self.window.current_key())
        self._shut_down = True
        self._beat.stop()
        self._poll.stop()
        if self.tray is not None:
            self.tray.hide()
        core = self.core
        if core is not None:
            self.extensions.stopping(self)
            self.runner.write(core.save_pending)
            self.runner.write(core.liveness.end)
        self.runner.shutdown()
        if self._probe is not None:
            self._probe.close()
        if core is not None:
            core.close()
