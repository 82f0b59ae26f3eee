"""The composition root: builds the store, repositories and services once and hands them to the CLI or GUI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app import logs
from app.automation.service import AutomationService
from app.billing.catalog import Catalog
from app.billing.expenses_service import ExpenseService
from app.billing.retainers_service import RetainerService
from app.billing.service import BillingService
from app.capture.activity import ActivityService
from app.classify.service import ClassifierService, build_classifier
from app.paths import Paths
from app.reports.service import ReportService
from app.settings import Settings
from app.store.billing_repository import BillingRepository
from app.store.catalog_repository import CatalogRepository
from app.store.db import Database, open_database
from app.store.expenses_repository import ExpenseRepository
from app.store.reports_repository import ReportsRepository
from app.store.repositories import EntryRepository, ProjectRepository, RunRepository, SettingsRepository
from app.store.retainers_repository import RetainersRepository
from app.store.review_repository import ReviewRepository
from app.store.spans import SpanStore
from app.sync.accounts import AccountsService
from app.sync.oauth import config as oauth_config
from app.sync.service import SyncService
from app.timesheet.approvals import ApprovalService, current_user
from app.timesheet.entries import EntryService
from app.timesheet.idle import IdleService
from app.timesheet.liveness import Liveness
from app.timesheet.locks import PeriodLock
from app.timesheet.review import ReviewService
from app.timesheet.timer import TimerService

if TYPE_CHECKING:
    from app.capture.backends.base import Backend
    from app.capture.watcher import Watcher

log = logging.getLogger(__name__)


@dataclass
class Core:
    """Everything below the UI, wired together. The GUI and the CLI use the same instance type."""

    paths: Paths
    db: Database
    settings: Settings
    projects: ProjectRepository
    entries: EntryRepository
    lock: PeriodLock
    timer: TimerService
    entry_service: EntryService
    liveness: Liveness
    accounts: AccountsService
    classifier: ClassifierService
    billing: BillingService
    sync: SyncService
    review: ReviewService = field(init=False)
    approvals: ApprovalService = field(init=False)
    idle: IdleService = field(init=False)
    catalog: Catalog = field(init=False)
    automation: AutomationService = field(init=False)
    activity: ActivityService = field(init=False)
    reports: ReportService
    expenses: ExpenseService = field(init=False)
    retainers: RetainerService = field(init=False)

    @property
    def recovered_from(self) -> Path | None:
        return self.db.recovered_from

    def save_pending(self) -> None:
        """On the writer: what reads kept in memory (rules' match statistics, a learned model) goes to the store."""
        self.classifier.save_pending()

    def close(self) -> None:
        self.automation.close()
        self.sync.close()
        self.db.close()


def build_core(paths: Paths | None = None) -> Core:
    paths = paths or Paths.from_env()
    paths.ensure()
    logs.configure(paths.log_file)
    db = open_database(paths.database)
    if db.recovered_from:
        log.warning("damaged database moved aside to %s; started on a fresh file", db.recovered_from)
    settings = Settings(SettingsRepository(db))
    projects = ProjectRepository(db)
    entries = EntryRepository(db)
    accounts = AccountsService(db, settings_file=paths.settings_file,
                               user_settings=lambda: {key: settings.get(key) for key in oauth_config.USER_SETTINGS})
    billing = BillingService(BillingRepository(db), projects, settings)
    classifier = build_classifier(db, entries, settings)
    review_repo = ReviewRepository(db)
    lock = PeriodLock(entries, review_repo)
    core = Core(
        paths=paths,
        db=db,
        settings=settings,
        projects=projects,
        entries=entries,
        lock=lock,
        timer=TimerService(entries, projects, settings, lock),
        entry_service=EntryService(entries, projects, lock),
        liveness=Liveness(RunRepository(db), entries, lock),
        accounts=accounts,
        classifier=classifier,
        billing=billing,
        sync=SyncService(db, billing, BillingRepository(db), accounts, settings, projects=projects),
        reports=ReportService(ReportsRepository(db), billing, projects, classifier, SpanStore(db), settings),
    )
    who = current_user(settings)
    core.review = ReviewService(entries, core.entry_service, projects, core.classifier, review_repo, settings, who,
                                accounting_notes=core.sync.entry_notes)
    core.approvals = ApprovalService(entries, review_repo, who, invoice_of=BillingRepository(db).invoice_of)
    core.automation = AutomationService(db, accounts.vault, core.sync, settings)
    core.expenses = ExpenseService(ExpenseRepository(db), projects, billing, lock, paths.data_dir / "receipts")
    billing.expenses = core.reports.expenses = core.expenses
    core.retainers = RetainerService(RetainersRepository(db), billing, BillingRepository(db), projects, settings)
    core.idle = IdleService(entries, core.entry_service, projects, core.timer, review_repo, SpanStore(db), settings)
    core.catalog = Catalog(projects, billing, BillingRepository(db), CatalogRepository(db))
    core.activity = ActivityService(SpanStore(db))
    return core


def build_watcher(core: Core, backend: Callable[[], Backend] | None = None, power: bool = True) -> Watcher:
    """The capture watcher on this core's database and settings; the caller starts and stops it. The self-test
    gives its own backend and no power monitor."""
    from app.capture.backends.factory import create_backend
    from app.capture.config import CaptureConfig
    from app.capture.pause import PauseStore
    from app.capture.power import PowerMonitor
    from app.capture.watcher import Watcher
    from app.store.spans import SpanStore

    def monitor(watcher: Watcher) -> PowerMonitor:
        started = PowerMonitor(watcher.notify_sleep, watcher.notify_lock)
        started.start()
        return started

    return Watcher(SpanStore(core.db), CaptureConfig.from_settings(core.settings),
                   backend_factory=backend or create_backend, power_factory=monitor if power else None,
                   pauses=PauseStore(core.db))
