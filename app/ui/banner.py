"""A coloured message strip, and a label update that skips unchanged text (for widgets refreshed every second)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


class Banner(QFrame):
    """A coloured strip for warnings and errors; the close button hides it until the next message."""

    COLOURS = {"warning": ("#fff4d6", "#8a5a00", "#f0d48a"), "error": ("#fde7e5", "#8c1d16", "#f3b3ad")}

    def __init__(self, kind: str, closable: bool) -> None:
        super().__init__()
        background, text, border = self.COLOURS[kind]
        self.setObjectName(f"{kind}Banner")
        self.setStyleSheet(
            f"#{kind}Banner {{background: {background}; border: 1px solid {border}; border-radius: 6px;}}"
            f" QLabel {{color: {text};}}"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        if closable:
            close = QToolButton()
            close.setText("✕")
            close.setAutoRaise(True)
            close.setToolTip("Dismiss")
            close.clicked.connect(self.hide)
            layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_messages(self, messages: list[str]) -> None:
        self.label.setText("\n".join(f"⚠ {m}" for m in messages))
        self.setVisible(bool(messages))


def set_text(label: QLabel, text: str) -> None:
    """Only when it changed: the clock ticks every second and most ticks change one label."""
    if label.text() != text:
        label.setText(text)
