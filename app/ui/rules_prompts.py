"""What the rules editor asks and offers around an edit: client and project names completed from existing ones,
a question before a rule names a client or project that does not exist yet, and one before unsaved edits are
dropped."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QMessageBox, QWidget

from app.classify.rules import Rule
from app.domain.models import Project


def new_names(rules: Sequence[Rule], projects: Sequence[Project]) -> list[str]:
    """`Client / Project` of rules whose client or project does not exist (templates like `$1` are left out)."""
    known = {(p.client_name.casefold(), p.name.casefold()) for p in projects}
    found = []
    for rule in rules:
        o = rule.outcome
        if not o.client or not o.project or "$" in o.client + o.project:
            continue
        if (o.client.casefold(), o.project.casefold()) not in known:
            name = f"{o.client} / {o.project}"
            if name not in found:
                found.append(name)
    return found


def complete(line: QLineEdit, words: Sequence[str]) -> None:
    completer = QCompleter(sorted(set(words), key=str.casefold), line)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    line.setCompleter(completer)


def ask_new_names(parent: QWidget, names: Sequence[str]) -> bool:
    listed = "\n".join(f"• {name}" for name in names)
    answer = QMessageBox.question(
        parent, "New clients or projects",
        f"These rules send time to clients or projects that do not exist yet:\n{listed}\n\nThey are created when "
        "you accept time proposed for them. Save the rules?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Save


def ask_unsaved(parent: QWidget) -> str:
    """"save", "discard" or "cancel"."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, "Unsaved rule changes", "Save your changes to the rules before closing?",
                                  buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")
