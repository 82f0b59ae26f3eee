"""Single instance: a second launch brings the first forward; the CLI's Qt-free client reaches the app's listener;
what arrives is delivered on the GUI thread; a crash's socket and a racing launch are handled."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from multiprocessing.connection import Client
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.desktop import instance_client
from app.desktop.instance_client import InstanceRunning, InstanceServer, instance_name, notify_running_instance, send
from app.ui import single_instance
from app.ui.single_instance import SingleInstance

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the tests look at the Unix socket file")


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private runtime folder per test, short enough for a socket path (pytest's tmp_path can be too long)."""
    folder = Path(tempfile.mkdtemp(prefix="tt-"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


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
    runtime.mkdir(mode=0o700)
    env = {"XDG_RUNTIME_DIR": str(runtime)}

    one = instance_name(tmp_path / "a", "linux", env)

    assert Path(one).parent == runtime and one.endswith(".sock")
    assert one == instance_name(tmp_path / "a", "linux", env)
    assert one != instance_name(tmp_path / "b", "linux", env)
    assert instance_name(tmp_path / "a", "win32", env).startswith("timetally-")
    fallback = instance_name(tmp_path / "a", "linux", {})
    assert Path(fallback).parent.name == f"timetally-{os.getuid()}"
    assert len(fallback) < 100  # Unix socket paths are limited to ~104 bytes


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


def test_messages_arrive_as_signals_on_the_gui_thread(instance: SingleInstance, qtbot: QtBot) -> None:
    threads: list[int] = []
    instance.activate_requested.connect(lambda: threads.append(threading.get_ident()))
    instance.refresh_requested.connect(lambda _areas: threads.append(threading.get_ident()))

    with qtbot.waitSignal(instance.activate_requested):
        assert not SingleInstance().claim()  # a second claim in this process: the first is asked to show itself
    with qtbot.waitSignal(instance.refresh_requested) as refreshed:
        assert notify_running_instance(["timer", "timer", "entries"], instance.name)

    assert refreshed.args == [frozenset({"timer", "entries"})]
    assert threads == [threading.main_thread().ident] * 2


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


def _raw(name: str, data: bytes) -> bytes:
    with Client(name, "AF_UNIX") as connection:
        connection.send_bytes(data)
        return connection.recv_bytes()


@pytest.mark.parametrize(
    "data",
    [b"not json", b"\xff\xfe", b'["activate"]', b'{"op": "quit"}', b'{"op": "refresh", "areas": "timer"}'],
    ids=["text", "not-utf8", "not-an-object", "unknown-op", "areas-not-a-list"],
)
def test_a_malformed_message_is_refused_and_the_server_keeps_going(
    instance: SingleInstance, qtbot: QtBot, data: bytes
) -> None:
    refreshed: list[frozenset[str]] = []
    instance.refresh_requested.connect(refreshed.append)

    assert _raw(instance.name, data) == b"error"
    assert notify_running_instance(["projects"], instance.name)
    qtbot.waitUntil(lambda: refreshed == [frozenset({"projects"})])


def test_an_oversized_message_is_dropped_unread(instance: SingleInstance) -> None:
    with pytest.raises((EOFError, OSError)):
        _raw(instance.name, b" " * (instance_client.MAX_MESSAGE + 1))
    assert send({"op": "activate"}, instance.name)


def test_no_running_instance_means_not_delivered(home: Path) -> None:
    assert notify_running_instance({"timer"}) is False


def test_the_socket_is_private_and_close_removes_it(instance: SingleInstance, runtime_dir: Path) -> None:
    path = Path(instance.name)
    assert path.parent == runtime_dir
    assert instance.is_listening()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    instance.close()

    assert not path.exists() and not instance.is_listening()
    assert not notify_running_instance({"timer"})
    assert not [t for t in threading.enumerate() if t.name == "single-instance"]
    again = SingleInstance()
    try:
        assert again.claim() and again.is_listening()
    finally:
        again.close()


def test_a_socket_left_by_a_crash_is_taken_over(home: Path, qtbot: QtBot) -> None:
    name = instance_name()
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(name)
    stale.close()  # the file stays, nobody listens: what a killed app leaves behind
    assert Path(name).exists()

    fresh = SingleInstance()
    try:
        assert fresh.claim() and fresh.is_listening()
        with qtbot.waitSignal(fresh.refresh_requested):
            assert notify_running_instance({"timer"})
    finally:
        fresh.close()


def test_of_two_racing_launches_only_one_listens(home: Path) -> None:
    servers = [InstanceServer(instance_name(), lambda _request: None) for _ in range(2)]
    results: list[str] = []
    start = threading.Barrier(2)

    def claim(server: InstanceServer) -> None:
        start.wait()
        try:
            server.listen()
            results.append("listening")
        except InstanceRunning:
            results.append("running")

    threads = [threading.Thread(target=claim, args=(server,)) for server in servers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(results) == ["listening", "running"]
        assert send({"op": "activate"}, instance_name())
    finally:
        for server in servers:
            server.close()


def test_a_launch_that_loses_the_race_gives_up(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    winner = InstanceServer(instance_name(), lambda _request: None)
    monkeypatch.setattr(winner, "_serve", lambda: None)  # holds the name but does not answer (yet)
    monkeypatch.setattr(single_instance, "STARTING_UP", 0.2)
    winner.listen()
    try:
        assert not SingleInstance().claim()
    finally:
        winner.close()


def test_without_a_runtime_folder_the_socket_goes_in_a_private_folder_of_ours(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ours = tmp_path / f"timetally-{os.getuid()}"

    first = SingleInstance()
    try:
        assert first.claim() and Path(first.name).parent == ours
        assert stat.S_IMODE(ours.stat().st_mode) == 0o700
    finally:
        first.close()
    ours.chmod(0o755)  # one that others can enter is refused: the socket goes in the data folder instead
    second = SingleInstance()
    try:
        assert second.claim() and second.is_listening() and Path(second.name).parent == home / "run"
        assert stat.S_IMODE(ours.stat().st_mode) == 0o755  # not ours to change
    finally:
        second.close()
