"""A week of captured work, classified and approved: where the whole way to a paid invoice starts, whichever
accounting service the invoice goes to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.domain.models import EntrySource, NewEntry, Span
from app.domain.periods import parse_week
from app.store.spans import SpanStore

WEEK = parse_week("2026-W47")
RULES = """
version = 1

[[rule]]
name = "Acme web"
client = "Acme Ltd"
project = "Website"
task = "Ticket $1"
all = [{ field = "title", regex = 'ACME-(\\d+)' }]
"""


def approved_from_spans(core: Any, folder: Path) -> list[int]:
    """Two ACME tickets captured on 18 November (2 h and 1.5 h), classified by `RULES` and approved as entries."""
    rules = folder / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    core.classifier.import_file(rules)
    base = datetime(2026, 11, 18, tzinfo=UTC).timestamp()
    SpanStore(core.db).add_many([
        Span(base + 9 * 3600, base + 11 * 3600, "code", "ACME-12 login - code"),
        Span(base + 13 * 3600, base + 14.5 * 3600, "code", "ACME-7 search - code"),
    ])
    proposals = core.classifier.propose(WEEK, now=datetime(2026, 11, 22, tzinfo=UTC)).proposals
    assert [p.outcome.task for p in proposals] == ["Ticket 12", "Ticket 7"]
    entry_ids = []
    for p in proposals:
        project = (core.projects.find(f"{p.outcome.client}/{p.outcome.project}")
                   or core.projects.add_project(f"{p.outcome.client}/{p.outcome.project}"))
        task = core.projects.ensure_task(project.id, p.outcome.task)
        entry = core.entries.add(NewEntry(datetime.fromtimestamp(p.start, UTC), datetime.fromtimestamp(p.end, UTC),
                                          p.description, project.id, task.id, EntrySource.CAPTURE))
        core.entries.update(entry.id, status="approved", locked=True)
        entry_ids.append(entry.id)
    return entry_ids


def approved(core: Any, path: str, start: datetime, length: timedelta, note: str = "work") -> int:
    """One approved (locked) entry on the project at `path` (created when missing)."""
    project = core.projects.find(path) or core.projects.add_project(path)
    entry = core.entries.add(NewEntry(start, start + length, note, project.id))
    core.entries.update(entry.id, status="approved", locked=True)
    return int(entry.id)
