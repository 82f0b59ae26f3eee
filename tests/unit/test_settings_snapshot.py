"""Typed settings: options declared by their owning packages, gathered in one registry, read once per use case."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.billing import options as billing_options
from app.capture import options as capture_options
from app.core import Core
from app.domain.periods import Period
from app.option_registry import OPTIONS
from app.options import Option
from app.store.repositories import SettingsRepository

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts reads of the settings table."""
    counted: list[int] = []
    read = SettingsRepository.read_settings

    def counting(self: SettingsRepository) -> dict[str, Any]:
        counted.append(1)
        return read(self)

    monkeypatch.setattr(SettingsRepository, "read_settings", counting)
    return counted


def test_one_book_reads_the_settings_table_once(core: Core, reads: list[int]) -> None:
    for key, value in [("billing.default_rate", "80"), ("billing.tax", "GST:5"), ("billing.person", "Ana"),
                       ("billing.overtime_daily_hours", 8.0), ("billing.weekend_multiplier", "1.5")]:
        core.settings.set(key, value)
    reads.clear()
    book = core.billing.book()
    assert len(reads) == 1
    assert book.person == "Ana" and str(book.defaults.tax) == "GST:5"
    assert [r.amount for r in book.rates] == [Decimal("80")]
    assert book.multipliers.weekend == Decimal("1.5") and book.multipliers.overtime_daily_seconds == 8 * 3600


def test_a_preview_reads_the_settings_table_once_for_its_options_and_book(core: Core, reads: list[int]) -> None:
    core.catalog.add_path("Acme/Site")
    reads.clear()
    core.billing.preview(Period(date(2026, 3, 2), date(2026, 3, 8)))
    assert len(reads) == 1


def test_a_snapshot_is_typed_and_falls_back_to_the_default(core: Core, reads: list[int]) -> None:
    core.settings.set("capture.idle_seconds", 600)
    reads.clear()
    snapshot = core.settings.snapshot()
    assert snapshot.get(capture_options.IDLE_SECONDS) == 600
    assert snapshot.get(billing_options.CURRENCY) == "USD"
    assert snapshot.value("capture.tracking_hours") == []
    assert len(reads) == 1


def test_every_option_is_declared_once_by_the_package_that_owns_it() -> None:
    declared: dict[str, str] = {}
    for path in APP.rglob("options.py"):
        if path.parent == APP:
            continue  # app/options.py declares what an option is, not options
        package = path.parent.relative_to(APP).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Option":
                key = ast.literal_eval(node.args[0])
                assert key not in declared, f"{key} declared twice"
                declared[key] = package
    assert set(declared) == set(OPTIONS)
    assert declared["billing.currency"] == "billing" and declared["capture.idle_seconds"] == "capture"
    assert all(isinstance(o, Option) and o.key == k for k, o in OPTIONS.items())


def test_settings_imports_no_package_that_declares_options() -> None:
    tree = ast.parse((APP / "settings.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"__future__", "collections.abc", "typing", "app.domain.errors", "app.options"}, imported
