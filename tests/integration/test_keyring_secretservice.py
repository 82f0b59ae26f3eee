"""The vault on the real Secret Service: gnome-keyring in a private D-Bus session, checked in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import subprocess
from datetime import UTC, datetime

import keyring
from keyring.backends.SecretService import Keyring

from app.sync.oauth.vault import Tokens, Vault

assert isinstance(keyring.get_keyring(), Keyring), keyring.get_keyring()
vault = Vault("TimeTally-test")
vault.require_secure()
tokens = Tokens("access-ss", "refresh-ss", datetime(2030, 1, 1, tzinfo=UTC), ("openid",), "tenant-ss")
vault.save("xero", tokens)
assert vault.load("xero") == tokens
found = subprocess.run(["secret-tool", "lookup", "service", "TimeTally-test", "username", "xero:refresh_token"],
                       capture_output=True, text=True, check=True).stdout
assert found.strip() == "refresh-ss", found
vault.delete("xero")
assert vault.load("xero") is None
print("vault ok")
"""


@pytest.mark.keyring
def test_the_vault_on_gnome_keyring(tmp_path: Path) -> None:
    missing = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon", "secret-tool") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"the Secret Service test needs {', '.join(missing)} (gnome-keyring, dbus, libsecret-tools)")
    script = tmp_path / "check.py"
    script.write_text(SCRIPT)
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
    }
    command = (f"printf pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
               f"'{sys.executable}' '{script}'")
    done = subprocess.run(["dbus-run-session", "--", "sh", "-c", command], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "vault ok" in done.stdout
