"""The rules editor: the ordered list (drag to reorder; first match wins), a form for the selected rule with a live
preview of what it would match over the last four weeks, a title tester, and import/export of the rules file;
edits stay in the dialog until Save stores the whole ordered list in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.classify.engine import Engine
from app.classify.preview import Preview
from app.classify.rules import (
    Condition,
    Field,
    Group,
    Matcher,
    Outcome,
    Rule,
    describe,
)
from app.classify.ruleset_file import loads
from app.classify.service import PREVIEW_WEEKS, ClassifierService, RuleInfo
from app.commands.rules import starter_file
from app.domain.errors import TimeTallyError
from app.domain.models import Project
from app.domain.timefmt import format_duration
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.forget_learned import ForgetLearnedButton, LearnedStatus
from app.ui.icons import Icon, icon
from app.ui.rule_form import RuleForm
from app.ui.rules_files import RulesFiles
from app.ui.rules_prompts import ask_new_names, ask_unsaved, complete, new_names
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

PREVIEW_DELAY_MS = 350


def _label(n: int, rule: Rule) -> str:
    return f"{n}. {rule.name}  →  {rule.outcome.label}"


class RulesEditor(RulesFiles, QDialog):
    """Open it from the tray or the review; it loads and saves through the task runner."""

    loaded = Signal()
    saved = Signal()
    previewed = Signal(object)  # Preview

    def __init__(self, classifier: ClassifierService, runner: TaskRunner, bus: ChangeBus,
                 parent: QWidget | None = None, projects: Callable[[], list[Project]] | None = None) -> None:
        super().__init__(parent)
        self._classifier = classifier
        self._projects_of = projects
        self.projects: list[Project] = []
        self.saved_rules: list[Rule] = []
        self.ask_new_names: Callable[[Sequence[str]], bool] = lambda names: ask_new_names(self, names)
        self.ask_unsaved: Callable[[], str] = lambda: ask_unsaved(self)
        self._runner = runner
        self._bus = bus
        self._generation = 0
        self._filling = False
        self.rules: list[Rule] = []
        self.setWindowTitle("Classification rules — TimeTally")
        self.setWindowIcon(icon(Icon.APP))
        self.resize(1040, 760)

        self.list = QListWidget()
        self.list.setObjectName("ruleList")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setAlternatingRowColors(True)
        self.list.currentRowChanged.connect(self._select)
        self.list.model().rowsMoved.connect(self._reordered)
        self.list.itemChanged.connect(self._enabled_toggled)
        order_hint = QLabel("First match wins: drag a rule up or down to change the order.")
        order_hint.setWordWrap(True)
        add, delete = QPushButton("&New rule"), QPushButton("&Delete")
        self.starter_button = QPushButton("Add starter r&ules")
        self.starter_button.setToolTip("Rules for lock screens, private chat, music and more, added after yours")
        self.starter_button.clicked.connect(self.add_starter_rules)
        self.import_button, self.export_button = QPushButton("&Import…"), QPushButton("E&xport…")
        add.clicked.connect(self.new_rule)
        delete.clicked.connect(self.delete_rule)
        self.import_button.clicked.connect(self._ask_import)
        self.export_button.clicked.connect(self._ask_export)
        list_buttons = QHBoxLayout()
        for button in (add, delete, self.import_button, self.export_button):
            list_buttons.addWidget(button)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(order_hint)
        left_box.addWidget(self.list, 1)
        left_box.addLayout(list_buttons)
        left_box.addWidget(self.starter_button)
        self.learned_status = LearnedStatus(classifier.learning, runner)
        left_box.addWidget(self.learned_status)

        self.form = RuleForm()
        self.form.edited.connect(self._edited)
        self.preview_text = QLabel("Select a rule to see what it matches.")
        self.preview_text.setWordWrap(True)
        self.samples = QListWidget()
        self.samples.setMaximumHeight(76)
        preview_box = QGroupBox(f"Live preview: the last {PREVIEW_WEEKS} weeks")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.preview_text)
        preview_layout.addWidget(self.samples)
        self.test_app, self.test_title = QLineEdit(), QLineEdit()
        self.test_app.setPlaceholderText("application, e.g. firefox")
        self.test_title.setPlaceholderText("Type a window title to test this rule and the whole order")
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        test_box = QGroupBox("Test a title")
        test_layout = QFormLayout(test_box)
        test_layout.addRow("Title", self.test_title)
        test_layout.addRow("Application", self.test_app)
        test_layout.addRow(self.test_result)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.form)
        right_box.addWidget(preview_box)
        right_box.addWidget(test_box)
        right_box.addStretch(1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        scroll = QScrollArea()  # the form scrolls rather than making the page taller than the main window
        scroll.setWidget(right)
        scroll.setWidgetResizable(True)
        splitter.addWidget(scroll)
        splitter.setSizes([380, 660])
        splitter.setChildrenCollapsible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.status = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        self.forget_button = ForgetLearnedButton(classifier.learning, runner, bus, self._say)
        self.forget_button.forgotten.connect(self.learned_status.refresh)
        bottom.addWidget(self.forget_button)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        for line in (self.test_app, self.test_title):
            line.textChanged.connect(self.run_test)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.reload()

    # Loading and the list

    def reload(self) -> None:
        self._runner.read(self._classifier.listing, self._loaded, self._fail, owner=self)
        if self._projects_of is not None:
            self._runner.read(self._projects_of, self._completions, self._fail, owner=self)

    def _completions(self, projects: list[Project]) -> None:
        self.projects = projects
        complete(self.form.client, [p.client_name for p in projects])
        complete(self.form.project, [p.name for p in projects])

    def _loaded(self, listing: list[RuleInfo]) -> None:
        self.rules = [info.rule for info in listing]
        self.saved_rules = list(self.rules)
        self._fill_list(0)
        for info, n in zip(listing, range(self.list.count()), strict=True):
            seen = f"last matched {info.last_matched.astimezone():%d %b %Y}" if info.last_matched else "never matched"
            self.list.item(n).setToolTip(f"{describe(info.rule)}\n{seen}")
        self.loaded.emit()

    def _fill_list(self, current: int) -> None:
        self._filling = True
        self.list.clear()
        for n, rule in enumerate(self.rules, start=1):
            item = QListWidgetItem(_label(n, rule))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, n - 1)
            self.list.addItem(item)
        self._filling = False
        if self.rules:
            self.list.setCurrentRow(min(current, len(self.rules) - 1))
        else:
            self._select(-1)

    def _reordered(self) -> None:
        """After a drag: the items carry their old positions, so the new order reads straight off the list."""
        order = [self.list.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.list.count())]
        self.rules = [self.rules[i] for i in order]
        self._fill_list(self.list.currentRow())
        self._say("Order changed; Save keeps it.")

    def _enabled_toggled(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        n = self.list.row(item)
        self.rules[n] = replace(self.rules[n], enabled=item.checkState() == Qt.CheckState.Checked)
        self._schedule_preview()

    def new_rule(self) -> None:
        names = {r.name.casefold() for r in self.rules}
        name = next(f"New rule {n}" for n in range(1, len(names) + 2) if f"new rule {n}" not in names)
        self.rules.append(Rule(name, Group("all", (Condition(Field.TITLE, Matcher.CONTAINS, ""),)), Outcome()))
        self._fill_list(len(self.rules) - 1)
        self.form.problem.setText("Type what the window title contains, and the client and project its time goes to.")
        self.form.name.setFocus()
        self.form.name.selectAll()

    def add_starter_rules(self) -> None:
        """The starter rules after the user's own, leaving out those whose name is already there."""
        def added(starter: list[Rule]) -> None:
            names = {r.name.casefold() for r in self.rules}
            new = [r for r in starter if r.name.casefold() not in names]
            self.rules += new
            self._fill_list(len(self.rules) - len(new) if new else self.list.currentRow())
            self._say(f"Added {len(new)} starter rules; Save keeps them." if new else
                      "The starter rules are all here already.")

        self._runner.read(lambda: loads(starter_file().read_text(encoding="utf-8"), "starter.toml"), added,
                          self._fail, owner=self)

    def offer(self, rule: Rule, said: str = "") -> None:
        """Add `rule` (unsaved) at the end of the list once the stored rules are in, select it and preview it."""
        def add() -> None:
            self.loaded.disconnect(add)
            names = {r.name.casefold() for r in self.rules}
            name = next(f"{rule.name} {n}" if n else rule.name for n in range(len(names) + 1)
                        if (f"{rule.name} {n}" if n else rule.name).casefold() not in names)
            self.rules.append(replace(rule, name=name))
            self._fill_list(len(self.rules) - 1)
            self._say(said or "New rule: Save keeps it.")

        self.loaded.connect(add)

    def delete_rule(self) -> None:
        n = self.list.currentRow()
        if 0 <= n < len(self.rules):
            del self.rules[n]
            self._fill_list(n)

    # The form

    def current(self) -> Rule | None:
        n = self.list.currentRow()
        return self.rules[n] if 0 <= n < len(self.rules) else None

    def _select(self, row: int) -> None:
        self.form.show_rule(self.rules[row] if 0 <= row < len(self.rules) else None)
        self._schedule_preview()
        self.run_test()

    def _edited(self) -> None:
        n = self.list.currentRow()
        if self._filling or not 0 <= n < len(self.rules):
            return
        try:
            rule = self.form.rule()
        except TimeTallyError as exc:
            self.form.problem.setText(str(exc))
            return
        self.form.problem.clear()
        self.form.base = rule
        self.rules[n] = rule
        self._filling = True
        self.list.item(n).setText(_label(n + 1, rule))
        self._filling = False
        self._schedule_preview()
        self.run_test()

    # Preview and test

    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def refresh_preview(self) -> None:
        rule, position = self.current(), self.list.currentRow()
        if rule is None:
            return
        self._generation += 1
        turn, classifier = self._generation, self._classifier
        self.preview_text.setText("Checking the last weeks…")
        self._runner.read(lambda: classifier.preview(rule, position=position),
                          lambda p: self._previewed(turn, p), lambda e: self._previewed(turn, e), owner=self)

    def _previewed(self, generation: int, preview: Preview | BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(preview, BaseException):  # a rule still being typed: said in the preview, not as an error
            return self.preview_text.setText(f"No preview yet: {user_message(preview)}")
        share = (f" Unclassified time would go from {preview.unclassified_before / preview.captured_seconds:.0%} to "
                 f"{preview.unclassified_share:.0%}." if preview.captured_seconds else "")
        self.preview_text.setText(
            f"Matches <b>{format_duration(int(preview.matched_seconds))}</b> of captured activity; at this place in "
            f"the order it claims <b>{format_duration(int(preview.claimed_seconds))}</b>.{share}")
        self.samples.clear()
        for title, seconds in preview.samples:
            self.samples.addItem(f"{format_duration(int(seconds)):>6}   {title}")
        if not preview.samples:
            self.samples.addItem("No window titles matched in the last weeks.")
        self.previewed.emit(preview)

    def run_test(self) -> None:
        title, app = self.test_title.text(), self.test_app.text()
        rule = self.current()
        if not title or rule is None:
            self.test_result.setText("")
            return
        now = time.time()  # rules limited to weekdays or hours are tested for this moment
        alone = Engine([replace(rule, enabled=True)]).classify_window(app, "", title, now)
        winner = Engine(self.rules).classify_window(app, "", title, now)
        if alone is None:
            text = "✗ This rule does not match that title."
        else:
            text = f"✓ This rule matches: the time goes to <b>{alone.outcome.label}</b>."
        if winner is not None and winner.rule != rule.name:
            text += f" In the current order, “{winner.rule}” claims it first."
        elif winner is None and alone is not None:
            text += " (The rule is disabled, so nothing claims it now.)"
        self.test_result.setText(text)

    # Saving, import and export

    def save(self, then: Callable[[], None] | None = None) -> None:
        rules, classifier = list(self.rules), self._classifier
        names = new_names(rules, self.projects) if self._projects_of is not None else []
        if names and not self.ask_new_names(names):
            self._say("Not saved: change the client or project, or save again and confirm the new names.")
            return
        self.save_button.setEnabled(False)

        def saved(done: Changed[None]) -> None:
            self.saved_rules = rules
            if then is not None:
                then()
            self.save_button.setEnabled(True)
            self._bus.publish(done.changes)
            self._say(f"Saved {len(rules)} rules.")
            self.saved.emit()

        def refused(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self._fail(error)

        self._runner.write(recorded(lambda: classifier.replace_rules(rules)), saved, refused, owner=self)

    def unsaved(self) -> bool:
        return self.rules != self.saved_rules

    def reject(self) -> None:
        """Closing asks first when the rules were changed and not saved."""
        if self.unsaved():
            answer = self.ask_unsaved()
            if answer == "cancel":
                return
            if answer == "save":
                self.save(then=super().reject)
                return
        super().reject()

    def done(self, result: int) -> None:
        """A pending preview must not start once the dialog is gone."""
        self._preview_timer.stop()
        super().done(result)

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if error else "")
        self.status.setText(text)

    def _fail(self, error: BaseException) -> None:
        self._say(user_message(error), error=True)
