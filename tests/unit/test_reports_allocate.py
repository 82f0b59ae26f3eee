"""Spreading invoice lines back onto entries: exact shares by largest remainder."""

from __future__ import annotations

from decimal import Decimal

from app.reports.allocate import LineShare, allocate, split


def test_split_gives_the_remainder_to_the_largest_fractions() -> None:
    assert split(100, [1, 1, 1]) == [34, 33, 33]
    assert split(10, [2, 1]) == [7, 3]
    assert split(5, [0, 0]) == [3, 2]
    assert split(0, [3, 4]) == [0, 0]
    assert split(7, []) == []


def test_a_line_is_shared_by_raw_seconds_to_the_cent() -> None:
    line = LineShare("time", "USD", Decimal("100.00"), 10800, ((1, 3600), (2, 3600), (3, 3600)), "INV-0001")
    values = allocate([line])
    assert [values[i].amount for i in (1, 2, 3)] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(v.amount for v in values.values()) == Decimal("100.00")
    assert [values[i].billed_seconds for i in (1, 2, 3)] == [3600, 3600, 3600]
    assert values[1].invoice == "INV-0001"


def test_fee_and_overage_seconds_are_kept_apart() -> None:
    lines = [LineShare("fixed_fee", "JPY", Decimal(1000), 3600, ((1, 3600),)),
             LineShare("overage", "JPY", Decimal(501), 1800, ((1, 3600), (2, 1800)))]
    values = allocate(lines)
    assert (values[1].fee_seconds, values[1].overage_seconds, values[1].amount) == (3600, 1200, Decimal(1334))
    assert (values[2].fee_seconds, values[2].overage_seconds, values[2].amount) == (0, 600, Decimal(167))
