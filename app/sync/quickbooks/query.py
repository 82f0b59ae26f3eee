"""The part of Intuit's query language TimeTally uses: `select * from Entity where A = 'x' and B in ('1', '2')`,
paged with STARTPOSITION/MAXRESULTS. No OR and no joins exist; quotes inside values are escaped as `\\'`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.sync.quickbooks.client import Answer

PAGE_SIZE = 1000
"""The most one query may answer."""
IDS_PER_QUERY = 100


def quote(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True, slots=True)
class Where:
    field: str
    value: str | bool | Sequence[str | bool]
    """A sequence makes an `in (...)` condition."""

    def text(self) -> str:
        if isinstance(self.value, str | bool):
            return f"{self.field} = {quote(self.value)}"
        return f"{self.field} in ({', '.join(quote(v) for v in self.value)})"


ANY_STATE = Where("Active", (True, False))
"""Name lists answer only active records unless asked for both."""


def select(entity: str, *where: Where, start: int = 1, limit: int = PAGE_SIZE) -> str:
    clause = " and ".join(w.text() for w in where)
    return (f"select * from {entity}" + (f" where {clause}" if clause else "")
            + f" STARTPOSITION {start} MAXRESULTS {limit}")


def rows(answer: Answer, entity: str) -> list[dict[str, Any]]:
    response = (answer.body or {}).get("QueryResponse") if isinstance(answer.body, dict) else None
    return list((response or {}).get(entity) or [])


def fetch_all(run: Callable[[str], Answer], entity: str, *where: Where) -> list[dict[str, Any]]:
    """Every page of a query, 1000 rows at a time."""
    found: list[dict[str, Any]] = []
    start = 1
    while True:
        page = rows(run(select(entity, *where, start=start)), entity)
        found += page
        if len(page) < PAGE_SIZE:
            return found
        start += PAGE_SIZE


def by_ids(run: Callable[[str], Answer], entity: str, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Records by id, 100 ids per query."""
    wanted = sorted(set(ids), key=lambda i: (len(i), i))
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), IDS_PER_QUERY):
        found += fetch_all(run, entity, Where("Id", wanted[start:start + IDS_PER_QUERY]))
    return found
