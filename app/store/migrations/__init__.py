"""Alembic migrations, applied at start-up by `app.store.db.open_database`."""
