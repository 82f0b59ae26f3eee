"""The main window's Capture menu: pause recording for a while or until resumed, and resume it. The tray offers
the same; this one is there for desktops without a tray, where it is the only way in the app."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QMenu

from app.capture.control import CaptureControl
from app.ui.tasks import TaskRunner
from app.ui.tray import pause_choices


class CaptureMenu(QMenu):
    """Every call to the capture control runs on the write worker (it may touch files or threads)."""

    def __init__(self, capture: CaptureControl, runner: TaskRunner) -> None:
        super().__init__("&Capture")
        self._capture, self._runner = capture, runner
        self.state = self.addAction("")
        self.state.setEnabled(False)
        self.addSeparator()
        for text, _until in pause_choices(datetime.now(UTC)):
            action = self.addAction(f"Pause {text[:1].lower()}{text[1:]}")
            action.triggered.connect(lambda _=False, t=text: self.pause(t))
        self.resume_action = self.addAction("Resume capture")
        self.resume_action.triggered.connect(self.resume)
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def pause(self, choice: str) -> None:
        until = dict(pause_choices(datetime.now(UTC)))[choice]  # from the moment it is chosen
        capture = self._capture
        self._runner.write(lambda: capture.pause(until), lambda _: self.refresh(), owner=self)

    def resume(self) -> None:
        self._runner.write(self._capture.resume, lambda _: self.refresh(), owner=self)

    def refresh(self) -> None:
        capture = self._capture

        def read() -> datetime | None:
            return capture.paused_until() if capture.is_paused() else None

        self._runner.read(read, self._show, owner=self)

    def _show(self, paused_until: datetime | None) -> None:
        if paused_until is None:
            text = "Recording"
        elif paused_until.year == datetime.max.year:
            text = "Paused until resumed"
        else:
            text = f"Paused until {paused_until.astimezone():%a %H:%M}"
        self.state.setText(text)
        self.resume_action.setEnabled(paused_until is not None)
