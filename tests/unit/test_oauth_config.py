from __future__ import annotations

from pathlib import Path

import pytest

from app.sync.oauth.config import DEFAULTS, QUICKBOOKS, XERO, load
from app.sync.oauth.errors import ConfigError


def test_defaults_are_the_real_endpoints() -> None:
    configs = load(None, {})
    xero, qbo = configs[XERO], configs[QUICKBOOKS]
    assert xero.authorize_url == "https://login.xero.com/identity/connect/authorize"
    assert xero.token_url == "https://identity.xero.com/connect/token"
    assert xero.revoke_url == "https://identity.xero.com/connect/revocation"
    assert xero.connections_url == "https://api.xero.com/connections"
    assert xero.api_url == "https://api.xero.com/api.xro/2.0"
    assert "offline_access" in xero.scopes and "accounting.transactions" not in xero.scopes
    assert xero.pkce and not xero.needs_secret
    assert qbo.authorize_url == "https://appcenter.intuit.com/connect/oauth2"
    assert qbo.token_url == "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
    assert qbo.revoke_url == "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
    assert qbo.api_url == "https://quickbooks.api.intuit.com"
    assert qbo.scopes == ("com.intuit.quickbooks.accounting",)
    assert not qbo.pkce and qbo.needs_secret and qbo.needs_realm
    assert xero.redirect_ports == qbo.redirect_ports == (8765, 8766, 8767)


def test_every_environment_variable_overrides() -> None:
    env = {
        "TIMETALLY_XERO_CLIENT_ID": "xid", "TIMETALLY_XERO_AUTHORIZE_URL": "http://127.0.0.1:1/a",
        "TIMETALLY_XERO_TOKEN_URL": "http://127.0.0.1:1/t", "TIMETALLY_XERO_REVOKE_URL": "http://127.0.0.1:1/r",
        "TIMETALLY_XERO_CONNECTIONS_URL": "http://127.0.0.1:1/c", "TIMETALLY_XERO_API_URL": "http://127.0.0.1:1/api",
        "TIMETALLY_QBO_CLIENT_ID": "qid", "TIMETALLY_QBO_AUTHORIZE_URL": "http://127.0.0.1:2/a",
        "TIMETALLY_QBO_TOKEN_URL": "http://127.0.0.1:2/t", "TIMETALLY_QBO_REVOKE_URL": "http://127.0.0.1:2/r",
        "TIMETALLY_QBO_API_URL": "http://127.0.0.1:2/api", "TIMETALLY_REDIRECT_PORTS": "9001, 9002",
    }
    configs = load(None, env)
    xero, qbo = configs[XERO], configs[QUICKBOOKS]
    assert (xero.client_id, xero.authorize_url, xero.token_url, xero.revoke_url, xero.connections_url,
            xero.api_url) == ("xid", "http://127.0.0.1:1/a", "http://127.0.0.1:1/t", "http://127.0.0.1:1/r",
                              "http://127.0.0.1:1/c", "http://127.0.0.1:1/api")
    assert (qbo.client_id, qbo.authorize_url, qbo.token_url, qbo.revoke_url, qbo.api_url) == (
        "qid", "http://127.0.0.1:2/a", "http://127.0.0.1:2/t", "http://127.0.0.1:2/r", "http://127.0.0.1:2/api")
    assert xero.redirect_ports == qbo.redirect_ports == (9001, 9002)


def test_settings_file_overrides_and_environment_wins(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[oauth]\nredirect_ports = [7001]\n'
        '[xero]\nclient_id = "from-file"\nscopes = "openid offline_access"\napi_url = "http://127.0.0.1:3"\n'
        '[quickbooks]\nclient_id = "q"\nrelay = true\ntoken_url = "https://relay.example/token"\n'
    )
    configs = load(settings, {"TIMETALLY_XERO_CLIENT_ID": "from-env"})
    assert configs[XERO].client_id == "from-env"
    assert configs[XERO].scopes == ("openid", "offline_access")
    assert configs[XERO].api_url == "http://127.0.0.1:3"
    assert configs[XERO].redirect_ports == (7001,)
    assert configs[QUICKBOOKS].relay and not configs[QUICKBOOKS].needs_secret
    assert configs[QUICKBOOKS].token_url == "https://relay.example/token"


