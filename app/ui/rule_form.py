"""The form for one classification rule: name, conditions (field, matcher, pattern, not), weekday and hour limits,
and what matching time becomes. Nested condition groups are shown and kept, but edited in the rules file."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from app.classify.rules import WEEKDAYS, Condition, Field, Group, Matcher, Outcome, Rule, compile_rule, format_minute
from app.classify.rules.model import parse_hours

BILLABLE = (("From the project", None), ("Billable", True), ("Not billable", False))


class ConditionTable(QTableWidget):
    """Flat conditions as rows of field, matcher, pattern and "not"; nested groups are kept as they are."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__(0, 4)
        self.setHorizontalHeaderLabels(("Field", "Match", "Pattern", "Not"))
        header = self.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 84), (1, 104), (3, 44)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self.verticalHeader().hide()
        self.setTabKeyNavigation(False)  # Tab goes through each row's field, match, pattern and Not, not cells
        self.setMinimumHeight(130)
        self.setMaximumHeight(160)
        self.nested: list[Group] = []
        self.tab_before: QWidget | None = None
        self.tab_after: QWidget | None = None
        """Where Tab comes from before the first row and goes after the last one."""

    def load(self, group: Group) -> None:
        self.setRowCount(0)
        self.nested = [i for i in group.items if isinstance(i, Group)]
        for item in group.items:
            if isinstance(item, Condition):
                self.add(item)

    def add(self, cond: Condition | None = None) -> None:
        cond = cond or Condition(Field.TITLE, Matcher.CONTAINS, "")
        row = self.rowCount()
        self.insertRow(row)
        field, matcher = QComboBox(), QComboBox()
        field.addItems([str(f) for f in Field])
        matcher.addItems([str(m) for m in Matcher])
        field.setCurrentText(str(cond.field))
        matcher.setCurrentText(str(cond.matcher))
        pattern = QLineEdit(cond.pattern)
        pattern.setPlaceholderText("text the window must contain, e.g. acme-web")
        negate = QCheckBox()
        negate.setChecked(cond.negate)
        for widget, column in ((field, 0), (matcher, 1), (pattern, 2), (negate, 3)):
            self.setCellWidget(row, column, widget)
        previous = self.cellWidget(row - 1, 3) if row else self.tab_before
        for first, second in zip((previous, field, matcher, pattern, negate),
                                 (field, matcher, pattern, negate, self.tab_after), strict=True):
            if first is not None and second is not None:
                QWidget.setTabOrder(first, second)
        field.currentTextChanged.connect(self.changed)
        matcher.currentTextChanged.connect(self.changed)
        pattern.textChanged.connect(self.changed)
        negate.toggled.connect(self.changed)

    def conditions(self) -> list[Condition | Group]:
        out: list[Condition | Group] = []
        for row in range(self.rowCount()):
            field, matcher, pattern, negate = (self.cellWidget(row, c) for c in range(4))
            assert isinstance(field, QComboBox) and isinstance(matcher, QComboBox)
            assert isinstance(pattern, QLineEdit) and isinstance(negate, QCheckBox)
            out.append(Condition(Field(field.currentText()), Matcher(matcher.currentText()), pattern.text(),
                                 negate.isChecked()))
        return [*out, *self.nested]


