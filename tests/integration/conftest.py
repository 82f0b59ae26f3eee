from __future__ import annotations

from collections.abc import Callable, Iterator

import keyring
import pytest

from app.cli import main
from tests.desktop import Desktop, available, x_desktop
from tests.fakes.keyrings import MemoryKeyring
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import fake_company
from tests.fakes.xero_server import FakeXero


@pytest.fixture
def timetally(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Runs the CLI in this process: (exit code, stdout, stderr)."""
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


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


@pytest.fixture
def xero() -> Iterator[FakeXero]:
    """A fake Xero on loopback; every request it saw must have conformed to Xero's spec."""
    with FakeXero() as server:
        yield server
    assert server.spec_problems == [], "a request did not conform to the Xero spec"


@pytest.fixture
def quickbooks() -> Iterator[FakeQuickBooks]:
    """A fake QuickBooks company on loopback; every entity written must have conformed to Intuit's schema."""
    with fake_company() as server:
        yield server
    assert server.spec_problems == [], "a request did not conform to Intuit's schema"
