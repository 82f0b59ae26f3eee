"""The main window: a sidebar of pages (app/ui/pages.py) beside the page shown, a Go menu with each page's
shortcut, and Help. Pages are the app's views, built on first visit and kept; the window only switches them.

Views that were windows of their own keep their `close()`/`done()`: here such a request leaves the page where it
is, so Esc or Ctrl+W on a page never blanks the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app import __version__
from app.ui.icons import Icon, icon
from app.ui.pages import Page

SIDEBAR_WIDTH = 160
DEFAULT_SIZE = (1560, 900)
"""Room for the widest page (the week's review) beside the sidebar; smaller screens get what they have."""


class MainWindow(QMainWindow):
    """`build(page)` makes a page's widget; `remember(geometry, key)` stores the window's state (on hide and on
    every page change); `welcome` re-opens onboarding (None hides that Help entry)."""

    page_changed = Signal(str)

    def __init__(self, pages: Sequence[Page], build: Callable[[Page], QWidget],
                 remember: Callable[[str, str], None], welcome: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.pages = tuple(pages)
        self._build_page = build
        self._remember = remember
        self._built: dict[str, QWidget] = {}
        self.setWindowTitle("TimeTally")
        self.setWindowIcon(icon(Icon.APP))
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else QSize(*DEFAULT_SIZE)
        self.resize(min(DEFAULT_SIZE[0], room.width() - 40), min(DEFAULT_SIZE[1], room.height() - 60))
        self.setMinimumSize(720, 480)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(SIDEBAR_WIDTH)
        self.sidebar.setSpacing(2)
        self.sidebar.setStyleSheet("QListWidget#sidebar {border: none; font-size: 11pt; padding-top: 8px;}"
                                   " QListWidget#sidebar::item {padding: 7px 12px;}")
        self.stack = QStackedWidget()
        for page in self.pages:
            item = QListWidgetItem(page.title)
            keys = QKeySequence(page.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            item.setToolTip(f"{page.title} ({keys})")
            self.sidebar.addItem(item)
            self.stack.addWidget(self._placeholder())  # stands in until the first visit
        self.sidebar.currentRowChanged.connect(self._show_row)
        # As wide as its longest title needs (with the item padding and spacing), so nothing scrolls sideways.
        self.sidebar.setFixedWidth(max(SIDEBAR_WIDTH, self.sidebar.sizeHintForColumn(0) + 2 * self.sidebar.spacing()
                                       + 2 * self.sidebar.frameWidth()))
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._build_menus(welcome)

    def _build_menus(self, welcome: Callable[[], None] | None) -> None:
        go = self.menuBar().addMenu("&Go")
        self.page_actions: dict[str, QAction] = {}
        for page in self.pages:
            action = go.addAction(page.title)
            action.setShortcut(QKeySequence(page.shortcut))
            action.triggered.connect(lambda _=False, key=page.key: self.open_page(key))
            self.page_actions[page.key] = action
        help_menu = self.menuBar().addMenu("&Help")
        self.help_menu = help_menu
        self.welcome_action = help_menu.addAction("Welcome to TimeTally…")
        self.welcome_action.setVisible(welcome is not None)
        if welcome is not None:
            self.welcome_action.triggered.connect(welcome)
        self.about_action = help_menu.addAction("About TimeTally")
        self.about_action.triggered.connect(self.about)

    @staticmethod
    def _placeholder() -> QWidget:
        label = QLabel("Starting TimeTally…")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: palette(mid);")
        return label

    def starting(self, busy: bool) -> None:
        """While the app starts behind the window, its pages cannot be opened yet."""
        self.sidebar.setEnabled(not busy)
        for action in (*self.page_actions.values(), self.welcome_action):
            action.setEnabled(not busy)

    # Pages

    def page_keys(self) -> list[str]:
        return [page.key for page in self.pages]

    def current_key(self) -> str:
        row = self.sidebar.currentRow()
        return self.pages[row].key if row >= 0 else ""

    def built(self, key: str) -> QWidget | None:
        """The page's widget if it was visited (or built) already."""
        return self._built.get(key)

    def page(self, key: str) -> QWidget:
        """The page's widget, built now if it was not yet."""
        widget = self._built.get(key)
        if widget is None:
            row = self.page_keys().index(key)
            widget = self._build_page(self.pages[row])
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, widget)  # as a child: a view that was a window is one no more
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            widget.installEventFilter(self)
            if isinstance(widget, QDialog):
                widget.finished.connect(lambda _result, w=widget: self._keep_shown(w))
            self._built[key] = widget
        return widget

    def open_page(self, key: str) -> None:
        """Show the page `key`; an unknown key (a page of a newer version) shows the first page."""
        keys = self.page_keys()
        self.sidebar.setCurrentRow(keys.index(key) if key in keys else 0)

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page = self.pages[row]
        widget = self.page(page.key)
        self.stack.setCurrentWidget(widget)
        widget.setVisible(True)
        self.setWindowTitle(f"{page.title} — TimeTally")
        self.page_changed.emit(page.key)
        self._remember_state()

    def _keep_shown(self, widget: QWidget) -> None:
        if self.stack.currentWidget() is widget:
            widget.setVisible(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A page's own close request (Esc, Ctrl+W, a Close button) is refused: the page stays in the window."""
        if event.type() == QEvent.Type.Close and watched in self._built.values():
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    # Remembered state

    def geometry_text(self) -> str:
        return bytes(self.saveGeometry().toBase64().data()).decode("ascii")

    def restore(self, geometry: str, key: str) -> None:
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        self.open_page(key)

    def _remember_state(self) -> None:
        self._remember(self.geometry_text(), self.current_key())

    def hideEvent(self, event: QHideEvent) -> None:
        self._remember_state()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_state()
        super().closeEvent(event)

    def about(self) -> None:
        QMessageBox.about(
            self, "About TimeTally",
            f"<b>TimeTally {__version__}</b><p>Tracks your time, proposes timesheets from what you worked on, and "
            "invoices it through Xero or QuickBooks.</p><p>Window titles stay on this machine.</p>",
        )
