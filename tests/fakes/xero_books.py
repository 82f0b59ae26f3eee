"""The organisation behind the fake Xero: contacts, accounts, items, tax rates, tracking, invoices and payments,
with the business rules Xero applies and its own error sentences.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ACCOUNTS = [
    {"Code": "200", "Name": "Sales", "Type": "REVENUE", "Class": "REVENUE", "Status": "ACTIVE", "TaxType": "OUTPUT"},
    {"Code": "260", "Name": "Other Revenue", "Type": "OTHERINCOME", "Class": "REVENUE", "Status": "ACTIVE",
     "TaxType": "OUTPUT"},
    {"Code": "270", "Name": "Interest Income", "Type": "REVENUE", "Class": "REVENUE", "Status": "ARCHIVED",
     "TaxType": "NONE"},
    {"Code": "400", "Name": "Advertising", "Type": "EXPENSE", "Class": "EXPENSE", "Status": "ACTIVE",
     "TaxType": "INPUT"},
]
TAX_RATES = [
    {"Name": "GST on Income", "TaxType": "OUTPUT", "Status": "ACTIVE", "EffectiveRate": Decimal("15.0"),
     "CanApplyToRevenue": True},
    {"Name": "No GST", "TaxType": "NONE", "Status": "ACTIVE", "EffectiveRate": Decimal("0.0"),
     "CanApplyToRevenue": True},
    {"Name": "GST on Expenses", "TaxType": "INPUT", "Status": "ACTIVE", "EffectiveRate": Decimal("15.0"),
     "CanApplyToRevenue": False},
]
ITEMS = [{"ItemID": str(uuid.uuid4()), "Code": "DEV", "Name": "Development"},
         {"ItemID": str(uuid.uuid4()), "Code": "CONSULT", "Name": "Consulting"}]
TRACKING = [{"TrackingCategoryID": str(uuid.uuid4()), "Name": "Region", "Status": "ACTIVE",
             "Options": [{"TrackingOptionID": str(uuid.uuid4()), "Name": n, "Status": "ACTIVE"}
                         for n in ("North", "South")]}]


def ms_date(moment: datetime) -> str:
    return f"/Date({int(moment.timestamp() * 1000)}+0000)/"


class Refused(Exception):
    """A document Xero would refuse, with Xero's sentences."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Books:
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    next_number: int = 1
    emails: list[tuple[str, str]] = field(default_factory=list)
    """(invoice id, address) of every invoice Xero e-mailed."""
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Attachments by invoice id, each with its bytes under `_content`."""

    def add_contact(self, name: str, email: str = "") -> dict[str, Any]:
        with self.lock:
            if any(c["Name"].casefold() == name.strip().casefold() for c in self.contacts.values()):
                raise Refused(f"The contact name {name} is already assigned to another contact. The contact name "
                              "must be unique across all active contacts.")
            contact = {"ContactID": str(uuid.uuid4()), "Name": name.strip(), "ContactStatus": "ACTIVE",
                       "EmailAddress": email, "UpdatedDateUTC": ms_date(datetime.now(UTC))}
            self.contacts[contact["ContactID"]] = contact
            return contact

    def create_invoice(self, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if data.get("InvoiceID"):
                raise Refused("An InvoiceID was given to PUT, which only creates; use POST to update.")
            invoice = self._checked(data)
            invoice["InvoiceID"] = str(uuid.uuid4())
            invoice["InvoiceNumber"] = data.get("InvoiceNumber") or f"INV-{self.next_number:04d}"
            self.next_number += 1
            self.invoices[invoice["InvoiceID"]] = invoice
            return invoice

    def update_invoice(self, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            current = self.invoices.get(str(data.get("InvoiceID")))
            if current is None:
                return self.create_invoice(data)
            if data.get("Status") in ("DELETED", "VOIDED"):
                return self._retire(current, data["Status"])
            if current["Status"] not in ("DRAFT", "SUBMITTED"):
                raise Refused("Invoice not of valid status for modification")
            invoice = self._checked({**data, "Status": data.get("Status", current["Status"])})
            invoice["InvoiceID"], invoice["InvoiceNumber"] = current["InvoiceID"], current["InvoiceNumber"]
            self.invoices[invoice["InvoiceID"]] = invoice
            return invoice

    def _retire(self, invoice: dict[str, Any], status: str) -> dict[str, Any]:
        """Xero's rules: only a DRAFT or SUBMITTED invoice can be deleted, only an AUTHORISED one voided, and not
        once a payment is allocated to it."""
        if invoice["AmountPaid"] > 0 or invoice["Payments"]:
            raise Refused("This document cannot be edited as it has a payment or credit note allocated to it.")
        allowed = ("DRAFT", "SUBMITTED") if status == "DELETED" else ("AUTHORISED",)
        if invoice["Status"] not in allowed:
            raise Refused(f"Invoice not of valid status for modification. An invoice can be {status.lower()} only "
                          f"when it is {' or '.join(allowed)}.")
        invoice["Status"] = status
        if status == "VOIDED":
            invoice["AmountDue"] = Decimal(0)
        self._touch(invoice)
        return invoice

    def _checked(self, data: dict[str, Any]) -> dict[str, Any]:
        problems: list[str] = []
        if data.get("Type") != "ACCREC":
            problems.append("Only sales invoices (ACCREC) are expected from this app.")
        contact = self.contacts.get(str((data.get("Contact") or {}).get("ContactID")))
        if contact is None:
            problems.append("The contact could not be found, or it was archived.")
        status = data.get("Status", "DRAFT")
        if status not in ("DRAFT", "SUBMITTED", "AUTHORISED"):
            problems.append(f"The status '{status}' cannot be set when an invoice is created or updated.")
        kind = data.get("LineAmountTypes", "Exclusive")
        lines, subtotal, tax = [], Decimal(0), Decimal(0)
        for position, line in enumerate(data.get("LineItems") or [], 1):
            amount, line_tax = self._line(line, kind, position, problems)
            lines.append({**line, "LineItemID": str(uuid.uuid4()), "LineAmount": amount, "TaxAmount": line_tax})
            subtotal += amount if kind != "Inclusive" else amount - line_tax
            tax += line_tax
        if not lines:
            problems.append("An invoice must have at least one line item.")
        if problems:
            raise Refused(*problems)
        total = subtotal + tax
        now = datetime.now(UTC)
        return {**{k: v for k, v in data.items() if k != "LineItems"}, "Status": status, "LineItems": lines,
                "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]},  # type: ignore[index]
                "LineAmountTypes": kind, "SubTotal": subtotal, "TotalTax": tax, "Total": total, "AmountDue": total,
                "AmountPaid": Decimal(0), "Payments": [], "UpdatedDateUTC": ms_date(now), "_updated": now,
                "CurrencyCode": data.get("CurrencyCode", "NZD")}

    @staticmethod
    def _line(line: dict[str, Any], kind: str, position: int, problems: list[str]) -> tuple[Decimal, Decimal]:
        quantity, unit = Decimal(str(line.get("Quantity", 1))), Decimal(str(line.get("UnitAmount", 0)))
        expected = (quantity * unit).quantize(CENT, ROUND_HALF_UP)
        amount = Decimal(str(line.get("LineAmount", expected)))
        if amount != expected:
            problems.append(f"The line total {amount} does not match the expected line total {expected}")
        code = line.get("AccountCode")
        account = next((a for a in ACCOUNTS if a["Code"] == code), None)
        if code is not None and (account is None or account["Status"] != "ACTIVE"):
            problems.append(f"Account code '{code}' is not a valid code for this document.")
        if line.get("ItemCode") and all(i["Code"] != line["ItemCode"] for i in ITEMS):
            problems.append(f"Item code '{line['ItemCode']}' is not valid")
        tax_type = line.get("TaxType") or (account or {}).get("TaxType", "NONE")
        rate = next((t for t in TAX_RATES if t["TaxType"] == tax_type and t["CanApplyToRevenue"]), None)
        if rate is None:
            problems.append(f"The TaxType code '{tax_type}' does not exist or cannot be used for this type of "
                            "transaction.")
        for tracking in line.get("Tracking") or []:
            category = next((c for c in TRACKING if c["Name"] == tracking.get("Name")), None)
            if category is None or all(o["Name"] != tracking.get("Option") for o in category["Options"]):
                problems.append(f"Tracking option '{tracking.get('Option')}' of '{tracking.get('Name')}' on line "
                                f"{position} was not found.")
        percent = Decimal(0) if kind == "NoTax" or rate is None else rate["EffectiveRate"] / 100
        if kind == "Inclusive":
            tax = (amount - amount / (1 + percent)).quantize(CENT, ROUND_HALF_UP)
        else:
            tax = (amount * percent).quantize(CENT, ROUND_HALF_UP)
        return amount, tax

    # What a test does in Xero's web app

    def pay(self, invoice_id: str, amount: Decimal | None = None, day: date | None = None) -> None:
        with self.lock:
            invoice = self.invoices[invoice_id]
            amount = invoice["AmountDue"] if amount is None else amount
            day = day or date.today()
            paid_at = datetime(day.year, day.month, day.day, tzinfo=UTC)
            invoice["Payments"].append({"PaymentID": str(uuid.uuid4()), "Date": ms_date(paid_at), "Amount": amount})
            invoice["AmountPaid"] += amount
            invoice["AmountDue"] -= amount
            if invoice["AmountDue"] <= 0:
                invoice["Status"], invoice["FullyPaidOnDate"] = "PAID", ms_date(paid_at)
            else:
                invoice["Status"] = "AUTHORISED"
            self._touch(invoice)

    def attach(self, invoice_id: str, name: str, content: bytes, online: bool | None) -> dict[str, Any]:
        """`online` None replaces the attachment of that name (POST); otherwise a new one is added (PUT)."""
        with self.lock:
            held = self.files.setdefault(invoice_id, [])
            current = next((a for a in held if a["FileName"] == name), None) if online is None else None
            if current is None:
                current = {"AttachmentID": str(uuid.uuid4()), "FileName": name, "IncludeOnline": bool(online),
                           "Url": f"https://api.xero.com/api.xro/2.0/Invoices/{invoice_id}/Attachments/{name}"}
                held.append(current)
            current.update(_content=content, ContentLength=len(content), MimeType="application/octet-stream")
            return self.public(current)

    def attachments_of(self, invoice_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [self.public(a) for a in self.files.get(invoice_id, [])]

    def email_invoice(self, invoice_id: str) -> None:
        """Xero's rules: an ACCREC invoice, AUTHORISED, whose contact has an e-mail address."""
        with self.lock:
            invoice = self.invoices.get(invoice_id)
            if invoice is None or invoice["Status"] == "DELETED":
                raise Refused("Invoice could not be found")
            if invoice["Status"] != "AUTHORISED":
                raise Refused(f"Invoice status must be AUTHORISED to be emailed, not {invoice['Status']}")
            address = self.contacts[invoice["Contact"]["ContactID"]].get("EmailAddress")
            if not address:
                raise Refused("The contact does not have an email address")
            self.emails.append((invoice_id, address))

    def set_status(self, invoice_id: str, status: str) -> None:
        """AUTHORISED (approve), VOIDED (an approved one) or DELETED (a draft)."""
        with self.lock:
            invoice = self.invoices[invoice_id]
            invoice["Status"] = status
            self._touch(invoice)

    @staticmethod
    def _touch(invoice: dict[str, Any]) -> None:
        now = datetime.now(UTC)
        invoice["UpdatedDateUTC"], invoice["_updated"] = ms_date(now), now

    def public(self, invoice: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in invoice.items() if not k.startswith("_")}
