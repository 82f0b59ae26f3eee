"""Draft entries from classified spans, accounting for every captured second exactly once.

Each non-idle second of the period ends up in exactly one place: a proposal, a timer or manual entry that
already covers it, private time, ignored time, time a rule classified in stretches too short to propose, or the
unclassified bucket. Entries, private and ignored time are hard walls: nothing merges across them, so a proposal
never claims time that is already accounted for.

The unclassified share is defined here once (`ProposalSet.share`) and every screen reads it from a proposal set:
the review's flag, a rule's preview and `timetally propose`.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from app.classify.engine import Verdict
from app.classify.rules import Outcome
from app.domain.models import Span

CLASSIFIED, UNCLASSIFIED, PRIVATE, IGNORED, COVERED, TOO_SHORT, LEARNED = range(7)
_SOFT = (CLASSIFIED, UNCLASSIFIED, LEARNED)
_PROPOSED = (CLASSIFIED, LEARNED)
"""Learned time (see `classify.learn`) is proposed like a rule's, but never merged with it: each proposal has one
source. Learned stretches too short to propose stay unclassified: no rule classified them."""
_START = attrgetter("start")


@dataclass(frozen=True, slots=True)
class ProposalOptions:
    merge_gap: float = 300.0
    """Stretches of the same outcome closer than this become one entry."""
    brief_interruption: float = 60.0
    """Other activity this short, between two stretches of one outcome, is absorbed into them."""
    minimum: float = 240.0
    """Stretches shorter than this join a stretch of the same project within the merge gap, or are shown as too
    short to propose; never as unclassified."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """A draft entry: [start, end) in epoch seconds, what it is, and how it came about. The description is the
    rule's (capture groups filled in) or empty, never a window title: titles are only the evidence beside it."""

    start: float
    end: float
    outcome: Outcome
    description: str
    rule: str
    why: str
    active_seconds: float
    titles: tuple[str, ...]
    source: str = "rule"
    """"rule", or "learned" from the user's own assignments."""
    confidence: float | None = None
    """For learned proposals: from 0 to 1."""

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Stretch:
    """A stretch of unclassified, private, ignored, already-entered or too-short time; `label` names the project
    a rule gave too-short time."""

    start: float
    end: float
    active_seconds: float
    titles: tuple[str, ...] = ()
    label: str = ""


BUCKETS = ("proposals", "unclassified", "private", "ignored", "covered", "too_short")


@dataclass(frozen=True, slots=True)
class ProposalSet:
    proposals: tuple[Proposal, ...]
    unclassified: tuple[Stretch, ...]
    private: tuple[Stretch, ...]
    ignored: tuple[Stretch, ...]
    covered: tuple[Stretch, ...]
    captured_seconds: float
    """Non-idle captured seconds in the period, the sum every bucket's active seconds adds up to."""
    too_short: tuple[Stretch, ...] = ()
    """Time a rule classified, in stretches shorter than the minimum with no stretch of the same project near."""

    def seconds(self, bucket: str, start: float = -math.inf, end: float = math.inf) -> float:
        """Active seconds of a bucket, or of its items that start in [start, end)."""
        items: Sequence[Proposal | Stretch] = getattr(self, bucket)
        return sum(i.active_seconds for i in items if start <= i.start < end)

    def share(self, start: float = -math.inf, end: float = math.inf) -> float:
        """The unclassified share: of the active time captured (in [start, end), a local day, or all of it), the
        part no rule classified, no proposal takes and no entry holds. Proposals and stretches never cross a local
        midnight (see `propose_days`), so a day's share is exact."""
        captured = self.captured(start, end)
        return self.seconds("unclassified", start, end) / captured if captured else 0.0

    def captured(self, start: float = -math.inf, end: float = math.inf) -> float:
        """Active captured seconds in [start, end): every bucket together."""
        return sum(self.seconds(bucket, start, end) for bucket in BUCKETS)

    @property
    def unclassified_share(self) -> float:
        return self.share()


