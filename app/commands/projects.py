"""`timetally projects add|list|set`."""

from __future__ import annotations

import argparse

from app.commands.billing import add_rate_arguments, report_rates, since
from app.commands.output import print_json
from app.core import Core


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    projects = sub.add_parser("projects", help="create, list and configure the billing of projects")
    psub = projects.add_subparsers(dest="action", required=True, metavar="ACTION")
    padd = psub.add_parser("add", help="create CLIENT/PROJECT (the client is created when new)")
    padd.add_argument("project", metavar="CLIENT/PROJECT")
    padd.add_argument("--non-billable", action="store_true")
    padd.set_defaults(handler=_project_add)
    plist = psub.add_parser("list", help="list projects")
    plist.add_argument("--json", action="store_true")
    plist.set_defaults(handler=_project_list)
    pset = psub.add_parser("set", help="billing of CLIENT/PROJECT: rates, rounding, tax, fixed fee, billable")
    pset.add_argument("project", metavar="CLIENT/PROJECT")
    pset.add_argument("--task", metavar="NAME", help="set the rates of this task instead of the project")
    add_rate_arguments(pset)
    pset.add_argument("--rounding", metavar="MODE:MINUTES[:line]", help="override the client's rounding")
    pset.add_argument("--minimum", metavar="DURATION", help="override the minimum billable time, e.g. 15m")
    pset.add_argument("--tax", metavar="NAME:PERCENT[:compound],...", help="override the client's tax")
    pset.add_argument("--fixed-fee", metavar="AMOUNT", help="fee for the whole project ('none' clears)")
    pset.add_argument("--budget", metavar="DURATION", help="hours the fixed fee covers, e.g. 40h")
    pset.add_argument("--overage-rate", metavar="AMOUNT", help="hourly rate beyond the budget")
    billable = pset.add_mutually_exclusive_group()
    billable.add_argument("--billable", dest="billable", action="store_true", default=None)
    billable.add_argument("--non-billable", dest="billable", action="store_false")
    pset.set_defaults(handler=_project_set)


def _project_add(core: Core, args: argparse.Namespace) -> int:
    project = core.projects.add_project(args.project, billable=not args.non_billable)
    print(f"Created project {project.path}.")
    return 0


def _project_list(core: Core, args: argparse.Namespace) -> int:
    projects = core.projects.projects()
    if args.json:
        print_json([{"id": p.id, "client": p.client_name, "project": p.name, "billable": p.billable}
                    for p in projects])
    else:
        for p in projects:
            print(p.path)
    return 0


def _project_set(core: Core, args: argparse.Namespace) -> int:
    changes = core.billing.set_project(
        args.project, task=args.task, rate=args.rate, cost_rate=args.cost_rate, effective_from=since(args),
        rounding=args.rounding, minimum=args.minimum, tax=args.tax, fixed_fee=args.fixed_fee, budget=args.budget,
        overage_rate=args.overage_rate, billable=args.billable,
    )
    report_rates(changes, f"{args.project}/{args.task}" if args.task else args.project)
    print(f"Saved billing settings of {args.project}.")
    return 0
