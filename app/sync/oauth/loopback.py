"""The loopback redirect listener: one valid callback on the loopback addresses, then it closes.

Xero and Intuit accept only exact, pre-registered redirect URIs, so the port comes from a configured list (the
first free one), never a random one. The listener answers `/callback` only; a `state` that does not match is
refused without ending the wait, so a stray or hostile page cannot abort a sign-in.

Both providers take only `http://localhost:PORT/...`, and a browser may resolve `localhost` to ::1 as well as
127.0.0.1. So, as RFC 8252 section 8.3 asks, the port is held on both loopback addresses: a port that another
program holds on either one is skipped, and no other user can bind [::1] behind our back to receive the code.
"""

from __future__ import annotations

import errno
import hmac
import html
import logging
import os
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.sync.oauth.errors import AuthorizationDenied, CallbackTimeout, Cancelled, OAuthError

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
LOOPBACK6 = "::1"
CALLBACK_PATH = "/callback"
DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class Callback:
    code: str
    realm_id: str | None = None


def _page(title: str, text: str) -> bytes:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>TimeTally</title></head>"
        f"<body style='font-family:sans-serif;margin:3em'><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(text)}</p></body></html>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # SO_REUSEADDR lets another program steal the port on Windows; elsewhere it only skips TIME_WAIT.
    allow_reuse_address = os.name != "nt"
    listener: LoopbackListener


class _Server6(_Server):
    address_family = socket.AF_INET6


_TAKEN = (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1), getattr(errno, "WSAEACCES", -1))
_NO_IPV6 = (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, getattr(errno, "WSAEADDRNOTAVAIL", -1),
            getattr(errno, "WSAEAFNOSUPPORT", -1))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"
    timeout = 15  # an idle browser pre-connection must not hold a thread for long

    def do_GET(self) -> None:
        self.server.listener._on_get(self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self.not_found
        raise AttributeError(name)

    def not_found(self) -> None:
        self.answer(404, "Not found", "This address is not part of TimeTally's sign-in.")

    def answer(self, status: int, title: str, text: str) -> None:
        body = _page(title, text)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """The request line carries the authorization code: never logged."""


class LoopbackListener:
    """Use as a context manager: `with LoopbackListener(ports, state) as lb: url uses lb.redirect_uri; lb.wait()`."""

    def __init__(self, ports: Sequence[int], state: str, *, needs_realm: bool = False, provider: str = "") -> None:
        self._ports = tuple(ports)
        self._state = state.encode()
        self._needs_realm = needs_realm
        self._provider = provider or "The provider"
        self._servers: list[_Server] = []
        self._port: int | None = None
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._finished = False
        self._outcome: Callback | OAuthError | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise OAuthError("The sign-in listener has not started.")
        return self._port

    @property
    def redirect_uri(self) -> str:
        return f"http://localhost:{self.port}{CALLBACK_PATH}"

    def start(self) -> str:
        """Bind the first port of the list that is free on both loopback addresses and serve; returns the URI."""
        for port in self._ports:
            servers = self._bind(port)
            if not servers:
                log.info("redirect port %d is busy; trying the next one", port)
                continue
            for server in servers:
                server.listener = self
            self._servers = servers
            self._port = port
            self._threads = [threading.Thread(target=s.serve_forever, args=(0.1,), name="oauth-loopback",
                                              daemon=True) for s in servers]
            for thread in self._threads:
                thread.start()
            return self.redirect_uri
        raise OAuthError(
            f"The sign-in ports {', '.join(map(str, self._ports))} are all in use by other programs. Close them, "
            "or set TIMETALLY_REDIRECT_PORTS to ports that are free and registered as redirect URIs with the provider."
        )

    @staticmethod
    def _bind(port: int) -> list[_Server]:
        """Servers on 127.0.0.1 and ::1 for `port`; empty when either address has it taken. Only ::1 may be
        missing, on a system without IPv6: then nobody can take it there either."""
        try:
            v4 = _Server((LOOPBACK, port), _Handler)
        except OSError as exc:
            if exc.errno in _TAKEN:
                return []
            raise OAuthError(f"TimeTally cannot listen on {LOOPBACK}:{port}: {exc.strerror or exc}.") from exc
        try:
            return [v4, _Server6((LOOPBACK6, port), _Handler)]
        except OSError as exc:
            if exc.errno in _NO_IPV6:
                return [v4]
            v4.server_close()
            if exc.errno in _TAKEN:
                return []
            raise OAuthError(f"TimeTally cannot listen on [{LOOPBACK6}]:{port}: {exc.strerror or exc}.") from exc

    def wait(self, timeout: float = DEFAULT_TIMEOUT) -> Callback:
        """Block until one valid callback, an error answer, `cancel()` or the timeout; the listener then closes."""
        try:
            if not self._done.wait(timeout):
                with self._lock:
                    self._finished = True
                raise CallbackTimeout(
                    f"No answer came back from the sign-in page within {timeout:g} seconds. Start connecting again."
                )
            outcome = self._outcome
        finally:
            self.close()
        if isinstance(outcome, OAuthError):
            raise outcome
        assert outcome is not None
        return outcome

    def cancel(self) -> None:
        """Safe from any thread: ends `wait()` with `Cancelled`."""
        with self._lock:
            if self._finished:
                return
            self._finished = True
            self._outcome = Cancelled("Connecting was cancelled.")
        self._done.set()

    def close(self) -> None:
        servers, self._servers = self._servers, []
        for server in servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> LoopbackListener:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()
        self.close()

    def _on_get(self, handler: _Handler) -> None:
        url = urlsplit(handler.path)
        if url.path != CALLBACK_PATH:
            handler.not_found()
            return
        params = parse_qs(url.query, keep_blank_values=True)
        with self._lock:
            if self._finished:
                handler.answer(409, "Already done", "This sign-in has already finished. You can close this tab.")
                return
            if not self._state_matches(params.get("state", [])):
                log.warning("a sign-in callback with a wrong or missing state was refused")
                handler.answer(400, "Sign-in not recognised",
                               "This answer does not belong to the sign-in TimeTally is waiting for. "
                               "Start connecting again from TimeTally.")
                return
            self._finished = True
            outcome = self._judge(params)
            self._outcome = outcome
        if isinstance(outcome, Callback):
            handler.answer(200, "Connected", "TimeTally received the authorization. You can close this tab.")
        else:
            handler.answer(400, "Not connected", f"{outcome} You can close this tab.")
        self._done.set()

    def _state_matches(self, values: list[str]) -> bool:
        if len(values) != 1:
            return False
        return hmac.compare_digest(values[0].encode(), self._state)

    def _judge(self, params: dict[str, list[str]]) -> Callback | OAuthError:
        def one(key: str) -> str:
            values = params.get(key, [])
            return values[0].strip() if len(values) == 1 else ""

        error = one("error")
        if error:
            if error == "access_denied":
                text = f"{self._provider} sign-in was declined, so nothing was connected."
            else:
                detail = one("error_description")
                text = f"{self._provider} refused the sign-in ({error}{': ' + detail if detail else ''})."
            return AuthorizationDenied(text, error)
        code = one("code")
        if not code:
            return OAuthError(f"{self._provider} answered without an authorization code. Start connecting again.")
        realm = one("realmId") or None
        if self._needs_realm and not realm:
            return OAuthError(f"{self._provider} answered without a company id (realmId). Start connecting again.")
        return Callback(code=code, realm_id=realm)
