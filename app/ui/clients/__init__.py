"""The clients and projects page: names, archive state and everything `clients set` / `projects set` can do."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.billing.catalog import Catalog
from app.core import Core
from app.store.billing_repository import BillingRepository
from app.store.catalog_repository import CatalogRepository
from app.ui.clients.page import ClientsPage
from app.ui.events import ChangeBus
from app.ui.mapping_dialog import MappingDialog
from app.ui.tasks import TaskRunner

__all__ = ["ClientsPage", "catalog_of", "clients_page"]


def catalog_of(core: Core) -> Catalog:
    return Catalog(core.projects, core.billing, BillingRepository(core.db), CatalogRepository(core.db))


def clients_page(core: Core, runner: TaskRunner, bus: ChangeBus, parent: QWidget | None = None) -> ClientsPage:
    """The page on the real services; "Accounting mapping…" opens the sync service's mapping dialog."""
    def open_mapping() -> None:
        MappingDialog(runner, core.sync, core.projects, parent=page).show()

    page = ClientsPage(catalog_of(core), core.billing, runner, bus, parent=parent, open_mapping=open_mapping)
    return page
