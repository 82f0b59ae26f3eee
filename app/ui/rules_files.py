"""Import and export of the rules file from the rules editor: an import replaces every rule (checked whole first,
and a file without rules removes them only once the user says so); an export writes what the editor shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.classify.rules import Rule
from app.classify.ruleset_file import dumps
from app.classify.service import ClassifierService, WouldRemoveAll
from app.ui.events import ChangeBus, Changed, recorded
from app.ui.tasks import TaskRunner


class RulesFiles:
    """Mixed into the editor (a QDialog), which provides the attributes below."""

    _classifier: ClassifierService
    _runner: TaskRunner
    _bus: ChangeBus
    rules: list[Rule]
    reload: Callable[[], None]
    _say: Callable[..., None]
    _fail: Callable[[BaseException], None]

    def import_from(self, path: Path, replace_all: bool = False) -> None:
        """Replace every rule with the file's (checked first: a bad file changes nothing); a file without rules
        removes them all only once the user says so."""
        classifier = self._classifier

        def imported(done: Changed[list[Rule]]) -> None:
            self._bus.publish(done.changes)
            self._say(f"Imported {len(done.value)} rules from {path.name}.")
            self.reload()

        def refused(error: BaseException) -> None:
            if isinstance(error, WouldRemoveAll) and self.confirm_remove_all(path, error.count):
                self.import_from(path, replace_all=True)
            elif isinstance(error, WouldRemoveAll):
                self._say(f"Nothing was imported: {path.name} holds no rules, and yours were kept.")
            else:
                self._fail(error)

        self._runner.write(recorded(lambda: classifier.import_file(path, replace_all)), imported, refused,
                           owner=cast(QWidget, self))

    def confirm_remove_all(self, path: Path, count: int) -> bool:
        answer = QMessageBox.question(
            cast(QWidget, self), "Remove every rule?",
            f"{path.name} holds no rules. Importing it removes all {count} of your rules. Remove them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_to(self, path: Path) -> None:
        """The rules as the dialog shows them, saved or not."""
        text, said = dumps(self.rules), f"Exported {len(self.rules)} rules to {path}."
        self._runner.write(lambda: path.write_text(text, encoding="utf-8"), lambda _: self._say(said), self._fail,
                           owner=cast(QWidget, self))

    def _ask_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(cast(QWidget, self), "Import rules (replaces the current rules)", "",
                                              "Rules (*.toml)")
        if name:
            self.import_from(Path(name))

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(cast(QWidget, self), "Export rules", "rules.toml", "Rules (*.toml)")
        if name:
            self.export_to(Path(name).with_suffix(".toml"))
