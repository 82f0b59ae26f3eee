"""A stored invoice draft as the document a provider receives: remote customer, revenue account, item codes,
tax type and tracking taken from the mappings, amounts exactly as billing computed them.

Providers that apply a default tax to a line without one (Xero: the account's) get a tax type on every line: the
client's mapped type on lines that carry tax, and a "no tax" type from the organisation's own tax rates on lines
that carry none. A taxed line with no mapped type is refused rather than left to the provider's default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.domain.errors import ValidationError
from app.domain.invoices import InvoiceDraft, InvoiceLine, LineKind
from app.domain.tax import AmountsAre
from app.sync.provider import InvoicePush, LinePush, RemoteKind, RemoteOption
from app.sync.store import SyncStore

CENT = Decimal("0.01")
NO_TAX_PREFERRED = ("NONE", "EXEMPTOUTPUT", "ZERORATEDOUTPUT")
"""Xero's codes for revenue outside the tax, exempt from it, or zero-rated, in that order of preference."""


@dataclass(frozen=True, slots=True)
class Codes:
    """The remote codes one draft's lines use, resolved once per draft."""

    account: str
    tax_type: str
    items: Mapping[int, str]
    """task id -> item code"""
    tracking: Mapping[int, tuple[str, str]]
    """project id -> (category, option)"""
    no_tax: str = ""
    """The tax type of lines without tax, when every line must name one; empty otherwise."""
    expenses: Mapping[str, str] = field(default_factory=dict)
    """expense category (folded) -> account code (Xero) or item (QuickBooks); unmapped ones go as time does"""
    expenses_are_items: bool = False


def codes_for(draft: InvoiceDraft, store: SyncStore, default_account: Callable[[], RemoteOption | None],
              tax_rates: Callable[[], Sequence[RemoteOption]] | None = None, provider: str = "xero") -> Codes:
    """`tax_rates` (the organisation's revenue tax rates) asks for an explicit tax type on every line."""
    account = store.mapping(RemoteKind.ACCOUNT, draft.client_id) or store.mapping(RemoteKind.ACCOUNT, 0)
    account_code = account.code if account else ""
    if not account_code:
        fallback = default_account()
        account_code = fallback.code if fallback else ""
    tax = store.mapping(RemoteKind.TAX_RATE, draft.client_id)
    items = {m.local_id: m.code for m in store.mappings(RemoteKind.ITEM)}
    tracking = {m.local_id: (m.parent, m.code) for m in store.mappings(RemoteKind.TRACKING)}
    codes = Codes(account_code, tax.code if tax else "", items, tracking, expenses=store.expense_codes(),
                  expenses_are_items=store.provider == "quickbooks")
    return _explicit(draft, codes, tax_rates(), provider) if tax_rates is not None else codes


def _explicit(draft: InvoiceDraft, codes: Codes, rates: Sequence[RemoteOption], provider: str) -> Codes:
    zero = [r for r in rates if _percent(r) == 0]
    mapped = next((r for r in zero if r.code == codes.tax_type), None)
    preferred = sorted(zero, key=lambda r: (NO_TAX_PREFERRED.index(r.code) if r.code in NO_TAX_PREFERRED
                                            else len(NO_TAX_PREFERRED), r.code))
    no_tax = mapped or (preferred[0] if preferred else None)
    taxed = [line for line in draft.lines if _taxed(line)]
    if taxed and not codes.tax_type:
        known = ", ".join(f"{r.code} {r.detail}".strip() for r in rates[:8]) or "none"
        raise ValidationError(
            f"{draft.client_name} is billed with tax, but no tax type is mapped for it, so the accounting system "
            f"would pick its own. Map one in Clients & projects → Accounting mapping… or with: "
            f"timetally sync map {provider} --client "
            f"\"{draft.client_name}\" --tax-type CODE (revenue tax types: {known}).")
    if len(taxed) < len(draft.lines) and no_tax is None:
        raise ValidationError("The organisation has no tax rate of 0 % for revenue, so lines without tax cannot be "
                              "sent without one being added; add a no-tax rate there and refresh the lists.")
    return Codes(codes.account, codes.tax_type, codes.items, codes.tracking, no_tax.code if no_tax else "",
                 codes.expenses, codes.expenses_are_items)


def _percent(rate: RemoteOption) -> Decimal | None:
    try:
        return Decimal(rate.detail.strip().rstrip("%").strip())
    except InvalidOperation:
        return None


def _taxed(line: InvoiceLine) -> bool:
    return line.tax != 0 or any(amount != 0 for _, amount in line.taxes)


def to_push(draft: InvoiceDraft, customer_code: str, codes: Codes, entry_tasks: Mapping[int, int | None], *,
            key: str = "", authorise: bool = False, remote_id: str = "") -> InvoicePush:
    """`entry_tasks` maps each entry of the draft to its task, so a line whose entries share one task gets the
    item code mapped to that task."""
    lines = tuple(_line(line, draft, codes, entry_tasks) for line in draft.lines)
    return InvoicePush(draft.uid, draft.revision, draft.number, customer_code, draft.currency, draft.issue_date,
                       draft.due_date, draft.amounts_are, lines, key, authorise, remote_id, draft.number)


def _line(line: InvoiceLine, draft: InvoiceDraft, codes: Codes, entry_tasks: Mapping[int, int | None]) -> LinePush:
    tasks = {entry_tasks.get(e) for e in line.entry_ids}
    task = tasks.pop() if len(tasks) == 1 else None
    quantity, unit = line.quantity, line.unit_amount
    if (quantity * unit).quantize(CENT) != line.amount:
        # Rounded hours times a rate need not give the billed amount (minimums, fee splits): send the amount itself.
        quantity, unit = Decimal(1), line.amount
    if codes.no_tax:
        tax_type = codes.tax_type if _taxed(line) else codes.no_tax
    else:
        tax_type = codes.tax_type if draft.amounts_are is not AmountsAre.NO_TAX else ""
    tracking = (codes.tracking[line.project_id],) if line.project_id in codes.tracking else ()
    item = codes.items.get(task, "") if task is not None else ""
    account = codes.account
    expense = codes.expenses.get(line.category.casefold(), "") if line.kind is LineKind.EXPENSE else ""
    if expense and codes.expenses_are_items:
        item = expense
    elif expense:
        account = expense
    return LinePush(line.description, quantity, unit, line.amount, account, item, tax_type, tracking)
