""""Send to client" on the invoices page: the dialog says what Xero does, a draft there is refused with the
sentence in red, and an authorised invoice is e-mailed by the fake Xero and listed as e-mailed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from pytestqt.qtbot import QtBot

from app.domain.periods import parse_week
from app.ui.events import ChangeBus
from app.ui.invoices import InvoicesPage
from app.ui.invoices.email_dialog import EmailDialog
from app.ui.tasks import TaskRunner
from tests.fakes.captured import approved
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect
from tests.ui.conftest import drain

WEEK = parse_week("2026-W47")


@pytest.fixture
def fake() -> Iterator[FakeXero]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    with FakeXero() as server:
        yield server
    keyring.set_keyring(previous)
    assert server.spec_problems == []


def test_send_to_client_from_the_page(core: Any, fake: FakeXero, monkeypatch: pytest.MonkeyPatch, runner: TaskRunner,
                                      bus: ChangeBus, qtbot: QtBot, tmp_path: Path) -> None:
    connect(core, fake, monkeypatch)
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    fake.books.add_contact("Acme Ltd", "accounts@acme.example")
    approved(core, "Acme Ltd/Web", datetime(2026, 11, 16, 9, tzinfo=UTC), timedelta(hours=2))
    [sent] = core.sync.send("xero", WEEK).outcomes
    page = InvoicesPage(core, runner, bus)
    qtbot.addWidget(page)
    drain(qtbot, runner)
    page.table.selectRow(0)
    assert page.buttons["email"].isEnabled()
    page.email()
    [dialog] = [d for d in page.dialogs if isinstance(d, EmailDialog)]
    dialog.grab().save(str(tmp_path / "email-dialog.png"))
    assert "only approved (AUTHORISED) invoices" in dialog.findChildren(type(page.status))[0].text()
    dialog.reject()
    page.email_to("INV-0001")
    drain(qtbot, runner)
    assert "is a draft there" in page.status.text() and "b00020" in page.status.styleSheet()
    assert fake.books.emails == []
    fake.books.set_status(sent.remote_id, "AUTHORISED")
    page.email_to("INV-0001")
    drain(qtbot, runner)
    assert "was e-mailed to the client's address by Xero" in page.status.text()
    assert fake.books.emails == [(sent.remote_id, "accounts@acme.example")]
    assert page.table.item(0, 4).text() == "e-mailed"
