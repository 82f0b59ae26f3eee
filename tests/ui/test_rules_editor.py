"""The rules editor: order by dragging, edit with a live preview over the last four weeks, test a title,
save, import and export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from app.classify.ruleset_file import loads
from app.core import Core
from app.domain.models import Span
from app.store.spans import SpanStore
from app.ui.events import ChangeBus
from app.ui.rules_editor import RulesEditor
from app.ui.tasks import TaskRunner

RULES = """
version = 1

[[rule]]
name = "Acme web"
client = "Acme Corp"
project = "Website"
all = [{ field = "title", contains = "acme-web" }]

[[rule]]
name = "Globex"
client = "Globex"
project = "Support"
all = [{ field = "title", contains = "GLX-" }]

[[rule]]
name = "Everything code"
client = "Us"
project = "Internal"
all = [{ field = "app", equals = "code" }]

[[rule]]
name = "Weekday calls"
client = "Us"
project = "Meetings"
weekdays = ["mon-fri"]
all = [{ field = "app", equals = "zoom" }]
"""


@pytest.fixture
def editor(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> Iterator[RulesEditor]:
    core.classifier.replace_rules(loads(RULES))
    now = datetime.now(UTC).timestamp()
    SpanStore(core.db).add_many([
        Span(now - 7200, now - 3600, "code", "main.py - acme-web - Code"),
        Span(now - 3600, now - 1800, "firefox", "GLX-12 Login broken - Zendesk"),
        Span(now - 1800, now - 600, "firefox", "Weather - Firefox"),
    ])
    core.projects.add_project("Acme Corp/Website")
    dialog = RulesEditor(core.classifier, runner, bus, projects=core.projects.projects)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.rules) == 4 and runner.idle())
    dialog.ask_new_names = lambda names: True
    dialog.ask_unsaved = lambda: "discard"  # pytest-qt closes the dialog before this fixture ends
    yield dialog
    dialog.ask_unsaved = lambda: "discard"
    dialog.reject()
    qtbot.waitUntil(runner.idle)


def names(editor: RulesEditor) -> list[str]:
    return [r.name for r in editor.rules]


def test_lists_rules_in_order_and_drag_reorders(editor: RulesEditor, qtbot: QtBot, core: Core,
                                                runner: TaskRunner) -> None:
    assert editor.list.item(0).text() == "1. Acme web  →  Acme Corp / Website"
    editor.list.setCurrentRow(3)
    assert [box.isChecked() for box in editor.form.days] == [True] * 5 + [False] * 2
    editor.list.setCurrentRow(0)
    assert editor.list.model().moveRow(QModelIndex(), 1, QModelIndex(), 0)
    assert names(editor) == ["Globex", "Acme web", "Everything code", "Weekday calls"]
    assert editor.list.item(0).text().startswith("1. Globex")
    with qtbot.waitSignal(editor.saved):
        editor.save_button.click()
    assert [r.name for r in core.classifier.rules()] == ["Globex", "Acme web", "Everything code", "Weekday calls"]


def test_editing_shows_a_live_preview_and_checks_the_rule(editor: RulesEditor, qtbot: QtBot) -> None:
    editor.list.setCurrentRow(1)
    pattern = editor.form.table.cellWidget(0, 2)
    assert isinstance(pattern, QLineEdit)
    with qtbot.waitSignal(editor.previewed, timeout=5000) as shown:
        pattern.setText("Weather")
    preview = shown.args[0]
    assert preview.matched_seconds == pytest.approx(1200, abs=2)
    assert "Weather - Firefox" in editor.samples.item(0).text()
    assert "0:20" in editor.preview_text.text()
    assert editor.rules[1].when.items[0].pattern == "Weather"
    matcher = editor.form.table.cellWidget(0, 1)
    matcher.setCurrentText("regex")  # type: ignore[union-attr]
    pattern.setText("(unclosed")
    assert editor.form.problem.text() and editor.rules[1].when.items[0].pattern == "Weather"


def test_a_typed_title_is_tested_against_the_rule_and_the_order(editor: RulesEditor) -> None:
    editor.list.setCurrentRow(2)
    editor.test_app.setText("code")
    editor.test_title.setText("notes.md - acme-web - Code")
    text = editor.test_result.text()
    assert "This rule matches" in text and "Us / Internal" in text and "“Acme web” claims it first" in text
    editor.test_app.setText("firefox")
    assert "does not match" in editor.test_result.text()


def test_new_delete_export_and_import(editor: RulesEditor, qtbot: QtBot, tmp_path: Path, core: Core,
                                      runner: TaskRunner) -> None:
    editor.new_rule()
    assert names(editor)[-1] == "New rule 1" and editor.list.currentRow() == 4
    editor.delete_rule()
    editor.list.setCurrentRow(0)
    editor.delete_rule()
    path = tmp_path / "rules.toml"
    editor.export_to(path)
    qtbot.waitUntil(lambda: path.exists() and runner.idle())
    assert [r.name for r in loads(path.read_text())] == ["Globex", "Everything code", "Weekday calls"]
    with qtbot.waitSignal(editor.loaded):
        editor.import_from(path)
    assert names(editor) == ["Globex", "Everything code", "Weekday calls"]
    assert [r.name for r in core.classifier.rules()] == ["Globex", "Everything code", "Weekday calls"]
    bad = tmp_path / "bad.toml"
    bad.write_text("version = 1\n[[rule]]\nname = 3\n")
    editor.import_from(bad)
    qtbot.waitUntil(lambda: "rule" in editor.status.text().lower() and runner.idle())
    assert [r.name for r in core.classifier.rules()] == ["Globex", "Everything code", "Weekday calls"]


def test_importing_a_file_without_rules_asks_before_removing_them_all(
        editor: RulesEditor, qtbot: QtBot, tmp_path: Path, core: Core, runner: TaskRunner,
        monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("version = 1\n")
    asked: list[int] = []
    monkeypatch.setattr(editor, "confirm_remove_all", lambda path, count: asked.append(count) or False)
    editor.import_from(empty)
    qtbot.waitUntil(lambda: "yours were kept" in editor.status.text() and runner.idle())
    assert asked == [4] and len(core.classifier.rules()) == 4
    monkeypatch.setattr(editor, "confirm_remove_all", lambda path, count: asked.append(count) or True)
    with qtbot.waitSignal(editor.loaded):
        editor.import_from(empty)
    assert asked == [4, 4] and core.classifier.rules() == [] and names(editor) == []


def test_a_new_rule_starts_empty_with_placeholders(editor: RulesEditor, qtbot: QtBot, core: Core,
                                                  runner: TaskRunner) -> None:
    editor.new_rule()
    form = editor.form
    assert (form.client.text(), form.project.text()) == ("", "")
    assert form.client.placeholderText() == "e.g. Acme Corp" and form.project.placeholderText() == "e.g. Website"
    pattern = form.table.cellWidget(0, 2)
    assert isinstance(pattern, QLineEdit) and pattern.text() == "" and pattern.placeholderText()
    assert "client and project" in form.problem.text()
    assert form.table.minimumHeight() >= 130
    completer = form.client.completer()
    assert completer is not None and completer.model().data(completer.model().index(0, 0)) == "Acme Corp"


def test_weekday_and_hour_limits_are_edited_in_the_form(editor: RulesEditor, qtbot: QtBot, core: Core,
                                                         runner: TaskRunner) -> None:
    editor.list.setCurrentRow(0)
    editor.form.days[5].setChecked(True)
    editor.form.hours.setText("09:00-12:30, 13:30-18:00")
    assert editor.rules[0].weekdays == frozenset({5})
    assert editor.rules[0].hours == ((540, 750), (810, 1080))
    editor.form.hours.setText("9-5")
    assert "is not a range like" in editor.form.problem.text()
    with qtbot.waitSignal(editor.saved):
        editor.save()
    assert core.classifier.rules()[0].hours == ((540, 750), (810, 1080))


def test_saving_asks_before_a_rule_names_a_new_client_or_project(editor: RulesEditor, qtbot: QtBot, core: Core,
                                                                  runner: TaskRunner) -> None:
    asked: list[list[str]] = []
    editor.ask_new_names = lambda names: asked.append(list(names)) is not None and False
    editor.save()
    qtbot.waitUntil(runner.idle)
    assert asked == [["Globex / Support", "Us / Internal", "Us / Meetings"]]
    assert "Not saved" in editor.status.text()


def test_closing_with_unsaved_changes_asks(editor: RulesEditor, qtbot: QtBot, core: Core,
                                           runner: TaskRunner) -> None:
    editor.list.setCurrentRow(0)
    editor.form.name.setText("Acme website")
    answers = ["cancel", "save"]
    editor.ask_unsaved = lambda: answers.pop(0)
    editor.reject()
    assert editor.isVisible() and answers == ["save"]
    with qtbot.waitSignal(editor.saved):
        editor.reject()
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert core.classifier.rules()[0].name == "Acme website"


def test_starter_rules_are_added_after_the_users_own(editor: RulesEditor, qtbot: QtBot, runner: TaskRunner) -> None:
    editor.add_starter_rules()
    qtbot.waitUntil(lambda: len(editor.rules) > 4 and runner.idle())
    assert names(editor)[:4] == ["Acme web", "Globex", "Everything code", "Weekday calls"]
    assert "Lock screens and screensavers" in names(editor) and editor.unsaved()
    count = len(editor.rules)
    editor.add_starter_rules()
    qtbot.waitUntil(lambda: "already" in editor.status.text())
    assert len(editor.rules) == count


def test_a_new_rule_being_typed_shows_no_stale_error(editor: RulesEditor, qtbot: QtBot) -> None:
    """Its empty pattern cannot be previewed yet: the preview says so, and the first preview that works replaces it."""
    editor.new_rule()
    qtbot.waitUntil(lambda: editor.preview_text.text().startswith("No preview yet: "), timeout=5000)
    assert editor.status.text() == ""
    pattern = editor.form.table.cellWidget(0, 2)
    assert isinstance(pattern, QLineEdit)
    with qtbot.waitSignal(editor.previewed, timeout=5000):
        pattern.setText("acme-web")
    assert editor.preview_text.text().startswith("Matches") and editor.status.text() == ""
