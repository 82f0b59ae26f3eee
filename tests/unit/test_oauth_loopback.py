from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from app.sync.oauth.errors import AuthorizationDenied, CallbackTimeout, Cancelled, OAuthError
from app.sync.oauth.loopback import LoopbackListener
from tests.fakes.oauth_server import free_ports

STATE = "s3cret-state"


@pytest.fixture
def listener() -> Iterator[LoopbackListener]:
    with LoopbackListener(free_ports(1), STATE, provider="Xero") as lb:
        yield lb


def get(lb: LoopbackListener, query: str, path: str = "/callback") -> httpx.Response:
    return httpx.get(f"http://127.0.0.1:{lb.port}{path}?{query}", timeout=5)


def test_binds_loopback_only_and_names_localhost(listener: LoopbackListener) -> None:
    assert sorted(s.server_address[0] for s in listener._servers) == ["127.0.0.1", "::1"]
    assert listener.redirect_uri == f"http://localhost:{listener.port}/callback"


def test_no_other_program_can_take_the_port_on_ipv6_behind_our_back(listener: LoopbackListener) -> None:
    """RFC 8252 8.3: a browser resolving localhost to ::1 must reach us, not whoever bound [::1] on our port."""
    with socket.socket(socket.AF_INET6) as squatter, pytest.raises(OSError):
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("::1", listener.port))
    answer = httpx.get(f"http://[::1]:{listener.port}/callback?code=abc&state={STATE}", timeout=5)
    assert answer.status_code == 200 and listener.wait(5).code == "abc"


def test_a_port_taken_on_ipv6_only_is_skipped() -> None:
    busy, free = free_ports(2)
    with socket.socket(socket.AF_INET6) as holder:
        holder.bind(("::1", busy))
        holder.listen()
        with LoopbackListener((busy, free), STATE) as lb:
            assert lb.port == free
        with pytest.raises(OAuthError, match="all in use"):
            LoopbackListener((busy,), STATE).start()


def test_one_valid_callback_ends_the_wait_and_closes(listener: LoopbackListener) -> None:
    answer = get(listener, f"code=abc&state={STATE}")
    assert answer.status_code == 200 and "Connected" in answer.text
    assert listener.wait(5).code == "abc"
    with pytest.raises(httpx.ConnectError):
        get(listener, f"code=abc&state={STATE}")


def test_a_second_callback_is_refused(listener: LoopbackListener) -> None:
    assert get(listener, f"code=abc&state={STATE}").status_code == 200
    replay = get(listener, f"code=evil&state={STATE}")
    assert replay.status_code == 409
    assert listener.wait(5).code == "abc"


def test_a_wrong_state_is_refused_and_the_wait_goes_on(listener: LoopbackListener) -> None:
    assert get(listener, "code=evil&state=guess").status_code == 400
    assert get(listener, "code=evil").status_code == 400
    assert get(listener, f"code=evil&state={STATE}&state={STATE}").status_code == 400
    assert get(listener, f"code=good&state={STATE}").status_code == 200
    assert listener.wait(5).code == "good"


def test_access_denied_is_reported(listener: LoopbackListener) -> None:
    answer = get(listener, f"error=access_denied&state={STATE}")
    assert answer.status_code == 400 and "declined" in answer.text
    with pytest.raises(AuthorizationDenied) as denied:
        listener.wait(5)
    assert denied.value.code == "access_denied"


def test_a_missing_code_is_reported(listener: LoopbackListener) -> None:
    assert get(listener, f"state={STATE}").status_code == 400
    with pytest.raises(OAuthError, match="without an authorization code"):
        listener.wait(5)


def test_other_paths_and_methods_get_404(listener: LoopbackListener) -> None:
    assert get(listener, f"code=abc&state={STATE}", path="/other").status_code == 404
    assert httpx.post(f"http://127.0.0.1:{listener.port}/callback?code=abc&state={STATE}").status_code == 404
    assert httpx.request("PUT", f"http://127.0.0.1:{listener.port}/callback").status_code == 404
    assert get(listener, f"code=abc&state={STATE}").status_code == 200


def test_timeout_ends_the_wait(listener: LoopbackListener) -> None:
    started = time.monotonic()
    with pytest.raises(CallbackTimeout):
        listener.wait(0.3)
    assert time.monotonic() - started < 3


def test_cancel_from_another_thread(listener: LoopbackListener) -> None:
    threading.Timer(0.2, listener.cancel).start()
    with pytest.raises(Cancelled):
        listener.wait(30)


def test_the_first_free_port_of_the_list_is_used() -> None:
    busy, free = free_ports(2)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", busy))
        holder.listen()
        with LoopbackListener((busy, free), STATE) as lb:
            assert lb.port == free
            assert lb.redirect_uri == f"http://localhost:{free}/callback"


def test_all_ports_busy_is_explained() -> None:
    (busy,) = free_ports(1)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", busy))
        holder.listen()
        with pytest.raises(OAuthError, match="TIMETALLY_REDIRECT_PORTS"):
            LoopbackListener((busy,), STATE).start()


def test_quickbooks_realm_is_captured_and_required() -> None:
    with LoopbackListener(free_ports(1), STATE, needs_realm=True) as lb:
        assert get(lb, f"code=abc&state={STATE}&realmId=123").status_code == 200
        assert lb.wait(5).realm_id == "123"
    with LoopbackListener(free_ports(1), STATE, needs_realm=True) as lb:
        assert get(lb, f"code=abc&state={STATE}").status_code == 400
        with pytest.raises(OAuthError, match="realmId"):
            lb.wait(5)
