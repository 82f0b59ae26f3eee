"""Which project a range dragged across the timeline goes to, and how much of the range that takes.

The project list ends with "New project…". The dialog says what the range takes (its active time that no entry
holds and no rule sends elsewhere, never after now) and changes with the chosen project."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QInputDialog, QLabel, QLineEdit, QWidget

from app.domain.instants import instant, moment
from app.domain.models import Entry, Project
from app.timesheet.assign_range import Take, take
from app.timesheet.week import Block
from app.ui.entry_dialog import project_combo

NEW_PROJECT = -1


class AssignDialog(QDialog):
    def __init__(self, projects: Sequence[Project], start: float, end: float, parent: QWidget | None = None, *,
                 blocks: Sequence[Block] = (), entries: Sequence[Entry] = (), now: float | None = None,
                 create_project: Callable[[str, Callable[[Project], None]], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign time to a project")
        self.setMinimumWidth(480)  # room for the title and a long project path
        self._projects, self._blocks, self._entries = list(projects), blocks, entries
        self._now = now if now is not None else instant(datetime.now(UTC))
        self._start, self._end = start, end
        self._create = create_project
        self.ask_name: Callable[[], str | None] = self._ask_name
        shown_end = min(end, self._now)
        a, b = (moment(t, None) for t in (start, shown_end))
        until = " (until now)" if end > self._now else ""
        self.project = project_combo(projects, None)
        self.project.removeItem(0)  # a range is assigned to a project, never to none
        if create_project is not None:
            self.project.addItem("New project…", NEW_PROJECT)
        self.description = QLineEdit()
        self.description.setPlaceholderText("What was it? (optional)")
        self.takes = QLabel()
        self.takes.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>{a:%a %d %b, %H:%M}–{b:%H:%M}</b>{until}"))
        form.addRow("&Project", self.project)
        form.addRow("&Description", self.description)
        form.addRow(self.takes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.assign_button = buttons.addButton("&Assign", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.project.currentIndexChanged.connect(self._project_chosen)
        self._update()

    def chosen(self) -> Project | None:
        return next((p for p in self._projects if p.id == self.project.currentData()), None)

    def take(self) -> Take:
        return take(self._start, self._end, self._blocks, self._entries, self.chosen(), self._now)

    def pieces(self) -> list[tuple[datetime, datetime]]:
        return [(moment(a), moment(b)) for a, b in self.take().pieces]

    def _update(self) -> None:
        taken = self.take()
        self.takes.setText(taken.sentence())
        self.assign_button.setEnabled(self.chosen() is not None and bool(taken.pieces))

    def _project_chosen(self) -> None:
        if self.project.currentData() != NEW_PROJECT or self._create is None:
            self._update()
            return
        name = self.ask_name()
        self.project.setCurrentIndex(0)
        if name:
            self.takes.setText(f"Creating {name}…")
            self._create(name, self.add_project)

    def add_project(self, project: Project) -> None:
        """A project made meanwhile: offered and chosen."""
        self._projects.append(project)
        self.project.insertItem(self.project.count() - 1, project.path, project.id)
        self.project.setCurrentIndex(self.project.findData(project.id))
        self._update()

    def _ask_name(self) -> str | None:
        name, ok = QInputDialog.getText(self, "New project", "Client/Project, e.g. Acme Corp/Website:")
        return name.strip() if ok and name.strip() else None
