"""Shared fixtures: every test gets its own TIMETALLY_HOME and database; Qt runs offscreen unless a test starts X."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty TIMETALLY_HOME for this test."""
    root = tmp_path / "home"
    monkeypatch.setenv("TIMETALLY_HOME", str(root))
    return root


@pytest.fixture
def core(home: Path) -> Iterator[object]:
    """The real services on a fresh SQLite file."""
    from app.bootstrap import build_core

    built = build_core()
    yield built
    built.close()
