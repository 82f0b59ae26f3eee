"""Talking to the running TimeTally from another process (a second launch, the CLI), and the listener that answers,
without Qt: the one definition of the name, the transport and the messages, shared by both sides.

Transport: `multiprocessing.connection`, a Unix domain socket on Linux and macOS, the named pipe
`\\\\.\\pipe\\<name>` on Windows. One instance per data folder: a `TIMETALLY_HOME` of its own (tests, a second
profile) gets its own name.

Protocol: one length-prefixed message each way per connection (`send_bytes`/`recv_bytes`, never pickle): the
client sends a UTF-8 JSON object, `{"op": "activate"}` or `{"op": "refresh", "areas": [...]}`, and the server
answers `ok` or `error`.

Who may connect: no authkey, because nothing secret is shared between the app and the CLI; the operating system
keeps other users out instead. The socket is made 0600 inside a folder only its user can enter:
`$XDG_RUNTIME_DIR` when it is such a folder, else a 0700 `timetally-<uid>` folder in the temp dir, created when
missing; when another user made that one first (or can enter it) it is left alone and `<data folder>/run` is used.
The pipe keeps Windows' default security, under which only its creator (and administrators) may write to it, and
its name carries a random part kept in the data folder, so another user cannot create it first. Both ends also
ask who is on the other side (`peers`) and ignore a process of another user; each connection's reads time out.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import socket
import stat
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from app.desktop.peers import peer_is_ours
from app.paths import Paths
from app.private_files import private_folder

log = logging.getLogger(__name__)
TIMEOUT = 1.0
MAX_MESSAGE = 64 * 1024
OK, ERROR = b"ok", b"error"
WINDOWS = sys.platform == "win32"
FAMILY = "AF_PIPE" if WINDOWS else "AF_UNIX"


def instance_name(data_dir: Path | None = None, platform: str | None = None,
                  environ: Mapping[str, str] | None = None, temp_dir: Path | None = None) -> str:
    """The server's name: a socket path in a folder only this user can enter, or a pipe name on Windows."""
    env = os.environ if environ is None else environ
    folder = Path(data_dir or Paths.from_env(env).data_dir).expanduser().absolute()
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    if (platform or sys.platform) == "win32":
        return f"timetally-{digest}-{_secret(folder)}"
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and _is_private_folder(Path(runtime)):
        return str(Path(runtime) / f"timetally-{digest}.sock")
    shared = Path(temp_dir or tempfile.gettempdir()) / f"timetally-{os.getuid()}"
    if _is_private_folder(shared, create=True):
        return str(shared / f"{digest}.sock")
    log.warning("%s is not a folder only this user can enter; the instance socket goes in the data folder", shared)
    return str(_own_run_folder(folder) / f"{digest}.sock")


def _is_private_folder(folder: Path, create: bool = False) -> bool:
    """A real folder (not a link) of this user that nobody else may enter; made so when missing and `create`.
    Another user can make `/tmp/timetally-<uid>` first: it is then refused, never used or changed."""
    if create:
        with contextlib.suppress(FileExistsError, FileNotFoundError):
            folder.mkdir(mode=0o700)
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def _own_run_folder(data_dir: Path) -> Path:
    """`<data folder>/run`, private like the data folder itself: the fallback when the temp dir's is taken."""
    run = data_dir / "run"
    private_folder(run)
    return run


def _secret(data_dir: Path) -> str:
    """A random part of the Windows pipe name, kept in the (user-only) data folder: another user cannot guess the
    name, so cannot create the pipe first and pose as the running app."""
    path = data_dir / "instance-id"
    with contextlib.suppress(OSError):
        text = path.read_text(encoding="ascii").strip()
        if len(text) == 16 and all(c in "0123456789abcdef" for c in text):
            return text
    private_folder(data_dir)
    text = secrets.token_hex(8)
    path.write_text(text, encoding="ascii")
    return text


def _address(name: str) -> str:
    return rf"\\.\pipe\{name}" if WINDOWS else name


def send(message: Mapping[str, Any], name: str | None = None, timeout: float = TIMEOUT) -> bool:
    """True when a running instance took the message; False when none is running (or it did not answer, or the
    process listening there is not this user's: it is told nothing)."""
    try:
        with Client(_address(name or instance_name()), FAMILY) as connection:
            if not peer_is_ours(connection.fileno(), server=True):
                log.warning("a process of another user listens on %s; it was told nothing", name)
                return False
            connection.send_bytes(json.dumps(message).encode("utf-8"))
            return connection.poll(timeout) and connection.recv_bytes(len(ERROR)) == OK
    except (OSError, EOFError):
        return False


