"""The URL a browser window shows, read from its title, so rules can match on it."""

from __future__ import annotations

import re
from functools import lru_cache

_BROWSERS = ("firefox", "chrome", "chromium", "brave", "msedge", "microsoft edge", "safari", "vivaldi", "opera",
             "librewolf", "epiphany", "qutebrowser", "falkon", "zen", "arc", "waterfox")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.IGNORECASE)
HOST = re.compile(
    r"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|io|dev|app|co|uk|de|fr|nl|eu|gov|edu|ai|me|info|biz|"
    r"us|ca|au|ch|at|be|se|no|dk|fi|es|it|pl|cz|jp|in|so|sh|gg|xyz|tech|cloud|site)(?::\d+)?(?:/[^\s\"'<>]*)?",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def is_browser(app: str, exe: str) -> bool:
    """Cached: a machine runs a few dozen applications but asks this for every distinct window."""
    name = f"{app} {exe.rsplit('/', 1)[-1].rsplit(chr(92), 1)[-1]}".casefold()
    return any(b in name for b in _BROWSERS)


def url_of(app: str, exe: str, title: str) -> str:
    """The URL a browser's title carries (`https://…` or a bare host like `github.com/acme`), else ''."""
    if not title or not is_browser(app, exe):
        return ""
    found = _URL.search(title) if "://" in title else None
    if found is None and "." in title:
        found = HOST.search(title)
    return found.group(0).rstrip(".,;:)]") if found else ""