class RuleForm(QWidget):
    """`edited` fires on every change the user makes (never while a rule is being shown)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.base: Rule | None = None
        self.name = QLineEdit()
        self.name.setPlaceholderText("what this rule recognises, e.g. Acme website work")
        self.mode = QComboBox()
        self.mode.addItem("all of these", "all")
        self.mode.addItem("any of these", "any")
        self.table = ConditionTable()
        add_condition, remove_condition = QPushButton("Add condition"), QPushButton("Remove condition")
        add_condition.clicked.connect(lambda: (self.table.add(), self._changed()))
        self.table.tab_before, self.table.tab_after = self.mode, add_condition
        remove_condition.clicked.connect(self._remove_condition)
        self.client, self.project, self.task, self.description = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.client.setPlaceholderText("e.g. Acme Corp")
        self.project.setPlaceholderText("e.g. Website")
        self.task.setPlaceholderText("optional; $1 takes a regex group")
        self.description.setPlaceholderText("optional text for the entry; never taken from window titles")
        self.days = [QCheckBox(day.capitalize()) for day in WEEKDAYS]
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("any time, or e.g. 09:00-12:30, 13:30-18:00")
        self.billable = QComboBox()
        for text, value in BILLABLE:
            self.billable.addItem(text, value)
        self.private, self.ignore = QCheckBox("Private (never proposed)"), QCheckBox("Ignore (drop the time)")
        self.limits = QLabel()
        self.limits.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("N&ame", self.name)
        form.addRow("&Match", self.mode)
        form.addRow(self.table)
        condition_buttons = QHBoxLayout()
        condition_buttons.addWidget(add_condition)
        condition_buttons.addWidget(remove_condition)
        condition_buttons.addStretch(1)
        form.addRow(condition_buttons)
        form.addRow("&Client", self.client)
        form.addRow("&Project", self.project)
        form.addRow("&Task", self.task)
        form.addRow("Desc&ription", self.description)
        form.addRow("&Billable", self.billable)
        days = QHBoxLayout()
        for box in self.days:
            days.addWidget(box)
        days.addStretch(1)
        form.addRow("Only on", days)
        form.addRow("Only bet&ween", self.hours)
        flags = QHBoxLayout()
        flags.addWidget(self.private)
        flags.addWidget(self.ignore)
        flags.addStretch(1)
        form.addRow(flags)
        form.addRow(self.limits)
        form.addRow(self.problem)
        for line in (self.name, self.client, self.project, self.task, self.description, self.hours):
            line.textChanged.connect(self._changed)
        for combo in (self.mode, self.billable):
            combo.currentIndexChanged.connect(self._changed)
        for box in (self.private, self.ignore, *self.days):
            box.toggled.connect(self._changed)
        self.table.changed.connect(self._changed)

    def show_rule(self, rule: Rule | None) -> None:
        self.base = rule
        self._filling = True
        o = rule.outcome if rule else Outcome()
        self.name.setText(rule.name if rule else "")
        self.mode.setCurrentIndex(self.mode.findData(rule.when.mode if rule else "all"))
        self.table.load(rule.when if rule else Group("all", ()))
        for line, text in ((self.client, o.client), (self.project, o.project), (self.task, o.task),
                           (self.description, o.description)):
            line.setText(text)
        self.billable.setCurrentIndex(self.billable.findData(o.billable))
        self.private.setChecked(o.private)
        self.ignore.setChecked(o.ignore)
        for n, box in enumerate(self.days):
            box.setChecked(bool(rule) and n in rule.weekdays)  # type: ignore[union-attr]
        self.hours.setText(", ".join(f"{format_minute(a)}-{format_minute(b)}" for a, b in rule.hours) if rule else "")
        self.limits.setText("It also has nested condition groups, kept as they are (edit them in an exported file)."
                            if self.table.nested else "")
        self.limits.setVisible(bool(self.table.nested))
        self.problem.clear()
        self._filling = False

    def rule(self) -> Rule:
        """The rule as the form shows it; raises a ValidationError that names what is wrong."""
        base = self.base
        outcome = Outcome(client=self.client.text().strip(), project=self.project.text().strip(),
                          task=self.task.text().strip(), description=self.description.text().strip(),
                          billable=self.billable.currentData(), tags=base.outcome.tags if base else (),
                          private=self.private.isChecked(), ignore=self.ignore.isChecked())
        weekdays = frozenset(n for n, box in enumerate(self.days) if box.isChecked())
        hours = tuple(parse_hours(part) for part in self.hours.text().split(",") if part.strip())
        rule = Rule(self.name.text().strip(), Group(self.mode.currentData(), tuple(self.table.conditions())), outcome,
                    weekdays, hours, base.enabled if base else True)
        compile_rule(rule)
        return rule

    def _remove_condition(self) -> None:
        if self.table.rowCount():
            row = self.table.currentRow()
            self.table.removeRow(row if row >= 0 else self.table.rowCount() - 1)
            self._changed()

    def _changed(self) -> None:
        if not self._filling:
            self.edited.emit()
