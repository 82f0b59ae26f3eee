"""`timetally propose [--day YYYY-MM-DD | --week YYYY-Www] [--json] [--accept]`."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from app.classify.proposals import Proposal, ProposalSet, Stretch
from app.commands.entries import add_period_arguments, period_from
from app.commands.output import entry_json, entry_line, iso, note, print_json
from app.core import Core
from app.domain.periods import Period
from app.domain.timefmt import format_duration


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("propose", help="draft entries from captured activity and the rules (default: this week)")
    add_period_arguments(parser)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--accept", action="store_true", help="turn the proposals into draft entries")
    parser.set_defaults(handler=_propose)


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def proposal_json(p: Proposal) -> dict[str, Any]:
    o = p.outcome
    return {
        "start": iso(_at(p.start)),
        "end": iso(_at(p.end)),
        "duration_seconds": round(p.duration),
        "active_seconds": round(p.active_seconds),
        "client": o.client or None,
        "project": o.project or None,
        "task": o.task or None,
        "billable": o.billable,
        "tags": list(o.tags),
        "description": p.description,
        "rule": p.rule,
        "source": p.source,
        **({"confidence": p.confidence} if p.source == "learned" else {}),
        "why": p.why,
    }


def _stretches(items: tuple[Stretch, ...], titles: bool = False) -> list[dict[str, Any]]:
    out = []
    for s in items:
        item: dict[str, Any] = {"start": iso(_at(s.start)), "end": iso(_at(s.end)),
                                "active_seconds": round(s.active_seconds)}
        if titles:
            item["titles"] = list(s.titles)
        out.append(item)
    return out


def result_json(result: ProposalSet) -> dict[str, Any]:
    return {
        "proposals": [proposal_json(p) for p in result.proposals],
        "unclassified": _stretches(result.unclassified, titles=True),
        "too_short": [{**item, "project": s.label} for s, item in zip(result.too_short, _stretches(result.too_short),
                                                                       strict=True)],
        "too_short_seconds": round(result.seconds("too_short")),
        "private_seconds": round(result.seconds("private")),
        "ignored_seconds": round(result.seconds("ignored")),
        "already_entered_seconds": round(result.seconds("covered")),
        "captured_seconds": round(result.captured_seconds),
        "unclassified_share": round(result.unclassified_share, 4),
    }


def _propose(core: Core, args: argparse.Namespace) -> int:
    period = period_from(args, core.settings.get("review.week_start"))
    if args.accept:
        return _accept(core, period, args.json)
    result = core.classifier.propose(period)
    if args.json:
        print_json(result_json(result))
        return 0
    if not result.captured_seconds:
        print(f"No captured activity from {period.first} to {period.last}.")
        return 0
    for p in result.proposals:
        start, end = _at(p.start).astimezone(), _at(p.end).astimezone()
        print(f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {format_duration(int(p.duration)):>6}  "
              f"{p.outcome.label}  {p.description}" + ("  (learned)" if p.source == "learned" else ""))
        print(f"    {p.why}")
    for short in result.too_short:
        start, end = _at(short.start).astimezone(), _at(short.end).astimezone()
        print(f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M} {format_duration(int(short.active_seconds)):>6}  "
              f"{short.label}  (too short to propose)")
    if not result.proposals:
        print(f"No proposals from {period.first} to {period.last}.")

    def total(bucket: str) -> str:
        return format_duration(int(result.seconds(bucket)))

    print(f"Captured {format_duration(int(result.captured_seconds))}: proposed {total('proposals')}, "
          f"already entered {total('covered')}, private {total('private')}, ignored {total('ignored')}, "
          f"too short to propose {total('too_short')}, unclassified {total('unclassified')} "
          f"({result.unclassified_share:.0%}).")
    if result.too_short:
        minimum = core.classifier.options().minimum / 60
        note(f"Time rules matched in stretches shorter than {minimum:g} min, with no longer stretch of the same "
             "project near, is too short to propose; 'timetally settings set classify.minimum_seconds SECONDS' "
             "lowers that limit.")
    if result.unclassified_share >= core.settings.get("review.unclassified_flag_percent") / 100:
        note("A large share of the time is unclassified; 'timetally rules suggest' can draft a rule for it.")
    if not core.classifier.rules():
        note("There are no rules yet. Start with: timetally rules import --starter")
    return 0


def _accept(core: Core, period: Period, as_json: bool) -> int:
    created = core.review.accept_all(period)
    if as_json:
        print_json([entry_json(e) for e in created])
        return 0
    for entry in created:
        print(f"Added: {entry_line(entry)}")
    print(f"{len(created)} draft entr{'y' if len(created) == 1 else 'ies'} from {period.first} to {period.last}.")
    return 0
