"""The clients and projects page: names, archive state and everything `clients set` / `projects set` can do."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.core import Core
from app.ui.clients.page import ClientsPage
from app.ui.events import ChangeBus
from app.ui.mapping_dialog import MappingDialog
from app.ui.tasks import TaskRunner

__all__ = ["ClientsPage", "clients_page"]


def clients_page(core: Core, runner: TaskRunner, bus: ChangeBus, parent: QWidget | None = None) -> ClientsPage:
    """The page on the real services; "Accounting mapping…" opens the sync service's mapping dialog."""
    def open_mapping() -> None:
        MappingDialog(runner, core.sync, parent=page).show()

    page = ClientsPage(core.catalog, core.billing, runner, bus, parent=parent, open_mapping=open_mapping,
                       set_attach=core.sync.set_attach)
    return page
