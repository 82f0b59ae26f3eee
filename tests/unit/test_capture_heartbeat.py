"""Heartbeat merging as plain values: extension within the pulse, switches meeting halfway, clock jumps."""

from __future__ import annotations

from app.capture.heartbeat import Beat, SpanList, merge, merge_all, record, record_switch
from app.domain.models import Span

PULSE = 2.5


def beats(*items: tuple[float, str]) -> list[Beat]:
    return [Beat(at, "Editor", title) for at, title in items]


def test_equal_samples_within_the_pulse_extend_one_span() -> None:
    spans = merge_all(beats((0, "a"), (1, "a"), (2, "a"), (3.9, "a")), PULSE)
    assert [(s.start, s.end, s.title) for s in spans] == [(0, 3.9, "a")]


def test_a_switch_splits_the_gap_between_the_two_samples() -> None:
    spans = merge_all(beats((0, "a"), (1, "a"), (2, "b"), (3, "b"), (4, "a")), PULSE)
    assert [(s.start, s.end, s.title) for s in spans] == [(0, 1.5, "a"), (1.5, 3.5, "b"), (3.5, 4, "a")]


def test_a_gap_longer_than_the_pulse_starts_a_new_span_without_bridging() -> None:
    spans = merge_all(beats((0, "a"), (1, "a"), (10, "a"), (11, "b")), PULSE)
    assert [(s.start, s.end, s.title) for s in spans] == [(0, 1, "a"), (10, 10.5, "a"), (10.5, 11, "b")]


def test_idle_differs_from_active_even_in_the_same_window() -> None:
    spans = merge_all([Beat(0, "A", "t"), Beat(1, "A", "t", idle=True), Beat(2, "A", "t", idle=True)], PULSE)
    assert [(s.idle, s.start, s.end) for s in spans] == [(False, 0, 0.5), (True, 0.5, 2)]


def test_a_backward_clock_jump_never_gives_a_negative_or_merged_span() -> None:
    spans = merge_all(beats((100, "a"), (101, "a"), (40, "a"), (41, "a")), PULSE)
    assert [(s.start, s.end) for s in spans] == [(100, 101), (40, 41)]
    assert all(s.end >= s.start for s in spans)


def test_a_forced_start_backdates_the_new_span_and_keeps_ids() -> None:
    last = Span(0, 5, "A", "t", id=7)
    extended = merge(last, Beat(6, "A", "t"), PULSE)
    assert not extended.new and extended.current.id == 7 and extended.current.end == 6
    forced = merge(last, Beat(400, "A", "t", idle=True), PULSE, start=100)
    assert forced.new and (forced.current.start, forced.current.end) == (100, 400) and forced.previous is None


def test_an_hour_at_one_hertz_is_one_span() -> None:
    spans = merge_all((Beat(float(i), "A", "t") for i in range(3600)), PULSE)
    assert len(spans) == 1 and spans[0].seconds == 3599


def test_an_announced_switch_meets_exactly_at_its_time() -> None:
    timeline = SpanList()
    for beat in beats((0, "a"), (5, "a")):
        record(timeline, beat, 12.5)
    record_switch(timeline, Beat(7.25, "Editor", "b"), 12.5)
    record(timeline, Beat(7.3, "Editor", "b"), 12.5)
    assert [(s.start, s.end, s.title) for s in timeline.spans] == [(0, 7.25, "a"), (7.25, 7.3, "b")]


def test_an_announced_switch_older_than_the_last_heartbeat_takes_that_stretch_back() -> None:
    timeline = SpanList()
    for beat in beats((0, "a"), (5, "a"), (10, "a")):
        record(timeline, beat, 12.5)
    record_switch(timeline, Beat(9.5, "Editor", "b"), 12.5)
    record_switch(timeline, Beat(9.6, "Editor", "b"), 12.5)  # the same window again: nothing new
    assert [(s.start, s.end, s.title) for s in timeline.spans] == [(0, 9.5, "a"), (9.5, 9.6, "b")]
    record_switch(timeline, Beat(30, "Editor", "c"), 12.5)  # after a gap: a span of its own, no bridging
    assert [(s.start, s.end, s.title) for s in timeline.spans][-1] == (30, 30, "c")
