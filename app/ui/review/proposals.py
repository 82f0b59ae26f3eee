"""The chosen day's proposals (with the rule that produced each) and entries, and what can be done to them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.instants import Instant, entry_span, instant, moment
from app.domain.models import Entry, EntryStatus
from app.domain.timefmt import format_duration, utcnow
from app.timesheet.week import DayTimeline, ProposalItem, WeekReview
from app.ui.entry_dialog import EntryDialog
from app.ui.review.dialogs import ask_time
from app.ui.review.learned import status_text, style_learned
from app.ui.review.state import ReviewModel
from app.ui.review.timeline import project_colour

COLUMNS = ("Time", "Duration", "Project / task", "Description", "Rule / status")
PROPOSED = QColor(90, 98, 112)


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


class DayItemsPanel(QWidget):
    """Proposals in italics with their rule, then the day's entries; several can be selected to merge or approve."""

    def __init__(self, model: ReviewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.day: DayTimeline | None = None
        self.heading = QLabel("Proposals and entries")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.tree = QTreeWidget()
        self.tree.setObjectName("dayItems")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.tree.header()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit())
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        for text, slot, tip in (
            ("A&ccept", self.accept, "Turn the selected proposals into draft entries (Ctrl+Return)"),
            ("Accept a&ll", self.accept_all, "Accept every proposal of the week"),
            ("&Reject", self.reject, "Hide the selected proposals (Delete)"),
            ("&Edit…", self.edit, "Change project, description or times"),
            ("S&plit…", self.split, "Cut the selected proposal or entry in two at a time"),
            ("&Merge", self.merge, "Join the selected proposals and entries into one entry"),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[text.replace("&", "").rstrip("…")] = button
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self._update_buttons()

    def show_day(self, review: WeekReview, index: int) -> None:
        self.day = review.timelines[index]
        selected = {self._key(i) for i in self.selected()}
        self.tree.clear()
        day = self.day
        self.heading.setText(f"{day.day:%A %d %B}: {_count(len(day.proposals), 'proposal')}, "
                             f"{_count(len(day.entries), 'entry', 'entries')} · "
                             + (f"{_count(len(review.proposals), 'proposal')} this week" if review.activity
                                else "reading captured activity…"))
        items: list[tuple[Instant, ProposalItem | Entry]] = [(p.start, p) for p in day.proposals]
        items += [(instant(e.start), e) for e in day.entries]
        now = instant(utcnow())
        for _, thing in sorted(items, key=lambda pair: pair[0]):
            row = QTreeWidgetItem(self._cells(thing, now))
            row.setData(0, Qt.ItemDataRole.UserRole, thing)
            colour = project_colour(thing.project_path or "")
            row.setForeground(2, QBrush(colour.darker(130)))
            if isinstance(thing, ProposalItem):
                font = QFont(self.tree.font())
                font.setItalic(True)
                for column in range(len(COLUMNS)):
                    row.setFont(column, font)
                    if column != 2:
                        row.setForeground(column, QBrush(PROPOSED))
                row.setToolTip(4, thing.why)
                seen = "\n".join(thing.titles)
                row.setToolTip(3, f"Windows seen (they stay on this computer):\n{seen}" if seen else thing.description)
                if thing.learned:
                    style_learned(row, thing, len(COLUMNS), 2)
            self.tree.addTopLevelItem(row)
            row.setSelected(self._key(thing) in selected)
        for column in (0, 1, 2, 4):
            self.tree.resizeColumnToContents(column)
        self._update_buttons()

    @staticmethod
    def _key(thing: ProposalItem | Entry) -> str:
        return thing.key if isinstance(thing, ProposalItem) else f"entry:{thing.id}"

    @staticmethod
    def _cells(thing: ProposalItem | Entry, now: float) -> list[str]:
        if isinstance(thing, ProposalItem):
            start, end = thing.start, thing.end
            return [f"{moment(start, None):%H:%M}–{moment(end, None):%H:%M}",
                    format_duration(int(end - start)), thing.label, thing.description or "(no description)",
                    f"Rule: {thing.rule}" if thing.rule else status_text(thing) if thing.learned
                    else "Away time dropped from the timer"]
        start, end = entry_span(thing, now)
        until = "now" if thing.end is None else f"{thing.end.astimezone():%H:%M}"
        status = "running" if thing.running else str(thing.status).capitalize()
        return [f"{thing.start.astimezone():%H:%M}–{until}", format_duration(int(end - start)),
                thing.project_path or "No project", thing.description or "(no description)",
                status + (" · locked" if thing.locked else "")]

    def selected(self) -> list[ProposalItem | Entry]:
        return [i.data(0, Qt.ItemDataRole.UserRole) for i in self.tree.selectedItems()]

    def selected_proposals(self) -> list[ProposalItem]:
        return [t for t in self.selected() if isinstance(t, ProposalItem)]

    def selected_entries(self) -> list[Entry]:
        return [t for t in self.selected() if isinstance(t, Entry)]

    def select(self, thing: ProposalItem | Entry) -> None:
        key = self._key(thing)
        for n in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(n)
            if row is not None and self._key(row.data(0, Qt.ItemDataRole.UserRole)) == key:
                self.tree.setCurrentItem(row)
                return

    def _update_buttons(self) -> None:
        proposals, entries = self.selected_proposals(), self.selected_entries()
        editable = [e for e in entries if e.status is EntryStatus.DRAFT]
        self.buttons["Accept"].setEnabled(bool(proposals))
        self.buttons["Reject"].setEnabled(bool(proposals))
        self.buttons["Edit"].setEnabled(len(proposals) + len(editable) == 1 and not (entries and proposals))
        self.buttons["Split"].setEnabled(len(proposals) + len(editable) == 1 and len(entries) == len(editable))
        self.buttons["Merge"].setEnabled(len(proposals) + len(entries) >= 2 and len(editable) == len(entries))
        review = self.model.review
        self.buttons["Accept all"].setEnabled(bool(review and review.proposals))

    # Actions

    def accept(self) -> None:
        if self.selected_proposals():
            self.model.accept(self.selected_proposals())

    def accept_all(self) -> None:
        self.model.accept_all()

    def reject(self) -> None:
        if self.selected_proposals():
            self.model.reject(self.selected_proposals())

    def edit(self) -> None:
        selected = self.selected()
        if len(selected) != 1:
            return
        thing = selected[0]
        review = self.model.review
        projects = review.projects if review else ()
        tasks = review.tasks if review else {}
        if isinstance(thing, ProposalItem):
            project = next((p for p in projects if p.path == thing.project_path), None)
            task = next((t for t in tasks.get(project.id, ()) if t.name == thing.task), None) if project else None
            draft = Entry(0, moment(thing.start), moment(thing.end), thing.description, project.id if project else None,
                          thing.project_path, task.id if task else None)
            dialog = EntryDialog(projects, draft, utcnow(), self, tasks)
            dialog.setWindowTitle(f"Edit proposal ({thing.rule or 'away time'})")
            dialog.submitted.connect(lambda v: (self.model.accept_edited(thing, v), dialog.accept()))
        elif thing.locked:
            QMessageBox.information(self, "Locked", "Approved entries are locked; unlock one from the grid "
                                    "(double-click its cell) with a reason first.")
            return
        else:
            dialog = EntryDialog(projects, thing, utcnow(), self, tasks)
            dialog.submitted.connect(lambda v: (self.model.edit_entry(thing.id, v), dialog.accept()))
        dialog.open()

    def split(self) -> None:
        selected = self.selected()
        if len(selected) != 1:
            return
        thing = selected[0]
        if isinstance(thing, ProposalItem):
            at = ask_time(self, "Split proposal", moment(thing.start), moment(thing.end))
            if at is not None:
                self.model.split_proposal(thing, at)
        elif thing.end is not None:
            at = ask_time(self, "Split entry", thing.start, thing.end)
            if at is not None:
                self.model.split_entry(thing.id, at)

    def merge(self) -> None:
        self.model.merge([e.id for e in self.selected_entries()], self.selected_proposals())
