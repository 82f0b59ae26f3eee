"""Preferences: a page list on the left; every declared option is editable, and features can add pages.

Options show choices, not their stored words: drop-downs for one-of values and currencies, a shortcut recorder,
and units on every number. A few options are kept by the app itself (window state, onboarding) or edited on
the Accounts page, so they have no field here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.models import Project
from app.option_registry import OPTIONS
from app.options import Option
from app.settings import Settings
from app.sync.oauth.config import USER_SETTINGS
from app.ui.choices import CHOICES, choice_combo, currency_combo, select
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.icons import Icon, icon
from app.ui.shortcuts import from_key_sequence, to_key_sequence
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GENERAL_GROUPS = ("timer", "review", "app", "ui")
GROUP_TITLES = {"classify": "Classification", "quickbooks": "QuickBooks"}
LABELS = {  # where a picker replaces a number, the number's explanation goes
    "timer.default_project_id": "Default project for timers started without one",
    "review.week_start": "First day of the week",
    "shortcuts.toggle_timer": "Shortcut: start or stop the timer",
    "shortcuts.show_timesheet": "Shortcut: show the timesheet",
    "billing.rounding": "Billed time rounding",
    "billing.grouping": "Invoice lines",
    "billing.amounts_are": "Line amounts and tax",
    "sync.invoice_status": "Send invoices as",
    "quickbooks.mode": "QuickBooks: send approved time as",
    "quickbooks.worker_type": "QuickBooks: record time as worked by",
}
Page = tuple[str, QWidget]
NOT_IN_FORMS = frozenset({"ui.window_geometry", "ui.page", "onboarding.privacy_seen", "onboarding.finished",
                          *USER_SETTINGS})
UNITS = (("_seconds", " s"), ("_minutes", " min"), ("_hours", " h"), ("_hours_limit", " h"), ("_percent", " %"),
         ("_days", " days"), ("utilisation_target", " %"))
"""Key endings and the unit their number is in."""


def unit(key: str) -> str:
    return next((suffix for ending, suffix in UNITS if key.endswith(ending)), "")


class Editor:
    """One option's widget, with how to put a value in and get it out."""

    def __init__(self, widget: QWidget, set_value: Callable[[Any], None], get_value: Callable[[], Any]) -> None:
        self.widget = widget
        self.set_value = set_value
        self.get_value = get_value


def editor_for(option: Option[Any], projects: Sequence[Project]) -> Editor:
    """A widget that suits the option's type; a few options have a friendlier picker than a number."""
    if option.key == "timer.default_project_id":
        combo = QComboBox()
        combo.addItem("None", 0)
        for project in projects:
            combo.addItem(project.path, project.id)
        return Editor(combo, lambda v: combo.setCurrentIndex(max(combo.findData(v), 0)), combo.currentData)
    if option.key == "review.week_start":
        combo = QComboBox()
        combo.addItems(WEEKDAYS)
        return Editor(combo, combo.setCurrentIndex, combo.currentIndex)
    if option.key in CHOICES or option.key == "billing.currency":
        combo = currency_combo() if option.key == "billing.currency" else choice_combo(CHOICES[option.key])
        return Editor(combo, lambda v: select(combo, str(v)), lambda: str(combo.currentData()))
    if option.key.startswith("shortcuts.") and isinstance(option.default, str):
        recorder = QKeySequenceEdit()
        recorder.setMaximumSequenceLength(1)
        recorder.setClearButtonEnabled(True)
        recorder.setMinimumWidth(200)
        return Editor(recorder, lambda v: recorder.setKeySequence(_recorded(str(v))),
                      lambda: from_key_sequence(recorder.keySequence()))
    if option.key == "business.logo":
        return _image_picker()
    default = option.default
    if isinstance(default, bool):
        check = QCheckBox()
        return Editor(check, check.setChecked, check.isChecked)
    if isinstance(default, int):
        spin = QSpinBox()
        spin.setRange(0, 1_000_000)
        spin.setMinimumWidth(110)
        spin.setSuffix(unit(option.key))
        return Editor(spin, spin.setValue, spin.value)
    if isinstance(default, float):
        double = QDoubleSpinBox()
        double.setRange(0, 1_000_000)
        double.setDecimals(2)
        double.setSingleStep(0.5)
        double.setMinimumWidth(110)
        double.setSuffix(unit(option.key))
        return Editor(double, double.setValue, double.value)
    if isinstance(default, list):
        lines = QPlainTextEdit()
        lines.setPlaceholderText("One per line")
        lines.setFixedHeight(72)
        lines.setMinimumWidth(240)
        return Editor(
            lines,
            lambda v: lines.setPlainText("\n".join(str(item) for item in v)),
            lambda: [line.strip() for line in lines.toPlainText().splitlines() if line.strip()],
        )
    line = QLineEdit()
    line.setMinimumWidth(240)
    if option.kind == "decimal":  # an amount kept as text: its unit goes where the number is typed
        line.setPlaceholderText("× the rate, e.g. 1.5" if option.key.endswith("_multiplier")
                                else "e.g. 95.00 per hour")
    return Editor(line, lambda v: line.setText(str(v)), line.text)


