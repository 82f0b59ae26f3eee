"""Learned proposals in the review: their own look (teal on a pale tint, "Learned" and the confidence, the reason
on hover), accepting all of a week's at once, and "Make this a rule", which opens the rules editor with the
smallest rule covering what the user put on the project, and its live preview, before anything is saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidgetItem, QWidget

from app.classify.learn.rule import LearnedRule
from app.classify.learn.service import label_of
from app.core import Core
from app.timesheet.week import ProposalItem, WeekReview
from app.ui.events import ChangeBus
from app.ui.review.state import ReviewModel
from app.ui.rules_editor import RulesEditor
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

LEARNED = QColor(0, 112, 116)
LEARNED_BACKGROUND = QColor(232, 245, 244)


def status_text(item: ProposalItem) -> str:
    sure = f" · {item.confidence:.0%} sure" if item.confidence is not None else ""
    return f"Learned{sure}"


def style_learned(row: QTreeWidgetItem, item: ProposalItem, columns: int, project_column: int) -> None:
    """Teal text on a pale tint, unlike a rule's grey; hovering any cell says why."""
    tip = f"Learned from your own assignments (kept on this computer): {item.why}"
    for column in range(columns):
        row.setBackground(column, QBrush(LEARNED_BACKGROUND))
        if column != project_column:
            row.setForeground(column, QBrush(LEARNED))
        if column != 3:  # the description cell lists the windows seen
            row.setToolTip(column, tip)


class LearnedBar(QWidget):
    """Shown while the week has learned proposals: accept them all, or make the selected one a rule."""

    rule_opened = Signal(object)  # the RulesEditor, for the window to open and keep

    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus, model: ReviewModel,
                 selected: Callable[[], list[ProposalItem]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core, self._runner, self._bus, self._model = core, runner, bus, model
        self._selected = selected
        self.note = QLabel()
        self.note.setObjectName("learnedNote")
        self.note.setStyleSheet(f"color: {LEARNED.name()};")
        self.accept_button = QPushButton("Accept learned")
        self.accept_button.setToolTip("Turn every learned proposal of the week into a draft entry")
        self.rule_button = QPushButton("Make this a rule…")
        self.rule_button.setToolTip("Open the rules editor with the smallest rule that covers what you put on "
                                    "this project and nothing you put elsewhere, and its preview")
        self.accept_button.clicked.connect(self.accept_all)
        self.rule_button.clicked.connect(self.make_rule)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.note, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.rule_button)
        model.loaded.connect(self.refresh)
        self.setVisible(False)

    def _learned(self) -> list[ProposalItem]:
        review: WeekReview | None = self._model.review
        return [p for p in review.proposals if p.learned] if review else []

    def _chosen(self) -> list[ProposalItem]:
        return [p for p in self._selected() if p.learned]

    def refresh(self) -> None:
        learned = self._learned()
        self.setVisible(bool(learned))
        n = len(learned)
        self.note.setText(f"{n} learned proposal{'s' if n != 1 else ''} this week, from your own assignments; "
                          "nothing learned is entered until you accept it.")
        self.rule_button.setEnabled(len(self._chosen()) == 1)

    def accept_all(self) -> None:
        learned = self._learned()
        if learned:
            self._model.accept(learned)

    def make_rule(self) -> None:
        chosen = self._chosen()
        learning = self._core.classifier.learning
        if len(chosen) != 1 or learning is None or not chosen[0].project_path:
            return
        item = chosen[0]
        label = label_of(item.project_path, item.task)
        self._runner.read(lambda: learning.rule_for(label, item.titles), self._open,
                          lambda error: self._model.failed.emit(user_message(error)), owner=self)

    def _open(self, found: LearnedRule) -> None:
        editor = RulesEditor(self._core.classifier, self._runner, self._bus, self.window())
        editor.offer(found.rule, f"Covers {found.covered_seconds / found.assigned_seconds:.0%} of the time you "
                                 "put on this project and none you put elsewhere. Check the preview, then Save.")
        self.rule_opened.emit(editor)
