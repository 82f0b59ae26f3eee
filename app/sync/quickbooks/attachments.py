"""Files attached to a QuickBooks invoice: an `Attachable` uploaded (`POST /upload`, multipart: its JSON and the
file) with a reference to the invoice, sent along when QuickBooks e-mails it (`IncludeOnSend`).

Attachables of the invoice with the same file name are looked up first: one whose note carries the same content
digest is the same upload (a lost answer), kept as it is; any other is an older version (a refreshed timesheet),
deleted before the new one goes. So a name is attached once, whatever was retried.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from app.sync.provider import PushResult
from app.sync.quickbooks.batch import requestid
from app.sync.quickbooks.client import QuickBooksClient


def attach(client: QuickBooksClient, remote_id: str, name: str, content: bytes, mime: str, include: bool,
           key: str) -> PushResult:
    quoted = name.replace("\\", "\\\\").replace("'", "\\'")
    answer = client.query(f"select * from Attachable where FileName = '{quoted}'")
    held = [a for a in ((answer.body or {}).get("QueryResponse") or {}).get("Attachable") or []
            if _links(a, remote_id)]
    note = f"TimeTally sha256:{hashlib.sha256(content).hexdigest()}"
    same = next((a for a in held if a.get("Note") == note), None)
    if same is not None:
        return PushResult(key, True, str(same["Id"]), name)
    for old in held:
        client.request("POST", "attachable", params={"operation": "delete"},
                       body={"Id": str(old["Id"]), "SyncToken": str(old["SyncToken"])},
                       requestid=requestid([key], f"delete-{old['Id']}"),
                       transformed=json.dumps({"detach": name, "attachable": old["Id"]}),
                       remote_ids=lambda _: (remote_id,))
    metadata = {"AttachableRef": [{"EntityRef": {"type": "Invoice", "value": remote_id}, "IncludeOnSend": include}],
                "FileName": name, "ContentType": mime, "Note": note}
    upload = client.request("POST", "upload", multipart=_multipart(metadata, name, mime, content),
                            requestid=requestid([key], ",".join(str(a["Id"]) for a in held)),
                            transformed=json.dumps({"attach": name, "bytes": len(content)}),
                            remote_ids=lambda _: (remote_id,))
    made = [r.get("Attachable") for r in (upload.body or {}).get("AttachableResponse") or []] \
        if isinstance(upload.body, dict) else []
    if upload.status >= 400 or not made or not isinstance(made[0], dict):
        problems = "; ".join(f.sentence() for f in upload.faults) or f"HTTP {upload.status}"
        return PushResult(key, False, remote_id, errors=(f"QuickBooks did not attach {name}: {problems}",))
    return PushResult(key, True, str(made[0].get("Id") or ""), name)


def _links(attachable: Mapping[str, Any], remote_id: str) -> bool:
    return any((r.get("EntityRef") or {}).get("type") == "Invoice" and str((r.get("EntityRef") or {}).get("value"))
               == remote_id for r in attachable.get("AttachableRef") or [])


def _multipart(metadata: dict[str, Any], name: str, mime: str, content: bytes) -> tuple[bytes, str]:
    boundary = f"timetally-{uuid.uuid4().hex}"
    safe = name.replace('"', "'").replace("\r", " ").replace("\n", " ")
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file_metadata_01\"\r\n"
            f"Content-Type: application/json\r\n\r\n{json.dumps(metadata)}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file_content_01\"; filename=\"{safe}\"\r\n"
            f"Content-Type: {mime}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
