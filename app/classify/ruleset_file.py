"""The rules file: TOML in the stable format documented in docs/rules.md.

A file is checked whole before anything is used: every problem is reported with the rule, the field and the
reason, and one bad rule rejects the file, so an import never leaves half a ruleset behind.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import tomli_w

from app.classify.rules import (
    WEEKDAYS,
    Condition,
    Field,
    Group,
    Matcher,
    Outcome,
    Rule,
    RuleError,
    compile_rule,
    format_minute,
    parse_hours,
    parse_weekdays,
)
from app.domain.errors import ValidationError

FORMAT_VERSION = 1
MAX_FILE_BYTES = 1 << 20
"""A rules file larger than this is not a ruleset anyone wrote (the starter file is 5 KB)."""
MAX_DEPTH = 10
"""Groups nested deeper than this are refused: no readable rule needs them, and every pass over a rule recurses."""
_RULE_KEYS = {"name", "enabled", "all", "any", "weekdays", "hours", "client", "project", "task", "description",
              "billable", "tags", "private", "ignore"}
_MATCHERS = tuple(m.value for m in Matcher)
_FIELDS = tuple(f.value for f in Field)


@dataclass(frozen=True, slots=True)
class Problem:
    number: int
    """1-based position of the rule in the file; 0 for the file itself."""
    name: str
    field: str
    reason: str

    def __str__(self) -> str:
        if not self.number:
            return self.reason
        named = f' "{self.name}"' if self.name else ""
        where = f", field '{self.field}'" if self.field else ""
        return f"rule {self.number}{named}{where}: {self.reason}"


class RulesFileError(ValidationError):
    """The file was refused; `problems` lists every rule, field and reason found."""

    def __init__(self, problems: Sequence[Problem], source: str = "") -> None:
        self.problems = tuple(problems)
        head = f"The rules in {source} were not imported" if source else "The rules were not accepted"
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{head}; nothing was changed. {count} problem{'s' if count != 1 else ''}:\n{lines}")


def loads(text: str, source: str = "") -> list[Rule]:
    """Parse and check a whole rules file; raises RulesFileError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError([Problem(0, "", "", f"not valid TOML: {exc}")], source) from None
    except RecursionError:
        raise RulesFileError([Problem(0, "", "", "arrays or tables are nested far too deeply to be rules")],
                             source) from None
    problems: list[Problem] = []
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.append(Problem(0, "", "", f"format version {version!r} is not supported (expected 1)"))
    unknown = set(data) - {"version", "rule"}
    if unknown:
        problems.append(Problem(0, "", "", f"unknown top-level keys {sorted(unknown)}; rules go in [[rule]] tables"))
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        problems.append(Problem(0, "", "", "'rule' must be an array of tables: [[rule]]"))
        tables = []
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        try:
            rule = rule_from_dict(table)
        except RuleError as exc:
            name = table.get("name", "") if isinstance(table, dict) else ""
            problems.append(Problem(number, name if isinstance(name, str) else "", exc.path, exc.reason))
            continue
        key = rule.name.casefold()
        if key in seen:
            problems.append(Problem(number, rule.name, "name", f"rule {seen[key]} already has this name"))
        seen.setdefault(key, number)
        rules.append(rule)
    if problems:
        raise RulesFileError(problems, source)
    return rules


def dumps(rules: Sequence[Rule]) -> str:
    """The canonical file for `rules`; `loads(dumps(r)) == r`."""
    return tomli_w.dumps({"version": FORMAT_VERSION, "rule": [rule_to_dict(r) for r in rules]})


