"""The rule and what it yields: outcome, weekday and hour limits, and the checked, compiled form the engine runs.

A rule's weekday and hour limits depend on when, not on what was on screen, so they sit at the rule's top level
where the engine can check them per span without re-matching text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from app.classify.rules.conditions import Captures, Group, RuleError, Test, compile_group, describe_item
from app.classify.rules.templates import expand, template_refs

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What matching time becomes. `private` time is never proposed; `ignore` drops it (lock screens)."""

    client: str = ""
    project: str = ""
    task: str = ""
    description: str = ""
    billable: bool | None = None
    tags: tuple[str, ...] = ()
    private: bool = False
    ignore: bool = False

    @property
    def project_path(self) -> str:
        return f"{self.client}/{self.project}" if self.client and self.project else ""

    @property
    def label(self) -> str:
        """How a person would name this outcome in one line."""
        if self.private:
            return "private"
        if self.ignore:
            return "ignored"
        return " / ".join(p for p in (self.client, self.project, self.task) if p) or "(no project)"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    when: Group
    outcome: Outcome
    weekdays: frozenset[int] = field(default_factory=frozenset)
    """Monday is 0; empty means every day."""
    hours: tuple[tuple[int, int], ...] = ()
    """Local minute-of-day ranges [start, end); an end before the start runs past midnight. Empty: all day."""
    enabled: bool = True

    @property
    def timed(self) -> bool:
        return bool(self.weekdays or self.hours)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule ready to run: its text test, its time limits and a sentence saying what it looks for."""

    index: int
    rule: Rule
    test: Test
    why: str

    def allows(self, moment: datetime) -> bool:
        """Whether the rule's weekday and hour limits admit this local instant."""
        rule = self.rule
        if rule.weekdays and moment.weekday() not in rule.weekdays:
            return False
        if not rule.hours:
            return True
        minute = moment.hour * 60 + moment.minute
        return any(s <= minute < e if s < e else (minute >= s or minute < e) for s, e in rule.hours)

    def outcome_for(self, captures: Captures) -> Outcome:
        out = self.rule.outcome
        if not captures or ("$" not in out.task and "$" not in out.description):
            return out
        return Outcome(out.client, out.project, expand(out.task, captures), expand(out.description, captures),
                       out.billable, out.tags, out.private, out.ignore)


def compile_rule(rule: Rule, index: int = 0) -> CompiledRule:
    """Check and compile a rule; raises RuleError naming the field at fault."""
    if not rule.name.strip():
        raise RuleError("name", "a rule needs a name")
    test, groups = compile_group(rule.when, rule.when.mode)
    out = rule.outcome
    if out.private and out.ignore:
        raise RuleError("private", "a rule is either private or ignore, not both")
    if (out.private or out.ignore) and (out.client or out.project or out.task):
        raise RuleError("private" if out.private else "ignore", "private or ignored time has no client or project")
    if not (out.private or out.ignore) and bool(out.client) != bool(out.project):
        raise RuleError("project" if out.client else "client", "give both a client and a project, or neither")
    for name in ("task", "description"):
        for ref in template_refs(getattr(out, name)):
            if ref < 1 or ref > groups:
                raise RuleError(name, f"${ref} refers to a capture group the rule's regexes do not have "
                                      f"(they have {groups})")
    for start, end in rule.hours:
        if not (0 <= start < 1440 and 0 <= end <= 1440) or start == end:
            raise RuleError("hours", f"{start}-{end} is not a range of minutes in a day")
    if any(not 0 <= d <= 6 for d in rule.weekdays):
        raise RuleError("weekdays", "weekdays run from 0 (Monday) to 6 (Sunday)")
    return CompiledRule(index, rule, test, describe(rule))


def describe(rule: Rule) -> str:
    """The rule's conditions as one readable line, used to explain why a proposal exists."""
    text = describe_item(rule.when, top=True)
    if rule.weekdays:
        text += " on " + ",".join(WEEKDAYS[d] for d in sorted(rule.weekdays))
    if rule.hours:
        text += " between " + ", ".join(f"{format_minute(s)}-{format_minute(e)}" for s, e in rule.hours)
    return text


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_hours(text: str) -> tuple[int, int]:
    """`HH:MM-HH:MM` -> minute range; `24:00` is allowed as an end."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if not match:
        raise RuleError("hours", f"{text!r} is not a range like '09:00-17:30'")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise RuleError("hours", f"{text!r} holds a time that does not exist")
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise RuleError("hours", f"{text!r} is an empty range")
    return start, end


def parse_weekdays(items: list[str]) -> frozenset[int]:
    """Day names (`mon`, `Tuesday`) and ranges (`mon-fri`, wrapping `fri-mon`)."""
    days: set[int] = set()

    def day(name: str) -> int:
        key = name.strip().casefold()[:3]
        if key not in WEEKDAYS or len(name.strip()) < 3:
            raise RuleError("weekdays", f"{name!r} is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
        return WEEKDAYS.index(key)

    for item in items:
        first, sep, last = item.partition("-")
        if sep:
            a, b = day(first), day(last)
            days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
        else:
            days.add(day(item))
    return frozenset(days)
