"""A webhook receiver on loopback that checks every request with the Standard Webhooks library.

Answers follow a script (`answer(500, 500, "drop", 200)`; then 200); "drop" closes the connection after the
request arrived, "hold" keeps it open until the test lets go. Every request is kept with whether it verified.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.fakes.loopback import Answer, LoopbackServer


@dataclass(frozen=True)
class Received:
    webhook_id: str
    timestamp: str
    body: dict[str, Any]
    verified: bool
    answered: int | str


class WebhookReceiver(LoopbackServer):
    def __init__(self, secret: str = "") -> None:
        super().__init__()
        self.secret = secret
        self.received: list[Received] = []
        self._script: deque[int | str] = deque()
        self._guard = threading.Lock()

    @property
    def hook_url(self) -> str:
        return f"{self.url}/hook"

    def answer(self, *steps: int | str) -> None:
        self._script.extend(steps)

    def _answer(self, method: str, path: str, query: dict[str, str], raw: bytes, headers: Any) -> Answer:
        step: int | str = self._script.popleft() if self._script else 200
        try:
            body = Webhook(self.secret).verify(raw, dict(headers.items()))
            verified = True
        except WebhookVerificationError:
            body, verified = json.loads(raw or b"{}"), False
        with self._guard:
            self.received.append(Received(headers.get("webhook-id", ""), headers.get("webhook-timestamp", ""), body,
                                          verified, step))
        if isinstance(step, str):
            return 0, b"", {}, step
        return step, b"{}", {}, ""

    def of(self, event: str) -> list[Received]:
        return [r for r in self.received if r.body.get("type") == event]
