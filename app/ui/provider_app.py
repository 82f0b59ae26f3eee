"""Which registered app TimeTally signs in with, for one provider on Preferences → Accounts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.sync.oauth.config import QUICKBOOKS, ProviderConfig


class AppFields(QWidget):
    """Which registered app TimeTally signs in with: the client id, where it comes from, the redirect URIs to
    register, and for QuickBooks the token-exchange relay."""

    def __init__(self, provider: str) -> None:
        super().__init__()
        self.provider = provider
        self.client_id = QLineEdit()
        self.client_id.setObjectName(f"client_id_{provider}")
        self.client_id.setPlaceholderText("Client id of your own app (empty: the one TimeTally ships)")
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: palette(mid);")
        self.redirects = QLabel()
        self.redirects.setObjectName(f"redirects_{provider}")
        self.redirects.setWordWrap(True)
        self.redirects.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save = QPushButton("Use this app")
        self.save.setObjectName(f"save_app_{provider}")
        form = QFormLayout(self)
        form.setContentsMargins(0, 4, 0, 0)
        line = QHBoxLayout()
        line.addWidget(self.client_id, 1)
        line.addWidget(self.save)
        form.addRow("Client id:", line)
        form.addRow("", self.source)
        self.relay: QCheckBox | None = None
        self.relay_url: QLineEdit | None = None
        if provider == QUICKBOOKS:
            self.relay = QCheckBox("Exchange tokens through a relay that holds the client secret")
            self.relay.setObjectName("relay_quickbooks")
            self.relay_url = QLineEdit()
            self.relay_url.setObjectName("relay_url_quickbooks")
            self.relay_url.setPlaceholderText("https://… token URL of the relay")
            self.relay.toggled.connect(self.relay_url.setEnabled)
            self.relay_url.setEnabled(False)
            form.addRow("", self.relay)
            form.addRow("Relay URL:", self.relay_url)
        form.addRow("Redirect URIs:", self.redirects)

    def show_config(self, config: ProviderConfig, user: dict[str, Any]) -> None:
        self.client_id.setText(str(user.get(f"{self.provider}.client_id") or ""))
        self.source.setText(f"In use: {config.client_id} ({config.client_id_from})" if config.client_id
                            else "No client id yet: paste the one of the app you registered.")
        self.redirects.setText("Register exactly these with your app:\n" + "\n".join(config.redirect_uris))
        if self.relay is not None and self.relay_url is not None:
            self.relay.setChecked(bool(user.get("quickbooks.relay")))
            self.relay_url.setText(str(user.get("quickbooks.relay_url") or ""))

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {f"{self.provider}.client_id": self.client_id.text().strip()}
        if self.relay is not None and self.relay_url is not None:
            values["quickbooks.relay"] = self.relay.isChecked()
            values["quickbooks.relay_url"] = self.relay_url.text().strip()
        return values
