"""What every accounting connector offers the sync service, and the plain values that cross that line.

Xero and QuickBooks both implement `AccountingProvider`; the service, the outbox and the audit log only ever see
these types. Remote ids are text (Xero GUIDs, QuickBooks numeric ids); money is `Decimal`; dates are local days.
A connector never touches the database: it turns these values into requests and answers into these values, and
keeps remote lists through the `ListCache` it is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, runtime_checkable

from app.domain.tax import AmountsAre


class Capability(StrEnum):
    """What a connector can do beyond customers, invoices and payment status."""

    TIME_ACTIVITIES = "time_activities"
    """QuickBooks TimeActivity; Xero keeps time only on invoice lines."""
    JOBS = "jobs"
    """Sub-customers (QuickBooks jobs) a project can map to."""
    ITEMS = "items"
    TRACKING = "tracking"
    TAX_RATES = "tax_rates"
    UPDATE_DRAFTS = "update_drafts"
    """An invoice already sent may be replaced while it is still a draft at the provider."""
    EMAIL_TO = "email_to"
    """An invoice may be e-mailed to an address typed in (QuickBooks); Xero writes only to the contact's own."""


class RemoteKind(StrEnum):
    """The remote lists a mapping refers to; each is cached and refreshable."""

    CUSTOMER = "customer"
    ACCOUNT = "account"
    ITEM = "item"
    TAX_RATE = "tax_rate"
    TRACKING = "tracking"


class RemoteStatus(StrEnum):
    """An invoice's state at the provider, in words both connectors can map to."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    OPEN = "open"
    """Approved/authorised and awaiting payment."""
    PART_PAID = "part_paid"
    PAID = "paid"
    VOIDED = "voided"
    DELETED = "deleted"

    @property
    def editable(self) -> bool:
        return self in (RemoteStatus.DRAFT, RemoteStatus.SUBMITTED)

    @property
    def gone(self) -> bool:
        """The invoice no longer bills its entries: they go back to approved."""
        return self in (RemoteStatus.VOIDED, RemoteStatus.DELETED)


@dataclass(frozen=True, slots=True)
class RemoteOption:
    """One entry of a remote list: a customer, revenue account, item, tax rate or tracking option.

    `code` is what a document refers to (account code, item code, tax type, customer id); `parent` is the
    tracking category of an option, or the parent customer of a QuickBooks job.
    """

    kind: RemoteKind
    code: str
    name: str
    parent: str = ""
    detail: str = ""
    """Shown next to the name: a tax rate's percentage, an account's type, a contact's e-mail."""


@dataclass(frozen=True, slots=True)
class CustomerMatch:
    """A candidate remote customer for a local client: `score` 100 is an exact (case-insensitive) match."""

    customer: RemoteOption
    score: float

    @property
    def exact(self) -> bool:
        return self.score >= 100


@dataclass(frozen=True, slots=True)
class LinePush:
    """One invoice line as the provider should receive it, already mapped to remote codes."""

    description: str
    quantity: Decimal
    unit_amount: Decimal
    amount: Decimal
    account_code: str = ""
    item_code: str = ""
    tax_type: str = ""
    tracking: tuple[tuple[str, str], ...] = ()
    """(category name, option name), at most two for Xero."""
    service_date: date | None = None


@dataclass(frozen=True, slots=True)
class InvoicePush:
    """A local draft on its way out. `key` identifies this content of this draft for idempotency."""

    local_uid: str
    revision: int
    number: str
    customer_code: str
    currency: str
    issue_date: date
    due_date: date
    amounts_are: AmountsAre
    lines: tuple[LinePush, ...]
    key: str
    authorise: bool = False
    """Create it approved (Xero AUTHORISED) instead of as a draft."""
    remote_id: str = ""
    """Set when an already-sent invoice is replaced while still a draft at the provider."""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class TimePush:
    """One approved time entry for providers with time activities (QuickBooks TimeActivity)."""

    entry_id: int
    key: str
    customer_code: str
    day: date
    seconds: int
    description: str
    item_code: str = ""
    hourly_rate: Decimal | None = None
    billable: bool = True
    worker: str = ""


