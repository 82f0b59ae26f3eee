"""The loopback HTTP plumbing the fake accounting services share.

A fake subclasses `LoopbackServer` and answers in `_answer`; this module runs the threaded server on 127.0.0.1,
starts and stops it as a context manager, and keeps the faults tests queue up for the next requests (a status, a
429 storm, a connection dropped after the server committed, or held open until a test lets go).
"""

from __future__ import annotations

import json
import socket
import threading
from collections import deque
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

Answer = tuple[int, bytes, dict[str, str], str]
"""Status, body, extra headers, and the fault ("drop", "hold" or "") to apply once the request is carried out."""


def to_json(value: Any) -> bytes:
    """JSON as the services write it: amounts as numbers, dates and the like as strings."""
    return json.dumps(value, default=lambda v: float(v) if isinstance(v, Decimal) else str(v)).encode()


class LoopbackServer:
    """Start with `with Fake() as fake:`; `fake.url` is its base URL on 127.0.0.1."""

    nodelay = False
    """Send answers without Nagle's delay, for fakes whose tests count calls per second."""

    def __init__(self) -> None:
        self.throttled = 0
        self.committed = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._faults: deque[tuple[str, Any, str | None]] = deque()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    # Faults, applied to the next requests whose key (what `_answer` asks about) matches, or any when None

    def _queue(self, kind: str, value: Any, count: int, key: str | None) -> None:
        self._faults.extend([(kind, value, key)] * count)

    def _fault(self, key: str) -> tuple[str, Any]:
        """The first queued fault meant for this key (or any), taken off the queue."""
        with self._lock:
            for fault in self._faults:
                if fault[2] in (None, key):
                    self._faults.remove(fault)
                    return fault[0], fault[1]
        return "", None

    # HTTP

    def _answer(self, method: str, path: str, query: dict[str, str], raw: bytes, headers: Any) -> Answer:
        raise NotImplementedError

    def _reply_headers(self) -> dict[str, str]:
        """Headers on every answer; the fake's own come after and win."""
        return {"Content-Type": "application/json"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = fake.nodelay

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read what the fake saw instead of a request log on stderr."""

            def do_GET(self) -> None:
                fake._serve(self)

            do_PUT = do_POST = do_DELETE = do_GET

        return Handler

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        query = dict(parse_qsl(parts.query))
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        status, body, headers, fault = self._answer(h.command, parts.path, query, raw, h.headers)
        if fault in ("drop", "hold"):
            if fault == "hold":
                self.committed.set()
                self.release.wait(30)
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        h.send_response(status)
        for name, value in {**self._reply_headers(), **headers}.items():
            h.send_header(name, value)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
