"""`timetally accounts` in a real subprocess; the keyring is a test-only file backend shared with this process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.oauth_server import FakeOAuthServer, browse, free_ports, provider_configs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> Iterator[FakeOAuthServer]:
    with FakeOAuthServer() as running:
        yield running


@pytest.fixture
def env(tmp_path: Path, server: FakeOAuthServer) -> dict[str, str]:
    ports = free_ports(1)
    provider_configs(server, ports)
    return {
        **os.environ,
        "TIMETALLY_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "tests.fakes.keyrings.FileKeyring",
        "TIMETALLY_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"),
        "TIMETALLY_XERO_CLIENT_ID": "xero-app",
        "TIMETALLY_XERO_AUTHORIZE_URL": f"{server.url}/authorize",
        "TIMETALLY_XERO_TOKEN_URL": f"{server.url}/token",
        "TIMETALLY_XERO_REVOKE_URL": f"{server.url}/revoke",
        "TIMETALLY_XERO_CONNECTIONS_URL": f"{server.url}/connections",
        "TIMETALLY_XERO_API_URL": f"{server.url}/api",
        "TIMETALLY_REDIRECT_PORTS": ",".join(map(str, ports)),
    }


def timetally(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_connect_without_a_browser_then_status_then_disconnect(env: dict[str, str], server: FakeOAuthServer) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "app", "accounts", "connect", "xero", "--no-browser",
                             "--timeout", "30"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith(f"{server.url}/authorize?") and " " not in url
        page = browse(url)
        assert page.status_code == 200 and "Connected" in page.text
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Connected Xero: Demo Co" in out
    stored = json.loads(Path(env["TIMETALLY_TEST_KEYRING_FILE"]).read_text())
    assert stored["TimeTally/xero:access_token"] in server.by_access
    assert stored["TimeTally/xero:refresh_token"] in server.by_refresh

    status = timetally(env, "accounts", "status", "--json")
    assert status.returncode == 0, status.stderr
    xero = next(a for a in json.loads(status.stdout) if a["provider"] == "xero")
    assert xero["state"] == "connected" and xero["organisation"] == "Demo Co"

    gone = timetally(env, "accounts", "disconnect", "xero")
    assert gone.returncode == 0, gone.stderr
    assert server.revocations == 1
    assert not any(k.startswith("TimeTally/xero:") for k in json.loads(Path(env["TIMETALLY_TEST_KEYRING_FILE"])
                                                                           .read_text()))


def test_connect_times_out_with_a_sentence(env: dict[str, str]) -> None:
    done = timetally(env, "accounts", "connect", "xero", "--no-browser", "--timeout", "0.5")
    assert done.returncode == 1
    assert "within 0.5 seconds" in done.stderr


def test_set_secret_reads_stdin(env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "app", "accounts", "set-secret", "quickbooks"], env=env, cwd=ROOT,
                          input="the-secret\n", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(Path(env["TIMETALLY_TEST_KEYRING_FILE"]).read_text()) == {
        "TimeTally/quickbooks:client_secret": "the-secret"}


def test_no_keyring_refuses_to_connect(env: dict[str, str]) -> None:
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    done = timetally(env, "accounts", "connect", "xero", "--no-browser")
    assert done.returncode == 1
    assert "never stores tokens in a plain file" in done.stderr
    assert done.stdout == ""
