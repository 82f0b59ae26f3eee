"""The single-instance socket against another local user: a world-writable `/tmp/timetally-<uid>` made first and a
socket there that answers `ok` are refused (the name moves to the data folder, the impostor is told nothing), a
connection from another user is not served, and a client that sends a length and then nothing cannot stop the
listener. The other user is real: a child process that dropped to `nobody`'s uid (the tests run as root)."""

from __future__ import annotations

import hashlib
import os
import pwd
import select
import signal
import socket
import struct
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.desktop import instance_client
from app.desktop.instance_client import InstanceServer, Request, instance_name, notify_running_instance, send
from app.desktop.peers import WindowsApi, windows_peer_is_ours

pytestmark = pytest.mark.skipif(sys.platform != "linux" or os.getuid() != 0,
                                reason="needs root on Linux to act as a second user")


def _nobody() -> tuple[int, int]:
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


class OtherUser:
    """Runs `target(report)` in a forked child that became `nobody`; `report(text)` sends a line back."""

    def __init__(self, target: Callable[[Callable[[str], None]], None]) -> None:
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into pytest
            os.close(read)
            report = lambda text: os.write(write, text.encode() + b"\n")  # noqa: E731
            try:
                uid, gid = _nobody()
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
                target(report)
                code = 0
            except BaseException:
                report("error: " + traceback.format_exc().replace("\n", " | "))
                code = 1
            os._exit(code)
        os.close(write)
        self._read = read
        self.lines: list[str] = []
        self._buffer = b""

    def wait_for(self, line: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while line not in self.lines:
            left = deadline - time.monotonic()
            assert left > 0, f"the other user never said {line!r}: {self.lines}"
            self._pump(left)

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self._read], [], [], timeout)
        if ready:
            chunk = os.read(self._read, 65536)
            if not chunk:
                raise AssertionError(f"the other user ended early: {self.lines}")
            self._buffer += chunk
            *done, self._buffer = self._buffer.split(b"\n")
            self.lines += [d.decode() for d in done]

    def stop(self) -> list[str]:
        with _suppress():
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        while select.select([self._read], [], [], 0)[0]:
            chunk = os.read(self._read, 65536)
            if not chunk:
                break
            self._buffer += chunk
        self.lines += [d.decode() for d in self._buffer.split(b"\n") if d]
        os.close(self._read)
        return self.lines


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


