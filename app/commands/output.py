"""Shared output helpers for CLI commands: JSON shapes and human lines."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.domain.models import Entry
from app.domain.timefmt import format_duration, utcnow


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def entry_json(entry: Entry, now: datetime | None = None) -> dict[str, Any]:
    return {
        "id": entry.id,
        "start": iso(entry.start),
        "end": iso(entry.end),
        "duration_seconds": entry.seconds(now or utcnow()),
        "description": entry.description,
        "description_origin": str(entry.description_origin),
        "project": entry.project_path,
        "task": entry.task_name or None,
        "source": str(entry.source),
        "status": str(entry.status),
        "locked": entry.locked,
        "billable": entry.billable,
    }


def entry_line(entry: Entry, now: datetime | None = None) -> str:
    end = "running" if entry.end is None else f"{entry.end.astimezone():%H:%M}"
    project = f"{entry.project_path or '(no project)'}{f' · {entry.task_name}' if entry.task_name else ''}"
    text = entry.description or "(no description)"
    return (
        f"#{entry.id:<5} {entry.start.astimezone():%a %Y-%m-%d %H:%M}-{end:<7} "
        f"{format_duration(entry.seconds(now or utcnow())):>6}  {project}  {text}"
    )


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def note(message: str) -> None:
    """A remark for the user that is not the command's output (stderr, so scripts can read stdout)."""
    print(message, file=sys.stderr)


def seconds_arg(most: float) -> Callable[[str], float]:
    """An argparse type: a finite number of seconds above 0 and at most `most` (`nan` and `inf` never end)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
        if not math.isfinite(value) or not 0 < value <= most:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds above 0 and at most {most:,.0f}")
        return value

    return parse


def count_arg(most: int) -> Callable[[str], int]:
    """An argparse type: a whole number from 1 to `most` (ids, limits), so the database never sees one it cannot
    store."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not 1 <= value <= most:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 1 to {most:,}")
        return value

    return parse


ID = count_arg(2**63 - 1)
"""An entry or other row id: what SQLite's INTEGER holds."""
