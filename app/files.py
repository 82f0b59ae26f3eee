"""Reading a file the user names (rules, exports): only a regular file, only up to a size, never blocking.

`/dev/zero` would fill memory, a FIFO would block the reader forever and a folder gives a puzzling error; each is
refused with a sentence before a byte is read.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from app.domain.errors import ValidationError


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; `what` names it in the sentences."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not a {what}") from None
    except OSError as exc:
        raise ValidationError(f"Cannot read the {what} {path}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ValidationError(f"{path} is a folder, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise ValidationError(f"{path} is not a regular file (a device, pipe or socket), so it is not a {what}")
        if info.st_size > limit:
            raise ValidationError(f"{path} holds {info.st_size:,} bytes; a {what} may hold at most {limit:,}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ValidationError(f"Cannot read the {what} {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ValidationError(f"{path} grew beyond {limit:,} bytes while being read; a {what} may hold at most that")
    return b"".join(chunks)


def read_text_limited(path: Path, limit: int, what: str) -> str:
    """`read_limited` decoded as UTF-8 (a byte-order mark is dropped)."""
    data = read_limited(path, limit, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path} is not UTF-8 text, so it is not a {what} (byte {exc.start})") from None


def write_file(path: Path, data: bytes, what: str) -> None:
    """Write `data` to `path`, a regular file or a new one: a folder, device or /proc file is refused with a
    sentence before anything is written (a failed close there would otherwise surface as a stray traceback)."""
    with contextlib.suppress(FileNotFoundError):
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ValidationError(f"{path} is a folder; give a file name for the {what}")
        if not stat.S_ISREG(info.st_mode) or any(path.resolve().is_relative_to(s) for s in ("/proc", "/sys", "/dev")):
            raise ValidationError(f"{path} is not a regular file, so the {what} cannot be written there")
    try:
        with open(path, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise ValidationError(f"Cannot write the {what} {path}: {exc.strerror or exc}") from None
