"""SQLModel tables, one module per area. Importing this package registers every table on the metadata."""

import importlib
import pkgutil

from app.store.tables.core import AppRunRow, ClientRow, EntryRow, ProjectRow, SettingRow, TaskRow

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["AppRunRow", "ClientRow", "EntryRow", "ProjectRow", "SettingRow", "TaskRow"]