@pytest.fixture
def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder like /tmp: everyone may create in it, sticky. pytest's own tmp is root's alone."""
    folder = Path("/tmp") / f"tt-shared-{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir()
    folder.chmod(0o1777)
    yield folder
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _impostor(folder: Path, sock_name: str) -> Callable[[Callable[[str], None]], None]:
    """Another user makes our folder first, world-writable, and answers `ok` to whatever connects."""

    def run(report: Callable[[str], None]) -> None:
        folder.mkdir()
        folder.chmod(0o777)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(folder / sock_name))
        os.chmod(folder / sock_name, 0o777)
        server.listen(8)
        report("ready")
        while True:
            conn, _ = server.accept()
            conn.settimeout(2)
            try:
                heard = conn.recv(65536)
                if heard:  # a connect that is closed at once tells nothing
                    report("got " + heard[4:].decode(errors="replace"))
                conn.sendall(struct.pack("!i", 2) + b"ok")
            except OSError:
                pass
            conn.close()

    return run


def test_a_folder_and_socket_made_first_by_another_user_are_refused(tmp_path: Path, shared_tmp: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    theirs = shared_tmp / f"timetally-{os.getuid()}"
    digest = hashlib.sha256(str(data.absolute()).encode()).hexdigest()[:12]
    impostor = OtherUser(_impostor(theirs, f"{digest}.sock"))
    delivered: list[Request] = []
    server = None
    try:
        impostor.wait_for("ready")
        assert not send({"op": "activate"}, str(theirs / f"{digest}.sock"))  # it answers ok, but is not us
        name = instance_name(data, "linux", {}, temp_dir=shared_tmp)
        assert Path(name) == data / "run" / f"{digest}.sock"
        with pytest.raises(PermissionError):
            InstanceServer(str(theirs / "mine.sock"), delivered.append).listen()
        server = InstanceServer(name, delivered.append)
        server.listen()
        assert notify_running_instance(["entries"], name)
        _wait_for(delivered)
        assert delivered == [Request("refresh", frozenset({"entries"}))]
    finally:
        if server is not None:
            server.close()
        lines = impostor.stop()
    assert [line for line in lines if line != "ready"] == []  # the impostor heard nothing, not even the activate
    assert os.stat(theirs).st_uid == _nobody()[0]  # and its folder was left alone


def test_a_connection_from_another_user_is_not_served(shared_tmp: Path) -> None:
    folder = shared_tmp / "sock"
    folder.mkdir(mode=0o700)
    delivered: list[Request] = []
    server = InstanceServer(str(folder / "s.sock"), delivered.append)
    server.listen()
    # Open the door as a careless system would; the kernel's word on who connects still stands.
    folder.chmod(0o755)
    os.chmod(folder / "s.sock", 0o777)

    def knock(report: Callable[[str], None]) -> None:
        from multiprocessing.connection import Client

        with Client(str(folder / "s.sock"), "AF_UNIX") as conn:
            try:
                conn.send_bytes(b'{"op": "activate"}')
                report("answer " + conn.recv_bytes().decode() if conn.poll(5) else "no answer")
            except (EOFError, OSError):
                report("closed")

    other = OtherUser(knock)
    try:
        deadline = time.monotonic() + 10
        while not any(line.startswith(("answer", "closed", "no answer", "error")) for line in other.lines):
            assert time.monotonic() < deadline, other.lines
            other._pump(0.2)
    finally:
        lines = other.stop()
        server.close()
    assert lines[0] == "closed" and delivered == []


def test_a_client_that_sends_a_length_and_nothing_else_cannot_stop_the_listener(tmp_path: Path) -> None:
    folder = tmp_path / "sock"
    folder.mkdir(mode=0o700)
    name = str(folder / "s.sock")
    delivered: list[Request] = []
    server = InstanceServer(name, delivered.append)
    server.listen()
    stalls = []
    try:
        for _ in range(3):
            stall = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            stall.connect(name)
            stall.sendall(struct.pack("!i", 100))  # a length, then silence
            stalls.append(stall)
        started = time.monotonic()
        while not send({"op": "activate"}, name, timeout=1.0):
            assert time.monotonic() - started < 4 * instance_client.TIMEOUT + 5, "the listener is stuck"
        _wait_for(delivered)
        assert delivered == [Request("activate")]
        assert server.listening
    finally:
        for stall in stalls:
            stall.close()
        server.close()


def _wait_for(delivered: list[Request]) -> None:
    """The server answers `ok` first and hands the request over just after."""
    deadline = time.monotonic() + 10
    while not delivered and time.monotonic() < deadline:
        time.sleep(0.01)


class FakeWindows(WindowsApi):
    def __init__(self, sids: dict[int, str], peer: int | None) -> None:
        self.sids = sids
        self.peer = peer
        self.asked: list[tuple[int, bool]] = []

    def pipe_peer_pid(self, handle: int, server: bool) -> int | None:
        self.asked.append((handle, server))
        return self.peer

    def user_sid(self, pid: int) -> str | None:
        return self.sids.get(pid)


@pytest.mark.parametrize(("peer_sid", "trusted"), [("S-1-5-21-1-1001", True), ("S-1-5-21-1-1002", False),
                                                    (None, False)])
def test_a_windows_pipe_is_trusted_only_when_its_process_runs_as_this_user(peer_sid: str | None,
                                                                           trusted: bool) -> None:
    sids = {os.getpid(): "S-1-5-21-1-1001"}
    if peer_sid:
        sids[4242] = peer_sid
    api = FakeWindows(sids, 4242)
    assert windows_peer_is_ours(77, server=True, api=api) is trusted
    assert api.asked == [(77, True)]
    assert windows_peer_is_ours(77, server=False, api=FakeWindows(sids, None)) is False


def test_the_windows_pipe_name_holds_a_secret_of_the_data_folder(tmp_path: Path) -> None:
    one = instance_name(tmp_path / "a", "win32", {})
    assert one == instance_name(tmp_path / "a", "win32", {})
    secret = (tmp_path / "a" / "instance-id").read_text()
    assert one.endswith(secret) and len(secret) == 16
    assert os.stat(tmp_path / "a").st_mode & 0o077 == 0
    assert instance_name(tmp_path / "b", "win32", {}) != one
