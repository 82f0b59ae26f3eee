"""A fake QuickBooks Online Accounting API v3 on loopback, for one company (realm).

Like Intuit it insists on a bearer token, `minorversion` on every call and `/v3/company/{realmId}/...`; checks every
written entity (batch items too) against Intuit's XSDs, answering a ValidationFault and keeping the problems in
`spec_problems`; answers the query language subset TimeTally uses; replays the first answer for a repeated
`requestid`; enforces DisplayName uniqueness and SyncToken through `Company`; answers `POST /batch` (at most 30
items) with successes and Faults mixed and in its own order; serves change data capture for Invoice and Payment;
limits calls (10 a second, 500 a minute, 40 batches a minute by default) with 429. Faults on demand: 500s, 429
storms, a connection dropped after the server committed.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from email.parser import BytesParser
from email.policy import default
from typing import Any

from tests.fakes.loopback import Answer, LoopbackServer, to_json
from tests.fakes.quickbooks_books import NAME_LISTS, Company, Refused
from tests.fakes.quickbooks_spec import entity_names, problems, type_problems

ACCESS_TOKEN = "fake-qbo-access-token"
REALM_ID = "9130357766900456"
BATCH_LIMIT = 30
_PATH = re.compile(r"^/v3/company/(\w+)/(\w+)(?:/(\w+))?(?:/(send))?$")
_QUERY = re.compile(r"^\s*select \* from (\w+)(?: where (.+?))?(?: STARTPOSITION (\d+))?(?: MAXRESULTS (\d+))?\s*$",
                    re.IGNORECASE)
_CONDITION = re.compile(r"\s*(\w+)\s*(=|in)\s*('(?:[^'\\]|\\.)*'|true|false|\((?:'(?:[^'\\]|\\.)*'|true|false|"
                        r"\s|,)*\))\s*(and\b|$)", re.IGNORECASE)
_VALUE = re.compile(r"'((?:[^'\\]|\\.)*)'|(true|false)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Seen:
    method: str
    path: str
    query: dict[str, str]
    status: int
    replayed: bool = False
    body: Any = None


def _fault(refused: Refused) -> dict[str, Any]:
    return {"Fault": refused.fault(), "time": datetime.now().isoformat()}


def _values(text: str) -> list[Any]:
    found: list[Any] = []
    for quoted, flag in _VALUE.findall(text):
        found.append(flag.lower() == "true" if flag else quoted.replace("\\'", "'").replace("\\\\", "\\"))
    return found


def _conditions(clause: str) -> list[tuple[str, list[Any]]]:
    found, pos = [], 0
    while pos < len(clause):
        match = _CONDITION.match(clause, pos)
        if match is None:
            raise Refused("4002", "QueryParserError", f"Encountered an unsupported query near: {clause[pos:]}",
                          kind="ValidationFault")
        found.append((match.group(1), _values(match.group(3))))
        pos = match.end()
    return found


class FakeQuickBooks(LoopbackServer):
    nodelay = True

    def __init__(self, *, per_second: int = 10, per_minute: int = 500, batches_per_minute: int = 40,
                 second_seconds: float = 1.0, minute_seconds: float = 60.0, retry_after: str | None = None) -> None:
        super().__init__()
        self.company = Company()
        self.limits = ((per_second, second_seconds, "all"), (per_minute, minute_seconds, "all"),
                       (batches_per_minute, minute_seconds, "batch"))
        self.retry_after = retry_after
        """Sent with the 429s of its own limits (Intuit sends none, and clients wait a minute)."""
        self.tokens = {ACCESS_TOKEN}
        self.seen: list[Seen] = []
        self.spec_problems: list[str] = []
        self._windows: dict[tuple[int, float, str], deque[float]] = {}
        self._replies: dict[str, tuple[int, bytes]] = {}

    # Faults, applied to the next API requests (for one path, or any) in order

    def fail_next(self, count: int = 1, status: int = 500, path: str | None = None) -> None:
        self._queue("status", status, count, path)

    def storm(self, count: int, retry_after: int = 0, path: str | None = None) -> None:
        """The next `count` requests get 429, as if another app had used up the company's minute."""
        self._queue("429", retry_after, count, path)

    def drop_after_commit(self, count: int = 1, path: str | None = "batch") -> None:
        """The next `count` requests are carried out, then the connection closes without an answer."""
        self._queue("drop", None, count, path)

    # What tests look at

    def calls(self, path: str | None = None, method: str | None = None) -> int:
        return sum(1 for s in self.seen if (path is None or s.path == path) and (method is None or s.method == method))

    def all(self, entity: str) -> list[dict[str, Any]]:
        with self.company.lock:
            return [dict(r) for r in self.company.records[entity].values()]

    # HTTP

    def _reply_headers(self) -> dict[str, str]:
        return {**super()._reply_headers(), "intuit_tid": f"1-{time.monotonic_ns():x}"}

    def _answer(self, method: str, path: str, query: dict[str, str], raw: bytes, headers: Any) -> Answer:
        token = (headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if token not in self.tokens:
            return 401, to_json({"fault": {"error": [{"message": "AuthenticationFailed", "code": "3200"}]}}), {}, ""
        found = _PATH.match(path)
        if found is None or found.group(1) != REALM_ID:
            return 403, to_json({"Fault": {"Error": [{"Message": "Forbidden", "code": "403"}]}}), {}, ""
        resource = found.group(2) + (f"/{found.group(3)}" if found.group(3) else "")
        if query.get("minorversion") != "75":
            return 400, to_json(_fault(Refused("2010", "Invalid minorversion", "Send minorversion=75"))), {}, ""
        if not self._admit(found.group(2) == "batch"):
            self._see(method, resource, query, 429)
            return 429, b"", {"Retry-After": self.retry_after} if self.retry_after else {}, ""
        fault, value = self._fault(found.group(2))
        if fault == "status":
            self._see(method, resource, query, value)
            return value, to_json({"Fault": {"Error": [{"Message": "An application error has occurred"}],
                                              "type": "SystemFault"}}), {}, ""
        if fault == "429":
            self._see(method, resource, query, 429)
            with self._lock:
                self.throttled += 1
            return 429, b"", {"Retry-After": str(value)}, ""
        key = query.get("requestid", "")
        if key and key in self._replies:
            status, body = self._replies[key]
            self._see(method, resource, query, status, replayed=True)
            return status, body, {}, fault
        upload = found.group(2) == "upload"
        body_value = None if upload else json.loads(raw, parse_float=Decimal) if raw else None
        if upload:
            status, answer = self._upload(method, headers.get("Content-Type") or "", raw)
        elif found.group(4):
            status, answer = self._send_invoice(method, found.group(2), found.group(3), query, raw)
        else:
            status, answer = self._route(method, found.group(2), found.group(3), query, body_value)
        body = to_json(answer)
        if len(key) > 50:
            status, body = 400, to_json(_fault(Refused("2010", "requestid is longer than 50 characters")))
        if key and status < 500:
            self._replies[key] = (status, body)
        self._see(method, resource, query, status, body=body_value)
        return status, body, {}, fault

    def _admit(self, batch: bool) -> bool:
        with self._lock:
            now = time.monotonic()
            for limit, seconds, scope in self.limits:
                if scope == "batch" and not batch:
                    continue
                window = self._windows.setdefault((limit, seconds, scope), deque())
                while window and window[0] <= now - seconds:
                    window.popleft()
                if len(window) >= limit:
                    self.throttled += 1
                    return False
            for limit, seconds, scope in self.limits:
                if scope != "batch" or batch:
                    self._windows[(limit, seconds, scope)].append(now)
            return True

    def _see(self, method: str, path: str, query: dict[str, str], status: int, replayed: bool = False,
             body: Any = None) -> None:
        with self._lock:
            self.seen.append(Seen(method, path, query, status, replayed, body))

    def _route(self, method: str, resource: str, ident: str | None, query: dict[str, str],
               body: Any) -> tuple[int, Any]:
        try:
            if method == "GET" and resource == "query":
                return 200, {"QueryResponse": self._query(query.get("query", ""))}
            if method == "GET" and resource == "cdc":
                return 200, self._cdc(query)
            if method == "POST" and resource == "batch":
                return self._batch(body)
            entity = self._entity(resource)
            if method == "GET" and ident:
                with self.company.lock:
                    record = self.company.records[entity].get(ident)
                if record is None:
                    raise Refused("610", "Object Not Found", f"{entity} {ident} does not exist")
                return 200, {entity: record}
            if method == "POST" and not ident:
                operation = query.get("operation") or ("update" if (body or {}).get("Id") else "create")
                return 200, {entity: self._write(entity, operation, body)}
        except Refused as refused:
            return 400, _fault(refused)
        return 404, {"Fault": {"Error": [{"Message": f"{method} {resource} is not served"}], "type": "SystemFault"}}

    def _upload(self, method: str, content_type: str, raw: bytes) -> tuple[int, Any]:
        """`POST /upload`: multipart with `file_metadata_01` (an Attachable, checked against the XSD) and
        `file_content_01` (the file)."""
        message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        parts = {p.get_param("name", header="content-disposition"): p for p in message.iter_parts()} \
            if message.is_multipart() else {}
        if method != "POST" or set(parts) != {"file_metadata_01", "file_content_01"}:
            found = f"POST /upload takes file_metadata_01 and file_content_01 (got {sorted(map(str, parts))})"
            self.spec_problems.append(found)
            return 400, _fault(Refused("2010", "Request has invalid or unsupported property", found))
        metadata = json.loads(parts["file_metadata_01"].get_payload(decode=True))
        content = parts["file_content_01"].get_payload(decode=True)
        try:
            made = self._write("Attachable", "create", {**metadata, "Size": len(content)})
        except Refused as refused:
            return 400, _fault(refused)
        with self.company.lock:
            self.company.files[made["Id"]] = content
        return 200, {"AttachableResponse": [{"Attachable": made}]}

    def _send_invoice(self, method: str, resource: str, ident: str, query: dict[str, str],
                      raw: bytes) -> tuple[int, Any]:
        """`POST /invoice/{id}/send[?sendTo=]`: no body; the invoice back with its EmailStatus and DeliveryInfo."""
        unknown = set(query) - {"minorversion", "requestid", "sendTo"}
        if method != "POST" or resource != "invoice" or raw or unknown:
            found = f"POST /invoice/{{id}}/send takes no body and only sendTo (got {method} {sorted(unknown)})"
            self.spec_problems.append(found)
            return 400, _fault(Refused("2010", "Request has invalid or unsupported property", found))
        try:
            return 200, {"Invoice": self.company.email_invoice(ident, query.get("sendTo", ""))}
        except Refused as refused:
            return 400, _fault(refused)

    @staticmethod
    def _entity(resource: str) -> str:
        names = {n.lower(): n for n in entity_names()}
        if resource not in names:
            raise Refused("2010", "Unsupported entity", f"/{resource} is not an entity")
        return names[resource]

    def _write(self, entity: str, operation: str, body: Any) -> dict[str, Any]:
        found = problems(entity, body)
        if found:
            self.spec_problems += found
            raise Refused("2010", "Request has invalid or unsupported property", "; ".join(found))
        company = self.company
        with company.lock:
            if operation == "create":
                return company.create(entity, body)
            if operation == "update":
                return company.update(entity, body)
            if operation == "delete":
                return company.delete(entity, body)
            if operation == "void" and entity == "Invoice":
                company._current(entity, body)
                return company.void(body["Id"])
        raise Refused("2010", "Unsupported operation", f"operation={operation} on {entity}")

    def _batch(self, body: Any) -> tuple[int, Any]:
        items = (body or {}).get("BatchItemRequest")
        if not isinstance(items, list) or not items or len(items) > BATCH_LIMIT:
            raise Refused("2010", "Invalid batch", f"Give 1 to {BATCH_LIMIT} BatchItemRequest items")
        envelope = [p for item in items for p in type_problems(
            "BatchItemRequest", {k: v for k, v in item.items() if k not in entity_names()})]
        if envelope:
            self.spec_problems += envelope
            raise Refused("2010", "Invalid batch", "; ".join(envelope))
        answers = [self._batch_item(item) for item in items]
        return 200, {"BatchItemResponse": list(reversed(answers)), "time": datetime.now().isoformat()}

    def _batch_item(self, item: dict[str, Any]) -> dict[str, Any]:
        bid = item.get("bId")
        try:
            if "Query" in item:
                return {"bId": bid, "QueryResponse": self._query(item["Query"])}
            entities = [k for k in item if k in entity_names()]
            if len(entities) != 1:
                raise Refused("2010", "Invalid batch item", "Each item carries exactly one entity")
            entity = entities[0]
            return {"bId": bid, entity: self._write(entity, str(item.get("operation", "create")), item[entity])}
        except Refused as refused:
            return {"bId": bid, "Fault": refused.fault()}

    def _query(self, text: str) -> dict[str, Any]:
        match = _QUERY.match(text)
        if match is None:
            raise Refused("4002", "QueryParserError", f"Encountered an unsupported query: {text}")
        entity, clause = match.group(1), match.group(2) or ""
        entity = self._entity(entity.lower())
        conditions = _conditions(clause)
        with self.company.lock:
            found = list(self.company.records.get(entity, {}).values())
        if entity in (*NAME_LISTS, "Item", "Account") and not any(f == "Active" for f, _ in conditions):
            found = [r for r in found if r.get("Active", True)]
        for field, values in conditions:
            wanted = [v.casefold() if isinstance(v, str) else v for v in values]
            found = [r for r in found if _plain(r.get(field, True if field == "Active" else None)) in wanted]
        start, limit = int(match.group(3) or 1), int(match.group(4) or 100)
        page = found[start - 1:start - 1 + limit]
        return {entity: page, "startPosition": start, "maxResults": len(page)} if page else {}

    def _cdc(self, query: dict[str, str]) -> dict[str, Any]:
        since = datetime.fromisoformat(query["changedSince"])
        responses = []
        for entity in query.get("entities", "").split(","):
            if entity not in ("Invoice", "Payment"):
                raise Refused("2010", "Unsupported entity for CDC", f"{entity} is not supported by change data capture")
            with self.company.lock:
                records = [*self.company.records[entity].values(), *self.company.deleted[entity].values()]
            changed = [r for r in records if datetime.fromisoformat(r["MetaData"]["LastUpdatedTime"]) >= since]
            responses.append({entity: changed} if changed else {})
        return {"CDCResponse": [{"QueryResponse": responses}], "time": datetime.now().isoformat()}


def _plain(value: Any) -> Any:
    if isinstance(value, dict) and "value" in value:
        value = value["value"]  # a reference (CustomerRef) compares by the id it holds, as in Intuit's queries
    return value.casefold() if isinstance(value, str) else value
