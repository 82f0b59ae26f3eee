"""`POST /batch`: up to 30 creates and updates in one request, each answered on its own.

The request's `requestid` is made from the keys of the documents it carries, so a batch repeated after a lost answer
is recognised and answered as the first time. Items are matched to answers by `bId` (Intuit does not keep the
order); an item without an answer is reported as not sent, to be sent again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.sync.quickbooks.client import Fault, QuickBooksClient, QuickBooksError, faults

BATCH_SIZE = 30
REQUESTID_LENGTH = 50


@dataclass(frozen=True, slots=True)
class Operation:
    """One item: `key` is the local document's idempotency key, `body` the entity as QuickBooks reads it."""

    key: str
    entity: str
    operation: str
    body: dict[str, Any]
    describe: dict[str, Any] = field(default_factory=dict)
    """For the audit log: which local document this is (never amounts beyond a total)."""


@dataclass(frozen=True, slots=True)
class ItemResult:
    key: str
    record: dict[str, Any] | None
    faults: tuple[Fault, ...] = ()
    retryable: bool = False
    message: str = ""
    acted: bool = True
    """False when the request certainly never reached QuickBooks."""

    @property
    def ok(self) -> bool:
        return self.record is not None

    @property
    def codes(self) -> set[str]:
        return {f.code for f in self.faults}

    def errors(self) -> tuple[str, ...]:
        return tuple(f.sentence() for f in self.faults) or ((self.message,) if self.message else ())


def requestid(keys: Sequence[str], salt: str = "") -> str:
    """At most 50 characters, the same for the same documents (in any order)."""
    digest = hashlib.sha256(("\n".join(sorted(keys)) + salt).encode()).hexdigest()
    return f"tt-{digest}"[:REQUESTID_LENGTH]


def bid(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def send(client: QuickBooksClient, operations: Sequence[Operation], salt: str = "",
         cancelled: Callable[[], bool] | None = None) -> list[ItemResult]:
    """One request for at most 30 operations; one result per operation, in the given order."""
    if not operations:
        return []
    if len(operations) > BATCH_SIZE:
        raise ValueError(f"a QuickBooks batch carries at most {BATCH_SIZE} items")
    body = {"BatchItemRequest": [{"bId": bid(op.key), "operation": op.operation, op.entity: op.body}
                                 for op in operations]}
    try:
        answer = client.request("POST", "batch", body=body, requestid=requestid([op.key for op in operations], salt),
                                transformed=json.dumps([op.describe for op in operations]), remote_ids=_remote_ids,
                                batch=True, cancelled=cancelled)
    except QuickBooksError as exc:
        if not exc.retryable:
            raise
        return [ItemResult(op.key, None, retryable=True, message=str(exc), acted=exc.acted) for op in operations]
    if answer.status >= 400:
        whole = tuple(answer.faults)
        return [ItemResult(op.key, None, whole, message="QuickBooks refused the batch.") for op in operations]
    by_bid = {str(item.get("bId")): item for item in (answer.body or {}).get("BatchItemResponse") or []}
    return [_result(op, by_bid.get(bid(op.key))) for op in operations]


def _result(op: Operation, item: dict[str, Any] | None) -> ItemResult:
    if item is None:
        return ItemResult(op.key, None, retryable=True, message="QuickBooks gave no answer for this item.")
    if item.get("Fault"):
        return ItemResult(op.key, None, tuple(faults(item)), message="QuickBooks refused it.")
    record = item.get(op.entity)
    if not isinstance(record, dict):
        return ItemResult(op.key, None, retryable=True, message="QuickBooks answered without the record.")
    return ItemResult(op.key, record)


def _remote_ids(body: Any) -> tuple[str, ...]:
    found = []
    for item in (body or {}).get("BatchItemResponse") or []:
        for value in item.values():
            if isinstance(value, dict) and value.get("Id"):
                found.append(str(value["Id"]))
    return tuple(found)
