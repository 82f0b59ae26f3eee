"""The engine: ordering, first match wins, disabled rules, per-window cache, time limits, last matches."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.classify.engine import Engine
from app.classify.rules import Condition, Field, Group, Matcher, Outcome, Rule, RuleError, compile_rule, url_of
from app.domain.models import Span


def rule(name: str, pattern: str, outcome: Outcome, **kw: object) -> Rule:
    cond = Condition(Field.TITLE, Matcher.CONTAINS, pattern)
    return Rule(name, Group("all", (cond,)), outcome, **kw)  # type: ignore[arg-type]


A = Outcome("Acme", "Web")
B = Outcome("Beta", "App")
EPOCH_MONDAY_10 = datetime(2026, 11, 16, 10, 0, tzinfo=UTC).timestamp()


def span(title: str, start: float = EPOCH_MONDAY_10, app: str = "code", idle: bool = False) -> Span:
    return Span(start, start + 60, app, title, idle=idle)


def test_first_matching_rule_wins_in_order() -> None:
    engine = Engine([rule("first", "acme", A), rule("second", "acme-beta", B)], tz=UTC)
    assert [v.rule if v else None for v in engine.classify([span("acme-beta"), span("beta")])] == ["first", None]
    reordered = Engine([rule("second", "acme-beta", B), rule("first", "acme", A)], tz=UTC)
    assert reordered.classify([span("acme-beta")])[0].rule == "second"  # type: ignore[union-attr]


def test_disabled_rules_are_skipped_and_idle_spans_unclassified() -> None:
    engine = Engine([rule("off", "acme", A, enabled=False), rule("on", "acme", B)], tz=UTC)
    verdicts = engine.classify([span("acme"), span("acme", idle=True)])
    assert verdicts[0].rule == "on"  # type: ignore[union-attr]
    assert verdicts[1] is None


def test_each_distinct_window_is_classified_once() -> None:
    engine = Engine([rule("a", "acme", A)], tz=UTC)
    spans = [span(f"acme {i % 3}", EPOCH_MONDAY_10 + i) for i in range(300)]
    verdicts = engine.classify(spans)
    assert engine.cached_keys == 3
    assert verdicts[0] is verdicts[3]
    assert verdicts[0].outcome is verdicts[1].outcome  # type: ignore[union-attr]


def test_time_limited_rules_are_checked_per_span_and_fall_through() -> None:
    mornings = rule("mornings", "acme", A, hours=((480, 720),))
    engine = Engine([mornings, rule("else", "acme", B)], tz=UTC)
    morning = span("acme", datetime(2026, 11, 16, 9, 0, tzinfo=UTC).timestamp())
    evening = span("acme", datetime(2026, 11, 16, 19, 0, tzinfo=UTC).timestamp())
    got = engine.classify([morning, evening])
    assert [v.rule for v in got if v] == ["mornings", "else"]
    weekend = Engine([rule("weekdays", "acme", A, weekdays=frozenset(range(5)))], tz=UTC)
    saturday = span("acme", datetime(2026, 11, 21, 9, 0, tzinfo=UTC).timestamp())
    assert weekend.classify([saturday]) == [None]
    assert weekend.classify_window("code", "", "acme", saturday.start) is None
    assert weekend.classify_window("code", "", "acme", morning.start) is not None


def test_url_conditions_see_browser_urls() -> None:
    cond = Condition(Field.URL, Matcher.GLOB, "*github.com/acme/*")
    engine = Engine([Rule("gh", Group("all", (cond,)), A)], tz=UTC)
    hit = Span(0, 1, "Firefox", "PR #3 · https://github.com/acme/web/pull/3 — Mozilla Firefox")
    miss = Span(0, 1, "code", "https://github.com/acme/web")
    assert [v is not None for v in engine.classify([hit, miss])] == [True, False]


def test_last_matched() -> None:
    rules = [rule("used", "acme", A), rule("unused", "nothing", B), rule("off", "x", B, enabled=False)]
    engine = Engine(rules, tz=UTC)
    spans = [span("acme", EPOCH_MONDAY_10), span("acme", EPOCH_MONDAY_10 + 600)]
    latest = engine.last_matched(spans, engine.classify(spans))
    last = EPOCH_MONDAY_10 + 660
    assert latest == {"used": last}


_words = st.sampled_from(["acme", "ACME-web", "beta", "straße", "x.py", "Ünï", "a*b", "(x)", "web", "", "firefox",
                          "github.com/acme-web", "İD", "ıd", "ſtraße", "\u212aey"])
_condition = st.builds(
    Condition,
    st.sampled_from(list(Field)),
    st.sampled_from(list(Matcher)),
    st.sampled_from(["acme", "ACME", "web", r"ac(me)?", "id", r"\bid\b", "key", "(?i)key", r"s+tra", "str",
                     r"(\w+)-web", "STRASSE", "ünï", "*web*", "a?me", "x.py",
                     "(a)\\1", "(?i)acme", "a*b"]),
    st.booleans(),
    st.booleans(),
)
_rule = st.builds(
    lambda items, mode, negate, i: Rule(f"r{i}", Group(mode, tuple(items), negate), A),
    st.lists(_condition, min_size=1, max_size=3), st.sampled_from(["all", "any"]), st.booleans(),
    st.integers(0, 10**6),
)


@settings(max_examples=150, deadline=None)
@given(rules=st.lists(_rule, max_size=40, unique_by=lambda r: r.name),
       windows=st.lists(st.tuples(_words, _words, _words), min_size=1, max_size=12))
def test_screening_never_changes_the_first_match(rules: list[Rule], windows: list[tuple[str, str, str]]) -> None:
    usable = []
    for r in rules:
        try:
            compile_rule(r)
        except RuleError:
            continue
        usable.append(r)
    engine = Engine(usable, tz=UTC)
    compiled = [compile_rule(r, i) for i, r in enumerate(usable)]
    for app, exe, text in windows:
        title = f"{text} - {app}"
        raw = (app, exe, title, url_of(app, exe, title))
        low = tuple(v.casefold() for v in raw)
        expected = next((c.index for c in compiled if c.test(raw, low) is not None), None)  # type: ignore[arg-type]
        got = engine.classify_window(app, exe, title)
        assert (got.rule_index if got else None) == expected
