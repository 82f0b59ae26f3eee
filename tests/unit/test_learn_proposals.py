"""Learned verdicts in the proposal pipeline: their own proposals with a source and a confidence, never merged with
a rule's, short learned stretches left unclassified, and every captured second still counted once."""

from __future__ import annotations

from app.classify.engine import Verdict
from app.classify.proposals import BUCKETS, ProposalOptions, ProposalSet, propose
from app.classify.rules import Outcome
from app.domain.models import Span

DAY = 1_763_856_000.0
WEB = Outcome("Acme", "Web")
RULE = Verdict(0, "acme", WEB, 'title contains "acme"')
SURE = Verdict(-1, "", WEB, "like 'a.py - acme-web', which you put on Acme / Web 3 times", 0.9)
LESS = Verdict(-1, "", WEB, "like 'b.py - acme-web', which you put on Acme / Web 1 time", 0.8)
BETA = Verdict(-1, "", Outcome("Beta", "App"), "like 'x - beta-app', which you put on Beta / App 2 times", 0.95)


def at(minutes: float) -> float:
    return DAY + minutes * 60


def run(items: list[tuple[float, float, Verdict | None]], **options: float) -> ProposalSet:
    spans = [Span(at(s), at(e), "code", f"t{n}") for n, (s, e, _) in enumerate(items)]
    return propose(spans, [v for _, _, v in items], DAY, DAY + 86400, (), ProposalOptions(**options))


def accounted(result: ProposalSet) -> float:
    return sum(result.seconds(bucket) for bucket in BUCKETS)


def test_a_learned_proposal_has_its_source_confidence_and_reason() -> None:
    got = run([(0, 30, SURE), (30, 40, LESS)])
    [proposal] = got.proposals
    assert (proposal.source, proposal.rule, proposal.description) == ("learned", "", "")
    assert proposal.confidence == round((0.9 * 30 + 0.8 * 10) / 40, 2)
    assert proposal.why.startswith("like 'a.py - acme-web', which you put on Acme / Web 3 times; 88% sure; 2 captured")


def test_learned_and_rule_time_of_one_project_stay_apart() -> None:
    got = run([(0, 30, RULE), (30, 60, SURE)])
    assert [(p.source, p.start, p.end) for p in got.proposals] == [("rule", at(0), at(30)), ("learned", at(30), at(60))]
    assert got.proposals[0].confidence is None


def test_a_short_learned_stretch_stays_unclassified_and_every_second_counts_once() -> None:
    got = run([(0, 30, RULE), (30, 32, BETA), (32, 60, None)], minimum=240)
    assert [p.source for p in got.proposals] == ["rule"]
    assert got.too_short == () and got.seconds("unclassified") == 30 * 60
    assert accounted(got) == got.captured_seconds == 60 * 60
    assert got.unclassified_share == 0.5


def test_a_glance_between_learned_stretches_is_absorbed() -> None:
    got = run([(0, 20, SURE), (20, 20.5, None), (20.5, 40, SURE)])
    assert len(got.proposals) == 1 and "1 brief interruption absorbed" in got.proposals[0].why
