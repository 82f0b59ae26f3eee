"""What a rule would do to past time, before the user commits to it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import tzinfo

from app.classify.engine import Engine, Verdict
from app.classify.proposals import ProposalSet
from app.classify.rules import Rule
from app.domain.models import Span


@dataclass(frozen=True, slots=True)
class Preview:
    rule: str
    matched_seconds: float
    """Time the rule's conditions match on their own."""
    claimed_seconds: float
    """Time it would actually classify at its place in the order (earlier rules win)."""
    samples: tuple[tuple[str, float], ...]
    """The titles it would claim, most time first, with their seconds."""
    captured_seconds: float
    unclassified_before: float
    unclassified_after: float

    @property
    def unclassified_share(self) -> float:
        """Share of captured time still unclassified with the rule in place (as `ProposalSet.share` counts it)."""
        return self.unclassified_after / self.captured_seconds if self.captured_seconds else 0.0


def with_rule(rules: Sequence[Rule], rule: Rule, position: int | None = None) -> list[Rule]:
    """The ruleset with `rule` replacing its namesake in place, or inserted at `position` (default: last)."""
    out = list(rules)
    for i, existing in enumerate(out):
        if existing.name.casefold() == rule.name.casefold():
            out[i] = rule
            return out
    out.insert(len(out) if position is None else position, rule)
    return out


def preview(rule: Rule, rules: Sequence[Rule], spans: Sequence[Span],
            proposals: Callable[[Sequence[Verdict | None]], ProposalSet], position: int | None = None,
            tz: tzinfo | None = None, samples: int = 5) -> Preview:
    """Run the rule alone and within the ruleset over `spans` (typically the last four weeks); a disabled
    rule is previewed as if enabled, since the question is what it would do. `proposals` turns verdicts for the
    spans into the proposal set the review would show, so the unclassified time before and after is what every
    other screen calls unclassified."""
    rule = replace(rule, enabled=True)
    alone = Engine([rule], tz).classify(spans)
    trial_rules = with_rule(rules, rule, position)
    index = next(i for i, r in enumerate(trial_rules) if r is rule)
    after = Engine(trial_rules, tz).classify(spans)
    before = Engine(rules, tz).classify(spans)
    matched = claimed = 0.0
    titles: dict[str, float] = {}
    for span, mine, now in zip(spans, alone, after, strict=True):
        if span.idle:
            continue
        seconds = span.seconds
        if mine is not None:
            matched += seconds
        if now is not None and now.rule_index == index:
            claimed += seconds
            titles[span.title] = titles.get(span.title, 0.0) + seconds
    ranked = sorted(titles.items(), key=lambda kv: (-kv[1], kv[0]))[:samples]
    was, will = proposals(before), proposals(after)
    return Preview(rule.name, matched, claimed, tuple(ranked), was.captured_seconds, was.seconds("unclassified"),
                   will.seconds("unclassified"))
