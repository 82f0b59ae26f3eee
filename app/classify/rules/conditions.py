"""What a rule looks for on screen: fields, matchers, conditions and groups, compiled into fast tests.

Text conditions depend only on the window (app, exe, title, URL), so the engine runs a compiled test once per
distinct window; a test also returns the regex capture groups that outcome templates may use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import ValidationError
from app.domain.linear_regex import PatternError, compile_glob, compile_regex


class Field(StrEnum):
    APP = "app"
    EXE = "exe"
    TITLE = "title"
    URL = "url"


class Matcher(StrEnum):
    CONTAINS = "contains"
    EQUALS = "equals"
    GLOB = "glob"
    REGEX = "regex"


FIELD_INDEX = {Field.APP: 0, Field.EXE: 1, Field.TITLE: 2, Field.URL: 3}
"""Where each field sits in the captured `Values`."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One test of one field, e.g. `title glob "*acme-web*"`."""

    field: Field
    matcher: Matcher
    pattern: str
    negate: bool = False
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Group:
    """`all` (every item) or `any` (at least one item) of conditions and nested groups."""

    mode: str
    items: tuple[Condition | Group, ...]
    negate: bool = False


class RuleError(ValidationError):
    """A rule that cannot be used; `path` names the offending field, e.g. `all[1].regex`."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


Values = tuple[str, str, str, str]
"""app, exe, title, url as captured; matching lower-cases its own copy."""
Captures = tuple[str, ...]
Test = Callable[[Values, Values], Captures | None]
_NONE: Captures = ()


def _compile_condition(cond: Condition, path: str) -> tuple[Test, int]:
    """A test returning the capture groups on a match (possibly none) or None; and its group count."""
    index = FIELD_INDEX[cond.field]
    if not cond.pattern and cond.matcher != Matcher.EQUALS:
        raise RuleError(f"{path}.{cond.matcher}", "the pattern is empty, so it would match everything")
    groups = 0
    test: Test
    if cond.matcher in (Matcher.REGEX, Matcher.GLOB):
        compile_ = compile_regex if cond.matcher == Matcher.REGEX else compile_glob
        try:
            regex = compile_(cond.pattern, ignore_case=not cond.case_sensitive)
        except PatternError as exc:
            raise RuleError(f"{path}.{cond.matcher}", exc.reason) from None
        search = regex.search if cond.matcher == Matcher.REGEX else regex.fullmatch
        groups = regex.groups if cond.matcher == Matcher.REGEX else 0

        def test(raw: Values, low: Values) -> Captures | None:
            m = search(raw[index])
            if m is None:
                return None
            return tuple(g or "" for g in m.groups()) if groups else _NONE

    elif cond.case_sensitive:
        needle = cond.pattern
        if cond.matcher == Matcher.CONTAINS:
            def test(raw: Values, low: Values) -> Captures | None:
                return _NONE if needle in raw[index] else None
        else:
            def test(raw: Values, low: Values) -> Captures | None:
                return _NONE if raw[index] == needle else None
    else:
        needle = cond.pattern.casefold()
        if cond.matcher == Matcher.CONTAINS:
            def test(raw: Values, low: Values) -> Captures | None:
                return _NONE if needle in low[index] else None
        else:
            def test(raw: Values, low: Values) -> Captures | None:
                return _NONE if low[index] == needle else None
    if cond.negate:
        return _negated(test), 0
    return test, groups


def _negated(inner: Test) -> Test:
    def test(raw: Values, low: Values) -> Captures | None:
        return _NONE if inner(raw, low) is None else None

    return test


def compile_group(group: Group, path: str) -> tuple[Test, int]:
    """A group's test and capture-group count; `path` names it in errors, e.g. `all[1].any`."""
    if group.mode not in ("all", "any"):
        raise RuleError(path, f"a group is 'all' or 'any', not {group.mode!r}")
    if not group.items:
        raise RuleError(path, f"an '{group.mode}' group needs at least one condition")
    parts: list[Test] = []
    total = 0
    for i, item in enumerate(group.items):
        where = f"{path}[{i}]"
        compiled, count = (
            compile_group(item, f"{where}.{item.mode}") if isinstance(item, Group) else _compile_condition(item, where)
        )
        parts.append(compiled)
        total += count
    items = tuple(parts)
    if len(items) == 1:
        test = items[0]
    elif group.mode == "all":
        def test(raw: Values, low: Values) -> Captures | None:
            found = _NONE
            for part in items:
                got = part(raw, low)
                if got is None:
                    return None
                if got:
                    found = found + got
            return found
    else:
        def test(raw: Values, low: Values) -> Captures | None:
            for part in items:
                got = part(raw, low)
                if got is not None:
                    return got
            return None
    if group.negate:
        return _negated(test), 0
    return test, total


def describe_item(item: Condition | Group, top: bool = False) -> str:
    """A condition or group as readable text; only nested groups are bracketed."""
    if isinstance(item, Condition):
        text = f'{item.field} {item.matcher} "{item.pattern}"'
        return f"not {text}" if item.negate else text
    joined = f" {'and' if item.mode == 'all' else 'or'} ".join(describe_item(i) for i in item.items)
    if item.negate:
        return f"not ({joined})"
    return joined if top or len(item.items) == 1 else f"({joined})"
