"""First start: the welcome wizard opens with the main window, nothing is recorded before its first page (what
TimeTally records) was seen, the keyboard alone sets up a client with a rate, Skip works, Help opens it again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget, QWizard
from pytestqt.qtbot import QtBot

from app.core import build_core
from app.domain.models import EntryStatus, Span
from app.store.spans import SpanStore
from app.ui.application import Shell
from app.ui.events import ChangeBus
from app.ui.features import DesktopFeatures
from app.ui.invoice_preview import InvoicePreviewDialog
from app.ui.onboarding import OnboardingWizard
from app.ui.onboarding.wizard import CAPTURE, CLIENT, FINISH, PRIVACY
from app.ui.review.window import ReviewWindow
from app.ui.rules_editor import RulesEditor
from app.ui.tasks import TaskRunner
from tests.conftest import WallClock
from tests.ui.conftest import drain

Started = tuple[Shell, DesktopFeatures]


@pytest.fixture
def launch(home: Path, bus: ChangeBus, qtbot: QtBot,
           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[[], Started]]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # autostart entries land here
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quit_on_close = app.quitOnLastWindowClosed()
    started: list[Started] = []

    def start() -> Started:
        features = DesktopFeatures()
        shell = Shell(build_core, TaskRunner(), bus, features, tray_available=lambda: True)
        with qtbot.waitSignal(shell.ready, timeout=10_000):
            shell.start()
        started.append((shell, features))
        return shell, features

    yield start
    for shell, features in started:
        if features.wizard is not None:
            features.wizard.hide()
        if shell.window is not None:
            shell.window.hide()
        drain(qtbot, shell.runner)
        shell.shut_down()
    app.setQuitOnLastWindowClosed(quit_on_close)


def wizard_of(features: DesktopFeatures) -> OnboardingWizard:
    assert features.wizard is not None
    return features.wizard


def capturing(features: DesktopFeatures) -> bool:
    watcher = features.watcher
    return watcher is not None and watcher._thread is not None and watcher._thread.is_alive()


def stored(shell: Shell, key: str) -> object:
    assert shell.core is not None
    return shell.core.settings.get(key)


def press(qtbot: QtBot, key: Qt.Key) -> None:
    focused = QApplication.focusWidget()
    assert isinstance(focused, QWidget), "the wizard keeps the keyboard focus"
    qtbot.keyClick(focused, key)


def test_first_start_opens_the_window_and_the_wizard_and_records_nothing_before_the_privacy_page(
    launch: Callable[[], Started], qtbot: QtBot
) -> None:
    shell, features = launch()
    wizard = wizard_of(features)
    assert shell.window is not None and shell.window.isVisible(), "the first start opens the window, tray or not"
    assert wizard.isVisible() and wizard.windowTitle() == "Welcome to TimeTally"
    assert wizard.currentId() == PRIVACY
    assert str(shell.core.paths.database) in wizard.privacy_text.text() if shell.core else False
    drain(qtbot, shell.runner)
    assert not capturing(features) and stored(shell, "onboarding.privacy_seen") is False

    wizard.next()
    qtbot.waitUntil(lambda: capturing(features))
    drain(qtbot, shell.runner)
    assert stored(shell, "onboarding.privacy_seen") is True


def test_privacy_settings_are_one_click_away(launch: Callable[[], Started]) -> None:
    shell, features = launch()
    wizard_of(features).privacy_button.click()
    assert shell.window is not None and shell.window.current_key() == "preferences"
    preferences = shell.window.built("preferences")
    assert preferences is not None and preferences.page_list.currentItem().text() == "Capture"  # type: ignore[attr-defined]


def test_keyboard_only_from_welcome_to_a_client_with_a_rate(
    launch: Callable[[], Started], qtbot: QtBot
) -> None:
    shell, features = launch()
    wizard = wizard_of(features)
    wizard.activateWindow()
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == CAPTURE
    press(qtbot, Qt.Key.Key_Tab)  # from the Record checkbox to the hours
    assert wizard.hours.hasFocus()
    qtbot.keyClicks(wizard.hours, "Mon-Fri 08:00-19:00")
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == CLIENT
    assert wizard.client.hasFocus()
    for text in ("Acme Corp", "Website", "95.50"):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentId() == FINISH
    with qtbot.waitSignal(wizard.saved, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    drain(qtbot, shell.runner)
    assert not wizard.isVisible()

    core = shell.core
    assert core is not None
    [client] = [c for c in core.billing.clients() if c.billing.client_name == "Acme Corp"]
    assert client.rate == Decimal("95.50")
    assert (client.billing.currency, str(client.billing.rounding)) == ("USD", "nearest:1")
    assert core.projects.find("Acme Corp/Website") is not None
    assert core.classifier.rules(), "the starter rules are on by default"
    assert core.settings.get("capture.tracking_hours") == ["Mon-Fri 08:00-19:00"]
    assert core.settings.get("onboarding.finished") is True
    assert capturing(features)


def test_a_refused_rate_is_named_on_its_page(launch: Callable[[], Started]) -> None:
    _shell, features = launch()
    wizard = wizard_of(features)
    wizard.next()
    wizard.next()
    wizard.client.setText("Acme Corp")
    wizard.rate.setText("ninety")
    wizard.next()
    assert wizard.currentId() == CLIENT
    assert "rate" in wizard.currentPage().subTitle().lower()


def test_skip_changes_nothing_but_lets_capture_start_and_the_next_start_stays_quiet(
    launch: Callable[[], Started], qtbot: QtBot
) -> None:
    shell, features = launch()
    wizard = wizard_of(features)
    wizard.button(QWizard.WizardButton.CustomButton1).click()
    qtbot.waitUntil(lambda: capturing(features))
    drain(qtbot, shell.runner)
    assert not wizard.isVisible()
    assert shell.core is not None and shell.core.classifier.rules() == [] and shell.core.billing.clients() == []
    assert stored(shell, "onboarding.finished") is True
    if shell.window is not None:
        shell.window.hide()
    drain(qtbot, shell.runner)
    shell.shut_down()

    again, features = launch()
    assert features.wizard is None and again.window is not None and not again.window.isVisible()
    assert capturing(features)


def test_help_opens_the_welcome_again(launch: Callable[[], Started], qtbot: QtBot) -> None:
    shell, features = launch()
    wizard_of(features).skip()
    drain(qtbot, shell.runner)
    assert shell.window is not None
    shell.window.welcome_action.trigger()
    reopened = wizard_of(features)
    assert reopened.isVisible() and reopened.currentId() == PRIVACY


def tab_to(qtbot: QtBot, target: QWidget, limit: int = 40) -> None:
    """Tab (as a user would) until `target` has the keyboard focus."""
    for _ in range(limit):
        if target.hasFocus():
            return
        press(qtbot, Qt.Key.Key_Tab)
    assert target.hasFocus(), f"Tab never reached {target.objectName() or type(target).__name__}"


def shortcut(qtbot: QtBot, keys: str) -> None:
    """Pressed where the keyboard is: the focused widget, or the active window when a page change left none."""
    sequence = QKeySequence(keys)[0]
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert isinstance(target, QWidget)
    qtbot.keyClick(target, sequence.key(), sequence.keyboardModifiers())


def test_keyboard_only_from_the_first_start_to_the_invoice_preview(
    launch: Callable[[], Started], qtbot: QtBot, wall_clock: WallClock
) -> None:
    """The newcomer's first hour: welcome, a client with a rate, a rule for its windows, ten minutes of work
    captured, its proposal accepted, the week approved and the invoice previewed, with no mouse."""
    thursday = datetime(2026, 11, 19, 16, 0).astimezone()
    wall_clock.set(thursday)
    shell, features = launch()
    wizard = wizard_of(features)
    wizard.activateWindow()
    press(qtbot, Qt.Key.Key_Return)  # what is recorded: seen
    press(qtbot, Qt.Key.Key_Return)  # recording: on, at any hour
    for text in ("Acme Corp", "Website", "95.50"):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Return)
    with qtbot.waitSignal(wizard.saved, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    drain(qtbot, shell.runner)
    core, window = shell.core, shell.window
    assert core is not None and window is not None
    starter = len(core.classifier.rules())

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    shortcut(qtbot, "Ctrl+7")
    rules = window.page("rules")
    assert isinstance(rules, RulesEditor)
    qtbot.waitUntil(lambda: len(rules.rules) == starter)

    shortcut(qtbot, "Alt+N")  # New rule (a button pressed by its Alt key clicks a moment later)
    qtbot.waitUntil(rules.form.name.hasFocus)
    qtbot.keyClicks(rules.form.name, "Acme website")
    pattern = rules.form.table.cellWidget(0, 2)
    tab_to(qtbot, pattern)
    qtbot.keyClicks(pattern, "acme-web")
    tab_to(qtbot, rules.form.client)
    qtbot.keyClicks(rules.form.client, "Acme Corp")
    tab_to(qtbot, rules.form.project)
    qtbot.keyClicks(rules.form.project, "Website")
    press(qtbot, Qt.Key.Key_Return)  # Save, the page's default button
    qtbot.waitUntil(lambda: len(core.classifier.rules()) == starter + 1, timeout=10_000)

    start = thursday - timedelta(minutes=40)
    SpanStore(core.db).add_many([  # ten minutes of work in the editor, as capture records it
        Span((start + timedelta(minutes=m)).timestamp(), (start + timedelta(minutes=m + 2)).timestamp(),
             "code", f"page{m}.html - acme-web - Code") for m in range(0, 10, 2)])

    shortcut(qtbot, "Ctrl+2")
    review = window.page("review")
    assert isinstance(review, ReviewWindow)
    review.model.refresh()
    qtbot.waitUntil(lambda: review.model.review is not None and bool(review.model.review.proposals), timeout=10_000)
    drain(qtbot, shell.runner)
    shortcut(qtbot, "Alt+L")  # Accept all
    qtbot.waitUntil(lambda: review.model.review is not None and not review.model.review.proposals
                    and bool(review.model.review.entries), timeout=10_000)
    drain(qtbot, shell.runner)
    shortcut(qtbot, "Ctrl+Shift+A")
    box = review.dialogs[-1]
    assert isinstance(box, QMessageBox) and box.text().startswith("Approve 1 entry of week 47?")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: review.model.review is not None
                    and all(e.status is EntryStatus.APPROVED for e in review.model.review.entries), timeout=10_000)
    drain(qtbot, shell.runner)

    shortcut(qtbot, "Alt+I")  # Invoice preview…
    qtbot.waitUntil(lambda: any(isinstance(w, InvoicePreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    [preview] = [w for w in QApplication.topLevelWidgets() if isinstance(w, InvoicePreviewDialog) and w.isVisible()]
    qtbot.waitUntil(lambda: bool(preview.drafts), timeout=10_000)
    assert "Acme Corp · 2026-11-16 – 2026-11-22" in preview.picker.currentText()
    assert preview.table.rowCount() == 1 and preview.table.item(0, 2).text() == "0:10"
    assert preview.table.item(0, 6).text() == "15.92 USD"  # ten minutes at 95.50 an hour
    preview.close()
    drain(qtbot, shell.runner)
