"""The rule model and its compiled form: pure values, no I/O.

`conditions` holds what a rule looks for on screen, `model` the rule, its outcome and time limits, `templates`
the capture-group substitution, `urls` reading a browser's URL from its title and `needles` the engine's cheap
pre-check. Callers import from here.
"""

from app.classify.rules.conditions import Condition, Field, Group, Matcher, RuleError
from app.classify.rules.model import (
    WEEKDAYS,
    CompiledRule,
    Outcome,
    Rule,
    compile_rule,
    describe,
    format_minute,
    parse_hours,
    parse_weekdays,
)
from app.classify.rules.needles import needles
from app.classify.rules.templates import expand
from app.classify.rules.urls import HOST, url_of

__all__ = ["HOST", "WEEKDAYS", "CompiledRule", "Condition", "Field", "Group", "Matcher", "Outcome", "Rule", "RuleError",
           "compile_rule", "describe", "expand", "format_minute", "needles", "parse_hours", "parse_weekdays", "url_of"]
