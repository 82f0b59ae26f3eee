"""A real OAuth 2.0 authorization server on loopback, built from authlib's server components.

It enforces what Xero and Intuit enforce: exact redirect URIs, PKCE S256 for public clients, Basic auth for
confidential ones, single-use authorization codes, refresh-token rotation (the old one dies at once) and
revocation. A few protected endpoints stand in for the providers' APIs: Xero's `/connections`, QuickBooks'
`companyinfo`, and `/api/ping` for 401 handling. The consent step is automatic; `deny` makes it refuse.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Error, OAuth2Request, TokenMixin, grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge

from app.sync.oauth.config import DEFAULTS, QUICKBOOKS, XERO, ProviderConfig

Environ = dict[str, Any]
QBO_SECRET = "qbo-secret-value"
QBO_REALM = "9130350000000000"
StartResponse = Callable[..., Any]


@dataclass
class Client(ClientMixin):
    client_id: str
    redirect_uris: list[str]
    scope: str
    client_secret: str = ""
    realm: str = ""
    """QuickBooks-like clients get `realmId` on the callback."""

    @property
    def auth_method(self) -> str:
        return "client_secret_basic" if self.client_secret else "none"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(self.scope.split())
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return bool(self.client_secret) and client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


@dataclass
class AuthCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Token(TokenMixin):
    access_token: str
    refresh_token: str
    client_id: str
    scope: str
    expires_at: float
    revoked: bool = False

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int(self.expires_at - time.time())

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> str:
        return "user"

    def get_client(self) -> ClientMixin:
        raise LookupError("not used")


class _Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers: httpx.Headers, args: dict[str, str], form: dict[str, str]):
        super().__init__(method, uri, headers=headers)
        self._args = args
        self._form = form
        self.payload = BasicOAuth2Payload({**args, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


@dataclass
class Reply:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


class _Server(AuthorizationServer):
    def __init__(self, fake: FakeOAuthServer) -> None:
        super().__init__()
        self.fake = fake

    def query_client(self, client_id: str) -> Client | None:
        return self.fake.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.fake._store_token(token, request.client)

    def create_oauth2_request(self, request: _Request) -> _Request:
        return request

    def create_json_request(self, request: _Request) -> _Request:
        return request

    def handle_response(self, status: int, body: Any, headers: Iterable[tuple[str, str]]) -> Reply:
        data = json.dumps(body).encode() if isinstance(body, dict) else str(body or "").encode()
        return Reply(status, data, list(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]
    server: _Server

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.fake.codes[code] = AuthCode(
            code, request.client.get_client_id(), data.get("redirect_uri", ""), request.scope or "",
            data.get("code_challenge"), data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: ClientMixin) -> AuthCode | None:
        found = self.server.fake.codes.get(code)
        return found if found and found.client_id == client.get_client_id() else None

    def delete_authorization_code(self, authorization_code: AuthCode) -> None:
        self.server.fake.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthCode) -> str:
        return "user"


class _RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: _Server

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        token = self.server.fake.by_refresh.get(refresh_token)
        return token if token and not token.revoked else None

    def authenticate_user(self, refresh_token: Token) -> str:
        return "user"

    def revoke_old_credential(self, refresh_token: Token) -> None:
        refresh_token.revoked = True


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "none"]
    server: _Server

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        fake = self.server.fake
        return fake.by_refresh.get(token_string) or fake.by_access.get(token_string)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        token.revoked = True
        self.server.fake.revocations += 1


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class FakeOAuthServer:
    """Start with `with FakeOAuthServer() as server:`; `server.url` is its base URL on 127.0.0.1."""

    def __init__(self, access_lifetime: int = 1800) -> None:
        self.access_lifetime = access_lifetime
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthCode] = {}
        self.by_access: dict[str, Token] = {}
        self.by_refresh: dict[str, Token] = {}
        self.tenants = [{"id": "c1", "tenantId": "tenant-1", "tenantType": "ORGANISATION", "tenantName": "Demo Co"}]
        self.company_name = "Sandbox Company"
        self.deny = False
        self.token_delay = 0.0
        self.token_requests: list[str] = []
        self.api_calls = 0
        self.revocations = 0
        self._lock = threading.RLock()
        self._auth = _Server(self)
        self._auth.register_token_generator("default", BearerTokenGenerator(
            lambda *a, **k: generate_token(42), lambda *a, **k: generate_token(48),
            lambda client, grant_type: self.access_lifetime,
        ))
        self._auth.register_grant(_CodeGrant, [CodeChallenge(required=True)])
        self._auth.register_grant(_RefreshGrant)
        self._auth.register_endpoint(_Revocation)
        self._httpd: WSGIServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def add_client(self, client_id: str, redirect_uris: list[str], scope: str, secret: str = "",
                   realm: str = "") -> Client:
        client = Client(client_id, redirect_uris, scope, secret, realm)
        self.clients[client_id] = client
        return client

    def refresh_count(self) -> int:
        return self.token_requests.count("refresh_token")

    def expire_access_tokens(self) -> None:
        """The provider stops honouring every access token (e.g. revoked on its side) before their expiry."""
        for token in self.by_access.values():
            token.expires_at = 0.0

    def revoke_everything(self) -> None:
        """As if the user disconnected the app at the provider: refresh tokens answer invalid_grant."""
        for token in self.by_refresh.values():
            token.revoked = True

    def _store_token(self, token: dict[str, Any], client: ClientMixin) -> None:
        stored = Token(token["access_token"], token.get("refresh_token", ""), client.get_client_id(),
                       token.get("scope", ""), time.time() + int(token.get("expires_in", 0)))
        self.by_access[stored.access_token] = stored
        if stored.refresh_token:
            self.by_refresh[stored.refresh_token] = stored

    def __enter__(self) -> FakeOAuthServer:
        self._httpd = make_server("127.0.0.1", 0, self._wsgi, server_class=_ThreadingWSGIServer,
                                  handler_class=_QuietHandler)
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    def _wsgi(self, environ: Environ, start_response: StartResponse) -> list[bytes]:
        reply = self._route(environ)
        start_response(f"{reply.status} X", [("Content-Type", "application/json"), *reply.headers])
        return [reply.body]

    def _route(self, environ: Environ) -> Reply:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        request = self._request(environ)
        if method == "GET" and path == "/authorize":
            return self._authorize(request)
        if method == "POST" and path == "/token":
            self.token_requests.append(request.form.get("grant_type", ""))
            time.sleep(self.token_delay)
            with self._lock:
                return self._auth.create_token_response(request)
        if method == "POST" and path == "/revoke":
            with self._lock:
                return self._auth.create_endpoint_response("revocation", request)
        if method == "GET" and path == "/connections":
            return self._protected(request, lambda: self.tenants)
        if method == "GET" and path.startswith("/v3/company/") and "/companyinfo/" in path:
            return self._protected(request, lambda: {"CompanyInfo": {"CompanyName": self.company_name}})
        if method == "GET" and path == "/api/ping":
            return self._protected(request, lambda: {"ok": True})
        return Reply(404, b'{"error": "not_found"}')

    def _request(self, environ: Environ) -> _Request:
        headers = httpx.Headers({k[5:].replace("_", "-"): v for k, v in environ.items() if k.startswith("HTTP_")})
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length).decode() if length else ""
        if "json" in environ.get("CONTENT_TYPE", ""):
            form = {k: str(v) for k, v in json.loads(raw or "{}").items()}
        else:
            form = dict(parse_qsl(raw))
        query = environ.get("QUERY_STRING", "")
        uri = urlunsplit(("http", environ["HTTP_HOST"], environ.get("PATH_INFO", ""), query, ""))
        return _Request(environ["REQUEST_METHOD"], uri, headers, dict(parse_qsl(query)), form)

    def _authorize(self, request: _Request) -> Reply:
        try:
            grant = self._auth.get_consent_grant(request=request, end_user="user")
        except OAuth2Error as error:
            return self._auth.handle_error_response(request, error)
        with self._lock:
            reply = self._auth.create_authorization_response(request=request, grant_user=None if self.deny else "user",
                                                             grant=grant)
        client = self.clients[request.args["client_id"]]
        if client.realm and not self.deny:
            reply.headers = [(k, _add_query(v, realmId=client.realm) if k == "Location" else v)
                             for k, v in reply.headers]
        return reply

    def _protected(self, request: _Request, body: Callable[[], Any]) -> Reply:
        self.api_calls += 1
        auth = request.headers.get("Authorization", "")
        token = self.by_access.get(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") else None
        if token is None or token.revoked or token.is_expired():
            return Reply(401, b'{"Title": "Unauthorized", "Status": 401}')
        return Reply(200, json.dumps(body()).encode())


def _add_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit(parts._replace(query=query))


def provider_configs(server: FakeOAuthServer, ports: tuple[int, ...], relay: bool = False) -> dict[str, ProviderConfig]:
    """Both providers pointed at this server, registered with exact redirect URIs for `ports`."""
    uris = [f"http://localhost:{port}/callback" for port in ports]
    common = {"authorize_url": f"{server.url}/authorize", "token_url": f"{server.url}/token",
              "revoke_url": f"{server.url}/revoke", "redirect_ports": ports}
    xero = replace(DEFAULTS[XERO], client_id="xero-app", connections_url=f"{server.url}/connections",
                   api_url=f"{server.url}/api", **common)
    qbo = replace(DEFAULTS[QUICKBOOKS], client_id="qbo-app", api_url=server.url, relay=relay, **common)
    server.add_client("xero-app", uris, " ".join(xero.scopes))
    server.add_client("qbo-app", uris, " ".join(qbo.scopes), secret=QBO_SECRET, realm=QBO_REALM)
    return {XERO: xero, QUICKBOOKS: qbo}


def browse(url: str) -> httpx.Response:
    """The user's browser: open the consent page (approved automatically) and follow it back to the app."""
    consent = httpx.get(url, timeout=10)
    assert consent.status_code == 302, consent.text
    return httpx.get(consent.headers["Location"], timeout=10)


def free_ports(count: int) -> tuple[int, ...]:
    """Ports nobody listens on right now (the OS picks them)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return tuple(s.getsockname()[1] for s in sockets)
    finally:
        for s in sockets:
            s.close()
