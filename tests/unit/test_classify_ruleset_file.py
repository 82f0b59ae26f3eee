"""The TOML rules file: round trip, and whole-file rejection naming rule, field and reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.classify.ruleset_file import RulesFileError, dumps, loads

GOOD = """
version = 1

[[rule]]
name = "Acme website"
client = "Acme Corp"
project = "Website rebuild"
task = "Ticket $1"
billable = true
tags = ["web", "dev"]
weekdays = ["mon-fri"]
hours = ["08:00-12:00", "13:00-18:30"]
all = [
  { field = "title", regex = 'ACME-(\\d+)' },
  { any = [{ field = "app", equals = "code" }, { field = "url", contains = "acme.com" }] },
  { field = "app", equals = "Slack", not = true, case_sensitive = true },
]

[[rule]]
name = "Personal mail"
private = true
any = [{ field = "title", glob = "*Gmail*" }]

[[rule]]
name = "Lock screen"
ignore = true
enabled = false
any = [{ field = "app", contains = "screensaver" }]
"""


def test_a_good_file_round_trips() -> None:
    rules = loads(GOOD)
    assert [r.name for r in rules] == ["Acme website", "Personal mail", "Lock screen"]
    first = rules[0]
    assert first.weekdays == frozenset(range(5))
    assert first.hours == ((480, 720), (780, 1110))
    assert first.outcome.tags == ("web", "dev")
    assert rules[1].outcome.private and rules[2].outcome.ignore and not rules[2].enabled
    assert loads(dumps(rules)) == rules


def test_starter_rules_load() -> None:
    starter = Path(__file__).parents[2] / "resources" / "rules" / "starter.toml"
    rules = loads(starter.read_text(encoding="utf-8"))
    assert any(r.outcome.ignore for r in rules)
    assert any(r.outcome.private for r in rules)


def problems_of(text: str) -> list[str]:
    with pytest.raises(RulesFileError) as err:
        loads(text, "rules.toml")
    assert "nothing was changed" in str(err.value)
    return [str(p) for p in err.value.problems]


def test_every_problem_is_reported_with_rule_field_and_reason() -> None:
    text = """
[[rule]]
name = "ok"
any = [{ field = "app", equals = "x" }]

[[rule]]
name = "bad regex"
client = "A"
project = "B"
all = [{ field = "title", contains = "a" }, { field = "title", regex = "ab(c" }]

[[rule]]
name = "bad field"
any = [{ field = "window", contains = "a" }]

[[rule]]
name = "two matchers"
any = [{ field = "app", contains = "a", equals = "b" }]

[[rule]]
name = "ok"
any = [{ field = "app", equals = "y" }]
"""
    found = problems_of(text)
    assert found[0] == (
        "rule 2 \"bad regex\", field 'all[1].regex': missing ), unterminated subpattern at position 2 in 'ab(c'"
    )
    assert found[1].startswith("rule 3 \"bad field\", field 'any[0].field': 'window' is not one of")
    assert found[2].startswith("rule 4 \"two matchers\", field 'any[0]': give exactly one matcher")
    assert found[3] == "rule 5 \"ok\", field 'name': rule 1 already has this name"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[rule]\n", "not valid TOML"),
        ("version = 2\n", "format version 2"),
        ('[[rule]]\nname = "a"\n', "exactly one of 'all"),
        ('[[rule]]\nname = "a"\nall = []\n', "'all' is a non-empty list"),
        ('[[rule]]\nname = ""\nall = [{field="app", equals="x"}]\n', "field 'name'"),
        ('[[rule]]\nname = "a"\ncolour = 1\nall = [{field="app", equals="x"}]\n', "field 'colour': unknown key"),
        ('[[rule]]\nname = "a"\nclient = "A"\nall = [{field="app", equals="x"}]\n', "field 'project': give both"),
        ('[[rule]]\nname = "a"\nhours = "9-5"\nall = [{field="app", equals="x"}]\n', "field 'hours'"),
        ('[[rule]]\nname = "a"\nbillable = "yes"\nall = [{field="app", equals="x"}]\n', "field 'billable'"),
        ('[[rule]]\nname = "a"\ntask = "$1"\nall = [{field="app", equals="x"}]\n', "field 'task'"),
        ('rules = []\n', "unknown top-level keys"),
    ],
)
def test_invalid_files_are_rejected_whole(text: str, expected: str) -> None:
    assert any(expected in p for p in problems_of(text))


def test_examples_in_the_documentation_load() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", doc, re.S)
    assert blocks and all(loads(block) for block in blocks)