class _Block:
    """A mutable stretch while blocks are merged; only lives inside `propose`."""

    __slots__ = ("absorbed", "active", "end", "folded", "kind", "outcome", "pieces", "rules", "start", "titles")

    def __init__(self, start: float, end: float, kind: int, outcome: Outcome | None) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.outcome = outcome
        self.active = 0.0 if kind == COVERED else end - start
        self.titles: dict[str, float] = {}
        self.rules: dict[Verdict, float] = {}
        self.pieces = 1
        self.absorbed = 0
        self.folded = 0

    def same(self, other: _Block) -> bool:
        return self.kind == other.kind and (self.outcome is other.outcome or self.outcome == other.outcome)

    def take(self, other: _Block, own: bool) -> None:
        """Extend over `other`; its titles and rules count only when it is of this block's kind (`own`)."""
        self.start = min(self.start, other.start)
        self.end = max(self.end, other.end)
        self.active += other.active
        self.absorbed += other.absorbed
        self.folded += other.folded
        if own:
            self.pieces += other.pieces
            for title, seconds in other.titles.items():
                self.titles[title] = self.titles.get(title, 0.0) + seconds
            for verdict, seconds in other.rules.items():
                self.rules[verdict] = self.rules.get(verdict, 0.0) + seconds


def _union(intervals: Sequence[tuple[float, float]], start: float, end: float) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for s, e in sorted((max(s, start), min(e, end)) for s, e in intervals):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _pieces(
    spans: Sequence[Span], verdicts: Sequence[Verdict | None], covered: list[tuple[float, float]],
    start: float, end: float, gap: float,
) -> tuple[list[_Block], float]:
    """Non-idle spans clipped to the period, overlaps given to the earlier span, entries cut out as walls, and
    neighbouring pieces of one outcome within the merge gap already joined. Hot: a week of one-second spans comes
    through here, so the piece is added inline and the block it extends is kept in locals."""
    walls = [_Block(s, e, COVERED, None) for s, e in covered]
    blocks: list[_Block] = []
    cursor = start
    captured = 0.0
    first_cover = 0
    placed = 0
    n_cover = len(covered)
    next_wall = covered[0][0] if covered else math.inf
    last: _Block | None = None
    titles: dict[str, float] = {}
    rules: dict[Verdict, float] = {}
    seen: object = blocks
    kind, outcome = UNCLASSIFIED, None
    for (s, e, _app, title, _exe, idle, _id), verdict in zip(spans, verdicts, strict=True):
        if idle:
            continue
        if s < cursor:
            s = cursor
        if e > end:
            e = end
        if e <= s:
            continue
        cursor = e
        captured += e - s
        if verdict is not seen:  # verdicts are interned: runs of spans share one
            seen = verdict
            if verdict is None:
                kind, outcome = UNCLASSIFIED, None
            else:
                outcome = verdict.outcome
                kind = (PRIVATE if outcome.private else IGNORED if outcome.ignore
                        else LEARNED if verdict.rule_index < 0 else CLASSIFIED)
        if first_cover < n_cover and covered[first_cover][0] < e:  # an entry may cut this span
            while first_cover < n_cover and covered[first_cover][1] <= s:
                first_cover += 1
            cuts: Sequence[tuple[float, float]] = _cut(s, e, covered, walls, first_cover)
        else:
            cuts = ((s, e),)
        for s, e in cuts:
            if next_wall <= s:
                while placed < n_cover and covered[placed][0] <= s:
                    blocks.append(walls[placed])
                    placed += 1
                next_wall = covered[placed][0] if placed < n_cover else math.inf
                last = None
            seconds = e - s
            if (last is not None and last.kind == kind and s - last.end <= gap
                    and (last.outcome is outcome or last.outcome == outcome)):
                last.end = e
                last.active += seconds
                last.pieces += 1
            else:
                last = _Block(s, e, kind, outcome)
                blocks.append(last)
                titles, rules = last.titles, last.rules
            titles[title] = titles.get(title, 0.0) + seconds
            if verdict is not None:
                rules[verdict] = rules.get(verdict, 0.0) + seconds
    blocks.extend(walls[placed:])
    return blocks, captured