def activate_running_instance(name: str | None = None) -> bool:
    """Ask the running app to show its window; False when no instance runs."""
    return send({"op": "activate"}, name)


def notify_running_instance(areas: Iterable[str], name: str | None = None) -> bool:
    """After a CLI change: the running app refreshes these areas (`app.ui.events` names) at once."""
    return send({"op": "refresh", "areas": sorted(set(areas))}, name)


@dataclass(frozen=True)
class Request:
    """A message the server accepted: `activate`, or `refresh` with the change areas."""

    op: str
    areas: frozenset[str] = frozenset()


def parse(data: bytes) -> Request | None:
    """The request in a client's message, or None when it is not one this protocol knows."""
    try:
        message = json.loads(data.decode("utf-8"))
    except ValueError:
        return None
    op = message.get("op") if isinstance(message, dict) else None
    if op == "activate":
        return Request("activate")
    areas = message.get("areas") if op == "refresh" else None
    if isinstance(areas, list) and all(isinstance(a, str) for a in areas):
        return Request("refresh", frozenset(areas))
    return None


class InstanceRunning(OSError):
    """Another process holds the name (it runs, or is starting up)."""


class InstanceServer:
    """Accepts connections on a daemon thread and hands each valid request to `deliver`, on that thread.

    On Unix an exclusive `flock` on `<name>.lock`, held while listening and released by the kernel when the
    process dies, decides which of two racing launches serves; a socket file found under that lock was left by a
    crash and is replaced. On Windows the pipe's first-instance flag does the same, and a dead process leaves no
    pipe behind.
    """

    def __init__(self, name: str, deliver: Callable[[Request], None]) -> None:
        self.name = name
        self._deliver = deliver
        self._listener: Listener | None = None
        self._lock: int | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def listening(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def listen(self) -> None:
        """Start serving; `InstanceRunning` when another process has the name, `OSError` when listening fails."""
        try:
            self._listener = self._windows_listener() if WINDOWS else self._unix_listener()
        except BaseException:
            self._unlock()
            raise
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name="single-instance", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the thread (a connection of our own wakes its `accept`), remove the socket, release the lock."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping.set()
            with contextlib.suppress(OSError, EOFError), Client(_address(self.name), FAMILY):
                pass
            thread.join(TIMEOUT)
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()  # on Unix this removes the socket file
            self._listener = None
        self._unlock()

    def _windows_listener(self) -> Listener:
        try:
            return Listener(_address(self.name), FAMILY, backlog=8)
        except PermissionError as exc:  # the pipe exists: created with FILE_FLAG_FIRST_PIPE_INSTANCE by another
            raise InstanceRunning(str(exc)) from exc

    def _unix_listener(self) -> Listener:
        import fcntl

        path = Path(self.name)
        if not _is_private_folder(path.parent):
            raise PermissionError(f"{path.parent} is not a folder only this user can enter")
        lock = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(lock)
            raise InstanceRunning(f"{path}.lock is held") from exc
        self._lock = lock
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISSOCK(path.lstat().st_mode):
                path.unlink()  # nobody holds the lock, so nobody answers on it: a crash left it
        listener = Listener(str(path), FAMILY, backlog=8)
        os.chmod(path, 0o600)
        return listener

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _serve(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._stopping.is_set():
            try:
                connection = listener.accept()
            except OSError as exc:
                if not self._stopping.is_set():
                    log.warning("single-instance server stopped: %s", exc)
                return
            with connection:
                if not self._stopping.is_set():
                    self._answer(connection)

    def _answer(self, connection: Connection) -> None:
        """One request, from a process of this user only, within a time-out per read: a client that sends a
        length and then nothing cannot hold the listener."""
        try:
            if not peer_is_ours(connection.fileno(), server=False):
                log.warning("single-instance server: a connection from another user was refused")
                return
            if not WINDOWS:
                _limit_waits(connection.fileno(), TIMEOUT)
            if not connection.poll(TIMEOUT):
                return
            request = parse(connection.recv_bytes(MAX_MESSAGE))
            connection.send_bytes(OK if request else ERROR)
        except (OSError, EOFError) as exc:
            log.warning("single-instance server: a connection failed: %s", exc)
            return
        if request is None:
            log.warning("single-instance server: an unknown message was ignored")
        else:
            self._deliver(request)


def _limit_waits(fd: int, seconds: float) -> None:
    """Each read or write on the socket gives up after `seconds` (EAGAIN, an OSError) instead of blocking."""
    whole = int(seconds)
    timeval = struct.pack("ll", whole, int((seconds - whole) * 1e6))
    with socket.socket(fileno=os.dup(fd)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)
