"""What an ActivityWatch export may hold, as a JSON schema: the whole file is checked before anything is imported,
so one odd event (a duration of 1e20, `"inf"`, data that is a string) refuses the file instead of the history.

Bounds are generous for real exports and tight for absurd ones: a single event lasts at most a year, titles are
cut by capture anyway, and timestamps have ActivityWatch's RFC 3339 shape (their years are checked by the reader).
"""

from __future__ import annotations

from typing import Any

MAX_EVENT_SECONDS = 366 * 86_400
MAX_TEXT = 10_000
MAX_EVENTS = 5_000_000
TIMESTAMP = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|z|[+-]\d{2}:?\d{2})?$"

_TEXT: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT}
EVENT: dict[str, Any] = {
    "type": "object",
    "required": ["timestamp", "data"],
    "properties": {
        "id": {"type": ["integer", "string", "null"]},
        "timestamp": {"type": "string", "maxLength": 40, "pattern": TIMESTAMP},
        "duration": {"type": ["number", "null"], "minimum": 0, "maximum": MAX_EVENT_SECONDS},
        "data": {
            "type": "object",
            "properties": {"app": _TEXT, "title": _TEXT, "status": {"type": "string", "maxLength": 40},
                           "url": _TEXT},
        },
    },
}
BUCKET: dict[str, Any] = {
    "type": "object",
    "required": ["events"],
    "properties": {
        "id": {"type": "string", "maxLength": 1_000},
        "type": {"type": "string", "maxLength": 1_000},
        "events": {"type": "array", "maxItems": MAX_EVENTS, "items": EVENT},
    },
}
EXPORT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "ActivityWatch export (the buckets TimeTally reads)",
    "type": "array",
    "minItems": 1,
    "items": BUCKET,
}
"""Applied to the list of buckets, whichever of the three shapes the file had (see `awimport.read_export`)."""


def problems(buckets: list[Any], limit: int = 5) -> list[str]:
    """The first `limit` places where `buckets` breaks the schema, as `where: what` sentences."""
    from jsonschema import Draft202012Validator

    found: list[str] = []
    for error in Draft202012Validator(EXPORT).iter_errors(buckets):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        found.append(f"buckets{where}: {_short(error.message)}")
        if len(found) >= limit:
            break
    return found


def _short(message: str) -> str:
    """jsonschema quotes the whole offending value; a data field holding a megabyte must not fill the terminal."""
    return message if len(message) <= 200 else message[:120] + " … " + message[-60:]