def _cut(s: float, e: float, covered: list[tuple[float, float]], walls: list[_Block], k: int
         ) -> list[tuple[float, float]]:
    """The parts of [s, e) outside the entries from the `k`-th on; each entry's wall counts the seconds it holds."""
    parts = []
    while s < e:
        if k < len(covered) and covered[k][0] < e:
            cut_start, cut_end = covered[k]
            if cut_start > s:
                parts.append((s, cut_start))
            walls[k].active += min(e, cut_end) - max(s, cut_start)
            s = cut_end
            k += 1
        else:
            parts.append((s, e))
            s = e
    return parts


def _absorb_brief(blocks: list[_Block], options: ProposalOptions) -> list[_Block]:
    """A B A with B short and soft becomes one A: a glance at mail does not split an hour of work."""
    out: list[_Block] = []
    gap, brief = options.merge_gap, options.brief_interruption
    for block in blocks:
        out.append(block)
        while len(out) >= 3:
            a, b, c = out[-3], out[-2], out[-1]
            if not (
                a.kind in _PROPOSED and a.same(c) and b.kind in _SOFT and not b.same(a)
                and b.end - b.start <= brief and b.start - a.end <= gap and c.start - b.end <= gap
            ):
                break
            a.take(b, own=False)
            a.absorbed += 1
            a.take(c, own=True)
            del out[-2:]
    return out


def _fold_short(blocks: list[_Block], options: ProposalOptions) -> list[_Block]:
    """Classified stretches shorter than the minimum join the nearest stretch of the same project, across nothing
    but unclassified time (which they take in) within the merge gap; those that find none are too short to propose.
    Never unclassified: a rule did classify them."""
    gap, minimum = options.merge_gap, options.minimum
    out: list[_Block] = []
    for block in blocks:
        if block.kind in _PROPOSED:
            i = len(out) - 1
            while i >= 0 and out[i].kind == UNCLASSIFIED and block.start - out[i].end <= gap:
                i -= 1
            target = out[i] if i >= 0 else None
            if (target is not None and target.kind == block.kind and block.start - target.end <= gap and (
                    (i == len(out) - 1 and target.same(block))  # met again once what split them was joined
                    or (min(block.end - block.start, target.end - target.start) < minimum
                        and _same_project(target.outcome, block.outcome)))):
                for between in out[i + 1:]:
                    target.take(between, own=False)
                    target.absorbed += 1
                del out[i + 1:]
                if block.active > target.active:
                    target.outcome = block.outcome
                target.take(block, own=True)
                target.folded += 1
                continue
        last = out[-1] if out else None
        if last is not None and block.kind == last.kind == UNCLASSIFIED and block.start - last.end <= gap:
            last.take(block, own=True)
        else:
            out.append(block)
    for block in out:
        if block.kind in _PROPOSED and block.end - block.start < minimum:
            block.kind = TOO_SHORT if block.kind == CLASSIFIED else UNCLASSIFIED
    return out


def _same_project(a: Outcome | None, b: Outcome | None) -> bool:
    """Whether a short stretch may join another: the same client and project (any task), or for rules that name
    no project the same outcome. Outcomes are interned, so the common case is one identity test."""
    if a is b:
        return True
    if a is None or b is None:
        return False
    if a.client and a.project:
        return a.client == b.client and a.project == b.project
    return a == b


