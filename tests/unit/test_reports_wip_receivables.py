"""Work in progress and receivables worked by hand (docs/reports.md): ages, buckets and their boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.reports.receivables import bucket, build_receivables
from app.reports.tables import receivables_tables, wip_tables
from app.reports.values import Invoice, PricedEntry
from app.reports.wip import age_bucket, build_wip

TODAY = date(2026, 11, 30)
D = Decimal


def work(entry_id: int, day: date, hours: int, client: str, value: str, currency: str = "USD",
         **kw: object) -> PricedEntry:
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    return PricedEntry(entry_id, start, start + timedelta(hours=hours), 1 if client == "Acme" else 2, client, 1,
                       "Web", currency, billed_seconds=hours * 3600, uninvoiced=D(value),
                       **{"status": "approved", **kw})  # type: ignore[arg-type]


WIP = [
    work(1, date(2026, 11, 10), 2, "Acme", "200.00"),
    work(2, date(2026, 11, 25), 1, "Acme", "100.00"),
    work(3, date(2026, 11, 1), 5, "Acme", "0", invoice="INV-0001", status="invoiced"),
    work(4, date(2026, 11, 2), 5, "Acme", "500.00", status="draft"),
    work(5, date(2026, 11, 3), 5, "Acme", "0", billable=False),
    work(6, date(2026, 10, 31), 3, "Globex", "240.00", "EUR"),
]


def test_wip_by_client_with_age() -> None:
    report = build_wip(WIP, TODAY, UTC)
    acme, globex = report.rows
    assert (acme.client, acme.entries, acme.raw_seconds, acme.value) == ("Acme", 2, 3 * 3600, D(300))
    assert (acme.oldest, acme.age_days) == (date(2026, 11, 10), 20)
    assert acme.average_age_days == 15  # (20 days × 2 h + 5 days × 1 h) / 3 h
    assert (globex.currency, globex.value, globex.age_days, globex.average_age_days) == ("EUR", D(240), 30, 30)
    assert [(t.currency, t.value) for t in report.totals] == [("EUR", D(240)), ("USD", D(300))]
    assert acme.age_seconds == {"0-30": 3 * 3600, "31-60": 0, "61-90": 0, "90+": 0}
    table = wip_tables(report)[0]
    assert table.rows[0][:6] == ("Acme", "USD", 2, D("3.00"), D("3.00"), D("300.00"))


def invoice(number: str, client: str, due: date, owed: str, status: str = "open", currency: str = "USD",
            issued: date = date(2026, 8, 1), total: str | None = None) -> Invoice:
    return Invoice(number, 1 if client == "Acme" else 2, client, currency, issued, due, D(total or owed), D(owed),
                   status, "xero" if status != "unsent" else "")


INVOICES = [
    invoice("A1", "Acme", date(2026, 12, 10), "500.00"),
    invoice("A2", "Acme", date(2026, 11, 15), "400.00", "part_paid", total="1000.00"),
    invoice("A3", "Acme", date(2026, 10, 1), "700.00"),
    invoice("A4", "Acme", date(2026, 8, 31), "250.00"),
    invoice("A5", "Acme", date(2026, 11, 30), "100.00"),
    invoice("A6", "Acme", date(2027, 1, 4), "900.00", issued=date(2026, 12, 5)),
    invoice("B1", "Globex", date(2026, 9, 1), "300.00", currency="EUR"),
    invoice("B2", "Globex", date(2026, 9, 1), "0", "paid", currency="EUR", total="80.00"),
    invoice("B3", "Globex", date(2026, 12, 30), "120.00", "unsent", currency="EUR"),
    invoice("B4", "Globex", date(2026, 12, 30), "60.00", "draft", currency="EUR"),
]


def test_bucket_boundaries() -> None:
    assert [age_bucket(d) for d in (0, 30, 31, 60, 61, 90, 91)] == [
        "0-30", "0-30", "31-60", "31-60", "61-90", "61-90", "90+"]
    assert [bucket(d) for d in (-5, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "current", "current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"]


def test_receivables_by_client_worked_by_hand() -> None:
    report = build_receivables(INVOICES, TODAY)
    acme, globex = report.rows
    assert acme.amounts == {"current": D(600), "1-30": D(400), "31-60": D(700), "61-90": D(0), "90+": D(250)}
    assert (acme.total, acme.invoices) == (D(1950), 5)
    assert (globex.currency, globex.amounts["61-90"], globex.total) == ("EUR", D(300), D(300))
    assert [(t.currency, t.total) for t in report.totals] == [("EUR", D(300)), ("USD", D(1950))]
    assert [o.invoice.number for o in report.invoices] == ["A4", "B1", "A3", "A2", "A5", "A1"]
    assert [o.days_overdue for o in report.invoices] == [91, 90, 60, 15, 0, -10]
    assert [i.number for i in report.not_issued] == ["B3", "B4"]


def test_receivables_tables() -> None:
    summary, detail, waiting = receivables_tables(build_receivables(INVOICES, TODAY))
    assert summary.columns == ("Client", "Currency", "Current", "1-30 days", "31-60 days", "61-90 days", "90+ days",
                               "Total", "Invoices")
    assert summary.rows[-1] == ("Total", "USD", D("600.00"), D("400.00"), D("700.00"), D("0.00"), D("250.00"),
                                D("1950.00"), 5)
    assert detail.rows[0][0] == "A4" and detail.rows[3][4] == "part-paid"
    assert [r[0] for r in waiting.rows] == ["B3", "B4"]
