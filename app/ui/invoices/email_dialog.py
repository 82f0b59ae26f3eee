""""Send to client": the accounting system that holds the invoice e-mails it. The dialog says what each one does
(Xero only with approved invoices, to the contact's address; QuickBooks to the customer's or a typed address)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

RULES = {
    "xero": "Xero e-mails only approved (AUTHORISED) invoices, to the contact's own e-mail address, with its online "
            "invoice and payment link. Approve the invoice in Xero first if it is still a draft there.",
    "quickbooks": "QuickBooks e-mails the invoice to the customer's billing address, or to the address typed "
                  "below.",
}


class EmailDialog(QDialog):
    def __init__(self, number: str, where: str, provider: str, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Send {number} to the client")
        self.setMinimumWidth(520)
        text = QLabel(f"{number} is in {where} ({status}). {RULES.get(provider, '')}")
        text.setWordWrap(True)
        self.to = QLineEdit()
        self.to.setPlaceholderText("the customer's billing address")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = buttons.addButton("Send to client", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(text)
        if provider == "quickbooks":
            form.addRow("To", self.to)
        form.addRow(buttons)

    def address(self) -> str:
        return self.to.text().strip()
