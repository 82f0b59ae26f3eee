"""What was learned on this computer, in a sentence (as `timetally learn status` says it), and "Forget what was
learned…", which clears it after asking; the rules editor carries both beside its rules."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from app.classify.learn.service import LearningService
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message


class LearnedStatus(QLabel):
    """Reads the status on a worker whenever asked (`refresh`)."""

    def __init__(self, learning: LearningService | None, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._learning, self._runner = learning, runner
        self.setObjectName("learnedStatus")
        self.setWordWrap(True)
        if learning is None:  # never setVisible(True) here: unparented, that shows a window and steals the focus
            self.hide()
        self.refresh()

    def refresh(self) -> None:
        if self._learning is not None:
            self._runner.read(self._learning.status, lambda s: self.setText(s.sentence), owner=self)


class ForgetLearnedButton(QPushButton):
    forgotten = Signal()
    def __init__(self, learning: LearningService | None, runner: TaskRunner, bus: ChangeBus,
                 say: Callable[[str, bool], None], parent: QWidget | None = None) -> None:
        super().__init__("Forget what was learned…", parent)
        self._learning, self._runner, self._bus, self._say = learning, runner, bus, say
        self.setToolTip("Clear what TimeTally learned from your assignments on this computer; only what you "
                        "assign from now on teaches again")
        if learning is None:  # as above: showing it unparented would open it as a window of its own
            self.hide()
        self.clicked.connect(self.forget)

    def forget(self) -> None:
        learning = self._learning
        if learning is None or not self.confirm():
            return

        def forgotten(done: Changed[None]) -> None:
            self._bus.publish(done.changes)
            self._say("Forgot what was learned; what you assign from now on teaches again.", False)
            self.forgotten.emit()

        self._runner.write(recorded(learning.forget), forgotten, lambda error: self._say(user_message(error), True),
                           owner=self)

    def confirm(self) -> bool:
        answer = QMessageBox.question(
            self, "Forget what was learned?",
            "Learned proposals come from the entries you made over captured activity. Forget all of it? Your "
            "entries and rules stay; only what you assign from now on teaches again.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes
