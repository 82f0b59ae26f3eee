"""Clients & projects: every client, project and task in a tree, with its billing form beside it.

Reads and writes go through the catalog and billing services on the task runner; the sentences those services
raise are shown under the form, and nothing is stored until Save.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.billing.catalog import Catalog, CatalogView, ProjectSummary, TaskSummary
from app.billing.service import BillingService, ClientSummary
from app.domain.catalog import Kind
from app.ui.clients.forms import BillingForm, ClientForm, ProjectForm, TaskForm
from app.ui.clients.holidays import HolidaysDialog
from app.ui.events import ENTRIES, PROJECTS, SETTINGS, ChangeBus, Changed, recorded
from app.ui.tasks import TaskRunner
from app.ui.timer_model import user_message

Selected = tuple[Kind, int]
ROLE = Qt.ItemDataRole.UserRole


class ClientsPage(QWidget):
    loaded = Signal()
    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, catalog: Catalog, billing: BillingService, runner: TaskRunner, bus: ChangeBus, *,
                 today: Callable[[], date] = date.today,
                 open_mapping: Callable[[], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clients & projects")
        self._catalog, self._billing, self._runner, self._bus = catalog, billing, runner, bus
        self.view: CatalogView | None = None
        self._selected: Selected | None = None
        self._items: dict[Selected, Any] = {}
        self.ask_unsaved: Callable[[str], str] = self._ask_unsaved
        self.dialogs: list[QWidget] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Client / project / task", "Rate", "Budget"])
        self.tree.setColumnWidth(0, 220)
        self.tree.setColumnWidth(1, 90)
        self.tree.currentItemChanged.connect(lambda *_: self._select())
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.toggled.connect(lambda _: self._fill())
        self.buttons = {name: QPushButton(text) for name, text in (
            ("client", "New client…"), ("project", "New project…"), ("task", "New task…"),
            ("rename", "Rename…"), ("archive", "Archive"))}
        self.buttons["client"].clicked.connect(lambda: self._ask("New client", "Client name:", self.create_client))
        self.buttons["project"].clicked.connect(lambda: self._ask("New project", "Project name:", self.create_project))
        self.buttons["task"].clicked.connect(lambda: self._ask("New task", "Task name:", self.create_task))
        self.buttons["rename"].clicked.connect(lambda: self._ask("Rename", "New name:", self.rename_selected,
                                                                 self._selected_name()))
        self.buttons["archive"].clicked.connect(self.toggle_archived)
        left = QVBoxLayout()
        row = QHBoxLayout()
        for key in ("client", "project", "task"):
            row.addWidget(self.buttons[key])
        left.addLayout(row)
        left.addWidget(self.tree)
        row = QHBoxLayout()
        row.addWidget(self.buttons["rename"])
        row.addWidget(self.buttons["archive"])
        row.addStretch()
        row.addWidget(self.show_archived)
        left.addLayout(row)
        extras = QHBoxLayout()
        holidays = QPushButton("Holidays…")
        holidays.setToolTip("Days billed at the holiday multiplier")
        holidays.clicked.connect(lambda: self._open(HolidaysDialog(billing, runner, today(), self)))
        extras.addWidget(holidays)
        if open_mapping is not None:
            mapping = QPushButton("Accounting mapping…")
            mapping.setToolTip("Which customer, account, item and tax rate each client uses in Xero or QuickBooks")
            mapping.clicked.connect(open_mapping)
            extras.addWidget(mapping)
        left.addLayout(extras)

        self.client_form = ClientForm(today())
        self.project_form = ProjectForm(today())
        self.task_form = TaskForm(today())
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.stack = QStackedWidget()
        self.empty = QLabel("Pick a client, project or task on the left to see and change how it is billed; "
                            "or start with New client….")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        for widget in (self.empty, self.client_form, self.project_form, self.task_form):
            self.stack.addWidget(widget)
        for form in (self.client_form, self.project_form, self.task_form):
            form.edited.connect(self._edited)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.revert_button = QPushButton("Revert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._select)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.stack)
        right.addWidget(scroll, 1)
        right.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        right.addLayout(row)

        splitter = QSplitter()
        for layout in (left, right):
            holder = QWidget()
            holder.setLayout(layout)
            splitter.addWidget(holder)
        splitter.setSizes([420, 520])
        QVBoxLayout(self).addWidget(splitter)
        bus.changed.connect(self._changed)
        self._edited()
        self.reload()

    # Reading

    def reload(self) -> None:
        self._runner.read(self._catalog.view, self._loaded, self._failed, owner=self)

    def _changed(self, areas: frozenset[str]) -> None:
        if areas & {PROJECTS, SETTINGS, ENTRIES}:
            self.reload()

    def _loaded(self, view: CatalogView) -> None:
        self.view = view
        self._fill()
        self.loaded.emit()

    def _fill(self) -> None:
        if self.view is None:
            return
        view, show_all = self.view, self.show_archived.isChecked()
        self.tree.blockSignals(True)
        self.tree.clear()
        self._items.clear()
        for client in view.clients:
            cid = client.billing.client_id
            gone = cid in view.archived_clients
            if gone and not show_all:
                continue
            rate = f"{client.rate} {client.billing.currency or ''}".strip() if client.rate is not None else ""
            item = self._item(self.tree, (Kind.CLIENT, cid), client.billing.client_name, gone, rate)
            for summary in view.projects_of(cid):
                if summary.project.archived and not show_all:
                    continue
                budget = f"{summary.budget_share:.0%}" if summary.budget_share is not None else ""
                child = self._item(item, (Kind.PROJECT, summary.project.id), summary.project.name,
                                   summary.project.archived, _amount(summary.rates.rate), budget)
                for task in summary.tasks:
                    if show_all or not task.archived:
                        self._item(child, (Kind.TASK, task.task.id), task.task.name, task.archived,
                                   _amount(task.rates.rate))
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if self._selected in self._items:
            self.tree.setCurrentItem(self._items[self._selected])
        self._select()

    def _item(self, parent: Any, key: Selected, name: str, archived: bool, *columns: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [f"{name} (archived)" if archived else name, *columns])
        item.setData(0, ROLE, key)
        self._items[key] = item
        return item

    def _find(self, key: Selected | None) -> ClientSummary | ProjectSummary | TaskSummary | None:
        if self.view is None or key is None:
            return None
        kind, row_id = key
        if kind is Kind.CLIENT:
            return next((c for c in self.view.clients if c.billing.client_id == row_id), None)
        projects = self.view.projects
        if kind is Kind.PROJECT:
            return next((p for p in projects if p.project.id == row_id), None)
        return next((t for p in projects for t in p.tasks if t.task.id == row_id), None)

    def _select(self) -> None:
        item = self.tree.currentItem()
        key = item.data(0, ROLE) if item is not None else None
        form = self.stack.currentWidget()
        if key != self._selected and isinstance(form, BillingForm) and form.changes():
            answer = self.ask_unsaved(self.heading.text())
            if answer == "cancel" and self._selected in self._items:
                self.tree.blockSignals(True)
                self.tree.setCurrentItem(self._items[self._selected])
                self.tree.blockSignals(False)
                return
            if answer == "save":
                self.save()
        if key != self._selected:
            self.status.setText("")
        self._selected = key
        found = self._find(key)
        if isinstance(found, ClientSummary):
            self.client_form.show_client(found)
            self._show(self.client_form, f"Client {found.billing.client_name}")
        elif isinstance(found, ProjectSummary):
            self.project_form.show_project(found)
            self._show(self.project_form, f"Project {found.project.path}")
        elif isinstance(found, TaskSummary):
            self.task_form.show_task(found)
            self._show(self.task_form, f"Task {found.task.name} of {self._project(found.task.project_id).path}")
        else:
            self._show(self.empty, "Clients & projects" if self.view and self.view.clients else "No clients yet")
        archived = self._archived(self._selected)
        self.buttons["archive"].setText("Restore" if archived else "Archive")
        for key in ("rename", "archive", "project"):
            self.buttons[key].setEnabled(found is not None)
        self.buttons["task"].setEnabled(isinstance(found, ProjectSummary | TaskSummary))

    def _show(self, widget: QWidget, heading: str) -> None:
        self.stack.setCurrentWidget(widget)
        self.heading.setText(heading)
        self._edited()

    def _archived(self, key: Selected | None) -> bool:
        found = self._find(key)
        if isinstance(found, ClientSummary):
            return self.view is not None and found.billing.client_id in self.view.archived_clients
        if isinstance(found, ProjectSummary):
            return found.project.archived
        return isinstance(found, TaskSummary) and found.archived

    def _project(self, project_id: int) -> Any:
        return next(p.project for p in self.view.projects if p.project.id == project_id)  # type: ignore[union-attr]

    def _edited(self) -> None:
        form = self.stack.currentWidget()
        dirty = isinstance(form, BillingForm) and bool(form.changes())
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    # Writing

    def save(self) -> None:
        """Send what changed in the visible form to the billing service, which validates it whole first."""
        found, form = self._find(self._selected), self.stack.currentWidget()
        if not isinstance(form, BillingForm) or found is None:
            return
        changes = form.changes()
        if isinstance(found, ClientSummary):
            name = found.billing.client_name
            self._write(lambda: self._billing.set_client(name, create=False, **changes), f"Saved {name}.")
        elif isinstance(found, ProjectSummary):
            path = found.project.path
            self._write(lambda: self._billing.set_project(path, **changes), f"Saved {path}.")
        elif isinstance(found, TaskSummary):
            path, task = self._project(found.task.project_id).path, found.task.name
            self._write(lambda: self._billing.set_project(path, task=task, **changes), f"Saved {path} · {task}.")

    def create_client(self, name: str) -> None:
        def add() -> None:
            self._selected = (Kind.CLIENT, self._catalog.add_client(name))
        self._write(add, f"Created client {' '.join(name.split())}.")

    def create_project(self, name: str) -> None:
        found = self._find(self._selected)
        client = self._client_name(found)
        if client is None:
            self._failed_text("Pick the client the project is for first.")
            return

        def add() -> None:
            self._selected = (Kind.PROJECT, self._catalog.add_project(client, name).id)
        self._write(add, f"Created project {client}/{' '.join(name.split())}.")

    def create_task(self, name: str) -> None:
        found = self._find(self._selected)
        project_id = found.project.id if isinstance(found, ProjectSummary) else (
            found.task.project_id if isinstance(found, TaskSummary) else None)
        if project_id is None:
            self._failed_text("Pick the project the task belongs to first.")
            return

        def add() -> None:
            self._selected = (Kind.TASK, self._catalog.add_task(project_id, name).id)
        self._write(add, f"Created task {' '.join(name.split())}.")

    def rename_selected(self, name: str) -> None:
        if self._selected is None:
            return
        kind, row_id = self._selected
        self._write(lambda: self._catalog.rename(kind, row_id, name), f"Renamed the {kind} to {name.strip()}.")

    def toggle_archived(self) -> None:
        if self._selected is None:
            return
        kind, row_id = self._selected
        archive = not self._archived(self._selected)
        self._write(lambda: self._catalog.archive(kind, row_id, archive),
                    f"{'Archived' if archive else 'Restored'} the {kind}; "
                    + ("pickers no longer offer it." if archive else "pickers offer it again."))

    def _client_name(self, found: object) -> str | None:
        if isinstance(found, ClientSummary):
            return found.billing.client_name
        if isinstance(found, ProjectSummary):
            return found.project.client_name
        if isinstance(found, TaskSummary):
            return str(self._project(found.task.project_id).client_name)
        return None

    def _write(self, job: Callable[[], object], done: str) -> None:
        self.save_button.setEnabled(False)

        def ok(finished: Changed[object]) -> None:
            self.status.setStyleSheet("")
            self._bus.publish(finished.changes)
            self.status.setText(done)
            self.saved.emit(done)

        self._runner.write(recorded(job), ok, self._failed, owner=self)

    def _failed(self, error: BaseException) -> None:
        self._failed_text(user_message(error))
        self._edited()

    def _failed_text(self, text: str) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(text)
        self.failed.emit(text)

    def _selected_name(self) -> str:
        item = self.tree.currentItem()
        return item.text(0).removesuffix(" (archived)") if item is not None else ""

    def _open(self, dialog: QWidget) -> None:
        self.dialogs.append(dialog)
        dialog.show()

    def _ask_unsaved(self, heading: str) -> str:
        """"save", "discard" or "cancel" for the changes not saved yet on the form being left."""
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(self, "Unsaved changes", f"Save the changes to {heading}?",
                                      buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def _ask(self, title: str, label: str, then: Callable[[str], None], text: str = "") -> None:
        name, ok = QInputDialog.getText(self, title, label, text=text)
        if ok and name.strip():
            then(name)


def _amount(amount: object) -> str:
    return "" if amount is None else str(amount)
