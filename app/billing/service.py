"""Billing use cases: configure clients and projects, preview, store, refresh and delete invoice drafts.

Gathers settings and stored values into a `Book`, hands approved work to the pure builder, and stores what it
returns. Deleting a draft gives its entries back as approved, unbilled work.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from app.billing.client_document import TimesheetRow, timesheet_rows
from app.billing.expenses import ExpenseSource
from app.billing.invoices import InvoiceDraft, build_invoices, project_subtotals
from app.billing.multipliers import Multipliers, parse_night, parse_weekdays
from app.billing.rates import Level, RateKind, RateRule, effective_from_for_change
from app.billing.rounding import parse_duration, parse_rounding
from app.billing.tax import AmountsAre, parse_tax
from app.billing.terms import (
    Book,
    ClientTerms,
    Defaults,
    FixedFee,
    Grouping,
    InvoiceOptions,
    ProjectTerms,
    Worked,
    WorkItem,
)
from app.domain.errors import NotFoundError, ValidationError
from app.domain.money import check_currency, parse_amount
from app.domain.periods import Period
from app.domain.timefmt import LOCAL_ZONE
from app.settings import Settings
from app.store.billing_repository import BillingRepository, ClientBilling, DraftRecord, ProjectBilling, RateRecord
from app.store.repositories import ProjectRepository
from app.store.retainers_repository import LinkDraft
from app.store.work import unit_of_work

MINIMUM_HOURS = 8
"""The longest minimum billable time, as the workspace setting allows (billing.minimum_minutes up to 480)."""


@dataclass(frozen=True, slots=True)
class RateChange:
    """What `set_rate` stored, so the caller can say from when it applies."""

    level: Level
    kind: RateKind
    amount: Decimal
    effective_from: date | None


@dataclass(frozen=True, slots=True)
class ClientSummary:
    billing: ClientBilling
    rate: Decimal | None
    cost_rate: Decimal | None


class BillingService:
    def __init__(self, repo: BillingRepository, projects: ProjectRepository, settings: Settings,
                 today: Callable[[], date] = date.today, tz: tzinfo | None = None) -> None:
        self._repo = repo
        self._projects = projects
        self._settings = settings
        self._today = today
        self._tz = tz
        self.expenses: ExpenseSource | None = None  # set by the composition root: approved expenses to bill

    # Configuration

    def set_client(self, name: str, *, rate: str | None = None, cost_rate: str | None = None,
                   effective_from: date | None = None, currency: str | None = None, rounding: str | None = None,
                   minimum: str | None = None, terms: int | None = None, tax: str | None = None,
                   amounts_are: str | None = None, create: bool = True) -> list[RateChange]:
        """Validate everything first, then store: a bad value never leaves half a change behind. Without `create` a
        client that does not exist is refused, so a misspelt name typed by a user gets no settings of its own."""
        changes: dict[str, Any] = {}
        if currency is not None:
            changes["currency"] = check_currency(currency)
        if rounding is not None:
            changes["rounding"] = str(parse_rounding(rounding))
        if minimum is not None:
            changes["minimum_seconds"] = parse_duration(minimum, MINIMUM_HOURS)
        if terms is not None:
            if not 0 <= terms <= 365:
                raise ValidationError(f"Payment terms are 0 to 365 days, not {terms}")
            changes["terms_days"] = terms
        if tax is not None:
            changes["tax"] = str(parse_tax(tax))
        if amounts_are is not None:
            changes["amounts_are"] = str(_amounts_are(amounts_are))
        rates = _rates_to_set(rate, cost_rate, effective_from)
        if not create and self._client_id(name, missing_ok=True) is None:
            raise NotFoundError(f"There is no client '{name}'. Check the name with: timetally clients list; "
                                "or create the client with these settings by adding --create")
        with unit_of_work():
            client = self._projects.ensure_client(name)
            if changes:
                self._repo.set_client_billing(client.id, **changes)
            return [self._set_rate(Level.CLIENT, client.id, kind, amount, effective_from) for kind, amount in rates]

    def set_project(self, path: str, *, task: str | None = None, rate: str | None = None,
                    cost_rate: str | None = None, effective_from: date | None = None, rounding: str | None = None,
                    minimum: str | None = None, tax: str | None = None, fixed_fee: str | None = None,
                    budget: str | None = None, overage_rate: str | None = None,
                    billable: bool | None = None) -> list[RateChange]:
        project = self._projects.require(path)
        changes: dict[str, Any] = {}
        if rounding is not None:
            changes["rounding"] = str(parse_rounding(rounding))
        if minimum is not None:
            changes["minimum_seconds"] = parse_duration(minimum, MINIMUM_HOURS)
        if tax is not None:
            changes["tax"] = str(parse_tax(tax))
        if fixed_fee is not None:
            changes["fixed_fee"] = parse_amount(fixed_fee, "fixed fee") if fixed_fee.strip().lower() != "none" else None
        if budget is not None:
            changes["budget_seconds"] = parse_duration(budget)
        if overage_rate is not None:
            changes["overage_rate"] = parse_amount(overage_rate, "overage rate")
        rates = _rates_to_set(rate, cost_rate, effective_from)
        if changes.get("fixed_fee") is not None:
            stored = next((p for p in self._repo.project_billing() if p.project_id == project.id), None)
            if "budget_seconds" not in changes and (stored is None or stored.budget_seconds is None):
                raise ValidationError("A fixed fee needs --budget, the hours it covers (e.g. 40h), and --overage-rate")
            if "overage_rate" not in changes and (stored is None or stored.overage_rate is None):
                raise ValidationError("A fixed fee needs --overage-rate, the hourly rate beyond its budget")
        if task is not None and (changes or billable is not None):
            raise ValidationError("Only rates can be set per task; leave out --task for the other settings")
        with unit_of_work():
            target = self._projects.ensure_task(project.id, task).id if task is not None else project.id
            if changes:
                self._repo.set_project_billing(project.id, **changes)
            if billable is not None:
                self._repo.set_project_billable(project.id, billable)
            level = Level.TASK if task is not None else Level.PROJECT
            return [self._set_rate(level, target, kind, amount, effective_from) for kind, amount in rates]

    def _set_rate(self, level: Level, target: int, kind: RateKind, amount: Decimal,
                  requested: date | None) -> RateChange:
        existing = [r for r in self._rate_rules(strict=False)
                    if r.level is level and r.target_id == target and r.kind is kind]
        since = effective_from_for_change(existing, requested, self._today())
        self._repo.set_rate(RateRecord(level.name.lower(), target, str(kind), amount, since))
        return RateChange(level, kind, amount, since)

    def clients(self) -> list[ClientSummary]:
        rules, today = self._rate_rules(strict=False), self._today()

        def current(client_id: int, kind: RateKind) -> Decimal | None:
            found = [r for r in rules if r.level is Level.CLIENT and r.target_id == client_id and r.kind is kind
                     and (r.effective_from is None or r.effective_from <= today)]
            return max(found, key=lambda r: r.effective_from or date.min).amount if found else None

        return [ClientSummary(c, current(c.client_id, RateKind.BILL), current(c.client_id, RateKind.COST))
                for c in self._repo.client_billing()]

    def holidays(self) -> list[tuple[date, str]]:
        return self._repo.holidays()

    def add_holiday(self, day: date, name: str = "") -> None:
        self._repo.add_holiday(day, name.strip())

    def remove_holiday(self, day: date) -> None:
        self._repo.remove_holiday(day)

    # Invoices

    def preview(self, period: Period, client: str | None = None, *, per_project: bool = False,
                grouping: str | None = None) -> list[InvoiceDraft]:
        """The drafts `create` would store now, without storing anything."""
        items = [WorkItem(*(getattr(e, f.name) for f in fields(WorkItem)))
                 for e in self._repo.billable_entries(*period.utc_range(self.zone()))]
        options = InvoiceOptions(period, self._today(), _grouping(grouping or self._settings.get("billing.grouping")),
                                 per_project, self._settings.get("billing.description_template"),
                                 self._client_id(client))
        expenses = self.expenses.billable_items(period) if self.expenses else []
        return build_invoices(items, self.book(around=items), options, expenses)

    def create(self, period: Period, client: str | None = None, *, per_project: bool = False,
               grouping: str | None = None) -> list[InvoiceDraft]:
        """The drafts of the period, stored together or not at all."""
        drafts = self.preview(period, client, per_project=per_project, grouping=grouping)
        with unit_of_work():
            return [self.store(d) for d in drafts]

    def store(self, draft: InvoiceDraft, link: LinkDraft | None = None) -> InvoiceDraft:
        """Store a draft under the next number; `link` records what made it, in the same transaction."""
        prefix = self._settings.get("billing.invoice_prefix")
        return _draft(self._repo.save_draft(_record(draft), prefix, content_hash(draft), link))

    def drafts(self) -> list[InvoiceDraft]:
        return [_draft(r) for r in self._repo.drafts()]

    def draft(self, number: str) -> InvoiceDraft:
        return _draft(self._repo.draft(number))

    def delete(self, number: str) -> InvoiceDraft:
        return _draft(self._repo.delete_draft(number))

    def refresh(self, number: str) -> InvoiceDraft:
        """Rebuild a stored draft from its own entries with today's settings; the revision grows if it changed."""
        stored = self._repo.refreshable(number)
        items = [WorkItem(*(getattr(e, f.name) for f in fields(WorkItem))) for e in self._repo.entries_of(number)]
        options = InvoiceOptions(Period(stored.period_first, stored.period_last), stored.issue_date,
                                 Grouping(stored.grouping), stored.project_id is not None,
                                 self._settings.get("billing.description_template"), stored.client_id)
        expenses = self.expenses.items_of(number) if self.expenses else []
        rebuilt = build_invoices(items, self.book(exclude_draft=number, around=items), options, expenses)
        if len(rebuilt) != 1:
            raise ValidationError(f"Nothing billable is left on {number}; delete it with timetally invoice delete")
        return _draft(self._repo.replace_draft(number, _record(rebuilt[0]), content_hash(rebuilt[0])))

    def timesheet(self, number: str) -> list[TimesheetRow]:
        """The entries a stored invoice bills, for the client's timesheet appendix (never window titles)."""
        return timesheet_rows(self._repo.entries_of(number), self.zone())

    def title_text(self, draft: InvoiceDraft) -> str | None:
        """Why a stored draft may not be sent, when a line carries text taken from window titles that nobody typed
        or confirmed (a draft built before such text was withheld); None when it may go."""
        found = self._repo.title_descriptions(draft.entry_ids)
        hits = sorted(i for i, text in found.items() if any(text in line.description for line in draft.lines))
        if not hits:
            return None
        ids = " ".join(map(str, hits))
        return (f"{draft.number} carries text taken from window titles (entr{'y' if len(hits) == 1 else 'ies'} "
                f"#{', #'.join(map(str, hits))}), which never leaves this computer unconfirmed. Confirm it with "
                f"'timetally entries confirm {ids}', or rebuild the invoice without it with 'timetally invoice "
                f"refresh {draft.number}', then send again.")

    def book(self, exclude_draft: str | None = None, around: Sequence[WorkItem] = ()) -> Book:
        """Every price-relevant setting, as values, and the person's other work that prices the entries `around`.

        `exclude_draft`: that draft's own fixed-fee line does not count as charged (it is being rebuilt)."""
        get = self._settings.all().__getitem__  # one read of the settings table, not one per key
        defaults = Defaults(
            currency=get("billing.currency"), rounding=parse_rounding(get("billing.rounding")),
            minimum_seconds=get("billing.minimum_minutes") * 60, terms_days=get("billing.payment_terms_days"),
            tax=parse_tax(get("billing.tax")), amounts_are=AmountsAre(get("billing.amounts_are")),
            minimum_per_line=get("billing.minimum_per_line"),
        )
        clients = {c.client_id: _client_terms(c) for c in self._repo.client_billing()}
        projects = {p.project_id: self._project_terms(p, exclude_draft) for p in self._repo.project_billing()}
        night_start, night_end = parse_night(get("billing.night_hours"))
        multipliers = Multipliers(
            weekend=parse_amount(get("billing.weekend_multiplier")), weekend_days=parse_weekdays(
                get("billing.weekend_days")),
            night=parse_amount(get("billing.night_multiplier")), night_start=night_start, night_end=night_end,
            holiday=parse_amount(get("billing.holiday_multiplier")),
            holidays=frozenset(day for day, _ in self._repo.holidays()),
            overtime=parse_amount(get("billing.overtime_multiplier")),
            overtime_daily_seconds=round(get("billing.overtime_daily_hours") * 3600),
            overtime_weekly_seconds=round(get("billing.overtime_weekly_hours") * 3600),
        )
        fee_projects = {i.project_id for i in around if i.project_id in projects and projects[i.project_id].fixed_fee}
        return Book(defaults, clients, projects, tuple(self._rate_rules(get)), multipliers, self.zone(),
                    get("billing.person") or getpass.getuser(), self._worked(around, multipliers, fee_projects))

    def _worked(self, around: Sequence[WorkItem], multipliers: Multipliers,
                fee_projects: set[int]) -> tuple[Worked, ...]:
        """Every entry that can change the price of those `around`, whatever its status or invoice: the whole
        weeks they touch when an overtime limit is on, and all the work of their fixed-fee projects."""
        found = []
        if around and multipliers.counts_other_work():
            tz = self.zone()
            first = min(i.start for i in around).astimezone(tz).date()
            last = max(i.end for i in around).astimezone(tz).date()
            weeks = Period(first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday()))
            found += self._repo.worked(*weeks.utc_range(tz))
        if fee_projects:
            found += self._repo.worked_on(sorted(fee_projects))
        unique = {w.entry_id: Worked(*(getattr(w, f.name) for f in fields(Worked))) for w in found}
        return tuple(sorted(unique.values(), key=lambda w: (w.start, w.entry_id)))

    def _project_terms(self, p: ProjectBilling, exclude_draft: str | None) -> ProjectTerms:
        fee = None
        if p.fixed_fee is not None:
            where = f"project {self._projects.get(p.project_id).path}"
            fee = FixedFee(self._stored(p.fixed_fee, f"fixed fee of {where}"), p.budget_seconds or 0,
                           self._stored(p.overage_rate or Decimal(0), f"overage rate of {where}"),
                           self._repo.fee_charged(p.project_id, exclude_draft))
        return ProjectTerms(p.project_id, parse_rounding(p.rounding) if p.rounding else None, p.minimum_seconds,
                            parse_tax(p.tax) if p.tax is not None else None, fee)

    def _rate_rules(self, get: Callable[[str], Any] | None = None, strict: bool = True) -> list[RateRule]:
        """The stored rates; one that is not a billable amount is named in a sentence (`strict`, for prices) or
        left out (listing clients, replacing that very rate)."""
        rules = []
        for r in self._repo.rates():
            level, kind = Level[r.level.upper()], RateKind(r.kind)
            try:
                amount = parse_amount(r.amount)
            except ValidationError:
                if not strict:
                    continue
                what = "rate" if kind is RateKind.BILL else "cost rate"
                self._stored(r.amount, f"{what} of {self._target_name(level, r.target_id)}")
            rules.append(RateRule(level, r.target_id, kind, amount, r.effective_from))
        for key, kind in (("billing.default_rate", RateKind.BILL), ("billing.default_cost_rate", RateKind.COST)):
            value = (get or self._settings.get)(key)
            if value:
                rules.append(RateRule(Level.DEFAULT, None, kind, parse_amount(value)))
        return rules

    @staticmethod
    def _stored(amount: Decimal, what: str) -> Decimal:
        """A stored amount, checked again: one saved before amounts were bounded (or edited by hand) is named in a
        sentence instead of failing every invoice and report."""
        try:
            return parse_amount(amount, what)
        except ValidationError:
            raise ValidationError(f"The stored {what} ({amount}) is not an amount TimeTally can bill with; set it "
                                  "again (timetally clients set or projects set)") from None

    def _target_name(self, level: Level, target: int | None) -> str:
        if level is Level.CLIENT:
            return next((f"client {c.name}" for c in self._projects.clients() if c.id == target), "a client")
        if level is Level.PROJECT and target is not None:
            return f"project {self._projects.get(target).path}"
        return "a task" if level is Level.TASK else "the workspace"

    def _client_id(self, name: str | None, missing_ok: bool = False) -> int | None:
        if name is None:
            return None
        for client in self._projects.clients():
            if client.name.casefold() == " ".join(name.split()).casefold():
                return client.id
        if missing_ok:
            return None
        raise NotFoundError(f"There is no client '{name}'")

    def zone(self) -> tzinfo:
        """The zone billing counts local days in, without building a whole `Book` for it."""
        return self._tz or LOCAL_ZONE


