"""Rule patterns run in linear time: the classic catastrophic regexes against 10,000-character titles, Python's
dialect translated faithfully, and the patterns RE2 cannot take refused with a sentence."""

from __future__ import annotations

import re
import time
from datetime import UTC

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.classify.engine import Engine
from app.classify.rules import Condition, Field, Group, Matcher, Outcome, Rule, RuleError, compile_rule
from app.classify.ruleset_file import RulesFileError, loads
from app.domain.linear_regex import PatternError, compile_glob, compile_regex

CATASTROPHIC = [
    r"^(\w+\s?)+$", r"(a+)+$", r"(a|aa)+$", r"(a|a?)+$", r"^(a+)+b", r"(.*a){12}", r"(x+x+)+y", r"^(\d+)*$",
    r"(\w|\d)+$", r"^(([a-z])+.)+[A-Z]([a-z])+$", r"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@)",
    r"(.*){1,100}[bc]", r"^(\s*\w+\s*)*!x$", r"(?i)(quarterly\s?|report\s?|\w+\s?)+$",
]
TITLES = [
    "a" * 10_000 + "!",
    "x" * 10_000,
    "1" * 9_999 + "z",
    ("quarterly report draft version final 2026 - Code! " * 200)[:10_000],
    "a" * 5_000 + " " * 4_999 + "!",
]


def _rule(i: int, pattern: str) -> Rule:
    return Rule(f"r{i}", Group("all", (Condition(Field.TITLE, Matcher.REGEX, pattern),)),
                Outcome(client="Acme", project="Web"))


def test_catastrophic_patterns_against_long_titles_finish_well_under_a_second() -> None:
    engine = Engine([_rule(i, p) for i, p in enumerate(CATASTROPHIC)], tz=UTC)
    started = time.perf_counter()
    verdicts = [engine.classify_window("Code", "/usr/bin/code", title) for title in TITLES]
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{len(CATASTROPHIC)} rules x {len(TITLES)} titles took {elapsed:.2f} s"
    # `(a|a?)+$` (r3) matches the empty string at any end; `^(\w+\s?)+$` (r0) takes the all-word titles first
    assert [v.rule if v else None for v in verdicts] == ["r3", "r0", "r0", "r3", "r3"]


def test_the_reported_rule_imports_and_matches_its_title_at_once() -> None:
    rules = loads("[[rule]]\nname = 'words'\nclient = 'Acme'\nproject = 'Web'\n"
                  "all = [{ field = \"title\", regex = '^(\\w+\\s?)+$' }]\n")
    engine = Engine(rules, tz=UTC)
    started = time.perf_counter()
    assert engine.classify_window("Code", "code", "quarterly report draft version final 2026 - Code!") is None
    assert engine.classify_window("Code", "code", "quarterly report draft") is not None
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(("pattern", "named"), [
    (r"(a)\1", "backreferences"), (r"foo(?=bar)", "lookahead"), (r"(?<!x)y", "lookbehind"),
    (r"(?>a+)b", "atomic"), (r"(?P<w>a)(?P=w)", "named backreferences"), (r"a++", "possessive"),
    (r"(a{1000}){1000}", "repeats too much"), ("(", "missing )"), ("x" * 1001, "at most 1,000"),
])
def test_patterns_the_engine_cannot_take_are_refused_with_a_reason(pattern: str, named: str) -> None:
    with pytest.raises(PatternError) as refused:
        compile_regex(pattern)
    assert named in refused.value.reason


def test_a_refused_pattern_names_the_rule_and_the_field_at_import() -> None:
    text = ("[[rule]]\nname = 'ok'\nclient = 'A'\nproject = 'B'\nall = [{ field = 'title', contains = 'x' }]\n"
            "[[rule]]\nname = 'echo'\nclient = 'A'\nproject = 'B'\n"
            "all = [{ field = 'app', contains = 'x' }, { field = 'title', regex = '(\\w+) \\1' }]\n")
    with pytest.raises(RulesFileError) as refused:
        loads(text, "mine.toml")
    (problem,) = refused.value.problems
    assert (problem.number, problem.name, problem.field) == (2, "echo", "all[1].regex")
    assert "backreferences" in str(refused.value) and "backtracking" in str(refused.value)


def test_python_shorthand_classes_keep_their_unicode_meaning() -> None:
    assert compile_regex(r"(\w+)").search("bär café").groups() == ("bär",)
    assert compile_regex(r"^\d+$").search("١٢٣") is not None  # Arabic-Indic digits are \d in Python
    assert compile_regex(r"a\sb").search("a\u00a0b") is not None
    assert compile_regex(r"[\w-]+").search("über-cool!").group(0) == "über-cool"
    assert compile_regex(r"\W").search("ü") is None
    assert compile_regex(r"end\Z").search("the end") is not None
    assert compile_regex(r"caf\u00e9").search("café") is not None
    assert compile_regex(r"CAFÉ", ignore_case=True).search("café") is not None
    assert compile_regex(r"[]x]+").search("]]x").group(0) == "]]x"


@pytest.mark.parametrize(("glob", "text", "hit"), [
    ("*acme-web*", "~/src/acme-web - Code", True), ("a?me", "acme", True), ("a?me", "ame", False),
    ("[!x]y", "zy", True), ("[!x]y", "xy", False), ("[ab]*", "b.txt", True), ("file[", "file[", True),
    ("*.py", "x.pyc", False), ("*(1)*", "report (1).pdf", True), ("a*a*a*a*a*a*a*b", "a" * 10_000, False),
])
def test_globs_follow_fnmatch(glob: str, text: str, hit: bool) -> None:
    import fnmatch

    assert (compile_glob(glob).fullmatch(text) is not None) is hit
    assert fnmatch.fnmatchcase(text, glob) is hit


_pieces = st.sampled_from([r"\w", r"\W", r"\d", r"\s", r"\S", "a", "é", "[a-c]", "[^b]", ".", r"\.", "-", " ",
                           "(", ")", "|", "*", "+", "?", "{1,2}", "[\\w.]", "x"])
_texts = st.text(alphabet="abcxyzé é1١_.-!\u00a0ÄẞK", max_size=20)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(_pieces, min_size=1, max_size=8), texts=st.lists(_texts, min_size=1, max_size=4),
       ignore_case=st.booleans())
def test_translated_patterns_find_what_python_finds(pieces: list[str], texts: list[str], ignore_case: bool) -> None:
    pattern = "".join(pieces)
    try:
        python = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error:
        return
    try:
        ours = compile_regex(pattern, ignore_case)
    except PatternError:
        return
    for text in texts:
        want, got = python.search(text), ours.search(text)
        assert (want is None) == (got is None), (pattern, text)
        if want is not None and not re.search(r"[*+?}|]", pattern):  # leftmost-first agrees when nothing varies
            assert want.group(0) == got.group(0), (pattern, text)


def test_compiled_rule_reports_regex_groups_for_templates() -> None:
    rule = Rule("t", Group("all", (Condition(Field.TITLE, Matcher.REGEX, r"(\w+)-(web|api)"),)),
                Outcome(client="A", project="B", task="$2 $1"))
    compiled = compile_rule(rule)
    assert compiled.test(("", "", "acme-web", ""), ("", "", "acme-web", "")) == ("acme", "web")
    bad = Rule("t", rule.when, Outcome(client="A", project="B", task="$3"))
    with pytest.raises(RuleError, match="they have 2"):
        compile_rule(bad)