@pytest.mark.parametrize("text", ['[xero]\nclient_secret = "x"\n', "[xero]\nclient_id = 3\n",
                                  "[oauth]\nredirect_ports = [0]\n", "not toml ["])
def test_a_bad_settings_file_is_explained(tmp_path: Path, text: str) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(text)
    with pytest.raises(ConfigError, match=r"settings\.toml"):
        load(settings, {})


def test_bad_ports_in_the_environment_are_refused() -> None:
    with pytest.raises(ConfigError, match="TIMETALLY_REDIRECT_PORTS"):
        load(None, {"TIMETALLY_REDIRECT_PORTS": "80a"})


def test_a_missing_client_id_says_what_to_set() -> None:
    with pytest.raises(ConfigError, match="TIMETALLY_XERO_CLIENT_ID"):
        DEFAULTS[XERO].require_client_id()


def _packaged(tmp_path: Path) -> Path:
    shipped = tmp_path / "providers.toml"
    shipped.write_text('[xero]\nclient_id = "shipped-xero"\n[quickbooks]\nclient_id = "shipped-qbo"\n',
                       encoding="utf-8")
    return shipped


def test_the_packaged_id_is_used_when_nothing_else_sets_one(tmp_path: Path) -> None:
    configs = load(None, {}, packaged=_packaged(tmp_path))
    assert configs[XERO].client_id == "shipped-xero"
    assert configs[XERO].client_id_from == "packaged with TimeTally"
    assert configs[QUICKBOOKS].client_id == "shipped-qbo"


def test_the_users_id_overrides_the_packaged_one_and_the_environment_both(tmp_path: Path) -> None:
    user = {"xero.client_id": "mine", "quickbooks.client_id": "", "quickbooks.relay": False}
    configs = load(None, {}, user=user, packaged=_packaged(tmp_path))
    assert configs[XERO].client_id == "mine"
    assert configs[XERO].client_id_from == "your setting in Preferences → Accounts"
    assert configs[QUICKBOOKS].client_id == "shipped-qbo", "an empty user setting keeps the packaged id"
    configs = load(None, {"TIMETALLY_XERO_CLIENT_ID": "env"}, user=user, packaged=_packaged(tmp_path))
    assert configs[XERO].client_id == "env"
    assert configs[XERO].client_id_from == "the environment (TIMETALLY_XERO_CLIENT_ID)"


def test_the_relay_choice_points_the_token_exchange_at_its_url(tmp_path: Path) -> None:
    user = {"quickbooks.relay": True, "quickbooks.relay_url": "https://relay.example.com/token"}
    qbo = load(None, {}, user=user, packaged=_packaged(tmp_path))[QUICKBOOKS]
    assert qbo.relay and not qbo.needs_secret
    assert qbo.token_url == "https://relay.example.com/token"


def test_redirect_uris_are_exact_and_the_missing_id_sentence_says_where_to_paste_one(tmp_path: Path) -> None:
    xero = load(None, {"TIMETALLY_REDIRECT_PORTS": "9001,9002"}, packaged=tmp_path / "none.toml")[XERO]
    assert xero.redirect_uris == ("http://localhost:9001/callback", "http://localhost:9002/callback")
    with pytest.raises(ConfigError, match="Preferences → Accounts") as refused:
        xero.require_client_id()
    assert "http://localhost:9001/callback" in str(refused.value)


def test_the_packaged_file_is_the_one_in_resources() -> None:
    from app.sync.oauth.config import packaged_file

    assert packaged_file().is_file() and packaged_file().name == "providers.toml"
    assert load(None, {})[XERO].authorize_url == DEFAULTS[XERO].authorize_url
