from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail

from app.cli import main
from app.sync.oauth.errors import VaultUnavailable
from app.sync.oauth.vault import Tokens, Vault
from tests.fakes.keyrings import MemoryKeyring

TOKENS = Tokens("access-1", "refresh-1", datetime(2030, 1, 1, tzinfo=UTC), ("openid", "offline_access"), "tenant-9")


def test_tokens_round_trip_per_provider(memory_keyring: MemoryKeyring) -> None:
    vault = Vault()
    vault.save("xero", TOKENS)
    assert vault.load("xero") == TOKENS
    assert vault.load("quickbooks") is None
    assert memory_keyring.writes[0] == "xero:refresh_token", "the refresh token is saved before anything else"
    vault.delete("xero")
    assert vault.load("xero") is None
    assert memory_keyring.entries == {}


def test_the_repr_hides_the_tokens() -> None:
    assert "access-1" not in repr(TOKENS) and "refresh-1" not in repr(TOKENS)


def test_expiry_window() -> None:
    soon = Tokens("a", "r", datetime.now(UTC) + timedelta(seconds=30))
    later = Tokens("a", "r", datetime.now(UTC) + timedelta(minutes=10))
    assert soon.expires_within(60) and not later.expires_within(60)


def test_client_secret(memory_keyring: MemoryKeyring) -> None:
    vault = Vault()
    vault.set_client_secret("quickbooks", "shh")
    assert vault.client_secret("quickbooks") == "shh"
    vault.delete_client_secret("quickbooks")
    assert vault.client_secret("quickbooks") is None


class EmptyChainer(chainer.ChainerBackend):
    """What `keyring` builds when it finds no usable backend to chain."""

    backends = ()


@pytest.mark.parametrize("backend", [fail.Keyring(), EmptyChainer()])
def test_no_secure_backend_refuses_and_writes_nothing(backend: object) -> None:
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    vault = Vault()
    with pytest.raises(VaultUnavailable, match="never stores tokens in a plain file"):
        vault.require_secure()
    with pytest.raises(VaultUnavailable):
        vault.save("xero", TOKENS)


def test_a_plaintext_backend_is_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(VaultUnavailable, match="stores secrets in a file"):
        Vault().save("xero", TOKENS)


@pytest.mark.parametrize("argv", [["accounts", "disconnect", "xero"],
                                  ["sync", "map", "xero", "--client", "Acme", "--contact", "Acme Ltd"]])
def test_no_keyring_at_all_is_a_sentence_on_every_command(
    argv: list[str], home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`keyring` raises NoKeyringError with advice to install a plain-text store; the user reads what to do."""
    assert main(["projects", "add", "Acme/Web"]) == 0
    keyring.set_keyring(fail.Keyring())
    capsys.readouterr()

    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("timetally: No system keyring is available, and TimeTally keeps account tokens only there.")
    assert "install and unlock a Secret Service keyring" in err
    assert "NoKeyringError" not in err and "keyrings.alt" not in err and "Traceback" not in err