def _image_picker() -> Editor:
    """A path typed or chosen with a file dialog (PNG or JPEG), so the logo need not be typed by hand."""
    row = QWidget()
    line = QLineEdit()
    line.setMinimumWidth(240)
    line.setPlaceholderText("No logo")
    choose = QPushButton("Choose…")

    def chosen() -> None:
        path, _ = QFileDialog.getOpenFileName(row, "Logo for client invoices", line.text(),
                                              "Images (*.png *.jpg *.jpeg)")
        if path:
            line.setText(path)

    choose.clicked.connect(chosen)
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(line, 1)
    box.addWidget(choose)
    row.setFocusProxy(line)
    return Editor(row, lambda v: line.setText(str(v)), line.text)


def _recorded(combo: str) -> QKeySequence:
    """A stored shortcut the recorder can show; one it cannot read (typed by hand) shows empty."""
    try:
        return to_key_sequence(combo)
    except ValidationError:
        return QKeySequence()


def page_title(key: str) -> str:
    """Options are grouped by the part of their key before the first dot."""
    group = key.partition(".")[0]
    return "General" if group in GENERAL_GROUPS else GROUP_TITLES.get(group, group.capitalize())


def option_groups() -> dict[str, list[str]]:
    """Page title -> option keys, "General" first, the rest in declaration order."""
    groups: dict[str, list[str]] = {"General": []}
    for key in OPTIONS:
        if key not in NOT_IN_FORMS:
            groups.setdefault(page_title(key), []).append(key)
    return groups


