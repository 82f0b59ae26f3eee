"""`timetally projects add|list`."""

from __future__ import annotations

import argparse

from app.bootstrap import Core
from app.commands.output import print_json


def register(sub: argparse._SubParsersAction) -> None:
    projects = sub.add_parser("projects", help="create and list projects")
    psub = projects.add_subparsers(dest="action", required=True, metavar="ACTION")
    padd = psub.add_parser("add", help="create CLIENT/PROJECT (the client is created when new)")
    padd.add_argument("project", metavar="CLIENT/PROJECT")
    padd.add_argument("--non-billable", action="store_true")
    padd.set_defaults(handler=_project_add)
    plist = psub.add_parser("list", help="list projects")
    plist.add_argument("--json", action="store_true")
    plist.set_defaults(handler=_project_list)



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
