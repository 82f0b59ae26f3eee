from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.desktop import Desktop, available, x_desktop


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
