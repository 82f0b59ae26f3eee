"""Receipts kept in the data folder under the SHA-256 of their content, so a file is stored once, never
overwritten by another of the same name, and never deleted with its expense (receipts are the books' evidence).

Only PDFs and images an accounting system accepts as attachments are kept; the type is read from the file's
first bytes, not its name.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.domain.errors import ValidationError
from app.files import read_limited
from app.private_files import private_file, private_folder

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
"""A receipt is a scan or a photo; 10 MB holds a multi-page scan, and anything larger is most likely the wrong file."""

_KINDS = ((b"%PDF-", ".pdf"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF87a", ".gif"),
          (b"GIF89a", ".gif"))


def receipt_suffix(data: bytes) -> str | None:
    """The file type by its signature: PDF, PNG, JPEG, GIF or WebP; None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return next((suffix for magic, suffix in _KINDS if data.startswith(magic)), None)


def store_receipt(source: Path, folder: Path) -> str:
    """Copy `source` into `folder` as `<sha256><suffix>` and return that name; nothing is written when refused."""
    data = read_limited(source, MAX_RECEIPT_BYTES, "receipt")
    suffix = receipt_suffix(data)
    if suffix is None:
        raise ValidationError(f"{source} is not a PDF or an image (PNG, JPEG, GIF, WebP), so it cannot be kept as "
                              "a receipt; scan or export it as one of those")
    name = hashlib.sha256(data).hexdigest() + suffix
    private_folder(folder)
    target = folder / name
    if not target.exists():
        partial = folder / f".{name}.part"
        partial.write_bytes(data)
        private_file(partial, create=False)
        os.replace(partial, target)
    return name
