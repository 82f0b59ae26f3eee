"""The company behind the fake QuickBooks Online: names, items, time activities, invoices and payments.

Enforces what the real service does to TimeTally's requests: one DisplayName namespace across customers, vendors
and employees, inactive names still taken (6240); no `:` in names; references to inactive records refused (610);
updates only with the current SyncToken (5010), sparse or full; billable time needs an hourly rate; an invoice line
must be Qty × UnitPrice; time linked to an invoice becomes HasBeenBilled, and Billable again when it is voided.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

NAME_LISTS = ("Customer", "Vendor", "Employee")
ACCOUNTS = [
    {"Id": "79", "Name": "Sales of Product Income", "AccountType": "Income", "Active": True},
    {"Id": "1", "Name": "Services", "AccountType": "Income", "Active": True},
    {"Id": "35", "Name": "Checking", "AccountType": "Bank", "Active": True},
]


class Refused(Exception):
    """A QuickBooks Fault: `code` as Intuit numbers it."""

    def __init__(self, code: str, message: str, detail: str = "", element: str = "",
                 kind: str = "ValidationFault") -> None:
        super().__init__(message)
        self.code, self.message, self.detail, self.element, self.kind = code, message, detail, element, kind

    def fault(self) -> dict[str, Any]:
        return {"Error": [{"Message": self.message, "Detail": self.detail or self.message, "code": self.code,
                           "element": self.element}], "type": self.kind}


def _now() -> datetime:
    return datetime.now(UTC)


def _meta(created: datetime | None = None) -> dict[str, str]:
    now = _now().isoformat()
    return {"CreateTime": created.isoformat() if created else now, "LastUpdatedTime": now}


class Company:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.records: dict[str, dict[str, dict[str, Any]]] = {
            "Customer": {}, "Vendor": {}, "Employee": {}, "Item": {}, "TimeActivity": {}, "Invoice": {},
            "Payment": {}, "Attachable": {}, "Account": {a["Id"]: {**a, "SyncToken": "0"} for a in ACCOUNTS},
        }
        self.deleted: dict[str, dict[str, dict[str, Any]]] = {"Invoice": {}, "Payment": {}}
        self._next = 100
        self._doc = 1000
        self.files: dict[str, bytes] = {}
        """The bytes of each Attachable uploaded, by its id."""
        self.emails: list[tuple[str, str]] = []
        """(invoice id, address) of every invoice QuickBooks e-mailed."""

    # Set-up helpers for tests

    def add(self, entity: str, **fields: Any) -> dict[str, Any]:
        with self.lock:
            return self.create(entity, fields)

    def deactivate(self, entity: str, record_id: str) -> None:
        with self.lock:
            self._touch(self.records[entity][record_id], Active=False)

    def bill_inside(self, activity_id: str) -> None:
        """As if the user invoiced this time inside QuickBooks."""
        with self.lock:
            self._touch(self.records["TimeActivity"][activity_id], BillableStatus="HasBeenBilled")

    def invoice_time(self, customer_id: str, activity_ids: list[str], day: date | None = None) -> dict[str, Any]:
        """As if the user made an invoice inside QuickBooks with "Add billable time": one line per time activity,
        its hours at its rate, linked to it (`LinkedTxn`), so QuickBooks marks the time billed."""
        with self.lock:
            lines = []
            for activity_id in activity_ids:
                activity = self.records["TimeActivity"][activity_id]
                hours = (Decimal(activity["Hours"]) + Decimal(activity["Minutes"]) / 60).quantize(Decimal("0.0001"))
                rate = Decimal(str(activity["HourlyRate"]))
                lines.append({"DetailType": "SalesItemLineDetail", "Amount": (hours * rate).quantize(Decimal("0.01")),
                              "Description": activity.get("Description", ""),
                              "SalesItemLineDetail": {"ItemRef": dict(activity["ItemRef"]), "Qty": hours,
                                                      "UnitPrice": rate, "ServiceDate": activity["TxnDate"]},
                              "LinkedTxn": [{"TxnId": activity_id, "TxnType": "TimeActivity"}]})
            return self.create("Invoice", {"CustomerRef": {"value": customer_id},
                                           "TxnDate": (day or date.today()).isoformat(), "Line": lines})

    def pay(self, invoice_id: str, amount: Decimal | str, day: date | None = None) -> dict[str, Any]:
        with self.lock:
            invoice = self.records["Invoice"][invoice_id]
            amount = Decimal(str(amount))
            payment = self._store("Payment", {
                "CustomerRef": dict(invoice["CustomerRef"]), "TotalAmt": amount,
                "TxnDate": (day or date.today()).isoformat(),
                "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]}],
            })
            self._touch(invoice, Balance=invoice["Balance"] - amount,
                        LinkedTxn=[*invoice.get("LinkedTxn", []), {"TxnId": payment["Id"], "TxnType": "Payment"}])
            return payment

    def email_invoice(self, invoice_id: str, send_to: str) -> dict[str, Any]:
        """To `send_to` (which becomes the invoice's BillEmail) or the invoice's BillEmail; a voided one too."""
        with self.lock:
            invoice = self.records["Invoice"].get(invoice_id)
            if invoice is None:
                raise Refused("610", "Object Not Found", f"Invoice {invoice_id} does not exist")
            address = send_to or (invoice.get("BillEmail") or {}).get("Address", "")
            if not address:
                raise Refused("6140", "Invalid Email Address", "No email address to send to")
            self.emails.append((invoice_id, address))
            return self._touch(invoice, BillEmail={"Address": address}, EmailStatus="EmailSent",
                               DeliveryInfo={"DeliveryType": "Email", "DeliveryTime": _now().isoformat()})

    def void(self, invoice_id: str) -> dict[str, Any]:
        with self.lock:
            invoice = self.records["Invoice"][invoice_id]
            self._release(invoice)
            lines = [{**line, "Amount": Decimal(0)} for line in invoice["Line"]]
            return self._touch(invoice, TotalAmt=Decimal(0), Balance=Decimal(0), Line=lines, PrivateNote="Voided")

    def delete(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            record = self._current(entity, body)
            if entity == "Invoice":
                self._release(record)
            del self.records[entity][record["Id"]]
            gone = {"Id": record["Id"], "status": "Deleted", "domain": "QBO", "MetaData": _meta()}
            self.deleted.setdefault(entity, {})[record["Id"]] = gone
            return gone

    # Writes

    def create(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("Id"):
            raise Refused("2000", "Id is not allowed on create", element="Id")
        self._billed_by_us(entity, body)
        record = {k: v for k, v in body.items() if k != "sparse"}
        self._validate(entity, record, None)
        return self._store(entity, record)

    def update(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        current = self._current(entity, body)
        self._billed_by_us(entity, body)
        if body.get("sparse"):
            merged = {**current, **{k: v for k, v in body.items() if k != "sparse"}}
        else:
            keep = {k: current[k] for k in ("Id", "MetaData", "DocNumber") if k in current}
            merged = {**keep, **body}
        self._validate(entity, merged, current)
        if entity == "Invoice":
            self._release(current)
        merged["SyncToken"] = str(int(current["SyncToken"]) + 1)
        merged["MetaData"] = _meta()
        self._derive(entity, merged)
        self.records[entity][current["Id"]] = merged
        return merged

    def _current(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        current = self.records[entity].get(str(body.get("Id", "")))
        if current is None:
            raise Refused("610", "Object Not Found", f"Something you're trying to use has been made inactive or "
                          f"deleted: {entity} {body.get('Id')}", element="Id")
        if str(body.get("SyncToken", "")) != current["SyncToken"]:
            raise Refused("5010", "Stale Object Error", f"You and someone else are editing this {entity}; the "
                          f"current SyncToken is {current['SyncToken']}", element="SyncToken")
        return current

    def _store(self, entity: str, record: dict[str, Any]) -> dict[str, Any]:
        self._next += 1
        record = {**record, "Id": str(self._next), "SyncToken": "0", "domain": "QBO", "MetaData": _meta()}
        self._derive(entity, record)
        self.records[entity][record["Id"]] = record
        return record

    def _touch(self, record: dict[str, Any], **changes: Any) -> dict[str, Any]:
        record.update(changes)
        record["SyncToken"] = str(int(record["SyncToken"]) + 1)
        record["MetaData"] = _meta()
        return record

    def _derive(self, entity: str, record: dict[str, Any]) -> None:
        """What QuickBooks computes: active flags, qualified names, totals, balances, billed time."""
        if entity in (*NAME_LISTS, "Item"):
            record.setdefault("Active", True)
        if entity == "Customer":
            parent = self.records["Customer"].get(str((record.get("ParentRef") or {}).get("value", "")))
            prefix = f"{parent['FullyQualifiedName']}:" if parent else ""
            record["FullyQualifiedName"] = prefix + record["DisplayName"]
            record["Level"] = int(parent["Level"]) + 1 if parent else 0
        if entity == "Item":
            record["FullyQualifiedName"] = record["Name"]
        if entity == "TimeActivity":
            record.setdefault("BillableStatus", "NotBillable")
        if entity == "Invoice":
            total = sum((Decimal(str(line.get("Amount", 0))) for line in record["Line"]), start=Decimal(0))
            paid = Decimal(0) if "TotalAmt" not in record else Decimal(str(record["TotalAmt"])) - record["Balance"]
            record["TotalAmt"], record["Balance"] = total, total - paid
            if "DocNumber" not in record:
                self._doc += 1
                record["DocNumber"] = str(self._doc)
            for activity in self._linked(record):
                activity.update(BillableStatus="HasBeenBilled", SyncToken=str(int(activity["SyncToken"]) + 1))

    def _release(self, invoice: dict[str, Any]) -> None:
        for activity in self._linked(invoice):
            activity.update(BillableStatus="Billable", SyncToken=str(int(activity["SyncToken"]) + 1))

    def _linked(self, invoice: dict[str, Any]) -> list[dict[str, Any]]:
        ids = {str(t["TxnId"]) for line in invoice["Line"] for t in line.get("LinkedTxn") or []
               if t.get("TxnType") == "TimeActivity"}
        return [self.records["TimeActivity"][i] for i in ids if i in self.records["TimeActivity"]]

    # Business rules

    def _validate(self, entity: str, record: dict[str, Any], current: dict[str, Any] | None) -> None:
        if entity in NAME_LISTS:
            self._name(record, current, NAME_LISTS, "DisplayName")
        if entity == "Customer" and record.get("Job"):
            self._ref(record, "ParentRef", "Customer")
        if entity == "Item":
            self._name(record, current, ("Item",), "Name")
            if record.get("Type") == "Service":
                self._ref(record, "IncomeAccountRef", "Account")
        if entity == "TimeActivity":
            self._time_activity(record)
        if entity == "Invoice":
            self._invoice(record, current)

    def _name(self, record: dict[str, Any], current: dict[str, Any] | None, lists: tuple[str, ...],
              field: str) -> None:
        name = str(record.get(field) or "").strip()
        if not name:
            raise Refused("2020", "Required param missing, need to supply the required value for the API",
                          f"Required parameter {field} is missing in the request", element=field)
        if ":" in name:
            raise Refused("2170", "Invalid Enumeration", f"{field} cannot contain a colon (:).", element=field)
        for kind in lists:
            for other in self.records[kind].values():
                if current is not None and other["Id"] == current["Id"]:
                    continue
                if str(other.get(field, "")).casefold() == name.casefold():
                    raise Refused("6240", "Duplicate Name Exists Error", f"The name supplied already exists. : "
                                  f"Another {kind.lower()} is already using this name. Please use a different "
                                  f"name. Id={other['Id']}", element=field)

    def _ref(self, record: dict[str, Any], field: str, entity: str, required: bool = True) -> dict[str, Any] | None:
        ref = record.get(field)
        if not ref:
            if required:
                raise Refused("2020", "Required param missing, need to supply the required value for the API",
                              f"Required parameter {field} is missing in the request", element=field)
            return None
        target = self.records[entity].get(str(ref.get("value", "")))
        if target is None or target.get("Active") is False:
            raise Refused("610", "Object Not Found", f"Something you're trying to use has been made inactive. "
                          f"Check the fields with accounts, customers, items, vendors or employees: {field} "
                          f"{ref.get('value')}", element=field)
        return target

    @staticmethod
    def _billed_by_us(entity: str, body: dict[str, Any]) -> None:
        """Only QuickBooks sets HasBeenBilled; a sparse update that leaves the status out keeps it."""
        if entity == "TimeActivity" and body.get("BillableStatus") == "HasBeenBilled":
            raise Refused("2050", "Invalid BillableStatus", "HasBeenBilled is set by QuickBooks",
                          element="BillableStatus")

    def _time_activity(self, record: dict[str, Any]) -> None:
        name_of = record.get("NameOf")
        if name_of not in ("Employee", "Vendor"):
            raise Refused("2020", "Required param missing", "NameOf must be Employee or Vendor", element="NameOf")
        other = "VendorRef" if name_of == "Employee" else "EmployeeRef"
        if other in record:
            raise Refused("2050", "Invalid reference", f"{other} does not go with NameOf {name_of}", element=other)
        self._ref(record, f"{name_of}Ref", name_of)
        self._ref(record, "CustomerRef", "Customer", required=False)
        self._ref(record, "ItemRef", "Item", required=False)
        if not record.get("TxnDate"):
            raise Refused("2020", "Required param missing", "TxnDate is required", element="TxnDate")
        minutes = int(record.get("Minutes", 0))
        if not 0 <= minutes <= 59 or ("Hours" not in record and "StartTime" not in record):
            raise Refused("2050", "Invalid time", "Give Hours and Minutes (0-59) or StartTime and EndTime",
                          element="Minutes")
        if record.get("BillableStatus") == "Billable" and record.get("HourlyRate") is None:
            raise Refused("2020", "Required param missing", "HourlyRate is required for billable time",
                          element="HourlyRate")


    def _invoice(self, record: dict[str, Any], current: dict[str, Any] | None) -> None:
        customer = self._ref(record, "CustomerRef", "Customer")
        if not record.get("Line"):
            raise Refused("2020", "Required param missing", "An invoice needs at least one line", element="Line")
        mine = {a["Id"] for a in self._linked(current)} if current else set()
        for line in record["Line"]:
            if line.get("DetailType") != "SalesItemLineDetail" or "SalesItemLineDetail" not in line:
                raise Refused("2020", "Required param missing", "Lines need a SalesItemLineDetail", element="Line")
            detail = line["SalesItemLineDetail"]
            self._ref(detail, "ItemRef", "Item")
            qty, price = Decimal(str(detail.get("Qty", 1))), Decimal(str(detail.get("UnitPrice", 0)))
            if (qty * price).quantize(Decimal("0.01")) != Decimal(str(line.get("Amount"))).quantize(Decimal("0.01")):
                raise Refused("6070", "Amount is not equal to UnitPrice * Qty", f"Supplied value: {line.get('Amount')}",
                              element="Amount")
            for link in line.get("LinkedTxn") or []:
                self._link(link, customer or {}, mine)

    def _link(self, link: dict[str, Any], customer: dict[str, Any], mine: set[str]) -> None:
        if link.get("TxnType") != "TimeActivity":
            raise Refused("2050", "Invalid LinkedTxn", "Invoice lines link only TimeActivity here", element="TxnType")
        activity = self.records["TimeActivity"].get(str(link.get("TxnId")))
        if activity is None:
            raise Refused("610", "Object Not Found", f"TimeActivity {link.get('TxnId')} does not exist",
                          element="LinkedTxn")
        if activity["BillableStatus"] != "Billable" and activity["Id"] not in mine:
            raise Refused("6000", "A business validation error has occurred", f"TimeActivity {activity['Id']} is "
                          f"{activity['BillableStatus']}", element="LinkedTxn")
        owner = self.records["Customer"].get(str((activity.get("CustomerRef") or {}).get("value", "")), {})
        parent = str((owner.get("ParentRef") or {}).get("value", ""))
        if customer.get("Id") not in (owner.get("Id"), parent):
            raise Refused("6000", "A business validation error has occurred", f"TimeActivity {activity['Id']} "
                          "belongs to another customer", element="LinkedTxn")
