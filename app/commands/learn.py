"""`timetally learn status [--json] | forget | rule CLIENT/PROJECT [--task TASK]`: what was learned on this
computer from the user's own assignments, forgetting it, and turning it into a readable rule."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from app.classify.learn.service import LearningService, label_of
from app.classify.ruleset_file import dumps
from app.commands.output import note, print_json
from app.core import Core
from app.domain.errors import ValidationError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    learn = sub.add_parser("learn", help="proposals learned from your own assignments (kept on this computer)")
    lsub = learn.add_subparsers(dest="action", required=True, metavar="ACTION")
    status = lsub.add_parser("status", help="whether learning is on and how much it learned from")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    forget = lsub.add_parser("forget", help="forget what was learned; only later assignments teach again")
    forget.set_defaults(handler=_forget)
    rule = lsub.add_parser("rule", help="print the smallest rule covering what you put on CLIENT/PROJECT and "
                                        "nothing you put elsewhere (TOML, for `rules import`)")
    rule.add_argument("project", metavar="CLIENT/PROJECT")
    rule.add_argument("--task", default="")
    rule.set_defaults(handler=_rule)


def _learning(core: Core) -> LearningService:
    if core.classifier.learning is None:
        raise ValidationError("Learning is not available with this database.")
    return core.classifier.learning


def _status(core: Core, args: argparse.Namespace) -> int:
    status = _learning(core).status()
    forgotten = datetime.fromtimestamp(status.forgotten_before, UTC) if status.forgotten_before else None
    if args.json:
        print_json({"learning": status.enabled, "built_at": status.built_at, "windows": status.windows,
                    "projects": status.projects, "assigned_seconds": round(status.assigned_seconds),
                    "forgotten_before": forgotten.isoformat().replace("+00:00", "Z") if forgotten else None})
        return 0
    print(status.sentence)
    if not status.enabled:
        note("'timetally settings set classify.learning true' turns it on.")
        return 0
    if forgotten:
        print(f"What was learned before {forgotten.astimezone():%Y-%m-%d %H:%M} was forgotten.")
    return 0


def _forget(core: Core, args: argparse.Namespace) -> int:
    _learning(core).forget()
    print("Forgot what was learned; entries from now on teach again.")
    return 0


def _rule(core: Core, args: argparse.Namespace) -> int:
    found = _learning(core).rule_for(label_of(args.project, args.task))
    print(dumps([found.rule]).rstrip("\n"))
    note(f"It covers {found.covered_seconds / found.assigned_seconds:.0%} of the time you put on {args.project} "
         "and none you put elsewhere; 'timetally rules preview' shows it once imported.")
    return 0
