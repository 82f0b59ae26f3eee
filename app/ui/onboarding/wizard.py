"""The "Welcome to TimeTally" wizard: what is recorded and where (first, before anything is), capture and its
hours, the first client and project with rate, currency and rounding, starter rules and autostart.

Skippable from every page, and every way out counts as having seen the first page, which is shown first: the
features start capture only once `privacy_seen` fired (and the setting says so at the next start).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core import Core
from app.domain.errors import TimeTallyError
from app.sync.connection import ConnectionStatus
from app.ui.accounts_page import TITLES, accounts_dialog
from app.ui.choices import ROUNDING, choice_combo, currency_combo, select
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.icons import Icon, icon
from app.ui.onboarding.setup import Answers, apply, import_customers
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

PRIVACY, CAPTURE, CLIENT, FINISH = range(4)


def _text(html: str) -> QLabel:
    label = QLabel(html)
    label.setWordWrap(True)
    label.setOpenExternalLinks(False)
    return label


class OnboardingWizard(QWizard):
    """`open_privacy` shows the capture settings (Preferences → Capture); `starter` is the starter rules file."""

    privacy_seen = Signal()
    capture_wanted = Signal(bool)
    """At the end: False when the user chose not to record now (capture is then paused until resumed)."""
    saved = Signal(str)
    imported = Signal(list)

    def __init__(self, core: Core, runner: TaskRunner, bus: ChangeBus, starter: Path,
                 open_privacy: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core, self._runner, self._bus, self._starter = core, runner, bus, starter
        self._privacy_told = False
        self.accounts: QWidget | None = None
        self._closing = False
        self.setWindowTitle("Welcome to TimeTally")
        self.setWindowIcon(icon(Icon.APP))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(660, 440)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Skip setup")
        self.customButtonClicked.connect(lambda _which: self.skip())
        self.setButtonLayout([QWizard.WizardButton.CustomButton1, QWizard.WizardButton.Stretch,
                              QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                              QWizard.WizardButton.FinishButton])
        self.setPage(PRIVACY, self._privacy_page(open_privacy))
        self.setPage(CAPTURE, self._capture_page())
        self.setPage(CLIENT, self._client_page())
        self.setPage(FINISH, self._finish_page())
        self.currentIdChanged.connect(self._moved)
        runner.read(core.settings.all, self._loaded, owner=self)

    # Pages

    def _privacy_page(self, open_privacy: Callable[[], None]) -> QWizardPage:
        page = QWizardPage()
        page.setTitle("What TimeTally records")
        page.setSubTitle("Read this first: nothing is recorded until you move on from this page.")
        where = self._core.paths.database
        self.privacy_text = _text(
            "<p>While it runs, TimeTally notes <b>which application is in front and its window title</b>, and "
            "when you are away from the keyboard. From that it proposes a timesheet for you to review; nothing "
            "is billed until you approve it.</p>"
            f"<p>Everything is kept on this computer, in <code>{where}</code>.</p>"
            "<p><b>Window titles stay on this machine.</b> They never reach an invoice or an accounting system. "
            "Private and incognito browser windows are not recorded.</p>"
            "<p>You can leave out applications and titles, strip parts of titles, and record only during "
            "working hours:</p>")
        self.privacy_button = QPushButton("Privacy settings…")
        self.privacy_button.setAutoDefault(False)  # Enter still means Next: the keyboard path stays Enter, Enter…
        self.privacy_button.clicked.connect(open_privacy)
        layout = QVBoxLayout(page)
        layout.addWidget(self.privacy_text)
        layout.addWidget(self.privacy_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def _capture_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle("Recording")
        page.setSubTitle("Choose whether TimeTally records now, and when.")
        self.record = QCheckBox("Record my activity from now on (pause it any time: Capture menu or tray icon)")
        self.record.setChecked(True)
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("e.g. Mon-Fri 08:00-19:00 (empty: whenever TimeTally runs)")
        form = QFormLayout()
        form.addRow(self.record)
        form.addRow("Only record during:", self.hours)
        note = _text("Several ranges go on one line, separated by commas: <i>Mon-Fri 08:00-12:00, "
                     "Mon-Fri 13:00-18:00</i>.")
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
        return page

    def _client_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle("Your first client")
        page.setSubTitle("Who you bill, at what rate. Leave the client empty to add clients later.")
        self.client = QLineEdit()
        self.client.setPlaceholderText("e.g. Acme Corp")
        self.project = QLineEdit()
        self.project.setPlaceholderText("e.g. Website")
        self.rate = QLineEdit()
        self.rate.setPlaceholderText("e.g. 95.00 (empty: no rate yet)")
        self.currency = currency_combo()
        self.rate_unit = QLabel()
        self.currency.currentIndexChanged.connect(
            lambda _i: self.rate_unit.setText(f"{self.currency.currentData()} per hour"))
        self.rate_unit.setText(f"{self.currency.currentData()} per hour")
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate)
        rate_row.addWidget(self.rate_unit)
        rate_row.addStretch(1)
        self.rounding = choice_combo(ROUNDING)
        select(self.rounding, "nearest:1")
        self.import_buttons = {provider: QPushButton(f"Import my clients from {title}…")
                               for provider, title in (("xero", "Xero"), ("quickbooks", "QuickBooks"))}
        imports = QHBoxLayout()
        for provider, button in self.import_buttons.items():
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, p=provider: self.import_clients(p))
            imports.addWidget(button)
        imports.addStretch(1)
        form = QFormLayout(page)
        form.addRow("&Client:", self.client)
        form.addRow("&Project:", self.project)
        rate_label = QLabel("Hourly &rate:")
        rate_label.setBuddy(self.rate)
        form.addRow(rate_label, rate_row)
        form.addRow("C&urrency:", self.currency)
        form.addRow("R&ounding:", self.rounding)
        form.addRow(QLabel(" "))
        form.addRow("Or bring them in:", imports)
        for field in (self.client, self.project, self.rate):
            field.setMinimumWidth(300)
        return page

    def _finish_page(self) -> QWizardPage:
        page = QWizardPage()
        page.setTitle("Rules and start-up")
        page.setSubTitle("Rules turn what was recorded into proposals for your timesheet.")
        self.starter = QCheckBox("Add the starter rules (lock screens ignored; personal chat, music and video "
                                 "kept private)")
        self.starter.setChecked(True)
        self.autostart = QCheckBox("Start TimeTally when I log in")
        self.error = _text("")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(self.starter)
        layout.addWidget(self.autostart)
        layout.addWidget(_text("Everything here can be changed later in Preferences and on the Rules page. "
                               "This welcome opens again from Help → Welcome to TimeTally…"))
        layout.addStretch(1)
        layout.addWidget(self.error)
        return page

    def import_clients(self, provider: str) -> None:
        """Customers of a connected Xero or QuickBooks come in as clients; not connected, Accounts opens."""
        page, core, title = self.page(CLIENT), self._core, TITLES[provider]
        page.setSubTitle(f"Checking the {title} connection…")

        def checked(status: ConnectionStatus) -> None:
            if not status.ready:
                page.setSubTitle(status.message)
                self.accounts = accounts_dialog(core.accounts, self._runner, self._bus, title, self)
                self.accounts.show()
                return
            page.setSubTitle(f"Bringing in your {title} {'customers' if provider == 'quickbooks' else 'contacts'}…")
            self._runner.write(recorded(lambda: import_customers(core, provider)), imported, failed, owner=self)

        def imported(done: Changed[list[str]]) -> None:
            names = done.value
            self._bus.publish(done.changes)
            page.setSubTitle(f"{len(names)} new client{'s' if len(names) != 1 else ''} from {title}"
                             + (f": {', '.join(names[:6])}{'…' if len(names) > 6 else ''}." if names else "."))
            self.imported.emit(names)

        def failed(error: BaseException) -> None:
            page.setSubTitle(user_message(error))

        self._runner.read(lambda: core.sync.connection_status(provider), checked, failed, owner=self)

    def _loaded(self, values: dict[str, object]) -> None:
        hours = values.get("capture.tracking_hours") or []
        self.hours.setText(", ".join(str(h) for h in hours) if isinstance(hours, list) else "")
        self.autostart.setChecked(bool(values.get("app.autostart")))
        select(self.currency, str(values.get("billing.currency") or "USD"))

    # Answers

    def answers(self) -> Answers:
        hours = tuple(part.strip() for part in self.hours.text().split(",") if part.strip())
        return Answers(tracking_hours=hours, client=self.client.text(), project=self.project.text(),
                       rate=self.rate.text(), currency=str(self.currency.currentData()),
                       rounding=str(self.rounding.currentData()), starter_rules=self.starter.isChecked(),
                       autostart=self.autostart.isChecked())

    def _moved(self, page_id: int) -> None:
        if page_id > PRIVACY:
            self._tell_privacy_seen()

    def _tell_privacy_seen(self) -> None:
        if not self._privacy_told:
            self._privacy_told = True
            self.privacy_seen.emit()

    def validateCurrentPage(self) -> bool:
        """Bad hours or a bad rate are named on their page, before the next one."""
        try:
            if self.currentId() in (CAPTURE, CLIENT):
                self.answers().check()
        except TimeTallyError as exc:
            self.currentPage().setSubTitle(str(exc))
            return False
        return super().validateCurrentPage()

    def accept(self) -> None:
        """Finish: store everything on the write worker; close only once it is stored."""
        answers, core, starter = self.answers(), self._core, self._starter
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)

        def stored(done: Changed[str]) -> None:
            self._tell_privacy_seen()
            self.capture_wanted.emit(self.record.isChecked())
            self._bus.publish(done.changes)
            self.saved.emit(done.value)
            self._close(True)

        def refused(error: BaseException) -> None:
            self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
            self.error.setText(user_message(error))
            self.error.show()

        self._runner.write(recorded(lambda: apply(core, answers, starter)), stored, refused, owner=self)

    def skip(self) -> None:
        """Skip (or close): the first page was on screen, so capture may start; nothing else changes."""
        settings = self._core.settings

        def remember() -> None:
            settings.set("onboarding.privacy_seen", True)
            settings.set("onboarding.finished", True)

        self._tell_privacy_seen()
        self._runner.write(remember)
        self._close(False)

    def reject(self) -> None:
        if not self._closing:
            self.skip()

    def _close(self, finished: bool) -> None:
        self._closing = True
        super().done(1 if finished else 0)