def rule_from_dict(table: Any) -> Rule:
    """One [[rule]] table -> a checked Rule; raises RuleError naming the field."""
    if not isinstance(table, dict):
        raise RuleError("", "each rule must be a table")
    unknown = set(table) - _RULE_KEYS
    if unknown:
        raise RuleError(sorted(unknown)[0], f"unknown key; a rule may have {', '.join(sorted(_RULE_KEYS))}")
    name = _text(table, "name", required=True).strip()
    if ("all" in table) == ("any" in table):
        raise RuleError("all", "give the conditions as exactly one of 'all = [...]' or 'any = [...]'")
    mode = "all" if "all" in table else "any"
    when = _group(mode, table[mode], mode, negate=False)
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise RuleError("tags", "tags are a list of non-empty strings")
    billable = table.get("billable")
    if billable is not None and not isinstance(billable, bool):
        raise RuleError("billable", "must be true or false")
    outcome = Outcome(
        client=_text(table, "client").strip(),
        project=_text(table, "project").strip(),
        task=_text(table, "task").strip(),
        description=_text(table, "description").strip(),
        billable=billable,
        tags=tuple(t.strip() for t in tags),
        private=_flag(table, "private", False),
        ignore=_flag(table, "ignore", False),
    )
    weekdays = table.get("weekdays", [])
    if not isinstance(weekdays, list) or not all(isinstance(d, str) for d in weekdays):
        raise RuleError("weekdays", "a list of day names or ranges, e.g. [\"mon-fri\"]")
    hours = table.get("hours", [])
    if isinstance(hours, str):
        hours = [hours]
    if not isinstance(hours, list) or not all(isinstance(h, str) for h in hours):
        raise RuleError("hours", "a range like \"09:00-17:00\" or a list of them")
    rule = Rule(
        name=name,
        when=when,
        outcome=outcome,
        weekdays=parse_weekdays(weekdays),
        hours=tuple(parse_hours(h) for h in hours),
        enabled=_flag(table, "enabled", True),
    )
    compile_rule(rule)
    return rule


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"name": rule.name}
    if not rule.enabled:
        out["enabled"] = False
    o = rule.outcome
    for key in ("client", "project", "task", "description"):
        if getattr(o, key):
            out[key] = getattr(o, key)
    if o.billable is not None:
        out["billable"] = o.billable
    if o.tags:
        out["tags"] = list(o.tags)
    if o.private:
        out["private"] = True
    if o.ignore:
        out["ignore"] = True
    if rule.weekdays:
        out["weekdays"] = [WEEKDAYS[d] for d in sorted(rule.weekdays)]
    if rule.hours:
        out["hours"] = [f"{format_minute(s)}-{format_minute(e)}" for s, e in rule.hours]
    out[rule.when.mode] = [_item_to_dict(i) for i in rule.when.items]
    return out


def _item_to_dict(item: Condition | Group) -> dict[str, Any]:
    if isinstance(item, Group):
        out: dict[str, Any] = {item.mode: [_item_to_dict(i) for i in item.items]}
    else:
        out = {"field": str(item.field), str(item.matcher): item.pattern}
        if item.case_sensitive:
            out["case_sensitive"] = True
    if item.negate:
        out["not"] = True
    return out


def _group(mode: str, items: Any, path: str, negate: bool, depth: int = 1) -> Group:
    if not isinstance(items, list) or not items:
        raise RuleError(path, f"'{mode}' is a non-empty list of conditions")
    if depth > MAX_DEPTH:
        raise RuleError(path, f"groups nest at most {MAX_DEPTH} deep")
    return Group(mode, tuple(_item(item, f"{path}[{i}]", depth) for i, item in enumerate(items)), negate)


def _item(item: Any, path: str, depth: int) -> Condition | Group:
    if not isinstance(item, dict):
        raise RuleError(path, "a condition is a table like { field = \"title\", contains = \"acme\" }")
    negate = _flag(item, "not", False, path)
    if "all" in item or "any" in item:
        if set(item) - {"all", "any", "not"} or ("all" in item and "any" in item):
            raise RuleError(path, "a nested group holds one of 'all' or 'any' (and optionally 'not'), nothing else")
        mode = "all" if "all" in item else "any"
        return _group(mode, item[mode], f"{path}.{mode}", negate, depth + 1)
    unknown = set(item) - {"field", "not", "case_sensitive", *_MATCHERS}
    if unknown:
        raise RuleError(f"{path}.{sorted(unknown)[0]}", "unknown key in a condition")
    field = item.get("field")
    if field not in _FIELDS:
        raise RuleError(f"{path}.field", f"{field!r} is not one of {', '.join(_FIELDS)}")
    matchers = [m for m in _MATCHERS if m in item]
    if len(matchers) != 1:
        raise RuleError(path, f"give exactly one matcher: {', '.join(_MATCHERS)}")
    pattern = item[matchers[0]]
    if not isinstance(pattern, str):
        raise RuleError(f"{path}.{matchers[0]}", "the pattern must be a string")
    return Condition(Field(field), Matcher(matchers[0]), pattern, negate,
                     _flag(item, "case_sensitive", False, path))


def _text(table: dict[str, Any], key: str, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RuleError(key, "must be a non-empty string" if required else "must be a string")
    return value


def _flag(table: dict[str, Any], key: str, default: bool, path: str = "") -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise RuleError(f"{path}.{key}" if path else key, "must be true or false")
    return value
