"""Drafts to Xero invoices and back: the request body, per-invoice results, payment status, contact matching."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from app.sync.matching import match_customers
from app.sync.provider import InvoicePush, LinePush, RemoteKind, RemoteOption, RemoteStatus
from app.sync.xero import invoices, payments
from tests.fakes.xero_spec import request_problems

LINE = LinePush("Development 16-20 Nov", Decimal("7.5"), Decimal("120"), Decimal("900.00"), "200", "DEV", "OUTPUT",
                (("Region", "North"), ("Team", "A"), ("Extra", "dropped")))
PUSH = InvoicePush("u1", 3, "INV-0042", "c-1", "NZD", date(2026, 11, 20), date(2026, 12, 4), "none", (LINE,), "k1")


def test_the_body_uses_only_fields_the_spec_defines() -> None:
    body = invoices.to_xero(PUSH)
    assert body["LineAmountTypes"] == "NoTax" and body["Status"] == "DRAFT" and body["Reference"] == "INV-0042"
    assert body["LineItems"][0]["Tracking"] == [{"Name": "Region", "Option": "North"}, {"Name": "Team", "Option": "A"}]
    assert "InvoiceID" not in body
    assert request_problems("PUT", "/Invoices", {"summarizeErrors": "false", "unitdp": "4"},
                            {"Invoices": [_plain(body)]}) == []
    update = invoices.to_xero(replace(PUSH, remote_id="r-9", authorise=True))
    assert update["InvoiceID"] == "r-9" and update["Status"] == "AUTHORISED"


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return float(value) if isinstance(value, Decimal) else value


def test_each_invoice_gets_its_own_verdict() -> None:
    other = replace(PUSH, key="k2")
    body = {"Invoices": [
        {"InvoiceID": "x1", "InvoiceNumber": "INV-0001", "Status": "DRAFT", "Total": Decimal("900"),
         "Warnings": [{"Message": "Rounded"}]},
        {"HasErrors": True, "ValidationErrors": [{"Message": "Account code '999' is not a valid code."}]},
    ]}
    ok, refused = invoices.results([PUSH, other], 200, body)
    assert (ok.ok, ok.remote_id, ok.remote_number, ok.status, ok.warnings) == (
        True, "x1", "INV-0001", RemoteStatus.DRAFT, ("Rounded",))
    assert not refused.ok and not refused.retryable
    assert refused.errors == ("Account code '999' is not a valid code.",)
    whole = invoices.results([PUSH], 400, {"Message": "A validation exception occurred",
                                           "Elements": [{"ValidationErrors": [{"Message": "Bad date"}]}]})
    assert whole[0].errors == ("Bad date",)
    assert invoices.remote_ids(body) == ("x1",)


def test_payment_status_from_xero_invoices() -> None:
    paid = payments.status({"InvoiceID": "a", "Status": "PAID", "Total": Decimal("115"), "AmountPaid": Decimal("115"),
                            "AmountDue": Decimal("0"), "FullyPaidOnDate": "/Date(1764460800000+0000)/"})
    assert (paid.status, paid.paid_on, paid.amount_due) == (RemoteStatus.PAID, date(2025, 11, 30), Decimal(0))
    part = payments.status({"InvoiceID": "b", "Status": "AUTHORISED", "Total": 100, "AmountPaid": 40,
                            "Payments": [{"Date": "/Date(1764460800000+0000)/", "Amount": 40}]})
    assert (part.status, part.amount_due, part.payments[0].amount) == (RemoteStatus.PART_PAID, Decimal(60), Decimal(40))
    assert payments.status({"InvoiceID": "c", "Status": "VOIDED", "Total": 5}).status.gone


def test_contact_matching_is_exact_first_then_fuzzy_with_scores() -> None:
    contacts = [RemoteOption(RemoteKind.CUSTOMER, str(i), n) for i, n in
                enumerate(["Acme Ltd", "ACME Corporation", "Globex", "Initech"])]
    [exact] = match_customers("  acme   LTD ", contacts)
    assert exact.exact and exact.customer.code == "0"
    fuzzy = match_customers("Acme", contacts)
    assert {m.customer.name for m in fuzzy} == {"Acme Ltd", "ACME Corporation"}
    assert all(60 <= m.score < 100 and not m.exact for m in fuzzy)
    assert match_customers("Zeta Industries", contacts) == []
