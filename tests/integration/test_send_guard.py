"""No entry is ever on two live remote invoices: the send guard in the outbox, checked on its own and over random
sequences of create / send / void / delete / edit / refresh, with remote approvals, payments and voids and lost
answers, against the fake Xero and the fake QuickBooks at once."""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import build_core
from app.domain.errors import TimeTallyError
from app.domain.periods import parse_week
from app.sync.outbox import JobKind, JobState
from app.sync.quickbooks_send.links import Mode
from app.sync.ratelimit import Limits
from app.sync.reports import Outcome
from tests.fakes.captured import approved
from tests.fakes.quickbooks_server import FakeQuickBooks
from tests.fakes.quickbooks_setup import connect as connect_quickbooks
from tests.fakes.quickbooks_setup import fake_company
from tests.fakes.xero_server import FakeXero
from tests.fakes.xero_setup import connect

WEEK = parse_week("2026-W47")
NO_RETRY = Limits(per_window=500, window_seconds=60.0, concurrent=10, max_retries=0, backoff_seconds=0.01)


def prepared(core: Any) -> None:
    """One client, lines per entry described by the entry's own tag, so a remote line names its entry."""
    core.billing.set_client("Acme Ltd", rate="100", currency="NZD")
    core.settings.set("billing.grouping", "entry")
    core.settings.set("billing.description_template", "{description}")
    core.settings.set("billing.person", "Jane Doe")


def entry(core: Any, day: int, tag: str) -> int:
    return approved(core, "Acme Ltd/Web", datetime(2026, 11, day, 9, tzinfo=UTC), timedelta(hours=1), tag)


def refusals() -> contextlib.AbstractContextManager[None]:
    """A refusal or a lost connection is an answer the user gets with a sentence; only a double bill is a failure."""
    return contextlib.suppress(TimeTallyError)


def live_tags(xero: FakeXero, quickbooks: FakeQuickBooks) -> Counter[str]:
    """How many live remote invoices bill each entry, from what the accounting systems themselves hold."""
    found: Counter[str] = Counter()
    for invoice in xero.invoices():
        if invoice["Status"] not in ("VOIDED", "DELETED"):
            found.update({line["Description"] for line in invoice["LineItems"]})
    for invoice in quickbooks.all("Invoice"):
        if invoice["TotalAmt"] != 0 or invoice["Balance"] != 0:
            found.update({line["Description"] for line in invoice["Line"]})
    return found


