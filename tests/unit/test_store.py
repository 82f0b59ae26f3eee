"""The store: pragmas, migrations matching the models, recovery of damaged files, refusals with clear messages."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import app.store.tables  # noqa: F401  (registers every table on the metadata)
from app.domain.errors import DatabaseTooNewError, StoreError
from app.store.db import open_database


def test_fresh_database_uses_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    db.close()


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrations_create_exactly_the_model_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "t.db")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    db.close()
    # Alembic cannot reflect expression indexes or check constraints on SQLite; everything else must agree.
    relevant = [d for d in diff if not (d[0] in ("add_index", "remove_index") and "one_running" in str(d[1]))]
    assert relevant == []


def test_reopening_applies_nothing_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO client (name, archived, created_at) VALUES ('Acme', 0, '2026-01-01')")
    db.close()
    db = open_database(path)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM client").scalar() == "Acme"
    db.close()


def test_garbage_file_is_moved_aside_and_a_fresh_database_starts(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    path.write_bytes(b"this is not a database" * 100)
    db = open_database(path, now=datetime(2026, 11, 21, 9, 30, 0, tzinfo=UTC))
    assert db.recovered_from == tmp_path / "t.db.damaged-20261121T093000"
    assert db.recovered_from.read_bytes().startswith(b"this is not a database")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM time_entry").scalar() == 0
    db.close()


def test_corrupted_pages_are_detected_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    db = open_database(path)
    with db.engine.begin() as conn:
        for i in range(2000):
            name = f"client {i:05d} {'x' * 200}"
            conn.exec_driver_sql(f"INSERT INTO client (name, archived, created_at) VALUES ('{name}', 0, '2026-01-01')")
    db.close()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data), 4096 * 7):  # scribble over several b-tree pages
        data[offset + 8 : offset + 400] = os.urandom(392)
    path.write_bytes(bytes(data))
    db = open_database(path)
    assert db.recovered_from is not None and db.recovered_from.exists()
    assert db.recovered_from.stat().st_size == len(data)
    db.close()


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    open_database(path).close()
    with sqlite3.connect(path) as conn:
        first = "(SELECT min(rowid) FROM alembic_version)"
        conn.execute(f"UPDATE alembic_version SET version_num = '9999_future' WHERE rowid = {first}")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError, match="newer version of TimeTally"):
        open_database(path)
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_gives_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="cannot"):
            open_database(folder / "t.db")
    finally:
        folder.chmod(0o700)


def test_read_only_database_file_gives_a_clear_message(tmp_path: Path) -> None:
    """Root ignores permission bits, so a read-only file is simulated with SQLite's own read-only mode."""
    from sqlalchemy import create_engine

    from app.store.db import Database

    path = tmp_path / "t.db"
    open_database(path).close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    db = Database(path=path, engine=engine)
    from app.store.repositories import ProjectRepository

    with pytest.raises(StoreError, match="read-only"):
        ProjectRepository(db).add_project("Acme/Web")
    db.close()


def test_full_disk_gives_a_clear_message_and_keeps_what_was_saved(tmp_path: Path) -> None:
    """SQLite's page limit produces the same error as a full disk ("database or disk is full")."""
    from sqlalchemy import event

    from app.store.repositories import ProjectRepository

    db = open_database(tmp_path / "t.db")
    projects = ProjectRepository(db)
    projects.add_project("Acme/Kept")
    db.engine.dispose()
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    db.engine.dispose()
    event.listen(db.engine, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(StoreError, match="disk is full"):
        for i in range(500):
            projects.add_project(f"Client {i}/{'x' * 150}")
    assert projects.find("Acme/Kept") is not None
    db.close()


def test_the_schema_has_a_single_head_so_new_revisions_have_one_parent() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import app.store.migrations

    config = Config()
    config.set_main_option("script_location", str(Path(app.store.migrations.__file__).parent))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