def _top_titles(titles: dict[str, float], limit: int = 3) -> tuple[str, ...]:
    ranked = sorted(titles.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(t for t, _ in ranked[:limit] if t)


def _proposal(block: _Block) -> Proposal:
    outcome = block.outcome or Outcome()
    verdict = max(block.rules.items(), key=lambda kv: kv[1])[0]
    titles = _top_titles(block.titles)  # evidence for the review, kept on this computer
    notes = [f"{block.pieces} captured span{'s' if block.pieces != 1 else ''}"]
    if block.absorbed:
        notes.append(f"{block.absorbed} brief interruption{'s' if block.absorbed != 1 else ''} absorbed")
    if block.folded:
        notes.append(f"{block.folded} short stretch{'es' if block.folded != 1 else ''} folded in")
    if block.kind == LEARNED:
        weighed = sum(v.confidence * seconds for v, seconds in block.rules.items() if v.confidence is not None)
        confidence = round(weighed / sum(block.rules.values()), 2)
        why = f"{verdict.why}; {confidence:.0%} sure; " + ", ".join(notes)
        return Proposal(block.start, block.end, outcome, "", "", why, block.active, titles, "learned", confidence)
    why = f'rule "{verdict.rule}" matched {verdict.why}; ' + ", ".join(notes)
    return Proposal(block.start, block.end, outcome, outcome.description, verdict.rule, why, block.active, titles)


def propose(
    spans: Sequence[Span],
    verdicts: Sequence[Verdict | None],
    start: float,
    end: float,
    covered: Sequence[tuple[float, float]] = (),
    options: ProposalOptions | None = None,
) -> ProposalSet:
    """Proposals for [start, end) from spans ordered by start, their verdicts, and existing entries' intervals."""
    options = options or ProposalOptions()
    walls = _union(covered, start, end)
    blocks, captured = _pieces(spans, verdicts, walls, start, end, options.merge_gap)
    blocks = _fold_short(_absorb_brief(blocks, options), options)
    buckets: dict[int, list[Stretch]] = {UNCLASSIFIED: [], PRIVATE: [], IGNORED: [], COVERED: [], TOO_SHORT: []}
    proposals: list[Proposal] = []
    for block in blocks:
        if block.kind in _PROPOSED:
            proposals.append(_proposal(block))
        else:
            if block.kind == TOO_SHORT:  # named by its project; its titles are the timeline's to show
                buckets[TOO_SHORT].append(Stretch(block.start, block.end, block.active,
                                                  label=block.outcome.label if block.outcome else ""))
            else:
                buckets[block.kind].append(Stretch(block.start, block.end, block.active, _top_titles(block.titles)))
    return ProposalSet(
        tuple(proposals), tuple(buckets[UNCLASSIFIED]), tuple(buckets[PRIVATE]), tuple(buckets[IGNORED]),
        tuple(buckets[COVERED]), captured, tuple(buckets[TOO_SHORT]),
    )


def propose_days(
    spans: Sequence[Span],
    verdicts: Sequence[Verdict | None],
    bounds: Sequence[float],
    covered: Sequence[tuple[float, float]] = (),
    options: ProposalOptions | None = None,
) -> ProposalSet:
    """`propose` for each [bounds[i], bounds[i + 1]) (the local days of a period) as one set: nothing crosses a
    midnight, so a week's proposals are its days' and each day's share is exact. Spans follow one another, as
    capture writes them: a day takes the one span that runs into it from the day before, as the review's timeline
    does (finding every overlapping one would cost a pass over all spans)."""
    parts: list[ProposalSet] = []
    for lo, hi in itertools.pairwise(bounds):
        first, last = bisect_left(spans, lo, key=_START), bisect_left(spans, hi, key=_START)
        first -= first > 0 and spans[first - 1].end > lo  # captured spans follow one another: one runs past midnight
        parts.append(propose(spans[first:last], verdicts[first:last], lo, hi, covered, options))

    def joined(bucket: str) -> tuple[Any, ...]:
        return tuple(itertools.chain.from_iterable(getattr(p, bucket) for p in parts))

    return ProposalSet(joined("proposals"), joined("unclassified"), joined("private"), joined("ignored"),
                       joined("covered"), sum(p.captured_seconds for p in parts), joined("too_short"))
