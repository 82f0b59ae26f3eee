"""QuickBooks name lists: customers and their jobs, service items, income accounts, tax codes, employees, vendors.

Customers, vendors and employees share one DisplayName namespace, inactive records included, so creating a name
another list holds fails with Fault 6240: an inactive record of the same list is made active again instead, and
otherwise the name is made distinct ("Web (Acme Ltd)" for a job, "Acme (customer)"). Names never contain `:`
(QuickBooks uses it between a parent and its job). Lists are cached; a look-up goes to QuickBooks only when the
cache does not know the name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from app.sync.matching import match_customers, normalise
from app.sync.provider import CustomerMatch, ListCache, RemoteKind, RemoteOption
from app.sync.quickbooks.client import QuickBooksClient, QuickBooksError, faults
from app.sync.quickbooks.query import ANY_STATE, Where, fetch_all, rows, select

DUPLICATE_NAME = "6240"
DEFAULT_ITEM = "Hours"
"""The service item of time that has no task (QuickBooks companies usually have one by this name)."""
WORKER_KINDS = ("Employee", "Vendor")


def clean_name(name: str) -> str:
    """A QuickBooks display name: `:` separates a parent from its job, so it never appears inside a name."""
    return " ".join(name.replace(":", " -").split())[:100]


def _customer(c: dict[str, Any]) -> RemoteOption:
    return RemoteOption(RemoteKind.CUSTOMER, str(c["Id"]), str(c.get("DisplayName", "")),
                        parent=str((c.get("ParentRef") or {}).get("value", "")),
                        detail=str(c.get("FullyQualifiedName") or ""))


def _item(i: dict[str, Any]) -> RemoteOption:
    return RemoteOption(RemoteKind.ITEM, str(i["Id"]), str(i.get("Name", "")), detail=str(i.get("Type", "")))


class QuickBooksLists:
    def __init__(self, client: QuickBooksClient, cache: ListCache) -> None:
        self._client = client
        self._cache = cache

    def _run(self, text: str) -> Any:
        return self._client.query(text)

    def _fetch(self, kind: RemoteKind) -> list[RemoteOption]:
        if kind is RemoteKind.CUSTOMER:
            return [_customer(c) for c in fetch_all(self._run, "Customer")]
        if kind is RemoteKind.ITEM:
            return [_item(i) for i in fetch_all(self._run, "Item", Where("Type", "Service"))]
        if kind is RemoteKind.ACCOUNT:
            accounts = fetch_all(self._run, "Account", Where("AccountType", "Income"))
            options = [RemoteOption(kind, str(a["Id"]), str(a.get("Name", "")), detail="Income") for a in accounts]
            return sorted(options, key=lambda o: (o.name != "Services", o.name))
        if kind is RemoteKind.TAX_RATE:
            return [RemoteOption(kind, str(t["Id"]), str(t.get("Name", ""))) for t in fetch_all(self._run, "TaxCode")]
        return []

    def get(self, kind: RemoteKind, refresh: bool = False) -> list[RemoteOption]:
        cached = None if refresh else self._cache.load(kind)
        if cached is not None:
            return cached
        options = self._fetch(kind)
        self._cache.save(kind, options)
        return options

    def _remember(self, kind: RemoteKind, option: RemoteOption) -> RemoteOption:
        self._cache.save(kind, [o for o in self.get(kind) if o.code != option.code] + [option])
        return option

    def match(self, name: str, limit: int = 5) -> list[CustomerMatch]:
        """Top-level customers only: a client maps to a customer, its projects to that customer's jobs."""
        return match_customers(name, [c for c in self.get(RemoteKind.CUSTOMER) if not c.parent], limit)

    # Customers and jobs

    def ensure_customer(self, name: str, parent: RemoteOption | None = None) -> RemoteOption:
        """The customer (or, with `parent`, the job under it) of this name: cached, found, revived or created."""
        wanted = clean_name(name)
        code = parent.code if parent else ""
        for option in self.get(RemoteKind.CUSTOMER):
            if option.parent == code and normalise(option.name) == normalise(wanted):
                return option
        variants = [wanted, f"{wanted} ({parent.name})" if parent else f"{wanted} (customer)"]
        for display in variants:
            found = self._existing("Customer", "DisplayName", display)
            if found is not None and str((found.get("ParentRef") or {}).get("value", "")) == code:
                return self._remember(RemoteKind.CUSTOMER, _customer(self._active("Customer", found)))
            if found is not None:
                continue
            body: dict[str, Any] = {"DisplayName": display}
            if parent is not None:
                body.update(Job=True, ParentRef={"value": parent.code}, BillWithParent=True)
            created = self._create("Customer", body, f"customer-{code}-{display}")
            if created is not None:
                return self._remember(RemoteKind.CUSTOMER, _customer(created))
        what = f"job '{wanted}' under '{parent.name}'" if parent else f"customer '{wanted}'"
        raise QuickBooksError(f"QuickBooks did not create the {what}: the name is used by another customer, vendor or "
                              "employee. Rename one of them, or map the client in Clients & projects → "
                              "Accounting mapping….")

    # Items and people

    def ensure_item(self, name: str) -> RemoteOption:
        """The service item of this name, created against the first income account when missing."""
        wanted = clean_name(name)
        for option in self.get(RemoteKind.ITEM):
            if normalise(option.name) == normalise(wanted):
                return option
        found = self._existing("Item", "Name", wanted)
        if found is not None:
            return self._remember(RemoteKind.ITEM, _item(self._active("Item", found)))
        accounts = self.get(RemoteKind.ACCOUNT)
        if not accounts:
            raise QuickBooksError("QuickBooks has no income account to book the service items of time to; add one "
                                  "in QuickBooks first.")
        body = {"Name": wanted, "Type": "Service", "IncomeAccountRef": {"value": accounts[0].code}}
        created = self._create("Item", body, f"item-{wanted}")
        if created is None:
            raise QuickBooksError(f"QuickBooks did not create the service item '{wanted}': the name is taken.")
        return self._remember(RemoteKind.ITEM, _item(created))

    def ensure_worker(self, name: str, kind: str) -> tuple[str, str]:
        """(id, display name) of the employee or vendor who did the work."""
        if kind not in WORKER_KINDS:
            raise QuickBooksError(f"Time is recorded for an Employee or a Vendor in QuickBooks, not '{kind}'.")
        for display in (clean_name(name), f"{clean_name(name)} ({kind.lower()})"):
            found = self._existing(kind, "DisplayName", display)
            if found is not None:
                return str(self._active(kind, found)["Id"]), display
            created = self._create(kind, {"DisplayName": display}, f"{kind}-{display}")
            if created is not None:
                return str(created["Id"]), display
        raise QuickBooksError(f"QuickBooks did not create the {kind.lower()} '{name}': the name is taken.")

    # Inactive records

    def revive(self, entity: str, record_id: str) -> bool:
        """Make a referenced record active again (Fault 610 on a reference to it); False when it was active."""
        answer = self._client.get(f"{entity.lower()}/{record_id}")
        record = (answer.body or {}).get(entity) if answer.status < 400 else None
        if not record or record.get("Active", True):
            return False
        self._active(entity, record)
        if entity == "Customer":
            self._remember(RemoteKind.CUSTOMER, _customer(record))
        return True

    def _active(self, entity: str, record: dict[str, Any]) -> dict[str, Any]:
        if record.get("Active", True):
            return record
        body = {"Id": record["Id"], "SyncToken": record["SyncToken"], "sparse": True, "Active": True}
        answer = self._client.request("POST", entity.lower(), body=body,
                                      requestid=_requestid(f"revive-{entity}-{record['Id']}-{record['SyncToken']}"),
                                      transformed=f'{{"reactivated": "{entity} {record["Id"]}"}}')
        if answer.status >= 400:
            name = record.get("DisplayName") or record.get("Name")
            raise QuickBooksError(f"QuickBooks did not make {entity.lower()} '{name}' active again: "
                                  f"{'; '.join(f.sentence() for f in answer.faults)}", answer.status)
        return dict(answer.body[entity])

    def _existing(self, entity: str, field: str, value: str) -> dict[str, Any] | None:
        found = rows(self._client.query(select(entity, Where(field, value), ANY_STATE, limit=10)), entity)
        return found[0] if found else None

    def _create(self, entity: str, body: dict[str, Any], seed: str) -> dict[str, Any] | None:
        """The created record, or None when the name is taken (6240). The `requestid` is derived from the name, so a
        repeat after a lost answer returns the record created the first time."""
        answer = self._client.request("POST", entity.lower(), body=body, requestid=_requestid(seed),
                                      transformed=_describe(entity, body), remote_ids=_ids(entity))
        if answer.status < 400:
            return dict(answer.body[entity])
        found = faults(answer.body)
        if any(f.code == DUPLICATE_NAME for f in found):
            return None
        raise QuickBooksError(f"QuickBooks refused the {entity.lower()}: {'; '.join(f.sentence() for f in found)}",
                              answer.status)


def _requestid(seed: str) -> str:
    return "tt-" + hashlib.sha256(seed.casefold().encode()).hexdigest()[:44]


def _describe(entity: str, body: dict[str, Any]) -> str:
    return f'{{"{entity}": "{body.get("DisplayName") or body.get("Name")}"}}'


def _ids(entity: str) -> Callable[[Any], tuple[str, ...]]:
    return lambda body: (str((body or {}).get(entity, {}).get("Id", "")),)
