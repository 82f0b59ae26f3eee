"""Pause and resume capture from a window, for desktops without a tray (the tray has the same menu): what
`timetally capture pause | resume | status` does on the command line. The pause is kept by the watcher (and
stored, so a restart keeps it); this control only shows it and asks for changes on the write worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from app.capture.control import CaptureControl
from app.domain.timefmt import utcnow
from app.ui.tasks import TaskRunner
from app.ui.tray import pause_choices, paused_text


class CapturePauseControl(QWidget):
    def __init__(self, control: CaptureControl, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._control = control
        self._runner = runner
        self.state = QLabel()
        self.pause_button = QPushButton("Pause capture")
        self.pause_menu = QMenu(self.pause_button)
        for text, _until in pause_choices(utcnow()):
            self.pause_menu.addAction(text, self._pause_for(text))
        self.pause_button.setMenu(self.pause_menu)
        self.pause_button.setToolTip("Stop recording windows for a while; kept if TimeTally restarts")
        self.resume_button = QPushButton("Resume capture")
        self.resume_button.clicked.connect(lambda: self._change(control.resume))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state)
        layout.addStretch(1)
        layout.addWidget(self.pause_button)
        layout.addWidget(self.resume_button)
        self.show_state(None)

    def refresh(self) -> None:
        """Read the pause on a worker (another process may have changed it) and show it."""
        control = self._control
        self._runner.read(lambda: control.paused_until() if control.is_paused() else None, self.show_state,
                          self._failed, owner=self)

    def show_state(self, paused_until: datetime | None) -> None:
        self.state.setText(f"Capture paused {paused_text(paused_until)}" if paused_until else "Capture is recording")
        self.pause_button.setVisible(paused_until is None)
        self.resume_button.setVisible(paused_until is not None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _pause_for(self, choice: str) -> Callable[[], None]:
        """The choice's end is worked out when it is clicked: "For 30 minutes" means from then."""
        control = self._control

        def pause() -> None:
            until = dict(pause_choices(utcnow()))[choice]
            self._change(lambda: control.pause(until))

        return pause

    def _change(self, fn: Callable[[], object]) -> None:
        self._runner.write(fn, lambda _: self.refresh(), self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self.state.setText(f"Capture could not be paused or resumed: {error}")
