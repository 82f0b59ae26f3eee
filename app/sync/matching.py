"""Matching a local client to a remote customer: exact name first, then fuzzy candidates for the user to confirm."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from app.sync.provider import CustomerMatch, RemoteOption

FUZZY_CUTOFF = 60.0


def normalise(name: str) -> str:
    return " ".join(name.split()).casefold()


def match_customers(name: str, customers: Sequence[RemoteOption], limit: int = 5) -> list[CustomerMatch]:
    """Exact (case and spacing ignored) matches score 100 and come first; then up to `limit` fuzzy ones."""
    wanted = normalise(name)
    exact = [CustomerMatch(c, 100.0) for c in customers if normalise(c.name) == wanted]
    if exact:
        return exact
    names = [c.name for c in customers]
    found = process.extract(name, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit,
                            score_cutoff=FUZZY_CUTOFF)
    return [CustomerMatch(customers[index], round(min(score, 99.0), 1)) for _, score, index in found]


def closest(matches: Sequence[CustomerMatch]) -> str:
    """The best three candidates with their scores, for a sentence; empty when there are none."""
    return ", ".join(f"'{m.customer.name}' ({m.score:.0f}%)" for m in matches[:3])
