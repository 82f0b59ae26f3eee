"""Rules and their match statistics in the database: the ruleset is replaced in one transaction, never partly."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

import tomli_w
from sqlmodel import col, delete, select

from app.classify.rules import Rule
from app.classify.ruleset_file import loads, rule_to_dict
from app.domain.instants import Instant, moment
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.rules import RuleRow, RuleStatRow


class RuleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._parsed: tuple[str, list[Rule]] = ("", [])

    def load(self) -> tuple[list[Rule], str]:
        """The rules in order, and a fingerprint that changes whenever any rule or the order does.

        Rules are parsed again only when the fingerprint moved, since this runs on every proposal request."""
        with self._db.session() as s:
            bodies = list(s.exec(select(RuleRow.body).order_by(col(RuleRow.position))).all())
        text = "\n".join(bodies)
        fingerprint = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
        if self._parsed[0] != fingerprint:
            self._parsed = (fingerprint, loads(text) if bodies else [])
        return list(self._parsed[1]), fingerprint

    def replace(self, rules: Sequence[Rule]) -> None:
        now = utcnow()
        with self._db.session() as s:
            s.exec(delete(RuleRow))
            s.flush()
            for position, rule in enumerate(rules):
                body = tomli_w.dumps({"rule": [rule_to_dict(rule)]})
                s.add(RuleRow(position=position, name=rule.name, enabled=rule.enabled, body=body, updated_at=now))

    def last_matched(self) -> dict[str, datetime | None]:
        """Keyed by the rule's name in lower case (names are unique regardless of case)."""
        with self._db.session() as s:
            return {r.name.casefold(): r.last_matched_at for r in s.exec(select(RuleStatRow))}

    def record_matches(self, latest: Mapping[str, Instant]) -> None:
        """Move each rule's last-matched instant forward (never back); the database keeps datetimes."""
        with self._db.session() as s:
            rows = {r.name.casefold(): r for r in s.exec(select(RuleStatRow))}
            for name, epoch in latest.items():
                at = moment(epoch)
                row = rows.get(name.casefold())
                if row is None:
                    s.add(RuleStatRow(name=name, last_matched_at=at))
                elif row.last_matched_at is None or row.last_matched_at < at:
                    row.last_matched_at = at
                    s.add(row)
