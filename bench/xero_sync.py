"""Xero sync benchmark: a week of 500 approved entries across 20 clients, sent to the fake Xero on loopback.

    .venv/bin/python bench/xero_sync.py [--entries 500] [--clients 20] [--per-minute 60]

The fake enforces Xero's limits as configured (60 calls a minute, 5 at once, 429 with Retry-After) and validates
every body against the official spec. Scenarios, each on a fresh database and organisation:
  * contacts exist: the clients match contacts exactly; drafts stored, mapped and sent;
  * contacts created: no contact exists, so each is looked up and created (the most calls a first send makes);
  * a 429 storm: contacts exist, and Xero answers 429 to the first three calls;
and then a second send (nothing new) and a payment check. Target: one invoice request per 50 invoices plus
cached look-ups (contacts, accounts, tax rates), no 429 left unhandled.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from app.core import Core, build_core  # noqa: E402
from app.domain.models import NewEntry  # noqa: E402
from app.domain.periods import parse_week  # noqa: E402
from app.sync.ratelimit import Limits  # noqa: E402
from tests.fakes.keyrings import MemoryKeyring  # noqa: E402
from tests.fakes.xero_server import FakeXero  # noqa: E402
from tests.fakes.xero_setup import environment, store_tokens  # noqa: E402
from tests.fakes.xero_spec import request_problems  # noqa: E402

WEEK = parse_week("2026-W47")


def seed(core: Core, entries: int, clients: int) -> list[str]:
    names = [f"Client {i:02d} Ltd" for i in range(clients)]
    projects = []
    for name in names:
        core.billing.set_client(name, rate="95.50", currency="NZD")
        projects.append(core.projects.add_project(f"{name}/Retainer"))
    for i in range(entries):
        project = projects[i % clients]
        start = datetime(2026, 11, 16 + (i // clients) % 5, 8, tzinfo=UTC) + timedelta(minutes=20 * (i // 100))
        entry = core.entries.add(NewEntry(start, start + timedelta(minutes=17), f"task {i}", project.id))
        core.entries.update(entry.id, status="approved", locked=True)
    return names


def scenario(title: str, args: argparse.Namespace, *, contacts: bool, storm: int = 0) -> None:
    with tempfile.TemporaryDirectory() as home, FakeXero(per_minute=args.per_minute) as fake:
        os.environ.update({**environment(fake), "TIMETALLY_HOME": home})
        core = build_core()
        try:
            store_tokens(core)
            core.sync.use(limits=Limits(per_window=args.per_minute))
            names = seed(core, args.entries, args.clients)
            if contacts:
                for name in names:
                    fake.books.add_contact(name)
            fake.storm(storm)
            started = time.perf_counter()
            report = core.sync.send("xero", WEEK, create_contacts=not contacts)
            first = time.perf_counter() - started
            calls = Counter(f"{s.method} {s.path}" for s in fake.seen)
            sent = sum(1 for o in report.outcomes if o.outcome.ok)
            started = time.perf_counter()
            again = core.sync.send("xero", WEEK)
            second = time.perf_counter() - started
            second_calls = len(fake.seen) - sum(calls.values())
            for outcome in report.outcomes:
                fake.books.set_status(outcome.remote_id, "AUTHORISED")
                fake.books.pay(outcome.remote_id)
            started = time.perf_counter()
            paid = core.sync.sync_payments(["xero"])
            check = time.perf_counter() - started
            print(f"\n## {title}")
            print(f"{args.entries} entries, {args.clients} clients -> {sent} invoices sent "
                  f"({len(report.failed)} failed), {len(fake.invoices())} in Xero")
            waited = sum(r.duration_ms for r in core.sync.audit("xero").records(limit=10_000, kind="call"))
            paused = core.sync.limiter("xero").waited_seconds
            print(f"first send: {sum(calls.values())} calls in {first:.2f} s ({waited} ms in HTTP calls, "
                  f"{paused:.1f} s waiting out limits, the rest storing drafts and the outbox); by endpoint: "
                  + ", ".join(f"{k} x{v}" for k, v in sorted(calls.items())))
            print(f"429 answers: {fake.throttled} (waited out and retried: {core.sync.limiter('xero').throttled}); "
                  f"spec problems: {len(fake.spec_problems)}")
            print(f"second send: {len(again.outcomes)} invoices, {second_calls} calls in {second * 1000:.0f} ms")
            print(f"payment check: {len(paid)} invoices paid, 1 call expected, "
                  f"{len(fake.seen) - sum(calls.values()) - second_calls} made, {check * 1000:.0f} ms; peak concurrent "
                  f"calls {fake.max_in_flight}")
        finally:
            core.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-minute", type=int, default=60)
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    request_problems("PUT", "/Invoices", {}, {"Invoices": []})  # the fake loads the 926 KB spec once, untimed
    scenario("contacts exist", args, contacts=True)
    scenario("contacts created", args, contacts=False)
    scenario("a 429 storm on the first three calls", args, contacts=True, storm=3)


if __name__ == "__main__":
    main()
