"""Talking to the running TimeTally from another process (a second launch, the CLI), without Qt.

The app's `QLocalServer` (`app.ui.single_instance`) listens on the name computed here, so both sides agree:
on Linux and macOS that name is an absolute path and the server is a plain Unix domain socket, which Python's
`socket` module reaches directly; on Windows `QLocalServer` makes it the byte-mode named pipe
`\\\\.\\pipe\\<name>`, which is opened as a file. One instance per data folder: a `TIMETALLY_HOME` of its own
(tests, a second profile) gets its own name.

Protocol: one JSON object per line, UTF-8, `{"op": "activate"}` or `{"op": "refresh", "areas": [...]}`;
the server answers `ok` or `error` on a line of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.paths import Paths

TIMEOUT = 1.0


def instance_name(
    data_dir: Path | None = None, platform: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The server's name: a socket path in the user's runtime folder, or a pipe name on Windows."""
    env = os.environ if environ is None else environ
    folder = data_dir or Paths.from_env(env).data_dir
    digest = hashlib.sha256(str(Path(folder).expanduser().absolute()).encode()).hexdigest()[:12]
    if (platform or sys.platform) == "win32":
        return f"timetally-{digest}"
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        return str(Path(runtime) / f"timetally-{digest}.sock")
    return str(Path(tempfile.gettempdir()) / f"timetally-{os.getuid()}-{digest}.sock")


def send(message: Mapping[str, Any], name: str | None = None, timeout: float = TIMEOUT) -> bool:
    """True when a running instance took the message; False when none is running (or it did not answer)."""
    data = (json.dumps(message) + "\n").encode("utf-8")
    target = name or instance_name()
    try:
        reply = _pipe(target, data) if sys.platform == "win32" else _unix(target, data, timeout)
    except OSError:
        return False
    return reply.strip() == b"ok"


def _unix(path: str, data: bytes, timeout: float) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        sock.sendall(data)
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = sock.recv(64)
            if not chunk:
                break
            reply += chunk
        return reply


def _pipe(name: str, data: bytes) -> bytes:
    """Windows: the pipe has no timeout, but the server answers at once from its event loop."""
    with open(rf"\\.\pipe\{name}", "r+b", buffering=0) as pipe:
        pipe.write(data)
        return pipe.readline()


def activate_running_instance(name: str | None = None) -> bool:
    """Ask the running app to show its window; False when no instance runs."""
    return send({"op": "activate"}, name)


def notify_running_instance(areas: Iterable[str], name: str | None = None) -> bool:
    """After a CLI change: the running app refreshes these areas (`app.ui.events` names) at once."""
    return send({"op": "refresh", "areas": sorted(set(areas))}, name)
