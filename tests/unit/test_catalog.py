"""The catalog behind the clients and projects page: one read of everything, renaming and archiving."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.billing.catalog import Catalog
from app.core import Core
from app.domain.catalog import Kind
from app.domain.errors import ValidationError
from app.domain.models import NewEntry
from app.store.billing_repository import BillingRepository
from app.store.catalog_repository import CatalogRepository


def catalog_of(core: Core) -> Catalog:
    return Catalog(core.projects, core.billing, BillingRepository(core.db), CatalogRepository(core.db),
                   today=lambda: date(2026, 11, 20))


def test_view_has_rates_budget_use_and_tasks(core: Core) -> None:
    core.billing.set_client("Acme", rate="100", currency="EUR")
    project = core.projects.add_project("Acme/Web")
    core.billing.set_project("Acme/Web", rate="120", cost_rate="60", fixed_fee="4000", budget="10h",
                             overage_rate="90")
    core.billing.set_project("Acme/Web", task="Design", rate="150")
    start = datetime(2026, 11, 16, 9, tzinfo=UTC)
    core.entries.add(NewEntry(start, start + timedelta(hours=2, minutes=30), "work", project.id))
    view = catalog_of(core).view()
    [client] = view.clients
    assert (client.rate, client.billing.currency) == (Decimal("100"), "EUR")
    [summary] = view.projects_of(client.billing.client_id)
    assert (summary.rates.rate, summary.rates.cost_rate) == (Decimal("120"), Decimal("60"))
    assert summary.worked_seconds == 9000 and summary.budget_share == 0.25
    assert [(t.task.name, t.rates.rate) for t in summary.tasks] == [("Design", Decimal("150"))]


def test_rename_and_refuse_a_name_taken(core: Core) -> None:
    catalog = catalog_of(core)
    web = core.projects.add_project("Acme/Web")
    core.projects.add_project("Acme/App")
    assert catalog.rename(Kind.PROJECT, web.id, "  Website ") == "Website"
    assert core.projects.get(web.id).name == "Website"
    with pytest.raises(ValidationError, match="already a project named 'App'"):
        catalog.rename(Kind.PROJECT, web.id, "App")
    assert catalog.rename(Kind.CLIENT, web.client_id, "Acme Corp") == "Acme Corp"
    assert core.projects.get(web.id).path == "Acme Corp/Website"


def test_a_name_taken_is_refused_not_reused(core: Core) -> None:
    catalog = catalog_of(core)
    web = core.projects.add_project("Acme/Web")
    with pytest.raises(ValidationError, match="already a client named 'Acme'"):
        catalog.add_client(" acme ")
    catalog.add_task(web.id, "Design")
    with pytest.raises(ValidationError, match="already has a task named 'design'"):
        catalog.add_task(web.id, "design")


def test_archiving_a_client_archives_its_projects_and_restoring_brings_it_back(core: Core) -> None:
    catalog = catalog_of(core)
    web = core.projects.add_project("Acme/Web")
    task = catalog.add_task(web.id, "Design")
    catalog.archive(Kind.CLIENT, web.client_id)
    assert core.projects.projects() == []
    assert web.client_id in catalog.view().archived_clients
    catalog.archive(Kind.CLIENT, web.client_id, archived=False)
    catalog.archive(Kind.PROJECT, web.id, archived=False)
    assert [p.path for p in core.projects.projects()] == ["Acme/Web"]
    catalog.archive(Kind.TASK, task.id)
    assert core.projects.tasks_by_project() == {}
    assert catalog.view().projects[0].tasks[0].archived
