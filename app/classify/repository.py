"""Rules and their match statistics in the database: the ruleset is replaced in one transaction, never partly."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import tomli_w
from sqlmodel import col, delete, select

from app.classify.rules import Rule
from app.classify.ruleset_file import loads, rule_to_dict
from app.domain.timefmt import utcnow
from app.store.db import Database
from app.store.tables.rules import RuleRow, RuleStatRow


class RuleRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def load(self) -> tuple[list[Rule], str]:
        """The rules in order, and a fingerprint that changes whenever any rule or the order does."""
        with self._db.session() as s:
            rows = s.exec(select(RuleRow).order_by(col(RuleRow.position))).all()
            bodies = [r.body for r in rows]
        text = "\n".join(bodies)
        fingerprint = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
        return (loads(text) if bodies else []), fingerprint

    def replace(self, rules: Sequence[Rule]) -> None:
        now = utcnow()
        with self._db.session() as s:
            s.exec(delete(RuleRow))  # type: ignore[call-overload]
            s.flush()
            for position, rule in enumerate(rules):
                body = tomli_w.dumps({"rule": [rule_to_dict(rule)]})
                s.add(RuleRow(position=position, name=rule.name, enabled=rule.enabled, body=body, updated_at=now))

    def last_matched(self) -> dict[str, datetime | None]:
        with self._db.session() as s:
            return {r.name.casefold(): r.last_matched_at for r in s.exec(select(RuleStatRow))}

    def record_matches(self, latest: Mapping[str, float], checked_at: datetime | None = None) -> None:
        """Move each rule's last-matched instant forward (never back) to the epoch seconds given."""
        checked = checked_at or utcnow()
        with self._db.session() as s:
            for name, epoch in latest.items():
                moment = datetime.fromtimestamp(epoch, UTC)
                row = s.get(RuleStatRow, name)
                if row is None:
                    s.add(RuleStatRow(name=name, last_matched_at=moment, checked_at=checked))
                    continue
                if row.last_matched_at is None or row.last_matched_at < moment:
                    row.last_matched_at = moment
                row.checked_at = checked
                s.add(row)
