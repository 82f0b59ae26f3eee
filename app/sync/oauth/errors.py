"""OAuth failures, each with a sentence the user can act on (shown as they are by the CLI and the GUI)."""

from __future__ import annotations

from app.domain.errors import TimeTallyError


class OAuthError(TimeTallyError):
    """Connecting or talking to a provider's authorization server failed."""


class ConfigError(OAuthError):
    """The provider configuration (settings file or environment) is unusable."""


class AuthorizationDenied(OAuthError):
    """The provider (or the user on its consent page) refused; `code` is the OAuth `error` value."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class CallbackTimeout(OAuthError):
    """Nobody came back from the consent page in time."""


class Cancelled(OAuthError):
    """The user cancelled the wait for the consent page."""


class ReconnectNeeded(OAuthError):
    """The provider no longer accepts the stored refresh token; only a new consent helps."""


class VaultUnavailable(OAuthError):
    """No secure keyring backend exists; tokens are never written anywhere else."""
