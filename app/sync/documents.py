"""A stored invoice draft as the document a provider receives: remote customer, revenue account, item codes,
tax type and tracking taken from the mappings, amounts exactly as billing computed them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from app.billing.invoices import InvoiceDraft
from app.domain.invoices import InvoiceLine
from app.sync.provider import InvoicePush, LinePush, RemoteKind, RemoteOption
from app.sync.store import SyncStore

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Codes:
    """The remote codes one draft's lines use, resolved once per draft."""

    account: str
    tax_type: str
    items: Mapping[int, str]
    """task id -> item code"""
    tracking: Mapping[int, tuple[str, str]]
    """project id -> (category, option)"""


def codes_for(draft: InvoiceDraft, store: SyncStore, default_account: Callable[[], RemoteOption | None]) -> Codes:
    account = store.mapping(RemoteKind.ACCOUNT, draft.client_id) or store.mapping(RemoteKind.ACCOUNT, 0)
    account_code = account.code if account else ""
    if not account_code:
        fallback = default_account()
        account_code = fallback.code if fallback else ""
    tax = store.mapping(RemoteKind.TAX_RATE, draft.client_id)
    items = {m.local_id: m.code for m in store.mappings(RemoteKind.ITEM)}
    tracking = {m.local_id: (m.parent, m.code) for m in store.mappings(RemoteKind.TRACKING)}
    return Codes(account_code, tax.code if tax else "", items, tracking)


def to_push(draft: InvoiceDraft, customer_code: str, codes: Codes, entry_tasks: Mapping[int, int | None], *,
            key: str = "", authorise: bool = False, remote_id: str = "") -> InvoicePush:
    """`entry_tasks` maps each entry of the draft to its task, so a line whose entries share one task gets the
    item code mapped to that task."""
    lines = tuple(_line(line, draft, codes, entry_tasks) for line in draft.lines)
    return InvoicePush(draft.uid, draft.revision, draft.number, customer_code, draft.currency, draft.issue_date,
                       draft.due_date, str(draft.amounts_are), lines, key, authorise, remote_id, draft.number)


def _line(line: InvoiceLine, draft: InvoiceDraft, codes: Codes, entry_tasks: Mapping[int, int | None]) -> LinePush:
    tasks = {entry_tasks.get(e) for e in line.entry_ids}
    task = tasks.pop() if len(tasks) == 1 else None
    quantity, unit = line.quantity, line.unit_amount
    if (quantity * unit).quantize(CENT) != line.amount:
        # Rounded hours times a rate need not give the billed amount (minimums, fee splits): send the amount itself.
        quantity, unit = Decimal(1), line.amount
    tax_type = codes.tax_type if str(draft.amounts_are) != "none" else ""
    tracking = (codes.tracking[line.project_id],) if line.project_id in codes.tracking else ()
    return LinePush(line.description, quantity, unit, line.amount, codes.account,
                    codes.items.get(task, "") if task is not None else "", tax_type, tracking)