class OptionsPage(QWidget):
    """The options of one group, labelled as declared, scrolling when the group is long."""

    def __init__(self, title: str, keys: Sequence[str]) -> None:
        super().__init__()
        self.title = title
        self.keys = list(keys)
        self.editors: dict[str, Editor] = {}
        host = QWidget()
        self.form = QFormLayout(host)
        self.form.setContentsMargins(0, 0, 12, 0)
        self.form.setVerticalSpacing(12)
        self.form.setHorizontalSpacing(16)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        scroll = QScrollArea()
        scroll.setWidget(host)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def load(self, values: dict[str, Any], projects: Sequence[Project]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        for key in self.keys:
            option = OPTIONS[key]
            editor = editor_for(option, projects)
            editor.set_value(values.get(key, option.default))
            editor.widget.setObjectName(key)
            text = LABELS.get(key, option.label).removeprefix(f"{self.title}: ")  # the page title says it
            label = QLabel(text[:1].upper() + text[1:])
            label.setWordWrap(True)
            label.setMinimumWidth(220)
            label.setBuddy(editor.widget)
            self.form.addRow(label, editor.widget)
            self.editors[key] = editor

    def values(self) -> dict[str, Any]:
        return {key: editor.get_value() for key, editor in self.editors.items()}


class SettingsDialog(QDialog):
    """ "General" first, then a page per option group ("Capture", "Billing", ...), then `pages`.

    `pages` are (title, widget) pairs. One whose title matches a group's page takes that page's place, so a
    feature can swap the plain option form for a richer page of its own (which then saves its own values).
    """

    def __init__(
        self,
        settings: Settings,
        runner: TaskRunner,
        bus: ChangeBus,
        projects: Callable[[], Sequence[Project]] = tuple,
        pages: Sequence[Page] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._runner = runner
        self._bus = bus
        self.setWindowTitle("TimeTally Preferences")
        self.setWindowIcon(icon(Icon.APP))
        self.resize(780, 500)

        self.page_list = QListWidget()
        self.page_list.setFixedWidth(160)
        self.page_list.setSpacing(2)
        self.stack = QStackedWidget()
        extra = dict(pages)
        self.option_pages: list[OptionsPage] = []
        for title, keys in option_groups().items():
            if title in extra:
                self.add_page(title, extra.pop(title))
            else:
                page = OptionsPage(title, keys)
                self.option_pages.append(page)
                self.add_page(title, page)
        for title, widget in extra.items():
            self.add_page(title, widget)
        self.general = self.option_pages[0] if self.option_pages and self.option_pages[0].title == "General" else None
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._projects = projects
        self.reload()

    def reload(self) -> None:
        """Read the stored values into the option pages (again)."""
        settings, projects = self._settings, self._projects

        def load() -> tuple[dict[str, Any], Sequence[Project]]:
            return settings.all(), projects()

        self._runner.read(load, self._loaded, lambda e: self._show_error(user_message(e)), owner=self)

    def done(self, result: int) -> None:
        """As a page of the main window it stays where it is and shows the stored values again: those just
        saved, or the ones an abandoned edit (Revert) left unchanged."""
        if self.isWindow():
            super().done(result)
            return
        self.setResult(result)
        self.error.hide()
        self.reload()
        (self.accepted if result == QDialog.DialogCode.Accepted else self.rejected).emit()
        self.finished.emit(result)

    def showEvent(self, event: QShowEvent) -> None:
        self.cancel_button.setText("Cancel" if self.isWindow() else "Revert")
        super().showEvent(event)

    def add_page(self, title: str, widget: QWidget) -> None:
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        box.addWidget(heading)
        box.addSpacing(6)
        box.addWidget(widget, 1)
        self.stack.addWidget(page)
        self.page_list.addItem(title)

    def show_page(self, title: str) -> None:
        if title in self.titles():
            self.page_list.setCurrentRow(self.titles().index(title))

    def titles(self) -> list[str]:
        return [self.page_list.item(i).text() for i in range(self.page_list.count())]

    def _loaded(self, loaded: tuple[dict[str, Any], Sequence[Project]]) -> None:
        values, projects = loaded
        for page in self.option_pages:
            page.load(values, projects)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        """Checks every value first, so one refused value leaves all settings as they were."""
        checked: dict[str, Any] = {}
        for page in self.option_pages:
            for key, value in page.values().items():
                try:
                    checked[key] = OPTIONS[key].validate(value)
                except ValidationError as exc:
                    self._show_error(user_message(exc))
                    self.page_list.setCurrentRow(self.titles().index(page.title))
                    page.editors[key].widget.setFocus()
                    return
        self.save_button.setEnabled(False)
        settings = self._settings

        def write() -> None:
            for key, value in checked.items():
                settings.set(key, value)

        def saved(done: Changed[None]) -> None:
            self._bus.publish(done.changes)
            self.accept()

        def refused(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            self._show_error(user_message(error))

        self._runner.write(recorded(write), saved, refused, owner=self)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