def _rates_to_set(rate: str | None, cost_rate: str | None,
                  effective_from: date | None) -> list[tuple[RateKind, Decimal]]:
    if effective_from is not None and rate is None and cost_rate is None:
        raise ValidationError("A start date only applies to a rate; give --rate or --cost-rate with --from")
    found = []
    if rate is not None:
        found.append((RateKind.BILL, parse_amount(rate, "rate")))
    if cost_rate is not None:
        found.append((RateKind.COST, parse_amount(cost_rate, "cost rate")))
    return found


def _amounts_are(text: str) -> AmountsAre:
    try:
        return AmountsAre(text.strip().lower())
    except ValueError:
        raise ValidationError(f"'{text}' is not a tax mode; use exclusive, inclusive or none") from None


def _grouping(text: str) -> Grouping:
    try:
        return Grouping(text.strip().lower())
    except ValueError:
        choices = ", ".join(Grouping)
        raise ValidationError(f"'{text}' is not a line grouping; use one of {choices}") from None


def _client_terms(c: ClientBilling) -> ClientTerms:
    return ClientTerms(
        c.client_id, c.currency, parse_rounding(c.rounding) if c.rounding else None, c.minimum_seconds,
        c.terms_days, parse_tax(c.tax) if c.tax is not None else None,
        AmountsAre(c.amounts_are) if c.amounts_are else None,
    )


def _record(draft: InvoiceDraft) -> DraftRecord:
    """The draft as the store keeps it: its two enums as their text; the lines are shared values."""
    values = {f.name: getattr(draft, f.name) for f in fields(DraftRecord)}
    return DraftRecord(**{**values, "amounts_are": str(draft.amounts_are), "grouping": str(draft.grouping)})


def _draft(record: DraftRecord) -> InvoiceDraft:
    values = {f.name: getattr(record, f.name) for f in fields(DraftRecord)}
    return InvoiceDraft(**{**values, "amounts_are": AmountsAre(record.amounts_are),
                           "grouping": Grouping(record.grouping), "project_subtotals": project_subtotals(record.lines)})


def content_hash(draft: InvoiceDraft) -> str:
    """A digest of everything an accounting system would receive; numbers and revisions are left out."""
    payload = {k: v for k, v in asdict(_record(draft)).items()
               if k not in ("number", "uid", "revision", "short_entries") and (k != "expense_ids" or v)}
    for line in payload["lines"]:
        if not line["category"]:
            del line["category"]  # drafts without expenses keep the digest they had before expenses existed
    return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()
