"""A fake Xero on loopback: `/connections` and the Accounting API endpoints TimeTally uses.

Like Xero it insists on a bearer token, the `xero-tenant-id` header and `Accept: application/json`; validates every
query and body against the official OpenAPI document (answering 400 and keeping the problems in `spec_problems`);
limits calls per tenant (60 per minute and 5 at once by default, both configurable so tests run fast) with 429 and
`Retry-After`; replays the stored answer for a repeated `Idempotency-Key`; keeps contact names unique. Faults on
demand: 500s, 429 storms, a connection dropped after the server committed, or held open until a test lets go.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote

from tests.fakes.loopback import Answer, LoopbackServer, to_json
from tests.fakes.xero_books import ACCOUNTS, ITEMS, TAX_RATES, TRACKING, Books, Refused
from tests.fakes.xero_spec import request_problems

API_PREFIX = "/api.xro/2.0"
ACCESS_TOKEN = "fake-xero-access-token"
TENANT_ID = "6f1b1d1c-3c3b-4c1e-9d3f-8a4d2b7e9c01"
_WHERE = re.compile(r'(\w+)\s*==\s*"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True, slots=True)
class Seen:
    method: str
    path: str
    query: dict[str, str]
    idempotency_key: str
    status: int
    replayed: bool = False


def _where(items: list[dict[str, Any]], clause: str | None) -> list[dict[str, Any]]:
    for name, value in _WHERE.findall(clause or ""):
        value = value.replace('\\"', '"').replace("\\\\", "\\")
        items = [i for i in items if str(i.get(name, "")).casefold() == value.casefold()]
    return items


class FakeXero(LoopbackServer):
    def __init__(self, *, per_minute: int = 60, window_seconds: float = 60.0, concurrent: int = 5,
                 tenants: tuple[tuple[str, str], ...] = ((TENANT_ID, "Demo Company (NZ)"),)) -> None:
        super().__init__()
        self.books = Books()
        self.per_minute, self.window_seconds, self.concurrent = per_minute, window_seconds, concurrent
        self.tenants = tenants
        self.tokens = {ACCESS_TOKEN}
        self.seen: list[Seen] = []
        self.spec_problems: list[str] = []
        self.max_in_flight = 0
        self._calls: dict[str, deque[float]] = {}
        self._in_flight: dict[str, int] = {}
        self._replies: dict[tuple[str, str], tuple[int, bytes]] = {}

    @property
    def api_url(self) -> str:
        return self.url + API_PREFIX

    @property
    def connections_url(self) -> str:
        return self.url + "/connections"

    # Faults, applied to the next accounting requests in order

    def fail_next(self, count: int = 1, status: int = 500, method: str | None = None) -> None:
        self._queue("status", status, count, method)

    def storm(self, count: int, retry_after: int = 1, method: str | None = None) -> None:
        """The next `count` requests get 429, as if another app had used up the minute."""
        self._queue("429", retry_after, count, method)

    def drop_after_commit(self, count: int = 1, method: str | None = "PUT") -> None:
        """The next `count` requests are carried out, then the connection closes without an answer."""
        self._queue("drop", None, count, method)

    def hold_after_commit(self, method: str | None = "PUT") -> None:
        """The next request is carried out, `committed` is set, and no answer comes until `release` is set."""
        self._queue("hold", None, 1, method)

    def use_up_minute(self, tenant: str = TENANT_ID) -> None:
        """As if another app had just made every call this window allows: the next call gets Xero's 429."""
        with self._lock:
            self._calls[tenant] = deque([time.monotonic()] * self.per_minute)

    def new_window(self) -> None:
        """As if a minute had passed: no call counts against the limit any more."""
        with self._lock:
            self._calls.clear()

    # What tests look at

    def calls(self, method: str | None = None, path: str | None = None) -> int:
        return sum(1 for s in self.seen if (method is None or s.method == method) and (path is None or s.path == path))

    def invoices(self) -> list[dict[str, Any]]:
        return [self.books.public(i) for i in self.books.invoices.values()]

    # HTTP

    def _answer(self, method: str, path: str, query: dict[str, str], raw: bytes, headers: Any) -> Answer:
        token = (headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if token not in self.tokens:
            return 401, to_json({"Title": "Unauthorized", "Status": 401, "Detail": "TokenExpired"}), {}, ""
        if path == "/connections":
            return 200, to_json([{"id": f"c-{t}", "tenantId": t, "tenantType": "ORGANISATION", "tenantName": n}
                                  for t, n in self.tenants]), {}, ""
        tenant = headers.get("xero-tenant-id") or ""
        if tenant not in {t for t, _ in self.tenants}:
            return 403, to_json({"Title": "Forbidden", "Status": 403, "Detail": "AuthenticationUnsuccessful"}), {}, ""
        if "application/json" not in (headers.get("Accept") or ""):
            return 400, to_json({"Message": "Send Accept: application/json (Xero answers XML otherwise)."}), {}, ""
        limited = self._limit(tenant)
        if limited is not None:
            self._seen(method, path, query, headers, 429)
            return 429, b"", limited, ""
        try:
            fault, value = self._fault(method)
            return self._dispatch(method, path, query, raw, headers, tenant, fault, value)
        finally:
            with self._lock:
                self._in_flight[tenant] -= 1

    def _limit(self, tenant: str) -> dict[str, str] | None:
        with self._lock:
            now = time.monotonic()
            calls = self._calls.setdefault(tenant, deque())
            while calls and calls[0] <= now - self.window_seconds:
                calls.popleft()
            if self._in_flight.get(tenant, 0) >= self.concurrent:
                self.throttled += 1
                return {"Retry-After": "1", "X-Rate-Limit-Problem": "concurrent"}
            if len(calls) >= self.per_minute:
                self.throttled += 1
                wait = max(1, math.ceil(calls[0] + self.window_seconds - now))
                return {"Retry-After": str(wait), "X-Rate-Limit-Problem": "minute", "X-MinLimit-Remaining": "0"}
            calls.append(now)
            self._in_flight[tenant] = self._in_flight.get(tenant, 0) + 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight[tenant])
            self._remaining = self.per_minute - len(calls)
            return None

    _remaining = 0

    def _limit_headers(self) -> dict[str, str]:
        return {"X-MinLimit-Remaining": str(max(0, self._remaining)), "X-DayLimit-Remaining": "4900",
                "X-AppMinLimit-Remaining": "9900"}

    def _seen(self, method: str, path: str, query: dict[str, str], headers: Any, status: int,
              replayed: bool = False) -> None:
        with self._lock:
            self.seen.append(Seen(method, path.removeprefix(API_PREFIX), query,
                                  headers.get("Idempotency-Key") or "", status, replayed))

    def _dispatch(self, method: str, path: str, query: dict[str, str], raw: bytes, headers: Any, tenant: str,
                  fault: str, value: Any) -> Answer:
        limits = self._limit_headers()
        if fault == "status":
            self._seen(method, path, query, headers, value)
            return value, to_json({"Title": "An error occurred", "Status": value}), limits, ""
        if fault == "429":
            self._seen(method, path, query, headers, 429)
            with self._lock:
                self.throttled += 1
            return 429, b"", {"Retry-After": str(value), "X-Rate-Limit-Problem": "minute"}, ""
        key = headers.get("Idempotency-Key") or ""
        if key and (tenant, key) in self._replies:
            status, body = self._replies[(tenant, key)]
            self._seen(method, path, query, headers, status, replayed=True)
            return status, body, limits, fault
        octets = (headers.get("Content-Type") or "").startswith("application/octet-stream")
        body_value = raw if octets else json.loads(raw, parse_float=Decimal) if raw else None
        resource = path.removeprefix(API_PREFIX)
        problems = request_problems(method, resource, query, body_value)
        if len(key) > 128:
            problems.append("Idempotency-Key is longer than 128 characters")
        if problems:
            self.spec_problems += problems
            status, body = 400, to_json({"ErrorNumber": 10, "Type": "ValidationException",
                                          "Message": "A validation exception occurred",
                                          "Elements": [{"ValidationErrors": [{"Message": p} for p in problems]}]})
        else:
            status, body = self._route(method, resource, query, body_value, headers)
        if key and method in ("PUT", "POST") and status < 500:
            self._replies[(tenant, key)] = (status, body)
        self._seen(method, path, query, headers, status)
        return status, body, limits, fault

    def _route(self, method: str, resource: str, query: dict[str, str], body: Any,
               headers: Any) -> tuple[int, bytes]:
        books = self.books
        if method == "GET" and resource == "/Contacts":
            found = _where(list(books.contacts.values()), query.get("where"))
            if query.get("searchTerm"):
                found = [c for c in found if query["searchTerm"].casefold() in c["Name"].casefold()]
            size, page = int(query.get("pageSize", 100)), int(query.get("page", 1))
            return 200, to_json({"Contacts": found[(page - 1) * size:page * size]})
        if method == "PUT" and resource == "/Contacts":
            return self._each(body["Contacts"], "Contacts", lambda c: books.add_contact(c["Name"],
                                                                                      c.get("EmailAddress", "")),
                              query, "HasValidationErrors")
        if method == "GET" and resource == "/Accounts":
            return 200, to_json({"Accounts": _where(ACCOUNTS, query.get("where"))})
        if method == "GET" and resource == "/Items":
            return 200, to_json({"Items": ITEMS})
        if method == "GET" and resource == "/TaxRates":
            return 200, to_json({"TaxRates": _where(TAX_RATES, query.get("where"))})
        if method == "GET" and resource == "/TrackingCategories":
            return 200, to_json({"TrackingCategories": TRACKING})
        if resource == "/Invoices" and method in ("PUT", "POST"):
            action = books.create_invoice if method == "PUT" else books.update_invoice
            return self._each(body["Invoices"], "Invoices", lambda i: books.public(action(i)), query, "HasErrors")
        files = re.fullmatch(r"/Invoices/([^/]+)/Attachments(?:/([^/]+))?", resource)
        if files:
            return self._attachments(method, files.group(1), unquote(files.group(2) or ""), query, body)
        email = re.fullmatch(r"/Invoices/([^/]+)/Email", resource)
        if method == "POST" and email:
            try:
                books.email_invoice(email.group(1))
            except Refused as refused:
                return 400, to_json({"ErrorNumber": 10, "Type": "ValidationException",
                                     "Message": "; ".join(refused.messages)})
            return 204, b""
        if method == "GET" and resource == "/Invoices":
            return 200, to_json({"Invoices": self._invoice_query(query, headers.get("If-Modified-Since"))})
        return 404, to_json({"Title": "Not found", "Status": 404, "Detail": f"{method} {resource}"})

    def _attachments(self, method: str, invoice_id: str, name: str, query: dict[str, str],
                     body: Any) -> tuple[int, bytes]:
        """GET lists them; PUT creates one (a second of the same name too, as Xero does); POST replaces by name."""
        books = self.books
        if invoice_id not in books.invoices:
            return 404, to_json({"Title": "Not found", "Status": 404, "Detail": f"Invoice {invoice_id}"})
        if method == "GET" and not name:
            return 200, to_json({"Attachments": books.attachments_of(invoice_id)})
        if method in ("PUT", "POST") and name:
            online = query.get("IncludeOnline", "false").lower() == "true"
            made = books.attach(invoice_id, name, body, online if method == "PUT" else None)
            return 200, to_json({"Attachments": [made]})
        return 404, to_json({"Title": "Not found", "Status": 404, "Detail": f"{method} attachments"})

    def _invoice_query(self, query: dict[str, str], since_header: str | None) -> list[dict[str, Any]]:
        with self.books.lock:
            found = list(self.books.invoices.values())
        if query.get("IDs"):
            wanted = set(query["IDs"].split(","))
            found = [i for i in found if i["InvoiceID"] in wanted]
        if query.get("Statuses"):
            found = [i for i in found if i["Status"] in query["Statuses"].split(",")]
        if since_header:
            since: datetime = parsedate_to_datetime(since_header)
            found = [i for i in found if i["_updated"].replace(microsecond=0) >= since]
        page = int(query.get("page", 1))
        return [self.books.public(i) for i in found[(page - 1) * 100:page * 100]]

    @staticmethod
    def _each(items: list[dict[str, Any]], name: str, make: Any, query: dict[str, str],
              error_flag: str) -> tuple[int, bytes]:
        """Xero's batch behaviour: with summarizeErrors=false every document gets its own verdict."""
        results, failed = [], False
        for item in items:
            try:
                results.append({**make(item), "StatusAttributeString": "OK"})
            except Refused as refused:
                failed = True
                results.append({**item, error_flag: True, "StatusAttributeString": "ERROR",
                                "ValidationErrors": [{"Message": m} for m in refused.messages]})
        if failed and query.get("summarizeErrors", "true").lower() != "false":
            return 400, to_json({"ErrorNumber": 10, "Type": "ValidationException",
                                  "Message": "A validation exception occurred",
                                  "Elements": [r for r in results if r.get(error_flag)]})
        return 200, to_json({name: results})
