"""Single instance: a second launch brings the first forward; the CLI's plain-socket client reaches the Qt server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.desktop.instance_client import instance_name, notify_running_instance, send
from app.ui.single_instance import SingleInstance

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the tests speak to the Unix socket directly")


@pytest.fixture
def instance(home: Path, qtbot: QtBot) -> Iterator[SingleInstance]:
    first = SingleInstance()
    assert first.claim()
    yield first
    first.close()


def _python(code: str) -> subprocess.Popen[str]:
    """Another process with this test's environment (so the same TIMETALLY_HOME, hence the same name)."""
    return subprocess.Popen(
        [sys.executable, "-c", code], env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_the_name_follows_the_data_folder(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir()
    env = {"XDG_RUNTIME_DIR": str(runtime)}

    one = instance_name(tmp_path / "a", "linux", env)

    assert Path(one).parent == runtime and one.endswith(".sock")
    assert one == instance_name(tmp_path / "a", "linux", env)
    assert one != instance_name(tmp_path / "b", "linux", env)
    assert instance_name(tmp_path / "a", "win32", env).startswith("timetally-")
    assert len(instance_name(tmp_path / "a", "linux", {})) < 100  # Unix socket paths are limited to ~104 bytes


def test_a_second_launch_brings_the_first_forward_and_gives_up(instance: SingleInstance, qtbot: QtBot) -> None:
    with qtbot.waitSignal(instance.activate_requested, timeout=10_000):
        second = _python(
            "import sys\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from app.ui.single_instance import SingleInstance\n"
            "app = QCoreApplication([])\n"
            "sys.exit(0 if SingleInstance().claim() else 3)\n"
        )
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=10_000)
    assert second.returncode == 3, second.stderr.read() if second.stderr else ""


def test_the_cli_client_reaches_the_app_without_qt(instance: SingleInstance, qtbot: QtBot) -> None:
    with qtbot.waitSignal(instance.refresh_requested, timeout=10_000) as signal:
        cli = _python(
            "import sys\n"
            "from app.desktop.instance_client import notify_running_instance\n"
            "delivered = notify_running_instance({'timer', 'entries'})\n"
            "sys.exit(4 if 'PySide6' in sys.modules else 0 if delivered else 5)\n"
        )
        qtbot.waitUntil(lambda: cli.poll() is not None, timeout=10_000)
    assert cli.returncode == 0, cli.stderr.read() if cli.stderr else ""
    assert signal.args == [frozenset({"timer", "entries"})]


def _in_thread(call: object) -> list[object]:
    """The client blocks until the server answers, and the server answers from this thread's event loop."""
    result: list[object] = []
    threading.Thread(target=lambda: result.append(call()), daemon=True).start()  # type: ignore[operator]
    return result


def test_a_malformed_message_is_refused_and_the_server_keeps_going(instance: SingleInstance, qtbot: QtBot) -> None:
    refreshed: list[frozenset[str]] = []
    instance.refresh_requested.connect(refreshed.append)

    bad = _in_thread(lambda: send({"op": "refresh", "areas": "timer"}, instance.name))
    qtbot.waitUntil(lambda: bad == [False])
    good = _in_thread(lambda: notify_running_instance(["projects"], instance.name))
    qtbot.waitUntil(lambda: good == [True])

    assert refreshed == [frozenset({"projects"})]


def test_no_running_instance_means_not_delivered(home: Path) -> None:
    assert notify_running_instance({"timer"}) is False


def test_a_socket_left_by_a_crash_is_taken_over(home: Path, qtbot: QtBot) -> None:
    name = instance_name()
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(name)
    stale.close()  # the file stays, nobody listens: what a killed app leaves behind
    assert Path(name).exists()

    fresh = SingleInstance()
    try:
        assert fresh.claim() and fresh.is_listening()
        answered = _in_thread(lambda: notify_running_instance({"timer"}))
        qtbot.waitUntil(lambda: answered == [True])
    finally:
        fresh.close()
