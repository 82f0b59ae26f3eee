"""The bytes of a planned attachment when it leaves: the generated PDF from the job itself, a receipt from the data
folder, refused with a sentence when it is gone, too large or no longer the file that was planned."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from app.domain.errors import ValidationError
from app.sync.outbox import Job

MAX_BYTES = 25 * 1024 * 1024
"""Xero's limit per attachment (QuickBooks allows 100 MB); a larger receipt is refused before any upload."""


def content(job: Job) -> bytes:
    """The bytes of an attachment job, as planned."""
    payload = job.payload
    if payload.get("data"):
        return base64.b64decode(str(payload["data"]))
    path = Path(str(payload["path"]))
    if not path.is_file():
        raise ValidationError(f"The receipt {payload['name']} is no longer in the data folder ({path}).")
    if path.stat().st_size > MAX_BYTES:
        raise ValidationError(f"The receipt {payload['name']} is larger than 25 MB, the most Xero accepts.")
    data = path.read_bytes()
    if digest(data) != payload.get("sha256"):
        raise ValidationError(f"The receipt {payload['name']} changed after it was planned; send again.")
    return data


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
