"""The mapping window: each client's contact (with the match score to confirm), revenue account and tax type, each
project's tracking option and each task's item. Remote lists come from the cache and can be fetched again.

Loading, refreshing, creating a contact and saving all run on the task runner; the window only shows values.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.sync import mappings
from app.sync.mappings import MappingState
from app.sync.provider import RemoteKind, RemoteOption
from app.sync.service import SyncService
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

Key = tuple[RemoteKind, int]


class RemoteCombo(QComboBox):
    """A remote list with a first entry meaning "not mapped" (or "the default")."""

    def __init__(self, options: list[RemoteOption], empty: str, chosen: str | None) -> None:
        super().__init__()
        self.options = options
        self.addItem(empty)
        for option in options:
            label = f"{option.parent}: {option.name}" if option.parent else option.name
            self.addItem(f"{label} ({option.code})" if option.code != option.name else label)
        index = next((i for i, o in enumerate(options) if o.code == chosen), None)
        self.setCurrentIndex(0 if index is None else index + 1)
        self.initial = self.currentIndex()

    def chosen(self) -> RemoteOption | None:
        index = self.currentIndex()
        return self.options[index - 1] if index > 0 else None

    @property
    def changed(self) -> bool:
        return self.currentIndex() != self.initial


class MappingDialog(QDialog):
    loaded = Signal(object)
    saved = Signal()
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, sync: SyncService, provider: str = "xero",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner, self._sync, self._provider = runner, sync, provider
        self.state: MappingState | None = None
        self.combos: dict[Key, RemoteCombo] = {}
        self.scores: dict[int, float] = {}
        self.setWindowTitle("Accounting mapping")
        self.resize(900, 520)
        self.fetched = QLabel()
        self.default_account = RemoteCombo([], "(none)", None)
        self.tabs = QTabWidget()
        self.status = QLabel("Loading…")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton("Refresh lists")
        self.create_button = QPushButton("Create contact for selected client")
        for button in (self.refresh_button, self.create_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.refresh_button.clicked.connect(lambda: self.reload(refresh=True))
        self.create_button.clicked.connect(self.create_contact)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self._form = QFormLayout()
        self._form.addRow("Default revenue account", self.default_account)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fetched)
        layout.addLayout(self._form)
        for widget in (self.tabs, self.status, buttons):
            layout.addWidget(widget)
        self.failed.connect(self.status.setText)
        self.reload()

    def reload(self, refresh: bool = False) -> None:
        self.status.setText("Fetching the lists again…" if refresh else "Loading…")
        self._run(lambda: mappings.load(self._sync, self._provider, refresh), self._show)

    def _run(self, fn: Callable[[], object], done: Callable[..., None]) -> None:
        self._runner.read(fn, done, lambda e: self.failed.emit(user_message(e)), owner=self)

    def _show(self, state: MappingState) -> None:
        self.state, self.combos, self.scores = state, {}, {}
        self.setWindowTitle(f"{state.title} mapping")
        when = [t for t in state.fetched_at.values() if t is not None]
        self.fetched.setText(f"{state.title} lists as of {min(when).astimezone():%Y-%m-%d %H:%M}" if when else "")
        accounts = state.lists.get(RemoteKind.ACCOUNT, [])
        default = state.mapped(RemoteKind.ACCOUNT, 0)
        self._form.removeRow(0)
        first = f"first revenue account: {accounts[0].name} ({accounts[0].code})" if accounts else "(none)"
        self.default_account = RemoteCombo(accounts, first, default.code if default else None)
        self._form.insertRow(0, "Default revenue account", self.default_account)
        self.tabs.clear()
        self.tabs.addTab(self._clients_table(state), "Clients")
        if RemoteKind.TRACKING in state.lists:
            self.tabs.addTab(self._table(("Project", "Tracking option"), [
                (p.path, self._combo(state, RemoteKind.TRACKING, p.id, "(none)")) for p in state.projects]), "Projects")
        if RemoteKind.ITEM in state.lists:
            self.tabs.addTab(self._table(("Task", "Item"), [
                (f"{p.path} / {t.name}", self._combo(state, RemoteKind.ITEM, t.id, "(none)"))
                for p, t in state.tasks]), "Tasks")
        unmapped = sum(1 for c in state.clients if state.mapped(RemoteKind.CUSTOMER, c.id) is None)
        self.status.setText(f"{unmapped} client(s) have no confirmed contact; suggestions show their match score "
                            "and are stored when you save." if unmapped else "Every client has a contact.")
        self.loaded.emit(state)

    def _combo(self, state: MappingState, kind: RemoteKind, local_id: int, empty: str) -> RemoteCombo:
        mapped = state.mapped(kind, local_id)
        combo = RemoteCombo(state.lists.get(kind, []), empty, mapped.code if mapped else None)
        self.combos[(kind, local_id)] = combo
        return combo

    def _clients_table(self, state: MappingState) -> QTableWidget:
        table = QTableWidget(len(state.clients), 5)
        table.setHorizontalHeaderLabels(("Client", "Contact", "Match", "Revenue account", "Tax type"))
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, client in enumerate(state.clients):
            table.setItem(row, 0, QTableWidgetItem(client.name))
            contact = self._combo(state, RemoteKind.CUSTOMER, client.id, "(not mapped)")
            match = "mapped"
            if state.mapped(RemoteKind.CUSTOMER, client.id) is None:
                best = next(iter(state.suggestions.get(client.id, [])), None)
                match = "no match: create or pick one"
                if best is not None:
                    contact.setCurrentIndex(contact.options.index(best.customer) + 1)
                    self.scores[client.id] = best.score
                    match = "exact" if best.exact else f"{best.score:.0f}% — check, then save"
            table.setCellWidget(row, 1, contact)
            table.setItem(row, 2, QTableWidgetItem(match))
            table.setCellWidget(row, 3, self._combo(state, RemoteKind.ACCOUNT, client.id, "(default)"))
            if RemoteKind.TAX_RATE in state.lists:
                table.setCellWidget(row, 4, self._combo(state, RemoteKind.TAX_RATE, client.id, "(account's default)"))
        self.clients_table = table
        return table

    @staticmethod
    def _table(headers: tuple[str, str], rows: list[tuple[str, RemoteCombo]]) -> QTableWidget:
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (label, combo) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(label))
            table.setCellWidget(row, 1, combo)
        return table

    def changes(self) -> dict[Key, RemoteOption | None]:
        """Changed choices, plus suggested contacts the user is confirming by saving."""
        found = {key: combo.chosen() for key, combo in self.combos.items()
                 if combo.changed or (key[0] is RemoteKind.CUSTOMER and key[1] in self.scores)}
        if self.default_account.changed:
            found[(RemoteKind.ACCOUNT, 0)] = self.default_account.chosen()
        return found

    def save(self) -> None:
        changes, scores = self.changes(), dict(self.scores)
        self.status.setText("Saving…")
        self._run(lambda: mappings.save(self._sync, self._provider, changes, scores), lambda _: self._saved())

    def _saved(self) -> None:
        self.saved.emit()
        self.reload()

    def create_contact(self) -> None:
        if self.state is None:
            return
        row = self.clients_table.currentRow()
        if not 0 <= row < len(self.state.clients):
            self.status.setText("Select a client first.")
            return
        client = self.state.clients[row]
        self.status.setText(f"Creating the contact '{client.name}'…")
        self._run(lambda: mappings.create_customer(self._sync, self._provider, client), lambda _: self.reload())


def open_mapping_dialog(sync: SyncService, runner: TaskRunner, provider: str = "xero",
                        parent: QWidget | None = None) -> MappingDialog:
    dialog = MappingDialog(runner, sync, provider, parent)
    dialog.show()
    return dialog
