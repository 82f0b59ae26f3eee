"""Substrings a window must hold for a rule to possibly match: a cheap pre-check before running its tests."""

from __future__ import annotations

import re

from app.classify.rules.conditions import FIELD_INDEX, Condition, Matcher
from app.classify.rules.model import Rule

_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
Needle = tuple[int, str, bool]
"""(field index, text, case-sensitive): a substring a window must hold for a condition to possibly match."""


def _regex_literal(pattern: str) -> str:
    """The longest run of plain characters every match of `pattern` must contain, or '' when unsure.

    Deliberately conservative: only characters outside groups, classes and alternations, and never one that a
    quantifier may repeat zero times. An empty answer costs speed, never correctness."""
    if not pattern.isascii() or _GLOBAL_FLAGS.search(pattern):
        return ""
    runs: list[str] = []
    run: list[str] = []
    depth, i, n = 0, 0, len(pattern)

    def cut() -> None:
        if run:
            runs.append("".join(run))
            run.clear()

    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1:i + 2]
            i += 2
            if nxt and not nxt.isalnum() and depth == 0:
                run.append(nxt)
            else:
                cut()
            continue
        if c == "[":
            cut()
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
            continue
        if c in "*?{":
            if run:
                run.pop()
            cut()
            if c == "{":
                close = pattern.find("}", i)
                i = close if close != -1 else i
            i += 1
            continue
        if c == "|" and depth == 0:
            return ""
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        if c in "()|.^$+":
            cut()
        elif depth == 0:
            run.append(c)
        i += 1
    cut()
    return max(runs, key=len, default="")


def _needle(cond: Condition) -> Needle | None:
    if cond.negate:
        return None
    if cond.matcher in (Matcher.CONTAINS, Matcher.EQUALS):
        text = cond.pattern
    elif cond.matcher == Matcher.GLOB:
        text = max(re.split(r"[*?]|\[[^\]]*\]?", cond.pattern), key=len, default="")
        text = "" if "[" in text or "]" in text else text
    else:
        text = _regex_literal(cond.pattern)
    if not text or not text.isascii():
        return None
    return FIELD_INDEX[cond.field], (text if cond.case_sensitive else text.lower()), cond.case_sensitive


def needles(rule: Rule) -> tuple[Needle, ...] | None:
    """Substrings of which a window must hold at least one for the rule to match; None: always test.

    Lets the engine pass over most rules with a substring check instead of running their regexes."""
    when = rule.when
    if when.negate:
        return None
    if when.mode == "all":
        found = [n for item in when.items if isinstance(item, Condition) and (n := _needle(item)) is not None]
        return (max(found, key=lambda n: len(n[1])),) if found else None
    found = []
    for item in when.items:
        needle = _needle(item) if isinstance(item, Condition) else None
        if needle is None:
            return None
        found.append(needle)
    return tuple(found)
