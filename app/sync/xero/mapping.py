"""Xero's lists a mapping refers to: contacts, active revenue accounts, items, tax rates and tracking options.

Each list is fetched once, kept in the cache the provider was given, and fetched again only on request, so a
send costs no look-ups beyond the invoices themselves once the lists are known.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from app.sync.matching import match_customers, normalise
from app.sync.provider import CustomerMatch, ListCache, RemoteKind, RemoteOption
from app.sync.xero.client import XeroClient, XeroError, validation_messages

PAGE_SIZE = 100
DEFAULT_ACCOUNT_CODE = "200"
"""Sales, in Xero's chart of accounts templates: listed first, so it is the default revenue account; otherwise
the active revenue account with the lowest code is."""


def _where_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _contacts(client: XeroClient) -> list[RemoteOption]:
    found: list[RemoteOption] = []
    page = 1
    while True:
        answer = client.get("Contacts", {"where": 'ContactStatus=="ACTIVE"', "summaryOnly": "true",
                                         "page": str(page), "pageSize": str(PAGE_SIZE)})
        contacts = (answer.body or {}).get("Contacts") or []
        found += [_contact(c) for c in contacts]
        if len(contacts) < PAGE_SIZE:
            return found
        page += 1


def _contact(c: dict[str, Any]) -> RemoteOption:
    return RemoteOption(RemoteKind.CUSTOMER, str(c["ContactID"]), str(c.get("Name", "")),
                        detail=str(c.get("EmailAddress") or ""))


def _accounts(client: XeroClient) -> list[RemoteOption]:
    answer = client.get("Accounts", {"where": 'Class=="REVENUE" AND Status=="ACTIVE"'})
    accounts = [a for a in (answer.body or {}).get("Accounts") or [] if a.get("Code")]
    options = sorted((RemoteOption(RemoteKind.ACCOUNT, str(a["Code"]), str(a.get("Name", "")),
                                   detail=str(a.get("Type", ""))) for a in accounts), key=lambda o: o.code)
    return sorted(options, key=lambda o: o.code != DEFAULT_ACCOUNT_CODE)


def _items(client: XeroClient) -> list[RemoteOption]:
    answer = client.get("Items")
    return [RemoteOption(RemoteKind.ITEM, str(i["Code"]), str(i.get("Name") or i["Code"]),
                         detail=str(i.get("Description") or ""))
            for i in (answer.body or {}).get("Items") or [] if i.get("Code")]


def _tax_rates(client: XeroClient) -> list[RemoteOption]:
    answer = client.get("TaxRates", {"where": 'Status=="ACTIVE"'})
    return [RemoteOption(RemoteKind.TAX_RATE, str(t["TaxType"]), str(t.get("Name", t["TaxType"])),
                         detail=f"{t.get('EffectiveRate', t.get('DisplayTaxRate', ''))}%")
            for t in (answer.body or {}).get("TaxRates") or []
            if t.get("TaxType") and t.get("CanApplyToRevenue", True)]


def _tracking(client: XeroClient) -> list[RemoteOption]:
    answer = client.get("TrackingCategories")
    return [RemoteOption(RemoteKind.TRACKING, str(o["Name"]), str(o["Name"]), parent=str(c["Name"]))
            for c in (answer.body or {}).get("TrackingCategories") or []
            for o in c.get("Options") or [] if o.get("Status", "ACTIVE") == "ACTIVE"]


_FETCHERS: dict[RemoteKind, Callable[[XeroClient], list[RemoteOption]]] = {
    RemoteKind.CUSTOMER: _contacts, RemoteKind.ACCOUNT: _accounts, RemoteKind.ITEM: _items,
    RemoteKind.TAX_RATE: _tax_rates, RemoteKind.TRACKING: _tracking,
}


class XeroLists:
    def __init__(self, client: XeroClient, cache: ListCache) -> None:
        self._client = client
        self._cache = cache
        self._fresh: set[RemoteKind] = set()
        """Lists fetched by this instance: complete as of now, so a name missing from them needs no look-up."""

    def get(self, kind: RemoteKind, refresh: bool = False) -> list[RemoteOption]:
        cached = None if refresh else self._cache.load(kind)
        if cached is not None:
            return cached
        options = _FETCHERS[kind](self._client)
        self._cache.save(kind, options)
        self._fresh.add(kind)
        return options

    def match(self, name: str, limit: int = 5) -> list[CustomerMatch]:
        """A cached list may predate a contact made in Xero since: without an exact match in it, ask Xero by name."""
        matches = match_customers(name, self.get(RemoteKind.CUSTOMER), limit)
        if (matches and matches[0].exact) or RemoteKind.CUSTOMER in self._fresh:
            return matches
        found = self._lookup(name)
        if found is None:
            return matches
        self._cache.save(RemoteKind.CUSTOMER, [*self.get(RemoteKind.CUSTOMER), found])
        return [CustomerMatch(found, 100.0)]

    def ensure_contact(self, name: str) -> RemoteOption:
        """The contact with exactly this name: from the cache, then an exact look-up, then created."""
        wanted = normalise(name)
        for known in self.get(RemoteKind.CUSTOMER):
            if normalise(known.name) == wanted:
                return known
        contact: RemoteOption | None = None if RemoteKind.CUSTOMER in self._fresh else self._lookup(name)
        if contact is None:
            key = "timetally-contact-" + hashlib.sha256(wanted.encode()).hexdigest()[:40]
            answer = self._client.request(
                "PUT", "Contacts", params={"summarizeErrors": "false"}, body={"Contacts": [{"Name": name.strip()}]},
                idempotency_key=key, transformed=json.dumps({"contact": name.strip()}),
                remote_ids=lambda body: tuple(str(c.get("ContactID", "")) for c in (body or {}).get("Contacts", [])),
            )
            created = ((answer.body or {}).get("Contacts") or [{}])[0]
            if answer.status >= 400 or created.get("HasValidationErrors") or not created.get("ContactID"):
                contact = self._lookup(name)  # "already assigned to another contact": someone created it meanwhile
                if contact is None:
                    messages = validation_messages(created) or validation_messages(answer.body)
                    raise XeroError(f"Xero did not create the contact '{name}': {'; '.join(messages)}", answer.status)
            else:
                contact = _contact(created)
        self._cache.save(RemoteKind.CUSTOMER, [*self.get(RemoteKind.CUSTOMER), contact])
        return contact

    def _lookup(self, name: str) -> RemoteOption | None:
        answer = self._client.get("Contacts", {"where": f'Name=="{_where_text(name.strip())}"', "summaryOnly": "true"})
        contacts = (answer.body or {}).get("Contacts") or []
        return _contact(contacts[0]) if contacts else None