def test_a_draft_held_by_xero_never_goes_to_quickbooks(core: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared(core)
    entry(core, 16, "t1")
    with FakeXero() as xero, fake_company() as quickbooks:
        connect(core, xero, monkeypatch)
        connect_quickbooks(core, quickbooks, monkeypatch)
        xero.books.add_contact("Acme Ltd")
        quickbooks.company.add("Customer", DisplayName="Acme Ltd")
        [sent] = core.sync.send("xero", WEEK).outcomes
        assert sent.outcome is Outcome.SENT
        assert core.sync.quickbooks().send(WEEK, mode=Mode.INVOICE).outcomes == []
        outbox = core.sync.outbox("quickbooks")
        job = outbox.enqueue(JobKind.INVOICE, sent.uid, 1, sent.number, {"entries": [1], "remote_id": ""})
        refused = outbox.mark_sent([job.id])
        assert "entries #1 are already billed by INV-0001 in Xero" in refused[job.id]
        assert outbox.get(job.id).state is JobState.FAILED
        assert quickbooks.all("Invoice") == [] and max(live_tags(xero, quickbooks).values()) == 1


def test_a_job_left_waiting_for_a_draft_deleted_since_is_never_sent(core: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared(core)
    entry(core, 16, "t1")
    with FakeXero() as xero:
        connect(core, xero, monkeypatch)
        xero.books.add_contact("Acme Ltd")
        core.billing.create(WEEK)  # stored by the user: a cancelled send leaves it and its job waiting
        [waiting] = core.sync.send("xero", WEEK, cancelled=lambda: True).outcomes
        assert waiting.outcome is Outcome.PENDING
        core.billing.delete("INV-0001")  # never sent: it may go, and its time is billed anew
        outcomes = {o.number: o for o in core.sync.send("xero", WEEK).outcomes}
        assert outcomes["INV-0001"].outcome is Outcome.FAILED
        assert "was deleted or voided here before it was sent" in outcomes["INV-0001"].errors[0]
        assert outcomes["INV-0002"].outcome is Outcome.SENT
        assert [i["Reference"] for i in xero.invoices()] == ["INV-0002"]


class World:
    """TimeTally and two accounting systems, each on its own files and ports; the user and the accounting systems
    act on it in any order."""

    def __init__(self) -> None:
        self.home = tempfile.TemporaryDirectory()
        self.patch = pytest.MonkeyPatch()
        self.patch.setenv("TIMETALLY_HOME", self.home.name)
        self.xero, self.quickbooks = FakeXero(per_minute=100_000).__enter__(), fake_company().__enter__()
        self.core: Any = build_core()
        prepared(self.core)
        connect(self.core, self.xero, self.patch, NO_RETRY)
        connect_quickbooks(self.core, self.quickbooks, self.patch, NO_RETRY)
        self.xero.books.add_contact("Acme Ltd")
        self.quickbooks.company.add("Customer", DisplayName="Acme Ltd")
        self.tags = 0

    def close(self) -> None:
        self.core.close()
        self.xero.__exit__(None, None, None)
        self.quickbooks.__exit__(None, None, None)
        self.patch.undo()
        self.home.cleanup()

    def _number(self, rng: random.Random) -> str | None:
        drafts = self.core.billing.drafts()
        return rng.choice(drafts).number if drafts else None

    def work(self, rng: random.Random) -> str:
        self.tags += 1
        entry(self.core, rng.randint(16, 20), f"t{self.tags}")
        return f"t{self.tags}"

    def create(self, rng: random.Random) -> str:
        return ",".join(d.number for d in self.core.billing.create(WEEK))

    def send_xero(self, rng: random.Random) -> str:
        cancel = rng.random() < 0.2
        with refusals():
            report = self.core.sync.send("xero", WEEK, cancelled=(lambda: True) if cancel else None)
            return ("cancelled " if cancel else "") + report.summary()
        return "refused"

    def send_quickbooks(self, rng: random.Random) -> str:
        with refusals():
            return self.core.sync.quickbooks().send(
                WEEK, mode=Mode.INVOICE).summary()
        return "refused"

    def void(self, rng: random.Random) -> str:
        number = self._number(rng)
        with refusals():
            return f"{number}: {self.core.sync.void_invoice(number).action}" if number else "-"
        return f"{number}: refused"

    def delete(self, rng: random.Random) -> str:
        number = self._number(rng)
        with refusals():
            self.core.billing.delete(number) if number else None
            return f"{number} deleted"
        return f"{number} refused"

    def edit_and_refresh(self, rng: random.Random) -> str:
        rate = rng.choice(["100", "120", "95.5"])
        self.core.billing.set_client("Acme Ltd", rate=rate)
        number = self._number(rng)
        with refusals():
            self.core.billing.refresh(number) if number else None
        return f"rate {rate}, {number}"

    def remote(self, rng: random.Random) -> str:
        """The accounting system's user approves, pays (in part) or voids an invoice."""
        found = [("xero", i) for i in self.xero.invoices()] + [("quickbooks", i)
                                                              for i in self.quickbooks.all("Invoice")]
        if not found:
            return "-"
        (where, invoice), action = rng.choice(found), rng.choice(["approve", "pay", "part-pay", "void"])
        if where == "xero":
            books, status = self.xero.books, invoice["Status"]
            if action == "approve" and status == "DRAFT":
                books.set_status(invoice["InvoiceID"], "AUTHORISED")
            elif action in ("pay", "part-pay") and status == "AUTHORISED" and invoice["AmountDue"] > 0:
                books.pay(invoice["InvoiceID"], None if action == "pay" else invoice["AmountDue"] / 2)
            elif action == "void" and status in ("DRAFT", "AUTHORISED") and not invoice["Payments"]:
                books.set_status(invoice["InvoiceID"], "DELETED" if status == "DRAFT" else "VOIDED")
        elif invoice["TotalAmt"] and invoice["Balance"]:
            if action in ("pay", "part-pay"):
                self.quickbooks.company.pay(invoice["Id"], invoice["Balance"] / (1 if action == "pay" else 2))
            elif action == "void" and invoice["Balance"] == invoice["TotalAmt"]:
                self.quickbooks.company.void(invoice["Id"])
        return f"{action} {where} {invoice.get('Reference') or invoice.get('DocNumber')}"

    def payments(self, rng: random.Random) -> str:
        with refusals():
            return f"{len(self.core.sync.sync_payments(['xero', 'quickbooks']))} changed"
        return "refused"

    def lose_the_next_answer(self, rng: random.Random) -> str:
        if rng.random() < 0.5:
            self.xero.drop_after_commit(method=None)
            return "xero"
        self.quickbooks.drop_after_commit(path=None)
        return "quickbooks"

    def billed_twice(self) -> dict[str, int]:
        return {tag: n for tag, n in live_tags(self.xero, self.quickbooks).items() if n > 1}


ACTIONS = ("work", "create", "send_xero", "send_quickbooks", "void", "delete", "edit_and_refresh", "remote",
           "payments", "lose_the_next_answer")
STEPS = 14


@pytest.mark.timeout(900)
@settings(max_examples=int(os.environ.get("TIMETALLY_LIFECYCLE_EXAMPLES", "16")), deadline=None, derandomize=True,
          database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_no_entry_is_ever_on_two_live_remote_invoices(seed: int) -> None:
    """Each example is one uniformly random sequence of steps (the seed makes it repeatable); after every step,
    what the two accounting systems hold bills each entry at most once."""
    rng = random.Random(seed)
    world = World()
    done: list[str] = []
    try:
        for _ in range(2):
            done.append(f"work {world.work(rng)}")
        for _ in range(STEPS):
            action = rng.choice(ACTIONS)
            done.append(f"{action} {getattr(world, action)(rng)}")
            twice = world.billed_twice()
            assert twice == {}, f"entries on two live remote invoices {twice} after: " + " | ".join(done)
    finally:
        world.close()
