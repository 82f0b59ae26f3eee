"""`timetally rules import|export|list|preview|suggest`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.classify.preview import Preview
from app.classify.rules import describe
from app.classify.service import RuleInfo
from app.commands.output import iso, note, print_json
from app.core import Core
from app.domain.errors import NotFoundError
from app.domain.timefmt import format_duration, parse_instant


def starter_file() -> Path:
    """`resources/rules/starter.toml` beside the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return root / "resources" / "rules" / "starter.toml"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = sub.add_parser("rules", help="import, export and inspect classification rules")
    rsub = rules.add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = rsub.add_parser("import", help="replace the rules with those of a TOML file (checked whole first)")
    source = imp.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, metavar="FILE")
    source.add_argument("--starter", action="store_true", help="the starter rules shipped with TimeTally")
    imp.add_argument("--replace-all", action="store_true",
                     help="allow a file without rules to remove every rule you have")
    imp.set_defaults(handler=_import)
    exp = rsub.add_parser("export", help="write the rules to a TOML file")
    exp.add_argument("file", type=Path, metavar="FILE")
    exp.set_defaults(handler=_export)
    lst = rsub.add_parser("list", help="list the rules in order, with when each last matched")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    pre = rsub.add_parser("preview", help="time a rule matches over the last 4 weeks, with sample titles")
    pre.add_argument("name", metavar="NAME")
    pre.add_argument("--json", action="store_true")
    pre.set_defaults(handler=_preview)
    sug = rsub.add_parser("suggest", help="suggest a rule for unclassified time you assign to a project")
    sug.add_argument("project", metavar="CLIENT/PROJECT")
    sug.add_argument("--start", required=True, metavar="ISO8601")
    sug.add_argument("--end", required=True, metavar="ISO8601")
    sug.add_argument("--task", default="", metavar="TASK")
    sug.set_defaults(handler=_suggest)


def _import(core: Core, args: argparse.Namespace) -> int:
    path = starter_file() if args.starter else args.file
    rules = core.classifier.import_file(path, replace_all=args.replace_all)
    print(f"Imported {len(rules)} rule{'s' if len(rules) != 1 else ''} from {path}.")
    return 0


def _export(core: Core, args: argparse.Namespace) -> int:
    count = core.classifier.export_file(args.file)
    print(f"Exported {count} rule{'s' if count != 1 else ''} to {args.file}.")
    return 0


def _info_json(info: RuleInfo, stale: bool) -> dict[str, Any]:
    r = info.rule
    return {
        "position": info.position,
        "name": r.name,
        "enabled": r.enabled,
        "outcome": r.outcome.label,
        "conditions": describe(r),
        "last_matched": iso(info.last_matched),
        "stale": stale,
    }


def _list(core: Core, args: argparse.Namespace) -> int:
    stale = {i.rule.name for i in core.classifier.stale()}
    infos = core.classifier.listing()
    if args.json:
        print_json([_info_json(i, i.rule.name in stale) for i in infos])
        return 0
    if not infos:
        print("No rules. Start from the starter set with: timetally rules import --starter")
        return 0
    for info in infos:
        r = info.rule
        state = "" if r.enabled else "  (disabled)"
        last = f"last matched {info.last_matched.astimezone():%Y-%m-%d}" if info.last_matched else "never matched"
        print(f"{info.position:>3}. {r.name}{state}  →  {r.outcome.label}  ({last})")
        print(f"       {describe(r)}")
    if stale:
        note(f"{len(stale)} rule{'s' if len(stale) != 1 else ''} matched nothing in the last 90 days: "
             + ", ".join(sorted(stale)))
    return 0


def _preview_lines(found: Preview) -> list[str]:
    lines = [
        f"Rule \"{found.rule}\" over the last 4 weeks: matches {format_duration(int(found.matched_seconds))}, "
        f"of which {format_duration(int(found.claimed_seconds))} at its place in the order.",
    ]
    lines += [f"  {format_duration(int(seconds)):>6}  {title}" for title, seconds in found.samples]
    lines.append(f"Unclassified with it: {found.unclassified_share:.0%} of "
                 f"{format_duration(int(found.captured_seconds))} captured "
                 f"(was {format_duration(int(found.unclassified_before))}).")
    return lines


def _preview(core: Core, args: argparse.Namespace) -> int:
    rule = next((r for r in core.classifier.rules() if r.name.casefold() == args.name.casefold()), None)
    if rule is None:
        raise NotFoundError(f"There is no rule named '{args.name}'; see timetally rules list")
    found = core.classifier.preview(rule)
    if args.json:
        print_json({
            "rule": found.rule,
            "matched_seconds": round(found.matched_seconds),
            "claimed_seconds": round(found.claimed_seconds),
            "samples": [{"title": t, "seconds": round(s)} for t, s in found.samples],
            "captured_seconds": round(found.captured_seconds),
            "unclassified_share": round(found.unclassified_share, 4),
        })
        return 0
    print("\n".join(_preview_lines(found)))
    return 0


def _suggest(core: Core, args: argparse.Namespace) -> int:
    core.projects.require(args.project)
    found = core.classifier.suggest(parse_instant(args.start), parse_instant(args.end), args.project, args.task)
    if found is None:
        print("Nothing in those titles sets them apart well enough to suggest a rule.")
        return 0
    suggestion, preview = found
    print(f"Suggested rule ({suggestion.kind} '{suggestion.token}', "
          f"{suggestion.coverage:.0%} of the assigned time):")
    print(f"  {describe(suggestion.rule)}  →  {suggestion.rule.outcome.label}")
    print("\n".join(_preview_lines(preview)))
    return 0
