"""The Clients & projects page offers the per-client choice to attach the proof of work to sent invoices, as
`timetally clients set NAME --attach` does, and stores it through the sync service."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core import Core
from app.ui.clients import clients_page
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from tests.ui.conftest import drain


def test_attach_is_a_client_setting_on_the_page(core: Core, runner: TaskRunner, bus: ChangeBus, qtbot: QtBot,
                                                tmp_path: Path) -> None:
    page = clients_page(core, runner, bus)
    qtbot.addWidget(page)
    drain(qtbot, runner)
    page.create_client("Acme Ltd")
    drain(qtbot, runner)
    form = page.client_form
    assert not form.attach.isChecked() and not form.attach.isHidden()
    form.attach.setChecked(True)
    assert page.save_button.isEnabled()
    page.save()
    drain(qtbot, runner)
    assert page.status.text() == "Saved Acme Ltd."
    [client] = core.billing.clients()
    assert client.billing.attach_proof is True and client.billing.terms_days is None
    page.resize(900, 640)
    page.grab().save(str(tmp_path / "clients-attach.png"))
    form.attach.setChecked(False)
    page.save()
    drain(qtbot, runner)
    assert core.billing.clients()[0].billing.attach_proof is False
