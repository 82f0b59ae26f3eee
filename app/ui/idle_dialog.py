"""The question asked when you come back to a running timer: what happens to the time you were away.

Every button says what it does. "Assign to…" opens rows of project and minutes; the last row takes the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.desktop.reminders import human_duration
from app.domain.models import Entry, Project
from app.ui.entry_dialog import project_combo
from app.ui.icons import Icon, icon

KEEP, DISCARD, DISCARD_CONTINUE, ASSIGN = "keep", "discard", "discard-continue", "assign"


class IdleDialog(QDialog):
    """Modal. `chosen` carries the action and, for ASSIGN, a list of (project id or None, seconds)."""

    chosen = Signal(str, object)

    def __init__(self, since: datetime, until: datetime, timer: Entry, projects: Sequence[Project],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.since, self.until, self.timer = since, until, timer
        self.projects = list(projects)
        self.minutes = max(1, round((until - since).total_seconds() / 60))
        self.setWindowTitle("You were away")
        self.setWindowIcon(icon(Icon.APP))
        self.setModal(True)
        self.setMinimumWidth(500)

        heading = QLabel(f"You were away for {human_duration(self.minutes * 60)}")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        what = timer.description or "(no description)"
        detail = QLabel(f"No input since <b>{since.astimezone():%H:%M}</b> (back at {until.astimezone():%H:%M}). "
                        f"The timer for <b>{what}</b> — {timer.project_path or 'no project'} — kept running. "
                        "What should happen to that time?")
        detail.setWordWrap(True)
        detail.setTextFormat(Qt.TextFormat.RichText)

        self.keep = QPushButton(f"&Keep {human_duration(self.minutes * 60)} on the timer")
        self.discard = QPushButton(f"&Discard it and stop the timer at {since.astimezone():%H:%M}")
        self.discard_continue = QPushButton("Discard it and &continue the timer from now")
        self.assign_toggle = QPushButton("&Assign to…")
        self.assign_toggle.setCheckable(True)
        self.keep.setDefault(True)
        self.keep.clicked.connect(lambda: self._choose(KEEP, None))
        self.discard.clicked.connect(lambda: self._choose(DISCARD, None))
        self.discard_continue.clicked.connect(lambda: self._choose(DISCARD_CONTINUE, None))
        self.assign_toggle.toggled.connect(self._show_assign)

        self.assign_box = QFrame()
        self.assign_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.rows: list[tuple[QComboBox, QSpinBox]] = []
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.add_row_button = QPushButton("Split across another &project")
        self.add_row_button.clicked.connect(self.add_row)
        self.assign_button = QPushButton("A&ssign the time")
        self.assign_button.clicked.connect(self._assign)
        self.rest = QLabel()
        box = QVBoxLayout(self.assign_box)
        box.addWidget(QLabel("Give the time away to other projects; the timer goes on from now."))
        box.addLayout(self.grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_row_button)
        buttons.addStretch(1)
        buttons.addWidget(self.assign_button)
        box.addLayout(buttons)
        self.assign_box.hide()
        self.add_row()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(detail)
        layout.addSpacing(4)
        for button in (self.keep, self.discard, self.discard_continue, self.assign_toggle):
            button.setStyleSheet("text-align: left; padding: 6px 12px;")
            layout.addWidget(button)
        layout.addWidget(self.assign_box)

    def add_row(self) -> None:
        combo = project_combo(self.projects, None)
        spin = QSpinBox()
        spin.setRange(0, self.minutes)
        spin.setSuffix(" min")
        spin.valueChanged.connect(self._update_rest)
        row = len(self.rows)
        self.grid.addWidget(combo, row, 0)
        self.grid.addWidget(spin, row, 1)
        self.rows.append((combo, spin))
        self._update_rest()

    def parts(self) -> list[tuple[int | None, int]]:
        """(project id, seconds) per row; the last row's minutes are whatever the others leave."""
        return [(combo.currentData(), spin.value() * 60) for combo, spin in self.rows]

    def _update_rest(self) -> None:
        used = sum(spin.value() for _, spin in self.rows[:-1])
        last = self.rows[-1][1]
        last.blockSignals(True)
        last.setValue(max(0, self.minutes - used))
        last.blockSignals(False)
        for n, (_, spin) in enumerate(self.rows):
            spin.setEnabled(n < len(self.rows) - 1)
        self.assign_button.setEnabled(used <= self.minutes)

    def _show_assign(self, shown: bool) -> None:
        self.assign_box.setVisible(shown)
        if shown:
            self.rows[0][0].setFocus()
        self.adjustSize()

    def _assign(self) -> None:
        self._choose(ASSIGN, self.parts())

    def _choose(self, action: str, parts: object) -> None:
        self.chosen.emit(action, parts)
        self.accept()
