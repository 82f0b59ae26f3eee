"""The clients and projects page: create, configure, rename and archive, read back through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from app.core import Core
from app.domain.catalog import Kind
from app.domain.models import NewEntry
from app.ui.clients import ClientsPage, clients_page
from app.ui.clients.holidays import HolidaysDialog
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from tests.ui.conftest import drain


def page_on(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> ClientsPage:
    page = clients_page(core, runner, bus)
    qtbot.addWidget(page)
    drain(qtbot, runner)
    return page


def select(page: ClientsPage, kind: Kind, row_id: int) -> None:
    page.tree.setCurrentItem(page._items[(kind, row_id)])


def test_create_a_client_with_rate_currency_and_rounding(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                         qtbot: QtBot) -> None:
    page = page_on(core, runner, bus, qtbot)
    assert page.heading.text() == "No clients yet" and "New client" in page.empty.text()
    page.create_client("Acme  Ltd")
    drain(qtbot, runner)
    assert page.heading.text() == "Client Acme Ltd"
    form = page.client_form
    assert not page.save_button.isEnabled()
    form.rate.setValue(95.5)
    form.currency.set_choice("EUR")
    form.rounding.mode.set_choice("up")
    form.rounding.step.setCurrentIndex(form.rounding.step.findData(15))
    form.terms.setValue(14)
    form.tax.setText("VAT:20")
    form.tax_mode.set_choice("inclusive")
    assert page.save_button.isEnabled()
    page.save()
    drain(qtbot, runner)
    assert page.status.text() == "Saved Acme Ltd."
    [client] = core.billing.clients()
    b = client.billing
    assert (client.rate, b.currency, str(b.rounding), b.terms_days, str(b.tax), b.amounts_are) == (
        Decimal("95.50"), "EUR", "up:15", 14, "VAT:20", "inclusive")
    assert b.minimum_seconds is None  # untouched "not set" is not sent
    assert page.tree.topLevelItem(0).text(1) == "95.50 EUR"


def test_the_services_sentence_is_shown_and_nothing_is_stored(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                              qtbot: QtBot) -> None:
    core.billing.set_client("Acme")
    page = page_on(core, runner, bus, qtbot)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    page.client_form.tax.setText("GST")
    page.client_form.terms.setValue(10)
    page.save()
    drain(qtbot, runner)
    assert "'GST' is not a tax in the form NAME:PERCENT" in page.status.text()
    assert core.billing.clients()[0].billing.terms_days is None


def test_project_task_rename_archive_and_budget_bar(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                    qtbot: QtBot) -> None:
    core.billing.set_client("Acme", rate="100")
    page = page_on(core, runner, bus, qtbot)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    page.create_project("Web")
    drain(qtbot, runner)
    project = core.projects.find("Acme/Web")
    assert project is not None and page.heading.text() == "Project Acme/Web"
    assert page.project_form.budget_bar.format() == "no budget"
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    core.entries.add(NewEntry(start, start + timedelta(hours=30), "work", project.id))
    form = page.project_form
    form.fixed_fee.setValue(2000)
    form.budget.setValue(20)
    form.overage_rate.setValue(80)
    form.billable.setChecked(False)
    page.save()
    drain(qtbot, runner)
    bar = page.project_form.budget_bar
    assert bar.value() == 100 and bar.format() == "30:00 of 20:00 (150%)"
    assert "Over budget" in page.project_form.budget_note.text()
    assert not core.projects.get(project.id).billable

    page.create_task("Design")
    drain(qtbot, runner)
    page.task_form.rate.setValue(150)
    page.save()
    drain(qtbot, runner)
    assert page.view is not None and page.view.projects[0].tasks[0].rates.rate == Decimal("150.00")

    select(page, Kind.PROJECT, project.id)
    page.rename_selected("Website")
    drain(qtbot, runner)
    assert core.projects.get(project.id).path == "Acme/Website"
    page.toggle_archived()
    drain(qtbot, runner)
    assert core.projects.projects() == []
    assert (Kind.PROJECT, project.id) not in page._items
    page.show_archived.setChecked(True)
    select(page, Kind.PROJECT, project.id)
    assert page.buttons["archive"].text() == "Restore"
    page.toggle_archived()
    drain(qtbot, runner)
    assert [p.path for p in core.projects.projects()] == ["Acme/Website"]


def test_a_project_needs_a_client_picked(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot) -> None:
    page = page_on(core, runner, bus, qtbot)
    page.create_project("Web")
    assert page.status.text() == "Pick the client the project is for first."


def test_leaving_a_form_with_unsaved_changes_asks(core: Core, runner: TaskRunner, bus: ChangeBus,
                                                  qtbot: QtBot) -> None:
    core.billing.set_client("Acme")
    core.billing.set_client("Globex")
    page = page_on(core, runner, bus, qtbot)
    acme, globex = page.tree.topLevelItem(0), page.tree.topLevelItem(1)
    page.tree.setCurrentItem(acme)
    page.client_form.terms.setValue(21)
    answers = ["cancel", "save"]
    asked: list[str] = []

    def ask(heading: str) -> str:
        asked.append(heading)
        return answers.pop(0)

    page.ask_unsaved = ask
    page.tree.setCurrentItem(globex)
    assert page.tree.currentItem() is acme and page.client_form.terms.value() == 21
    page.tree.setCurrentItem(globex)
    drain(qtbot, runner)
    assert asked == ["Client Acme", "Client Acme"] and page.heading.text() == "Client Globex"
    assert core.billing.clients()[0].billing.terms_days == 21


def test_holidays_are_listed_added_and_removed(core: Core, runner: TaskRunner, qtbot: QtBot) -> None:
    core.billing.add_holiday(date(2026, 12, 25), "Christmas Day")
    dialog = HolidaysDialog(core.billing, runner, date(2026, 12, 1))
    qtbot.addWidget(dialog)
    drain(qtbot, runner)
    assert dialog.list.item(0).text() == "2026-12-25 Fri  Christmas Day"
    dialog.day.setDate(QDate(2026, 12, 26))
    dialog.name.setText("Boxing Day")
    dialog.add()
    drain(qtbot, runner)
    assert core.billing.holidays() == [(date(2026, 12, 25), "Christmas Day"), (date(2026, 12, 26), "Boxing Day")]
    dialog.list.item(0).setSelected(True)
    dialog.remove_selected()
    drain(qtbot, runner)
    assert core.billing.holidays() == [(date(2026, 12, 26), "Boxing Day")]
    assert dialog.status.text() == "Removed 2026-12-25."
