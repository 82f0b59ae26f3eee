"""Proposals: merging, brief interruptions, folding, entries as walls, and the every-second-once property."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.classify.engine import Verdict
from app.classify.proposals import BUCKETS, ProposalOptions, ProposalSet, propose, propose_days
from app.classify.rules import Outcome
from app.domain.models import Span

DAY = 1_763_856_000.0  # a midnight, UTC
A = Verdict(0, "acme", Outcome("Acme", "Web", "Dev"), 'title contains "acme"')
B = Verdict(1, "beta", Outcome("Beta", "App"), 'title contains "beta"')
C = Verdict(2, "gamma", Outcome("Gamma", "Ops", description="Ticket 7"), 'title regex "g-(\\d+)"')
PRIVATE = Verdict(3, "chat", Outcome(private=True), 'app equals "signal"')
IGNORED = Verdict(4, "lock", Outcome(ignore=True), 'app contains "screensaver"')
LABELS: list[Verdict | None] = [None, A, B, C, PRIVATE, IGNORED]


def at(minutes: float) -> float:
    return DAY + minutes * 60


def run(items: list[tuple[float, float, Verdict | None, str]], covered: list[tuple[float, float]] = (),  # type: ignore[assignment]
        idle: set[int] = frozenset(), **options: float) -> ProposalSet:  # type: ignore[assignment]
    spans = [Span(at(s), at(e), "app", title, idle=i in idle) for i, (s, e, _, title) in enumerate(items)]
    verdicts = [v for _, _, v, _ in items]
    return propose(spans, verdicts, DAY, DAY + 86400, [(at(s), at(e)) for s, e in covered],
                   ProposalOptions(**options))


def test_same_outcome_merges_across_short_gaps_only() -> None:
    got = run([(0, 20, A, "a1"), (23, 40, A, "a2"), (50, 70, A, "a3")])
    assert [(p.start, p.end) for p in got.proposals] == [(at(0), at(40)), (at(50), at(70))]
    first = got.proposals[0]
    assert first.duration == 2400 and first.active_seconds == 2220
    assert first.outcome == A.outcome and first.rule == "acme"
    assert 'rule "acme" matched title contains "acme"' in first.why and "2 captured spans" in first.why


def test_brief_interruption_is_absorbed_but_not_a_longer_one() -> None:
    glance = run([(0, 20, A, "work"), (20, 20.5, B, "mail"), (20.5, 40, A, "work")])
    assert len(glance.proposals) == 1 and "1 brief interruption absorbed" in glance.proposals[0].why
    assert glance.proposals[0].titles == ("work",)
    longer = run([(0, 20, A, "work"), (20, 30, B, "mail"), (30, 40, A, "work")])
    assert [p.rule for p in longer.proposals] == ["acme", "beta", "acme"]


def test_a_short_stretch_of_another_project_is_too_short_never_folded_into_a_neighbour() -> None:
    got = run([(0, 30, A, "a"), (30, 32, B, "b"), (32, 40, C, "c")], minimum=300)
    assert [(p.rule, p.start, p.end) for p in got.proposals] == [("acme", at(0), at(30)), ("gamma", at(32), at(40))]
    assert [(s.start, s.end, s.label) for s in got.too_short] == [(at(30), at(32), "Beta / App")]
    lonely = run([(0, 3, B, "b")], minimum=300)
    assert lonely.proposals == () and lonely.unclassified == ()
    assert [(s.start, s.end, s.label) for s in lonely.too_short] == [(at(0), at(3), "Beta / App")]
    assert lonely.unclassified_share == 0.0


def test_short_stretches_of_one_project_join_across_short_unclassified_gaps() -> None:
    got = run([(0, 2, A, "a"), (2, 4, None, "?"), (4, 6, A, "a"), (6, 7.5, None, "?"), (7.5, 8.5, A, "a")],
              minimum=300)
    [joined] = got.proposals
    assert (joined.start, joined.end, joined.active_seconds) == (at(0), at(8.5), 8.5 * 60)
    assert "2 short stretches folded in" in joined.why and "2 brief interruptions absorbed" in joined.why
    assert got.unclassified == () and got.too_short == ()
    far = run([(0, 2, A, "a"), (2, 8, None, "?"), (8, 10, A, "a")], minimum=300)
    assert far.proposals == () and [s.label for s in far.too_short] == ["Acme / Web / Dev"] * 2
    assert far.seconds("unclassified") == 360


def test_a_short_stretch_joins_its_projects_longer_stretch_and_takes_its_task() -> None:
    review = Verdict(5, "review", Outcome("Acme", "Web", "Review"), 'title contains "pr"')
    got = run([(0, 2, A, "a"), (2, 3.5, None, "?"), (3.5, 20, review, "pr")], minimum=300)
    [joined] = got.proposals
    assert (joined.start, joined.end, joined.outcome.task, joined.rule) == (at(0), at(20), "Review", "review")


def test_five_minutes_of_matched_work_among_other_windows_is_proposed_by_default() -> None:
    got = run([(0, 1, A, "a"), (1, 2.25, None, "term"), (2.25, 3.25, A, "a"), (3.25, 4.6, None, "term"),
               (4.6, 5.35, A, "a")])
    assert [(p.start, p.end) for p in got.proposals] == [(at(0), at(5.35))]
    assert got.too_short == () and got.unclassified == ()


def test_the_description_is_the_rules_or_empty_and_titles_stay_evidence() -> None:
    got = run([(0, 10, A, "x"), (10, 30, A, "y"), (30, 35, A, "z"), (35, 36, A, "x"), (60, 90, C, "g-7")])
    assert got.proposals[0].description == "" and got.proposals[0].titles == ("y", "x", "z")
    assert got.proposals[1].description == "Ticket 7"


def test_entries_are_walls_and_their_time_is_never_proposed() -> None:
    got = run([(0, 30, A, "a"), (31, 60, A, "a")], covered=[(20, 45)])
    assert [(p.start, p.end) for p in got.proposals] == [(at(0), at(20)), (at(45), at(60))]
    assert got.seconds("covered") == (10 + 14) * 60
    idle_gap = run([(0, 20, A, "a"), (24, 44, A, "a")], covered=[(21, 23)])
    assert len(idle_gap.proposals) == 2


def test_private_and_ignored_time_is_never_proposed_nor_merged_across() -> None:
    got = run([(0, 20, A, "a"), (20, 20.5, PRIVATE, "chat"), (20.5, 40, A, "a"), (40, 50, IGNORED, "lock")])
    assert len(got.proposals) == 2
    assert got.seconds("private") == 30 and got.seconds("ignored") == 600


def test_overlapping_spans_and_idle_spans_count_once() -> None:
    got = run([(0, 30, A, "a"), (10, 40, B, "b"), (40, 60, A, "idle")], idle={2})
    assert got.captured_seconds == 40 * 60
    assert sum(p.active_seconds for p in got.proposals) == 40 * 60


def test_unclassified_share() -> None:
    got = run([(0, 30, A, "a"), (30, 60, None, "?")])
    assert got.unclassified_share == 0.5


_span = st.tuples(
    st.integers(-600, 7800), st.integers(1, 1200), st.integers(0, len(LABELS) - 1), st.booleans(),
    st.integers(0, 4),
)
_entry = st.tuples(st.integers(-300, 7500), st.integers(1, 1500))


@settings(max_examples=150, deadline=None)
@given(
    raw=st.lists(_span, max_size=60),
    entries=st.lists(_entry, max_size=4),
    gap=st.integers(0, 600),
    brief=st.integers(0, 180),
    minimum=st.integers(0, 900),
)
def test_every_non_idle_second_is_accounted_for_exactly_once(
    raw: list[tuple[int, int, int, bool, int]], entries: list[tuple[int, int]], gap: int, brief: int, minimum: int,
) -> None:
    start, end = DAY, DAY + 7200
    raw.sort(key=lambda r: r[0])
    spans = [Span(DAY + s, DAY + s + n, "app", f"t{t}", idle=idle) for s, n, _, idle, t in raw]
    verdicts = [LABELS[label] for _, _, label, _, _ in raw]
    covered = [(DAY + s, DAY + s + n) for s, n in entries]
    got = propose(spans, verdicts, start, end, covered, ProposalOptions(gap, brief, minimum))

    active = [False] * 7200
    for span in spans:
        if not span.idle:
            for t in range(max(0, int(span.start - DAY)), min(7200, int(span.end - DAY))):
                active[t] = True
    hits = [0] * 7200
    walls = [0] * 7200
    buckets = [got.proposals, got.unclassified, got.private, got.ignored, got.covered, got.too_short]
    for bucket in buckets:
        for item in bucket:
            assert item.start < item.end
            for t in range(int(item.start - DAY), int(item.end - DAY)):
                hits[t] += 1
    for s, e in covered:
        for t in range(max(0, int(s - DAY)), min(7200, int(e - DAY))):
            walls[t] = 1
    for t in range(7200):
        if active[t]:
            assert hits[t] == 1, f"second {t} counted {hits[t]} times"
        assert hits[t] <= 1, f"second {t} lies in two buckets"
    for proposal in got.proposals:
        assert not any(walls[int(proposal.start - DAY):int(proposal.end - DAY)]), "proposal over an entry"
    assert got.captured_seconds == sum(active)
    total = sum(got.seconds(b) for b in ("proposals", "unclassified", "private", "ignored", "covered", "too_short"))
    assert total == got.captured_seconds
    classified = [False] * 7200  # overlapping spans: the earlier one holds the time, as in `propose`
    cursor = 0
    for span, verdict in zip(spans, verdicts, strict=True):
        if span.idle:
            continue
        lo, hi = max(cursor, int(span.start - DAY)), min(7200, int(span.end - DAY))
        if hi <= lo:
            continue
        cursor = hi
        ruled = verdict is not None and not (verdict.outcome.private or verdict.outcome.ignore)
        for t in range(lo, hi):
            classified[t] = ruled and not walls[t]
    for stretch in got.unclassified:
        assert not any(classified[int(stretch.start - DAY):int(stretch.end - DAY)]), "classified time unclassified"


@settings(max_examples=60, deadline=None)
@given(raw=st.lists(_span, max_size=40), cut=st.integers(1, 7199))
def test_proposals_by_day_never_cross_a_midnight_and_count_each_second_once(
    raw: list[tuple[int, int, int, bool, int]], cut: int
) -> None:
    spans, verdicts, t = [], [], DAY - 600.0  # one after another, with gaps, as capture writes them
    for gap, n, label, idle, title in raw:
        t += gap % 300
        spans.append(Span(t, t + n, "app", f"t{title}", idle=idle))
        verdicts.append(LABELS[label])
        t += n
    midnight = DAY + cut
    got = propose_days(spans, verdicts, [DAY, midnight, DAY + 7200])
    whole = propose(spans, verdicts, DAY, DAY + 7200)
    assert got.captured_seconds == whole.captured_seconds == got.captured()
    for bucket in BUCKETS:
        for item in getattr(got, bucket):
            assert item.end <= midnight or item.start >= midnight, f"{bucket} crosses the day's end"
    assert got.share() == pytest.approx(got.seconds("unclassified") / got.captured_seconds if got.captured_seconds
                                        else 0.0)


def test_stretches_of_one_outcome_met_again_after_a_join_become_one() -> None:
    """Ticket A, a short look at ticket B of the same project (joined into A), then ticket A again: one proposal."""
    b = Verdict(6, "acme-b", Outcome("Acme", "Web", "Other"), 'title contains "b"')
    got = run([(0, 10, A, "a"), (10, 11.5, b, "b"), (11.5, 20, A, "a")], minimum=300)
    [joined] = got.proposals
    assert (joined.start, joined.end, joined.outcome) == (at(0), at(20), A.outcome)
