"""Rule matching: each matcher, case, negation, groups, capture groups, time limits and URLs."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.classify.rules import (
    Condition,
    Field,
    Group,
    Matcher,
    Outcome,
    Rule,
    RuleError,
    compile_rule,
    describe,
    expand,
    parse_hours,
    parse_weekdays,
    url_of,
)

ACME = Outcome(client="Acme Corp", project="Website")


def cond(field: str, matcher: str, pattern: str, **kw: bool) -> Condition:
    return Condition(Field(field), Matcher(matcher), pattern, **kw)


def run(rule: Rule, app: str = "", title: str = "", exe: str = "", url: str = "") -> tuple[str, ...] | None:
    raw = (app, exe, title, url)
    return compile_rule(rule).test(raw, tuple(v.casefold() for v in raw))  # type: ignore[arg-type]


def rule_of(*items: Condition | Group, mode: str = "all", outcome: Outcome = ACME, **kw: object) -> Rule:
    return Rule("r", Group(mode, items), outcome, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("matcher", "pattern", "title", "hit"),
    [
        ("contains", "acme-web", "main.py - ACME-WEB - Code", True),
        ("contains", "acme-web", "main.py - acme-api - Code", False),
        ("equals", "inbox", "Inbox", True),
        ("equals", "inbox", "Inbox (3)", False),
        ("glob", "*acme-web*", "x - Acme-Web - y", True),
        ("glob", "acme-web*", "x - acme-web", False),
        ("glob", "report-??.pdf", "REPORT-01.pdf", True),
        ("regex", r"acme-\w+", "Fix ACME-web bug", True),
        ("regex", r"^acme$", "acme web", False),
    ],
)
def test_each_matcher_is_case_insensitive_by_default(matcher: str, pattern: str, title: str, hit: bool) -> None:
    assert (run(rule_of(cond("title", matcher, pattern)), title=title) is not None) is hit


@pytest.mark.parametrize("matcher", ["contains", "equals", "glob", "regex"])
def test_case_sensitive_matchers_respect_case(matcher: str) -> None:
    rule = rule_of(cond("title", matcher, "Acme", case_sensitive=True))
    assert run(rule, title="Acme") is not None
    assert run(rule, title="ACME") is None


def test_each_field_is_tested_on_its_own_value() -> None:
    assert run(rule_of(cond("app", "equals", "firefox")), app="Firefox") is not None
    assert run(rule_of(cond("exe", "glob", "*/code")), exe="/usr/bin/code") is not None
    assert run(rule_of(cond("url", "contains", "github.com")), url="https://github.com/acme") is not None
    assert run(rule_of(cond("url", "contains", "github.com")), title="github.com") is None


def test_negation_of_a_condition_and_of_a_group() -> None:
    not_slack = rule_of(cond("title", "contains", "acme"), cond("app", "equals", "slack", negate=True))
    assert run(not_slack, app="code", title="acme") is not None
    assert run(not_slack, app="Slack", title="acme") is None
    group = Group("any", (cond("app", "equals", "a"), cond("app", "equals", "b")), negate=True)
    neither = rule_of(group)
    assert run(neither, app="c") is not None
    assert run(neither, app="b") is None


def test_all_and_any_groups_nest() -> None:
    either_browser = Group("any", (cond("app", "equals", "firefox"), cond("app", "equals", "chromium")))
    rule = rule_of(either_browser, cond("title", "contains", "jira"))
    assert run(rule, app="chromium", title="JIRA board") is not None
    assert run(rule, app="code", title="jira.py") is None
    anyrule = rule_of(cond("app", "equals", "x"), cond("title", "equals", "y"), mode="any")
    assert run(anyrule, app="q", title="y") is not None
    assert run(anyrule, app="q", title="q") is None


def test_capture_groups_fill_task_and_description() -> None:
    outcome = Outcome(client="Acme Corp", project="Website", task="Ticket $1", description="$2 in ${1}; $$5")
    compiled = compile_rule(rule_of(cond("title", "regex", r"ACME-(\d+) (\w+)"), outcome=outcome))
    raw = ("", "", "acme-42 refactor - Jira", "")
    captures = compiled.test(raw, tuple(v.casefold() for v in raw))  # type: ignore[arg-type]
    assert captures == ("42", "refactor")
    got = compiled.outcome_for(captures)
    assert got.task == "Ticket 42"
    assert got.description == "refactor in 42; $5"


def test_captures_of_several_regexes_are_numbered_in_order() -> None:
    rule = rule_of(cond("app", "regex", "(code)"), cond("title", "regex", r"(\w+)\.py"))
    assert run(rule, app="code", title="main.py") == ("code", "main")


def test_optional_group_that_did_not_take_part_expands_to_nothing() -> None:
    assert run(rule_of(cond("title", "regex", r"a(b)?")), title="a") == ("",)
    assert expand("x $1 y", ("",)) == "x y"


def test_reference_to_a_missing_group_is_refused() -> None:
    with pytest.raises(RuleError) as err:
        compile_rule(rule_of(cond("title", "regex", r"(a)"), outcome=Outcome("A", "B", task="$2")))
    assert err.value.path == "task"


def test_bad_regex_names_the_field_and_position() -> None:
    with pytest.raises(RuleError) as err:
        compile_rule(rule_of(cond("title", "contains", "x"), cond("title", "regex", "ab(c")))
    assert err.value.path == "all[1].regex"
    assert "position 2" in err.value.reason


def test_empty_pattern_and_half_outcomes_are_refused() -> None:
    with pytest.raises(RuleError):
        compile_rule(rule_of(cond("title", "contains", "")))
    with pytest.raises(RuleError):
        compile_rule(rule_of(cond("title", "contains", "x"), outcome=Outcome(client="Acme")))
    with pytest.raises(RuleError):
        compile_rule(rule_of(cond("title", "contains", "x"), outcome=Outcome(private=True, ignore=True)))


def test_weekday_and_hour_limits_use_local_time() -> None:
    compiled = compile_rule(rule_of(cond("app", "equals", "x"), weekdays=frozenset({0}), hours=((540, 1020),)))
    assert compiled.allows(datetime(2026, 11, 16, 9, 0))  # Monday
    assert not compiled.allows(datetime(2026, 11, 16, 17, 0))
    assert not compiled.allows(datetime(2026, 11, 17, 10, 0))  # Tuesday
    night = compile_rule(rule_of(cond("app", "equals", "x"), hours=((1320, 120),)))
    assert night.allows(datetime(2026, 11, 16, 23, 30))
    assert night.allows(datetime(2026, 11, 16, 1, 0))
    assert not night.allows(datetime(2026, 11, 16, 12, 0))


def test_weekday_and_hour_parsing() -> None:
    assert parse_weekdays(["mon-fri"]) == frozenset(range(5))
    assert parse_weekdays(["fri-mon"]) == frozenset({4, 5, 6, 0})
    assert parse_weekdays(["Saturday", "sun"]) == frozenset({5, 6})
    assert parse_hours("09:00-17:30") == (540, 1050)
    assert parse_hours("22:00-24:00") == (1320, 1440)
    for bad in ("9-5", "25:00-26:00", "10:00-10:00"):
        with pytest.raises(RuleError):
            parse_hours(bad)
    with pytest.raises(RuleError):
        parse_weekdays(["funday"])


def test_url_is_taken_from_browser_titles_only() -> None:
    assert url_of("Firefox", "", "Pull request · https://github.com/acme/web/pull/3 — Mozilla Firefox") == (
        "https://github.com/acme/web/pull/3"
    )
    assert url_of("chromium", "", "github.com/acme/web - Chromium") == "github.com/acme/web"
    assert url_of("code", "", "https://github.com/acme in a comment") == ""
    assert url_of("Google-chrome", "", "New Tab - Google Chrome") == ""


def test_describe_reads_like_the_rule() -> None:
    rule = rule_of(cond("title", "glob", "*acme*"), cond("app", "equals", "slack", negate=True),
                   weekdays=frozenset({0, 1}), hours=((540, 1020),))
    assert describe(rule) == 'title glob "*acme*" and not app equals "slack" on mon,tue between 09:00-17:00'
