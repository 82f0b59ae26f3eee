"""The SQLite engine: WAL, foreign keys, a busy timeout, integrity check and recovery of a damaged file."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.domain.errors import StoreError
from app.private_files import private_file
from app.store import work
from app.store.migrate import upgrade

BUSY_TIMEOUT_MS = 10_000


def explain(exc: BaseException, database: Path) -> str:
    """A sentence for the user from an SQLite failure."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in text or "read-only" in text:
        return f"TimeTally cannot write to {database}: the file or its folder is read-only."
    if "disk is full" in text or "disk i/o" in text:
        return f"TimeTally cannot write to {database}: the disk is full or failing. Free some space and retry."
    if "unable to open" in text:
        return f"TimeTally cannot open {database}: check that the folder exists and that you may write to it."
    if "locked" in text or "busy" in text:
        return f"The database {database} stayed busy for {BUSY_TIMEOUT_MS // 1000} s; another program holds it."
    return f"The database {database} refused the change: {text}"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _damaged(path: Path) -> str | None:
    """Why the file cannot be used as a database, or None when it passes SQLite's quick integrity check."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            return str(exc)
        raise StoreError(explain(exc, path)) from exc
    except sqlite3.DatabaseError as exc:
        return str(exc)
    problems = [row[0] for row in rows if row[0] != "ok"]
    return "; ".join(problems[:3]) or None


def _move_aside(path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%S")
    backup = path.with_name(f"{path.name}.damaged-{stamp}")
    try:
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{path}{suffix}")
            if part.exists():
                part.rename(Path(f"{backup}{suffix}"))
    except OSError as exc:
        raise StoreError(f"The database {path} is damaged and could not be moved aside: {exc}") from exc
    return backup


@dataclass
class Database:
    path: Path
    engine: Engine
    recovered_from: Path | None = None
    """Where a damaged file was moved, when opening had to start on a fresh one."""

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The current unit of work's transaction (flushed, not committed, at the end of the block), or outside
        one a transaction of its own: committed on success, rolled back on error. SQLite failures made readable."""
        current = work.current()
        try:
            if current is not None:
                session = current.session(self.engine, lambda exc: explain(exc, self.path))
                yield session
                session.flush()
                return
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
                session.commit()
        except DBAPIError as exc:
            raise StoreError(explain(exc, self.path)) from exc

    def close(self) -> None:
        self.engine.dispose()


def create(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    )
    event.listen(engine, "connect", _on_connect)
    return engine


def _check_kind(path: Path) -> None:
    """Refuse what is at the database path when it is not a file SQLite can use as TimeTally's database."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(explain(exc, path)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is a folder, where TimeTally keeps its database file. Move the folder away, "
                         "or set TIMETALLY_HOME to another folder.")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path} is not a regular file (a device, pipe or socket), so it cannot be TimeTally's "
                         "database. Move it away, or set TIMETALLY_HOME to another folder.")


def _foreign(path: Path) -> list[str]:
    """The tables of a database some other program made (TimeTally's always has its schema version and entries);
    empty when the file is TimeTally's or has no tables yet."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise StoreError(explain(exc, path)) from exc
    finally:
        conn.close()
    tables -= {"sqlite_sequence", "sqlite_stat1"}
    return [] if not tables or {"alembic_version", "time_entry"} <= tables else sorted(tables)


def open_database(path: Path, now: datetime | None = None) -> Database:
    """Open (creating or migrating) the database; a damaged file is kept as a timestamped backup. The file and
    its -wal and -shm companions are readable by their user only (SQLite gives the companions the file's mode)."""
    recovered_from = None
    _check_kind(path)
    if path.exists() and path.stat().st_size > 0:
        problem = _damaged(path)
        if problem:
            recovered_from = _move_aside(path, now or datetime.now())
        elif foreign := _foreign(path):
            shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
            raise StoreError(f"{path} is a database of another program (its tables: {shown}), not TimeTally's. "
                             "It has not been changed. Move it away, or set TIMETALLY_HOME to another folder.")
    try:
        for suffix in ("", "-wal", "-shm"):
            private_file(Path(f"{path}{suffix}"), create=not suffix)
    except OSError as exc:
        raise StoreError(f"TimeTally cannot create its database {path}: {exc.strerror or exc}. Check the folder's "
                         "permissions, or set TIMETALLY_HOME to a folder you can write to.") from exc
    engine = create(path)
    try:
        upgrade(engine, path)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(explain(exc, path)) from exc
    except Exception:
        engine.dispose()
        raise
    return Database(path=path, engine=engine, recovered_from=recovered_from)
