"""Logging to a rotating file in the platform's log folder (`Paths.log_dir`). Nothing sensitive reaches it:
window titles are logged at debug level only, and a filter masks anything shaped like a credential (bearer and
refresh tokens, JWTs, client secrets, authorization codes) in messages and tracebacks alike.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.private_files import private_file

MASK = "[redacted]"
_SECRET_NAMES = r"(?:access|refresh|id)_token|client_secret|code_verifier|password|secret"
_PATTERNS = (
    # Authorization: Bearer abc... / Basic abc...
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    # "refresh_token": "abc", 'client_secret': 'abc', access_token=abc&..., password: abc
    re.compile(rf"""(?i)(["']?\b(?:{_SECRET_NAMES})\b["']?\s*[:=]\s*["']?)[^"'&\s,;}}]+"""),
    # the OAuth authorization code in a redirect URL: ?code=abc
    re.compile(r"(?i)([?&]code=)[^&\s\"']+"),
    # JWTs on their own
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
)
NOISY = ("httpx", "httpcore", "urllib3")
"""Libraries that log every request URL at info level; warnings and errors from them still get through."""


def redact(text: str) -> str:
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)} {MASK}", text)
    for pattern in _PATTERNS[1:3]:
        text = pattern.sub(lambda m: f"{m.group(1)}{MASK}", text)
    return _PATTERNS[3].sub(MASK, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record before any handler formats it: the message with its arguments, and the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class PrivateRotatingFileHandler(RotatingFileHandler):
    """Every log file, the first and each one after a rollover, is created readable by its user only."""

    def _open(self):  # type: ignore[no-untyped-def]
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        private_file(Path(self.baseFilename))  # a file from an older version was 0644
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


def configure(log_file: Path, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    try:
        handler = PrivateRotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return  # an unwritable log folder must not stop the app; the store reports the folder problem
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
