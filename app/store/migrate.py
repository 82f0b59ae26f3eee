"""Applies Alembic migrations on start-up and refuses a database written by a newer TimeTally."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

from app.domain.errors import DatabaseTooNewError

_SCRIPTS = Path(__file__).with_name("migrations")


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, database: Path) -> bool:
    """Bring the schema to the newest revision; True if anything was applied."""
    script = ScriptDirectory.from_config(_config())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    for rev in current:
        try:
            script.get_revision(rev)
        except CommandError:
            raise DatabaseTooNewError(
                f"The database {database} was written by a newer version of TimeTally (schema '{rev}'). "
                "It has not been changed. Install the newer version, or set TIMETALLY_HOME to another folder."
            ) from None
    if current == set(script.get_heads()):
        return False
    with engine.begin() as conn:
        command.upgrade(_config(conn), "heads")
    return True
