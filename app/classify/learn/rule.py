"""From learning to a rule: the smallest set of readable conditions that covers the windows the user put on a
project and none they put elsewhere, chosen greedily from the features of those windows (ticket prefixes,
repository names and sites first; exact titles last)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.classify.learn.features import APP, DOMAIN, REPOSITORY, TICKET, WINDOW, WORD, features, kind_of, value_of
from app.classify.learn.model import Key, Label
from app.classify.rules import Condition, Field, Group, Matcher, Outcome, Rule, url_of

MAX_CONDITIONS = 6
_PREFERENCE = {TICKET: 0, REPOSITORY: 1, DOMAIN: 2, WORD: 3, APP: 4, WINDOW: 5}


@dataclass(frozen=True, slots=True)
class LearnedRule:
    rule: Rule
    covered_seconds: float
    """Of the time the user put on the project, what the rule's conditions match."""
    assigned_seconds: float


def _condition(feature: str) -> tuple[Condition, Callable[[Key], bool]] | None:
    """The condition for a feature and a test of it on a window (what the engine would decide, case-insensitive)."""
    kind, value = kind_of(feature), value_of(feature)
    if kind == TICKET:
        pattern = re.compile(rf"\b{re.escape(value)}-\d+", re.IGNORECASE)
        return Condition(Field.TITLE, Matcher.REGEX, rf"\b{value}-\d+"), lambda k: bool(pattern.search(k[2]))
    if kind in (REPOSITORY, WORD):
        return Condition(Field.TITLE, Matcher.CONTAINS, value), lambda k: value in k[2].casefold()
    if kind == DOMAIN:
        return Condition(Field.URL, Matcher.CONTAINS, value), lambda k: value in url_of(*k).casefold()
    if kind == APP:
        return Condition(Field.APP, Matcher.EQUALS, value), lambda k: k[0].casefold() == value
    if kind == WINDOW:
        return Condition(Field.TITLE, Matcher.EQUALS, value), lambda k: k[2].casefold() == value
    return None


def smallest_rule(label: Label, mine: Sequence[tuple[Key, float]], others: Sequence[tuple[Key, float]],
                  name: str) -> LearnedRule | None:
    """Conditions (any of them) that match none of `others` and as much of `mine` as up to six can; None when no
    feature of `mine` stays clear of `others`."""
    wanted = {f for key, _ in mine for f in features(*key) if kind_of(f) in _PREFERENCE}
    candidates: list[tuple[Condition, set[int], str]] = []
    for feature in wanted:
        made = _condition(feature)
        if made is None:
            continue
        condition, test = made
        if any(test(key) for key, _ in others):
            continue
        candidates.append((condition, {n for n, (key, _) in enumerate(mine) if test(key)}, feature))
    chosen: list[Condition] = []
    covered: set[int] = set()
    while candidates and len(chosen) < MAX_CONDITIONS:
        gains = [(sum(mine[n][1] for n in c[1] - covered), -_PREFERENCE[kind_of(c[2])], -len(c[2])) for c in candidates]
        top = max(range(len(candidates)), key=gains.__getitem__)
        if gains[top][0] <= 0:
            break
        best = candidates[top]
        chosen.append(best[0])
        covered |= best[1]
        candidates.remove(best)
    if not chosen:
        return None
    client, project, task = label
    rule = Rule(name, Group("any" if len(chosen) > 1 else "all", tuple(chosen)),
                Outcome(client=client, project=project, task=task))
    return LearnedRule(rule, sum(mine[n][1] for n in covered), sum(s for _, s in mine))
