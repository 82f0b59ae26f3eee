"""Preferences → Accounts: connect and disconnect Xero and QuickBooks, and see each connection's state; use your
own app's client id (and the QuickBooks secret, or a token-exchange relay), with the redirect URIs to register.

Every keyring and network call runs through the task runner; the page only shows results. Connecting opens
the system browser on the consent page, and shows the address to copy when no browser opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.settings import Settings
from app.sync.accounts import NOT_CONNECTED, RECONNECT_NEEDED, AccountsService, AccountStatus, ConnectAttempt
from app.sync.oauth.config import PROVIDERS, QUICKBOOKS, USER_SETTINGS, XERO, ProviderConfig
from app.sync.oauth.errors import Cancelled
from app.sync.oauth.flows import Organisation
from app.sync.oauth.loopback import DEFAULT_TIMEOUT
from app.ui.events import ACCOUNTS, SETTINGS, ChangeBus
from app.ui.provider_app import AppFields
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

TITLES = {"xero": "Xero", "quickbooks": "QuickBooks"}


def describe(status: AccountStatus) -> str:
    if status.state == NOT_CONNECTED:
        return "Not connected."
    since = f"{status.connected_since.astimezone():%Y-%m-%d %H:%M}" if status.connected_since else "unknown"
    text = f"Connected to {status.organisation} since {since}.\nScopes: {' '.join(status.scopes) or 'none'}"
    if status.state == RECONNECT_NEEDED:
        text = f"Reconnect needed: {status.title} no longer accepts TimeTally's sign-in.\n" + text
    return text


class ProviderBox(QGroupBox):
    """One provider's status and buttons, and the app it signs in with; QuickBooks adds the client secret."""

    def __init__(self, provider: str) -> None:
        super().__init__(TITLES[provider])
        self.status = QLabel("…")
        self.status.setWordWrap(True)
        self.status.setObjectName(f"status_{provider}")
        self.connect_button = QPushButton("Connect")
        self.connect_button.setObjectName(f"connect_{provider}")
        self.disconnect_button = QPushButton("Disconnect")
        self.disconnect_button.setObjectName(f"disconnect_{provider}")
        self.disconnect_button.hide()
        self.organisation_button = QPushButton("Organisation…")
        self.organisation_button.setObjectName(f"organisation_{provider}")
        self.organisation_button.setToolTip("Choose which of the organisations this sign-in reaches TimeTally uses")
        self.organisation_button.hide()
        self.chooses_organisation = False
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.organisation_button)
        buttons.addWidget(self.disconnect_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.app = AppFields(provider)
        layout.addWidget(self.app)
        self.secret: QLineEdit | None = None
        self.save_secret: QPushButton | None = None
        if provider == QUICKBOOKS:
            self.secret = QLineEdit()
            self.secret.setObjectName("secret_quickbooks")
            self.secret.setEchoMode(QLineEdit.EchoMode.Password)
            self.secret.setPlaceholderText("Client secret of your Intuit app (kept in the system keyring)")
            self.save_secret = QPushButton("Save secret")
            self.save_secret.setObjectName("save_secret_quickbooks")
            row = QFormLayout()
            line = QHBoxLayout()
            line.addWidget(self.secret, 1)
            line.addWidget(self.save_secret)
            row.addRow("Client secret:", line)
            layout.addLayout(row)

    def show_status(self, status: AccountStatus) -> None:
        self.status.setText(describe(status))
        self.status.setStyleSheet("color: #b3261e;" if status.state == RECONNECT_NEEDED else "")
        self.connect_button.setText("Reconnect" if status.state == RECONNECT_NEEDED else "Connect")
        self.connect_button.setVisible(status.state != "connected")
        self.disconnect_button.setVisible(status.connected)
        self.organisation_button.setVisible(self.chooses_organisation and status.state == "connected")


class AccountsPage(QWidget):
    """For the Settings dialog: `("Accounts", AccountsPage(core.accounts, runner, bus))`.

    `open_url` opens the consent page; it returns False when no browser could open (tests pass a stand-in).
    `organisations` and `choose_organisation` list the Xero organisations a sign-in reaches and remember one
    (`SyncService.organisations` and `choose_tenant`); without them the page offers no choice.
    """

    def __init__(
        self,
        accounts: AccountsService,
        runner: TaskRunner,
        bus: ChangeBus | None = None,
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
        timeout: float = DEFAULT_TIMEOUT,
        parent: QWidget | None = None,
        *,
        organisations: Callable[[], list[Organisation]] | None = None,
        choose_organisation: Callable[[str], Organisation] | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._organisations = organisations
        self._choose_organisation = choose_organisation
        self.picker: QInputDialog | None = None
        self._accounts = accounts
        self._runner = runner
        self._bus = bus
        self._open_url = open_url
        self._timeout = timeout
        self._attempt: ConnectAttempt | None = None
        self.boxes = {provider: ProviderBox(provider) for provider in PROVIDERS}

        self.waiting = QLabel()
        self.waiting.setWordWrap(True)
        self.url_field = QLineEdit()
        self.url_field.setObjectName("url_field")
        self.url_field.setReadOnly(True)
        self.copy_button = QPushButton("Copy address")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancel_button")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url_field, 1)
        url_row.addWidget(self.copy_button)
        wait_row = QHBoxLayout()
        wait_row.addWidget(self.waiting, 1)
        wait_row.addWidget(self.cancel_button)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.addLayout(wait_row)
        layout.addLayout(url_row)
        layout.addWidget(self.message)
        for box in self.boxes.values():
            layout.addWidget(box)
            box.app.setVisible(settings is not None)
            box.app.save.clicked.connect(lambda _=False, b=box: self.save_app(b.app))
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._show_waiting(False)

        for provider, box in self.boxes.items():
            box.connect_button.clicked.connect(lambda _=False, p=provider: self.connect_account(p))
            box.disconnect_button.clicked.connect(lambda _=False, p=provider: self.disconnect_account(p))
        xero = self.boxes[XERO]
        xero.chooses_organisation = organisations is not None and choose_organisation is not None
        xero.organisation_button.clicked.connect(self.pick_organisation)
        quickbooks = self.boxes[QUICKBOOKS]
        if quickbooks.save_secret is not None:
            quickbooks.save_secret.clicked.connect(self.save_secret)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.url_field.text()))
        self.cancel_button.clicked.connect(self.cancel)
        if bus is not None:
            bus.changed.connect(self._on_changed)  # a bound slot: Qt drops it when this page is deleted
        self.refresh()

    def refresh(self) -> None:
        self._runner.read(self._accounts.status, self._show_statuses, self._failed)
        settings, accounts = self._settings, self._accounts
        if settings is not None:
            def read() -> tuple[dict[str, ProviderConfig], dict[str, Any]]:
                user = {key: settings.get(key) for key in USER_SETTINGS}
                return {p: accounts.config(p) for p in PROVIDERS}, user

            self._runner.read(read, self._show_configs, self._failed, owner=self)

    def _show_configs(self, found: tuple[dict[str, ProviderConfig], dict[str, Any]]) -> None:
        configs, user = found
        for provider, config in configs.items():
            self.boxes[provider].app.show_config(config, user)

    def save_app(self, fields: AppFields) -> None:
        """The user's own app for this provider (checked as `timetally settings set` checks it)."""
        settings = self._settings
        if settings is None:
            return
        values = fields.values()

        def write() -> None:
            for key, value in values.items():
                settings.option(key).validate(value)
            for key, value in values.items():
                settings.set(key, value)

        def saved(_: None) -> None:
            self._say(f"{TITLES[fields.provider]} now signs in with "
                      f"{'your app' if values[f'{fields.provider}.client_id'] else 'the app TimeTally ships'}.")
            if self._bus is not None:
                self._bus.announce(ACCOUNTS, SETTINGS)
            else:
                self.refresh()

        self._runner.write(write, saved, lambda error: self._say(user_message(error)), owner=self)  # edit kept

    def connect_account(self, provider: str) -> None:
        if self._attempt is not None:
            return
        self._say("")
        self._set_busy(True)
        self._runner.read(lambda: self._accounts.start_connect(provider), self._started, self._failed)

    def disconnect_account(self, provider: str) -> None:
        self._set_busy(True)
        self._runner.read(lambda: self._accounts.disconnect(provider), self._disconnected, self._failed)

    def save_secret(self) -> None:
        field = self.boxes[QUICKBOOKS].secret
        assert field is not None
        secret = field.text()
        field.clear()
        self._runner.read(lambda: self._accounts.set_client_secret(QUICKBOOKS, secret),
                          lambda _: self._say("The QuickBooks client secret is in the system keyring."),
                          self._failed, owner=self)

    def pick_organisation(self) -> None:
        if self._organisations is None:
            return
        self._say("")
        self._set_busy(True)
        self._runner.read(self._organisations, self._offer_organisations, self._failed)

    def _offer_organisations(self, found: list[Organisation]) -> None:
        self._set_busy(False)
        if len(found) < 2:
            names = found[0].name if found else "no organisation"
            self._say(f"This Xero sign-in reaches only {names}. Connect again to allow more organisations.")
            return
        picker = QInputDialog(self)
        picker.setWindowTitle("Xero organisation")
        picker.setLabelText("TimeTally sends invoices to and reads payments from:")
        picker.setComboBoxItems([o.name for o in found])
        picker.setComboBoxEditable(False)
        picker.textValueSelected.connect(self._organisation_chosen)
        self.picker = picker
        picker.open()

    def _organisation_chosen(self, name: str) -> None:
        choose = self._choose_organisation
        if choose is None:
            return
        self._set_busy(True)
        self._runner.write(lambda: choose(name), self._organisation_remembered, self._failed)

    def _organisation_remembered(self, organisation: Organisation) -> None:
        self._say(f"TimeTally now works on {organisation.name}.")
        self._done()

    def cancel(self) -> None:
        if self._attempt is not None:
            self._attempt.cancel()

    def _started(self, attempt: ConnectAttempt) -> None:
        self._attempt = attempt
        self.destroyed.connect(attempt.cancel)
        self.url_field.setText(attempt.url)
        opened = self._open_url(QUrl(attempt.url))
        self.waiting.setText(
            f"Waiting for you to sign in to {TITLES[attempt.provider]} in your browser…" if opened else
            f"No browser opened. Copy this address into a browser to sign in to {TITLES[attempt.provider]}:"
        )
        self._show_waiting(True)
        self._runner.read(lambda: attempt.finish(self._timeout), self._connected, self._failed)

    def _connected(self, status: AccountStatus) -> None:
        self._say(f"Connected to {status.title}: {status.organisation}.")
        self._done()

    def _disconnected(self, problem: str | None) -> None:
        self._say(f"{problem} TimeTally forgot its tokens anyway." if problem else "Disconnected.")
        self._done()

    def _failed(self, error: BaseException) -> None:
        self._say("Connecting was cancelled." if isinstance(error, Cancelled) else user_message(error))
        self._done()

    def _done(self) -> None:
        self._attempt = None
        self._show_waiting(False)
        self._set_busy(False)
        if self._bus is not None:
            self._bus.announce(ACCOUNTS)
        else:
            self.refresh()

    def _on_changed(self, areas: frozenset[str]) -> None:
        if ACCOUNTS in areas:
            self.refresh()

    def _show_statuses(self, statuses: list[AccountStatus]) -> None:
        for status in statuses:
            self.boxes[status.provider].show_status(status)

    def _show_waiting(self, shown: bool) -> None:
        for widget in (self.waiting, self.cancel_button, self.url_field, self.copy_button):
            widget.setVisible(shown)

    def _set_busy(self, busy: bool) -> None:
        for box in self.boxes.values():
            for button in (box.connect_button, box.disconnect_button, box.organisation_button):
                button.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


def accounts_dialog(accounts: AccountsService, runner: TaskRunner, bus: ChangeBus, title: str,
                    parent: QWidget) -> QDialog:
    """The Accounts page in a window of its own, for a dialog that found no usable connection (send, import).
    It announces ACCOUNTS on `bus` once a connection changed, so its opener can check again."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Connect {title} — TimeTally")
    dialog.resize(720, 560)
    layout = QVBoxLayout(dialog)
    layout.addWidget(AccountsPage(accounts, runner, bus))
    return dialog
