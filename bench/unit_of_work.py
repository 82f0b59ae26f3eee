"""Unit of work cost: what noting each transaction's changes adds to a write, and what one unit of work saves.

    .venv/bin/python bench/unit_of_work.py [--entries 1000] [--runs 3]

Each run uses a throw-away database. Entries are added through the entry repository (a write and a read back
each), (a) one transaction each without the store's change hooks, (b) one transaction each with them, (c) all in
one unit of work with them. CPU time of this process (the machine is shared), medians of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.domain.models import NewEntry  # noqa: E402
from app.store import work  # noqa: E402
from app.store.db import open_database  # noqa: E402
from app.store.repositories import EntryRepository, ProjectRepository  # noqa: E402

HOOKS = ((Session, "before_flush", work._note_flush), (Session, "do_orm_execute", work._note_statement),
         (Session, "after_commit", work._committed))
START = datetime(2026, 11, 17, tzinfo=UTC)


def _run(entries: int, hooks: bool, one_unit: bool) -> float:
    """CPU milliseconds per entry added."""
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "timetally.db")
        repo = EntryRepository(db)
        project = ProjectRepository(db).add_project("Acme/Web")
        if not hooks:
            for target, name, listener in HOOKS:
                event.remove(target, name, listener)

        def add() -> None:
            for i in range(entries):
                start = START + timedelta(minutes=i)
                repo.add(NewEntry(start, start + timedelta(seconds=30), "work", project.id))

        began = time.process_time()
        try:
            if one_unit:
                with work.unit_of_work():
                    add()
            else:
                add()
        finally:
            if not hooks:
                for target, name, listener in HOOKS:
                    event.listen(target, name, listener)
            db.close()
        return (time.process_time() - began) * 1000 / entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases: list[tuple[str, Callable[[], float]]] = [
        ("one transaction each, no change hooks", lambda: _run(args.entries, False, False)),
        ("one transaction each, change hooks", lambda: _run(args.entries, True, False)),
        ("one unit of work, change hooks", lambda: _run(args.entries, True, True)),
    ]
    found: dict[str, list[float]] = {label: [] for label, _ in cases}
    for _ in range(args.runs):
        for label, case in cases:  # interleaved, so a busy moment of the machine spreads over all three
            found[label].append(case())
    for label, times in found.items():
        print(f"{label:40} {statistics.median(times):6.3f} ms CPU per entry (runs: "
              f"{', '.join(f'{t:.3f}' for t in times)})")


if __name__ == "__main__":
    main()
