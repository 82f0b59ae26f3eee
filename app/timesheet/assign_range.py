"""What a range dragged across the timeline takes when it is assigned to a project: its active time that no entry
holds yet and no rule sends elsewhere. Idle time, private and ignored time, time a rule gives another project and
time already in entries are left out; a range with no captured activity at all (capture was off) is taken as
dragged. Nothing after `now` is ever taken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.instants import Instant, entry_span
from app.domain.models import Entry, Project
from app.domain.timefmt import format_duration
from app.timesheet.week import UNCLASSIFIED, WORK, Block

Piece = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Take:
    start: float
    end: float
    pieces: tuple[Piece, ...]

    @property
    def seconds(self) -> int:
        return round(sum(b - a for a, b in self.pieces))

    def sentence(self) -> str:
        span = round(self.end - self.start)
        if not self.pieces:
            return ("Nothing in this range is active time that is not already assigned: it is idle, already in "
                    "entries, or rules send it elsewhere.")
        if self.seconds >= span:
            return f"Takes the whole range, {format_duration(span)}."
        return (f"Takes {format_duration(self.seconds)} of the {format_duration(span)} range: idle time, time already "
                "in entries and time rules send elsewhere are left out.")


def _ours(block: Block, project: Project | None) -> bool:
    if block.kind == UNCLASSIFIED:
        return True
    if block.kind != WORK or project is None:
        return False
    wanted = f"{project.client_name} / {project.name}"
    return block.label == wanted or block.label.startswith(f"{wanted} / ")


def _without(pieces: list[Piece], lo: float, hi: float) -> list[Piece]:
    out: list[Piece] = []
    for a, b in pieces:
        if hi <= a or lo >= b:
            out.append((a, b))
            continue
        if a < lo:
            out.append((a, lo))
        if hi < b:
            out.append((hi, b))
    return out


def take(start: Instant, end: Instant, blocks: Sequence[Block], entries: Sequence[Entry], project: Project | None,
         now: Instant) -> Take:
    end = min(end, now)
    if end <= start:
        return Take(start, max(start, end), ())
    inside = [b for b in blocks if b.end > start and b.start < end]
    pieces = [(start, end)]  # nothing was captured there (capture was off): taken as dragged
    if inside:
        pieces = [(max(b.start, start), min(b.end, end)) for b in inside if _ours(b, project)]
    for entry in entries:
        pieces = _without(pieces, *entry_span(entry, now))
    joined: list[Piece] = []
    for a, b in sorted(p for p in pieces if p[1] > p[0]):
        if joined and a <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
        else:
            joined.append((a, b))
    return Take(start, end, tuple(joined))
