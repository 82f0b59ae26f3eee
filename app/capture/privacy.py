"""Privacy rules, applied to every sample before anything is stored: exclusions drop it, redactions rewrite the
title, private/incognito browser windows are dropped by default."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from app.capture.backends.base import Window

REDACT_SEPARATOR = " => "
DEFAULT_REDACTIONS = (
    r"^\(\d+\+?\)\s*",  # unread counters: "(3) Inbox"
    r"^[●•]\s*",  # unsaved-changes markers: "● main.py"
)
_BROWSERS = re.compile(
    r"firefox|librewolf|waterfox|chrom|brave|edge|opera|vivaldi|safari|epiphany|falkon|midori|yandex|tor ?browser",
    re.IGNORECASE,
)
_PRIVATE_TITLE = re.compile(r"private browsing|\bincognito\b|\binprivate\b|\(private\)|private window", re.IGNORECASE)
_ALWAYS_PRIVATE = re.compile(r"tor ?browser", re.IGNORECASE)


def check_patterns(patterns: list[str]) -> str | None:
    """Settings check: every item is a valid regular expression (redactions may add ` => replacement`)."""
    for item in patterns:
        if not isinstance(item, str):
            return f"{item!r} is not text"
        try:
            re.compile(item.split(REDACT_SEPARATOR, 1)[0])
        except re.error as exc:
            return f"'{item}' is not a valid regular expression: {exc}"
    return None


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@dataclass(frozen=True)
class Privacy:
    exclude_apps: tuple[re.Pattern[str], ...] = ()
    exclude_titles: tuple[re.Pattern[str], ...] = ()
    redactions: tuple[tuple[re.Pattern[str], str], ...] = field(default_factory=tuple)
    exclude_private_windows: bool = True

    @classmethod
    def from_lists(cls, exclude_apps: Iterable[str] = (), exclude_titles: Iterable[str] = (),
                   redactions: Iterable[str] = DEFAULT_REDACTIONS, exclude_private_windows: bool = True) -> Privacy:
        """From the settings' text form; a redaction is `REGEX` (removed) or `REGEX => REPLACEMENT`."""
        rules = []
        for item in redactions:
            pattern, _, replacement = item.partition(REDACT_SEPARATOR)
            rules.append((re.compile(pattern, re.IGNORECASE), replacement))
        return cls(_compile(exclude_apps), _compile(exclude_titles), tuple(rules), exclude_private_windows)

    def apply(self, window: Window) -> Window | None:
        """The window as it may be stored, or None when the sample must be dropped. Application rules are
        tried on the name, the executable's path and its file name."""
        if self.exclude_apps:
            names = (window.app, window.exe, window.exe.replace("\\", "/").rpartition("/")[2])
            if any(p.search(n) for p in self.exclude_apps for n in names if n):
                return None
        if any(p.search(window.title) for p in self.exclude_titles):
            return None
        if self.exclude_private_windows and is_private_window(window):
            return None
        title = window.title
        for pattern, replacement in self.redactions:
            title = pattern.sub(replacement, title)
        return window if title == window.title else replace(window, title=title.strip())


def is_private_window(window: Window) -> bool:
    """A private/incognito browser window, recognised by the marker browsers put in their titles."""
    browser = f"{window.app} {window.exe}"
    if _ALWAYS_PRIVATE.search(browser):
        return True
    return bool(_BROWSERS.search(browser) and _PRIVATE_TITLE.search(window.title))
