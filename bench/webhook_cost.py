"""Webhook cost: what deriving events adds to a write, and how fast the courier signs and delivers.

    .venv/bin/python bench/webhook_cost.py [--entries 400] [--deliveries 300] [--runs 3]

Each run uses a throw-away database and an in-memory keyring. Writes: entries added one per transaction through
the entry repository, (a) on a database without the automation hooks, (b) with the hooks and no endpoint, (c) with
one endpoint subscribed to `entry.created` (a delivery row written with each entry). Delivery: that many pending
deliveries sent by one courier to a receiver on loopback that answers 200, each signed with the Standard Webhooks
library. Medians of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from app.automation import changes  # noqa: E402
from app.automation.courier import Courier  # noqa: E402
from app.automation.endpoints import Endpoints  # noqa: E402
from app.domain.models import NewEntry  # noqa: E402
from app.store.db import Database, open_database  # noqa: E402
from app.store.repositories import EntryRepository  # noqa: E402
from app.sync.oauth.vault import Vault  # noqa: E402
from tests.fakes.keyrings import MemoryKeyring  # noqa: E402


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def database(hooks: bool) -> Database:
    db = open_database(Path(tempfile.mkdtemp()) / "timetally.db")
    if hooks:
        changes.install(db)
    return db


def writes(n: int, hooks: bool, url: str | None) -> float:
    """Milliseconds per entry added."""
    db = database(hooks)
    if url:
        Endpoints(db, Vault()).add(url, ("entry.created",))
    repo, start = EntryRepository(db), datetime(2026, 11, 16, tzinfo=UTC)
    began = time.perf_counter()
    for i in range(n):
        at = start + timedelta(minutes=10 * i)
        repo.add(NewEntry(at, at + timedelta(minutes=5), f"entry {i}"))
    elapsed = time.perf_counter() - began
    db.close()
    return elapsed / n * 1000


def deliveries(n: int, url: str) -> float:
    """Deliveries per second through one courier."""
    db = database(True)
    endpoints = Endpoints(db, Vault())
    endpoints.add(url, ("entry.created",))
    repo, start = EntryRepository(db), datetime(2026, 11, 16, tzinfo=UTC)
    for i in range(n):
        at = start + timedelta(minutes=10 * i)
        repo.add(NewEntry(at, at + timedelta(minutes=5), f"entry {i}"))
    courier = Courier(db, endpoints)
    began = time.perf_counter()
    report = courier.deliver_due()
    elapsed = time.perf_counter() - began
    assert len(report.delivered) == n, report
    courier.close()
    db.close()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=400)
    parser.add_argument("--deliveries", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    rows = [
        ("entry write, no automation hooks (ms)", lambda: writes(args.entries, False, None)),
        ("entry write, hooks, no endpoint (ms)", lambda: writes(args.entries, True, None)),
        ("entry write, hooks, 1 endpoint (ms)", lambda: writes(args.entries, True, url)),
        ("deliveries per second, signed, loopback", lambda: deliveries(args.deliveries, url)),
    ]
    for label, measure in rows:
        values = [measure() for _ in range(args.runs)]
        print(f"{label:<44} median {statistics.median(values):8.2f}   best "
              f"{(max if 'per second' in label else min)(values):8.2f}")
    server.shutdown()


if __name__ == "__main__":
    main()
