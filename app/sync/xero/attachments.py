"""Files attached to a Xero invoice (`/Invoices/{InvoiceID}/Attachments/{FileName}`), shown to the client with the
online invoice (`IncludeOnline=true`).

The invoice's attachments are read first and the file name decides: a name Xero already holds is replaced in place
(POST), a new one is created (PUT). So an upload repeated after a lost answer, or a refreshed timesheet sent again,
leaves exactly one attachment of that name.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from app.sync.provider import PushResult
from app.sync.xero.client import XeroClient, XeroError, validation_messages


def attach(client: XeroClient, remote_id: str, name: str, content: bytes, include_online: bool,
           key: str) -> PushResult:
    listed = client.get(f"Invoices/{remote_id}/Attachments")
    held = {str(a.get("FileName")): a for a in (listed.body or {}).get("Attachments") or []} \
        if isinstance(listed.body, dict) else {}
    path = f"Invoices/{remote_id}/Attachments/{quote(name, safe='')}"
    replace = name in held
    params = None if replace else {"IncludeOnline": "true" if include_online else "false"}
    try:
        answer = client.request("POST" if replace else "PUT", path, params=params, file=content,
                                idempotency_key=key, remote_ids=lambda _: (remote_id,),
                                transformed=json.dumps({"attach": name, "bytes": len(content), "replace": replace}))
    except XeroError as exc:
        if exc.retryable or exc.status not in (400, 404):
            raise
        return PushResult(key, False, remote_id, errors=(str(exc),), acted=exc.acted)
    found = (answer.body or {}).get("Attachments") if isinstance(answer.body, dict) else None
    if answer.status >= 400 or not found:
        problem = "; ".join(validation_messages(answer.body)) or f"HTTP {answer.status}"
        return PushResult(key, False, remote_id, errors=(f"Xero did not attach {name}: {problem}",))
    return PushResult(key, True, str(found[0].get("AttachmentID") or ""), name)
