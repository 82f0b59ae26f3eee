"""Preferences: General edits every declared option by type; refused values write nothing; pages plug in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from app.core import Core
from app.option_registry import OPTIONS
from app.ui.accounts_page import AccountsPage
from app.ui.events import ACCOUNTS, SETTINGS, ChangeBus
from app.ui.settings_dialog import NOT_IN_FORMS, OptionsPage, SettingsDialog, option_groups, page_title
from app.ui.tasks import TaskRunner


def general(dialog: SettingsDialog) -> OptionsPage:
    assert dialog.general is not None
    return dialog.general


def open_dialog(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot, **kw: object) -> SettingsDialog:
    dialog = SettingsDialog(core.settings, runner, bus, projects=core.projects.projects, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled)
    return dialog


def test_general_page_has_an_editor_for_every_option(
    core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot
) -> None:
    core.projects.add_project("Acme/Web")
    dialog = open_dialog(core, runner, bus, qtbot)
    editors = {key: e for page in dialog.option_pages for key, e in page.editors.items()}
    assert set(editors) == set(OPTIONS) - NOT_IN_FORMS
    assert dialog.titles()[0] == "General"
    assert set(general(dialog).editors) >= {"timer.long_running_hours", "app.liveness_seconds"}
    assert isinstance(editors["timer.long_running_hours"].widget, QDoubleSpinBox)
    assert isinstance(editors["app.liveness_seconds"].widget, QSpinBox)
    assert isinstance(editors["ui.show_window_at_start"].widget, QCheckBox)
    week = editors["review.week_start"].widget
    assert isinstance(week, QComboBox) and week.currentText() == "Monday"
    default_project = editors["timer.default_project_id"].widget
    assert isinstance(default_project, QComboBox)
    assert [default_project.itemText(i) for i in range(default_project.count())] == ["None", "Acme/Web"]
    values = {key: e.get_value() for key, e in editors.items()}
    assert values == {k: v for k, v in core.settings.all().items() if k not in NOT_IN_FORMS}


def test_saving_writes_the_values_and_announces_them(
    core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot
) -> None:
    project = core.projects.add_project("Acme/Web")
    dialog = open_dialog(core, runner, bus, qtbot)
    editors = general(dialog).editors
    editors["timer.long_running_hours"].set_value(6.5)
    editors["review.week_start"].set_value(6)
    editors["ui.show_window_at_start"].set_value(True)
    default_project = editors["timer.default_project_id"].widget
    assert isinstance(default_project, QComboBox)
    default_project.setCurrentIndex(default_project.findData(project.id))
    with qtbot.waitSignal(bus.changed) as changed, qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    assert changed.args == [frozenset({SETTINGS})]
    assert core.settings.get("timer.long_running_hours") == 6.5
    assert core.settings.get("review.week_start") == 6
    assert core.settings.get("ui.show_window_at_start") is True
    assert core.settings.get("timer.default_project_id") == project.id


def test_a_refused_value_writes_nothing(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    dialog = open_dialog(core, runner, bus, qtbot)
    general(dialog).editors["timer.long_running_hours"].set_value(12.0)
    general(dialog).editors["app.liveness_seconds"].set_value(1)
    dialog.save_button.click()
    assert not dialog.error.isHidden()
    assert "app.liveness_seconds" in dialog.error.text()
    assert dialog.isVisible()
    qtbot.waitUntil(runner.idle)
    assert core.settings.get("timer.long_running_hours") == 8.0


def test_options_are_grouped_into_pages() -> None:
    groups = option_groups()
    assert next(iter(groups)) == "General"
    assert "app.liveness_seconds" in groups["General"]
    assert page_title("capture.idle_seconds") == "Capture"
    assert page_title("classify.minimum_seconds") == "Classification"
    assert sorted(k for keys in groups.values() for k in keys) == sorted(set(OPTIONS) - NOT_IN_FORMS)


def test_extra_pages_plug_in(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    accounts = QLabel("Connected accounts")
    dialog = open_dialog(core, runner, bus, qtbot, pages=[("Accounts", accounts)])
    assert dialog.titles()[0] == "General"
    assert dialog.titles()[-1] == "Accounts"
    dialog.page_list.setCurrentRow(len(dialog.titles()) - 1)
    assert accounts.isVisible()
    assert not general(dialog).isVisible()


def test_a_page_with_a_group_title_replaces_that_group(
    core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot
) -> None:
    groups = list(option_groups())
    assert len(groups) > 1, "needs a second option group"
    richer = QLabel("a richer page")
    dialog = open_dialog(core, runner, bus, qtbot, pages=[(groups[1], richer)])
    assert dialog.titles() == groups
    assert groups[1] not in [p.title for p in dialog.option_pages]
    dialog.page_list.setCurrentRow(1)
    assert richer.isVisible()


def test_a_closed_accounts_page_no_longer_reads_the_accounts_on_changes(
    runner: TaskRunner, bus: ChangeBus, qtbot: QtBot
) -> None:
    """Preferences builds the page afresh each time it opens: the pages it dropped must stop listening."""
    reads: list[int] = []

    class Accounts:
        def status(self) -> list[object]:
            reads.append(1)
            return []

    page = AccountsPage(Accounts(), runner, bus)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: len(reads) == 1)
    bus.announce(ACCOUNTS)
    qtbot.waitUntil(lambda: len(reads) == 2)
    with qtbot.waitSignal(page.destroyed):
        page.deleteLater()
    bus.announce(ACCOUNTS)
    qtbot.waitUntil(runner.idle)
    assert len(reads) == 2


def test_choices_are_drop_downs_shortcuts_are_recorded_and_numbers_have_units(
    core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot
) -> None:
    dialog = open_dialog(core, runner, bus, qtbot)
    editors = {key: e for page in dialog.option_pages for key, e in page.editors.items()}
    status = editors["sync.invoice_status"].widget
    assert isinstance(status, QComboBox)
    assert [status.itemData(i) for i in range(status.count())] == ["DRAFT", "AUTHORISED"]
    for key in ("quickbooks.mode", "quickbooks.worker_type", "billing.amounts_are", "billing.grouping",
                "billing.rounding", "billing.currency"):
        assert isinstance(editors[key].widget, QComboBox), key
    rounding = editors["billing.rounding"].widget
    assert isinstance(rounding, QComboBox) and rounding.currentText() == "Round to the nearest minute"
    recorder = editors["shortcuts.toggle_timer"].widget
    assert isinstance(recorder, QKeySequenceEdit)
    assert recorder.keySequence().toString(QKeySequence.SequenceFormat.PortableText) == "Ctrl+Alt+T"
    assert not [label.text() for label in dialog.findChildren(QLabel) if "<ctrl>" in label.text()]
    recorder.setKeySequence(QKeySequence("Ctrl+Shift+F9"))
    editors["sync.invoice_status"].set_value("AUTHORISED")
    editors["billing.rounding"].set_value("up:15")
    spin = editors["capture.idle_seconds"].widget
    assert isinstance(spin, QSpinBox) and spin.suffix() == " s"
    assert editors["review.unclassified_flag_percent"].widget.suffix() == " %"  # type: ignore[attr-defined]
    assert editors["billing.minimum_minutes"].widget.suffix() == " min"  # type: ignore[attr-defined]
    assert editors["timer.long_running_hours"].widget.suffix() == " h"  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    assert core.settings.get("shortcuts.toggle_timer") == "<ctrl>+<shift>+<f9>"
    assert core.settings.get("sync.invoice_status") == "AUTHORISED"
    assert core.settings.get("billing.rounding") == "up:15"


def test_every_number_has_a_unit(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    dialog = open_dialog(core, runner, bus, qtbot)
    spins = [e.widget for page in dialog.option_pages for e in page.editors.values()
             if isinstance(e.widget, (QSpinBox, QDoubleSpinBox))]
    assert spins and all(spin.suffix() for spin in spins), [s.objectName() for s in spins if not s.suffix()]
    amounts = [e.widget for page in dialog.option_pages for key, e in page.editors.items()
               if OPTIONS[key].kind == "decimal"]
    assert amounts and all(isinstance(a, QLineEdit) and a.placeholderText() for a in amounts)


def test_the_logo_is_chosen_with_a_file_picker_and_saved(
    core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logo = tmp_path / "logo.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0x3366CC)
    assert image.save(str(logo))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(logo), "Images (*.png *.jpg *.jpeg)"))
    dialog = open_dialog(core, runner, bus, qtbot)
    [page] = [p for p in dialog.option_pages if "business.logo" in p.editors]
    picker = page.editors["business.logo"].widget
    [choose] = picker.findChildren(QPushButton)
    assert choose.text() == "Choose…"
    choose.click()
    assert page.editors["business.logo"].get_value() == str(logo)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save_button.click()
    assert core.settings.get("business.logo") == str(logo)
