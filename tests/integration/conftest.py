from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest

from tests.desktop import Desktop, available, x_desktop
from tests.fakes.keyrings import MemoryKeyring


@pytest.fixture
def desktop() -> Iterator[Desktop]:
    """Xvfb + openbox on a free display."""
    if not available():
        pytest.fail("Xvfb, openbox, xdotool and xprop are required (make test installs them)")
    with x_desktop() as desk:
        yield desk


@pytest.fixture
def tray_desktop() -> Iterator[Desktop]:
    """Xvfb + openbox + trayer as the system-tray host."""
    if not available():
        pytest.fail("Xvfb, openbox, xdotool and xprop are required (make test installs them)")
    with x_desktop(tray=True) as desk:
        yield desk


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets its own in-memory keyring, never the user's real one."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)
