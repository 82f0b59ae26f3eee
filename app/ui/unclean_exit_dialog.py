"""Asked at start-up after a crash: the timer kept "running" while the app was dead; keep it or stop it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.timefmt import format_duration
from app.timesheet.liveness import UncleanExit
from app.ui.icons import Icon, icon
from app.ui.timer_model import label


def _moment(instant: datetime, now: datetime) -> str:
    local = instant.astimezone()
    if local.date() == now.astimezone().date():
        return f"{local:%H:%M}"
    return f"{local:%a %-d %b, %H:%M}"


class UncleanExitDialog(QDialog):
    """`chosen` carries True to stop the timer at the last moment the app was alive, False to keep it."""

    chosen = Signal(bool)

    def __init__(self, unclean: UncleanExit, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("TimeTally was not closed properly")
        self.setWindowIcon(icon(Icon.APP))
        self.setModal(True)
        self.setMinimumWidth(460)
        timer = unclean.timer
        last = _moment(unclean.last_alive, now)
        counted = format_duration(max(0, int((unclean.last_alive - timer.start).total_seconds())))
        total = format_duration(timer.seconds(now))

        picture = QLabel()
        picture.setPixmap(icon(Icon.APP).pixmap(48, 48))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel("<b>TimeTally stopped unexpectedly while a timer was running.</b>")
        title.setWordWrap(True)
        body = QLabel(
            f"The timer “{label(timer)}” started at {_moment(timer.start, now)}. "
            f"TimeTally was last known to be running at <b>{last}</b>.<br><br>"
            f"Stopping it there records {counted}; keeping it running counts {total} so far."
        )
        body.setWordWrap(True)
        text = QVBoxLayout()
        text.setSpacing(8)
        text.addWidget(title)
        text.addWidget(body)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(picture)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox()
        self.stop_button = QPushButton(f"Stop it at {last}")
        self.keep_button = QPushButton("Keep it running")
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.stop_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        # Closing the dialog or pressing Esc changes nothing: the timer keeps running.
        self.finished.connect(lambda result: self.chosen.emit(result == QDialog.DialogCode.Accepted))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 14)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addWidget(buttons)
