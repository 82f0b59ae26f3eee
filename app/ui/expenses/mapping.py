"""Category accounts: which Xero account code or QuickBooks item each expense category is sent as.

"Match by name" asks the connected organisation for its accounts (Xero) or items (QuickBooks) on a worker and
fills every empty code whose name is the category's; nothing is stored until Save.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import Core
from app.sync.provider import RemoteKind
from app.ui.automation_page import table
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

PROVIDERS = (("xero", "Xero", RemoteKind.ACCOUNT), ("quickbooks", "QuickBooks", RemoteKind.ITEM))


class CategoryMappingDialog(QDialog):
    def __init__(self, core: Core, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._core, self._runner = core, runner
        self.setWindowTitle("Category accounts")
        self.setMinimumSize(460, 320)
        self.provider = QComboBox()
        for key, title, _ in PROVIDERS:
            self.provider.addItem(title, key)
        self.provider.currentIndexChanged.connect(lambda _: self.load())
        self.grid = table(("Category", "Account code or item"))
        self.grid.setEditTriggers(self.grid.EditTrigger.AllEditTriggers)
        self.note = QLabel("Categories left empty are sent as time lines are (the client's revenue account or item).")
        self.note.setWordWrap(True)
        match = QPushButton("Match by name")
        match.setToolTip("Fill empty codes from the connected organisation's accounts or items of the same name")
        match.clicked.connect(self.match)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        head = QHBoxLayout()
        head.addWidget(QLabel("Accounting system"))
        head.addWidget(self.provider, 1)
        head.addWidget(match)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.load()

    def key(self) -> str:
        return str(self.provider.currentData())

    def load(self) -> None:
        key = self.key()
        self._runner.read(lambda: (self._core.expenses.categories(), self._core.expenses.mapping(key)), self._show,
                          self._failed, owner=self)

    def _show(self, found: tuple[list[str], dict[str, str]]) -> None:
        categories, mapping = found
        self.grid.setRowCount(len(categories))
        for r, category in enumerate(categories):
            name = QTableWidgetItem(category)
            name.setFlags(name.flags() & ~name.flags().ItemIsEditable)
            self.grid.setItem(r, 0, name)
            self.grid.setItem(r, 1, QTableWidgetItem(mapping.get(category, "")))
        if not categories:
            self.note.setText("No expense categories yet: record an expense first.")

    def match(self) -> None:
        key = self.key()
        kind = next(k for name, _, k in PROVIDERS if name == key)

        def job() -> dict[str, str]:
            options = self._core.sync.provider(key).remote_list(kind)
            return self._core.expenses.mapping(key, [(o.code, o.name) for o in options])

        self._runner.read(job, self._fill_matches, self._failed, owner=self)

    def _fill_matches(self, found: dict[str, str]) -> None:
        for r, (category, code) in enumerate(self.rows()):
            if not code and category in found:
                self.grid.setItem(r, 1, QTableWidgetItem(found[category]))
        self.note.setText(f"{len(found)} categor{'y' if len(found) == 1 else 'ies'} matched; Save to keep them.")

    def rows(self) -> list[tuple[str, str]]:
        def text(r: int, c: int) -> str:
            item = self.grid.item(r, c)
            return item.text().strip() if item is not None else ""

        return [(text(r, 0), text(r, 1)) for r in range(self.grid.rowCount())]

    def save(self) -> None:
        key, rows = self.key(), [(c, code) for c, code in self.rows() if code]

        def job() -> None:
            for category, code in rows:
                self._core.expenses.set_mapping(key, category, code)

        self._runner.write(job, lambda _: self.note.setText("Saved."), self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self.note.setText(user_message(error))
