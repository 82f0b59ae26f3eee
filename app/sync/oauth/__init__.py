"""OAuth 2.0 for a desktop app: provider configuration, loopback redirect, keyring vault and token sessions."""