@dataclass(frozen=True, slots=True)
class PushResult:
    """What the provider said about one pushed document.

    `errors` are the provider's own sentences. `retryable` distinguishes a refusal of the content (fix it, then
    send again) from a failure to get an answer (send again unchanged, with the same idempotency key).
    """

    key: str
    ok: bool
    remote_id: str = ""
    remote_number: str = ""
    status: RemoteStatus | None = None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    retryable: bool = False
    total: Decimal | None = None
    """The invoice total the provider computed, to compare with TimeTally's."""
    tax_total: Decimal | None = None
    acted: bool = True
    """False when the provider certainly did not act on the request (no connection, sign-in refused): nothing
    can have been created, so the document waits as if it had never been sent."""


@dataclass(frozen=True, slots=True)
class PaymentLine:
    day: date | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PaymentStatus:
    """Where a sent invoice stands: paid in full (with the day), part-paid, open, or voided/deleted."""

    remote_id: str
    status: RemoteStatus
    total: Decimal
    amount_paid: Decimal
    amount_due: Decimal
    paid_on: date | None = None
    remote_number: str = ""
    updated_at: datetime | None = None
    payments: tuple[PaymentLine, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP call as the audit log keeps it: never headers with credentials, never bodies with tokens."""

    method: str
    endpoint: str
    status: int
    started_at: datetime
    duration_ms: int
    idempotency_key: str = ""
    remote_ids: tuple[str, ...] = ()
    transformed: str = ""
    """JSON: which local documents became which request fields (numbers, keys, remote codes)."""
    limits: tuple[tuple[str, str], ...] = ()
    """The `X-*Limit-Remaining` (or provider equivalent) headers of the answer."""
    error: str = ""


def request_key(keys: Sequence[str]) -> str:
    """The idempotency key of one request carrying these documents: the same documents give the same key."""
    if len(keys) == 1:
        return keys[0][:128]
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()
    return f"timetally-batch-{digest[:48]}"


Progress = Callable[[int, int], None]
"""(done, total); called between requests so the caller can show progress."""
Recorder = Callable[[Exchange], None]


class Cancelled(Exception):
    """The user cancelled; requests already answered stay recorded, the rest stay pending in the outbox.

    `acted` is True when a request of the interrupted call had already left (the provider may have acted on it).
    """

    def __init__(self, message: str = "The sync was cancelled.", acted: bool = False) -> None:
        super().__init__(message)
        self.acted = acted


def unanswered(key: str, call: Callable[[], PushResult], error: type[Exception]) -> PushResult:
    """`call`'s result, or a retryable one when no answer came (`error` with `retryable`): the document stays open
    and goes again, unchanged, with the next sync, instead of the failure ending the whole send."""
    try:
        return call()
    except error as exc:
        if not getattr(exc, "retryable", False):
            raise
        return PushResult(key, False, errors=(str(exc),), retryable=True, acted=bool(getattr(exc, "acted", True)))


def check_cancelled(cancelled: Callable[[], bool] | None) -> None:
    """Raises `Cancelled` between requests once the user has cancelled, so no further call starts."""
    if cancelled is not None and cancelled():
        raise Cancelled()


class ListCache(Protocol):
    """Where a connector keeps remote lists between runs (the sync service backs it with the database)."""

    def load(self, kind: RemoteKind) -> list[RemoteOption] | None:
        """The cached list, or None when it was never fetched."""
        ...

    def save(self, kind: RemoteKind, options: Sequence[RemoteOption]) -> None:
        ...


class RemoteLists(Protocol):
    """A connector's cached remote lists and its customer matching."""

    def get(self, kind: RemoteKind, refresh: bool = False) -> list[RemoteOption]:
        ...

    def match(self, name: str, limit: int = 5) -> list[CustomerMatch]:
        ...


class Closable(Protocol):
    def close(self) -> None:
        ...


class ListedProvider:
    """The `AccountingProvider` methods every connector hands straight on to its client and its remote lists."""

    client: Closable
    lists: RemoteLists

    def close(self) -> None:
        self.client.close()

    def remote_list(self, kind: RemoteKind, refresh: bool = False) -> list[RemoteOption]:
        return self.lists.get(kind, refresh)

    def match_customers(self, name: str, limit: int = 5) -> list[CustomerMatch]:
        return self.lists.match(name, limit)


@runtime_checkable
class AccountingProvider(Protocol):
    """A connected accounting system as the sync service uses it. Every method may block on the network.

    Implementations record every HTTP call through the `Recorder` they were built with, honour the provider's
    rate limits themselves, and raise `app.domain.errors.TimeTallyError` subclasses with a user sentence when a
    whole call fails; per-document refusals come back in `PushResult.errors` instead.

    The sync service relies on three more things: `push_invoices` is called with one batch at a time (at most
    `batch_size`, all new or all replacements) and sends it as one request whose idempotency key is
    `request_key` of the documents' keys, so a resumed batch repeats the stored request exactly; a failure to get
    any answer comes back as `retryable` results (or a retryable error), never as a refusal; and
    `remote_list(RemoteKind.ACCOUNT)` lists the default revenue account first.
    """

    name: str
    title: str
    capabilities: frozenset[Capability]
    batch_size: int
    """Most documents one request may carry; `push_invoices` with at most this many makes exactly one request."""
    created_status: RemoteStatus
    """Where a new invoice stands when the answer does not say (Xero: draft, QuickBooks: open)."""
    replaceable: frozenset[RemoteStatus]
    """The statuses in which a sent invoice may still be replaced by a changed draft."""

    def remote_list(self, kind: RemoteKind, refresh: bool = False) -> list[RemoteOption]:
        """Customers, active revenue accounts, items, tax rates or tracking options (cached unless `refresh`)."""
        ...

    def match_customers(self, name: str, limit: int = 5) -> list[CustomerMatch]:
        """Exact match first (score 100), then fuzzy candidates, best first."""
        ...

    def ensure_customer(self, name: str, parent_code: str = "") -> RemoteOption:
        """The customer with exactly this name, created if missing; `parent_code` makes it a job (QuickBooks)."""
        ...

    def push_invoices(self, invoices: Sequence[InvoicePush], progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None,
                      links: Mapping[str, Sequence[Sequence[str]]] | None = None) -> list[PushResult]:
        """Create (or replace, when `remote_id` is set) invoices; one result per invoice, in order. `links` gives,
        per invoice key, the time activities each line bills (only with `Capability.TIME_ACTIVITIES`)."""
        ...

    def push_time(self, activities: Sequence[TimePush], remote_ids: Mapping[str, str] | None = None,
                  cancelled: Callable[[], bool] | None = None, own: Collection[str] = ()) -> list[PushResult]:
        """Time activities; only for providers with `Capability.TIME_ACTIVITIES`. `remote_ids` gives, per key, the
        activity an earlier send created (it is replaced); `own` are activities billed by a TimeTally invoice being
        replaced in the same send."""
        ...

    def payment_status(self, remote_ids: Sequence[str], since: datetime | None = None,
                       cancelled: Callable[[], bool] | None = None) -> list[PaymentStatus]:
        """Invoices changed since `since` (all of them when None); unchanged ones may be left out."""
        ...

    def void_invoice(self, remote_id: str) -> PaymentStatus:
        """Deletes the invoice while it is a draft, voids it once approved; one with payments is left alone.
        Returns where it stands afterwards (paid or part-paid when it was left alone)."""
        ...

    def attach_file(self, remote_id: str, name: str, content: bytes, include_online: bool, key: str) -> PushResult:
        """Attaches a file to the invoice under `name`, replacing one of that name it already holds, so a repeated
        upload leaves one attachment; `include_online` shows it to the client with the invoice. The result's
        `remote_id` is the attachment's id."""
        ...

    def email_invoice(self, remote_id: str, to: str, key: str) -> PushResult:
        """Has the accounting system e-mail the invoice to its customer (to `to` instead, with
        `Capability.EMAIL_TO`), under the idempotency key `key`. An invoice it will not e-mail (not approved there)
        comes back refused, with the sentence in `errors`."""
        ...
