"""What the clients and projects page shows and changes: every client, project and task with its billing
settings, current rates and budget use, read in one go; renaming and archiving next to the billing settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.billing.service import BillingService, ClientSummary
from app.domain.billing_settings import ProjectBilling
from app.domain.catalog import Kind
from app.domain.errors import ValidationError
from app.domain.models import Client, Project, Task
from app.domain.rates import Level, RateKind, RateRecord
from app.store.billing_repository import BillingRepository
from app.store.catalog_repository import CatalogRepository
from app.store.repositories import ProjectRepository


@dataclass(frozen=True, slots=True)
class Rates:
    rate: Decimal | None
    cost_rate: Decimal | None


@dataclass(frozen=True, slots=True)
class TaskSummary:
    task: Task
    archived: bool
    rates: Rates


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    project: Project
    billing: ProjectBilling
    rates: Rates
    worked_seconds: int
    tasks: tuple[TaskSummary, ...]

    @property
    def budget_share(self) -> float | None:
        """Worked time over the budget (1.0 = all of it spent); None without a budget."""
        budget = self.billing.budget_seconds
        return self.worked_seconds / budget if budget else None


@dataclass(frozen=True, slots=True)
class CatalogView:
    clients: tuple[ClientSummary, ...]
    archived_clients: frozenset[int]
    projects: tuple[ProjectSummary, ...]

    def projects_of(self, client_id: int) -> list[ProjectSummary]:
        return [p for p in self.projects if p.project.client_id == client_id]


class Catalog:
    def __init__(self, projects: ProjectRepository, billing: BillingService, billing_repo: BillingRepository,
                 catalog_repo: CatalogRepository, today: Callable[[], date] = date.today) -> None:
        self._projects = projects
        self._billing = billing
        self._billing_repo = billing_repo
        self._repo = catalog_repo
        self._today = today

    def view(self) -> CatalogView:
        records = self._billing_repo.rates()
        billing = {b.project_id: b for b in self._billing_repo.project_billing()}
        worked = self._repo.worked_seconds()
        tasks = self._repo.all_tasks()
        today = self._today()

        def rates(level: Level, target: int) -> Rates:
            return Rates(_current(records, level, target, RateKind.BILL, today),
                         _current(records, level, target, RateKind.COST, today))

        projects = tuple(
            ProjectSummary(p, billing.get(p.id, ProjectBilling(p.id)), rates(Level.PROJECT, p.id),
                           worked.get(p.id, 0),
                           tuple(TaskSummary(t, off, rates(Level.TASK, t.id)) for t, off in tasks.get(p.id, ())))
            for p in self._projects.projects(include_archived=True))
        archived = frozenset(c.id for c in self._projects.clients() if c.archived)
        return CatalogView(tuple(self._billing.clients()), archived, projects)

    def add_client(self, name: str) -> int:
        """A new client; a name that is taken (in any case) is refused rather than quietly reused."""
        wanted = " ".join(name.split()).casefold()
        taken = next((c for c in self._projects.clients() if c.name.casefold() == wanted), None)
        if taken is not None:
            raise ValidationError(f"There is already a client named '{taken.name}'")
        return self._projects.ensure_client(name).id

    def add_task(self, project_id: int, name: str) -> Task:
        """A new task of a project; a name it already has is refused rather than quietly reused."""
        wanted = " ".join(name.split()).casefold()
        if any(t.name.casefold() == wanted for t in self._projects.tasks(project_id)):
            raise ValidationError(f"The project already has a task named '{' '.join(name.split())}'")
        return self._projects.ensure_task(project_id, name)

    def add_project(self, client: str, name: str, billable: bool = True) -> Project:
        return self.add_path(f"{client}/{name}", billable)


    def add_path(self, path: str, billable: bool = True) -> Project:
        """A project by its path (`Client/Project` or `Project`), its client made when new: onboarding, the CLI and
        the review's "new project"."""
        return self._projects.add_project(path, billable)

    def projects(self, include_archived: bool = False) -> list[Project]:
        return self._projects.projects(include_archived)

    def clients(self) -> list[Client]:
        return self._projects.clients()

    def tasks_by_project(self) -> dict[int, tuple[Task, ...]]:
        return self._projects.tasks_by_project()

    def find(self, path: str) -> Project | None:
        return self._projects.find(path)

    def require(self, path: str) -> Project:
        """The project at `path`, or a sentence naming it."""
        return self._projects.require(path)

    def require_task(self, project: Project, name: str) -> Task:
        return self._projects.require_task(project, name)

    def ensure_client(self, name: str) -> Client:
        """The client of that name, made when new (onboarding and imports reuse a name rather than refuse it)."""
        return self._projects.ensure_client(name)

    def ensure_task(self, project_id: int, name: str) -> Task:
        return self._projects.ensure_task(project_id, name)

    def rename(self, kind: Kind, row_id: int, name: str) -> str:
        return self._repo.rename(kind, row_id, name)

    def archive(self, kind: Kind, row_id: int, archived: bool = True) -> None:
        self._repo.set_archived(kind, row_id, archived)


def _current(records: list[RateRecord], level: Level, target: int, kind: RateKind, today: date) -> Decimal | None:
    """The rate of that very target in force today (not inherited from a level above)."""
    found = [r for r in records if r.level is level and r.target_id == target and r.kind is kind
             and (r.effective_from is None or r.effective_from <= today)]
    return max(found, key=lambda r: r.effective_from or date.min).amount if found else None
