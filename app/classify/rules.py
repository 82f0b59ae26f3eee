"""The rule model and its compiled form: pure values, no I/O.

A rule's text conditions (app, exe, title, URL) depend only on what was on screen, so the engine evaluates
them once per distinct window; its weekday and hour limits depend on when, so they sit at the rule's top
level where the engine can check them per span without re-matching text.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from app.domain.errors import ValidationError


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


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FIELD_INDEX = {Field.APP: 0, Field.EXE: 1, Field.TITLE: 2, Field.URL: 3}


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
    index = _FIELD_INDEX[cond.field]
    if not cond.pattern and cond.matcher != Matcher.EQUALS:
        raise RuleError(f"{path}.{cond.matcher}", "the pattern is empty, so it would match everything")
    groups = 0
    test: Test
    if cond.matcher in (Matcher.REGEX, Matcher.GLOB):
        source = cond.pattern if cond.matcher == Matcher.REGEX else fnmatch.translate(cond.pattern)
        try:
            regex = re.compile(source, 0 if cond.case_sensitive else re.IGNORECASE)
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            raise RuleError(f"{path}.{cond.matcher}", f"{exc.msg}{where} in {cond.pattern!r}") from None
        search = regex.search if cond.matcher == Matcher.REGEX else regex.match
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


def _compile_group(group: Group, path: str) -> tuple[Test, int]:
    if group.mode not in ("all", "any"):
        raise RuleError(path, f"a group is 'all' or 'any', not {group.mode!r}")
    if not group.items:
        raise RuleError(path, f"an '{group.mode}' group needs at least one condition")
    parts: list[Test] = []
    total = 0
    for i, item in enumerate(group.items):
        where = f"{path}[{i}]"
        compiled, count = (
            _compile_group(item, f"{where}.{item.mode}") if isinstance(item, Group) else _compile_condition(item, where)
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


_REF = re.compile(r"\$(?:(\d)|\{(\d+)\}|(\$))")


def template_refs(template: str) -> list[int]:
    return [int(m.group(1) or m.group(2)) for m in _REF.finditer(template) if not m.group(3)]


def expand(template: str, captures: Captures) -> str:
    """`$1`…`$9`, `${12}` become capture groups (empty when absent); `$$` is a dollar sign."""
    if "$" not in template:
        return template

    def sub(m: re.Match[str]) -> str:
        if m.group(3):
            return "$"
        n = int(m.group(1) or m.group(2))
        return captures[n - 1] if 0 < n <= len(captures) else ""

    return " ".join(_REF.sub(sub, template).split())


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
    test, groups = _compile_group(rule.when, rule.when.mode)
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
    text = _describe(rule.when, top=True)
    if rule.weekdays:
        text += " on " + ",".join(WEEKDAYS[d] for d in sorted(rule.weekdays))
    if rule.hours:
        text += " between " + ", ".join(f"{format_minute(s)}-{format_minute(e)}" for s, e in rule.hours)
    return text


def _describe(item: Condition | Group, top: bool = False) -> str:
    if isinstance(item, Condition):
        text = f'{item.field} {item.matcher} "{item.pattern}"'
        return f"not {text}" if item.negate else text
    joined = f" {'and' if item.mode == 'all' else 'or'} ".join(_describe(i) for i in item.items)
    if item.negate:
        return f"not ({joined})"
    return joined if top or len(item.items) == 1 else f"({joined})"


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


_BROWSERS = ("firefox", "chrome", "chromium", "brave", "msedge", "microsoft edge", "safari", "vivaldi", "opera",
             "librewolf", "epiphany", "qutebrowser", "falkon", "zen", "arc", "waterfox")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.IGNORECASE)
HOST = re.compile(
    r"\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|io|dev|app|co|uk|de|fr|nl|eu|gov|edu|ai|me|info|biz|"
    r"us|ca|au|ch|at|be|se|no|dk|fi|es|it|pl|cz|jp|in|so|sh|gg|xyz|tech|cloud|site)(?::\d+)?(?:/[^\s\"'<>]*)?",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def is_browser(app: str, exe: str) -> bool:
    """Cached: a machine runs a few dozen applications but asks this for every distinct window."""
    name = f"{app} {exe.rsplit('/', 1)[-1].rsplit(chr(92), 1)[-1]}".casefold()
    return any(b in name for b in _BROWSERS)


def url_of(app: str, exe: str, title: str) -> str:
    """The URL a browser's title carries (`https://…` or a bare host like `github.com/acme`), else ''."""
    if not title or not is_browser(app, exe):
        return ""
    found = _URL.search(title) if "://" in title else None
    if found is None and "." in title:
        found = HOST.search(title)
    return found.group(0).rstrip(".,;:)]") if found else ""


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
    return _FIELD_INDEX[cond.field], (text if cond.case_sensitive else text.lower()), cond.case_sensitive


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
