"""What the onboarding answers change, through the same services the command line uses: checked first, stored
on the write worker in one go, so a refused value changes nothing the wizard asked about. And the clients
brought in from a connected accounting system."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.capture.options import TRACKING_HOURS
from app.core import Core
from app.domain.errors import ValidationError
from app.domain.models import split_project_path
from app.domain.money import check_currency, parse_amount
from app.domain.rounding import parse_rounding
from app.sync import mappings
from app.sync.provider import Capability, RemoteKind, RemoteOption


@dataclass(frozen=True, slots=True)
class Answers:
    tracking_hours: tuple[str, ...] = ()
    client: str = ""
    project: str = ""
    rate: str = ""
    currency: str = "USD"
    rounding: str = "nearest:1"
    starter_rules: bool = True
    autostart: bool = False

    def check(self) -> None:
        """Every answer read as the services will read it; a refusal is the sentence the user sees."""
        TRACKING_HOURS.validate(list(self.tracking_hours))
        if (self.project or self.rate) and not self.client.strip():
            raise ValidationError("Name the client first: the project and rate belong to a client.")
        if self.rate.strip():
            parse_amount(self.rate, "hourly rate")
        check_currency(self.currency)
        parse_rounding(self.rounding)
        if self.client.strip() and self.project.strip():
            split_project_path(self.path)

    @property
    def path(self) -> str:
        return f"{self.client.strip()}/{self.project.strip()}"


def apply(core: Core, answers: Answers, starter: Path) -> str:
    """Store the answers (runs on the write worker); returns what was set up, in a sentence."""
    answers.check()
    done = []
    if answers.client.strip():
        core.billing.set_client(answers.client.strip(), rate=answers.rate.strip() or None,
                                currency=answers.currency, rounding=answers.rounding, create=True)
        done.append(f"client {answers.client.strip()}")
        if answers.project.strip() and core.catalog.find(answers.path) is None:
            core.catalog.add_path(answers.path)
            done.append(f"project {answers.path}")
    if answers.starter_rules and not core.classifier.rules():
        rules = core.classifier.import_file(starter)
        done.append(f"{len(rules)} starter rules")
    core.settings.set("capture.tracking_hours", list(answers.tracking_hours))
    core.settings.set("app.autostart", answers.autostart)
    core.settings.set("onboarding.privacy_seen", True)
    core.settings.set("onboarding.finished", True)
    return f"Set up {', '.join(done)}." if done else "TimeTally is ready."


ITEMS_PROJECT = "Services"
"""The project the import creates under each new client to hold the accounting system's items as tasks."""


def import_customers(core: Core, provider: str) -> list[str]:
    """Each customer of the connected system (QuickBooks jobs aside) becomes a client mapped to it, so invoices go
    to that customer; a client of that name already there is mapped if it was not. Each new client gets a
    "Services" project whose tasks are the system's items, each mapped to its item so invoice lines name it.
    Runs on the write worker (it fetches the lists); returns the names of the clients created."""
    core.sync.check_ready(provider)
    remote = core.sync.provider(provider)
    customers = [c for c in remote.remote_list(RemoteKind.CUSTOMER, refresh=True) if not c.parent]
    items = remote.remote_list(RemoteKind.ITEM, refresh=True) if Capability.ITEMS in remote.capabilities else []
    store = core.sync.store(provider)
    existing = {c.name.casefold(): c for c in core.catalog.clients()}
    created: list[str] = []
    links: dict[tuple[RemoteKind, int], RemoteOption | None] = {}
    for option in customers:
        client = existing.get(option.name.strip().casefold())
        if client is None:
            client = core.catalog.ensure_client(option.name.strip())
            existing[client.name.casefold()] = client
            created.append(client.name)
            links.update(_item_tasks(core, client.name, items))
        if store.mapping(RemoteKind.CUSTOMER, client.id) is None:
            links[(RemoteKind.CUSTOMER, client.id)] = option
    mappings.save(core.sync, provider, links)
    return created


def _item_tasks(core: Core, client: str, items: list[RemoteOption]) -> dict[tuple[RemoteKind, int], RemoteOption]:
    """The client's Services project with a task per item (none without items), each task mapped to its item."""
    if not items:
        return {}
    path = f"{client}/{ITEMS_PROJECT}"
    project = core.catalog.find(path) or core.catalog.add_path(path)
    return {(RemoteKind.ITEM, core.catalog.ensure_task(project.id, item.name.strip()).id): item for item in items}
