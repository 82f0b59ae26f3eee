from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from tests.fakes.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets its own in-memory keyring, never the user's real one."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)
