"""Billing use cases: configure clients and projects, preview, store, refresh and delete invoice drafts.

Gathers settings and stored values into a `Book`, hands approved work to the pure builder, and stores what it
returns. Deleting a draft gives its entries back as approved, unbilled work.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from app.billing import options as opt
from app.billing.client_document import TimesheetRow, timesheet_rows
from app.billing.expenses import ExpenseSource
from app.billing.invoices import build_invoices
from app.billing.multipliers import Multipliers, parse_night, parse_weekdays
from app.billing.rates import effective_from_for_change, rates_to_set
from app.billing.rounding import parse_duration
from app.billing.terms import Book, ClientTerms, Defaults, FixedFee, InvoiceOptions, ProjectTerms
from app.domain.billing_settings import ClientBilling, ProjectBilling
from app.domain.errors import NotFoundError, ValidationError
from app.domain.invoices import Grouping, InvoiceDraft
from app.domain.money import check_currency, parse_amount
from app.domain.periods import Period
from app.domain.rates import Level, RateKind, RateRecord, RateRule
from app.domain.rounding import parse_rounding
from app.domain.tax import AmountsAre, parse_tax
from app.domain.timefmt import LOCAL_ZONE
from app.domain.work import Worked, WorkItem
from app.options import Option
from app.settings import Settings, Snapshot
from app.store.billing_repository import BillingRepository
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
            changes["rounding"] = parse_rounding(rounding)
        if minimum is not None:
            changes["minimum_seconds"] = parse_duration(minimum, MINIMUM_HOURS)
        if terms is not None:
            if not 0 <= terms <= 365:
                raise ValidationError(f"Payment terms are 0 to 365 days, not {terms}")
            changes["terms_days"] = terms
        if tax is not None:
            changes["tax"] = parse_tax(tax)
        if amounts_are is not None:
            changes["amounts_are"] = _amounts_are(amounts_are)
        rates = rates_to_set(rate, cost_rate, effective_from)
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
            changes["rounding"] = parse_rounding(rounding)
        if minimum is not None:
            changes["minimum_seconds"] = parse_duration(minimum, MINIMUM_HOURS)
        if tax is not None:
            changes["tax"] = parse_tax(tax)
        if fixed_fee is not None:
            changes["fixed_fee"] = parse_amount(fixed_fee, "fixed fee") if fixed_fee.strip().lower() != "none" else None
        if budget is not None:
            changes["budget_seconds"] = parse_duration(budget)
        if overage_rate is not None:
            changes["overage_rate"] = parse_amount(overage_rate, "overage rate")
        rates = rates_to_set(rate, cost_rate, effective_from)
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
        self._repo.set_rate(RateRecord(level, target, kind, amount, since))
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
        items = self._repo.billable_entries(*period.utc_range(self.zone()))
        snapshot = self._settings.snapshot()  # one read of the settings table for the options and the book
        options = InvoiceOptions(period, self._today(), _grouping(grouping or snapshot.get(opt.GROUPING)),
                                 per_project, snapshot.get(opt.DESCRIPTION_TEMPLATE), self._client_id(client))
        expenses = self.expenses.billable_items(period) if self.expenses else []
        return build_invoices(items, self.book(around=items, settings=snapshot), options, expenses)

    def create(self, period: Period, client: str | None = None, *, per_project: bool = False,
               grouping: str | None = None) -> list[InvoiceDraft]:
        """The drafts of the period, stored together or not at all."""
        drafts = self.preview(period, client, per_project=per_project, grouping=grouping)
        with unit_of_work():
            return [self.store(d) for d in drafts]

    def store(self, draft: InvoiceDraft, link: LinkDraft | None = None) -> InvoiceDraft:
        """Store a draft under the next number; `link` records what made it, in the same transaction."""
        prefix = self._settings.get("billing.invoice_prefix")
        return self._repo.save_draft(draft, prefix, content_hash(draft), link)

    def drafts(self) -> list[InvoiceDraft]:
        return self._repo.drafts()

    def draft(self, number: str) -> InvoiceDraft:
        return self._repo.draft(number)

    def delete(self, number: str) -> InvoiceDraft:
        return self._repo.delete_draft(number)

    def refresh(self, number: str) -> InvoiceDraft:
        """Rebuild a stored draft from its own entries with today's settings; the revision grows if it changed."""
        stored = self._repo.refreshable(number)
        items = self._repo.entries_of(number)
        snapshot = self._settings.snapshot()
        options = InvoiceOptions(Period(stored.period_first, stored.period_last), stored.issue_date,
                                 stored.grouping, stored.project_id is not None,
                                 snapshot.get(opt.DESCRIPTION_TEMPLATE), stored.client_id)
        expenses = self.expenses.items_of(number) if self.expenses else []
        rebuilt = build_invoices(items, self.book(exclude_draft=number, around=items, settings=snapshot), options,
                                 expenses)
        if len(rebuilt) != 1:
            raise ValidationError(f"Nothing billable is left on {number}; delete it with timetally invoice delete")
        return self._repo.replace_draft(number, rebuilt[0], content_hash(rebuilt[0]))

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

    def book(self, exclude_draft: str | None = None, around: Sequence[WorkItem] = (),
             settings: Snapshot | None = None) -> Book:
        """Every price-relevant setting, as values, and the person's other work that prices the entries `around`.

        `exclude_draft`: that draft's own fixed-fee line does not count as charged (it is being rebuilt);
        `settings`: the caller's snapshot, else one read of the settings table."""
        get = (settings or self._settings.snapshot()).get
        defaults = Defaults(
            currency=get(opt.CURRENCY), rounding=parse_rounding(get(opt.ROUNDING)),
            minimum_seconds=get(opt.MINIMUM_MINUTES) * 60, terms_days=get(opt.PAYMENT_TERMS_DAYS),
            tax=parse_tax(get(opt.TAX)), amounts_are=AmountsAre(get(opt.AMOUNTS_ARE)),
            minimum_per_line=get(opt.MINIMUM_PER_LINE),
        )
        clients = {c.client_id: _client_terms(c) for c in self._repo.client_billing()}
        projects = {p.project_id: self._project_terms(p, exclude_draft) for p in self._repo.project_billing()}
        night_start, night_end = parse_night(get(opt.NIGHT_HOURS))
        multipliers = Multipliers(
            weekend=parse_amount(get(opt.WEEKEND_MULTIPLIER)), weekend_days=parse_weekdays(get(opt.WEEKEND_DAYS)),
            night=parse_amount(get(opt.NIGHT_MULTIPLIER)), night_start=night_start, night_end=night_end,
            holiday=parse_amount(get(opt.HOLIDAY_MULTIPLIER)),
            holidays=frozenset(day for day, _ in self._repo.holidays()),
            overtime=parse_amount(get(opt.OVERTIME_MULTIPLIER)),
            overtime_daily_seconds=round(get(opt.OVERTIME_DAILY_HOURS) * 3600),
            overtime_weekly_seconds=round(get(opt.OVERTIME_WEEKLY_HOURS) * 3600),
        )
        fee_projects = {i.project_id for i in around if i.project_id in projects and projects[i.project_id].fixed_fee}
        return Book(defaults, clients, projects, tuple(self._rate_rules(get)), multipliers, self.zone(),
                    get(opt.PERSON) or getpass.getuser(), self._worked(around, multipliers, fee_projects))

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
        unique = {w.entry_id: w for w in found}
        return tuple(sorted(unique.values(), key=lambda w: (w.start, w.entry_id)))

    def _project_terms(self, p: ProjectBilling, exclude_draft: str | None) -> ProjectTerms:
        fee = None
        if p.fixed_fee is not None:
            where = f"project {self._projects.get(p.project_id).path}"
            fee = FixedFee(self._stored(p.fixed_fee, f"fixed fee of {where}"), p.budget_seconds or 0,
                           self._stored(p.overage_rate or Decimal(0), f"overage rate of {where}"),
                           self._repo.fee_charged(p.project_id, exclude_draft))
        return ProjectTerms(p.project_id, p.rounding, p.minimum_seconds, p.tax, fee)

    def _rate_rules(self, get: Callable[[Option[str]], str] | None = None, strict: bool = True) -> list[RateRule]:
        """The stored rates; one that is not a billable amount is named in a sentence (`strict`, for prices) or
        left out (listing clients, replacing that very rate)."""
        rules = []
        for r in self._repo.rates():
            level, kind = r.level, r.kind
            try:
                amount = parse_amount(r.amount)
            except ValidationError:
                if not strict:
                    continue
                what = "rate" if kind is RateKind.BILL else "cost rate"
                self._stored(r.amount, f"{what} of {self._target_name(level, r.target_id)}")
            rules.append(RateRule(level, r.target_id, kind, amount, r.effective_from))
        get = get or self._settings.snapshot().get
        for option, kind in ((opt.DEFAULT_RATE, RateKind.BILL), (opt.DEFAULT_COST_RATE, RateKind.COST)):
            value = get(option)
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
    return ClientTerms(c.client_id, c.currency, c.rounding, c.minimum_seconds, c.terms_days, c.tax, c.amounts_are)


def content_hash(draft: InvoiceDraft) -> str:
    """A digest of everything an accounting system would receive; numbers and revisions are left out."""
    payload = {k: v for k, v in asdict(draft).items()
               if k not in ("number", "uid", "revision", "short_entries", "project_subtotals")
               and (k != "expense_ids" or v)}
    for line in payload["lines"]:
        if not line["category"]:
            del line["category"]  # drafts without expenses keep the digest they had before expenses existed
    return hashlib.sha256(json.dumps(payload, default=str, sort_keys=True).encode()).hexdigest()
